package org.cgd4j.benchmarks.eigen;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
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

/**
 * ND4J's symmetric eigendecomposition, {@code Eigen.symmetricGeneralizedEigenvalues(A, true)}
 * (LAPACK dsyev through ND4J's bundled OpenBLAS; eigenvectors overwrite A), on the same random SPD
 * matrix and with the same copy-then-decompose invocation as
 * {@code org.cgd4j.benchmarks.blas.EigenBenchmark} (cgd4j's FFM dsyevd, pure Java, EJML), whose
 * results BENCHMARKS.md puts beside these. One BLAS thread, like cgd4j's default.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class Nd4jEigenBenchmark {
    @Param({"64", "128", "256", "512", "1024"})
    public int n;

    private INDArray source;
    private INDArray work;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.getEnvironment().setMaxMasterThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
        double[] spd = randomSpd(n, new Random(42));
        // symmetric, so row- and column-major agree; LAPACK wants column-major ('f')
        source = Nd4j.create(spd, new long[] {n, n}, DataType.DOUBLE).dup('f');
        work = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'f');
        WarmUp.untilSettled("Nd4jEigen n=" + n, false, this::eigen);
    }

    /** Returns the largest eigenvalue so the work cannot be eliminated. */
    @Benchmark
    public double eigen() {
        work.assign(source);
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(work, true);
        return eigenvalues.getDouble(n - 1);
    }

    /** BᵀB/n + I for a uniform random B, the matrix EigenBenchmark decomposes (same seed, same order). */
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
