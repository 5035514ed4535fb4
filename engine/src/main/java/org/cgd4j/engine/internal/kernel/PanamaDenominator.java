package org.cgd4j.engine.internal.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The denominator (ε + max(X̂, 0))^a + ε' of the Vector API loops, as
 * ScalarDenominator computes it (public for the generated loops), and the per-thread scratch through which a general
 * power a is taken a block at a time.
 */
public final class PanamaDenominator {
    private static final VectorSpecies<Double> D = KernelSpecies.DOUBLE;
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;

    private PanamaDenominator() {
    }

    // ---- (ε + max(x, 0))^a + ε', as ScalarDenominator ----
    // max(x, 0) as "x < 0 ? 0 : x": a compare and a blend, where Java's max costs five ops (NaN and
    // sign-of-zero rules). The two differ only at x = −0, and ε + (−0) = ε + (+0) since ε is never −0
    // (StepCoefficients makes it +0), so the base is bit-identical to the scalar one.

    public static DoubleVector base(StepCoefficients c, DoubleVector x) {
        return x.blend(DoubleVector.zero(D), x.lt(0.0)).add(c.epsilon);
    }

    public static FloatVector base(StepCoefficients c, FloatVector x) {
        return x.blend(FloatVector.zero(F), x.lt(0f)).add(c.epsilonF);
    }

    /** The denominator for the powers a loop takes in line; a general power goes through {@link Deferred}. */
    public static DoubleVector denominator(StepCoefficients c, DoubleVector x) {
        DoubleVector base = base(c, x);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutside);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutside);
            case StepCoefficients.POWER_ZERO -> DoubleVector.broadcast(D, 1 + c.epsilonOutside);
            default -> throw new IllegalStateException("a general power runs block by block");
        };
    }

    public static FloatVector denominator(StepCoefficients c, FloatVector x) {
        FloatVector base = base(c, x);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ZERO -> FloatVector.broadcast(F, 1f + c.epsilonOutsideF);
            default -> throw new IllegalStateException("a general power runs block by block");
        };
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

    public static void defer(StepCoefficients c, Deferred d, int j, DoubleVector metric, DoubleVector update) {
        base(c, metric).intoArray(d.base, j);
        update.intoArray(d.update, j);
    }

    public static void defer(StepCoefficients c, Deferred d, int j, FloatVector metric, FloatVector update) {
        base(c, metric).intoArray(d.baseF, j);
        update.intoArray(d.updateF, j);
    }
}
