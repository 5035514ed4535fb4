package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.cgd4j.engine.internal.kernel.PanamaDenominator.Deferred;

/**
 * Vector API kernels over the preferred species: the gradient scans, the step drivers and the
 * dispatch to the fused loops ({@link PanamaSegmentLoops}, {@link PanamaArrayLoops},
 * {@link PanamaFloatLoops}). These classes, with {@link PanamaDenominator} and {@link PanamaPower},
 * are the only ones that link against {@code jdk.incubator.vector}; {@link KernelLookup} loads this
 * one by name. Every loop mirrors its {@link ScalarDiagonalKernels} twin operation by operation (no
 * FMA outside the power), and hands its tail (fewer than one vector) to that twin, so both give
 * bit-identical results at every power ({@link PanamaPower} mirrors {@link Power} the same way).
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

    // ---- a general power a, block by block ----
    // The fused loop updates the state of a block and leaves each element's base ε + max(X̂, 0) and
    // its update γ/c1·m in a per-thread Deferred; PanamaPower raises the bases to a in two loops
    // whose iterations the core overlaps; a last loop applies q ← q − update/(base^a + ε'). Every
    // value goes through the same operations as in the scalar kernel, so the results stay
    // bit-identical. The block (four 2 KiB scratch arrays besides the data) stays in L1, so memory
    // traffic is that of the one fused pass.

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
        Deferred d = PanamaDenominator.DEFERRED.get();
        long bound = from + D.loopBound(to - from);
        for (long start = from; start < bound; start += PanamaDenominator.BLOCK) {
            int n = (int) Math.min(PanamaDenominator.BLOCK, bound - start);
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
        Deferred d = PanamaDenominator.DEFERRED.get();
        int bound = (int) from + D.loopBound((int) (to - from));
        for (int start = (int) from; start < bound; start += PanamaDenominator.BLOCK) {
            int n = Math.min(PanamaDenominator.BLOCK, bound - start);
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
        Deferred d = PanamaDenominator.DEFERRED.get();
        int bound = (int) from + F.loopBound((int) (to - from));
        for (int start = (int) from; start < bound; start += PanamaDenominator.BLOCK) {
            int n = Math.min(PanamaDenominator.BLOCK, bound - start);
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
            case SGD -> PanamaSegmentLoops.sgd(c, q, g, from, to);
            case MOMENTUM -> PanamaSegmentLoops.momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> PanamaSegmentLoops.secondMoment(c, q, g, m, s, from, to, deferred);
            case RMSPROP -> PanamaSegmentLoops.rmsprop(c, q, g, s, from, to, deferred);
            case COVARIANCE_METRIC -> PanamaSegmentLoops.covarianceMetric(c, q, g, m, s, mu, from, to, deferred);
            case RMSPROP_CENTERED -> PanamaSegmentLoops.rmspropCentered(c, q, g, s, mu, from, to, deferred);
            case COVARIANCE_FORCE -> PanamaSegmentLoops.covarianceForce(c, q, g, m, s, from, to, deferred);
            case BELIEF -> PanamaSegmentLoops.belief(c, q, g, m, s, from, to, deferred);
        }
    }

    private static void dispatch(StepCoefficients c, double[] q, double[] g, MemorySegment m, MemorySegment s,
                                 MemorySegment mu, long from, long to, Deferred deferred) {
        switch (c.op) {
            case SGD -> PanamaArrayLoops.sgd(c, q, g, from, to);
            case MOMENTUM -> PanamaArrayLoops.momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> PanamaArrayLoops.secondMoment(c, q, g, m, s, from, to, deferred);
            case RMSPROP -> PanamaArrayLoops.rmsprop(c, q, g, s, from, to, deferred);
            case COVARIANCE_METRIC -> PanamaArrayLoops.covarianceMetric(c, q, g, m, s, mu, from, to, deferred);
            case RMSPROP_CENTERED -> PanamaArrayLoops.rmspropCentered(c, q, g, s, mu, from, to, deferred);
            case COVARIANCE_FORCE -> PanamaArrayLoops.covarianceForce(c, q, g, m, s, from, to, deferred);
            case BELIEF -> PanamaArrayLoops.belief(c, q, g, m, s, from, to, deferred);
        }
    }

    private static void dispatch(StepCoefficients c, float[] q, float[] g, MemorySegment m, MemorySegment s,
                                 MemorySegment mu, long from, long to, Deferred deferred) {
        switch (c.op) {
            case SGD -> PanamaFloatLoops.sgd(c, q, g, from, to);
            case MOMENTUM -> PanamaFloatLoops.momentum(c, q, g, m, from, to);
            case SECOND_MOMENT -> PanamaFloatLoops.secondMoment(c, q, g, m, s, from, to, deferred);
            case RMSPROP -> PanamaFloatLoops.rmsprop(c, q, g, s, from, to, deferred);
            case COVARIANCE_METRIC -> PanamaFloatLoops.covarianceMetric(c, q, g, m, s, mu, from, to, deferred);
            case RMSPROP_CENTERED -> PanamaFloatLoops.rmspropCentered(c, q, g, s, mu, from, to, deferred);
            case COVARIANCE_FORCE -> PanamaFloatLoops.covarianceForce(c, q, g, m, s, from, to, deferred);
            case BELIEF -> PanamaFloatLoops.belief(c, q, g, m, s, from, to, deferred);
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
}
