package org.cgd4j.benchmarks.diagonal;

import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The public step of SGD and Adam under each {@link NonFinitePolicy}: THROW scans g before the step
 * pass (one more read of g), PROPAGATE does not. SGD at d = 1e7 against ND4J is
 * {@code updaters.Nd4jUpdaterBenchmark -p optimizer=sgd} (same learning rate's cost: one pass).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PolicyStepBenchmark {
    @Param({"sgd", "adam"})
    public String optimizer;

    @Param({"THROW", "PROPAGATE"})
    public String policy;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"10000000"})
    public int d;

    private Optimizer opt;
    private StepArrays arrays;

    @Setup(Level.Trial)
    public void setUp() {
        CgdConfig config = optimizer.equals("sgd") ? CgdConfig.sgd(1e-3) : AdamStepBenchmark.ADAM;
        opt = Optimizer.create(config.withNonFinitePolicy(NonFinitePolicy.valueOf(policy)), d);
        arrays = StepArrays.of(precision, d);
        WarmUp.untilSettled("PolicyStep " + optimizer + " " + policy + " " + precision + " d=" + d, true, this::step);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opt.close();
    }

    @Benchmark
    public void step() {
        arrays.step(opt);
    }
}
