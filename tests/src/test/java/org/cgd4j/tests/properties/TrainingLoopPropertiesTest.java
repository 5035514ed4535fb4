package org.cgd4j.tests.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Schedule;
import org.junit.jupiter.api.Test;

/**
 * SPEC "Training-loop terms", properties that hold bit for bit: layouts and groups only decide which
 * rule each element follows, and neutral terms (λ = 0, an unreachable clip, a constant schedule,
 * κ = 1) leave every bit of the plain step.
 */
class TrainingLoopPropertiesTest {
    static final int STEPS = 60;

    /** A deterministic gradient that depends on the params, so that any difference would grow. */
    static void gradient(double[] q, double[] g, long t) {
        for (int i = 0; i < q.length; i++) {
            g[i] = (0.3 + 0.01 * i) * (q[i] - 1) + 0.2 * Math.sin(0.7 * t + i);
        }
    }

    static double[] start(int d) {
        SplittableRandom r = new SplittableRandom(11);
        double[] q = new double[d];
        for (int i = 0; i < d; i++) {
            q[i] = 2 + r.nextDouble();
        }
        return q;
    }

    static double[] run(Optimizer opt, int d) {
        double[] q = start(d), g = new double[d];
        for (long t = 1; t <= STEPS; t++) {
            gradient(q, g, t);
            opt.step(q, g);
        }
        return q;
    }

    @Test
    void aOneVectorLayoutEqualsCreate() {
        for (CgdConfig c : new CgdConfig[] {CgdConfig.adam(0.01, 0.9, 0.999, 1e-8), CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6),
                CgdConfig.fullCgd(0.01, 3, 20, 0.5, 1e-6)}) {
            try (Optimizer a = Optimizer.create(c, 23); Optimizer b = Optimizer.builder(ParamLayout.vector(23)).config(c).build()) {
                assertThat(run(b, 23)).isEqualTo(run(a, 23));
            }
        }
    }

    @Test
    void splittingATensorWithinAGroupChangesNothing() {
        ParamLayout split = ParamLayout.builder().matrix("a", 3, 4).vector("b", 11).build();
        for (CgdConfig c : new CgdConfig[] {CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1), CgdConfig.fullCgd(0.01, 3, 20, 0.5, 1e-6)
                .withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED)}) {
            try (Optimizer whole = Optimizer.create(c, 23); Optimizer parts = Optimizer.builder(split).group(c, "a", "b").build()) {
                assertThat(run(parts, 23)).isEqualTo(run(whole, 23));
            }
        }
    }

    @Test
    void aFullHeadBesideADiagonalBodyIsEachOnItsOwnParams() {
        // body 4 × 5, head 7 (full CGD): the head's d×d covers only its own 7 parameters.
        ParamLayout layout = ParamLayout.builder().matrix("body", 4, 5).vector("head", 7).build();
        CgdConfig adam = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8);
        CgdConfig full = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-6);
        try (Optimizer mixed = Optimizer.builder(layout).config(adam).group(full, "head").build();
             Optimizer body = Optimizer.create(adam, 20); Optimizer head = Optimizer.create(full, 7)) {
            double[] q = start(27), g = new double[27];
            double[] qb = Arrays.copyOfRange(q, 0, 20), qh = Arrays.copyOfRange(q, 20, 27);
            for (long t = 1; t <= STEPS; t++) {
                gradient(q, g, t);
                mixed.step(q, g);
                body.step(qb, Arrays.copyOfRange(g, 0, 20));
                head.step(qh, Arrays.copyOfRange(g, 20, 27));
                assertThat(Arrays.copyOfRange(q, 0, 20)).isEqualTo(qb);
                assertThat(Arrays.copyOfRange(q, 20, 27)).isEqualTo(qh);
            }
            assertThat(mixed.eigenvalues()).isEqualTo(head.eigenvalues());
        }
    }

    @Test
    void neutralTermsReproduceThePlainStep() {
        CgdConfig adam = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8);
        try (Optimizer plain = Optimizer.create(adam, 23);
             Optimizer neutral = Optimizer.builder(ParamLayout.vector(23)).config(adam.withWeightDecay(0).withL2(0))
                     .schedule(Schedule.constant()).clipNorm(1e300).build()) {
            neutral.setLearningRateScale(1);
            assertThat(run(neutral, 23)).isEqualTo(run(plain, 23));
            assertThat(neutral.lastGradientNorm()).isPositive();
        }
    }

    @Test
    void theUserScaleIsALearningRateFactor() {
        CgdConfig adam = CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1);
        try (Optimizer halved = Optimizer.create(adam.withLearningRate(0.005), 23); Optimizer scaled = Optimizer.create(adam, 23)) {
            scaled.setLearningRateScale(0.5);
            assertThat(run(scaled, 23)).isEqualTo(run(halved, 23));
        }
    }

    @Test
    void floatTracksDouble() {
        ParamLayout layout = ParamLayout.builder().matrix("w", 4, 5).vector("b", 5).build();
        try (Optimizer d = build(layout); Optimizer f = build(layout)) {
            double[] q = start(25), g = new double[25];
            float[] qf = new float[25], gf = new float[25];
            for (int i = 0; i < 25; i++) {
                qf[i] = (float) q[i];
            }
            for (long t = 1; t <= 100; t++) {
                gradient(q, g, t);
                double[] qd = new double[25];
                for (int i = 0; i < 25; i++) {
                    qd[i] = qf[i];
                }
                double[] gFromFloat = new double[25];
                gradient(qd, gFromFloat, t);
                for (int i = 0; i < 25; i++) {
                    gf[i] = (float) gFromFloat[i];
                }
                d.step(q, g);
                f.step(qf, gf);
            }
            for (int i = 0; i < 25; i++) {
                assertThat(Math.abs(qf[i] - q[i]) / Math.abs(q[i])).as("element %d", i).isLessThan(1e-4);
            }
        }
    }

    private static Optimizer build(ParamLayout layout) {
        return Optimizer.builder(layout).config(CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1))
                .group(CgdConfig.adam(0.02, 0.9, 0.999, 1e-8).withL2(0.01), "b")
                .schedule(Schedule.warmupCosine(10, 100, 0.1)).clipNorm(1.0).build();
    }
}
