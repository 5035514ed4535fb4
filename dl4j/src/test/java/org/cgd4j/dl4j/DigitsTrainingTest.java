package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Real training on the UCI digits (1497 training rows, 300 held out, 64→64→10 MLP, mini-batches of
 * 100, 6 epochs = 90 iterations, fixed seeds): diagonal CGD (float, γ = 0.02) and Kronecker CGD
 * (float, per layer, γ = 0.005; the double one runs in ReadmeExampleTest) reach a held-out accuracy of at least 93 % (measured 96.3 % and
 * 96.0 %; the printed lines give each run's figure).
 */
class DigitsTrainingTest {
    private static final int EPOCHS = 6, BATCH = 100;
    private static final double ACCURACY = 0.93;

    private static double heldOutAccuracy(IUpdater updater, DataType type, boolean bind) {
        DataSet[] split = Digits.split(type);
        MultiLayerNetwork net = new MultiLayerNetwork(Digits.configuration(updater, type));
        net.init();
        if (bind) {
            assertThat(CgdUpdater.bindLayers(net)).isEqualTo(2);
        }
        long start = System.nanoTime();
        Digits.train(net, split[0], EPOCHS, BATCH);
        double accuracy = Digits.accuracy(net, split[1]);
        System.out.printf("digits %s %s: held-out accuracy %.4f after %d iterations (%.1f s)%n", updater.getClass().getSimpleName(),
                updater, accuracy, net.getIterationCount(), (System.nanoTime() - start) / 1e9);
        return accuracy;
    }

    @Test
    void diagonalCgdReachesTheStatedAccuracy() {
        assertThat(heldOutAccuracy(CgdUpdater.diagonalCgd(0.02, 9, 99, 0.5, 1e-8), DataType.FLOAT, false))
                .isGreaterThanOrEqualTo(ACCURACY);
    }

    @Test
    void kroneckerCgdReachesTheStatedAccuracy() {
        assertThat(heldOutAccuracy(CgdUpdater.kronecker(0.005, 9, 99, 0.5, 1e-8), DataType.FLOAT, true))
                .isGreaterThanOrEqualTo(ACCURACY);
    }
}
