package org.cgd4j.experiments.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RosenbrockTest {

    @Test
    void minimumIsZeroAtOneOneWithZeroGradient() {
        double[] g = new double[2];
        assertThat(Rosenbrock.valueAndGradient(new double[] {1, 1}, g)).isEqualTo(0.0);
        assertThat(g[0] == 0 && g[1] == 0).as("gradient %s", java.util.Arrays.toString(g)).isTrue(); // −0.0 allowed
    }

    @Test
    void knownValueAtTheCanonicalStart() {
        // (1 + 1.5)² + 100 (2 − 2.25)² = 6.25 + 6.25
        assertThat(Rosenbrock.value(Rosenbrock.START_X, Rosenbrock.START_Y)).isEqualTo(12.5);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] g = new double[2];
        for (int trial = 0; trial < 200; trial++) {
            double[] q = {rng.nextDouble(-2, 2), rng.nextDouble(-1, 3)};
            double h = Rosenbrock.valueAndGradient(q, g);
            assertThat(h).isEqualTo(Rosenbrock.value(q[0], q[1]));
            double step = 1e-6;
            double fx = (Rosenbrock.value(q[0] + step, q[1]) - Rosenbrock.value(q[0] - step, q[1])) / (2 * step);
            double fy = (Rosenbrock.value(q[0], q[1] + step) - Rosenbrock.value(q[0], q[1] - step)) / (2 * step);
            // central differences: O(step²·H''') truncation plus O(ε·H/step) rounding, ~1e-6 relative here
            assertThat(g[0]).isCloseTo(fx, within(1e-6 * (1 + Math.abs(fx))));
            assertThat(g[1]).isCloseTo(fy, within(1e-6 * (1 + Math.abs(fy))));
        }
    }
}
