package org.cgd4j.benchmarks.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.LinearAlgebra;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J 1.0.0-M2.1's symmetric eigendecomposition: {@code Eigen.symmetricGeneralizedEigenvalues(A, true)},
 * which calls LAPACK {@code dsyev} (QR iteration) of ND4J's bundled OpenBLAS and leaves the
 * eigenvectors in A. A is a column-major ('f') n×n array reused across calls; the matrix is copied
 * into its buffer and the vectors out of it with memory copies (O(n²)).
 */
final class Nd4jEigensolver extends SwappedEigensolver {
    private INDArray matrix;
    private MemorySegment buffer;
    private int size = -1;

    Nd4jEigensolver(LinearAlgebra blas) {
        super(blas);
    }

    @Override public String name() { return "ND4J 1.0.0-M2.1 Eigen.symmetricGeneralizedEigenvalues (dsyev)"; }

    // reinterpret is restricted: the address is ND4J's own native buffer of exactly n² doubles, kept
    // alive by {@code matrix}; we only copy into and out of it.
    @SuppressWarnings("restricted")
    @Override
    void eigen(int n, MemorySegment a, MemorySegment w) {
        if (n != size) {
            matrix = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
            buffer = MemorySegment.ofAddress(matrix.data().address()).reinterpret((long) n * n * Double.BYTES);
            size = n;
        }
        MemorySegment.copy(a, 0, buffer, 0, buffer.byteSize());
        INDArray eigenvalues = Eigen.symmetricGeneralizedEigenvalues(matrix, true);
        MemorySegment.copy(buffer, 0, a, 0, buffer.byteSize());
        for (int k = 0; k < n; k++) {
            w.setAtIndex(JAVA_DOUBLE, k, eigenvalues.getDouble(k));
        }
    }
}
