package org.cgd4j.benchmarks.updaters;

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
 * cgd4j's side of the updater comparison: {@code Optimizer.step(params, grads)} with the preset that
 * matches {@link Nd4jUpdaterBenchmark}'s ND4J updater (same parameter names, so the report pairs
 * them). The gradient is read-only for cgd4j, so no per-invocation restore is needed. Each trial
 * primes the JIT at a small d, then warms at the measured d until the JIT has settled
 * ({@link WarmUp}), before JMH's own warm-up iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class CgdUpdaterBenchmark {
    @Param({"sgd", "rmsprop", "adam", "adabelief", "rmsprop-centered"})
    public String optimizer;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"100", "1000", "10000", "100000", "1000000", "10000000"})
    public int d;

    @Param({"1", "2"})
    public int threads;

    private Optimizer cgd;
    private boolean single;
    private float[] params32;
    private float[] grads32;
    private double[] params64;
    private double[] grads64;

    @Setup(Level.Trial)
    public void setUp() {
        single = switch (precision) {
            case "f32" -> true;
            case "f64" -> false;
            default -> throw new IllegalArgumentException("unknown precision: " + precision);
        };
        cgd = Optimizer.create(UpdaterSettings.cgd(optimizer).withThreads(threads), d);
        double[] g = UpdaterSettings.gradient(d);
        double[] q = UpdaterSettings.parameters(d);
        if (single) {
            params32 = UpdaterSettings.toFloat(q);
            grads32 = UpdaterSettings.toFloat(g);
        } else {
            params64 = q;
            grads64 = g;
        }
        prime();
        WarmUp.untilSettled("cgd4j " + optimizer + " " + precision + " d=" + d + " threads=" + threads, true,
                this::step);
    }

    /**
     * Runs {@link UpdaterSettings#PRIME_STEPS} steps at d = {@link UpdaterSettings#PRIME_DIMENSION},
     * with one step of the measured optimizer every {@link UpdaterSettings#PRIME_MEASURED_EVERY}:
     * the small steps make C2 compile every method of the step in a fraction of a second, and the
     * measured steps put the measured d's branches into the profiles C2 compiles from, so that the
     * compiled code does not trap back to C1 when d = 1e7 first takes them.
     */
    private void prime() {
        int n = UpdaterSettings.PRIME_DIMENSION;
        try (Optimizer warm = Optimizer.create(UpdaterSettings.cgd(optimizer).withThreads(threads), n)) {
            double[] g = UpdaterSettings.gradient(n);
            double[] q = UpdaterSettings.parameters(n);
            float[] g32 = UpdaterSettings.toFloat(g);
            float[] q32 = UpdaterSettings.toFloat(q);
            for (int i = 0; i < UpdaterSettings.PRIME_STEPS; i++) {
                if (single) {
                    warm.step(q32, g32);
                } else {
                    warm.step(q, g);
                }
                if (i % UpdaterSettings.PRIME_MEASURED_EVERY == UpdaterSettings.PRIME_MEASURED_EVERY - 1) {
                    step();
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cgd.close();
    }

    @Benchmark
    public void step() {
        if (single) {
            cgd.step(params32, grads32);
        } else {
            cgd.step(params64, grads64);
        }
    }
}
