package org.cgd4j.engine.internal.full;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.full.FullTestSupport.Quadratic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.cgd4j.engine.internal.StepFacade;

/**
 * SPEC: FULL with d = 1 equals DIAGONAL, and FULL's warm-up is the DIAGONAL metric of the same family.
 * Bit for bit, at every power: both engines share their scalars ({@code StepCoefficients}), their
 * per-element formulas and their power ({@code Power}, whose Vector API twin rounds identically),
 * and DSYEVD of a 1×1 matrix returns it with eigenvector 1.
 */
class FullMatchesDiagonalTest {

    static Stream<CgdConfig> configs() {
        return FullTestSupport.configs();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void dimensionOneEqualsDiagonal(CgdConfig config) {
        assertSameIncrements(config, 1, 60);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void warmUpEqualsDiagonal(CgdConfig config) {
        assertSameIncrements(config.withWarmupSteps(25), 7, 25);
    }

    /** Same gradients into both engines, increments compared; params fed back so the run is a real one. */
    private static void assertSameIncrements(CgdConfig config, int d, int steps) {
        Quadratic problem = new Quadratic(d, 31);
        double[] q = new SplittableRandom(2).doubles(d, -1, 1).toArray();
        try (StepFacade full = FullOptimizerTest.create(config, d);
             Optimizer diagonal = Optimizer.create(config.withStructure(Structure.DIAGONAL), d)) {
            for (int t = 1; t <= steps; t++) {
                double[] g = problem.gradient(q);
                double[] a = q.clone();
                double[] b = q.clone();
                full.step(a, g);
                diagonal.step(b, g);
                for (int i = 0; i < d; i++) {
                    assertThat(a[i]).as("step %d, element %d", t, i).isEqualTo(b[i]);
                }
                q = b;
            }
        }
    }
}
