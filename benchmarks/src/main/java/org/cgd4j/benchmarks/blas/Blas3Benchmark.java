package org.cgd4j.benchmarks.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.QrWorkspace;
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
 * The BLAS-3 calls KRONECKER CGD makes (SPEC "Structure KRONECKER"): rotations by GEMM
 * (C = Aᵀ·B, as G̃ = Q_Lᵀ G), factors by SYRK (C ← ½·C + ½·A·Aᵀ, the β2 average), and the QR
 * refresh (GEQRF + ORGQR of an n×n matrix), on n×n matrices: OpenBLAS through FFM against cgd4j's
 * pure-Java fallback, double and float. OpenBLAS runs the thread count of {@code -Dcgd4j.blas.threads}
 * (default 1: KRONECKER runs one block per worker with BLAS at one thread each).
 *
 * <p>Flops per call: GEMM 2n³, SYRK n²(n + 1), QR ≈ 8n³/3 (4n³/3 each for GEQRF and ORGQR); GFLOP/s =
 * flops / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class Blas3Benchmark {
    @Param({"openblas", "java"})
    public String impl;

    @Param({"dgemm", "sgemm", "dsyrk", "ssyrk", "dqr"})
    public String op;

    @Param({"64", "256", "512", "1024"})
    public int n;

    private Arena arena;
    private DenseLinearAlgebra la;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private MemorySegment qr;
    private MemorySegment tau;
    private MemorySegment work;
    private QrWorkspace ws;

    @Setup(Level.Trial)
    public void setUp() {
        la = switch (impl) {
            case "openblas" -> LinearAlgebraProvider.nativeLibrary();
            case "java" -> LinearAlgebraProvider.pureJava();
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        };
        boolean single = op.startsWith("s");
        arena = Arena.ofShared(); // JMH may run setup and measurement on different threads
        long count = (long) n * n;
        Random rnd = new Random(42);
        a = random(count, single, rnd);
        b = random(count, single, rnd);
        c = random(count, single, rnd);
        if (op.equals("dqr")) {
            qr = arena.allocate(JAVA_DOUBLE, count);
            tau = arena.allocate(JAVA_DOUBLE, n);
            ws = la.dqrWorkspace(n, n);
            work = arena.allocate(JAVA_DOUBLE, ws.lwork());
        }
        WarmUp.untilSettled("Blas3 " + impl + " " + op + " n=" + n, false, this::call);
    }

    private MemorySegment random(long count, boolean single, Random rnd) {
        MemorySegment s = arena.allocate(single ? JAVA_FLOAT : JAVA_DOUBLE, count);
        for (long i = 0; i < count; i++) {
            double v = 2 * rnd.nextDouble() - 1;
            if (single) {
                s.setAtIndex(JAVA_FLOAT, i, (float) v);
            } else {
                s.setAtIndex(JAVA_DOUBLE, i, v);
            }
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** One call; returns an element of the result so the work cannot be eliminated. */
    @Benchmark
    public double call() {
        switch (op) {
            case "dgemm" -> la.dgemm('T', 'N', n, n, n, 1.0, a, n, b, n, 0.0, c, n);
            case "sgemm" -> la.sgemm('T', 'N', n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
            case "dsyrk" -> la.dsyrk('L', 'N', n, n, 0.5, a, n, 0.5, c, n);
            case "ssyrk" -> la.ssyrk('L', 'N', n, n, 0.5f, a, n, 0.5f, c, n);
            case "dqr" -> {
                MemorySegment.copy(a, 0, qr, 0, a.byteSize());
                la.dgeqrf(n, n, qr, n, tau, work, ws.geqrf());
                la.dorgqr(n, n, n, qr, n, tau, work, ws.orgqr());
                return qr.getAtIndex(JAVA_DOUBLE, 0);
            }
            default -> throw new IllegalArgumentException("unknown op: " + op);
        }
        return op.startsWith("s") ? c.getAtIndex(JAVA_FLOAT, n - 1) : c.getAtIndex(JAVA_DOUBLE, n - 1);
    }
}
