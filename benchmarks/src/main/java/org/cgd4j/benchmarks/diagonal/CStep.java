package org.cgd4j.benchmarks.diagonal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.StepCoefficients;

/**
 * The C reference steps ({@link AdamReference}) over params, gradients, m and s of one precision: off-heap
 * ones filled as {@link StepArrays} fills the heap ones, or ({@link #onHeap}) the heap arrays themselves.
 * The caller prepares the coefficients.
 */
final class CStep implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final boolean single;
    private final long d;
    private final MemorySegment q, g, m, s;

    private CStep(boolean single, long d, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s) {
        this.single = single;
        this.d = d;
        this.q = q;
        this.g = g;
        this.m = m;
        this.s = s;
    }

    /**
     * C on the memory a Java step gets: the heap arrays of {@code arrays} (wherever the JVM placed them; the
     * downcalls are critical with heap access) and the state {@code m}, {@code s} the caller placed. So the
     * C loop and the Java loop can be timed on the same addresses: at d = 1e3 a step's time depends on them
     * (a misaligned 512-bit access splits a cache line; 4 KiB aliasing between the streams) by up to 1.5x.
     */
    static CStep onHeap(StepArrays arrays, MemorySegment m, MemorySegment s) {
        boolean single = arrays.q32 != null;
        return single
                ? new CStep(true, arrays.q32.length, MemorySegment.ofArray(arrays.q32), MemorySegment.ofArray(arrays.g32), m, s)
                : new CStep(false, arrays.q64.length, MemorySegment.ofArray(arrays.q64), MemorySegment.ofArray(arrays.g64), m, s);
    }

    CStep(String precision, int d) {
        this(precision, d, 0);
    }

    /**
     * As {@link #CStep(String, int)} with params and gradients starting {@code misalign} bytes past a
     * 64-byte boundary (16: where a large Java array's elements start), state aligned to 64.
     */
    CStep(String precision, int d, int misalign) {
        this.single = precision.equals("f32");
        this.d = d;
        long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
        // One page-aligned region, each array starting a quarter page further along (mod 4 KiB) than the
        // one before: the same placement in every fork. Four separate allocations landed wherever malloc
        // put them, and at d = 1e3 that moved this loop between 0.30 and 0.72 µs from fork to fork.
        long stride = (bytes + 4095) / 4096 * 4096 + 1024;
        MemorySegment region = arena.allocate(4 * stride + 64, 4096);
        q = region.asSlice(misalign, bytes);
        g = region.asSlice(stride + misalign, bytes);
        m = region.asSlice(2 * stride, bytes);
        s = region.asSlice(3 * stride, bytes);
        for (long i = 0; i < d; i++) {
            if (single) {
                q.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
                g.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) StepArrays.gradient(i));
            } else {
                q.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 1.0);
                g.setAtIndex(ValueLayout.JAVA_DOUBLE, i, StepArrays.gradient(i));
            }
        }
    }

    MemorySegment q() { return q; }

    MemorySegment g() { return g; }

    MemorySegment m() { return m; }

    MemorySegment s() { return s; }

    /** The C Adam loop (sqrt); behind the gradient check when {@code checked}. */
    void adam(StepCoefficients c, boolean checked) throws Throwable {
        int refused = 0;
        if (checked && single) {
            refused = (int) AdamReference.ADAM_CHECKED_F32.invokeExact(q, g, m, s, d, c.beta1F, c.oneMinusBeta1F,
                    c.beta2F, c.oneMinusBeta2F, c.stepScaleF, c.invC2F, c.epsilonF, c.epsilonOutsideF,
                    DiagonalKernels.MAX_GRADIENT_FLOAT);
        } else if (checked) {
            refused = (int) AdamReference.ADAM_CHECKED_F64.invokeExact(q, g, m, s, d, c.beta1, c.oneMinusBeta1,
                    c.beta2, c.oneMinusBeta2, c.stepScale, c.invC2, c.epsilon, c.epsilonOutside,
                    DiagonalKernels.MAX_GRADIENT);
        } else if (single) {
            AdamReference.ADAM_F32.invokeExact(q, g, m, s, d, c.beta1F, c.oneMinusBeta1F, c.beta2F,
                    c.oneMinusBeta2F, c.stepScaleF, c.invC2F, c.epsilonF, c.epsilonOutsideF);
        } else {
            AdamReference.ADAM_F64.invokeExact(q, g, m, s, d, c.beta1, c.oneMinusBeta1, c.beta2,
                    c.oneMinusBeta2, c.stepScale, c.invC2, c.epsilon, c.epsilonOutside);
        }
        if (refused != 0) {
            throw new IllegalStateException("the C reference refused a finite gradient");
        }
    }

    /**
     * The C Adam loop under the Java kernels' contract (adam_exact.c: their operations in their order, no
     * FMA contraction, max(s/c2, 0)); behind the gradient check when {@code checked}.
     */
    void adamExact(StepCoefficients c, boolean checked) throws Throwable {
        int refused = 0;
        if (checked && single) {
            refused = (int) AdamReference.ADAM_EXACT_CHECKED_F32.invokeExact(q, g, m, s, d, c.beta1F, c.oneMinusBeta1F,
                    c.beta2F, c.oneMinusBeta2F, c.stepScaleF, c.invC2F, c.epsilonF, c.epsilonOutsideF,
                    DiagonalKernels.MAX_GRADIENT_FLOAT);
        } else if (checked) {
            refused = (int) AdamReference.ADAM_EXACT_CHECKED_F64.invokeExact(q, g, m, s, d, c.beta1, c.oneMinusBeta1,
                    c.beta2, c.oneMinusBeta2, c.stepScale, c.invC2, c.epsilon, c.epsilonOutside,
                    DiagonalKernels.MAX_GRADIENT);
        } else if (single) {
            AdamReference.ADAM_EXACT_F32.invokeExact(q, g, m, s, d, c.beta1F, c.oneMinusBeta1F, c.beta2F,
                    c.oneMinusBeta2F, c.stepScaleF, c.invC2F, c.epsilonF, c.epsilonOutsideF);
        } else {
            AdamReference.ADAM_EXACT_F64.invokeExact(q, g, m, s, d, c.beta1, c.oneMinusBeta1, c.beta2,
                    c.oneMinusBeta2, c.stepScale, c.invC2, c.epsilon, c.epsilonOutside);
        }
        if (refused != 0) {
            throw new IllegalStateException("the C reference refused a finite gradient");
        }
    }

    /** The C Adam loop with (ε + s/c2)^a from glibc's vectorised pow. */
    void adamPow(StepCoefficients c) throws Throwable {
        if (single) {
            AdamReference.ADAM_POW_F32.invokeExact(q, g, m, s, d, c.beta1F, c.oneMinusBeta1F, c.beta2F,
                    c.oneMinusBeta2F, c.stepScaleF, c.invC2F, c.epsilonF, c.epsilonOutsideF, c.powerF);
        } else {
            AdamReference.ADAM_POW_F64.invokeExact(q, g, m, s, d, c.beta1, c.oneMinusBeta1, c.beta2,
                    c.oneMinusBeta2, c.stepScale, c.invC2, c.epsilon, c.epsilonOutside, c.power);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
