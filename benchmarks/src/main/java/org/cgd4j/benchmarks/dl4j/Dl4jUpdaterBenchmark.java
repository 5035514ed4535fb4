package org.cgd4j.benchmarks.dl4j;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.dl4j.CgdUpdater;
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
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DL4J with ND4J's {@code Adam} ({@code updater=nd4j}, its native adam_updater op) against
 * {@code CgdUpdater.adam} with the same hyperparameters ({@code updater=cgd4j}: the same update up to
 * rounding, in place on the same off-heap buffers through MemorySegments), at d parameters:
 *
 * <ul>
 *   <li>{@link #updater} and {@link #step}: DL4J's updater phase for one updater block of d parameters
 *       (a network whose layers share one updater has one block), as DL4J runs it:
 *       {@code applyUpdater(gradientView, iteration, epoch)} turns the gradient view into the update in
 *       place ({@link #updater} times that alone), then {@code params.subi(gradientView)} ({@link #step}).
 *       Both state views come from {@code config.instantiate(view, true)} on a [1, 2d] array (DL4J's
 *       layout). The gradient is restored from a pristine copy before each call, untimed
 *       ({@code Level.Invocation}: in DL4J back-propagation writes it).</li>
 *   <li>{@link #fit}: one whole DL4J training iteration, {@code MultiLayerNetwork.fit} on one synthetic
 *       batch of 32 rows (forward, backward, the updater phase), for a 784→h→h→10 ReLU/softmax MLP with
 *       h chosen so that it has about d parameters (h = 678: 999 382 at d = 1e6; h = 2789: 9 998 ...
 *       at d = 1e7). Its updater phase is {@link #step} at the same d; the difference is what the
 *       updater saves of an iteration.</li>
 * </ul>
 *
 * <p>Threads: {@code Environment.setMaxThreads(threads)}; run with OMP_NUM_THREADS = threads (ND4J's
 * forward, backward and Adam). CgdUpdater's DIAGONAL step runs on the calling thread whatever the
 * count (DL4J runs one block at a time). Bytes allocated per operation: JMH's {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-modules", "jdk.incubator.vector", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class Dl4jUpdaterBenchmark {
    /** Rows of the synthetic batch {@link #fit} trains on. */
    static final int BATCH = 32;
    static final int INPUTS = 784, CLASSES = 10;

    @Param({"nd4j", "cgd4j"})
    public String updater;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"100000", "1000000", "10000000"})
    public int d;

    @Param({"1"})
    public int threads;

    DataType type() {
        return precision.equals("f32") ? DataType.FLOAT : DataType.DOUBLE;
    }

    IUpdater config() {
        return updater.equals("cgd4j") ? CgdUpdater.adam(1e-3, 0.9, 0.999, 1e-8) : new Adam(1e-3, 0.9, 0.999, 1e-8);
    }

    @Setup(Level.Trial)
    public void setThreads() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }

    /** One updater block of d parameters: its params, gradient view (and a pristine copy) and GradientUpdater. */
    @State(Scope.Benchmark)
    public static class Block {
        INDArray params;
        INDArray gradient;
        INDArray pristineGradient;
        GradientUpdater<?> gradientUpdater;
        int iteration;

        @Setup(Level.Trial)
        public void setUp(Dl4jUpdaterBenchmark b) {
            DataType type = b.type();
            Random random = new Random(20250407L);
            double[] g = new double[b.d];
            double[] q = new double[b.d];
            for (int i = 0; i < b.d; i++) {
                g[i] = random.nextGaussian() * 1e-2;
                q[i] = random.nextGaussian();
            }
            params = Nd4j.createFromArray(q).castTo(type).reshape(1, b.d);
            pristineGradient = Nd4j.createFromArray(g).castTo(type).reshape(1, b.d);
            gradient = pristineGradient.dup();
            IUpdater config = b.config();
            gradientUpdater = config.instantiate(Nd4j.zeros(type, 1, config.stateSize(b.d)), true);
            iteration = 0;
            WarmUp.untilSettled("Dl4jUpdater block " + b.updater + " " + b.precision + " d=" + b.d, false, () -> {
                restoreGradient();
                b.step(this);
            });
        }

        @Setup(Level.Invocation)
        public void restoreGradient() {
            gradient.assign(pristineGradient);
        }
    }

    /** The 784→h→h→10 MLP of about d parameters and one synthetic batch. */
    @State(Scope.Benchmark)
    public static class Network {
        MultiLayerNetwork net;
        DataSet batch;

        @Setup(Level.Trial)
        public void setUp(Dl4jUpdaterBenchmark b) {
            int h = hiddenWidth(b.d);
            MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                    .seed(1).dataType(b.type()).updater(b.config()).weightInit(WeightInit.XAVIER)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(INPUTS).nOut(h).activation(Activation.RELU).build())
                    .layer(new DenseLayer.Builder().nIn(h).nOut(h).activation(Activation.RELU).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(h).nOut(CLASSES)
                            .activation(Activation.SOFTMAX).build())
                    .build();
            net = new MultiLayerNetwork(conf);
            net.init();
            Random random = new Random(11);
            double[][] x = new double[BATCH][INPUTS];
            double[][] y = new double[BATCH][CLASSES];
            for (int r = 0; r < BATCH; r++) {
                for (int c = 0; c < INPUTS; c++) {
                    x[r][c] = random.nextDouble();
                }
                y[r][random.nextInt(CLASSES)] = 1;
            }
            batch = new DataSet(Nd4j.create(x).castTo(b.type()), Nd4j.create(y).castTo(b.type()));
            WarmUp.untilSettled("Dl4jUpdater fit " + b.updater + " " + b.precision + " d=" + b.d, false, () -> net.fit(batch));
        }
    }

    /** h with 784h + h + h² + h + 10h + 10 (weights and biases of the three layers) closest to d from below. */
    static int hiddenWidth(long d) {
        double b = INPUTS + 1 + 1 + CLASSES;
        return (int) Math.floor((-b + Math.sqrt(b * b + 4.0 * (d - CLASSES))) / 2);
    }

    /** The updater alone: applyUpdater, without the subtraction. */
    @Benchmark
    public INDArray updater(Block block) {
        block.gradientUpdater.applyUpdater(block.gradient, block.iteration++, 0);
        return block.gradient;
    }

    /** The updater phase as DL4J runs it: applyUpdater, then params −= update. */
    @Benchmark
    public INDArray step(Block block) {
        block.gradientUpdater.applyUpdater(block.gradient, block.iteration++, 0);
        return block.params.subi(block.gradient);
    }

    /** One whole training iteration: {@code fit} on the batch (forward, backward, updater phase). */
    @Benchmark
    public double fit(Network network) {
        network.net.fit(network.batch);
        return network.net.score();
    }
}
