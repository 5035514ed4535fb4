package org.cgd4j.engine.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * Plain Java kernels: the reference twin of the Vector API kernels and the fallback when
 * {@code jdk.incubator.vector} is absent. The Vector API kernels call the static range methods
 * here for their tails, so both evaluate every element with the same operations in the same order.
 */
public final class ScalarDiagonalKernels implements DiagonalKernels {

    @Override public String name() { return "scalar"; }
    @Override public int doubleLanes() { return 1; }
    @Override public int floatLanes() { return 1; }

    @Override
    public long firstNonFinite(MemorySegment g, long from, long to) {
        return firstNonFiniteRange(g, from, to);
    }

    @Override
    public long firstNonFiniteFloat(MemorySegment g, long from, long to) {
        return firstNonFiniteFloatRange(g, from, to);
    }

    static long firstNonFiniteRange(MemorySegment g, long from, long to) {
        for (long i = from; i < to; i++) {
            if (!Double.isFinite(g.getAtIndex(JAVA_DOUBLE, i))) {
                return i;
            }
        }
        return -1;
    }

    static long firstNonFiniteFloatRange(MemorySegment g, long from, long to) {
        for (long i = from; i < to; i++) {
            if (!Float.isFinite(g.getAtIndex(JAVA_FLOAT, i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        stepRange(c, q, g, m, s, mu, from, to);
    }

    @Override
    public void stepFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                          MemorySegment mu, long from, long to) {
        stepRangeFloat(c, q, g, m, s, mu, from, to);
    }

    @Override
    public void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        averageRange(avg, g, beta, oneMinusBeta, from, to);
    }

    @Override
    public void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        subtractScaledRange(q, p, scale, from, to);
    }

    // ---- shared element formulas (the Vector API kernels mirror these operation by operation) ----

    /** (ε + max(x, 0))^a + ε': the denominator of f in SPEC step 4. */
    static double denominator(StepCoefficients c, double x) {
        double base = c.epsilon + Math.max(x, 0);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> Math.sqrt(base) + c.epsilonOutside;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutside;
            case StepCoefficients.POWER_ZERO -> 1 + c.epsilonOutside;
            default -> Math.pow(base, c.power) + c.epsilonOutside;
        };
    }

    static float denominator(StepCoefficients c, float x) {
        float base = c.epsilonF + Math.max(x, 0f);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> (float) Math.sqrt(base) + c.epsilonOutsideF;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutsideF;
            case StepCoefficients.POWER_ZERO -> 1f + c.epsilonOutsideF;
            default -> (float) Math.pow(base, c.power) + c.epsilonOutsideF;
        };
    }

    // ---- double ranges ----

    static void stepRange(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                          MemorySegment mu, long from, long to) {
        switch (c.op) {
            case SGD -> sgd(c, q, g, from, to);
            case MOMENTUM -> momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMoment(c, q, g, m, s, from, to);
            case COVARIANCE_METRIC -> covarianceMetric(c, q, g, m, s, mu, from, to);
            case COVARIANCE_FORCE -> covarianceForce(c, q, g, m, s, from, to);
            case BELIEF -> belief(c, q, g, m, s, from, to);
        }
    }

    static void sgd(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        double lr = c.stepScale;
        for (long i = from; i < to; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - lr * g.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    static void momentum(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, long from, long to) {
        for (long i = from; i < to; i++) {
            double mi = c.beta1 * m.getAtIndex(JAVA_DOUBLE, i) + c.oneMinusBeta1 * g.getAtIndex(JAVA_DOUBLE, i);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - c.stepScale * mi);
        }
    }

    static void secondMoment(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                             long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = c.beta1 * m.getAtIndex(JAVA_DOUBLE, i) + c.oneMinusBeta1 * gi;
            double si = c.beta2 * s.getAtIndex(JAVA_DOUBLE, i) + (c.oneMinusBeta2 * gi) * gi;
            double den = denominator(c, si * c.invC2);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - (c.stepScale * mi) / den);
        }
    }

    static void covarianceMetric(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                 MemorySegment s, MemorySegment mu, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = c.beta1 * m.getAtIndex(JAVA_DOUBLE, i) + c.oneMinusBeta1 * gi;
            double si = c.beta2 * s.getAtIndex(JAVA_DOUBLE, i) + (c.oneMinusBeta2 * gi) * gi;
            double ui = c.beta2 * mu.getAtIndex(JAVA_DOUBLE, i) + c.oneMinusBeta2 * gi;
            double uh = ui * c.invC2;
            double den = denominator(c, si * c.invC2 - uh * uh);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            mu.setAtIndex(JAVA_DOUBLE, i, ui);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - (c.stepScale * mi) / den);
        }
    }

    static void covarianceForce(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = c.beta1 * m.getAtIndex(JAVA_DOUBLE, i) + c.oneMinusBeta1 * gi;
            double si = c.beta2 * s.getAtIndex(JAVA_DOUBLE, i) + (c.oneMinusBeta2 * gi) * gi;
            double mh = mi * c.invC1;
            double den = denominator(c, si * c.invC2 - mh * mh);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - (c.stepScale * mi) / den);
        }
    }

    static void belief(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment b,
                       long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = c.beta1 * m.getAtIndex(JAVA_DOUBLE, i) + c.oneMinusBeta1 * gi;
            double ri = gi - mi;
            double bi = c.beta2 * b.getAtIndex(JAVA_DOUBLE, i) + (c.oneMinusBeta2 * ri) * ri;
            double den = denominator(c, bi * c.invC2);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            b.setAtIndex(JAVA_DOUBLE, i, bi);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - (c.stepScale * mi) / den);
        }
    }

    static void averageRange(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        for (long i = from; i < to; i++) {
            avg.setAtIndex(JAVA_DOUBLE, i, beta * avg.getAtIndex(JAVA_DOUBLE, i) + oneMinusBeta * g.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    static void subtractScaledRange(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        for (long i = from; i < to; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - scale * p.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    // ---- float ranges (same formulas in single precision) ----

    static void stepRangeFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                               MemorySegment mu, long from, long to) {
        switch (c.op) {
            case SGD -> sgdFloat(c, q, g, from, to);
            case MOMENTUM -> momentumFloat(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMomentFloat(c, q, g, m, s, from, to);
            case COVARIANCE_METRIC -> covarianceMetricFloat(c, q, g, m, s, mu, from, to);
            case COVARIANCE_FORCE -> covarianceForceFloat(c, q, g, m, s, from, to);
            case BELIEF -> beliefFloat(c, q, g, m, s, from, to);
        }
    }

    static void sgdFloat(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        float lr = c.stepScaleF;
        for (long i = from; i < to; i++) {
            q.setAtIndex(JAVA_FLOAT, i, q.getAtIndex(JAVA_FLOAT, i) - lr * g.getAtIndex(JAVA_FLOAT, i));
        }
    }

    static void momentumFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, long from, long to) {
        for (long i = from; i < to; i++) {
            float mi = c.beta1F * m.getAtIndex(JAVA_FLOAT, i) + c.oneMinusBeta1F * g.getAtIndex(JAVA_FLOAT, i);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            q.setAtIndex(JAVA_FLOAT, i, q.getAtIndex(JAVA_FLOAT, i) - c.stepScaleF * mi);
        }
    }

    static void secondMomentFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                  MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            float gi = g.getAtIndex(JAVA_FLOAT, i);
            float mi = c.beta1F * m.getAtIndex(JAVA_FLOAT, i) + c.oneMinusBeta1F * gi;
            float si = c.beta2F * s.getAtIndex(JAVA_FLOAT, i) + (c.oneMinusBeta2F * gi) * gi;
            float den = denominator(c, si * c.invC2F);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            q.setAtIndex(JAVA_FLOAT, i, q.getAtIndex(JAVA_FLOAT, i) - (c.stepScaleF * mi) / den);
        }
    }

    static void covarianceMetricFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                      MemorySegment s, MemorySegment mu, long from, long to) {
        for (long i = from; i < to; i++) {
            float gi = g.getAtIndex(JAVA_FLOAT, i);
            float mi = c.beta1F * m.getAtIndex(JAVA_FLOAT, i) + c.oneMinusBeta1F * gi;
            float si = c.beta2F * s.getAtIndex(JAVA_FLOAT, i) + (c.oneMinusBeta2F * gi) * gi;
            float ui = c.beta2F * mu.getAtIndex(JAVA_FLOAT, i) + c.oneMinusBeta2F * gi;
            float uh = ui * c.invC2F;
            float den = denominator(c, si * c.invC2F - uh * uh);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            mu.setAtIndex(JAVA_FLOAT, i, ui);
            q.setAtIndex(JAVA_FLOAT, i, q.getAtIndex(JAVA_FLOAT, i) - (c.stepScaleF * mi) / den);
        }
    }

    static void covarianceForceFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                     MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            float gi = g.getAtIndex(JAVA_FLOAT, i);
            float mi = c.beta1F * m.getAtIndex(JAVA_FLOAT, i) + c.oneMinusBeta1F * gi;
            float si = c.beta2F * s.getAtIndex(JAVA_FLOAT, i) + (c.oneMinusBeta2F * gi) * gi;
            float mh = mi * c.invC1F;
            float den = denominator(c, si * c.invC2F - mh * mh);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            q.setAtIndex(JAVA_FLOAT, i, q.getAtIndex(JAVA_FLOAT, i) - (c.stepScaleF * mi) / den);
        }
    }

    static void beliefFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment b,
                            long from, long to) {
        for (long i = from; i < to; i++) {
            float gi = g.getAtIndex(JAVA_FLOAT, i);
            float mi = c.beta1F * m.getAtIndex(JAVA_FLOAT, i) + c.oneMinusBeta1F * gi;
            float ri = gi - mi;
            float bi = c.beta2F * b.getAtIndex(JAVA_FLOAT, i) + (c.oneMinusBeta2F * ri) * ri;
            float den = denominator(c, bi * c.invC2F);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            b.setAtIndex(JAVA_FLOAT, i, bi);
            q.setAtIndex(JAVA_FLOAT, i, q.getAtIndex(JAVA_FLOAT, i) - (c.stepScaleF * mi) / den);
        }
    }
}
