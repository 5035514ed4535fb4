package org.cgd4j.benchmarks.updaters;

import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdaBeliefUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.IUpdater;
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
 * One optimizer step applied the way DL4J applies it: {@code updater.applyUpdater(gradient,
 * iteration, epoch)} turns the gradient view into the update in place, then
 * {@code params.subi(gradient)}. Arrays are [1, d] row vectors like DL4J's flattened views; the state
 * view comes from {@code config.instantiate(view, true)}.
 *
 * <p>Because applyUpdater overwrites the gradient, it is restored from a pristine copy before every
 * call in an untimed {@code Level.Invocation} set-up (in DL4J back-propagation writes it). That set-up
 * adds JMH's per-invocation time-stamping (tens of ns) to the score, small against ND4J's
 * microseconds per op.
 *
 * <p>Threads: {@code Environment.setMaxThreads/setMaxMasterThreads(threads)}; benchmarks/run.sh also
 * sets OMP_NUM_THREADS and OPENBLAS_NUM_THREADS for the forked JVMs. In ND4J's favour, the fork runs
 * with {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes=0}: JavaCPP otherwise reads the process's
 * resident size on its per-op native allocations (measured 15-25% of an Adam step at d = 1e3).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class Nd4jUpdaterBenchmark {
    @Param({"sgd", "rmsprop", "adam", "adabelief"})
    public String optimizer;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"100", "1000", "10000", "100000", "1000000", "10000000"})
    public int d;

    @Param({"1", "2"})
    public int threads;

    private INDArray params;
    private INDArray gradient;
    private INDArray pristineGradient;
    private GradientUpdater<?> updater;
    private int iteration;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        DataType type = switch (precision) {
            case "f32" -> DataType.FLOAT;
            case "f64" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("unknown precision: " + precision);
        };
        Nd4j.setDefaultDataTypes(type, type);
        prime(type);
        double[] g = UpdaterSettings.gradient(d);
        double[] q = UpdaterSettings.parameters(d);
        params = row(q, type);
        pristineGradient = row(g, type);
        gradient = pristineGradient.dup();
        IUpdater config = UpdaterSettings.nd4j(optimizer);
        long stateSize = config.stateSize(d);
        INDArray view = stateSize == 0 ? null : Nd4j.zeros(type, 1, stateSize);
        updater = instantiate(config, view, d);
        iteration = 0;
        WarmUp.untilSettled("nd4j " + optimizer + " " + precision + " d=" + d + " threads=" + threads, false, () -> {
            restoreGradient();
            step();
        });
    }

    /**
     * {@code config.instantiate(view, true)}, except for AdaBelief: in ND4J 1.0.0-M2.1
     * {@code AdaBelief.instantiate} reshapes the view to 1-D and then reads shape[1], so it always
     * throws ArrayIndexOutOfBoundsException. Its updater is built the way that method means to
     * (and Adam.instantiate does): the view split for a [1, d] gradient in 'c' order.
     */
    private static GradientUpdater<?> instantiate(IUpdater config, INDArray view, int d) {
        if (config instanceof AdaBelief adaBelief) {
            AdaBeliefUpdater updater = new AdaBeliefUpdater(adaBelief);
            updater.setStateViewArray(view, new long[] {1, d}, 'c', true);
            return updater;
        }
        return config.instantiate(view, true);
    }

    /**
     * As CgdUpdaterBenchmark does: the same updater at a small d first, so the JIT has the Java side
     * compiled; then {@link WarmUp} at the measured d (ND4J allocates Java objects on every op, so
     * only the JIT's quiet is awaited, not zero allocation).
     */
    private void prime(DataType type) {
        int n = UpdaterSettings.PRIME_DIMENSION;
        IUpdater config = UpdaterSettings.nd4j(optimizer);
        long stateSize = config.stateSize(n);
        GradientUpdater<?> warm = instantiate(config, stateSize == 0 ? null : Nd4j.zeros(type, 1, stateSize), n);
        INDArray q = row(UpdaterSettings.parameters(n), type);
        INDArray pristine = row(UpdaterSettings.gradient(n), type);
        INDArray g = pristine.dup();
        for (int i = 0; i < UpdaterSettings.ND4J_PRIME_STEPS; i++) {
            g.assign(pristine);
            warm.applyUpdater(g, i, 0);
            q.subi(g);
        }
    }

    private static INDArray row(double[] values, DataType type) {
        INDArray array = type == DataType.FLOAT
                ? Nd4j.createFromArray(UpdaterSettings.toFloat(values))
                : Nd4j.createFromArray(values);
        return array.reshape(1, values.length);
    }

    @Setup(Level.Invocation)
    public void restoreGradient() {
        gradient.assign(pristineGradient);
    }

    @Benchmark
    public INDArray step() {
        updater.applyUpdater(gradient, iteration++, 0);
        return params.subi(gradient);
    }
}
