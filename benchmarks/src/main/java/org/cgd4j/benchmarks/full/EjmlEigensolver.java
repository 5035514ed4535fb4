package org.cgd4j.benchmarks.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.LinearAlgebra;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * EJML 0.46.1's symmetric eigendecomposition ({@code DecompositionFactory_DDRM.eig(n, true, true)}, a
 * {@code SymmetricQRAlgorithmDecomposition_DDRM}: Householder tridiagonalisation + implicit QR).
 * The copies in and out (O(n²)) and the ascending sort are part of using EJML from a FULL step.
 */
final class EjmlEigensolver extends SwappedEigensolver {
    private EigenDecomposition_F64<DMatrixRMaj> decomposition;
    private DMatrixRMaj matrix;
    private Integer[] order;
    private double[] values;
    private int size = -1;

    EjmlEigensolver(LinearAlgebra blas) {
        super(blas);
    }

    @Override public String name() { return "EJML 0.46.1 SymmetricQRAlgorithmDecomposition_DDRM"; }

    @Override
    void eigen(int n, MemorySegment a, MemorySegment w) {
        if (n != size) {
            decomposition = DecompositionFactory_DDRM.eig(n, true, true);
            matrix = new DMatrixRMaj(n, n);
            order = new Integer[n];
            values = new double[n];
            size = n;
        }
        double[] data = matrix.data;
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double x = a.getAtIndex(JAVA_DOUBLE, i + (long) j * n);
                data[i * n + j] = x;
                data[j * n + i] = x;
            }
        }
        if (!decomposition.decompose(matrix)) {
            throw new org.cgd4j.blas.LapackException("EJML eig", 1, "EJML's decomposition failed");
        }
        for (int k = 0; k < n; k++) {
            values[k] = decomposition.getEigenvalue(k).real;
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        for (int k = 0; k < n; k++) {
            int src = order[k];
            w.setAtIndex(JAVA_DOUBLE, k, values[src]);
            double[] v = decomposition.getEigenVector(src).data;
            MemorySegment.copy(v, 0, a, JAVA_DOUBLE, (long) k * n * Double.BYTES, n);
        }
    }
}
