package org.cgd4j.benchmarks.full;

import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
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
 * One exact FULL step (refreshEvery = 1: rank-1 update, X̂, DSYEVD, apply) on a mature full-rank
 * state, with the eigendecomposition done by OpenBLAS through FFM, cgd4j's pure-Java fallback, EJML
 * or ND4J; everything else is identical (see {@link SwappedEigensolver}). OpenBLAS threads: 1
 * ({@code cgd4j.blas.threads}); run with {@code OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1} so that
 * ND4J's OpenBLAS is single-threaded too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class FullStepBenchmark {
    @Param({"64", "128", "256", "512", "1024"})
    public int d;

    @Param({"openblas", "java", "ejml", "nd4j"})
    public String eigensolver;

    private StepFacade optimizer;
    private double[] params;
    private double[][] gradients;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        if (eigensolver.equals("nd4j")) {
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(1);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(1);
        }
        optimizer = Engines.full(FullFixture.eigensolver(eigensolver), FullFixture.config(), d);
        FullFixture.mature(optimizer, 1);
        gradients = FullFixture.gradients(d, 16, 2);
        params = new double[d];
        WarmUp.untilSettled("FullStep " + eigensolver + " d=" + d, false, this::step);
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
