package org.cgd4j.engine.internal.kernel;

import static org.cgd4j.engine.internal.kernel.PanamaDenominator.defer;
import static org.cgd4j.engine.internal.kernel.PanamaDenominator.denominator;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.cgd4j.engine.internal.kernel.PanamaDenominator.Deferred;

/**
 * The fused Vector API loops of each op on native double segments: params, gradients and state.
 * Every loop reads each input once and writes each output once, mirrors its
 * {@link ScalarDiagonalKernels} twin operation by operation (no FMA), and hands its tail (fewer
 * than one vector) to that twin. With a {@link Deferred} the loop stops short of q and leaves the
 * denominator's base and the update there (a general power, see PanamaDiagonalKernels).
 */
final class PanamaSegmentLoops {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private PanamaSegmentLoops() {
    }

    static void sgd(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        double stepScale = c.stepScale;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).mul(stepScale)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.sgd(c, q, g, i, to);
    }

    static void momentum(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, stepScale = c.stepScale;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).mul(oneMinusBeta1));
            mi.intoMemorySegment(m, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(mi.mul(stepScale)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.momentum(c, q, g, m, i, to);
    }

    static void secondMoment(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector metric = si.mul(invC2);
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(update.div(denominator(c, metric))).intoMemorySegment(q, i << 3, ORDER);
            }
        }
        ScalarDiagonalKernels.secondMoment(c, q, g, m, s, i, to);
    }

    static void rmsprop(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, long from, long to, Deferred deferred) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector metric = si.mul(invC2);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector update = gi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(update.div(denominator(c, metric))).intoMemorySegment(q, i << 3, ORDER);
            }
        }
        ScalarDiagonalKernels.rmsprop(c, q, g, s, i, to);
    }

    static void covarianceMetric(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector ui = DoubleVector.fromMemorySegment(D, mu, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            DoubleVector uh = ui.mul(invC2);
            DoubleVector metric = si.mul(invC2).sub(uh.mul(uh));
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            ui.intoMemorySegment(mu, i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(update.div(denominator(c, metric))).intoMemorySegment(q, i << 3, ORDER);
            }
        }
        ScalarDiagonalKernels.covarianceMetric(c, q, g, m, s, mu, i, to);
    }

    static void rmspropCentered(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector ui = DoubleVector.fromMemorySegment(D, mu, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            DoubleVector uh = ui.mul(invC2);
            DoubleVector metric = si.mul(invC2).sub(uh.mul(uh));
            si.intoMemorySegment(s, i << 3, ORDER);
            ui.intoMemorySegment(mu, i << 3, ORDER);
            DoubleVector update = gi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(update.div(denominator(c, metric))).intoMemorySegment(q, i << 3, ORDER);
            }
        }
        ScalarDiagonalKernels.rmspropCentered(c, q, g, s, mu, i, to);
    }

    static void covarianceForce(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC1 = c.invC1, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector mh = mi.mul(invC1);
            DoubleVector metric = si.mul(invC2).sub(mh.mul(mh));
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(update.div(denominator(c, metric))).intoMemorySegment(q, i << 3, ORDER);
            }
        }
        ScalarDiagonalKernels.covarianceForce(c, q, g, m, s, i, to);
    }

    static void belief(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector ri = gi.sub(mi);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(ri.mul(oneMinusBeta2).mul(ri));
            DoubleVector metric = si.mul(invC2);
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(update.div(denominator(c, metric))).intoMemorySegment(q, i << 3, ORDER);
            }
        }
        ScalarDiagonalKernels.belief(c, q, g, m, s, i, to);
    }
}
