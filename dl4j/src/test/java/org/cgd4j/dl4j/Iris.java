package org.cgd4j.dl4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The tests' data and network: Iris (src/test/resources/data, see its README), standardised, and a 4→16→3 MLP. */
final class Iris {
    private Iris() {}

    /** All 150 rows, features standardised per column, labels one-hot, in {@code type}. */
    static DataSet data(DataType type) {
        double[][] x = new double[150][4];
        double[][] y = new double[150][3];
        try (var in = Iris.class.getResourceAsStream("/data/iris.csv");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine(); // 150,4,<class names>
            for (int r = 0; r < 150; r++) {
                String[] cells = reader.readLine().split(",");
                for (int c = 0; c < 4; c++) {
                    x[r][c] = Double.parseDouble(cells[c]);
                }
                y[r][Integer.parseInt(cells[4].trim())] = 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int c = 0; c < 4; c++) {
            double mean = 0, square = 0;
            for (double[] row : x) {
                mean += row[c] / 150;
            }
            for (double[] row : x) {
                square += (row[c] - mean) * (row[c] - mean) / 150;
            }
            for (double[] row : x) {
                row[c] = (row[c] - mean) / Math.sqrt(square);
            }
        }
        return new DataSet(Nd4j.create(x).castTo(type), Nd4j.create(y).castTo(type));
    }

    /** The 4→16(tanh)→3(softmax) network with {@code updater}, seeded, in {@code type}. */
    static MultiLayerConfiguration configuration(IUpdater updater, DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(type)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    static MultiLayerNetwork network(IUpdater updater, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(updater, type));
        net.init();
        return net;
    }
}
