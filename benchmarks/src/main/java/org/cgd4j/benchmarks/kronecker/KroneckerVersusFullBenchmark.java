package org.cgd4j.benchmarks.kronecker;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
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
 * At d = 2048, a size FULL can still run: one exact FULL step (a 2048 × 2048 DSYEVD every step)
 * against one KRONECKER step of a 32 × 64 matrix (one block: factors 32² and 64²), both with
 * refreshEvery = 1 (the exact method), and KRONECKER with refreshEvery = 10 (amortized over ten steps
 * in the score of {@code kronecker10}'s ten-step loop, divide by 10).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class KroneckerVersusFullBenchmark {
    @Param({"full", "kronecker", "kronecker10"})
    public String structure;

    private Optimizer optimizer;
    private double[] params, grads;

    @Setup(Level.Trial)
    public void setUp() {
        CgdConfig base = CgdConfig.diagonalCgd(1e-3, 3, 20, 0.5, 1e-6).withMetric(org.cgd4j.engine.Metric.SECOND_MOMENT);
        ParamLayout layout = ParamLayout.builder().matrix("w", 32, 64).build();
        optimizer = switch (structure) {
            case "full" -> Optimizer.create(base.withStructure(Structure.FULL), 2048);
            case "kronecker" -> Optimizer.builder(layout).config(base.withStructure(Structure.KRONECKER).withBlockSize(64)).build();
            default -> Optimizer.builder(layout).config(base.withStructure(Structure.KRONECKER).withBlockSize(64)
                    .withRefreshEvery(10)).build();
        };
        params = new double[2048];
        grads = new SplittableRandom(1).doubles(2048).map(x -> x - 0.5).toArray();
        WarmUp.untilSettled("KroneckerVersusFull " + structure, false, this::step);
    }

    @Benchmark
    public void step() {
        optimizer.step(params, grads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
    }
}
