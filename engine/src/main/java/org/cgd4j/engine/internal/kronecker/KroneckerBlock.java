package org.cgd4j.engine.internal.kronecker;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.cgd4j.blas.LapackException;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelOp;
import org.cgd4j.engine.internal.kernel.StepCoefficients;

/**
 * One block of a KRONECKER group (SPEC "Structure KRONECKER"): an m_b × n_b piece G of a tensor's
 * matrix view, its factors S_L = avg(G Gᵀ), S_R = avg(Gᵀ G), their eigenbases Q_L, Q_R, and the
 * DIAGONAL state of the metric in frame coordinates.
 *
 * <p><b>Layout.</b> G's rows are contiguous in the flat vector, so the block is packed as the
 * column-major n_b × m_b matrix X = Gᵀ (one copy per row) and every formula is used transposed:
 * S_L = XᵀX, S_R = XXᵀ, the frame gradient X̃ = Q_Rᵀ X Q_L (= G̃ᵀ), the step Q_R Z Q_Lᵀ. The
 * frame state is kept in the same n_b × m_b layout. A side of length 1 has no factor.
 *
 * <p><b>Check, then commit.</b> {@link #prepare} writes only work and "next" buffers: the updated
 * factors, on a refresh their eigenvectors (DSYEVD) and the state moved into the new frame, then the
 * frame step's state and Z = −γ_t·P̃. It throws when LAPACK fails or anything is not finite, and
 * then nothing of the block has changed. {@link #commit} swaps the buffers in and adds
 * Q_R Z Q_Lᵀ to the params: it cannot fail.
 *
 * <p><b>Precision.</b> Double state by default; {@link #useFloat} switches an untouched block to float
 * state (SSYRK, SGEMM, SSYEVD and the float DIAGONAL kernels on float segments), which then uses the
 * first half of each double-sized buffer. The precision is fixed by the optimizer's first step, so the
 * buffers are allocated before it is known.
 */
final class KroneckerBlock {
    /** Position in the group, in the order blocks are cut (tensor by tensor, row-major). */
    final int index;
    final int mb, nb;
    final boolean left, right;
    /** Flat index of G[0, 0] and the tensor's row length (the stride between G's rows). */
    final long offset;
    final int rowStride;
    private final long size;
    /** Float state (4-byte elements) rather than double. */
    private boolean single;

    // Committed state and its next values, swapped at commit.
    MemorySegment sl, sln, ql, qln, lamL, lamLn;
    MemorySegment sr, srn, qr, qrn, lamR, lamRn;
    MemorySegment m, s, mu, mn, sn, mun;
    /** Z = −γ_t·P̃ of the prepared step (frame coordinates). */
    final MemorySegment z;

    KroneckerBlock(int index, int mb, int nb, long offset, int rowStride, KernelOp op, Arena arena) {
        this.index = index;
        this.mb = mb;
        this.nb = nb;
        this.left = mb > 1;
        this.right = nb > 1;
        this.offset = offset;
        this.rowStride = rowStride;
        this.size = (long) mb * nb;
        if (left) {
            sl = doubles(arena, (long) mb * mb);
            sln = doubles(arena, (long) mb * mb);
            ql = identity(doubles(arena, (long) mb * mb), mb);
            qln = doubles(arena, (long) mb * mb);
            lamL = doubles(arena, mb);
            lamLn = doubles(arena, mb);
        }
        if (right) {
            sr = doubles(arena, (long) nb * nb);
            srn = doubles(arena, (long) nb * nb);
            qr = identity(doubles(arena, (long) nb * nb), nb);
            qrn = doubles(arena, (long) nb * nb);
            lamR = doubles(arena, nb);
            lamRn = doubles(arena, nb);
        }
        int slices = op.stateSlices();
        m = slices >= 1 ? doubles(arena, size) : null;
        mn = slices >= 1 ? doubles(arena, size) : null;
        s = slices >= 2 ? doubles(arena, size) : null;
        sn = slices >= 2 ? doubles(arena, size) : null;
        mu = slices >= 3 ? doubles(arena, size) : null;
        mun = slices >= 3 ? doubles(arena, size) : null;
        z = doubles(arena, size);
    }

    /** Bytes this block keeps (state, next state, Z), for the group's budget before allocating. */
    static long bytes(int mb, int nb, KernelOp op) {
        // longs throughout: a side near 2^31 must not wrap (the caller saturates the totals)
        long square = 0;
        if (mb > 1) {
            square += 4L * mb * mb + 2L * mb;
        }
        if (nb > 1) {
            square += 4L * nb * nb + 2L * nb;
        }
        return Double.BYTES * (square + (2L * op.stateSlices() + 1) * mb * nb);
    }

    private static MemorySegment doubles(Arena arena, long n) {
        return arena.allocate(n * Double.BYTES, 64);
    }

    private MemorySegment identity(MemorySegment q, int n) {
        for (int i = 0; i < n; i++) {
            set(q, (long) i * n + i, 1);
        }
        return q;
    }

    /**
     * Everything of step t that can fail, with X = the block's packed (clipped, L2) gradient in
     * {@code w.x}: the factors, a refresh when due, the frame step. {@code c} holds step t's scalars with
     * neutral terms (clip and L2 are already in X, decay is applied at commit).
     */
    void prepare(long t, boolean refresh, boolean framedBefore, double c2Before, StepCoefficients c,
                 KroneckerWork w, DiagonalKernels kernels, boolean metricMean, boolean qrRefresh) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2;
        // 1. factors (lower triangles), S ← β2·S + (1−β2)·(update)
        if (left) {
            MemorySegment.copy(sl, 0, sln, 0, (long) mb * mb * bytes());
            w.syrk('T', mb, nb, oneMinusBeta2, w.x, nb, beta2, sln, mb);
            requireFiniteDiagonal(sln, mb, t, "S_L");
        }
        if (right) {
            MemorySegment.copy(sr, 0, srn, 0, (long) nb * nb * bytes());
            w.syrk('N', nb, mb, oneMinusBeta2, w.x, nb, beta2, srn, nb);
            requireFiniteDiagonal(srn, nb, t, "S_R");
        }
        // 2. refresh: new eigenbases, the frame state moved into them
        if (refresh) {
            // QR: one power-iteration step from the current basis; the first refresh has none yet
            if (left) {
                if (qrRefresh && framedBefore) {
                    powerStep(sln, ql, qln, lamLn, mb, w);
                } else {
                    eigenvectors(sln, qln, lamLn, mb, w, t, "S_L");
                }
            }
            if (right) {
                if (qrRefresh && framedBefore) {
                    powerStep(srn, qr, qrn, lamRn, nb, w);
                } else {
                    eigenvectors(srn, qrn, lamRn, nb, w, t, "S_R");
                }
            }
        }
        if (refresh && t > 1) { // at t = 1 the state is zero: nothing to move
            moveState(framedBefore, c2Before, w, metricMean);
        } else {
            copyState();
        }
        MemorySegment qlNow = refresh ? qln : ql;
        MemorySegment qrNow = refresh ? qrn : qr;
        // 3. X̃ = Q_Rᵀ X Q_L (before the first refresh Q = I: X itself, so KRONECKER is DIAGONAL bit for bit)
        MemorySegment gt = w.x;
        if (refresh || framedBefore) {
            gt = rotate(w.x, qrNow, qlNow, 'T', 'N', w);
            long bad = single ? kernels.firstNonFiniteFloat(gt, 0, size) : kernels.firstNonFinite(gt, 0, size);
            if (bad >= 0) {
                throw new ArithmeticException("step " + t + ": the gradient rotated into the Kronecker frame has an element"
                        + " beyond the kernels' limit (" + get(gt, bad) + "); step refused, params and state unchanged");
            }
        }
        // 4. the DIAGONAL step in the frame, on z = 0: afterwards z = −γ_t·P̃
        z.fill((byte) 0);
        if (single) {
            kernels.stepFloat(c, z, gt, 0, mn, sn, mun, 0, size);
        } else {
            kernels.step(c, z, gt, mn, sn, mun, 0, size);
        }
    }

    /**
     * Swaps the prepared state in and returns the step Q_R Z Q_Lᵀ (in a work buffer, or Z itself before
     * the first refresh), n_b × m_b column-major: the caller adds it to the params (q ← q·decay + step).
     */
    MemorySegment commit(boolean refresh, boolean framedAfter, KroneckerWork w) {
        MemorySegment swap;
        if (left) {
            swap = sl; sl = sln; sln = swap;
        }
        if (right) {
            swap = sr; sr = srn; srn = swap;
        }
        if (refresh) {
            if (left) {
                swap = ql; ql = qln; qln = swap;
                swap = lamL; lamL = lamLn; lamLn = swap;
            }
            if (right) {
                swap = qr; qr = qrn; qrn = swap;
                swap = lamR; lamR = lamRn; lamRn = swap;
            }
        }
        if (m != null) {
            swap = m; m = mn; mn = swap;
        }
        if (s != null) {
            swap = s; s = sn; sn = swap;
        }
        if (mu != null) {
            swap = mu; mu = mun; mun = swap;
        }
        return framedAfter ? rotate(z, qr, ql, 'N', 'T', w) : z;
    }

    /**
     * op(A)·Y·op'(B) for Y (n_b × m_b) with A = Q_R (n_b²) on the left and B = Q_L (m_b²) on the right,
     * skipping a side of length 1, into a work buffer.
     */
    private MemorySegment rotate(MemorySegment y, MemorySegment a, MemorySegment b, char transA, char transB,
                                 KroneckerWork w) {
        MemorySegment current = y;
        if (right) {
            w.gemm(transA, 'N', nb, mb, nb, a, nb, current, nb, w.t, nb);
            current = w.t;
        }
        if (left) {
            MemorySegment out = current == w.t ? w.u : w.t;
            w.gemm('N', transB, nb, mb, mb, current, nb, b, mb, out, nb);
            current = out;
        }
        return current;
    }

    private void eigenvectors(MemorySegment factor, MemorySegment q, MemorySegment lambda, int n, KroneckerWork w, long t,
                              String name) {
        MemorySegment.copy(factor, 0, q, 0, (long) n * n * bytes());
        try {
            w.syevd(n, q, lambda);
        } catch (LapackException e) {
            throw new LapackException(e.routine(), e.info(), "step " + t + ", Kronecker factor " + name + " (" + n + "×" + n
                    + ") refused, params and state unchanged: " + e.getMessage());
        }
    }

    /**
     * RefreshMode.QR after the first refresh (SOAP's refresh): Q' = qr(S·Q) by SYMM, GEQRF and
     * ORGQR, its columns ordered by the Rayleigh quotients diag(Q'ᵀ S Q') ascending (kept as the
     * eigenvalue estimates), so that the frame's coordinates follow the eigenvalue order as DSYEVD's do.
     * Q's columns enter the QR largest eigenvalue first (Q is kept ascending, so reversed): subspace
     * iteration pulls the leading columns towards the dominant eigenvectors, and in ascending order it
     * would drag the smallest one there.
     */
    private void powerStep(MemorySegment factor, MemorySegment q, MemorySegment qNew, MemorySegment lambda, int n,
                           KroneckerWork w) {
        long column = (long) n * bytes();
        for (int j = 0; j < n; j++) {
            MemorySegment.copy(q, (long) (n - 1 - j) * column, w.sq2, (long) j * column, column);
        }
        w.symm(n, factor, w.sq2, w.sq);
        w.orthonormalise(n, w.sq);
        w.symm(n, factor, w.sq, w.sq2);
        double[] rayleigh = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            double sum = 0; // in double for float state too: the order of near-equal quotients is then the same
            for (int i = 0; i < n; i++) {
                long at = (long) j * n + i;
                sum += get(w.sq, at) * get(w.sq2, at);
            }
            rayleigh[j] = sum;
            order[j] = j;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(rayleigh[a], rayleigh[b]));
        for (int j = 0; j < n; j++) {
            MemorySegment.copy(w.sq, order[j] * column, qNew, j * column, column);
            set(lambda, j, rayleigh[order[j]]);
        }
    }

    /**
     * The frame state of step t − 1 moved into the new eigenbases (SPEC step 2): m and μ by the
     * rotation O = Q_oldᵀ Q_new (exact, linear), s (or b) re-projected by O∘O; COVARIANCE with the
     * METRIC mean re-projects the variance s − μ∘μ/c2 and adds the rotated mean back.
     */
    private void moveState(boolean framedBefore, double c2, KroneckerWork w, boolean metricMean) {
        if (m == null) {
            return;
        }
        // O_L = Q_Lᵀ Q'_L (Q_L = I before the first refresh: O = Q' exactly), into w.ol / w.or
        if (left) {
            overlap(ql, qln, mb, framedBefore, w.ol, w);
        }
        if (right) {
            overlap(qr, qrn, nb, framedBefore, w.or, w);
        }
        // m' (transposed space) = O_Rᵀ m O_L
        MemorySegment rotated = rotate(m, w.or, w.ol, 'T', 'N', w);
        MemorySegment.copy(rotated, 0, mn, 0, size * bytes());
        if (mu != null) {
            rotated = rotate(mu, w.or, w.ol, 'T', 'N', w);
            MemorySegment.copy(rotated, 0, mun, 0, size * bytes());
        }
        if (s == null) {
            return;
        }
        square(w.ol, (long) mb * mb, left);
        square(w.or, (long) nb * nb, right);
        if (metricMean) {
            // variance s − μ∘μ/c2, re-projected, plus μ'∘μ'/c2
            // (float state: each element computed in double and rounded once)
            for (long i = 0; i < size; i++) {
                double u = get(mu, i);
                set(w.x2, i, get(s, i) - u * u / c2);
            }
            rotated = rotate(w.x2, w.or, w.ol, 'T', 'N', w);
            for (long i = 0; i < size; i++) {
                double u = get(mun, i);
                set(sn, i, get(rotated, i) + u * u / c2);
            }
        } else {
            rotated = rotate(s, w.or, w.ol, 'T', 'N', w);
            MemorySegment.copy(rotated, 0, sn, 0, size * bytes());
        }
    }

    private void overlap(MemorySegment qOld, MemorySegment qNew, int n, boolean framed, MemorySegment out, KroneckerWork w) {
        if (framed) {
            w.gemm('T', 'N', n, n, n, qOld, n, qNew, n, out, n);
        } else {
            MemorySegment.copy(qNew, 0, out, 0, (long) n * n * bytes());
        }
    }

    /** o ← o∘o elementwise (a float's square rounded once: the float product). */
    private void square(MemorySegment o, long n, boolean present) {
        if (!present) {
            return;
        }
        for (long i = 0; i < n; i++) {
            double x = get(o, i);
            set(o, i, x * x);
        }
    }

    private void copyState() {
        if (m != null) {
            MemorySegment.copy(m, 0, mn, 0, size * bytes());
        }
        if (s != null) {
            MemorySegment.copy(s, 0, sn, 0, size * bytes());
        }
        if (mu != null) {
            MemorySegment.copy(mu, 0, mun, 0, size * bytes());
        }
    }

    /** Bytes of one state element. */
    private int bytes() {
        return single ? Float.BYTES : Double.BYTES;
    }

    /** Element i of a state or work buffer, widened to double for float state. */
    double get(MemorySegment segment, long i) {
        return single ? segment.getAtIndex(JAVA_FLOAT, i) : segment.getAtIndex(JAVA_DOUBLE, i);
    }

    /** Sets element i, rounded to float for float state. */
    void set(MemorySegment segment, long i, double value) {
        if (single) {
            segment.setAtIndex(JAVA_FLOAT, i, (float) value);
        } else {
            segment.setAtIndex(JAVA_DOUBLE, i, value);
        }
    }

    /** Whether the block keeps float state. */
    boolean single() { return single; }

    /**
     * Switches an untouched block (no step committed: factors and frame state zero, Q = I) between
     * double and float state: the buffers are zeroed and Q is rewritten as the identity of the new
     * element type. The group calls it only before its first step.
     */
    void useFloat(boolean single) {
        if (single == this.single) {
            return;
        }
        this.single = single;
        for (MemorySegment segment : new MemorySegment[] {sl, sln, ql, qln, lamL, lamLn, sr, srn, qr, qrn, lamR, lamRn,
                m, s, mu, mn, sn, mun, z}) {
            if (segment != null) {
                segment.fill((byte) 0);
            }
        }
        if (left) {
            identity(ql, mb);
        }
        if (right) {
            identity(qr, nb);
        }
    }

    /**
     * The factor is positive semi-definite, so its trace bounds every eigenvalue and entry: a trace
     * at most MAX_VALUE/4 keeps DSYEVD, the projections and the next updates finite (a bound on each
     * diagonal entry alone would not bound their sum, the top eigenvalue).
     */
    private void requireFiniteDiagonal(MemorySegment factor, int n, long t, String name) {
        double trace = 0;
        for (int i = 0; i < n; i++) {
            trace += get(factor, (long) i * n + i);
        }
        if (!(trace <= (single ? Float.MAX_VALUE : Double.MAX_VALUE) / 4)) {
            throw new ArithmeticException("step " + t + ": the Kronecker factor " + name + " overflows (trace = " + trace
                    + "; gradient too large for its square?); step refused, params and state unchanged");
        }
    }

    /** The block's checkpoint slices, named with {@code prefix}: exactly the elements in use (float state: 4 bytes each). */
    void slices(String prefix, List<StateSlice> out) {
        if (left) {
            out.add(slice(prefix + "SL", sl, (long) mb * mb));
            out.add(slice(prefix + "QL", ql, (long) mb * mb));
            out.add(slice(prefix + "lambdaL", lamL, mb));
        }
        if (right) {
            out.add(slice(prefix + "SR", sr, (long) nb * nb));
            out.add(slice(prefix + "QR", qr, (long) nb * nb));
            out.add(slice(prefix + "lambdaR", lamR, nb));
        }
        if (m != null) {
            out.add(slice(prefix + "m", m, size));
        }
        if (s != null) {
            out.add(slice(prefix + "s", s, size));
        }
        if (mu != null) {
            out.add(slice(prefix + "mu", mu, size));
        }
    }

    private StateSlice slice(String name, MemorySegment segment, long elements) {
        return new StateSlice(name, segment.asSlice(0, elements * bytes()));
    }

    /** Eigenvalues of the factors at the last refresh (empty for a side of length 1), widened to double. */
    double[][] factorEigenvalues() {
        return new double[][] {left ? values(lamL, mb) : new double[0], right ? values(lamR, nb) : new double[0]};
    }

    private double[] values(MemorySegment segment, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = get(segment, i);
        }
        return out;
    }

    List<StateSlice> slices() {
        List<StateSlice> list = new ArrayList<>();
        slices("", list);
        return list;
    }

}
