package org.cgd4j.engine.internal.kronecker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KRONECKER against {@link KroneckerReference}, an independent transcription of SPEC: every metric,
 * several blocks per tensor (blockSize 3 on a 7 × 5 matrix: 3 × 3, 3 × 2 and 1 × 3, 1 × 2 blocks;
 * a vector of 4: 1 × 3 and a 1 × 1 block without factors), a warm-up, refreshes every 2 steps; 300
 * closed-loop steps of a noisy quadratic, max relative difference ≤ 1e-9 at every step.
 */
class KroneckerParityTest {
    static final ParamLayout LAYOUT = ParamLayout.builder().matrix("w", 7, 5).vector("v", 4).build();
    static final int D = 39;

    static Stream<CgdConfig> configs() {
        return Stream.of(
                CgdConfig.adam(0.01, 0.9, 0.99, 1e-8),
                CgdConfig.adamW(0.01, 0.9, 0.99, 1e-8, 0), // same as adam: weight decay checked elsewhere
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6),
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.5, 1e-2).withDebias(true),
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.5, 1e-2).withCovarianceMean(CovarianceMean.FORCE),
                CgdConfig.adabelief(0.01, 0.9, 0.99, 1e-8),
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.7, 1e-3).withMetric(Metric.SECOND_MOMENT),
                CgdConfig.momentum(0.01, 0.9).withTau2(5),
                CgdConfig.rmsprop(0.005, 0.99, 1e-8).withMetric(Metric.SECOND_MOMENT))
                .map(c -> c.withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(2).withWarmupSteps(3));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void matchesTheReference(CgdConfig config) {
        SplittableRandom r = new SplittableRandom(5);
        double[] h = new double[D], target = new double[D], q = new double[D];
        for (int i = 0; i < D; i++) {
            h[i] = Math.pow(10, -1 + 2.0 * i / (D - 1));
            target[i] = 1 + r.nextDouble();
            q[i] = 3 + r.nextDouble();
        }
        double[] qRef = q.clone(), g = new double[D];
        KroneckerReference w = new KroneckerReference(config, 0, 7, 5), v = new KroneckerReference(config, 35, 1, 4);
        SplittableRandom noise = new SplittableRandom(9);
        double worst = 0;
        try (Optimizer opt = Optimizer.builder(LAYOUT).config(config).build()) {
            for (int t = 0; t < 300; t++) {
                for (int i = 0; i < D; i++) {
                    g[i] = h[i] * (q[i] - target[i]) + 0.3 * noise.nextGaussian() + 0.05 * (qRef[i] - q[i]);
                }
                double[] gRef = g.clone();
                opt.step(q, g);
                w.step(qRef, gRef);
                v.step(qRef, gRef);
                for (int i = 0; i < D; i++) {
                    worst = Math.max(worst, Math.abs(q[i] - qRef[i]) / Math.abs(qRef[i]));
                }
            }
        }
        assertThat(worst).as("max relative difference over 300 steps").isLessThanOrEqualTo(1e-9);
    }
}
