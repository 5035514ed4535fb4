package org.cgd4j.engine.internal.kernel;

import static org.cgd4j.engine.internal.kernel.PanamaDenominator.defer;
import static org.cgd4j.engine.internal.kernel.PanamaDenominator.denominator;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.cgd4j.engine.internal.kernel.PanamaDenominator.Deferred;

/**
 * The fused Vector API loops of each op on float[] params and gradients with native float state.
 * Every loop reads each input once and writes each output once, mirrors its
 * {@link ScalarDiagonalKernels} twin operation by operation (no FMA), and hands its tail (fewer
 * than one vector) to that twin. With a {@link Deferred} the loop stops short of q and leaves the
 * denominator's base and the update there (a general power, see PanamaDiagonalKernels).
 */
final class PanamaFloatLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int FL = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private PanamaFloatLoops() {
    }

    static void sgd(StepCoefficients c, float[] q, float[] g, long from, long to) {
        float stepScale = c.stepScaleF;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector.fromArray(F, q, i).sub(FloatVector.fromArray(F, g, i).mul(stepScale)).intoArray(q, i);
        }
        ScalarDiagonalKernels.sgdFloat(c, q, g, i, to);
    }

    static void momentum(StepCoefficients c, float[] q, float[] g, MemorySegment m, long from, long to) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, stepScale = c.stepScaleF;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(FloatVector.fromArray(F, g, i).mul(oneMinusBeta1));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(mi.mul(stepScale)).intoArray(q, i);
        }
        ScalarDiagonalKernels.momentumFloat(c, q, g, m, i, to);
    }

    static void secondMoment(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector metric = si.mul(invC2);
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                FloatVector.fromArray(F, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.secondMomentFloat(c, q, g, m, s, i, to);
    }

    static void rmsprop(StepCoefficients c, float[] q, float[] g, MemorySegment s, long from, long to, Deferred deferred) {
        float beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector metric = si.mul(invC2);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector update = gi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                FloatVector.fromArray(F, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.rmspropFloat(c, q, g, s, i, to);
    }

    static void covarianceMetric(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector ui = FloatVector.fromMemorySegment(F, mu, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            FloatVector uh = ui.mul(invC2);
            FloatVector metric = si.mul(invC2).sub(uh.mul(uh));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            ui.intoMemorySegment(mu, (long) i << 2, ORDER);
            FloatVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                FloatVector.fromArray(F, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.covarianceMetricFloat(c, q, g, m, s, mu, i, to);
    }

    static void rmspropCentered(StepCoefficients c, float[] q, float[] g, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
        float beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector ui = FloatVector.fromMemorySegment(F, mu, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            FloatVector uh = ui.mul(invC2);
            FloatVector metric = si.mul(invC2).sub(uh.mul(uh));
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            ui.intoMemorySegment(mu, (long) i << 2, ORDER);
            FloatVector update = gi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                FloatVector.fromArray(F, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.rmspropCenteredFloat(c, q, g, s, mu, i, to);
    }

    static void covarianceForce(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC1 = c.invC1F, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector mh = mi.mul(invC1);
            FloatVector metric = si.mul(invC2).sub(mh.mul(mh));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                FloatVector.fromArray(F, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.covarianceForceFloat(c, q, g, m, s, i, to);
    }

    static void belief(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector ri = gi.sub(mi);
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(ri.mul(oneMinusBeta2).mul(ri));
            FloatVector metric = si.mul(invC2);
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                FloatVector.fromArray(F, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.beliefFloat(c, q, g, m, s, i, to);
    }
}
