package org.cgd4j.engine.internal.kernel;

/**
 * How the Vector API loops divide by a general power a: a block at a time, through a per-thread scratch
 * (public for the generated loops, which write the denominator of the other powers out themselves, as
 * ScalarDenominator computes it: KernelGen.denominator says why).
 */
public final class PanamaDenominator {
    private PanamaDenominator() {
    }

    /** Whether the op divides by a general power, which the Vector API loops take a block at a time. */
    public static boolean blocked(StepCoefficients c) {
        return c.powerKind == StepCoefficients.POWER_GENERAL && c.op != KernelOp.SGD && c.op != KernelOp.MOMENTUM;
    }

    // ---- a general power a: the scratch of one block (the generated Panama*Loops.step explains) ----

    /** Elements per block: a multiple of every species' lanes. */
    public static final int BLOCK = 256;

    /** One thread's scratch for a block. */
    public static final class Deferred {
        public final double[] base = new double[BLOCK], update = new double[BLOCK], hi = new double[BLOCK], lo = new double[BLOCK];
        public final float[] baseF = new float[BLOCK], updateF = new float[BLOCK], hiF = new float[BLOCK], loF = new float[BLOCK];
    }

    public static final ThreadLocal<Deferred> DEFERRED = ThreadLocal.withInitial(Deferred::new);
}
