package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

/** Test matrices (column-major double[] of n×n, symmetric) and overflow-safe norms. */
final class TestMatrices {
    private TestMatrices() {}

    /** The kinds of symmetric matrix the contract covers. */
    enum Kind {
        RANDOM, SPD, IDENTITY, ZEROS, REPEATED, RANK_DEFICIENT, TINY, HUGE;

        double[] build(int n, Random rnd) {
            return switch (this) {
                case RANDOM -> randomSymmetric(n, rnd);
                case SPD -> spd(n, rnd);
                case IDENTITY -> diagonal(n, 1.0);
                case ZEROS -> new double[n * n];
                case REPEATED -> withSpectrum(repeatedSpectrum(n), rnd);
                case RANK_DEFICIENT -> rankDeficient(n, Math.max(1, n / 3), rnd);
                case TINY -> scaled(randomSymmetric(n, rnd), 1e-300);
                case HUGE -> scaled(randomSymmetric(n, rnd), 1e300);
            };
        }
    }

    static double[] randomSymmetric(int n, Random rnd) {
        double[] a = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = j; i < n; i++) {
                double v = 2 * rnd.nextDouble() - 1;
                a[i + j * n] = v;
                a[j + i * n] = v;
            }
        }
        return a;
    }

    /** BᵀB/n + 0.1·I: symmetric positive definite. */
    static double[] spd(int n, Random rnd) {
        double[] b = random(n, n, rnd);
        double[] a = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += b[k + i * n] * b[k + j * n];
                }
                a[i + j * n] = s / n + (i == j ? 0.1 : 0.0);
            }
        }
        return a;
    }

    /** B·Bᵀ with B n×r: rank r, so n − r zero eigenvalues. */
    static double[] rankDeficient(int n, int r, Random rnd) {
        double[] b = random(n, r, rnd);
        double[] a = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < r; k++) {
                    s += b[i + k * n] * b[j + k * n];
                }
                a[i + j * n] = s;
            }
        }
        return a;
    }

    static double[] diagonal(int n, double v) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i + i * n] = v;
        }
        return a;
    }

    /** 1, 1, 1, 2, 2, 2, ...: every eigenvalue (but perhaps the last) three times. */
    static double[] repeatedSpectrum(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1 + i / 3;
        }
        return w;
    }

    /** Q·diag(w)·Qᵀ for a random orthogonal Q (Gram-Schmidt twice on a random matrix). */
    static double[] withSpectrum(double[] w, Random rnd) {
        int n = w.length;
        double[] q = random(n, n, rnd);
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int k = 0; k < j; k++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[i + k * n] * q[i + j * n];
                    }
                    for (int i = 0; i < n; i++) {
                        q[i + j * n] -= dot * q[i + k * n];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[i + j * n] * q[i + j * n];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i + j * n] /= norm;
            }
        }
        double[] a = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += q[i + k * n] * w[k] * q[j + k * n];
                }
                a[i + j * n] = s;
            }
        }
        // Exactly symmetric, as the routines assume.
        for (int j = 0; j < n; j++) {
            for (int i = j + 1; i < n; i++) {
                a[j + i * n] = a[i + j * n];
            }
        }
        return a;
    }

    static double[] random(int rows, int cols, Random rnd) {
        double[] b = new double[rows * cols];
        for (int i = 0; i < b.length; i++) {
            b[i] = 2 * rnd.nextDouble() - 1;
        }
        return b;
    }

    static double[] scaled(double[] a, double s) {
        double[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] *= s;
        }
        return r;
    }

    /** Frobenius norm with LAPACK dlassq-style scaling: no overflow at 1e300, no underflow at 1e-300. */
    static double frobenius(double[] v) {
        double scale = 0;
        for (double x : v) {
            scale = Math.max(scale, Math.abs(x));
        }
        if (scale == 0) {
            return 0;
        }
        double sum = 0;
        for (double x : v) {
            double t = x / scale;
            sum += t * t;
        }
        return scale * Math.sqrt(sum);
    }

    /** An n×n matrix in a segment with leading dimension lda, padding and the other triangle set to fill. */
    static MemorySegment toSegment(Arena arena, double[] a, int n, int lda, char uplo, double fill) {
        MemorySegment s = arena.allocate(JAVA_DOUBLE, Math.max(1, (long) lda * n));
        s.fill((byte) 0);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < lda; i++) {
                boolean inTriangle = i < n && (uplo == 'L' ? i >= j : i <= j);
                s.setAtIndex(JAVA_DOUBLE, i + (long) j * lda, inTriangle ? a[i + j * n] : fill);
            }
        }
        return s;
    }

    static MemorySegment vector(Arena arena, double[] v) {
        MemorySegment s = arena.allocate(JAVA_DOUBLE, Math.max(1, v.length));
        MemorySegment.copy(v, 0, s, JAVA_DOUBLE, 0, v.length);
        return s;
    }

    static double[] toArray(MemorySegment s, long count) {
        double[] r = new double[(int) count];
        MemorySegment.copy(s, JAVA_DOUBLE, 0, r, 0, (int) count);
        return r;
    }

    /** Column-major n×n from a segment with leading dimension lda. */
    static double[] fromSegment(MemorySegment s, int n, int lda) {
        double[] r = new double[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                r[i + j * n] = s.getAtIndex(JAVA_DOUBLE, i + (long) j * lda);
            }
        }
        return r;
    }
}
