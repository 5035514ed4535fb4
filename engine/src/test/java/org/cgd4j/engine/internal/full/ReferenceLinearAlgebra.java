package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LinearAlgebra;

/**
 * Textbook BLAS loops and a cyclic Jacobi eigensolver: slow, independent of the bindings, and
 * accurate to a few ulps of the matrix norm. The test oracle for the optimizer's data path.
 */
final class ReferenceLinearAlgebra implements LinearAlgebra {

    @Override public String name() { return "reference (Jacobi)"; }

    @Override public EigenWorkspace dsyevdWorkspace(int n) {
        return new EigenWorkspace(1 + 6L * n + 2L * n * n, 3 + 5L * n);
    }

    @Override
    public void dsyevd(char jobz, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                       MemorySegment work, long lwork, MemorySegment iwork, long liwork) {
        double[][] x = new double[n][n];
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = uplo == 'L' ? a.getAtIndex(JAVA_DOUBLE, i + (long) j * lda) : a.getAtIndex(JAVA_DOUBLE, j + (long) i * lda);
                x[i][j] = v;
                x[j][i] = v;
            }
        }
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        eigen(x, values, vectors);
        for (int k = 0; k < n; k++) {
            w.setAtIndex(JAVA_DOUBLE, k, values[k]);
            for (int i = 0; i < n; i++) {
                a.setAtIndex(JAVA_DOUBLE, i + (long) k * lda, vectors[i][k]);
            }
        }
    }

    /** Eigenvalues ascending and eigenvectors as columns of a symmetric matrix (destroyed). */
    static void eigen(double[][] a, double[] values, double[][] vectors) {
        int n = a.length;
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    total += a[i][j] * a[i][j];
                    if (i != j) {
                        off += a[i][j] * a[i][j];
                    }
                }
            }
            if (off <= 1e-34 * total || off == 0) {
                break;
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[x][x], a[y][y]));
        for (int k = 0; k < n; k++) {
            values[k] = a[order[k]][order[k]];
            for (int i = 0; i < n; i++) {
                vectors[i][k] = v[i][order[k]];
            }
        }
    }

    @Override
    public void dsyr(char uplo, int n, double alpha, MemorySegment x, int incx, MemorySegment a, int lda) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (uplo == 'L' ? i >= j : i <= j) {
                    long k = i + (long) j * lda;
                    a.setAtIndex(JAVA_DOUBLE, k, a.getAtIndex(JAVA_DOUBLE, k)
                            + alpha * x.getAtIndex(JAVA_DOUBLE, (long) i * incx) * x.getAtIndex(JAVA_DOUBLE, (long) j * incx));
                }
            }
        }
    }

    @Override
    public void dsymv(char uplo, int n, double alpha, MemorySegment a, int lda, MemorySegment x, int incx,
                      double beta, MemorySegment y, int incy) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                boolean stored = uplo == 'L' ? i >= j : i <= j;
                double aij = stored ? a.getAtIndex(JAVA_DOUBLE, i + (long) j * lda) : a.getAtIndex(JAVA_DOUBLE, j + (long) i * lda);
                sum += aij * x.getAtIndex(JAVA_DOUBLE, (long) j * incx);
            }
            out[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            double old = beta == 0 ? 0 : beta * y.getAtIndex(JAVA_DOUBLE, (long) i * incy);
            y.setAtIndex(JAVA_DOUBLE, (long) i * incy, alpha * out[i] + old);
        }
    }

    @Override
    public void dgemv(char trans, int m, int n, double alpha, MemorySegment a, int lda, MemorySegment x,
                      int incx, double beta, MemorySegment y, int incy) {
        int rows = trans == 'N' ? m : n;
        int cols = trans == 'N' ? n : m;
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                double arc = trans == 'N' ? a.getAtIndex(JAVA_DOUBLE, r + (long) c * lda) : a.getAtIndex(JAVA_DOUBLE, c + (long) r * lda);
                sum += arc * x.getAtIndex(JAVA_DOUBLE, (long) c * incx);
            }
            out[r] = sum;
        }
        for (int r = 0; r < rows; r++) {
            double old = beta == 0 ? 0 : beta * y.getAtIndex(JAVA_DOUBLE, (long) r * incy);
            y.setAtIndex(JAVA_DOUBLE, (long) r * incy, alpha * out[r] + old);
        }
    }
}
