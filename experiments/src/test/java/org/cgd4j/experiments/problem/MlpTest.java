package org.cgd4j.experiments.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MlpTest {

    @Test
    void paperNetworkHas65Parameters() {
        assertThat(new Mlp(2, 16, 1).parameterCount()).isEqualTo(65);
        assertThat(new Mlp(2, 8, 8, 1).parameterCount()).isEqualTo(8 * 2 + 8 + 8 * 8 + 8 + 8 + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2,16,1", "2,1", "2,5,3,1", "3,4,2"})
    void backpropMatchesCentralDifferences(String layers) {
        int[] sizes = java.util.Arrays.stream(layers.split(",")).mapToInt(Integer::parseInt).toArray();
        Mlp net = new Mlp(sizes);
        SplittableRandom rng = new SplittableRandom(11);
        double[] p = new double[net.parameterCount()];
        net.initialize(p, rng);
        for (int i = 0; i < p.length; i++) {
            p[i] += rng.nextDouble(-0.3, 0.3); // non-zero biases too
        }
        int n = 7;
        double[] x = new double[n * net.inputSize()];
        double[] t = new double[n * net.outputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextDouble(-1, 1);
        }
        double[] g = new double[p.length];
        double loss = net.loss(p, x, t, n, g);
        assertThat(loss).isEqualTo(net.loss(p, x, t, n, null));
        double h = 1e-6;
        for (int i = 0; i < p.length; i++) {
            double keep = p[i];
            p[i] = keep + h;
            double up = net.loss(p, x, t, n, null);
            p[i] = keep - h;
            double down = net.loss(p, x, t, n, null);
            p[i] = keep;
            double fd = (up - down) / (2 * h);
            assertThat(g[i]).as("parameter %d", i).isCloseTo(fd, within(1e-7 * (1 + Math.abs(fd))));
        }
    }

    /** The layout names the tensors where the network keeps them: W (out × in, row-major), then b. */
    @Test
    void layoutMatchesTheParameterVector() {
        var layout = new Mlp(2, 16, 1).layout();
        assertThat(layout.dimension()).isEqualTo(65);
        assertThat(layout.tensors().stream().map(t -> t.name() + "@" + t.offset() + ":" + t.rows() + "x" + t.cols()))
                .containsExactly("w1@0:16x2", "b1@32:1x16", "w2@48:1x16", "b2@64:1x1");
        // w1[r][c] = params[r·2 + c] and b1[r] = params[32 + r]: on one sample ∂L/∂w1[r][c] = ∂L/∂b1[r]·x[c]
        Mlp net = new Mlp(2, 16, 1);
        double[] p = new double[65];
        net.initialize(p, new SplittableRandom(1));
        double[] x = {0.3, -0.7}, t = {0.1}, g = new double[65];
        net.loss(p, x, t, 1, g);
        for (int r = 0; r < 16; r++) {
            for (int c = 0; c < 2; c++) {
                assertThat(g[r * 2 + c]).isCloseTo(g[32 + r] * x[c], within(1e-15));
            }
        }
    }

    @Test
    void lossIsTheMeanSquaredError() {
        Mlp net = new Mlp(2, 1); // linear: y = w·x + b
        double[] p = {2, -1, 0.5};
        double[] x = {1, 1, 0, 2};
        double[] t = {0, 0};
        // y = 1.5 and −1.5: MSE = (2.25 + 2.25) / 2
        assertThat(net.loss(p, x, t, 2, null)).isEqualTo(2.25);
    }

    @Test
    void rejectsWrongSizes() {
        Mlp net = new Mlp(2, 16, 1);
        assertThatThrownBy(() -> net.loss(new double[64], new double[2], new double[1], 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 65 parameters");
        assertThatThrownBy(() -> net.loss(new double[65], new double[2], new double[1], 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 2");
        assertThatThrownBy(() -> new Mlp(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Mlp(2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void multiplicationDataTargetsAreProducts() {
        double[] x = new double[20];
        double[] t = new double[10];
        MultiplicationData.sample(new SplittableRandom(3), x, t, 10);
        for (int s = 0; s < 10; s++) {
            assertThat(x[2 * s]).isBetween(-1.0, 1.0);
            assertThat(t[s]).isEqualTo(x[2 * s] * x[2 * s + 1]);
        }
    }
}
