package org.cgd4j.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the DIAGONAL state sits: the first dense step moves it to the phase of its params (heap
 * arrays of at least ALIGN_FROM elements: HEAP_ARRAY_PHASE), also when that step follows a checkpoint
 * load, which fixes the precision before any step; the move keeps every value, so a resumed run stays
 * bit-identical to an uninterrupted one.
 */
class StatePlacementTest {
    static final int LARGE = 2 * DiagonalKernels.ALIGN_FROM + 3;
    static final CgdConfig ADAM = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);

    @TempDir
    Path dir;

    static double[] gradient(int d, long seed) {
        return new SplittableRandom(seed).doubles(d).map(x -> x - 0.5).toArray();
    }

    static float[] floats(double[] g) {
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            f[i] = (float) g[i];
        }
        return f;
    }

    @Test
    void theFirstStepPlacesTheStateAtTheParamsPhase() {
        try (Optimizer large = Optimizer.create(ADAM, LARGE); Optimizer small = Optimizer.create(ADAM, 1000)) {
            assertThat(((StepFacade) large).statePhase()).isZero();
            large.step(new double[LARGE], gradient(LARGE, 1));
            small.step(new double[1000], gradient(1000, 1));
            assertThat(((StepFacade) large).statePhase()).isEqualTo(DiagonalKernels.HEAP_ARRAY_PHASE);
            assertThat(((StepFacade) small).statePhase()).isZero();
        }
    }

    @Test
    void aResumedOptimizerIsPlacedByItsFirstStepAndStaysBitIdentical() throws Exception {
        for (boolean single : new boolean[] {false, true}) {
            double[] q = new double[LARGE];
            float[] qf = new float[LARGE];
            double[] resumedQ;
            float[] resumedQf;
            Path file = dir.resolve("adam-" + single + ".ckpt");
            try (Optimizer straight = Optimizer.create(ADAM, LARGE)) {
                for (int t = 0; t < 3; t++) {
                    double[] g = gradient(LARGE, t);
                    if (single) {
                        straight.step(qf, floats(g));
                    } else {
                        straight.step(q, g);
                    }
                }
                straight.save(file);
                resumedQ = q.clone();
                resumedQf = qf.clone();
                for (int t = 3; t < 6; t++) {
                    double[] g = gradient(LARGE, t);
                    if (single) {
                        straight.step(qf, floats(g));
                    } else {
                        straight.step(q, g);
                    }
                }
            }
            try (Optimizer resumed = Optimizer.load(file)) {
                assertThat(((StepFacade) resumed).statePhase()).as("loaded, before a step").isZero();
                for (int t = 3; t < 6; t++) {
                    double[] g = gradient(LARGE, t);
                    if (single) {
                        resumed.step(resumedQf, floats(g));
                    } else {
                        resumed.step(resumedQ, g);
                    }
                    assertThat(((StepFacade) resumed).statePhase()).as("single=%s", single).isEqualTo(DiagonalKernels.HEAP_ARRAY_PHASE);
                }
            }
            if (single) {
                assertThat(resumedQf).isEqualTo(qf);
            } else {
                assertThat(resumedQ).isEqualTo(q);
            }
        }
    }
}
