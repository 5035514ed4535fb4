package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A ComputationGraph (the Iris network as a graph: in → dense → out) trains with CgdUpdater: its
 * Adam matches ND4J's Adam as in the MultiLayerNetwork test (double, 100 iterations, |Δ| ≤
 * 1e-13·max(1, |q|) on every parameter), and bindLayers binds a graph's KRONECKER updaters by vertex
 * name, after which it trains.
 */
class ComputationGraphTest {

    private static ComputationGraph graph(IUpdater updater) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42).dataType(DataType.DOUBLE).updater(updater).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void adamMatchesNd4jAdamOnAGraph() {
        DataSet data = Iris.data(DataType.DOUBLE);
        ComputationGraph reference = graph(new Adam(0.01));
        ComputationGraph cgd = graph(CgdUpdater.adam(0.01));
        cgd.setParams(reference.params().dup());
        for (int i = 0; i < 100; i++) {
            reference.fit(data);
            cgd.fit(data);
        }
        double[] x = cgd.params().toDoubleVector();
        double[] y = reference.params().toDoubleVector();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
        }
        System.out.println("graph, double: max relative difference after 100 iterations = " + worst);
        assertThat(worst).isLessThanOrEqualTo(1e-13);
        assertThat(cgd.getConfiguration().getIterationCount()).isEqualTo(100);
    }

    @Test
    void kroneckerBindsByVertexNameAndTrainsAGraph() {
        DataSet data = Iris.data(DataType.DOUBLE);
        ComputationGraph graph = graph(CgdUpdater.kronecker(0.01, 9, 99, 0.5, 1e-8));
        assertThat(CgdUpdater.bindLayers(graph)).isEqualTo(2);
        CgdUpdater hidden = (CgdUpdater) graph.getLayer("hidden").conf().getLayer().getUpdaterByParam("W");
        assertThat(hidden.layer()).isEqualTo("hidden");
        double before = graph.score(data);
        for (int i = 0; i < 60; i++) {
            graph.fit(data);
        }
        assertThat(graph.score(data)).isLessThan(before * 0.5);
    }
}
