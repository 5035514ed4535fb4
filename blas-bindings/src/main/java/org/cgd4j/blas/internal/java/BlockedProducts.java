package org.cgd4j.blas.internal.java;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.cgd4j.blas.internal.AbstractDenseLinearAlgebra;

/**
 * The one matrix product behind the pure-Java GEMM, SYRK and SYMM: C ← beta·C + alpha·L·R on a
 * FULL, LOWER or UPPER part of C, where L (m×k) and R (k×n) are each a plain, transposed or
 * symmetric (one stored triangle) view of a column-major segment.
 *
 * <p>Blocked as GotoBLAS does, in plain Java: a KC-deep panel of R (KC×NC) and a block of L (MC×KC)
 * are copied ("packed") into heap arrays in the layout the inner loop reads, which also applies the
 * transpose or the symmetric mirror once instead of in the inner loop; the inner loop updates four
 * accumulator columns per step of the k loop ({@code acc_q[i] = fma(l_p[i], r_q[p], acc_q[i])}). Every
 * packed column and accumulator is an array of its own, indexed by the same i: C2's SuperWord then
 * emits packed AVX-512 FMAs. (With one flat array indexed lp + i it cannot prove that the stores never
 * overlap the loads and stays scalar: 3× slower on JDK 25, measured.) Tiles that lie wholly outside a LOWER/UPPER part are skipped, so SYRK costs
 * about half of GEMM. Float operands are promoted to double, and each KC-deep partial sum is rounded
 * once when added to C, so the float routines are at least as accurate as SGEMM.
 *
 * <p>Allocates nothing once warm: the packed blocks live in per-thread scratch.
 */
final class BlockedProducts {
    /** How a segment is read as an operand. */
    static final int PLAIN = 0;
    static final int TRANSPOSED = 1;
    static final int SYMMETRIC_LOWER = 2;
    static final int SYMMETRIC_UPPER = 3;

    /** Which part of C is computed and written. */
    static final char FULL = 'F';
    static final char LOWER = 'L';
    static final char UPPER = 'U';

    /**
     * Block sizes, tuned on the AMD EPYC (Zen 4) this project measures on: a packed L block (MC×KC
     * doubles, 128 KiB) stays in L2, the four accumulator columns (4 KiB) in L1.
     */
    static final int MC = 128;
    static final int KC = 128;
    static final int NC = 128;

    private static final class Scratch {
        /** l[p] is column p of the packed L block (MC rows), r[j] column j of the packed R panel (KC rows). */
        final double[][] l = new double[KC][MC];
        final double[][] r = new double[NC][KC];
        final double[] acc0 = new double[MC];
        final double[] acc1 = new double[MC];
        final double[] acc2 = new double[MC];
        final double[] acc3 = new double[MC];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private BlockedProducts() {}

    /**
     * C ← beta·C + alpha·op(X)·op(Y) on {@code part} of the m×n matrix C; op(X) is m×k, op(Y) k×n.
     * Arguments are checked; m, n &gt; 0. {@code single}: every segment holds floats.
     */
    static void product(boolean single, char part, int m, int n, int k, double alpha,
                        MemorySegment x, int ldx, int kindX, MemorySegment y, int ldy, int kindY,
                        double beta, MemorySegment c, int ldc) {
        AbstractDenseLinearAlgebra.scaleByBeta(single, part, m, n, beta, c, ldc);
        if (alpha == 0.0 || k == 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                pack(single, y, ldy, kindY, pc, jc, kc, nc, s.r);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (outside(part, ic, mc, jc, nc)) {
                        continue;
                    }
                    pack(single, x, ldx, kindX, ic, pc, mc, kc, s.l);
                    tile(single, part, s, ic, mc, jc, nc, kc, alpha, c, ldc);
                }
            }
        }
    }

    /** True when no element of the tile rows [ic, ic+mc) × columns [jc, jc+nc) is in {@code part}. */
    private static boolean outside(char part, int ic, int mc, int jc, int nc) {
        return switch (part) {
            case LOWER -> ic + mc - 1 < jc;        // every row above every column's diagonal
            case UPPER -> ic > jc + nc - 1;        // every row below
            default -> false;
        };
    }

    /** C(ic.., jc..) += alpha · packed L · packed R, four columns at a time. */
    private static void tile(boolean single, char part, Scratch s, int ic, int mc, int jc, int nc, int kc,
                             double alpha, MemorySegment c, int ldc) {
        double[][] l = s.l;
        double[][] r = s.r;
        double[] acc0 = s.acc0;
        double[] acc1 = s.acc1;
        double[] acc2 = s.acc2;
        double[] acc3 = s.acc3;
        for (int j = 0; j < nc; j += 4) {
            int cols = Math.min(4, nc - j);
            Arrays.fill(acc0, 0, mc, 0.0);
            Arrays.fill(acc1, 0, mc, 0.0);
            Arrays.fill(acc2, 0, mc, 0.0);
            Arrays.fill(acc3, 0, mc, 0.0);
            // Columns past nc read column j's values again (always in range) and are never written back.
            double[] r0 = r[j];
            double[] r1 = r[cols > 1 ? j + 1 : j];
            double[] r2 = r[cols > 2 ? j + 2 : j];
            double[] r3 = r[cols > 3 ? j + 3 : j];
            for (int p = 0; p < kc; p++) {
                double b0 = r0[p];
                double b1 = r1[p];
                double b2 = r2[p];
                double b3 = r3[p];
                double[] lp = l[p];
                for (int i = 0; i < mc; i++) {
                    double a = lp[i];
                    acc0[i] = Math.fma(a, b0, acc0[i]);
                    acc1[i] = Math.fma(a, b1, acc1[i]);
                    acc2[i] = Math.fma(a, b2, acc2[i]);
                    acc3[i] = Math.fma(a, b3, acc3[i]);
                }
            }
            for (int q = 0; q < cols; q++) {
                double[] acc = q == 0 ? acc0 : q == 1 ? acc1 : q == 2 ? acc2 : acc3;
                int col = jc + j + q;
                int from = part == LOWER ? Math.max(0, col - ic) : 0;
                int to = part == UPPER ? Math.min(mc, col - ic + 1) : mc;
                long base = (long) col * ldc + ic;
                for (int i = from; i < to; i++) {
                    long at = base + i;
                    if (single) {
                        c.setAtIndex(JAVA_FLOAT, at, (float) (c.getAtIndex(JAVA_FLOAT, at) + alpha * acc[i]));
                    } else {
                        c.setAtIndex(JAVA_DOUBLE, at, c.getAtIndex(JAVA_DOUBLE, at) + alpha * acc[i]);
                    }
                }
            }
        }
    }

    /**
     * dst[p][i] = op(X)(r0 + i, c0 + p) for i &lt; rows, p &lt; cols, where op(X) is X, Xᵀ, or the
     * symmetric matrix whose lower/upper triangle X stores.
     */
    private static void pack(boolean single, MemorySegment x, int ld, int kind, int r0, int c0, int rows, int cols,
                             double[][] dst) {
        switch (kind) {
            case PLAIN -> {
                for (int p = 0; p < cols; p++) {
                    long from = r0 + (long) (c0 + p) * ld;
                    double[] d = dst[p];
                    if (single) {
                        for (int i = 0; i < rows; i++) {
                            d[i] = x.getAtIndex(JAVA_FLOAT, from + i);
                        }
                    } else {
                        MemorySegment.copy(x, JAVA_DOUBLE, from * Double.BYTES, d, 0, rows);
                    }
                }
            }
            case TRANSPOSED -> {
                // op(X)(r, c) = X(c, r): read along X's columns (contiguous), write across dst's rows.
                for (int i = 0; i < rows; i++) {
                    long from = c0 + (long) (r0 + i) * ld;
                    for (int p = 0; p < cols; p++) {
                        dst[p][i] = single ? x.getAtIndex(JAVA_FLOAT, from + p)
                                : x.getAtIndex(JAVA_DOUBLE, from + p);
                    }
                }
            }
            default -> {
                boolean lower = kind == SYMMETRIC_LOWER;
                for (int p = 0; p < cols; p++) {
                    int col = c0 + p;
                    for (int i = 0; i < rows; i++) {
                        int row = r0 + i;
                        boolean stored = lower ? row >= col : row <= col;
                        long at = stored ? row + (long) col * ld : col + (long) row * ld;
                        dst[p][i] = single ? x.getAtIndex(JAVA_FLOAT, at) : x.getAtIndex(JAVA_DOUBLE, at);
                    }
                }
            }
        }
    }
}
