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

    // ---- gradient scans: each vector's lanes with |g| <= limit (false for NaN) form a mask, and a
    // vector with a failed lane sends us to the scalar scan for the index. Nothing is carried from
    // one iteration to the next (a running max costs five dependent ops per vector in Java's
    // NaN-propagating semantics; a mask carried around the loop was seen boxed by C2, allocating
    // 2.5 bytes per element, in runs where the step itself was slow).
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
        for (long i = bound - DL; i >= from + 4 * quarter; i -= DL) {
            if (!within(g, i).allTrue()) {
                return SCALAR.firstNonFinite(g, from, bound);
            }
        }
        for (long i = from + quarter - DL; i >= from; i -= DL) {
            if (!within(g, i).and(within(g, i + quarter)).and(within(g, i + 2 * quarter)).and(within(g, i + 3 * quarter)).allTrue()) {
                return SCALAR.firstNonFinite(g, from, bound);
            }
        }
        return tail;
    }

    @Override
    public long firstNonFinite(double[] g, long from, long to) {
        int lo = (int) from;
        int bound = lo + D.loopBound((int) to - lo);
        long tail = SCALAR.firstNonFinite(g, bound, to);
        int quarter = bound - lo < LOCKSTEP_FROM ? 0 : D.loopBound((bound - lo) / 4);
        for (int i = bound - DL; i >= lo + 4 * quarter; i -= DL) {
            if (!within(g, i).allTrue()) {
                return SCALAR.firstNonFinite(g, from, bound);
            }
        }
        for (int i = lo + quarter - DL; i >= lo; i -= DL) {
            if (!within(g, i).and(within(g, i + quarter)).and(within(g, i + 2 * quarter)).and(within(g, i + 3 * quarter)).allTrue()) {
                return SCALAR.firstNonFinite(g, from, bound);
            }
        }
        return tail;
    }

    @Override
    public long firstNonFinite(float[] g, long from, long to) {
        int lo = (int) from;
        int bound = lo + F.loopBound((int) to - lo);
        long tail = SCALAR.firstNonFinite(g, bound, to);
        int quarter = bound - lo < LOCKSTEP_FROM ? 0 : F.loopBound((bound - lo) / 4);
        for (int i = bound - FL; i >= lo + 4 * quarter; i -= FL) {
            if (!within(g, i).allTrue()) {
                return SCALAR.firstNonFinite(g, from, bound);
            }
        }
        for (int i = lo + quarter - FL; i >= lo; i -= FL) {
            if (!within(g, i).and(within(g, i + quarter)).and(within(g, i + 2 * quarter)).and(within(g, i + 3 * quarter)).allTrue()) {
                return SCALAR.firstNonFinite(g, from, bound);
            }
        }
        return tail;
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

    private static DoubleVector base(StepCoefficients c, DoubleVector x) {
        return x.blend(DoubleVector.zero(D), x.lt(0.0)).add(c.epsilon);
    }

    private static FloatVector base(StepCoefficients c, FloatVector x) {
        return x.blend(FloatVector.zero(F), x.lt(0f)).add(c.epsilonF);
    }

    /** The denominator for the powers a loop takes in line; a general power goes through {@link Deferred}. */
    private static DoubleVector denominator(StepCoefficients c, DoubleVector x) {
        DoubleVector base = base(c, x);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutside);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutside);
            case StepCoefficients.POWER_ZERO -> DoubleVector.broadcast(D, 1 + c.epsilonOutside);
            default -> throw new IllegalStateException("a general power runs block by block");
        };
    }

    private static FloatVector denominator(StepCoefficients c, FloatVector x) {
        FloatVector base = base(c, x);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> base.sqrt().add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ONE -> base.add(c.epsilonOutsideF);
            case StepCoefficients.POWER_ZERO -> FloatVector.broadcast(F, 1f + c.epsilonOutsideF);
            default -> throw new IllegalStateException("a general power runs block by block");
        };
    }

    // ---- a general power a, block by block ----
    // The fused loop updates the state of a block and leaves each element's base ε + max(X̂, 0) and
    // its update γ/c1·m in a per-thread Deferred; PanamaPower raises the bases to a in two loops
    // whose iterations the core overlaps; a last loop applies q ← q − update/(base^a + ε'). Every
    // value goes through the same operations as in the scalar kernel, so the results stay
    // bit-identical. The block (four 2 KiB scratch arrays besides the data) stays in L1, so memory
    // traffic is that of the one fused pass.

    /** Elements per block: a multiple of every species' lanes. */
    static final int BLOCK = 256;

    /** One thread's scratch for a block. */
    static final class Deferred {
        final double[] base = new double[BLOCK], update = new double[BLOCK], hi = new double[BLOCK], lo = new double[BLOCK];
        final float[] baseF = new float[BLOCK], updateF = new float[BLOCK], hiF = new float[BLOCK], loF = new float[BLOCK];
    }

    private static final ThreadLocal<Deferred> DEFERRED = ThreadLocal.withInitial(Deferred::new);

    private static void defer(StepCoefficients c, Deferred d, int j, DoubleVector metric, DoubleVector update) {
        base(c, metric).intoArray(d.base, j);
        update.intoArray(d.update, j);
    }

    private static void defer(StepCoefficients c, Deferred d, int j, FloatVector metric, FloatVector update) {
        base(c, metric).intoArray(d.baseF, j);
        update.intoArray(d.updateF, j);
    }

    /** Whether the op divides by a power that is not taken in line. */
    private static boolean blocked(StepCoefficients c) {
        return c.powerKind == StepCoefficients.POWER_GENERAL && c.op != KernelOp.SGD && c.op != KernelOp.MOMENTUM;
    }

    @Override
    public void step(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        if (!blocked(c)) {
            dispatch(c, q, g, m, s, mu, from, to, null);
            return;
        }
        Deferred d = DEFERRED.get();
        long bound = from + D.loopBound(to - from);
        for (long start = from; start < bound; start += BLOCK) {
            int n = (int) Math.min(BLOCK, bound - start);
            dispatch(c, q, g, m, s, mu, start, start + n, d);
            PanamaPower.pow(d.base, d.hi, d.lo, n, c.power);
            for (int j = 0; j < n; j += DL) {
                long at = (start + j) << 3;
                DoubleVector den = DoubleVector.fromArray(D, d.base, j).add(c.epsilonOutside);
                DoubleVector.fromMemorySegment(D, q, at, ORDER).sub(DoubleVector.fromArray(D, d.update, j).div(den)).intoMemorySegment(q, at, ORDER);
            }
        }
        SCALAR.step(c, q, g, m, s, mu, bound, to);
    }

    @Override
    public void step(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        if (!blocked(c)) {
            dispatch(c, q, g, m, s, mu, from, to, null);
            return;
        }
        Deferred d = DEFERRED.get();
        int bound = (int) from + D.loopBound((int) (to - from));
        for (int start = (int) from; start < bound; start += BLOCK) {
            int n = Math.min(BLOCK, bound - start);
            dispatch(c, q, g, m, s, mu, start, start + n, d);
            PanamaPower.pow(d.base, d.hi, d.lo, n, c.power);
            for (int j = 0; j < n; j += DL) {
                DoubleVector den = DoubleVector.fromArray(D, d.base, j).add(c.epsilonOutside);
                DoubleVector.fromArray(D, q, start + j).sub(DoubleVector.fromArray(D, d.update, j).div(den)).intoArray(q, start + j);
            }
        }
        SCALAR.step(c, q, g, m, s, mu, bound, to);
    }

    @Override
    public void step(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        if (!blocked(c)) {
            dispatch(c, q, g, m, s, mu, from, to, null);
            return;
        }
        Deferred d = DEFERRED.get();
        int bound = (int) from + F.loopBound((int) (to - from));
        for (int start = (int) from; start < bound; start += BLOCK) {
            int n = Math.min(BLOCK, bound - start);
            dispatch(c, q, g, m, s, mu, start, start + n, d);
            PanamaPower.pow(d.baseF, d.hiF, d.loF, n, c.powerF);
            for (int j = 0; j < n; j += FL) {
                FloatVector den = FloatVector.fromArray(F, d.baseF, j).add(c.epsilonOutsideF);
                FloatVector.fromArray(F, q, start + j).sub(FloatVector.fromArray(F, d.updateF, j).div(den)).intoArray(q, start + j);
            }
        }
        SCALAR.step(c, q, g, m, s, mu, bound, to);
    }

    /** The fused loop of c.op over [from, to); with a Deferred, the loop stops short of q (see above). */
    private static void dispatch(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s,
                                 MemorySegment mu, long from, long to, Deferred deferred) {
        switch (c.op) {
            case SGD -> sgd(c, q, g, from, to);
            case MOMENTUM -> momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMoment(c, q, g, m, s, from, to, deferred);
            case RMSPROP -> rmsprop(c, q, g, s, from, to, deferred);
            case COVARIANCE_METRIC -> covarianceMetric(c, q, g, m, s, mu, from, to, deferred);
            case RMSPROP_CENTERED -> rmspropCentered(c, q, g, s, mu, from, to, deferred);
            case COVARIANCE_FORCE -> covarianceForce(c, q, g, m, s, from, to, deferred);
            case BELIEF -> belief(c, q, g, m, s, from, to, deferred);
        }
    }

    private static void dispatch(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s,
                                 MemorySegment mu, long from, long to, Deferred deferred) {
        switch (c.op) {
            case SGD -> sgd(c, q, g, from, to);
            case MOMENTUM -> momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMoment(c, q, g, m, s, from, to, deferred);
            case RMSPROP -> rmsprop(c, q, g, s, from, to, deferred);
            case COVARIANCE_METRIC -> covarianceMetric(c, q, g, m, s, mu, from, to, deferred);
            case RMSPROP_CENTERED -> rmspropCentered(c, q, g, s, mu, from, to, deferred);
            case COVARIANCE_FORCE -> covarianceForce(c, q, g, m, s, from, to, deferred);
            case BELIEF -> belief(c, q, g, m, s, from, to, deferred);
        }
    }

    private static void dispatch(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s,
                                 MemorySegment mu, long from, long to, Deferred deferred) {
        switch (c.op) {
            case SGD -> sgdFloat(c, q, g, from, to);
            case MOMENTUM -> momentumFloat(c, q, g, m, from, to);
            case SECOND_MOMENT -> secondMomentFloat(c, q, g, m, s, from, to, deferred);
            case RMSPROP -> rmspropFloat(c, q, g, s, from, to, deferred);
            case COVARIANCE_METRIC -> covarianceMetricFloat(c, q, g, m, s, mu, from, to, deferred);
            case RMSPROP_CENTERED -> rmspropCenteredFloat(c, q, g, s, mu, from, to, deferred);
            case COVARIANCE_FORCE -> covarianceForceFloat(c, q, g, m, s, from, to, deferred);
            case BELIEF -> beliefFloat(c, q, g, m, s, from, to, deferred);
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

    private static void secondMoment(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void rmsprop(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void covarianceMetric(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
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

    private static void rmspropCentered(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
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

    private static void covarianceForce(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void belief(StepCoefficients c, MemorySegment q, MemorySegment g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void secondMoment(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector metric = si.mul(invC2);
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromArray(D, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.secondMoment(c, q, g, m, s, i, to);
    }

    private static void rmsprop(StepCoefficients c, double[] q, double[] g, MemorySegment s, long from, long to, Deferred deferred) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector metric = si.mul(invC2);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector update = gi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromArray(D, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.rmsprop(c, q, g, s, i, to);
    }

    private static void covarianceMetric(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector ui = DoubleVector.fromMemorySegment(D, mu, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            DoubleVector uh = ui.mul(invC2);
            DoubleVector metric = si.mul(invC2).sub(uh.mul(uh));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            ui.intoMemorySegment(mu, (long) i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromArray(D, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.covarianceMetric(c, q, g, m, s, mu, i, to);
    }

    private static void rmspropCentered(StepCoefficients c, double[] q, double[] g, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
        double beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector ui = DoubleVector.fromMemorySegment(D, mu, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2));
            DoubleVector uh = ui.mul(invC2);
            DoubleVector metric = si.mul(invC2).sub(uh.mul(uh));
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            ui.intoMemorySegment(mu, (long) i << 3, ORDER);
            DoubleVector update = gi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromArray(D, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.rmspropCentered(c, q, g, s, mu, i, to);
    }

    private static void covarianceForce(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC1 = c.invC1, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(gi.mul(oneMinusBeta2).mul(gi));
            DoubleVector mh = mi.mul(invC1);
            DoubleVector metric = si.mul(invC2).sub(mh.mul(mh));
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromArray(D, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
        }
        ScalarDiagonalKernels.covarianceForce(c, q, g, m, s, i, to);
    }

    private static void belief(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
        double beta1 = c.beta1, oneMinusBeta1 = c.oneMinusBeta1, beta2 = c.beta2, oneMinusBeta2 = c.oneMinusBeta2, stepScale = c.stepScale, invC2 = c.invC2;
        int i = (int) from;
        for (int bound = i + D.loopBound((int) to - i); i < bound; i += DL) {
            DoubleVector gi = DoubleVector.fromArray(D, g, i);
            DoubleVector mi = DoubleVector.fromMemorySegment(D, m, (long) i << 3, ORDER).mul(beta1).add(gi.mul(oneMinusBeta1));
            DoubleVector ri = gi.sub(mi);
            DoubleVector si = DoubleVector.fromMemorySegment(D, s, (long) i << 3, ORDER).mul(beta2).add(ri.mul(oneMinusBeta2).mul(ri));
            DoubleVector metric = si.mul(invC2);
            mi.intoMemorySegment(m, (long) i << 3, ORDER);
            si.intoMemorySegment(s, (long) i << 3, ORDER);
            DoubleVector update = mi.mul(stepScale);
            if (deferred != null) {
                defer(c, deferred, (int) (i - from), metric, update);
            } else {
                DoubleVector.fromArray(D, q, i).sub(update.div(denominator(c, metric))).intoArray(q, i);
            }
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

    private static void secondMomentFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void rmspropFloat(StepCoefficients c, float[] q, float[] g, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void covarianceMetricFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
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

    private static void rmspropCenteredFloat(StepCoefficients c, float[] q, float[] g, MemorySegment s, MemorySegment mu, long from, long to, Deferred deferred) {
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

    private static void covarianceForceFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
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

    private static void beliefFloat(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s, long from, long to, Deferred deferred) {
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
