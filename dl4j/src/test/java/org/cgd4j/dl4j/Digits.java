package org.cgd4j.dl4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The UCI digits (src/test/resources/data, see its README) as the tests use them: pixels / 16, labels
 * one-hot, rows shuffled once with a fixed seed into 1497 training and 300 held-out rows; and a
 * 64→64(ReLU)→10(softmax) MLP.
 */
final class Digits {
    static final int ROWS = 1797, FEATURES = 64, CLASSES = 10, HELD_OUT = 300;

    private Digits() {}

    /** {training, held out}, in {@code type}. */
    static DataSet[] split(DataType type) {
        List<double[]> rows = new ArrayList<>();
        try (var in = new GZIPInputStream(Digits.class.getResourceAsStream("/data/digits.csv.gz"));
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                rows.add(java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rows.size() != ROWS) {
            throw new IllegalStateException("digits.csv.gz has " + rows.size() + " rows, expected " + ROWS);
        }
        Collections.shuffle(rows, new Random(2026));
        return new DataSet[] {dataSet(rows.subList(0, ROWS - HELD_OUT), type), dataSet(rows.subList(ROWS - HELD_OUT, ROWS), type)};
    }

    private static DataSet dataSet(List<double[]> rows, DataType type) {
        double[][] x = new double[rows.size()][FEATURES];
        double[][] y = new double[rows.size()][CLASSES];
        for (int r = 0; r < rows.size(); r++) {
            double[] row = rows.get(r);
            for (int c = 0; c < FEATURES; c++) {
                x[r][c] = row[c] / 16;
            }
            y[r][(int) row[FEATURES]] = 1;
        }
        return new DataSet(Nd4j.create(x).castTo(type), Nd4j.create(y).castTo(type));
    }

    static MultiLayerConfiguration configuration(IUpdater updater, DataType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(type)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new DenseLayer.Builder().nIn(FEATURES).nOut(64).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(64).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .build();
    }

    /** Trains {@code net} for {@code epochs} passes over {@code training} in mini-batches of {@code batch} (fixed order). */
    static void train(MultiLayerNetwork net, DataSet training, int epochs, int batch) {
        List<DataSet> batches = training.batchBy(batch);
        for (int e = 0; e < epochs; e++) {
            for (DataSet b : batches) {
                net.fit(b);
            }
        }
    }

    /** The fraction of {@code data}'s rows whose arg-max output is the label. */
    static double accuracy(MultiLayerNetwork net, DataSet data) {
        INDArray predicted = net.output(data.getFeatures()).argMax(1);
        INDArray actual = data.getLabels().argMax(1);
        return predicted.eq(actual).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }
}
