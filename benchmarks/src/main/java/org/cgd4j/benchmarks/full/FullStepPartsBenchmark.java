package org.cgd4j.benchmarks.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.internal.full.FullKernels;
import org.cgd4j.engine.internal.full.FullKernelsProvider;
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
 * The exact FULL step on OpenBLAS and its parts, measured in one run so they can be compared:
 * {@code step} (the whole thing), {@code eigen} (DSYEVD alone on a full-rank X̂, re-copied before each
 * call outside the timing), {@code buildMetric} (the fused X̂ pass), {@code rank1Fused} (the commit's
 * fused S ← β2 S + (1−β2) u uᵀ), {@code rank1Dsyr} (the same with BLAS: scale the lower triangle,
 * then DSYR) and {@code apply} (DGEMV 'T', the f(λ) division, DGEMV 'N').
 * The part of a step outside DSYEVD is step − eigen.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class FullStepPartsBenchmark {
    @Param({"64", "128", "256", "512", "1024"})
    public int d;

    private final Arena arena = Arena.ofShared();
    private LinearAlgebra la;
    private FullKernels kernels;
    private StepFacade optimizer;
    private double[] params;
    private double[][] gradients;
    private int next;
    private MemorySegment metric;
    private MemorySegment s;
    private MemorySegment w;
    private MemorySegment lambda;
    private MemorySegment u;
    private MemorySegment mean;
    private MemorySegment y;
    private MemorySegment p;
    private MemorySegment work;
    private MemorySegment iwork;
    private EigenWorkspace ws;

    @Setup(Level.Trial)
    public void setUp() {
        la = LinearAlgebraProvider.nativeLibrary();
        kernels = FullKernelsProvider.get();
        optimizer = Engines.full(la, FullFixture.config(), d);
        FullFixture.mature(optimizer, 1);
        gradients = FullFixture.gradients(d, 16, 2);
        params = new double[d];
        metric = FullFixture.covariance(arena, d, 1);
        long bytes = metric.byteSize();
        s = arena.allocate(bytes, 64).copyFrom(metric);
        w = arena.allocate(bytes, 64).copyFrom(metric);
        ws = la.dsyevdWorkspace(d);
        work = arena.allocate(8 * ws.lwork(), 64);
        iwork = arena.allocate(4 * ws.liwork(), 64);
        lambda = arena.allocate(8L * d, 64);
        u = arena.allocate(8L * d, 64).copyFrom(MemorySegment.ofArray(gradients[0]));
        mean = arena.allocate(8L * d, 64).copyFrom(MemorySegment.ofArray(gradients[1]));
        y = arena.allocate(8L * d, 64);
        p = arena.allocate(8L * d, 64);
        la.dsyevd('V', 'L', d, w, d, lambda, work, ws.lwork(), iwork, ws.liwork()); // eigenvectors for apply
    }

    @Benchmark
    public void step() {
        optimizer.step(params, gradients[next++ & 15]);
    }

    /** DSYEVD's input, re-copied before each call outside the timing (DSYEVD overwrites it). */
    @State(Scope.Thread)
    public static class FreshMetric {
        MemorySegment a;

        @Setup(Level.Invocation)
        public void refresh(FullStepPartsBenchmark b) {
            if (a == null) {
                a = b.arena.allocate(b.metric.byteSize(), 64);
            }
            a.copyFrom(b.metric);
        }
    }

    @Benchmark
    public MemorySegment eigen(FreshMetric in) {
        la.dsyevd('V', 'L', d, in.a, d, lambda, work, ws.lwork(), iwork, ws.liwork());
        return in.a;
    }

    @Benchmark
    public boolean buildMetric() {
        return kernels.buildMetric(d, metric, 0.999, 0.001, u, 1, 1.0, mean, s);
    }

    @Benchmark
    public MemorySegment rank1Fused() {
        kernels.rank1Update(d, s, 0.999, 0.001, u, 1);
        return s;
    }

    @Benchmark
    public MemorySegment rank1Dsyr() {
        for (int j = 0; j < d; j++) { // β2·S on the lower triangle, column by column
            MemorySegment column = s.asSlice(((long) j * d + j) * Double.BYTES, (long) (d - j) * Double.BYTES);
            kernels.scale(d - j, 0.999, column, column);
        }
        la.dsyr('L', d, 0.001, u, 1, s, d);
        return s;
    }

    @Benchmark
    public MemorySegment apply() {
        la.dgemv('T', d, d, 1, w, d, u, 1, 0, y, 1);
        for (int i = 0; i < d; i++) {
            y.setAtIndex(JAVA_DOUBLE, i, y.getAtIndex(JAVA_DOUBLE, i) / (Math.sqrt(1e-8 + Math.max(lambda.getAtIndex(JAVA_DOUBLE, i), 0))));
        }
        la.dgemv('N', d, d, 1, w, d, y, 1, 0, p, 1);
        return p;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        arena.close();
    }
}
