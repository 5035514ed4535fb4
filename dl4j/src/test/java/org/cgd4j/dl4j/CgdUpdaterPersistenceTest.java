package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.NonFinitePolicy;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * What DL4J persists (the Iris network): ModelSerializer keeps the whole optimizer state (it lives
 * in the updater-state view) and the iteration count (t), so save mid-training, restore, continue is
 * bit for bit the uninterrupted run, bias correction included (DL4J issues 3584 and 4898 lost it);
 * and a configuration with each preset round-trips through toJson/fromJson.
 */
class CgdUpdaterPersistenceTest {
    private static final int HALF = 25;

    private static void restoreAndContinueEqualsUninterrupted(CgdUpdater updater, DataType type) throws IOException {
        DataSet data = Iris.data(type);
        MultiLayerNetwork uninterrupted = Iris.network(updater, type);
        MultiLayerNetwork first = Iris.network(updater.clone(), type);
        first.setParams(uninterrupted.params().dup());
        for (int i = 0; i < 2 * HALF; i++) {
            uninterrupted.fit(data);
        }
        for (int i = 0; i < HALF; i++) {
            first.fit(data);
        }
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ModelSerializer.writeModel(first, saved, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(saved.toByteArray()), true);
        assertThat(restored.getIterationCount()).isEqualTo(HALF);
        for (int i = 0; i < HALF; i++) {
            restored.fit(data);
        }
        assertThat(restored.params().dataType()).isEqualTo(type);
        assertThat(restored.params().toDoubleVector()).as("%s", updater).containsExactly(uninterrupted.params().toDoubleVector());
        assertThat(restored.getUpdater().getStateViewArray().toDoubleVector())
                .containsExactly(uninterrupted.getUpdater().getStateViewArray().toDoubleVector());
    }

    @Test
    void floatAdamRestoredMidTrainingContinuesBitForBit() throws IOException {
        restoreAndContinueEqualsUninterrupted(CgdUpdater.adam(0.01), DataType.FLOAT);
    }

    @Test
    void doubleCovarianceCgdRestoredMidTrainingContinuesBitForBit() throws IOException {
        CgdConfig config = CgdConfig.diagonalCgd(0.01, 9, 99, 0.5, 1e-8).withDebias(true);
        restoreAndContinueEqualsUninterrupted(CgdUpdater.of(config), DataType.DOUBLE);
    }

    @Test
    void everyPresetRoundTripsThroughJson() {
        List<CgdUpdater> presets = List.of(
                CgdUpdater.adam(1e-3, 0.9, 0.999, 1e-8),
                CgdUpdater.adam(new ExponentialSchedule(ScheduleType.ITERATION, 0.01, 0.99)),
                CgdUpdater.torchAdam(1e-3, 0.9, 0.99, 1e-7),
                CgdUpdater.adamW(1e-3, 0.9, 0.999, 1e-8),
                CgdUpdater.diagonalCgd(0.01, 9, 99, 0.75, 1e-6),
                CgdUpdater.adabelief(1e-3, 0.9, 0.999, 1e-16),
                CgdUpdater.rmsprop(1e-3, 0.99, 1e-8),
                CgdUpdater.momentum(0.05, 0.9),
                CgdUpdater.sgd(0.1),
                CgdUpdater.kronecker(1e-3, 9, 99, 0.5, 1e-8),
                CgdUpdater.fullCgd(1e-3, 9, 99, 0.75, 1e-6),
                CgdUpdater.of(CgdConfig.diagonalCgd(0.01, 9, 99, 1, 1e-6).withCovarianceMean(CovarianceMean.FORCE)
                        .withNonFinitePolicy(NonFinitePolicy.SKIP)));
        for (CgdUpdater updater : presets) {
            MultiLayerConfiguration conf = Iris.configuration(updater, DataType.FLOAT);
            String json = conf.toJson();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
            assertThat(((BaseLayer) back.getConf(0).getLayer()).getIUpdater()).isEqualTo(updater);
            assertThat(((BaseLayer) back.getConf(1).getLayer()).getIUpdater()).isEqualTo(updater);
            assertThat(back).isEqualTo(conf);
            assertThat(back.toJson()).isEqualTo(json);
        }
    }
}
