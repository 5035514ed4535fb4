package org.cgd4j.engine.internal.group;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.full.FullPreconditioner;

/**
 * A FULL parameter group: one d_g × d_g metric over its tensors concatenated in layout order
 * (SPEC "Parameter groups"). It gathers its runs of the flat gradient into the preconditioner's
 * off-heap buffer, where the facade checks, clips and adds L2 before {@code prepare}, and scatters
 * the direction back with the decoupled decay.
 */
public final class FullGroup {
    public final int index;
    public final CgdConfig config;
    public final FullPreconditioner preconditioner;
    private final int[] starts;
    private final int[] lengths;

    public FullGroup(int index, CgdConfig config, List<int[]> runs, FullPreconditioner preconditioner) {
        this.index = index;
        this.config = config;
        this.preconditioner = preconditioner;
        this.starts = new int[runs.size()];
        this.lengths = new int[runs.size()];
        for (int r = 0; r < runs.size(); r++) {
            starts[r] = runs.get(r)[0];
            lengths[r] = runs.get(r)[1];
        }
    }

    /** Copies the group's runs of g into the preconditioner's gradient buffer. */
    public void gather(double[] g) {
        MemorySegment dst = preconditioner.gradient();
        long at = 0;
        for (int r = 0; r < starts.length; r++) {
            MemorySegment.copy(g, starts[r], dst, JAVA_DOUBLE, at * Double.BYTES, lengths[r]);
            at += lengths[r];
        }
    }

    /** As {@link #gather(double[])} from a segment of native-order doubles. */
    public void gather(MemorySegment g) {
        MemorySegment dst = preconditioner.gradient();
        long at = 0;
        for (int r = 0; r < starts.length; r++) {
            MemorySegment.copy(g, (long) starts[r] * Double.BYTES, dst, at * Double.BYTES, (long) lengths[r] * Double.BYTES);
            at += lengths[r];
        }
    }

    /** The flat index of element k of the gathered gradient (error messages name flat indices). */
    public long flatIndex(long k) {
        for (int r = 0; r < starts.length; r++) {
            if (k < lengths[r]) {
                return starts[r] + k;
            }
            k -= lengths[r];
        }
        throw new IndexOutOfBoundsException(k);
    }

    /** Σ g² over the gathered gradient, in order (the global clipping norm's share). */
    public double sumOfSquares() {
        MemorySegment g = preconditioner.gradient();
        double sum = 0;
        for (long k = 0, n = g.byteSize() / Double.BYTES; k < n; k++) {
            double x = g.getAtIndex(JAVA_DOUBLE, k);
            sum += x * x;
        }
        return sum;
    }

    /**
     * SPEC order "clip, then L2" on the gathered gradient: g ← c·g, then g ← g + λ₂·q (skipped when
     * λ₂ = 0: g + 0·q would turn −0 into +0 and ∞·0 into NaN). c = 1 leaves g exactly as it was.
     */
    public void clipAndL2(double scale, double[] q) {
        MemorySegment g = preconditioner.gradient();
        double l2 = config.l2();
        long k = 0;
        for (int r = 0; r < starts.length; r++) {
            for (int i = starts[r], end = starts[r] + lengths[r]; i < end; i++, k++) {
                double x = g.getAtIndex(JAVA_DOUBLE, k) * scale;
                g.setAtIndex(JAVA_DOUBLE, k, l2 != 0 ? x + l2 * q[i] : x);
            }
        }
    }

    /** As {@link #clipAndL2(double, double[])} with params in a segment. */
    public void clipAndL2(double scale, MemorySegment q) {
        MemorySegment g = preconditioner.gradient();
        double l2 = config.l2();
        long k = 0;
        for (int r = 0; r < starts.length; r++) {
            for (long i = starts[r], end = starts[r] + lengths[r]; i < end; i++, k++) {
                double x = g.getAtIndex(JAVA_DOUBLE, k) * scale;
                g.setAtIndex(JAVA_DOUBLE, k, l2 != 0 ? x + l2 * q.getAtIndex(JAVA_DOUBLE, i) : x);
            }
        }
    }

    /** q ← q·decay − γP on the group's runs (decay = 1 − γ_t·λ; exactly q − γP when decay = 1). */
    public void descend(double[] q, double decay) {
        MemorySegment p = preconditioner.direction();
        long k = 0;
        for (int r = 0; r < starts.length; r++) {
            for (int i = starts[r], end = starts[r] + lengths[r]; i < end; i++, k++) {
                q[i] = q[i] * decay - p.getAtIndex(JAVA_DOUBLE, k);
            }
        }
    }

    /** As {@link #descend(double[], double)} on a segment of native-order doubles. */
    public void descend(MemorySegment q, double decay) {
        MemorySegment p = preconditioner.direction();
        long k = 0;
        for (int r = 0; r < starts.length; r++) {
            for (long i = starts[r], end = starts[r] + lengths[r]; i < end; i++, k++) {
                q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) * decay - p.getAtIndex(JAVA_DOUBLE, k));
            }
        }
    }

    /** True when the group is the whole flat vector as one run (its params can be updated in one SIMD pass). */
    public boolean coversAll(long dimension) {
        return starts.length == 1 && starts[0] == 0 && lengths[0] == dimension;
    }
}
