package org.cgd4j.benchmarks.diagonal;

import java.util.concurrent.TimeUnit;
import org.cgd4j.engine.CgdConfig;
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
 * The general power: an Adam-shaped diagonal step (SECOND_MOMENT, debias, ε = 1e-8 inside) with
 * a = 0.5 (sqrt path) against a = 0.3 (the vectorised exp(a·log x) of PanamaPower), Vector API kernels, one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PowerBenchmark {
    @Param({"0.5", "0.3"})
    public double power;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"1000", "100000", "1000000", "10000000"})
    public int d;

    private Optimizer optimizer;
    private StepArrays arrays;

    @Setup(Level.Trial)
    public void setUp() {
        CgdConfig config = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withEpsilon(1e-8).withEpsilonOutside(0)
                .withPower(power);
        optimizer = Optimizer.create(config, d);
        arrays = StepArrays.of(precision, d);
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
