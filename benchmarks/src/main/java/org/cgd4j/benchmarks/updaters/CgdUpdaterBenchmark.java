package org.cgd4j.benchmarks.updaters;

import java.util.concurrent.TimeUnit;
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
 * them). The gradient is read-only for cgd4j, so no per-invocation restore is needed.
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
        prime();
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
    }

    /**
     * Runs {@link UpdaterSettings#PRIME_STEPS} steps at d = {@link UpdaterSettings#PRIME_DIMENSION} so
     * that C2 has compiled the kernels before the first measured step: at d = 1e7 the quick JMH
     * warm-up is only a handful of steps, and interpreted Vector API code is ~1000× slower.
     */
    private void prime() {
        int n = UpdaterSettings.PRIME_DIMENSION;
        try (Optimizer warm = Optimizer.create(UpdaterSettings.cgd(optimizer), n)) {
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
