package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointRoundTripTest {
    @TempDir Path dir;

    static OptimizerBase load(Path p) throws java.io.IOException {
        return CheckpointReader.read(p, FakeOptimizer::of);
    }

    static void assertSameState(OptimizerBase a, OptimizerBase b) {
        assertThat(b.config()).isEqualTo(a.config());
        assertThat(b.dimension()).isEqualTo(a.dimension());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(b.skippedSteps()).isEqualTo(a.skippedSteps());
        List<StateSlice> sa = a.stateSlices();
        List<StateSlice> sb = b.stateSlices();
        assertThat(sb).hasSameSizeAs(sa);
        for (int i = 0; i < sa.size(); i++) {
            assertThat(sb.get(i).name()).isEqualTo(sa.get(i).name());
            MemorySegment x = sa.get(i).segment();
            MemorySegment y = sb.get(i).segment();
            assertThat(x.mismatch(y)).as("first differing byte of slice %s", sa.get(i).name()).isEqualTo(-1L);
        }
    }

    @Test
    void everyFieldSurvivesTheRoundTrip() throws Exception {
        CgdConfig config = new CgdConfig(1e-300, 7.5, Double.MIN_VALUE, 0.25, 1e-8, 3e-7, Metric.BELIEF,
                Structure.FULL, true, CovarianceMean.FORCE, 7, RefreshMode.TRACKED, 11, NonFinitePolicy.SKIP, 3, 123_456_789L,
                0.125, 0.25, 77, true);
        try (FakeOptimizer a = new FakeOptimizer(config, 5).scramble(42, 1_000_000_007L, 13)) {
            Path p = dir.resolve("ck.bin");
            a.save(p);
            try (OptimizerBase b = load(p)) {
                assertSameState(a, b);
            }
        }
    }

    @Test
    void slicesLargerThanOneChunkAreCopiedExactly() throws Exception {
        int d = CheckpointFormat.CHUNK_BYTES / 8 + 12_345;  // every slice spans two chunks
        try (FakeOptimizer a = new FakeOptimizer(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8), d).scramble(7, 500, 0)) {
            Path p = dir.resolve("big.ckpt");
            a.save(p);
            assertThat(Files.size(p)).isGreaterThan(2L * d * 8);
            try (OptimizerBase b = load(p)) {
                assertSameState(a, b);
            }
        }
    }

    @Test
    void everyEnumConstantRoundTripsByName() throws Exception {
        for (Metric metric : Metric.values()) {
            for (CovarianceMean mean : CovarianceMean.values()) {
                for (RefreshMode mode : RefreshMode.values()) {
                    for (NonFinitePolicy policy : NonFinitePolicy.values()) {
                        CgdConfig c = CgdConfig.diagonalCgd(0.1, 2, 3, 0.5, 1e-6).withMetric(metric)
                                .withStructure(mode == RefreshMode.QR ? org.cgd4j.engine.Structure.KRONECKER : org.cgd4j.engine.Structure.DIAGONAL)
                                .withCovarianceMean(mean).withRefreshMode(mode).withNonFinitePolicy(policy);
                        HeaderWriter w = new HeaderWriter();
                        ConfigCodec.write(c, w);
                        assertThat(ConfigCodec.read(new HeaderReader(w.toByteArray()))).isEqualTo(c);
                    }
                }
            }
        }
    }

    @Test
    void enumsAreStoredByNameNotOrdinal() {
        CgdConfig c = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        HeaderWriter w = new HeaderWriter();
        ConfigCodec.write(c, w);
        String bytes = new String(w.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains("SECOND_MOMENT", "DIAGONAL", "METRIC", "STALE", "THROW", "learningRate", "maxStateBytes");
    }

    @Test
    void headerRecordsLibraryVersionAndNativeOrder() throws Exception {
        try (FakeOptimizer a = new FakeOptimizer(CgdConfig.sgd(0.5), 3)) {
            Path p = dir.resolve("v.ckpt");
            a.save(p);
            byte[] file = Files.readAllBytes(p);
            int h = java.nio.ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
            CheckpointHeader header = HeaderCodec.decode(java.util.Arrays.copyOfRange(file, 16, 16 + h));
            assertThat(header.libraryVersion()).isEqualTo(CheckpointFormat.libraryVersion()).isNotEqualTo("unknown");
            assertThat(header.sliceOrder()).isEqualTo(ByteOrder.nativeOrder());
            assertThat(header.slices()).extracting(SliceEntry::name).containsExactly("m", "s");
        }
    }

    @Test
    void saveReplacesAnOlderCheckpoint() throws Exception {
        Path p = dir.resolve("ck");
        try (FakeOptimizer a = new FakeOptimizer(CgdConfig.sgd(0.5), 4).scramble(1, 10, 0);
             FakeOptimizer b = new FakeOptimizer(CgdConfig.sgd(0.5), 4).scramble(2, 20, 1)) {
            a.save(p);
            b.save(p);
            try (OptimizerBase c = load(p)) {
                assertSameState(b, c);
            }
            try (var files = Files.list(dir)) {
                assertThat(files).containsExactly(p);
            }
        }
    }
}
