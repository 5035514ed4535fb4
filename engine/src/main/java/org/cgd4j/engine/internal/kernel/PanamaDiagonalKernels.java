package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels over the preferred species. The only class that links against
 * {@code jdk.incubator.vector}: {@link KernelLookup} loads it by name. Every loop mirrors its
 * {@link ScalarDiagonalKernels} twin operation by operation (no FMA), and hands its tail (fewer than
 * one vector) to that twin, so both give bit-identical results except for the general power, where
 * the lane-wise {@code POW} may differ from {@link Math#pow} by a few ulp.
 */
final class PanamaDiagonalKernels implements DiagonalKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    private static final int FL = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    PanamaDiagonalKernels() {
        if (D.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector is only " + D.vectorBitSize()
                    + " bits wide; SIMD would not beat scalar code");
        }
    }

    @Override public String name() { return "vector"; }
    @Override public int doubleLanes() { return DL; }
    @Override public int floatLanes() { return FL; }

    private static DoubleVector load(MemorySegment a, long i) {
        return DoubleVector.fromMemorySegment(D, a, i << 3, ORDER);
    }

    private static void store(DoubleVector v, MemorySegment a, long i) {
        v.intoMemorySegment(a, i << 3, ORDER);
    }

    private static FloatVector loadF(MemorySegment a, long i) {
        return FloatVector.fromMemorySegment(F, a, i << 2, ORDER);
    }

    private static void storeF(FloatVector v, MemorySegment a, long i) {
        v.intoMemorySegment(a, i << 2, ORDER);
    }

    // ---- non-finite scan: x·0 is 0 for finite x and NaN for NaN/±Inf; a NaN sum sends us to the scalar scan ----

    @Override
    public long firstNonFinite(MemorySegment g, long from, long to) {
        long i = from;
        long bound = from + D.loopBound(to - from);
        DoubleVector acc = DoubleVector.zero(D);
        for (; i < bound; i += DL) {
            acc = acc.add(load(g, i).mul(0.0));
        }
        if (Double.isNaN(acc.reduceLanes(VectorOperators.ADD))) {
            return ScalarDiagonalKernels.firstNonFiniteRange(g, from, bound);
        }
        return ScalarDiagonalKernels.firstNonFiniteRange(g, i, to);
    }

    @Override
    public long firstNonFiniteFloat(MemorySegment g, long from, long to) {
        long i = from;
        long bound = from + F.loopBound(to - from);
        FloatVector acc = FloatVector.zero(F);
        for (; i < bound; i += FL) {
            acc = acc.add(loadF(g, i).mul(0f));
        }
        if (Float.isNaN(acc.reduceLanes(VectorOperators.ADD))) {
            return ScalarDiagonalKernels.firstNonFiniteFloatRange(g, from, bound);
        }
        return ScalarDiagonalKernels.firstNonFiniteFloatRange(g, i, to);
    }

    // ---- (ε + max(x, 0))^a + ε', as ScalarDiagonalKernels.denominator ----

    private static DoubleVector denominator(StepCoefficients c, DoubleVector x) {
        DoubleVector base = x.max(0.0).add(c.epsilon);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutside);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutside);
            case StepCoefficients.POWER_ZERO -> DoubleVector.broadcast(D, 1 + c.epsilonOutside);
            default -> base.lanewise(VectorOperators.POW, c.power).add(c.epsilonOutside);
        };
    }

    private static FloatVector denominator(StepCoefficients c, FloatVector x) {
        FloatVector base = x.max(0f).add(c.epsilonF);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ZERO -> FloatVector.broadcast(F, 1f + c.epsilonOutsideF);
            default -> base.lanewise(VectorOperators.POW, c.powerF).add(c.epsilonOutsideF);
        };
    }

    // ---- double steps ----

    @Override
    public void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
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

    private static void sgd(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        double lr = c.stepScale;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            store(load(q, i).sub(load(g, i).mul(lr)), q, i);
        }
        ScalarDiagonalKernels.sgd(c, q, g, i, to);
    }

    private static void momentum(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                 long from, long to) {
        double b1 = c.beta1, ob1 = c.oneMinusBeta1, lr = c.stepScale;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector mi = load(m, i).mul(b1).add(load(g, i).mul(ob1));
            store(mi, m, i);
            store(load(q, i).sub(mi.mul(lr)), q, i);
        }
        ScalarDiagonalKernels.momentum(c, q, g, m, i, to);
    }

    private static void secondMoment(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                     MemorySegment s, long from, long to) {
        double b1 = c.beta1, ob1 = c.oneMinusBeta1, b2 = c.beta2, ob2 = c.oneMinusBeta2;
        double lr = c.stepScale, ic2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = load(g, i);
            DoubleVector mi = load(m, i).mul(b1).add(gi.mul(ob1));
            DoubleVector si = load(s, i).mul(b2).add(gi.mul(ob2).mul(gi));
            DoubleVector den = denominator(c, si.mul(ic2));
            store(mi, m, i);
            store(si, s, i);
            store(load(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.secondMoment(c, q, g, m, s, i, to);
    }

    private static void covarianceMetric(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                         MemorySegment s, MemorySegment mu, long from, long to) {
        double b1 = c.beta1, ob1 = c.oneMinusBeta1, b2 = c.beta2, ob2 = c.oneMinusBeta2;
        double lr = c.stepScale, ic2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = load(g, i);
            DoubleVector mi = load(m, i).mul(b1).add(gi.mul(ob1));
            DoubleVector si = load(s, i).mul(b2).add(gi.mul(ob2).mul(gi));
            DoubleVector ui = load(mu, i).mul(b2).add(gi.mul(ob2));
            DoubleVector uh = ui.mul(ic2);
            DoubleVector den = denominator(c, si.mul(ic2).sub(uh.mul(uh)));
            store(mi, m, i);
            store(si, s, i);
            store(ui, mu, i);
            store(load(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.covarianceMetric(c, q, g, m, s, mu, i, to);
    }

    private static void covarianceForce(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                        MemorySegment s, long from, long to) {
        double b1 = c.beta1, ob1 = c.oneMinusBeta1, b2 = c.beta2, ob2 = c.oneMinusBeta2;
        double lr = c.stepScale, ic1 = c.invC1, ic2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = load(g, i);
            DoubleVector mi = load(m, i).mul(b1).add(gi.mul(ob1));
            DoubleVector si = load(s, i).mul(b2).add(gi.mul(ob2).mul(gi));
            DoubleVector mh = mi.mul(ic1);
            DoubleVector den = denominator(c, si.mul(ic2).sub(mh.mul(mh)));
            store(mi, m, i);
            store(si, s, i);
            store(load(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.covarianceForce(c, q, g, m, s, i, to);
    }

    private static void belief(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                               MemorySegment b, long from, long to) {
        double b1 = c.beta1, ob1 = c.oneMinusBeta1, b2 = c.beta2, ob2 = c.oneMinusBeta2;
        double lr = c.stepScale, ic2 = c.invC2;
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector gi = load(g, i);
            DoubleVector mi = load(m, i).mul(b1).add(gi.mul(ob1));
            DoubleVector ri = gi.sub(mi);
            DoubleVector bi = load(b, i).mul(b2).add(ri.mul(ob2).mul(ri));
            DoubleVector den = denominator(c, bi.mul(ic2));
            store(mi, m, i);
            store(bi, b, i);
            store(load(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.belief(c, q, g, m, b, i, to);
    }

    @Override
    public void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            store(load(avg, i).mul(beta).add(load(g, i).mul(oneMinusBeta)), avg, i);
        }
        ScalarDiagonalKernels.averageRange(avg, g, beta, oneMinusBeta, i, to);
    }

    @Override
    public void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            store(load(q, i).sub(load(p, i).mul(scale)), q, i);
        }
        ScalarDiagonalKernels.subtractScaledRange(q, p, scale, i, to);
    }

    // ---- float steps ----

    @Override
    public void stepFloat(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                          MemorySegment mu, long from, long to) {
        switch (c.op) {
            case SGD -> sgdF(c, q, g, from, to);
            case MOMENTUM -> momentumF(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMomentF(c, q, g, m, s, from, to);
            case COVARIANCE_METRIC -> covarianceMetricF(c, q, g, m, s, mu, from, to);
            case COVARIANCE_FORCE -> covarianceForceF(c, q, g, m, s, from, to);
            case BELIEF -> beliefF(c, q, g, m, s, from, to);
        }
    }

    private static void sgdF(StepCoefficients c, MemorySegment q, MemorySegment g, long from, long to) {
        float lr = c.stepScaleF;
        long i = from;
        for (long bound = from + F.loopBound(to - from); i < bound; i += FL) {
            storeF(loadF(q, i).sub(loadF(g, i).mul(lr)), q, i);
        }
        ScalarDiagonalKernels.sgdFloat(c, q, g, i, to);
    }

    private static void momentumF(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                  long from, long to) {
        float b1 = c.beta1F, ob1 = c.oneMinusBeta1F, lr = c.stepScaleF;
        long i = from;
        for (long bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector mi = loadF(m, i).mul(b1).add(loadF(g, i).mul(ob1));
            storeF(mi, m, i);
            storeF(loadF(q, i).sub(mi.mul(lr)), q, i);
        }
        ScalarDiagonalKernels.momentumFloat(c, q, g, m, i, to);
    }

    private static void secondMomentF(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                      MemorySegment s, long from, long to) {
        float b1 = c.beta1F, ob1 = c.oneMinusBeta1F, b2 = c.beta2F, ob2 = c.oneMinusBeta2F;
        float lr = c.stepScaleF, ic2 = c.invC2F;
        long i = from;
        for (long bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector gi = loadF(g, i);
            FloatVector mi = loadF(m, i).mul(b1).add(gi.mul(ob1));
            FloatVector si = loadF(s, i).mul(b2).add(gi.mul(ob2).mul(gi));
            FloatVector den = denominator(c, si.mul(ic2));
            storeF(mi, m, i);
            storeF(si, s, i);
            storeF(loadF(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.secondMomentFloat(c, q, g, m, s, i, to);
    }

    private static void covarianceMetricF(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                          MemorySegment s, MemorySegment mu, long from, long to) {
        float b1 = c.beta1F, ob1 = c.oneMinusBeta1F, b2 = c.beta2F, ob2 = c.oneMinusBeta2F;
        float lr = c.stepScaleF, ic2 = c.invC2F;
        long i = from;
        for (long bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector gi = loadF(g, i);
            FloatVector mi = loadF(m, i).mul(b1).add(gi.mul(ob1));
            FloatVector si = loadF(s, i).mul(b2).add(gi.mul(ob2).mul(gi));
            FloatVector ui = loadF(mu, i).mul(b2).add(gi.mul(ob2));
            FloatVector uh = ui.mul(ic2);
            FloatVector den = denominator(c, si.mul(ic2).sub(uh.mul(uh)));
            storeF(mi, m, i);
            storeF(si, s, i);
            storeF(ui, mu, i);
            storeF(loadF(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.covarianceMetricFloat(c, q, g, m, s, mu, i, to);
    }

    private static void covarianceForceF(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                         MemorySegment s, long from, long to) {
        float b1 = c.beta1F, ob1 = c.oneMinusBeta1F, b2 = c.beta2F, ob2 = c.oneMinusBeta2F;
        float lr = c.stepScaleF, ic1 = c.invC1F, ic2 = c.invC2F;
        long i = from;
        for (long bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector gi = loadF(g, i);
            FloatVector mi = loadF(m, i).mul(b1).add(gi.mul(ob1));
            FloatVector si = loadF(s, i).mul(b2).add(gi.mul(ob2).mul(gi));
            FloatVector mh = mi.mul(ic1);
            FloatVector den = denominator(c, si.mul(ic2).sub(mh.mul(mh)));
            storeF(mi, m, i);
            storeF(si, s, i);
            storeF(loadF(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.covarianceForceFloat(c, q, g, m, s, i, to);
    }

    private static void beliefF(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m,
                                MemorySegment b, long from, long to) {
        float b1 = c.beta1F, ob1 = c.oneMinusBeta1F, b2 = c.beta2F, ob2 = c.oneMinusBeta2F;
        float lr = c.stepScaleF, ic2 = c.invC2F;
        long i = from;
        for (long bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector gi = loadF(g, i);
            FloatVector mi = loadF(m, i).mul(b1).add(gi.mul(ob1));
            FloatVector ri = gi.sub(mi);
            FloatVector bi = loadF(b, i).mul(b2).add(ri.mul(ob2).mul(ri));
            FloatVector den = denominator(c, bi.mul(ic2));
            storeF(mi, m, i);
            storeF(bi, b, i);
            storeF(loadF(q, i).sub(mi.mul(lr).div(den)), q, i);
        }
        ScalarDiagonalKernels.beliefFloat(c, q, g, m, b, i, to);
    }
}
