package org.cgd4j.blas;

import static org.assertj.core.api.Assertions.assertThat;

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
