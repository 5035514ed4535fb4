package org.cgd4j.engine.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * Plain Java kernels: the reference twin of the Vector API kernels and the fallback when
 * {@code jdk.incubator.vector} is absent. The Vector API kernels call the static range methods
 * here for their tails, so both evaluate every element with the same operations in the same order
 * (products and sums exactly as written, never fused).
 */
public final class ScalarDiagonalKernels implements DiagonalKernels {

    @Override public String name() { return "scalar"; }
    @Override public int doubleLanes() { return 1; }
    @Override public int floatLanes() { return 1; }

    @Override
    public long firstNonFinite(MemorySegment g, long from, long to) {
        for (long i = from; i < to; i++) {
            if (!(Math.abs(g.getAtIndex(JAVA_DOUBLE, i)) <= MAX_GRADIENT)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public long firstNonFinite(double[] g, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            if (!(Math.abs(g[i]) <= MAX_GRADIENT)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public long firstNonFinite(float[] g, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            if (!(Math.abs(g[i]) <= MAX_GRADIENT_FLOAT)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        switch (c.op) {
            case SGD -> sgd(c, q, g, from, to);
            case MOMENTUM -> momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMoment(c, q, g, m, s, from, to);
            case RMSPROP -> rmsprop(c, q, g, s, from, to);
            case COVARIANCE_METRIC -> covarianceMetric(c, q, g, m, s, mu, from, to);
            case RMSPROP_CENTERED -> rmspropCentered(c, q, g, s, mu, from, to);
            case COVARIANCE_FORCE -> covarianceForce(c, q, g, m, s, from, to);
            case BELIEF -> belief(c, q, g, m, s, from, to);
        }
    }

    @Override
    public void step(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        switch (c.op) {
            case SGD -> sgd(c, q, g, from, to);
            case MOMENTUM -> momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMoment(c, q, g, m, s, from, to);
            case RMSPROP -> rmsprop(c, q, g, s, from, to);
            case COVARIANCE_METRIC -> covarianceMetric(c, q, g, m, s, mu, from, to);
            case RMSPROP_CENTERED -> rmspropCentered(c, q, g, s, mu, from, to);
            case COVARIANCE_FORCE -> covarianceForce(c, q, g, m, s, from, to);
            case BELIEF -> belief(c, q, g, m, s, from, to);
        }
    }

    @Override
    public void step(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        switch (c.op) {
            case SGD -> sgdFloat(c, q, g, from, to);
            case MOMENTUM -> momentumFloat(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMomentFloat(c, q, g, m, s, from, to);
            case RMSPROP -> rmspropFloat(c, q, g, s, from, to);
            case COVARIANCE_METRIC -> covarianceMetricFloat(c, q, g, m, s, mu, from, to);
            case RMSPROP_CENTERED -> rmspropCenteredFloat(c, q, g, s, mu, from, to);
            case COVARIANCE_FORCE -> covarianceForceFloat(c, q, g, m, s, from, to);
            case BELIEF -> beliefFloat(c, q, g, m, s, from, to);
        }
    }

    @Override
    public void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        averageRange(avg, g, beta, oneMinusBeta, from, to);
    }

    @Override
    public void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        subtractScaledRange(q, p, scale, from, to);
    }

    static void averageRange(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        for (long i = from; i < to; i++) {
            avg.setAtIndex(JAVA_DOUBLE, i, avg.getAtIndex(JAVA_DOUBLE, i) * beta + g.getAtIndex(JAVA_DOUBLE, i) * oneMinusBeta);
        }
    }

    static void subtractScaledRange(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        for (long i = from; i < to; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - p.getAtIndex(JAVA_DOUBLE, i) * scale);
        }
    }

    /** (ε + max(x, 0))^a + ε': the denominator of f in SPEC step 4. */
    static double denominator(StepCoefficients c, double x) {
        double base = c.epsilon + Math.max(x, 0);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> Math.sqrt(base) + c.epsilonOutside;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutside;
            case StepCoefficients.POWER_ZERO -> 1 + c.epsilonOutside;
            default -> Power.pow(base, c.power) + c.epsilonOutside;
        };
    }

    /** The float denominator: sqrt evaluated in double and rounded once (so exactly), the general power in float. */
    static float denominator(StepCoefficients c, float x) {
        float base = c.epsilonF + Math.max(x, 0f);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> (float) Math.sqrt(base) + c.epsilonOutsideF;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutsideF;
            case StepCoefficients.POWER_ZERO -> 1f + c.epsilonOutsideF;
            default -> Power.pow(base, c.powerF) + c.epsilonOutsideF;
        };
    }

    // Fused loops, one per op and access kind: native segments, double[] params, float[] params.
    // (Written out rather than abstracted: each must compile to a tight monomorphic loop.)

    // native double segments

    static void sgd(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        for (long i = from; i < to; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - (g.getAtIndex(JAVA_DOUBLE, i) * c.stepScale));
        }
    }

    static void momentum(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, long from, long to) {
        for (long i = from; i < to; i++) {
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (g.getAtIndex(JAVA_DOUBLE, i) * c.oneMinusBeta1);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - (mi * c.stepScale));
        }
    }

    static void secondMoment(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double den = denominator(c, si * c.invC2);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - ((mi * c.stepScale) / den));
        }
    }

    static void rmsprop(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double den = denominator(c, si * c.invC2);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - ((gi * c.stepScale) / den));
        }
    }

    static void covarianceMetric(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double ui = mu.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + (gi * c.oneMinusBeta2);
            double uh = ui * c.invC2;
            double den = denominator(c, si * c.invC2 - (uh * uh));
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            mu.setAtIndex(JAVA_DOUBLE, i, ui);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - ((mi * c.stepScale) / den));
        }
    }

    static void rmspropCentered(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, MemorySegment mu, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double ui = mu.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + (gi * c.oneMinusBeta2);
            double uh = ui * c.invC2;
            double den = denominator(c, si * c.invC2 - (uh * uh));
            s.setAtIndex(JAVA_DOUBLE, i, si);
            mu.setAtIndex(JAVA_DOUBLE, i, ui);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - ((gi * c.stepScale) / den));
        }
    }

    static void covarianceForce(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double mh = mi * c.invC1;
            double den = denominator(c, si * c.invC2 - (mh * mh));
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - ((mi * c.stepScale) / den));
        }
    }

    static void belief(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to) {
        for (long i = from; i < to; i++) {
            double gi = g.getAtIndex(JAVA_DOUBLE, i);
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double ri = gi - mi;
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((ri * c.oneMinusBeta2) * ri);
            double den = denominator(c, si * c.invC2);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - ((mi * c.stepScale) / den));
        }
    }

    // double[] params and gradients, native double state

    static void sgd(StepCoefficients c, double[] q, double[] g, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            q[i] = q[i] - (g[i] * c.stepScale);
        }
    }

    static void momentum(StepCoefficients c, double[] q, double[] g, MemorySegment m, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (g[i] * c.oneMinusBeta1);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            q[i] = q[i] - (mi * c.stepScale);
        }
    }

    static void secondMoment(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double gi = g[i];
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double den = denominator(c, si * c.invC2);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q[i] = q[i] - ((mi * c.stepScale) / den);
        }
    }

    static void rmsprop(StepCoefficients c, double[] q, double[] g, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double gi = g[i];
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double den = denominator(c, si * c.invC2);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q[i] = q[i] - ((gi * c.stepScale) / den);
        }
    }

    static void covarianceMetric(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double gi = g[i];
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double ui = mu.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + (gi * c.oneMinusBeta2);
            double uh = ui * c.invC2;
            double den = denominator(c, si * c.invC2 - (uh * uh));
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            mu.setAtIndex(JAVA_DOUBLE, i, ui);
            q[i] = q[i] - ((mi * c.stepScale) / den);
        }
    }

    static void rmspropCentered(StepCoefficients c, double[] q, double[] g, MemorySegment s, MemorySegment mu, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double gi = g[i];
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double ui = mu.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + (gi * c.oneMinusBeta2);
            double uh = ui * c.invC2;
            double den = denominator(c, si * c.invC2 - (uh * uh));
            s.setAtIndex(JAVA_DOUBLE, i, si);
            mu.setAtIndex(JAVA_DOUBLE, i, ui);
            q[i] = q[i] - ((gi * c.stepScale) / den);
        }
    }

    static void covarianceForce(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double gi = g[i];
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((gi * c.oneMinusBeta2) * gi);
            double mh = mi * c.invC1;
            double den = denominator(c, si * c.invC2 - (mh * mh));
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q[i] = q[i] - ((mi * c.stepScale) / den);
        }
    }

    static void belief(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            double gi = g[i];
            double mi = m.getAtIndex(JAVA_DOUBLE, i) * c.beta1 + (gi * c.oneMinusBeta1);
            double ri = gi - mi;
            double si = s.getAtIndex(JAVA_DOUBLE, i) * c.beta2 + ((ri * c.oneMinusBeta2) * ri);
            double den = denominator(c, si * c.invC2);
            m.setAtIndex(JAVA_DOUBLE, i, mi);
            s.setAtIndex(JAVA_DOUBLE, i, si);
            q[i] = q[i] - ((mi * c.stepScale) / den);
        }
    }

    // float[] params and gradients, native float state

    static void sgdFloat(StepCoefficients c, float[] q, float[] g, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            q[i] = q[i] - (g[i] * c.stepScaleF);
        }
    }

    static void momentumFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float mi = m.getAtIndex(JAVA_FLOAT, i) * c.beta1F + (g[i] * c.oneMinusBeta1F);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            q[i] = q[i] - (mi * c.stepScaleF);
        }
    }

    static void secondMomentFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float gi = g[i];
            float mi = m.getAtIndex(JAVA_FLOAT, i) * c.beta1F + (gi * c.oneMinusBeta1F);
            float si = s.getAtIndex(JAVA_FLOAT, i) * c.beta2F + ((gi * c.oneMinusBeta2F) * gi);
            float den = denominator(c, si * c.invC2F);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            q[i] = q[i] - ((mi * c.stepScaleF) / den);
        }
    }

    static void rmspropFloat(StepCoefficients c, float[] q, float[] g, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float gi = g[i];
            float si = s.getAtIndex(JAVA_FLOAT, i) * c.beta2F + ((gi * c.oneMinusBeta2F) * gi);
            float den = denominator(c, si * c.invC2F);
            s.setAtIndex(JAVA_FLOAT, i, si);
            q[i] = q[i] - ((gi * c.stepScaleF) / den);
        }
    }

    static void covarianceMetricFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float gi = g[i];
            float mi = m.getAtIndex(JAVA_FLOAT, i) * c.beta1F + (gi * c.oneMinusBeta1F);
            float si = s.getAtIndex(JAVA_FLOAT, i) * c.beta2F + ((gi * c.oneMinusBeta2F) * gi);
            float ui = mu.getAtIndex(JAVA_FLOAT, i) * c.beta2F + (gi * c.oneMinusBeta2F);
            float uh = ui * c.invC2F;
            float den = denominator(c, si * c.invC2F - (uh * uh));
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            mu.setAtIndex(JAVA_FLOAT, i, ui);
            q[i] = q[i] - ((mi * c.stepScaleF) / den);
        }
    }

    static void rmspropCenteredFloat(StepCoefficients c, float[] q, float[] g, MemorySegment s, MemorySegment mu, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float gi = g[i];
            float si = s.getAtIndex(JAVA_FLOAT, i) * c.beta2F + ((gi * c.oneMinusBeta2F) * gi);
            float ui = mu.getAtIndex(JAVA_FLOAT, i) * c.beta2F + (gi * c.oneMinusBeta2F);
            float uh = ui * c.invC2F;
            float den = denominator(c, si * c.invC2F - (uh * uh));
            s.setAtIndex(JAVA_FLOAT, i, si);
            mu.setAtIndex(JAVA_FLOAT, i, ui);
            q[i] = q[i] - ((gi * c.stepScaleF) / den);
        }
    }

    static void covarianceForceFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float gi = g[i];
            float mi = m.getAtIndex(JAVA_FLOAT, i) * c.beta1F + (gi * c.oneMinusBeta1F);
            float si = s.getAtIndex(JAVA_FLOAT, i) * c.beta2F + ((gi * c.oneMinusBeta2F) * gi);
            float mh = mi * c.invC1F;
            float den = denominator(c, si * c.invC2F - (mh * mh));
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            q[i] = q[i] - ((mi * c.stepScaleF) / den);
        }
    }

    static void beliefFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to) {
        for (int i = (int) from, end = (int) to; i < end; i++) {
            float gi = g[i];
            float mi = m.getAtIndex(JAVA_FLOAT, i) * c.beta1F + (gi * c.oneMinusBeta1F);
            float ri = gi - mi;
            float si = s.getAtIndex(JAVA_FLOAT, i) * c.beta2F + ((ri * c.oneMinusBeta2F) * ri);
            float den = denominator(c, si * c.invC2F);
            m.setAtIndex(JAVA_FLOAT, i, mi);
            s.setAtIndex(JAVA_FLOAT, i, si);
            q[i] = q[i] - ((mi * c.stepScaleF) / den);
        }
    }
}
