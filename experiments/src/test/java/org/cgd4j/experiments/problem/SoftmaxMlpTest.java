package org.cgd4j.experiments.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cgd4j.engine.ParamLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SoftmaxMlpTest {

    /** n samples of random features, a third of them exactly 0 (as blank pixels), and random labels. */
    private static double[] inputs(SplittableRandom rng, int n, int in) {
        double[] x = new double[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextInt(3) == 0 ? 0 : rng.nextDouble(-1, 1);
        }
        return x;
    }

    private static int[] labels(SplittableRandom rng, int n, int classes) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }

    @Test
    void digitsNetworkHas26122ParametersInSixTensors() {
        SoftmaxMlp net = new SoftmaxMlp(1, 64, 128, 128, 10);
        assertThat(net.parameterCount()).isEqualTo(128 * 64 + 128 + 128 * 128 + 128 + 10 * 128 + 10).isEqualTo(26_122);
        ParamLayout expected = ParamLayout.builder().matrix("w1", 128, 64).vector("b1", 128).matrix("w2", 128, 128)
                .vector("b2", 128).matrix("w3", 10, 128).vector("b3", 10).build();
        assertThat(net.layout()).isEqualTo(expected);
    }

    /**
     * Central differences with h = 1e-6 have truncation error O(h²) ≈ 1e-12 and rounding error about
     * 1e-16·|loss|/h ≈ 1e-10 here, so 1e-7·(1 + |fd|) leaves a wide margin; a ReLU kink within h of a
     * pre-activation would show up as an O(1) mismatch, which these fixed seeds do not hit.
     */
    @ParameterizedTest
    @ValueSource(strings = {"5,3", "5,7,3", "6,7,6,4", "3,1,2"})
    void backpropMatchesCentralDifferences(String layers) {
        int[] sizes = java.util.Arrays.stream(layers.split(",")).mapToInt(Integer::parseInt).toArray();
        SoftmaxMlp net = new SoftmaxMlp(9, sizes);
        SplittableRandom rng = new SplittableRandom(17);
        double[] p = new double[net.parameterCount()];
        net.initialize(p, rng);
        int n = 9;
        double[] x = inputs(rng, n, sizes[0]);
        int[] y = labels(rng, n, net.classes());
        double[] g = new double[p.length];
        double loss = net.loss(p, x, y, n, g);
        assertThat(loss).isEqualTo(net.loss(p, x, y, n, null));
        double h = 1e-6;
        for (int i = 0; i < p.length; i++) {
            double fd = centralDifference(net, p, x, y, n, i, h);
            assertThat(g[i]).as("parameter %d", i).isCloseTo(fd, within(1e-7 * (1 + Math.abs(fd))));
        }
    }

    /** The full digits network on 32 samples: 400 parameters spread over every tensor. */
    @Test
    void fullSizeGradientMatchesCentralDifferencesOnASample() {
        SoftmaxMlp net = new SoftmaxMlp(32, 64, 128, 128, 10);
        SplittableRandom rng = new SplittableRandom(5);
        double[] p = new double[net.parameterCount()];
        net.initialize(p, rng);
        int n = 32;
        double[] x = inputs(rng, n, 64);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.abs(x[i]); // pixels are ≥ 0
        }
        int[] y = labels(rng, n, 10);
        double[] g = new double[p.length];
        net.loss(p, x, y, n, g);
        int nonZero = 0;
        for (int k = 0; k < 400; k++) {
            int i = k < 6 ? net.layout().tensors().get(k).offset() : rng.nextInt(p.length); // every tensor's first entry
            double fd = centralDifference(net, p, x, y, n, i, 1e-6);
            assertThat(g[i]).as("parameter %d", i).isCloseTo(fd, within(1e-7 * (1 + Math.abs(fd))));
            nonZero += g[i] != 0 ? 1 : 0;
        }
        assertThat(nonZero).as("most sampled gradients are non-zero").isGreaterThan(200);
    }

    private static double centralDifference(SoftmaxMlp net, double[] p, double[] x, int[] y, int n, int i, double h) {
        double keep = p[i];
        p[i] = keep + h;
        double up = net.loss(p, x, y, n, null);
        p[i] = keep - h;
        double down = net.loss(p, x, y, n, null);
        p[i] = keep;
        return (up - down) / (2 * h);
    }

    @Test
    void lossIsTheMeanCrossEntropyOfTheSoftmax() {
        SoftmaxMlp net = new SoftmaxMlp(2, 2, 3); // no hidden layer: logits z = W x + b
        double[] p = {1, 0, 0, 1, 0, 0, /* b */ 0, 0, Math.log(2)};
        double[] x = {0, 0, 1, 0};
        int[] y = {2, 0};
        // sample 1: z = (0, 0, ln 2), softmax = (1/4, 1/4, 1/2): −ln(1/2); sample 2: z = (1, 0, ln 2)
        double second = Math.log(Math.E + 1 + 2) - 1;
        assertThat(net.loss(p, x, y, 2, null)).isCloseTo((Math.log(2) + second) / 2, within(1e-15));
        SoftmaxMlp.Evaluation e = net.evaluate(p, x, y, 2);
        assertThat(e.accuracy()).isEqualTo(1.0); // argmax: class 2, then class 0
        assertThat(e.loss()).isCloseTo((Math.log(2) + second) / 2, within(1e-15));
    }

    @Test
    void evaluationInChunksAgreesWithOnePass() {
        SplittableRandom rng = new SplittableRandom(3);
        SoftmaxMlp whole = new SoftmaxMlp(23, 6, 8, 4);
        SoftmaxMlp chunked = new SoftmaxMlp(5, 6, 8, 4);
        double[] p = new double[whole.parameterCount()];
        whole.initialize(p, rng);
        double[] x = inputs(rng, 23, 6);
        int[] y = labels(rng, 23, 4);
        SoftmaxMlp.Evaluation a = whole.evaluate(p, x, y, 23);
        SoftmaxMlp.Evaluation b = chunked.evaluate(p, x, y, 23);
        assertThat(b.accuracy()).isEqualTo(a.accuracy());
        assertThat(b.loss()).isCloseTo(a.loss(), within(1e-14)); // only the order of the sum differs
        assertThat(a.loss()).isCloseTo(whole.loss(p, x, y, 23, null), within(1e-15));
    }

    @Test
    void initializationIsPyTorchsLinearDefaultAndSeeded() {
        SoftmaxMlp net = new SoftmaxMlp(1, 64, 128, 10);
        double[] a = new double[net.parameterCount()];
        double[] b = new double[net.parameterCount()];
        net.initialize(a, new SplittableRandom(9));
        net.initialize(b, new SplittableRandom(9));
        assertThat(a).isEqualTo(b);
        for (ParamLayout.Tensor t : net.layout().tensors()) {
            double limit = t.name().endsWith("1") ? 1 / Math.sqrt(64) : 1 / Math.sqrt(128);
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                assertThat(Math.abs(a[i])).as(t.name()).isLessThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void rejectsBadInputNamingTheProblem() {
        SoftmaxMlp net = new SoftmaxMlp(4, 3, 2);
        double[] p = new double[net.parameterCount()];
        assertThatThrownBy(() -> net.loss(new double[7], new double[3], new int[1], 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 8 values in params");
        assertThatThrownBy(() -> net.loss(p, new double[3], new int[] {2}, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label 2 of sample 0 is outside 0..1");
        assertThatThrownBy(() -> net.loss(p, new double[15], new int[5], 5, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceed this network's maxRows = 4");
        assertThatThrownBy(() -> net.loss(p, new double[3], new int[1], 2, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n = 2");
        assertThatThrownBy(() -> net.loss(p, new double[3], new int[1], 1, new double[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in grad");
        assertThatThrownBy(() -> new SoftmaxMlp(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SoftmaxMlp(4, 3, 1)).hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> new SoftmaxMlp(0, 3, 2)).hasMessageContaining("maxRows");
    }
}
