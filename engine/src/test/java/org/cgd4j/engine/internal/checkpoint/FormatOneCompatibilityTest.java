package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints of format 1, written by the library before format 2 existed (commit 49d269e, with the
 * program kept beside them as WriteV1.java.txt), still load, hold exactly the state a fresh run of
 * the same steps has now, continue bit-identically, and are saved again in the current format.
 *
 * <p>"Exactly" needs the same arithmetic on both machines. The DIAGONAL kernels are Java's own, the
 * same bits everywhere; a FULL metric's eigendecomposition comes from the machine's LAPACK, and an
 * OpenBLAS build picks its kernels by CPU (the file was written where it chose Haswell's; on an AVX-512
 * BF16 machine it chooses Cooperlake's), which round differently. So for FULL the state and the
 * continued params agree with the fresh run's to 1e-10 relative, and the continuation from the loaded
 * file agrees bit for bit with the continuation from its re-saved copy (same machine, same library).
 */
class FormatOneCompatibilityTest {
    static final int STEPS = 23;

    /** The gradient of WriteV1.java: deterministic, element i of step t. */
    static double grad(long t, int i) {
        return Math.sin(0.37 * t + 1.3 * i) * (1 + 0.1 * i) + 0.05 * Math.cos(7.1 * t * (i + 1));
    }

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("adam-double.ckpt", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), 37, false),
                Arguments.of("adam-float.ckpt", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), 37, true),
                Arguments.of("cgd-covariance-double.ckpt", CgdConfig.diagonalCgd(1e-2, 3, 20, 0.3, 1e-6), 37, false),
                Arguments.of("full-tracked.ckpt", CgdConfig.fullCgd(1e-2, 3, 20, 0.5, 1e-6).withRefreshEvery(5)
                        .withRefreshMode(RefreshMode.TRACKED).withWarmupSteps(2), 9, false));
    }

    private static void run(Optimizer o, double[] q, float[] qf, boolean floats, long from, long to) {
        int d = q.length;
        for (long t = from; t <= to; t++) {
            double[] g = new double[d];
            float[] gf = new float[d];
            for (int i = 0; i < d; i++) {
                g[i] = grad(t, i);
                gf[i] = (float) g[i];
            }
            if (floats) {
                o.step(qf, gf);
            } else {
                o.step(q, g);
            }
        }
    }

    private static List<byte[]> state(Optimizer o) {
        return ((OptimizerBase) o).stateSlices().stream().map(StateSlice::segment)
                .map(s -> s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).toList();
    }

    @ParameterizedTest
    @MethodSource("files")
    void loadsAndContinuesBitIdentically(String file, CgdConfig config, int d, boolean floats, @TempDir Path dir) throws Exception {
        Path v1 = Path.of(getClass().getResource("/checkpoints/v1/" + file).toURI());
        boolean exact = config.structure() != Structure.FULL;
        try (Optimizer fresh = Optimizer.create(config, d); Optimizer loaded = Optimizer.load(v1)) {
            double[] q = new double[d];
            float[] qf = new float[d];
            run(fresh, q, qf, floats, 1, STEPS);
            assertThat(loaded.config()).isEqualTo(config);
            assertThat(loaded.steps()).isEqualTo(STEPS);
            assertSameState(state(loaded), state(fresh), exact);

            Path again = dir.resolve("again.ckpt");
            loaded.save(again);
            assertThat(java.nio.ByteBuffer.wrap(Files.readAllBytes(again), 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
                    .isEqualTo(CheckpointFormat.VERSION);
            try (Optimizer reloaded = Optimizer.load(again)) {
                assertThat(state(reloaded)).containsExactlyElementsOf(state(loaded));

                // The loaded run continues on copies of the fresh run's params: both must stay identical,
                // and so must the run continued from the re-saved copy.
                double[] q2 = q.clone();
                float[] qf2 = qf.clone();
                double[] q3 = q.clone();
                float[] qf3 = qf.clone();
                run(fresh, q, qf, floats, STEPS + 1, STEPS + 9);
                run(loaded, q2, qf2, floats, STEPS + 1, STEPS + 9);
                run(reloaded, q3, qf3, floats, STEPS + 1, STEPS + 9);
                assertThat(q3).isEqualTo(q2);
                assertThat(qf3).isEqualTo(qf2);
                assertThat(state(reloaded)).containsExactlyElementsOf(state(loaded));
                if (exact) {
                    assertThat(q2).isEqualTo(q);
                    assertThat(qf2).isEqualTo(qf);
                } else {
                    for (int i = 0; i < d; i++) {
                        assertThat(q2[i]).as("q[%d]", i).isCloseTo(q[i], org.assertj.core.data.Offset.offset(1e-10 * (1 + Math.abs(q[i]))));
                    }
                }
                assertSameState(state(loaded), state(fresh), exact);
            }
        }
    }

    /** Slice by slice: byte for byte, or (not exact) as doubles within 1e-10 of the slice's largest magnitude. */
    private static void assertSameState(List<byte[]> actual, List<byte[]> expected, boolean exact) {
        if (exact) {
            assertThat(actual).containsExactlyElementsOf(expected);
            return;
        }
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < actual.size(); k++) {
            double[] a = doubles(actual.get(k));
            double[] e = doubles(expected.get(k));
            assertThat(a).as("slice %d", k).hasSameSizeAs(e);
            double scale = java.util.Arrays.stream(e).map(Math::abs).max().orElse(0);
            for (int i = 0; i < a.length; i++) {
                assertThat(a[i]).as("slice %d element %d", k, i).isCloseTo(e[i], org.assertj.core.data.Offset.offset(1e-10 * scale));
            }
        }
    }

    private static double[] doubles(byte[] bytes) {
        double[] x = new double[bytes.length / Double.BYTES];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder()).asDoubleBuffer().get(x);
        return x;
    }
}
