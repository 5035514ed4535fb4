package org.cgd4j.experiments.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ContoursTest {

    @Test
    void circleLevelSetLiesOnTheCircle() {
        double[][] set = Contours.levelSet((x, y) -> x * x + y * y, -2, 2, -2, 2, 80, 1.0);
        int points = 0;
        for (int i = 0; i < set[0].length; i++) {
            if (Double.isNaN(set[0][i])) {
                assertThat(set[1][i]).isNaN();
                continue;
            }
            points++;
            double r = Math.hypot(set[0][i], set[1][i]);
            // linear interpolation on a 0.05 grid: radius error ≤ h²/(8r)-ish, well under 0.01
            assertThat(r).isCloseTo(1.0, within(0.01));
        }
        assertThat(points).isGreaterThan(100);
    }

    @Test
    void levelOutsideTheRangeIsEmpty() {
        assertThat(Contours.levelSet((x, y) -> x + y, 0, 1, 0, 1, 10, 5.0)[0]).isEmpty();
    }
}
