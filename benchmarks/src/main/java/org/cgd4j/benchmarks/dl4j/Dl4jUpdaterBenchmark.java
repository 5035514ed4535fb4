package org.cgd4j.benchmarks.dl4j;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cgd4j.dl4j.CgdUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
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
 * DL4J's updater phase for one updater block of d parameters, as DL4J runs it:
 * {@code applyUpdater(gradientView, iteration, epoch)} turns the gradient view into the update in
 * place, then {@code params.subi(gradientView)}. {@code updater=nd4j}: ND4J's {@code Adam}
 * (its native adam_updater op); {@code updater=cgd4j}: {@code CgdUpdater.adam} with the same
 * hyperparameters (the same update up to rounding; steps in place on the same off-heap buffers through
 * MemorySegments). Both state views come from {@code config.instantiate(view, true)} on a [1, 2d] array
 * (DL4J's layout). The gradient is restored from a pristine copy before each call, untimed
 * ({@code Level.Invocation}: in DL4J back-propagation writes it). {@link #updater()} times applyUpdater
 * alone, {@link #step()} with the subtraction.
 *
 * <p>ND4J threads: {@code Environment.setMaxThreads(threads)}; run with OMP_NUM_THREADS = threads.
 * cgd4j's step runs on the calling thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "--add-modules", "jdk.incubator.vector", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class Dl4jUpdaterBenchmark {
    @Param({"nd4j", "cgd4j"})
    public String updater;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"100000", "1000000", "10000000"})
    public int d;

    @Param({"1"})
    public int threads;

    private INDArray params;
    private INDArray gradient;
    private INDArray pristineGradient;
    private GradientUpdater<?> gradientUpdater;
    private int iteration;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        DataType type = precision.equals("f32") ? DataType.FLOAT : DataType.DOUBLE;
        Random random = new Random(20250407L);
        double[] g = new double[d];
        double[] q = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = random.nextGaussian() * 1e-2;
            q[i] = random.nextGaussian();
        }
        params = Nd4j.createFromArray(q).castTo(type).reshape(1, d);
        pristineGradient = Nd4j.createFromArray(g).castTo(type).reshape(1, d);
        gradient = pristineGradient.dup();
        IUpdater config = updater.equals("cgd4j") ? CgdUpdater.adam(1e-3, 0.9, 0.999, 1e-8) : new Adam(1e-3, 0.9, 0.999, 1e-8);
        gradientUpdater = config.instantiate(Nd4j.zeros(type, 1, config.stateSize(d)), true);
        iteration = 0;
    }

    @Setup(Level.Invocation)
    public void restoreGradient() {
        gradient.assign(pristineGradient);
    }

    /** The updater alone: applyUpdater, without the subtraction. */
    @Benchmark
    public INDArray updater() {
        gradientUpdater.applyUpdater(gradient, iteration++, 0);
        return gradient;
    }

    /** The updater phase as DL4J runs it: applyUpdater, then params −= update. */
    @Benchmark
    public INDArray step() {
        gradientUpdater.applyUpdater(gradient, iteration++, 0);
        return params.subi(gradient);
    }
}
