package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.InvalidCheckpointException;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.OptimizerSpec;
import org.cgd4j.engine.internal.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint is untrusted input: a small file whose header (with a valid checksum) describes a
 * huge optimizer is refused before anything is allocated, in format 1 and 2, for DIAGONAL, FULL and
 * multi-group specs; the allocation limit is the caller's, never the file's own maxStateBytes. Each
 * test asserts that the optimizer factory was never called (so nothing was allocated or zeroed),
 * and runs under a timeout that a multi-gigabyte allocation and zeroing would exceed.
 */
@Timeout(30)
class ForgedCheckpointTest {
    static final CgdConfig ADAM = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
    static final CgdConfig FULL = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3);

    @TempDir Path dir;
    final AtomicInteger created = new AtomicInteger();

    OptimizerBase create(CheckpointHeader h) {
        created.incrementAndGet();
        return Checkpoints.create(h);
    }

    Path write(byte[] bytes) throws IOException {
        Path p = dir.resolve("forged-" + System.nanoTime() + ".ckpt");
        Files.write(p, bytes);
        return p;
    }

    static byte[] file(int version, CheckpointHeader h, long sliceBytes) {
        return CheckpointBytes.build(version, HeaderCodec.encode(h, version), new byte[(int) sliceBytes]);
    }

    static CheckpointHeader header(OptimizerSpec spec, List<SliceEntry> slices) {
        return new CheckpointHeader("forged", ByteOrder.nativeOrder(), spec.primaryConfig(), spec.layout().dimension(),
                10, 0, slices, spec, 1, Precision.DOUBLE);
    }

    static long bytes(List<SliceEntry> slices) {
        return slices.stream().mapToLong(SliceEntry::byteSize).sum();
    }

    /** Asserts refusal before any optimizer was created, through the reader and through the public API. */
    void assertRefusedEarly(byte[] bytes, long limit, String... message) throws IOException {
        assertThat(bytes.length).as("a small file").isLessThan(2048);
        Path p = write(bytes);
        assertThatThrownBy(() -> CheckpointReader.read(p, this::create, limit))
                .isInstanceOf(InvalidCheckpointException.class).hasMessageContainingAll(message);
        assertThat(created.get()).as("optimizers created (allocated) for a forged file").isZero();
        assertThatThrownBy(() -> Optimizer.load(p, limit)).isInstanceOf(InvalidCheckpointException.class)
                .hasMessageStartingWith(p + ": not a usable cgd4j checkpoint: ").hasMessageContainingAll(message);
        assertThat(Files.readAllBytes(p)).isEqualTo(bytes);
    }

    @Test
    void hugeDiagonalDimensionInATinyFileIsRefusedInBothFormats() throws IOException {
        int d = Integer.MAX_VALUE;
        List<SliceEntry> slices = List.of(new SliceEntry("m", 8), new SliceEntry("s", 8));
        CheckpointHeader h = header(OptimizerSpec.single(ADAM, d), slices);
        long minimum = 2L * d * Float.BYTES;
        for (int version : new int[] {1, 2}) {
            assertRefusedEarly(file(version, h, 16), CgdConfig.DEFAULT_MAX_STATE_BYTES,
                    "state takes at least " + minimum + " bytes, but the file holds 16 bytes of state");
        }
    }

    @Test
    void hugeFullDimensionInATinyFileIsRefusedInBothFormats() throws IOException {
        for (int d : new int[] {4, 1000, 100_000, Integer.MAX_VALUE}) {
            List<SliceEntry> slices = List.of(new SliceEntry("m", 8), new SliceEntry("S", 8), new SliceEntry("lambda", 8));
            CheckpointHeader h = header(OptimizerSpec.single(FULL, d), slices);
            long minimum = (long) d * d * Double.BYTES;
            String expected = minimum < 0 || d == Integer.MAX_VALUE ? "the file holds 24 bytes of state"
                    : "state takes at least " + minimum + " bytes, but the file holds 24 bytes of state";
            for (int version : new int[] {1, 2}) {
                assertRefusedEarly(file(version, h, 24), Long.MAX_VALUE, expected);
            }
        }
    }

    @Test
    void multiGroupSpecWithAHugeGroupIsRefused() throws IOException {
        // A FULL group of 50 000 (S alone 20 GB) beside a small DIAGONAL one; then a huge DIAGONAL group.
        ParamLayout layout = ParamLayout.builder().vector("w", 50_000).vector("b", 4).build();
        OptimizerSpec spec = new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(ADAM, List.of("b")),
                new OptimizerSpec.Group(FULL, List.of("w"))), Schedule.constant(), 0, 1);
        List<SliceEntry> slices = List.of(new SliceEntry("0.m", 32), new SliceEntry("0.s", 32), new SliceEntry("1.S", 64));
        assertRefusedEarly(file(2, header(spec, slices), 128), Long.MAX_VALUE, "the file holds 128 bytes of state",
                "at least " + (50_000L * 50_000 * 8 + 2 * 4 * 4) + " bytes");

        ParamLayout wide = ParamLayout.builder().matrix("emb", 100_000, 10_000).vector("b", 4).build();
        OptimizerSpec diag = new OptimizerSpec(wide, List.of(new OptimizerSpec.Group(ADAM, List.of("emb")),
                new OptimizerSpec.Group(FULL, List.of("b"))), Schedule.constant(), 0, 1);
        List<SliceEntry> few = List.of(new SliceEntry("0.m", 64), new SliceEntry("1.S", 128));
        assertRefusedEarly(file(2, header(diag, few), 192), Long.MAX_VALUE, "the file holds 192 bytes of state");
    }

    @Test
    void hugeKroneckerGroupsInATinyFileAreRefused() throws IOException {
        // Blocks of 1 × 1 to 256 × 256 over a 40 000 × 50 000 matrix: the blocks' factors and frame
        // state are counted in closed form (no loop over billions of blocks), and exceed the file.
        CgdConfig kron = ADAM.withStructure(org.cgd4j.engine.Structure.KRONECKER);
        for (int blockSize : new int[] {1, 7, 256}) {
            ParamLayout layout = ParamLayout.builder().matrix("w", 40_000, 50_000).vector("b", 4).build();
            OptimizerSpec spec = new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(ADAM, List.of("b")),
                    new OptimizerSpec.Group(kron.withBlockSize(blockSize), List.of("w"))), Schedule.constant(), 0, 1);
            List<SliceEntry> slices = List.of(new SliceEntry("0.m", 32), new SliceEntry("0.s", 32), new SliceEntry("1.m", 64));
            assertRefusedEarly(file(2, header(spec, slices), 128), Long.MAX_VALUE, "the file holds 128 bytes of state");
        }
        // A genuine KRONECKER checkpoint passes the same checks and loads.
        Path p = dir.resolve("kron.ckpt");
        ParamLayout small = ParamLayout.builder().matrix("w", 6, 5).build();
        try (Optimizer o = Optimizer.builder(small).config(kron.withBlockSize(4)).build()) {
            o.step(new double[30], java.util.stream.DoubleStream.iterate(0.1, x -> x + 0.1).limit(30).toArray());
            o.save(p);
            try (Optimizer r = Optimizer.load(p, o.stateBytes())) {
                assertThat(r.steps()).isEqualTo(1);
            }
        }
    }

    @Test
    void aForgedMaxStateBytesCannotRaiseTheCallersLimit() throws IOException {
        // A stateless SGD group over 2e9 elements and a one-element Adam group: the file holds what a
        // genuine checkpoint of this spec holds (16 bytes), but the DIAGONAL buffers span the whole
        // vector (2 × 2e9 doubles, 32 GB). The file's maxStateBytes says Long.MAX_VALUE.
        CgdConfig sgd = CgdConfig.sgd(0.1).withMaxStateBytes(Long.MAX_VALUE);
        CgdConfig adam = ADAM.withMaxStateBytes(Long.MAX_VALUE);
        ParamLayout layout = ParamLayout.builder().vector("big", 2_000_000_000).vector("one", 1).build();
        OptimizerSpec spec = new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(sgd, List.of("big")),
                new OptimizerSpec.Group(adam, List.of("one"))), Schedule.constant(), 0, 1);
        List<SliceEntry> slices = List.of(new SliceEntry("1.m", 8), new SliceEntry("1.s", 8));
        long needed = 2L * 2_000_000_001 * Double.BYTES;
        byte[] forged = file(2, header(spec, slices), 16);
        assertRefusedEarly(forged, CgdConfig.DEFAULT_MAX_STATE_BYTES, "needs " + needed + " bytes of state",
                "the caller's limit maxStateBytes = " + CgdConfig.DEFAULT_MAX_STATE_BYTES);
        assertRefusedEarly(forged, 1 << 20, "the caller's limit maxStateBytes = " + (1 << 20));
        Path p = write(forged);
        assertThatThrownBy(() -> Optimizer.load(p)).isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("maxStateBytes = " + CgdConfig.DEFAULT_MAX_STATE_BYTES);
    }

    @Test
    void aFileCannotAskForThousandsOfThreads() throws IOException {
        OptimizerSpec spec = new OptimizerSpec(ParamLayout.vector(3), List.of(new OptimizerSpec.Group(ADAM, List.of("params"))),
                Schedule.constant(), 0, 100_000);
        List<SliceEntry> slices = List.of(new SliceEntry("m", 24), new SliceEntry("s", 24));
        assertRefusedEarly(file(2, header(spec, slices), 48), Long.MAX_VALUE, "threads = 100000", "at most 1024");
    }

    @Test
    void aFileWithTooFewBytesForItsStructureIsRefusedBeforeTheLayoutCheck() throws IOException {
        // The old CheckpointRefusalTest case: FULL d = 3 with two DIAGONAL slices (48 bytes < 72 of S).
        CheckpointHeader h = new CheckpointHeader("test", ByteOrder.nativeOrder(), FULL, 3, 10, 0,
                List.of(new SliceEntry("m", 24), new SliceEntry("s", 24)));
        assertRefusedEarly(file(2, h, 48), CgdConfig.DEFAULT_MAX_STATE_BYTES, "state takes at least 72 bytes");
    }

    /** {@code file} with the double at {@code element} of slice {@code name} set to {@code value}, checksum valid. */
    static byte[] withSliceValue(byte[] file, String name, long element, double value) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = b.getInt(12);
        CheckpointHeader h = HeaderCodec.decode(java.util.Arrays.copyOfRange(file, 16, 16 + headerLength), b.getInt(8));
        long offset = 16 + headerLength;
        for (SliceEntry e : h.slices()) {
            if (e.name().equals(name)) {
                byte[] out = file.clone();
                java.nio.ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).putDouble((int) (offset + element * 8), value);
                return CheckpointBytes.withValidCrc(out);
            }
            offset += e.byteSize();
        }
        throw new AssertionError("no slice " + name + " in " + h.slices());
    }

    @Test
    void fullStateThatNoStepWritesIsRefusedSoThatNoLoadedOptimizerIsStuck() throws Exception {
        // A TRACKED optimizer with an infinite eigenvalue refused every later step (what a pre-fix save
        // could hold); NaN in S, or a finite S whose spectrum overflows, would do the same.
        for (CgdConfig config : new CgdConfig[] {FULL, FULL.withRefreshEvery(3).withRefreshMode(org.cgd4j.engine.RefreshMode.TRACKED),
                FULL.withCovarianceMean(org.cgd4j.engine.CovarianceMean.FORCE)}) {
            Path p = dir.resolve("full.ckpt");
            try (Optimizer o = Optimizer.create(config, 4)) {
                for (int t = 0; t < 4; t++) {
                    o.step(new double[4], new double[] {1, -2, 0.5, t});
                }
                o.save(p);
            }
            byte[] genuine = Files.readAllBytes(p);
            try (Optimizer o = Optimizer.load(p)) {
                assertThat(o.steps()).isEqualTo(4);
            }
            record Lie(String slice, long element, double value, String message) {}
            List<Lie> lies = new java.util.ArrayList<>(List.of(
                    new Lie("lambda", 3, Double.POSITIVE_INFINITY, "state slice lambda holds Infinity at element 3"),
                    new Lie("S", 0, Double.NaN, "state slice S holds NaN at element 0"),
                    new Lie("m", 1, Double.NEGATIVE_INFINITY, "state slice m holds -Infinity"),
                    new Lie("S", 5, 1e308, "beyond what a step can use"),
                    // The mean v of X̂ = S/c2 − vvᵀ: μ/c2, or m/c1 with the FORCE mean (a huge m is
                    // otherwise just a large step, not a trap).
                    new Lie(config.covarianceMean() == org.cgd4j.engine.CovarianceMean.FORCE ? "m" : "mu", 0, 1e200,
                            "beyond what a step can use")));
            if (config.refreshEvery() > 1) {
                lies.add(new Lie("sigma", 0, Double.POSITIVE_INFINITY, "state slice sigma holds Infinity"));
            }
            for (Lie lie : lies) {
                Path bad = write(withSliceValue(genuine, lie.slice(), lie.element(), lie.value()));
                assertThatThrownBy(() -> Optimizer.load(bad)).as(lie.toString()).isInstanceOf(InvalidCheckpointException.class)
                        .hasMessageContaining(lie.message()).hasMessageContaining("every later step would be refused");
            }
        }
    }

    @Test
    void aGenuineCheckpointLoadsWithinTheCallersLimitAndIsRefusedAboveIt() throws IOException {
        Path p = dir.resolve("genuine.ckpt");
        long needed;
        try (Optimizer o = Optimizer.create(ADAM, 1000)) {
            o.step(new double[1000], new double[1000]);
            needed = o.stateBytes();
            o.save(p);
        }
        assertThat(needed).isEqualTo(2 * 1000 * 8);
        assertThatThrownBy(() -> Optimizer.load(p, needed - 1)).isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("needs " + needed + " bytes of state, more than the caller's limit maxStateBytes = " + (needed - 1));
        try (Optimizer o = Optimizer.load(p, needed)) {
            assertThat(o.steps()).isEqualTo(1);
        }
        try (Optimizer o = Optimizer.load(p)) {
            assertThat(o.stateBytes()).isEqualTo(needed);
        }
        assertThatThrownBy(() -> Optimizer.load(p, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxStateBytes must be > 0, got 0");
    }

    @Test
    void aGenuineFullCheckpointLoadsUnderALimitOfWhatItHolds() throws IOException {
        // The plan the loader checks is what the optimizer then holds (minimum DSYEVD workspace).
        Path p = dir.resolve("full.ckpt");
        long held;
        try (Optimizer o = Optimizer.create(FULL.withRefreshEvery(3).withRefreshMode(org.cgd4j.engine.RefreshMode.TRACKED), 12)) {
            o.step(new double[12], new double[12]);
            held = o.stateBytes();
            o.save(p);
        }
        try (Optimizer o = Optimizer.load(p, held)) {
            assertThat(o.stateBytes()).isEqualTo(held);
        }
    }
}
