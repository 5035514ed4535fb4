package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.StructuredUpdate;
import org.cgd4j.engine.ParamLayout;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * FULL and KRONECKER per layer on the Iris network (double; KRONECKER float too): bindLayers gives each layer's updater its
 * tensors' shapes (DL4J's 'f'-order weights lie as the transposed matrix), DL4J's state view for a
 * layer is the sum of its tensors' engine state, the network trains, ModelSerializer keeps the whole
 * state (save mid-training, restore without binding again, continue: bit for bit the uninterrupted
 * run), the bound configuration round-trips through JSON, and what it cannot run is refused.
 */
class StructuredUpdaterTest {
    private static final int HALF = 15;

    private static MultiLayerNetwork bound(CgdUpdater updater) {
        return bound(updater, DataType.DOUBLE);
    }

    private static MultiLayerNetwork bound(CgdUpdater updater, DataType type) {
        MultiLayerNetwork net = Iris.network(updater, type);
        assertThat(CgdUpdater.bindLayers(net)).isEqualTo(2);
        return net;
    }

    @Test
    void bindingGivesEachLayerItsTensorsAndStateSizes() {
        CgdUpdater kron = CgdUpdater.kronecker(0.01, 9, 99, 0.5, 1e-8);
        MultiLayerNetwork net = bound(kron);
        CgdUpdater first = (CgdUpdater) ((BaseLayer) net.getLayer(0).conf().getLayer()).getIUpdater();
        assertThat(first.layer()).isEqualTo("layer0");
        assertThat(first.boundTensors()).isEqualTo(ParamLayout.builder().matrix("W", 16, 4).vector("b", 16).build());
        assertThat(net.getLayerWiseConfigurations().getConf(1).getLayer()).isSameAs(net.getLayer(1).conf().getLayer());
        net.fit(Iris.data(DataType.DOUBLE));
        assertThat(((MultiLayerUpdater) net.getUpdater()).getUpdaterBlocks()).hasSize(2); // bound to different layers
        long expected = 0;
        for (int[][] tensor : new int[][][] {{{16, 4}}, {{16}}, {{3, 16}}, {{3}}}) {
            expected += StructuredUpdate.stateBytes(kron.config(), ParamLayout.builder().tensor("t", tensor[0]).build());
        }
        assertThat(net.getUpdater().getStateViewArray().length() * Double.BYTES).isEqualTo(expected);
    }

    @Test
    void fullCgdAndKroneckerTrainIris() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            DataSet data = Iris.data(type);
            for (CgdUpdater updater : new CgdUpdater[] {CgdUpdater.fullCgd(0.01, 9, 99, 0.5, 1e-8),
                    CgdUpdater.kronecker(0.01, 9, 99, 0.5, 1e-8)}) {
                if (type == DataType.FLOAT && updater.structure() == org.cgd4j.engine.Structure.FULL) {
                    continue; // FULL keeps double state: refusesFloatFull
                }
                MultiLayerNetwork net = bound(updater, type);
                double before = net.score(data);
                for (int i = 0; i < 60; i++) {
                    net.fit(data);
                }
                assertThat(net.score(data)).as("%s %s", updater.structure(), type).isLessThan(before * 0.5);
            }
        }
    }

    @Test
    void doubleKroneckerRestoredMidTrainingContinuesBitForBit() throws IOException {
        restoredMidTrainingContinuesBitForBit(DataType.DOUBLE);
    }

    @Test
    void floatKroneckerRestoredMidTrainingContinuesBitForBit() throws IOException {
        restoredMidTrainingContinuesBitForBit(DataType.FLOAT);
    }

    private static void restoredMidTrainingContinuesBitForBit(DataType type) throws IOException {
        DataSet data = Iris.data(type);
        CgdUpdater updater = CgdUpdater.of(CgdConfig.diagonalCgd(0.01, 9, 99, 0.5, 1e-8).withDebias(true)
                .withStructure(org.cgd4j.engine.Structure.KRONECKER).withRefreshEvery(4).withBlockSize(8));
        MultiLayerNetwork uninterrupted = bound(updater, type);
        MultiLayerNetwork first = bound(updater.clone(), type);
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
        assertThat(restored.getUpdater().getStateViewArray().dataType()).isEqualTo(type);
        assertThat(restored.params().toDoubleVector()).containsExactly(uninterrupted.params().toDoubleVector());
        assertThat(restored.getUpdater().getStateViewArray().toDoubleVector())
                .containsExactly(uninterrupted.getUpdater().getStateViewArray().toDoubleVector());
    }

    @Test
    void boundConfigurationsRoundTripThroughJson() {
        for (CgdUpdater updater : new CgdUpdater[] {CgdUpdater.kronecker(1e-3, 9, 99, 0.5, 1e-8),
                CgdUpdater.fullCgd(1e-3, 9, 99, 0.75, 1e-6)}) {
            MultiLayerConfiguration unbound = Iris.configuration(updater, DataType.DOUBLE);
            assertThat(MultiLayerConfiguration.fromJson(unbound.toJson())).isEqualTo(unbound);
            MultiLayerNetwork net = bound(updater);
            MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
            MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
            assertThat(((BaseLayer) back.getConf(1).getLayer()).getIUpdater())
                    .isEqualTo(((BaseLayer) conf.getConf(1).getLayer()).getIUpdater());
            assertThat(back.toJson()).isEqualTo(conf.toJson());
        }
    }

    @Test
    void refusesUnboundUninitialisedFloatFullAndSkip() {
        DataSet data = Iris.data(DataType.DOUBLE);
        MultiLayerNetwork unbound = Iris.network(CgdUpdater.kronecker(0.01, 9, 99, 0.5, 1e-8), DataType.DOUBLE);
        assertThatThrownBy(() -> unbound.fit(data)).hasMessageContaining("CgdUpdater.bindLayers(net)");
        MultiLayerNetwork notInitialized = new MultiLayerNetwork(Iris.configuration(CgdUpdater.kronecker(0.01, 9, 99, 0.5, 1e-8),
                DataType.DOUBLE));
        assertThatThrownBy(() -> CgdUpdater.bindLayers(notInitialized)).hasMessageContaining("call net.init() before bindLayers");
        MultiLayerNetwork floatFull = Iris.network(CgdUpdater.fullCgd(0.01, 9, 99, 0.5, 1e-8), DataType.FLOAT);
        CgdUpdater.bindLayers(floatFull);
        assertThatThrownBy(() -> floatFull.fit(Iris.data(DataType.FLOAT))).hasMessageContaining("DOUBLE networks only");
        assertThatThrownBy(() -> CgdUpdater.of(CgdConfig.fullCgd(0.01, 9, 99, 0.5, 1e-8).withNonFinitePolicy(NonFinitePolicy.SKIP)))
                .hasMessageContaining("SKIP");
        assertThatThrownBy(() -> CgdUpdater.of(CgdConfig.fullCgd(0.01, 9, 99, 0.5, 1e-8), CgdUpdater.BiasCorrection.STEP_SIZE, null))
                .hasMessageContaining("STEP_SIZE");
    }
}
