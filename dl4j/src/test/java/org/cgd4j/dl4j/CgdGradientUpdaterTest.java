package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cgd4j.engine.CgdConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * The GradientUpdater on ND4J arrays without a network: views at an offset inside a larger buffer
 * (as DL4J's blocks are) are addressed where they are; non-contiguous views and configs it cannot
 * run are refused with a message, nothing written (FULL and KRONECKER: StructuredUpdaterTest).
 */
class CgdGradientUpdaterTest {

    @Test
    void viewsAtAnOffsetStepLikeStandaloneArrays() {
        CgdUpdater adam = CgdUpdater.adam(0.01);
        INDArray gradients = Nd4j.linspace(DataType.FLOAT, -3, 0.37, 40);
        INDArray states = Nd4j.zeros(DataType.FLOAT, 100);
        INDArray gradientView = gradients.get(NDArrayIndex.interval(7, 17));
        INDArray stateView = states.get(NDArrayIndex.interval(31, 51));
        INDArray gradient = gradientView.dup();
        INDArray state = Nd4j.zeros(DataType.FLOAT, 20);
        GradientUpdater<CgdUpdater> onViews = adam.instantiate(stateView, true);
        GradientUpdater<CgdUpdater> standalone = adam.instantiate(state, true);
        INDArray gradientsBefore = gradients.dup();
        for (int iteration = 0; iteration < 3; iteration++) {
            onViews.applyUpdater(gradientView, iteration, 0);
            standalone.applyUpdater(gradient, iteration, 0);
            assertThat(gradientView.toFloatVector()).containsExactly(gradient.toFloatVector());
            assertThat(stateView.toFloatVector()).containsExactly(state.toFloatVector());
            gradientView.assign(gradientsBefore.get(NDArrayIndex.interval(7, 17)));
            gradient.assign(gradientView);
        }
        // nothing outside the views was touched
        assertThat(gradients.get(NDArrayIndex.interval(0, 7)).toFloatVector())
                .containsExactly(gradientsBefore.get(NDArrayIndex.interval(0, 7)).toFloatVector());
        assertThat(states.get(NDArrayIndex.interval(0, 31)).sumNumber().doubleValue()).isZero();
        assertThat(states.get(NDArrayIndex.interval(51, 100)).sumNumber().doubleValue()).isZero();
        assertThat(onViews.getState()).containsOnlyKeys("negM", "S");
    }

    @Test
    void refusesNonContiguousViewsAndOtherTypes() {
        CgdUpdater adam = CgdUpdater.adam(0.01);
        INDArray matrix = Nd4j.rand(DataType.FLOAT, 10, 10);
        INDArray column = matrix.getColumn(0); // stride 10
        INDArray before = matrix.dup();
        GradientUpdater<CgdUpdater> updater = adam.instantiate(Nd4j.zeros(DataType.FLOAT, 20), true);
        assertThatThrownBy(() -> updater.applyUpdater(column, 0, 0)).hasMessageContaining("not contiguous");
        assertThat(matrix.toFloatMatrix()).isEqualTo(before.toFloatMatrix());
        assertThatThrownBy(() -> adam.instantiate(Nd4j.zeros(DataType.INT32, 20), true)).hasMessageContaining("FLOAT and DOUBLE networks only");
        assertThatThrownBy(() -> updater.applyUpdater(Nd4j.zeros(DataType.DOUBLE, 10), 0, 0))
                .hasMessageContaining("DOUBLE but the updater state is FLOAT");
    }

    @Test
    void refusesWhatDl4jDoesItself() {
        assertThatThrownBy(() -> CgdUpdater.of(CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, 0.01)))
                .hasMessageContaining(".weightDecay(0.01)");
        assertThatThrownBy(() -> CgdUpdater.of(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withL2(1e-4)))
                .hasMessageContaining(".l2(1.0E-4)");
        assertThatThrownBy(() -> CgdUpdater.of(CgdConfig.sgd(0.1), CgdUpdater.BiasCorrection.STEP_SIZE, null))
                .hasMessageContaining("debias = false");
    }
}
