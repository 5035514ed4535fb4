package org.cgd4j.benchmarks.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
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
 * DSYEVD (all eigenvalues and eigenvectors, the FULL CGD refresh) on a random SPD matrix: OpenBLAS
 * through FFM vs cgd4j's pure-Java fallback, with EJML's symmetric eigensolver as a JVM reference.
 * Each invocation copies the matrix into the work buffer (the engine does the same when it builds
 * X̂) and decomposes it; the copy is O(n²) next to O(n³). OpenBLAS runs one thread (cgd4j's default).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class EigenBenchmark {
    @Param({"openblas", "java", "ejml"})
    public String impl;

    @Param({"64", "256", "1024"})
    public int n;

    private Arena arena;
    private LinearAlgebra la;
    private MemorySegment source;
    private MemorySegment a;
    private MemorySegment w;
    private MemorySegment work;
    private MemorySegment iwork;
    private EigenWorkspace ws;
    private DMatrixRMaj ejmlSource;
    private DMatrixRMaj ejmlWork;
    private EigenDecomposition_F64<DMatrixRMaj> ejml;

    @Setup(Level.Trial)
    public void setUp() {
        double[] spd = randomSpd(n, new Random(42));
        switch (impl) {
            case "openblas" -> la = LinearAlgebraProvider.nativeLibrary();
            case "java" -> la = LinearAlgebraProvider.pureJava();
            case "ejml" -> {
                ejmlSource = new DMatrixRMaj(n, n, false, spd); // symmetric: row- and column-major agree
                ejmlWork = new DMatrixRMaj(n, n);
                ejml = DecompositionFactory_DDRM.eig(n, true, true);
                WarmUp.untilSettled("Eigen ejml n=" + n, false, this::dsyevd);
                return;
            }
            default -> throw new IllegalArgumentException("unknown impl: " + impl);
        }
        arena = Arena.ofShared(); // JMH may run setup and measurement on different threads
        source = arena.allocate(JAVA_DOUBLE, (long) n * n);
        MemorySegment.copy(spd, 0, source, JAVA_DOUBLE, 0, spd.length);
        a = arena.allocate(JAVA_DOUBLE, (long) n * n);
        w = arena.allocate(JAVA_DOUBLE, n);
        ws = la.dsyevdWorkspace(n);
        work = arena.allocate(JAVA_DOUBLE, ws.lwork());
        iwork = arena.allocate(JAVA_INT, ws.liwork());
        WarmUp.untilSettled("Eigen " + impl + " n=" + n, impl.equals("openblas"), this::dsyevd);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (arena != null) {
            arena.close();
        }
    }

    /** Returns the largest eigenvalue so the work cannot be eliminated. */
    @Benchmark
    public double dsyevd() {
        if (ejml != null) {
            ejmlWork.setTo(ejmlSource);
            if (!ejml.decompose(ejmlWork)) {
                throw new IllegalStateException("EJML did not converge");
            }
            return ejml.getEigenvalue(0).real;
        }
        MemorySegment.copy(source, 0, a, 0, source.byteSize());
        la.dsyevd('V', 'L', n, a, n, w, work, ws.lwork(), iwork, ws.liwork());
        return w.getAtIndex(JAVA_DOUBLE, n - 1);
    }

    /** BᵀB/n + I for a uniform random B: SPD with a spread spectrum. */
    static double[] randomSpd(int n, Random rnd) {
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = 2 * rnd.nextDouble() - 1;
        }
        double[] s = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i <= j; i++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += b[k + i * n] * b[k + j * n];
                }
                double v = sum / n + (i == j ? 1.0 : 0.0);
                s[i + j * n] = v;
                s[j + i * n] = v;
            }
        }
        return s;
    }
}
