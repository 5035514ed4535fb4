package org.cgd4j.benchmarks.diagonal;

import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.kernel.StepCoefficients;
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
 * a = 0.5 (sqrt path) against a = 0.3, one thread. {@code impl = cgd4j}: the public step on the Vector
 * API kernels (x^a from PanamaPower); {@code impl = c}: the same step in C (adam.c's sqrt loop at
 * a = ½, adam_pow.c with glibc's vectorised pow otherwise), the reference for what x^a costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PowerBenchmark {
    @Param({"cgd4j", "c"})
    public String impl;

    @Param({"0.5", "0.3"})
    public double power;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"1000", "100000", "1000000", "10000000"})
    public int d;

    private Optimizer optimizer;
    private StepArrays arrays;
    private CStep reference;
    private StepCoefficients coefficients;
    private long t;

    @Setup(Level.Trial)
    public void setUp() {
        CgdConfig config = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withEpsilon(1e-8).withEpsilonOutside(0)
                .withPower(power);
        if (impl.equals("c")) {
            reference = new CStep(precision, d);
            coefficients = new StepCoefficients(config);
        } else {
            optimizer = Optimizer.create(config, d);
            arrays = StepArrays.of(precision, d);
        }
        WarmUp.untilSettled("Power " + impl + " a=" + power + " " + precision + " d=" + d, true, this::step);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (optimizer != null) {
            optimizer.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @Benchmark
    public void step() throws Throwable {
        if (reference == null) {
            arrays.step(optimizer);
            return;
        }
        coefficients.prepare(++t);
        if (power == 0.5) {
            reference.adam(coefficients, false);
        } else {
            reference.adamPow(coefficients);
        }
    }
}
