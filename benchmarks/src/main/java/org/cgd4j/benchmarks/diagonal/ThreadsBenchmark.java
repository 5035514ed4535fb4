package org.cgd4j.benchmarks.diagonal;

import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
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
 * An Adam step at large d split over {@code threads} (CgdConfig.threads, the optimizer's own worker
 * pool), Vector API kernels; both the non-finite scan and the step pass are split.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ThreadsBenchmark {
    @Param({"1", "2"})
    public int threads;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"10000000"})
    public int d;

    private Optimizer optimizer;
    private StepArrays arrays;

    @Setup(Level.Trial)
    public void setUp() {
        optimizer = Optimizer.create(AdamStepBenchmark.ADAM.withThreads(threads), d);
        arrays = StepArrays.of(precision, d);
        WarmUp.untilSettled("Threads " + threads + " " + precision + " d=" + d, true, this::step);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
    }

    @Benchmark
    public void step() {
        arrays.step(optimizer);
    }
}
