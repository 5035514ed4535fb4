package org.cgd4j.blas.internal.java;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;

/**
 * Pure-Java DSYEVD: all eigenvalues (ascending) and orthonormal eigenvectors of a symmetric matrix.
 *
 * <p>Householder reduction to tridiagonal form followed by the implicit QL algorithm with Wilkinson-
 * type shifts (EISPACK {@code tred2}/{@code tql2}, as in JAMA), working in place on the column-major
 * segment: every inner loop runs down a column, so memory access is sequential. Like LAPACK's DSYEVD,
 * the matrix is first scaled into [√(safmin/eps), √(eps/safmin)] by its largest entry and the
 * eigenvalues are scaled back, so 1e-300 and 1e300 matrices neither underflow nor overflow.
 *
 * <p>Cost ≈ 4/3 n³ (reduction) + 4/3 n³ (accumulating Q) + ≈ 3n³ (QL rotations) flops. No
 * allocation: the off-diagonal lives in {@code work}, the diagonal in {@code w}.
 */
final class SymmetricEigensolver {
    private static final double EPS = Math.ulp(1.0);                 // LAPACK dlamch('P') = 2^-52
    private static final double SAFMIN = Double.MIN_NORMAL;          // dlamch('S')
    private static final double RMIN = Math.sqrt(SAFMIN / EPS);
    private static final double RMAX = Math.sqrt(EPS / SAFMIN);
    private static final int MAX_SWEEPS_PER_EIGENVALUE = 30;         // LAPACK's DSTEQR allows 30·n in total

    private SymmetricEigensolver() {}

    /**
     * Eigen-decomposes the {@code uplo} triangle of the n×n matrix in {@code a}; arguments are checked.
     * Returns LAPACK's INFO: 0, or &gt; 0 when the QL iteration did not converge.
     */
    static int dsyevd(boolean vectors, char uplo, int n, MemorySegment a, int lda, MemorySegment w,
                      MemorySegment work) {
        if (uplo == 'U') {
            mirrorUpperToLower(n, a, lda);
        }
        double sigma = scaleFactor(n, a, lda);
        if (sigma != 1.0) {
            scaleLower(n, a, lda, sigma);
        }
        tridiagonalize(vectors, n, a, lda, w, work);
        int info = implicitQl(vectors, n, a, lda, w, work);
        if (info != 0) {
            return info;
        }
        if (sigma != 1.0) {
            for (long i = 0; i < n; i++) {
                w.setAtIndex(JAVA_DOUBLE, i, w.getAtIndex(JAVA_DOUBLE, i) / sigma);
            }
        }
        sortAscending(vectors, n, a, lda, w);
        return 0;
    }

    private static void mirrorUpperToLower(int n, MemorySegment a, int lda) {
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                a.setAtIndex(JAVA_DOUBLE, i + (long) j * lda, a.getAtIndex(JAVA_DOUBLE, j + (long) i * lda));
            }
        }
    }

    /** LAPACK DSYEVD's scaling: 1 unless the largest entry is outside [RMIN, RMAX]. */
    private static double scaleFactor(int n, MemorySegment a, int lda) {
        double anrm = 0.0;
        for (int j = 0; j < n; j++) {
            long col = (long) j * lda;
            for (int i = j; i < n; i++) {
                anrm = Math.max(anrm, Math.abs(a.getAtIndex(JAVA_DOUBLE, col + i)));
            }
        }
        if (anrm > 0.0 && anrm < RMIN) {
            return RMIN / anrm;
        }
        if (anrm > RMAX) {
            return RMAX / anrm;
        }
        return 1.0;
    }

    private static void scaleLower(int n, MemorySegment a, int lda, double sigma) {
        for (int j = 0; j < n; j++) {
            long col = (long) j * lda;
            for (int i = j; i < n; i++) {
                a.setAtIndex(JAVA_DOUBLE, col + i, a.getAtIndex(JAVA_DOUBLE, col + i) * sigma);
            }
        }
    }

    /**
     * EISPACK tred2 on the lower triangle. On return d holds the diagonal, e[1..n) the sub-diagonal
     * (e[0] = 0) and, when {@code vectors}, a holds the orthogonal Q with A = Q T Qᵀ.
     */
    private static void tridiagonalize(boolean vectors, int n, MemorySegment a, int lda, MemorySegment d,
                                       MemorySegment e) {
        for (int j = 0; j < n; j++) {
            set(d, j, get(a, n - 1, j, lda));
        }
        for (int i = n - 1; i > 0; i--) {
            double scale = 0.0;
            double h = 0.0;
            for (int k = 0; k < i; k++) {
                scale += Math.abs(get(d, k));
            }
            if (scale == 0.0) {
                set(e, i, get(d, i - 1));
                for (int j = 0; j < i; j++) {
                    set(d, j, get(a, i - 1, j, lda));
                    set(a, i, j, lda, 0.0);
                    set(a, j, i, lda, 0.0);
                }
            } else {
                // Householder vector, scaled by the row's 1-norm to avoid under/overflow.
                for (int k = 0; k < i; k++) {
                    double dk = get(d, k) / scale;
                    set(d, k, dk);
                    h += dk * dk;
                }
                double f = get(d, i - 1);
                double g = Math.sqrt(h);
                if (f > 0) {
                    g = -g;
                }
                set(e, i, scale * g);
                h -= f * g;
                set(d, i - 1, f - g);
                for (int j = 0; j < i; j++) {
                    set(e, j, 0.0);
                }
                // e = A·v over the leading i×i block (lower triangle, column by column).
                for (int j = 0; j < i; j++) {
                    f = get(d, j);
                    set(a, j, i, lda, f);
                    long col = (long) j * lda;
                    g = get(e, j) + a.getAtIndex(JAVA_DOUBLE, col + j) * f;
                    for (int k = j + 1; k <= i - 1; k++) {
                        double akj = a.getAtIndex(JAVA_DOUBLE, col + k);
                        g += akj * get(d, k);
                        set(e, k, get(e, k) + akj * f);
                    }
                    set(e, j, g);
                }
                f = 0.0;
                for (int j = 0; j < i; j++) {
                    double ej = get(e, j) / h;
                    set(e, j, ej);
                    f += ej * get(d, j);
                }
                double hh = f / (h + h);
                for (int j = 0; j < i; j++) {
                    set(e, j, get(e, j) - hh * get(d, j));
                }
                // Rank-2 update A -= v·eᵀ + e·vᵀ of the lower triangle.
                for (int j = 0; j < i; j++) {
                    f = get(d, j);
                    g = get(e, j);
                    long col = (long) j * lda;
                    for (int k = j; k <= i - 1; k++) {
                        a.setAtIndex(JAVA_DOUBLE, col + k,
                                a.getAtIndex(JAVA_DOUBLE, col + k) - (f * get(e, k) + g * get(d, k)));
                    }
                    set(d, j, get(a, i - 1, j, lda));
                    set(a, i, j, lda, 0.0);
                }
            }
            set(d, i, h);
        }
        if (!vectors) {
            for (int j = 0; j < n; j++) {
                set(d, j, get(a, j, j, lda));
            }
            set(e, 0, 0.0);
            return;
        }
        // Accumulate the Householder reflections into Q.
        for (int i = 0; i < n - 1; i++) {
            set(a, n - 1, i, lda, get(a, i, i, lda));
            set(a, i, i, lda, 1.0);
            double h = get(d, i + 1);
            long vcol = (long) (i + 1) * lda;
            if (h != 0.0) {
                for (int k = 0; k <= i; k++) {
                    set(d, k, a.getAtIndex(JAVA_DOUBLE, vcol + k) / h);
                }
                for (int j = 0; j <= i; j++) {
                    long col = (long) j * lda;
                    double g = 0.0;
                    for (int k = 0; k <= i; k++) {
                        g += a.getAtIndex(JAVA_DOUBLE, vcol + k) * a.getAtIndex(JAVA_DOUBLE, col + k);
                    }
                    for (int k = 0; k <= i; k++) {
                        a.setAtIndex(JAVA_DOUBLE, col + k, a.getAtIndex(JAVA_DOUBLE, col + k) - g * get(d, k));
                    }
                }
            }
            for (int k = 0; k <= i; k++) {
                a.setAtIndex(JAVA_DOUBLE, vcol + k, 0.0);
            }
        }
        for (int j = 0; j < n; j++) {
            set(d, j, get(a, n - 1, j, lda));
            set(a, n - 1, j, lda, 0.0);
        }
        set(a, n - 1, n - 1, lda, 1.0);
        set(e, 0, 0.0);
    }

    /** EISPACK tql2: implicit QL on the tridiagonal (d, e), rotations applied to the columns of a. */
    private static int implicitQl(boolean vectors, int n, MemorySegment a, int lda, MemorySegment d,
                                  MemorySegment e) {
        for (int i = 1; i < n; i++) {
            set(e, i - 1, get(e, i));
        }
        set(e, n - 1, 0.0);
        double f = 0.0;
        double tst1 = 0.0;
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(get(d, l)) + Math.abs(get(e, l)));
            int m = l;
            while (m < n - 1 && Math.abs(get(e, m)) > EPS * tst1) {
                m++;
            }
            if (m > l) {
                int sweeps = 0;
                do {
                    if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
                        // LAPACK's encoding for JOBZ = 'V': the submatrix in rows/columns l+1 .. n.
                        return vectors ? (l + 1) * (n + 1) + n : n - 1 - l;
                    }
                    double g = get(d, l);
                    double el = get(e, l);
                    double p = (get(d, l + 1) - g) / (2.0 * el);
                    double r = pythag(p, 1.0);
                    if (p < 0) {
                        r = -r;
                    }
                    set(d, l, el / (p + r));
                    set(d, l + 1, el * (p + r));
                    double dl1 = get(d, l + 1);
                    double h = g - get(d, l);
                    for (int i = l + 2; i < n; i++) {
                        set(d, i, get(d, i) - h);
                    }
                    f += h;
                    p = get(d, m);
                    double c = 1.0;
                    double c2 = c;
                    double c3 = c;
                    double el1 = get(e, l + 1);
                    double s = 0.0;
                    double s2 = 0.0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        double ei = get(e, i);
                        g = c * ei;
                        h = c * p;
                        r = pythag(p, ei);
                        set(e, i + 1, s * r);
                        s = ei / r;
                        c = p / r;
                        double di = get(d, i);
                        p = c * di - s * g;
                        set(d, i + 1, h + s * (c * g + s * di));
                        if (vectors) {
                            rotateColumns(n, a, lda, i, c, s);
                        }
                    }
                    p = -s * s2 * c3 * el1 * get(e, l) / dl1;
                    set(e, l, s * p);
                    set(d, l, c * p);
                } while (Math.abs(get(e, l)) > EPS * tst1);
            }
            set(d, l, get(d, l) + f);
            set(e, l, 0.0);
        }
        return 0;
    }

    /** Columns (i, i+1) ← (c·col_i − s·col_{i+1}, s·col_i + c·col_{i+1}); contiguous in memory. */
    private static void rotateColumns(int n, MemorySegment a, int lda, int i, double c, double s) {
        long ci = (long) i * lda;
        long ci1 = ci + lda;
        for (int k = 0; k < n; k++) {
            double h = a.getAtIndex(JAVA_DOUBLE, ci1 + k);
            double v = a.getAtIndex(JAVA_DOUBLE, ci + k);
            a.setAtIndex(JAVA_DOUBLE, ci1 + k, s * v + c * h);
            a.setAtIndex(JAVA_DOUBLE, ci + k, c * v - s * h);
        }
    }

    private static void sortAscending(boolean vectors, int n, MemorySegment a, int lda, MemorySegment d) {
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            double p = get(d, i);
            for (int j = i + 1; j < n; j++) {
                if (get(d, j) < p) {
                    k = j;
                    p = get(d, j);
                }
            }
            if (k != i) {
                set(d, k, get(d, i));
                set(d, i, p);
                if (vectors) {
                    long ci = (long) i * lda;
                    long ck = (long) k * lda;
                    for (int r = 0; r < n; r++) {
                        double t = a.getAtIndex(JAVA_DOUBLE, ci + r);
                        a.setAtIndex(JAVA_DOUBLE, ci + r, a.getAtIndex(JAVA_DOUBLE, ck + r));
                        a.setAtIndex(JAVA_DOUBLE, ck + r, t);
                    }
                }
            }
        }
    }

    /** √(x² + y²) without destructive under/overflow (LAPACK dlapy2). */
    private static double pythag(double x, double y) {
        double ax = Math.abs(x);
        double ay = Math.abs(y);
        double big = Math.max(ax, ay);
        double small = Math.min(ax, ay);
        if (small == 0.0) {
            return big;
        }
        double q = small / big;
        return big * Math.sqrt(1.0 + q * q);
    }

    private static double get(MemorySegment v, int i) {
        return v.getAtIndex(JAVA_DOUBLE, i);
    }

    private static void set(MemorySegment v, int i, double x) {
        v.setAtIndex(JAVA_DOUBLE, i, x);
    }

    private static double get(MemorySegment a, int row, int col, int lda) {
        return a.getAtIndex(JAVA_DOUBLE, row + (long) col * lda);
    }

    private static void set(MemorySegment a, int row, int col, int lda, double x) {
        a.setAtIndex(JAVA_DOUBLE, row + (long) col * lda, x);
    }
}
