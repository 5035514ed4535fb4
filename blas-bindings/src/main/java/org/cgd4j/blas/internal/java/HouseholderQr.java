package org.cgd4j.blas.internal.java;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Pure-Java xGEQRF and xORGQR: Householder QR in LAPACK's storage (R on and above the diagonal, the
 * reflectors H_j = I − tau_j·v_j·v_jᵀ with v_j(j) = 1 below it), so the two routines interoperate with
 * the native ones. Unblocked (LAPACK's DGEQR2 and DORG2R algorithms): ≈ 2mn² − 2n³/3 flops each.
 *
 * <p>The matrix is copied into one heap array per column, so every inner loop runs down a column;
 * floats are promoted to double and the results rounded once. Allocates m·n doubles per call, small
 * next to the O(mn²) work.
 */
final class HouseholderQr {
    private static final double SAFMIN = Double.MIN_NORMAL;
    private static final double EPS = Math.ulp(1.0) / 2;   // LAPACK dlamch('E')

    private HouseholderQr() {}

    /** QR of the m×n matrix in {@code a}; min(m, n) &gt; 0, arguments checked. */
    static void geqrf(boolean single, int m, int n, MemorySegment a, int lda, MemorySegment tau) {
        double[][] cols = read(single, m, n, a, lda);
        int k = Math.min(m, n);
        for (int j = 0; j < k; j++) {
            double[] v = cols[j];
            double t = reflector(m, j, v);
            set(single, tau, j, t);
            if (t == 0.0) {
                continue;
            }
            double diagonal = v[j];
            v[j] = 1.0;
            for (int c = j + 1; c < n; c++) {
                apply(m, j, t, v, cols[c]);
            }
            v[j] = diagonal;
        }
        write(single, m, n, cols, a, lda);
    }

    /** The first n columns of Q = H_0⋯H_{k−1}; m ≥ n &gt; 0, n ≥ k ≥ 0, arguments checked. */
    static void orgqr(boolean single, int m, int n, int k, MemorySegment a, int lda, MemorySegment tau) {
        double[][] cols = read(single, m, n, a, lda);
        for (int j = k; j < n; j++) {
            Arrays.fill(cols[j], 0.0);
            cols[j][j] = 1.0;
        }
        for (int i = k - 1; i >= 0; i--) {
            double t = single ? tau.getAtIndex(JAVA_FLOAT, i) : tau.getAtIndex(JAVA_DOUBLE, i);
            double[] v = cols[i];
            v[i] = 1.0;
            if (t != 0.0) {
                for (int c = i + 1; c < n; c++) {
                    apply(m, i, t, v, cols[c]);
                }
            }
            for (int r = i + 1; r < m; r++) {
                v[r] *= -t;
            }
            v[i] = 1.0 - t;
            Arrays.fill(v, 0, i, 0.0);
        }
        write(single, m, n, cols, a, lda);
    }

    /**
     * LAPACK's DLARFG on v(j..m): chooses beta and tau so that H·v(j..m) = beta·e_1, stores beta in
     * v(j) and the reflector's tail (v(j) = 1 implied) in v(j+1..m); returns tau (0: H = I).
     */
    private static double reflector(int m, int j, double[] v) {
        double xnorm = norm(v, j + 1, m);
        if (xnorm == 0.0) {
            return 0.0;
        }
        double alpha = v[j];
        double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
        double rsafmn = 1.0 / (SAFMIN / EPS);
        int rescaled = 0;
        // Tiny beta: scale x up until beta is safely normal (LAPACK does the same, at most 20 times).
        while (Math.abs(beta) < SAFMIN / EPS && rescaled < 20) {
            rescaled++;
            for (int i = j + 1; i < m; i++) {
                v[i] *= rsafmn;
            }
            beta *= rsafmn;
            alpha *= rsafmn;
        }
        if (rescaled > 0) {
            xnorm = norm(v, j + 1, m);
            beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
        }
        double tau = (beta - alpha) / beta;
        double scale = 1.0 / (alpha - beta);
        for (int i = j + 1; i < m; i++) {
            v[i] *= scale;
        }
        for (int r = 0; r < rescaled; r++) {
            beta *= SAFMIN / EPS;
        }
        v[j] = beta;
        return tau;
    }

    /** col(j..m) ← (I − tau·v·vᵀ)·col(j..m), with v(j) = 1 already stored. */
    private static void apply(int m, int j, double tau, double[] v, double[] col) {
        double w = 0.0;
        for (int i = j; i < m; i++) {
            w += v[i] * col[i];
        }
        w *= tau;
        if (w == 0.0) {
            return;
        }
        for (int i = j; i < m; i++) {
            col[i] -= w * v[i];
        }
    }

    /** ‖v(from..to)‖₂ scaled by the largest entry, so neither 1e-300 nor 1e300 entries under/overflow. */
    private static double norm(double[] v, int from, int to) {
        double scale = 0.0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(v[i]));
        }
        if (scale == 0.0 || !Double.isFinite(scale)) {
            return scale;
        }
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            double t = v[i] / scale;
            sum += t * t;
        }
        return scale * Math.sqrt(sum);
    }

    private static double[][] read(boolean single, int m, int n, MemorySegment a, int lda) {
        double[][] cols = new double[n][m];
        for (int j = 0; j < n; j++) {
            long from = (long) j * lda;
            if (single) {
                double[] col = cols[j];
                for (int i = 0; i < m; i++) {
                    col[i] = a.getAtIndex(JAVA_FLOAT, from + i);
                }
            } else {
                MemorySegment.copy(a, JAVA_DOUBLE, from * Double.BYTES, cols[j], 0, m);
            }
        }
        return cols;
    }

    private static void write(boolean single, int m, int n, double[][] cols, MemorySegment a, int lda) {
        for (int j = 0; j < n; j++) {
            long to = (long) j * lda;
            if (single) {
                double[] col = cols[j];
                for (int i = 0; i < m; i++) {
                    a.setAtIndex(JAVA_FLOAT, to + i, (float) col[i]);
                }
            } else {
                MemorySegment.copy(cols[j], 0, a, JAVA_DOUBLE, to * Double.BYTES, m);
            }
        }
    }

    private static void set(boolean single, MemorySegment s, int i, double v) {
        if (single) {
            s.setAtIndex(JAVA_FLOAT, i, (float) v);
        } else {
            s.setAtIndex(JAVA_DOUBLE, i, v);
        }
    }
}
