package org.cgd4j.benchmarks.full;

import java.util.concurrent.TimeUnit;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.StepFacade;
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
 * Average cost per FULL step (OpenBLAS) with an eigendecomposition every {@code refreshEvery} steps:
 * 1 is the exact method; with k &gt; 1 the average spreads one DSYEVD over k steps, the others being
 * O(d²) (STALE: two DGEMV; TRACKED: two DGEMV and the σ update). A measurement iteration runs many
 * more than k steps, so the score is the amortised per-step cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FullRefreshBenchmark {
    @Param({"512"})
    public int d;

    @Param({"1", "20"})
    public int refreshEvery;

    @Param({"TRACKED", "STALE"})
    public RefreshMode mode;

    private StepFacade optimizer;
    private double[] params;
    private double[][] gradients;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        optimizer = Engines.full(LinearAlgebraProvider.nativeLibrary(), FullFixture.config(refreshEvery, mode), d);
        FullFixture.mature(optimizer, 1);
        gradients = FullFixture.gradients(d, 16, 2);
        params = new double[d];
    }

    @Benchmark
    public void step() {
        optimizer.step(params, gradients[next++ & 15]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
    }
}
