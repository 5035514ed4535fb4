package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * CgdUpdater.adam against ND4J's own Adam on the Iris network (4→16→3, full batch, 200 iterations
 * from the same initial parameters): ND4J folds the bias corrections into the step size and adds ε
 * to √v; CgdUpdater.adam does the same (BiasCorrection.STEP_SIZE), so the two differ only by rounding
 * (ND4J's native op and cgd4j's kernels order the products differently). Stated tolerances, on every
 * parameter after 200 iterations: float |Δ| ≤ 1e-5·max(1, |q|) (measured 5.5e-7); double |Δ| ≤ 1e-13·max(1, |q|)
 * (measured 5.6e-16).
 */
class CgdUpdaterAdamTest {
    private static final int ITERATIONS = 200;

    /** Max over parameters of |a − b| / max(1, |b|). */
    private static double maxRelativeDifference(INDArray a, INDArray b) {
        double[] x = a.castTo(DataType.DOUBLE).toDoubleVector();
        double[] y = b.castTo(DataType.DOUBLE).toDoubleVector();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
        }
        return worst;
    }

    private static double trainBoth(IUpdater theirs, IUpdater ours, DataType type) {
        DataSet data = Iris.data(type);
        MultiLayerNetwork reference = Iris.network(theirs, type);
        MultiLayerNetwork cgd = Iris.network(ours, type);
        cgd.setParams(reference.params().dup());
        double scoreBefore = reference.score(data);
        for (int i = 0; i < ITERATIONS; i++) {
            reference.fit(data);
            cgd.fit(data);
        }
        assertThat(reference.score(data)).isLessThan(scoreBefore * 0.5); // it trained
        assertThat(cgd.getIterationCount()).isEqualTo(ITERATIONS);
        return maxRelativeDifference(cgd.params(), reference.params());
    }

    @Test
    void floatNetworkMatchesNd4jAdam() {
        double difference = trainBoth(new Adam(0.01, 0.9, 0.999, 1e-8), CgdUpdater.adam(0.01, 0.9, 0.999, 1e-8), DataType.FLOAT);
        System.out.println("float: max relative difference after " + ITERATIONS + " iterations = " + difference);
        assertThat(difference).isLessThanOrEqualTo(1e-5);
    }

    @Test
    void doubleNetworkWithAScheduleMatchesNd4jAdam() {
        ISchedule schedule = new ExponentialSchedule(ScheduleType.ITERATION, 0.02, 0.99);
        double difference = trainBoth(new Adam(schedule), CgdUpdater.adam(schedule), DataType.DOUBLE);
        System.out.println("double: max relative difference after " + ITERATIONS + " iterations = " + difference);
        assertThat(difference).isLessThanOrEqualTo(1e-13);
    }

    @Test
    void equalUpdatersShareOneUpdaterBlock() {
        MultiLayerNetwork net = Iris.network(CgdUpdater.adam(0.01), DataType.FLOAT);
        net.fit(Iris.data(DataType.FLOAT)); // the updater is built lazily
        assertThat(((MultiLayerUpdater) net.getUpdater()).getUpdaterBlocks()).hasSize(1);
        assertThat(net.getUpdater().getStateViewArray().length()).isEqualTo(2 * net.numParams());
    }
}
