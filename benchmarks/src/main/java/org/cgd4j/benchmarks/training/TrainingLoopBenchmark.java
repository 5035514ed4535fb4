package org.cgd4j.benchmarks.training;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
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
 * Issue 13's cost target: a model-shaped layout (784×1024, 1024, 1024×256, 256, 256×10, 10: 1.07e6
 * parameters) with two groups (AdamW on the weights, Adam without decay on the biases), global-norm
 * clipping and a warm-up cosine schedule ({@code model}), against one plain Adam step over the same d
 * ({@code plain}); f64 and f32. One thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainingLoopBenchmark {
    @Param({"plain", "model"})
    public String optimizer;

    @Param({"f64", "f32"})
    public String precision;

    private Optimizer opt;
    private double[] q, g;
    private float[] qf, gf;

    @Setup(Level.Trial)
    public void setUp() {
        ParamLayout layout = ParamLayout.builder().matrix("w1", 784, 1024).vector("b1", 1024).matrix("w2", 1024, 256)
                .vector("b2", 256).matrix("w3", 256, 10).vector("b3", 10).build();
        int d = layout.dimension();
        CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        opt = optimizer.equals("plain") ? Optimizer.create(adam, d)
                : Optimizer.builder(layout).config(CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, 0.01))
                        .group(adam, "b1", "b2", "b3").schedule(Schedule.warmupCosine(1000, 1_000_000, 0.1)).clipNorm(1.0).build();
        g = new SplittableRandom(1).doubles(d).map(x -> x - 0.5).toArray();
        q = new double[d];
        qf = new float[d];
        gf = new float[d];
        for (int i = 0; i < d; i++) {
            gf[i] = (float) g[i];
        }
        WarmUp.untilSettled("TrainingLoop " + optimizer + " " + precision, true, this::step);
    }

    @Benchmark
    public void step() {
        if (precision.equals("f64")) {
            opt.step(q, g);
        } else {
            opt.step(qf, gf);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opt.close();
    }
}
