package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels over the preferred species. The only class that links against
 * {@code jdk.incubator.vector}: {@link KernelLookup} loads it by name. Every loop mirrors its
 * {@link ScalarDiagonalKernels} twin operation by operation (no FMA outside the power), and hands
 * its tail (fewer than one vector) to that twin, so both give bit-identical results at every power
 * ({@link PanamaPower} mirrors {@link Power} the same way).
 */
final class PanamaDiagonalKernels implements DiagonalKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    private static final int FL = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ScalarDiagonalKernels SCALAR = new ScalarDiagonalKernels();

    PanamaDiagonalKernels() {
        if (D.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector is only " + D.vectorBitSize()
                    + " bits wide; SIMD would not beat scalar code");
        }
    }

    @Override public String name() { return "vector"; }
    @Override public int doubleLanes() { return DL; }
    @Override public int floatLanes() { return FL; }

    // ---- gradient scans: lanes with |g| <= limit (false for NaN) are and-ed into a mask, with no
    // loop-carried dependency but one cheap and (a running max costs five dependent ops per vector
    // in Java's NaN-propagating semantics); a failed mask sends us to the scalar scan for the index.
    // Beyond the caches four quarters are read in lockstep (one stream alone does not reach the
    // memory bandwidth the step pass gets from its four: measured 25% faster at d = 1e7); all run
    // downwards, so the step pass finds the start of g in cache. ----

    /** Ranges at least this long are scanned as four streams; shorter ones (cache-resident) as one. */
    private static final int LOCKSTEP_FROM = 1 << 14;

    @Override
    public long firstNonFinite(MemorySegment g, long from, long to) {
        long bound = from + D.loopBound(to - from);
        long tail = SCALAR.firstNonFinite(g, bound, to);
        long quarter = bound - from < LOCKSTEP_FROM ? 0 : D.loopBound((bound - from) / 4);
        VectorMask<Double> ok = D.maskAll(true);
        for (long i = bound - DL; i >= from + 4 * quarter; i -= DL) {
            ok = ok.and(within(g, i));
        }
        for (long i = from + quarter - DL; i >= from; i -= DL) {
            ok = ok.and(within(g, i)).and(within(g, i + quarter)).and(within(g, i + 2 * quarter)).and(within(g, i + 3 * quarter));
        }
        return ok.allTrue() ? tail : SCALAR.firstNonFinite(g, from, bound);
    }

    @Override
    public long firstNonFinite(double[] g, long from, long to) {
        int lo = (int) from;
        int bound = lo + D.loopBound((int) to - lo);
        long tail = SCALAR.firstNonFinite(g, bound, to);
        int quarter = bound - lo < LOCKSTEP_FROM ? 0 : D.loopBound((bound - lo) / 4);
        VectorMask<Double> ok = D.maskAll(true);
        for (int i = bound - DL; i >= lo + 4 * quarter; i -= DL) {
            ok = ok.and(within(g, i));
        }
        for (int i = lo + quarter - DL; i >= lo; i -= DL) {
            ok = ok.and(within(g, i)).and(within(g, i + quarter)).and(within(g, i + 2 * quarter)).and(within(g, i + 3 * quarter));
        }
        return ok.allTrue() ? tail : SCALAR.firstNonFinite(g, from, bound);
    }

    @Override
    public long firstNonFinite(float[] g, long from, long to) {
        int lo = (int) from;
        int bound = lo + F.loopBound((int) to - lo);
        long tail = SCALAR.firstNonFinite(g, bound, to);
        int quarter = bound - lo < LOCKSTEP_FROM ? 0 : F.loopBound((bound - lo) / 4);
        VectorMask<Float> ok = F.maskAll(true);
        for (int i = bound - FL; i >= lo + 4 * quarter; i -= FL) {
            ok = ok.and(within(g, i));
        }
        for (int i = lo + quarter - FL; i >= lo; i -= FL) {
            ok = ok.and(within(g, i)).and(within(g, i + quarter)).and(within(g, i + 2 * quarter)).and(within(g, i + 3 * quarter));
        }
        return ok.allTrue() ? tail : SCALAR.firstNonFinite(g, from, bound);
    }

    /** Lanes of the vector at element i whose |g| is at most the limit (false for NaN). */
    private static VectorMask<Double> within(MemorySegment g, long i) {
        return DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).abs().compare(VectorOperators.LE, MAX_GRADIENT);
    }

    private static VectorMask<Double> within(double[] g, int i) {
        return DoubleVector.fromArray(D, g, i).abs().compare(VectorOperators.LE, MAX_GRADIENT);
    }

    private static VectorMask<Float> within(float[] g, int i) {
        return FloatVector.fromArray(F, g, i).abs().compare(VectorOperators.LE, MAX_GRADIENT_FLOAT);
    }

    // ---- (ε + max(x, 0))^a + ε', as ScalarDiagonalKernels.denominator ----
    // max(x, 0) as "x < 0 ? 0 : x": a compare and a blend, where Java's max costs five ops (NaN and
    // sign-of-zero rules). The two differ only at x = −0, and ε + (−0) = ε + (+0) since ε is never −0
    // (StepCoefficients makes it +0), so the base is bit-identical to the scalar one.

    private static DoubleVector denominator(StepCoefficients c, DoubleVector x) {
        DoubleVector base = x.blend(DoubleVector.zero(D), x.lt(0.0)).add(c.epsilon);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutside);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutside);
            case StepCoefficients.POWER_ZERO -> DoubleVector.broadcast(D, 1 + c.epsilonOutside);
            default -> PanamaPower.pow(base, c.power).add(c.epsilonOutside);
        };
    }

    private static FloatVector denominator(StepCoefficients c, FloatVector x) {
        FloatVector base = x.blend(FloatVector.zero(F), x.lt(0f)).add(c.epsilonF);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ZERO -> FloatVector.broadcast(F, 1f + c.epsilonOutsideF);
            default -> PanamaPower.pow(base, c.powerF).add(c.epsilonOutsideF);
        };
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
            case COVARIANCE_FORCE -> covarianceForceFloat(c, q, g, m, s, from, to);
            case BELIEF -> beliefFloat(c, q, g, m, s, from, to);
        }
    }

    @Override
    public void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector.fromMemorySegment(D, avg, i << 3, ORDER).mul(beta)
                    .add(DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).mul(oneMinusBeta))
                    .intoMemorySegment(avg, i << 3, ORDER);
        }
        ScalarDiagonalKernels.averageRange(avg, g, beta, oneMinusBeta, i, to);
    }

    @Override
    public void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER)
                    .sub(DoubleVector.fromMemorySegment(D, p, i << 3, ORDER).mul(scale))
                    .intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.subtractScaledRange(q, p, scale, i, to);
    }

    // Fused loops, one per op and access kind (see DiagonalKernels on why heap and native are apart).

    // native double segments

    private static void sgd(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        double stepScale = c.stepScale;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).mul(stepScale)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.sgd(c, q, g, i, to);
    }

    private static void momentum(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, stepScale = c.stepScale;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).mul(oneMinusBeta1));
            mi.intoMemorySegment(m, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(mi.mul(stepScale)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.momentum(c, q, g, m, i, to);
    }

    private static void secondMoment(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector den = denominator(c, si.mul(invC2));
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(mi.mul(stepScale).div(den)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.secondMoment(c, q, g, m, s, i, to);
    }

    private static void rmsprop(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, long from, long to) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector den = denominator(c, si.mul(invC2));
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(gi.mul(stepScale).div(den)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.rmsprop(c, q, g, s, i, to);
    }

    private static void covarianceMetric(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector ui = DoubleVector.fromMemorySegment(D, mu, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            DoubleVector uh = ui.mul(invC2);
            DoubleVector den = denominator(c, si.mul(invC2).sub(uh.mul(uh)));
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            ui.intoMemorySegment(mu, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(mi.mul(stepScale).div(den)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.covarianceMetric(c, q, g, m, s, mu, i, to);
    }

    private static void covarianceForce(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC1 = c.invC1, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector mh = mi.mul(invC1);
            DoubleVector den = denominator(c, si.mul(invC2).sub(mh.mul(mh)));
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(mi.mul(stepScale).div(den)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.covarianceForce(c, q, g, m, s, i, to);
    }

    private static void belief(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromMemorySegment(D, g, i << 3, ORDER);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector ri = gi.sub(mi);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, i << 3, ORDER).mul(beta2).add(ri.mul(oneMinusBeta2).mul(ri));
            DoubleVector den = denominator(c, si.mul(invC2));
            mi.intoMemorySegment(m, i << 3, ORDER);
            si.intoMemorySegment(s, i << 3, ORDER);
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER).sub(mi.mul(stepScale).div(den)).intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.belief(c, q, g, m, s, i, to);
    }

    // double[] params and gradients, native double state

    private static void sgd(StepCoefficients c, double[] q, double[] g, long from, long to) {
        double stepScale = c.stepScale;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector.fromArray(D, q, i).sub(DoubleVector.fromArray(D, g, i).mul(stepScale)).intoArray(q, i);
        }
        ScalarDiagonalKernels.sgd(c, q, g, i, to);
    }

    private static void momentum(StepCoefficients c, double[] q, double[] g, MemorySegment m, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, stepScale = c.stepScale;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(DoubleVector.fromArray(D, g, i).mul(oneMinusBeta1));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            DoubleVector.fromArray(D, q, i).sub(mi.mul(stepScale)).intoArray(q, i);
        }
        ScalarDiagonalKernels.momentum(c, q, g, m, i, to);
    }

    private static void secondMoment(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector den = denominator(c, si.mul(invC2));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector.fromArray(D, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.secondMoment(c, q, g, m, s, i, to);
    }

    private static void rmsprop(StepCoefficients c, double[] q, double[] g, MemorySegment s, long from, long to) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector den = denominator(c, si.mul(invC2));
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector.fromArray(D, q, i).sub(gi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.rmsprop(c, q, g, s, i, to);
    }

    private static void covarianceMetric(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector ui = DoubleVector.fromMemorySegment(D, mu, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            DoubleVector uh = ui.mul(invC2);
            DoubleVector den = denominator(c, si.mul(invC2).sub(uh.mul(uh)));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            ui.intoMemorySegment(mu, (long) i << 3, ORDER);
            DoubleVector.fromArray(D, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.covarianceMetric(c, q, g, m, s, mu, i, to);
    }

    private static void covarianceForce(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC1 = c.invC1, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector mh = mi.mul(invC1);
            DoubleVector den = denominator(c, si.mul(invC2).sub(mh.mul(mh)));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector.fromArray(D, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.covarianceForce(c, q, g, m, s, i, to);
    }

    private static void belief(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector ri = gi.sub(mi);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(ri.mul(oneMinusBeta2).mul(ri));
            DoubleVector den = denominator(c, si.mul(invC2));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector.fromArray(D, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.belief(c, q, g, m, s, i, to);
    }

    // float[] params and gradients, native float state

    private static void sgdFloat(StepCoefficients c, float[] q, float[] g, long from, long to) {
        float stepScale = c.stepScaleF;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector.fromArray(F, q, i).sub(FloatVector.fromArray(F, g, i).mul(stepScale)).intoArray(q, i);
        }
        ScalarDiagonalKernels.sgdFloat(c, q, g, i, to);
    }

    private static void momentumFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, long from, long to) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, stepScale = c.stepScaleF;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(FloatVector.fromArray(F, g, i).mul(oneMinusBeta1));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(mi.mul(stepScale)).intoArray(q, i);
        }
        ScalarDiagonalKernels.momentumFloat(c, q, g, m, i, to);
    }

    private static void secondMomentFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector den = denominator(c, si.mul(invC2));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.secondMomentFloat(c, q, g, m, s, i, to);
    }

    private static void rmspropFloat(StepCoefficients c, float[] q, float[] g, MemorySegment s, long from, long to) {
        float beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector den = denominator(c, si.mul(invC2));
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(gi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.rmspropFloat(c, q, g, s, i, to);
    }

    private static void covarianceMetricFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector ui = FloatVector.fromMemorySegment(F, mu, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            FloatVector uh = ui.mul(invC2);
            FloatVector den = denominator(c, si.mul(invC2).sub(uh.mul(uh)));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            ui.intoMemorySegment(mu, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.covarianceMetricFloat(c, q, g, m, s, mu, i, to);
    }

    private static void covarianceForceFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC1 = c.invC1F, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            FloatVector mh = mi.mul(invC1);
            FloatVector den = denominator(c, si.mul(invC2).sub(mh.mul(mh)));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.covarianceForceFloat(c, q, g, m, s, i, to);
    }

    private static void beliefFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to) {
        float beta1 = c.beta1F, oneMinusBeta1 = c.oneMinusBeta1F, beta2 = c.beta2F, oneMinusBeta2 = c.oneMinusBeta2F, stepScale = c.stepScaleF, invC2 = c.invC2F;
        int i = (int) from;
        for (int bound = i + F.loopBound((int) to - i); i < bound; i += FL) {
            FloatVector gi = FloatVector.fromArray(F, g, i);
            FloatVector mi = FloatVector.fromMemorySegment(F, m, (long) i << 2, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            FloatVector ri = gi.sub(mi);
            FloatVector si = FloatVector.fromMemorySegment(F, s, (long) i << 2, ORDER).mul(beta2).add(ri.mul(oneMinusBeta2).mul(ri));
            FloatVector den = denominator(c, si.mul(invC2));
            mi.intoMemorySegment(m, (long) i << 2, ORDER);
            si.intoMemorySegment(s, (long) i << 2, ORDER);
            FloatVector.fromArray(F, q, i).sub(mi.mul(stepScale).div(den)).intoArray(q, i);
        }
        ScalarDiagonalKernels.beliefFloat(c, q, g, m, s, i, to);
    }
}
