package org.cgd4j.blas;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Threads calling the same implementation at once each get their own by-reference scalars (the
 * native path keeps them per thread): results equal the single-threaded ones bit for bit.
 */
class ConcurrentCallsTest {

    /** Per-thread packing scratch (pure Java) and per-thread scalars (native): GEMM results bit for bit. */
    @Test
    void concurrentGemmsMatchSequentialOnesExactly() throws Exception {
        List<DenseLinearAlgebra> impls = new ArrayList<>(List.of(LinearAlgebraProvider.pureJava()));
        try {
            impls.add(LinearAlgebraProvider.nativeLibrary());
        } catch (IllegalStateException e) {
            // no native library here: the Java implementation alone
        }
        int threads = 4;
        int n = 150; // more than one block of the Java kernel in every dimension
        for (DenseLinearAlgebra la : impls) {
            double[][] inputs = new double[threads][];
            double[][] expected = new double[threads][];
            for (int t = 0; t < threads; t++) {
                inputs[t] = TestMatrices.random(n, n, new Random(200 + t));
                expected[t] = gemmSquare(la, inputs[t], n);
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int task = t;
                    results.add(pool.submit(() -> {
                        for (int rep = 0; rep < 20; rep++) {
                            if (!java.util.Arrays.equals(gemmSquare(la, inputs[task], n), expected[task])) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> r : results) {
                    assertThat(r.get()).as("%s: concurrent GEMMs equal sequential ones", la.name()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Aᵀ·A through DGEMM. */
    private static double[] gemmSquare(DenseLinearAlgebra la, double[] a, int n) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = Precision.DOUBLE.matrix(arena, a, n, n, n, 0);
            MemorySegment c = Precision.DOUBLE.allocate(arena, (long) n * n);
            la.dgemm('T', 'N', n, n, n, 1.0, sa, n, sa, n, 0.0, c, n);
            return Precision.DOUBLE.read(c, n, n, n);
        }
    }

    @Test
    void concurrentDecompositionsMatchSequentialOnesExactly() throws Exception {
        List<LinearAlgebra> impls = new ArrayList<>(List.of(LinearAlgebraProvider.pureJava()));
        try {
            impls.add(LinearAlgebraProvider.nativeLibrary());
        } catch (IllegalStateException e) {
            // no native library here: the Java implementation alone
        }
        int threads = 4;
        int n = 24;
        for (LinearAlgebra la : impls) {
            double[][] matrices = new double[threads][];
            double[][] expected = new double[threads][];
            for (int t = 0; t < threads; t++) {
                matrices[t] = TestMatrices.randomSymmetric(n, new Random(100 + t));
                expected[t] = LinearAlgebraContract.decompose(la, matrices[t], n, 'L', 'V').values();
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int task = t;
                    results.add(pool.submit(() -> {
                        for (int rep = 0; rep < 50; rep++) {
                            double[] w = LinearAlgebraContract.decompose(la, matrices[task], n, 'L', 'V').values();
                            if (!java.util.Arrays.equals(w, expected[task])) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> r : results) {
                    assertThat(r.get()).as("%s: concurrent results equal sequential ones", la.name()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
