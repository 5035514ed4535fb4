package org.cgd4j.dl4j;

import java.io.File;
import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** README's "Using cgd4j from DL4J" example, compiled and run by {@link ReadmeExampleTest}; README quotes the marked block. */
final class ReadmeExample {
    private ReadmeExample() {}

    /** Trains a 64→64→10 MLP with Kronecker CGD for {@code epochs} over {@code batches}, saves it, restores it, trains one more epoch. */
    static MultiLayerNetwork train(List<DataSet> batches, int epochs, File file) throws IOException {
        // README-BEGIN
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.DOUBLE)                               // KRONECKER: FLOAT or DOUBLE; FULL: DOUBLE
                .updater(CgdUpdater.kronecker(0.005, 9, 99, 0.5, 1e-8))  // was .updater(new Adam(1e-3))
                // .updater(CgdUpdater.adam(1e-3))                        // ND4J's Adam, faster (float or double)
                // .updater(CgdUpdater.adamW(1e-3, 0.9, 0.999, 1e-8)).weightDecay(0.01)   // PyTorch's AdamW
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new DenseLayer.Builder().nIn(64).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        CgdUpdater.bindLayers(net);            // FULL and KRONECKER: give each layer's updater its tensors' shapes
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (DataSet batch : batches) {
                net.fit(batch);
            }
        }
        ModelSerializer.writeModel(net, file, true);   // true: with the updater state, all of cgd4j's
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        for (DataSet batch : batches) {
            restored.fit(batch);                       // continues: factors, moments and t as they were
        }
        // README-END
        return restored;
    }
}
