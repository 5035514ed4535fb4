package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.InvalidCheckpointException;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.cgd4j.engine.internal.StepFacade;
import org.cgd4j.engine.internal.Precision;

/** The public save/load path on the real DIAGONAL and FULL optimizers, including files that lie about them. */
class RealOptimizerCheckpointTest {
    @TempDir Path dir;

    static final CgdConfig ADAM = CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8);
    static final CgdConfig FULL = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3).withRefreshEvery(2);

    private Path saved(CgdConfig config, int d, int steps) throws IOException {
        try (Optimizer o = Optimizer.create(config, d)) {
            double[] q = new double[d], g = new double[d];
            for (int t = 0; t < steps; t++) {
                for (int i = 0; i < d; i++) {
                    g[i] = Math.sin(7 * t + i);
                }
                o.step(q, g);
            }
            Path p = dir.resolve(config.structure() + "-" + d + ".ckpt");
            o.save(p);
            return p;
        }
    }

    /** Re-encodes {@code file} with a changed header and a valid checksum: a consistent lie. */
    private Path rewritten(Path file, java.util.function.UnaryOperator<CheckpointHeader> change) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int h = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
        CheckpointHeader header = HeaderCodec.decode(Arrays.copyOfRange(bytes, 16, 16 + h));
        byte[] slices = Arrays.copyOfRange(bytes, 16 + h, bytes.length - 4);
        Path out = dir.resolve("lie.ckpt");
        Files.write(out, CheckpointBytes.build(change.apply(header), slices));
        return out;
    }

    @Test
    void aDiagonalFileClaimingFullIsRefused() throws Exception {
        // Three DIAGONAL slices of d = 3 (72 bytes) could hold a 3×3 S, so the file passes the size
        // check (ForgedCheckpointTest) and is refused by the slice layout.
        Path lie = rewritten(saved(CgdConfig.diagonalCgd(0.02, 3, 20, 0.5, 1e-3), 3, 3), h -> new CheckpointHeader(
                h.libraryVersion(), h.sliceOrder(), FULL, h.dimension(), h.steps(), h.skippedSteps(), h.slices()));
        assertThatThrownBy(() -> Optimizer.load(lie)).isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("do not match a FULL COVARIANCE, dimension 3 optimizer");
    }

    @Test
    void aFullFileClaimingAnotherDimensionIsRefused() throws Exception {
        Path lie = rewritten(saved(FULL, 4, 3), h -> new CheckpointHeader(h.libraryVersion(), h.sliceOrder(),
                h.config(), 5, h.steps(), h.skippedSteps(), h.slices()));
        assertThatThrownBy(() -> Optimizer.load(lie)).isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("dimension 5");
    }

    @Test
    void aFullFileForADimensionBeyondTheStateLimitIsRefusedBeforeAllocating() throws Exception {
        Path lie = rewritten(saved(FULL, 4, 3), h -> new CheckpointHeader(h.libraryVersion(), h.sliceOrder(),
                h.config(), 1 << 20, h.steps(), h.skippedSteps(), h.slices()));
        // Refused by the file's length before the optimizer's own maxStateBytes check could run.
        assertThatThrownBy(() -> Optimizer.load(lie)).isInstanceOf(InvalidCheckpointException.class)
                .hasMessageContaining("dimension 1048576").hasMessageContaining("but the file holds");
    }

    @Test
    void everySingleByteChangeOfARealFullCheckpointIsRefused() throws IOException {
        Path good = saved(FULL, 3, 5);
        byte[] bytes = Files.readAllBytes(good);
        Path bad = dir.resolve("bad.ckpt");
        for (int i = 0; i < bytes.length; i++) {
            byte[] b = bytes.clone();
            b[i] ^= (byte) (1 << (i % 8));
            Files.write(bad, b);
            assertThatThrownBy(() -> Optimizer.load(bad)).isInstanceOf(InvalidCheckpointException.class);
        }
        try (Optimizer o = Optimizer.load(good)) {
            assertThat(o.steps()).isEqualTo(5);
            assertThat(o.config()).isEqualTo(FULL);
        }
    }

    @Test
    void floatStateComesBackAsFloatAndRefusesDoubles() throws IOException {
        Path p = dir.resolve("float.ckpt");
        try (Optimizer o = Optimizer.create(ADAM, 5)) {
            o.step(new float[5], new float[] {1, 2, 3, 4, 5});
            o.save(p);
        }
        try (Optimizer o = Optimizer.load(p)) {
            assertThat(((StepFacade) o).precision()).isEqualTo(Precision.FLOAT);
            assertThatThrownBy(() -> o.step(new double[5], new double[5])).isInstanceOf(IllegalStateException.class);
            o.step(new float[5], new float[5]);
            assertThat(o.steps()).isEqualTo(2);
        }
    }

    @Test
    void doubleStateComesBackAsDoubleAndAFreshOptimizerStaysOpen() throws IOException {
        Path used = saved(ADAM, 5, 2);
        try (Optimizer o = Optimizer.load(used)) {
            assertThat(((StepFacade) o).precision()).isEqualTo(Precision.DOUBLE);
            assertThatThrownBy(() -> o.step(new float[5], new float[5])).isInstanceOf(IllegalStateException.class);
        }
        Path fresh = saved(ADAM, 5, 0);
        try (Optimizer o = Optimizer.load(fresh)) {
            assertThat(((StepFacade) o).precision()).isNull();
            o.step(new float[5], new float[5]);  // as the unsaved optimizer would have allowed
        }
    }

    @Test
    void structureAndCountersSurviveForBoth() throws IOException {
        for (CgdConfig c : new CgdConfig[] {ADAM, FULL}) {
            try (Optimizer o = Optimizer.load(saved(c, 3, 4))) {
                assertThat(o.config().structure()).isEqualTo(c.structure());
                assertThat(o.dimension()).isEqualTo(3);
                assertThat(o.steps()).isEqualTo(4);
                assertThat(o.config().structure() == Structure.FULL ? o.eigenvalues().length : 3).isEqualTo(3);
            }
        }
    }
}
