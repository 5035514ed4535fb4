package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.kernel.StepCoefficients;

/**
 * Full-matrix CGD (SPEC, structure FULL): the d×d metric S (or B) off-heap, diagonalised with LAPACK
 * DSYEVD, P = V f(Λ) Vᵀ m̂ applied as two matrix-vector products (the inverse metric is never formed).
 *
 * <p>This is the preconditioner of one FULL parameter group: the optimizer facade (StepFacade)
 * owns the arena, the step count and the argument checks, gathers the group's gradient into
 * {@link #gradient()}, calls {@link #prepare} for every group that can fail before it
 * {@link #commit}s any, and applies {@link #direction()} to the params.
 *
 * <p><b>Data path.</b> Everything is allocated at construction from the optimizer's Arena (see
 * {@link FullLayout}); the DSYEVD workspace is queried once. A step has g off-heap (checked by the
 * facade), and computes the new moments into "next" buffers. On a refresh step it writes X̂ = (β2·S + (1−β2)·u uᵀ)/c2
 * − v vᵀ into the work matrix W without touching S, diagonalises W in place, and applies P. Only when
 * X̂, the eigendecomposition and P are all valid does it commit: S's rank-1 update (evaluated exactly as
 * in X̂), the moment buffers swapped in, the new eigenbasis swapped in, params updated. Any failure
 * before that leaves params and state bit-identical.
 *
 * <p><b>Refresh.</b> Step t (after {@code warmupSteps}) refreshes when (t − warmup − 1) mod k = 0,
 * k = {@code refreshEvery}. Between refreshes P uses the cached V with either the cached eigenvalues
 * (STALE) or tracked ones (TRACKED): σ = diag(Vᵀ S V) is updated as σ ← β2σ + (1−β2)(Vᵀu)², with
 * Vᵀm and Vᵀμ updated the same way from h = Vᵀg, and λ̃ = σ/c2 − (Vᵀv)². That is the exact diagonal of
 * Vᵀ X̂ V (up to rounding) at the cost of one DGEMV 'T' (h) and one 'N' (P) per step. S is not read
 * between refreshes, so its rank-1 updates are queued and applied in one pass at the next refresh (or
 * when {@link FullLayout#MAX_QUEUE} are queued), element by element in the same order: bit-identical.
 *
 * <p><b>Warm-up.</b> Steps t ≤ {@code warmupSteps} use the diagonal of X̂ (the DIAGONAL metric of
 * the same family) while S still accumulates; {@link #eigenvalues()} then reports that diagonal.
 */
public final class FullPreconditioner {
    private final CgdConfig config;
    private final Arena arena;
    private final LinearAlgebra la;
    private final FullKernels kernels;
    private final MetricFunction f;
    private final int n;
    private final StepCoefficients coefficients;
    private final double beta1;
    private final double oneMinusBeta1;
    private final double beta2;
    private final double oneMinusBeta2;
    private final boolean belief;
    private final boolean covariance;
    private final boolean metricMean;
    private final boolean cached;
    private final boolean tracked;
    private final long lwork;
    private final long liwork;
    private long allocatedBytes;

    // state (listed by stateSlices)
    private MemorySegment m;
    private MemorySegment mu;
    private final MemorySegment s;
    private MemorySegment lambda;
    private MemorySegment v;       // cached eigenbasis (refreshEvery > 1), else null
    private MemorySegment sigma;   // TRACKED: diag(Vᵀ S V)
    private MemorySegment pm;      // TRACKED: Vᵀ m
    private MemorySegment pmu;     // TRACKED, METRIC mean: Vᵀ μ

    // work: next values of the state vectors, swapped in at commit
    private MemorySegment mNext;
    private MemorySegment muNext;
    private MemorySegment lambdaNext;
    private MemorySegment sigmaNext;
    private MemorySegment pmNext;
    private MemorySegment pmuNext;
    private MemorySegment w;       // X̂, then its eigenvectors
    private final MemorySegment g;
    private final MemorySegment queue;  // queued rank-1 vectors u, one per row (see queuedAfter)
    private final MemorySegment[] slots;
    private final MemorySegment mean;  // debiased mean (COVARIANCE), or its projection Vᵀv when tracking
    private final MemorySegment force;  // γ·m̂ = (γ/c1)·m
    private final MemorySegment y;
    private final MemorySegment p;
    private final MemorySegment h;
    private final MemorySegment hu;
    private final MemorySegment work;
    private final MemorySegment iwork;

    /**
     * The preconditioner of a FULL group of {@code dimension} parameters, its state allocated from
     * {@code arena} (owned by the caller, who closes it also when this constructor fails). {@code la}
     * and {@code kernels} may be null for the active implementations (tests inject others).
     */
    public FullPreconditioner(CgdConfig config, int dimension, Arena arena, LinearAlgebra la, FullKernels kernels) {
        this.config = config;
        this.arena = arena;
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        if (config.structure() != org.cgd4j.engine.Structure.FULL) {
            throw new IllegalArgumentException("a FULL preconditioner needs structure FULL, got " + config.structure());
        }
        this.n = dimension;
        // The DIAGONAL engine's scalars (1 − β = 1/(1+τ), c = 1 − β^t without cancellation), so that
        // d = 1 and the warm-up reproduce DIAGONAL bit for bit.
        this.coefficients = new StepCoefficients(config);
        this.beta1 = coefficients.beta1;
        this.oneMinusBeta1 = coefficients.oneMinusBeta1;
        this.beta2 = coefficients.beta2;
        this.oneMinusBeta2 = coefficients.oneMinusBeta2;
        this.belief = config.metric() == Metric.BELIEF;
        this.covariance = config.metric() == Metric.COVARIANCE;
        this.metricMean = covariance && config.covarianceMean() == CovarianceMean.METRIC;
        this.cached = config.refreshEvery() > 1;
        this.tracked = cached && config.refreshMode() == RefreshMode.TRACKED;
        this.f = new MetricFunction(config.power(), config.epsilon(), config.epsilonOutside());

        // Refuse before allocating or even querying LAPACK (whose int sizes overflow for huge d).
        FullLayout layout = FullLayout.of(config, dimension);
        requireStateFits(config, n, layout.bytes(FullLayout.minimumLwork(n), FullLayout.minimumLiwork(n)));
        this.la = la != null ? la : LinearAlgebraProvider.get();
        this.kernels = kernels != null ? kernels : FullKernelsProvider.get();
        EigenWorkspace ws = this.la.dsyevdWorkspace(n);
        this.lwork = ws.lwork();
        this.liwork = ws.liwork();
        long planned = layout.bytes(lwork, liwork);
        requireStateFits(config, n, planned);
        {
            long square = (long) n * n;
            s = doubles(square);
            w = doubles(square);
            v = cached ? doubles(square) : null;
            g = doubles(n);
            m = doubles(n);
            mNext = doubles(n);
            mu = metricMean ? doubles(n) : null;
            muNext = metricMean ? doubles(n) : null;
            queue = doubles((long) layout.queueSlots() * n);
            slots = new MemorySegment[layout.queueSlots()];
            for (int k = 0; k < slots.length; k++) {
                slots[k] = queue.asSlice((long) k * n * Double.BYTES, (long) n * Double.BYTES);
            }
            mean = covariance ? doubles(n) : null;
            force = doubles(n);
            y = doubles(n);
            p = doubles(n);
            lambda = doubles(n);
            lambdaNext = doubles(n);
            sigma = tracked ? doubles(n) : null;
            sigmaNext = tracked ? doubles(n) : null;
            pm = tracked ? doubles(n) : null;
            pmNext = tracked ? doubles(n) : null;
            pmu = tracked && metricMean ? doubles(n) : null;
            pmuNext = tracked && metricMean ? doubles(n) : null;
            h = tracked ? doubles(n) : null;
            hu = tracked && belief ? doubles(n) : h;
            work = arena.allocate(lwork * Double.BYTES, 64);
            iwork = arena.allocate(liwork * Integer.BYTES, 64);
            allocatedBytes += work.byteSize() + iwork.byteSize();
        }
        if (allocatedBytes != planned) {
            throw new AssertionError("FullLayout planned " + planned + " bytes, allocated " + allocatedBytes);
        }
    }

    /**
     * The bytes a preconditioner of {@code dimension} parameters allocates with LAPACK's minimum
     * DSYEVD workspace (saturating at Long.MAX_VALUE), computed without allocating or calling LAPACK:
     * a checkpoint loader compares it with its caller's limit before building anything.
     */
    public static long plannedBytes(CgdConfig config, int dimension) {
        return FullLayout.of(config, dimension).bytes(FullLayout.minimumLwork(dimension), FullLayout.minimumLiwork(dimension));
    }

    private MemorySegment doubles(long count) {
        MemorySegment seg = arena.allocate(count * Double.BYTES, 64); // zeroed: all averages start at 0
        allocatedBytes += seg.byteSize();
        return seg;
    }

    /** Refuses state larger than {@link CgdConfig#maxStateBytes()}, naming the bytes needed. */
    private static void requireStateFits(CgdConfig config, int n, long bytes) {
        if (bytes > config.maxStateBytes() || bytes < 0) {
            throw new IllegalArgumentException("state for dimension " + n + " needs " + bytes
                    + " bytes, more than maxStateBytes = " + config.maxStateBytes());
        }
    }

    // ---- steps ----

    /** The group's gradient buffer (n doubles): the facade gathers, checks and scales g into it. */
    public MemorySegment gradient() { return g; }

    /** γ·P after a successful {@link #prepare}: the facade subtracts it from the group's params. */
    public MemorySegment direction() { return p; }

    /** q ← q − γP with the SIMD kernels, for a group that is the whole of a native params segment. */
    public void descend(MemorySegment q) { kernels.descend(n, q, p); }

    /** The first non-finite element of {@link #gradient()}, or −1 (FULL accepts any finite g). */
    public long firstNonFinite() { return kernels.firstNonFinite(n, g); }

    /**
     * Step t's moments, metric and direction P into work buffers, with the gradient in
     * {@link #gradient()} and {@code stepScale} = γ_t/c1: everything that can fail. On failure nothing
     * of the state has changed (the queue slot it wrote is zeroed again).
     */
    public void prepare(long t, double lrFactor) {
        int queued = queuedAfter(t - 1);
        MemorySegment u = slots[queued];
        try {
            prepare(t, lrFactor, u, queued);
        } catch (RuntimeException e) {
            u.fill((byte) 0); // queue slots past the committed ones stay zero: state bytes are unchanged
            throw e;
        }
    }

    /** Undoes a successful {@link #prepare} of step t that another group's failure keeps from committing. */
    public void abandon(long t) {
        slots[queuedAfter(t - 1)].fill((byte) 0);
    }

    /** Commits step t, which {@link #prepare} validated: cannot fail. */
    public void commit(long t) {
        commit(t, queuedAfter(t - 1));
    }

    /**
     * Steps queued for S after step t: S's rank-1 updates between refreshes are queued and applied
     * together (one pass over S instead of one per step, each element updated by exactly the same
     * operations in the same order), at the next refresh or when the queue is full.
     */
    private int queuedAfter(long t) {
        long warmup = config.warmupSteps();
        return t <= warmup ? 0 : (int) (((t - warmup - 1) % config.refreshEvery()) % slots.length);
    }

    /** Everything that can fail: moments, u, the direction P, all into work buffers. */
    private void prepare(long t, double lrFactor, MemorySegment u, int queued) {
        coefficients.prepare(t, lrFactor);
        double invC1 = coefficients.invC1;
        double invC2 = coefficients.invC2;

        // SPEC steps 1-3 on the vectors, into the next buffers.
        kernels.blend(n, beta1, m, oneMinusBeta1, g, mNext);
        if (metricMean) {
            kernels.blend(n, beta2, mu, oneMinusBeta2, g, muNext);
        }
        if (belief) {
            kernels.subtract(n, g, mNext, u);
        } else {
            MemorySegment.copy(g, 0, u, 0, u.byteSize());
        }
        kernels.scale(n, coefficients.stepScale, mNext, force);
        if (covariance) {
            // μ̂ = μ/c2 (METRIC); with the FORCE mean μ is m, debiased like m: m̂ = m/c1.
            kernels.scale(n, metricMean ? invC2 : invC1, metricMean ? muNext : mNext, mean);
        }

        boolean warm = t <= config.warmupSteps();
        boolean refresh = !warm && (t - config.warmupSteps() - 1) % config.refreshEvery() == 0;
        SpectrumBound.require(t, n, s, beta2, oneMinusBeta2, queue, queued + 1, invC2, covariance ? mean : null);
        if (warm) {
            diagonalDirection(t, invC2);
        } else if (refresh) {
            eigenDirection(t, queued + 1, invC1, invC2);
        } else {
            if (tracked) {
                trackedDirection(t, invC1, invC2);
            } else {
                project(v, lambda); // STALE: cached basis and eigenvalues
            }
        }
        long badP = kernels.firstNonFinite(n, p);
        if (badP >= 0) {
            throw new ArithmeticException("step " + t + ": the preconditioned direction P has a non-finite element ("
                    + p.getAtIndex(JAVA_DOUBLE, badP) + " at " + badP + "); step refused, params and state unchanged");
        }
    }

    /** Commits step t's state, which {@link #prepare} validated (the caller then updates params): cannot fail. */
    private void commit(long t, int queued) {
        boolean warm = t <= config.warmupSteps();
        boolean refresh = !warm && (t - config.warmupSteps() - 1) % config.refreshEvery() == 0;
        int count = queued + 1;
        if (warm || refresh || count == slots.length) {
            kernels.rank1Update(n, s, beta2, oneMinusBeta2, queue, count);
            queue.asSlice(0, (long) count * n * Double.BYTES).fill((byte) 0);
        }
        MemorySegment swap = m; m = mNext; mNext = swap;
        if (metricMean) {
            swap = mu; mu = muNext; muNext = swap;
        }
        if (warm || refresh || tracked) { // STALE keeps its eigenvalues between refreshes
            swap = lambda; lambda = lambdaNext; lambdaNext = swap;
        }
        if (cached && refresh) {
            swap = v; v = w; w = swap;
        }
        if (tracked && !warm) {
            swap = sigma; sigma = sigmaNext; sigmaNext = swap;
            swap = pm; pm = pmNext; pmNext = swap;
            if (metricMean) {
                swap = pmu; pmu = pmuNext; pmuNext = swap;
            }
        }
    }

    /** Warm-up: γP_i = γm̂_i / denominator(X̂_ii), X̂_ii as {@link FullKernels#buildMetric} computes it. */
    private void diagonalDirection(long t, double invC2) {
        for (int i = 0; i < n; i++) {
            double x = ScalarFullKernels.updated(s.getAtIndex(JAVA_DOUBLE, (long) i * n + i), beta2, oneMinusBeta2, queue, 1,
                    n, i, i) * invC2;
            if (covariance) {
                double vi = mean.getAtIndex(JAVA_DOUBLE, i);
                x = x - vi * vi;
            }
            if (!Double.isFinite(x)) {
                throw nonFiniteMetric(t, i);
            }
            lambdaNext.setAtIndex(JAVA_DOUBLE, i, x);
            p.setAtIndex(JAVA_DOUBLE, i, force.getAtIndex(JAVA_DOUBLE, i) / f.denominator(x));
        }
    }

    /** Refresh: X̂ into W, DSYEVD, P from the new basis; TRACKED also projects the moments onto it. */
    private void eigenDirection(long t, int count, double invC1, double invC2) {
        if (!kernels.buildMetric(n, s, beta2, oneMinusBeta2, queue, count, invC2, covariance ? mean : null, w)) {
            throw nonFiniteMetric(t, -1);
        }
        try {
            la.dsyevd('V', 'L', n, w, n, lambdaNext, work, lwork, iwork, liwork);
        } catch (LapackException e) {
            throw new LapackException(e.routine(), e.info(),
                    "step " + t + " refused, params and state unchanged: " + e.getMessage());
        }
        SpectrumBound.requireFinite(t, n, lambdaNext, "eigenvalue");
        project(w, lambdaNext);
        if (tracked) {
            la.dgemv('T', n, n, 1, w, n, mNext, 1, 0, pmNext, 1);
            if (metricMean) {
                la.dgemv('T', n, n, 1, w, n, muNext, 1, 0, pmuNext, 1);
            }
            // σ = diag(Wᵀ S_t W) = c2·(Λ + (Wᵀv)²), since S_t = c2·(X̂ + v vᵀ).
            for (int i = 0; i < n; i++) {
                double li = lambdaNext.getAtIndex(JAVA_DOUBLE, i);
                double pv = covariance ? projectedMean(i, invC1, invC2) : 0;
                sigmaNext.setAtIndex(JAVA_DOUBLE, i, (li + pv * pv) / invC2);
            }
            SpectrumBound.requireFinite(t, n, sigmaNext, "tracked eigenvalue σ");
        }
    }

    /** (Vᵀv)_i from the projected moments: Vᵀμ/c2 (METRIC mean) or Vᵀm/c1 (FORCE mean). */
    private double projectedMean(int i, double invC1, double invC2) {
        return metricMean ? pmuNext.getAtIndex(JAVA_DOUBLE, i) * invC2 : pmNext.getAtIndex(JAVA_DOUBLE, i) * invC1;
    }

    /** TRACKED between refreshes: λ̃ = diag(Vᵀ X̂ V) updated from h = Vᵀg; P = V f(λ̃) Vᵀm̂. */
    private void trackedDirection(long t, double invC1, double invC2) {
        la.dgemv('T', n, n, 1, v, n, g, 1, 0, h, 1);
        kernels.blend(n, beta1, pm, oneMinusBeta1, h, pmNext);
        if (metricMean) {
            kernels.blend(n, beta2, pmu, oneMinusBeta2, h, pmuNext);
        }
        if (belief) {
            kernels.subtract(n, h, pmNext, hu);
        }
        for (int i = 0; i < n; i++) {
            double hi = hu.getAtIndex(JAVA_DOUBLE, i);
            double si = beta2 * sigma.getAtIndex(JAVA_DOUBLE, i) + oneMinusBeta2 * hi * hi;
            sigmaNext.setAtIndex(JAVA_DOUBLE, i, si);
            double pv = covariance ? projectedMean(i, invC1, invC2) : 0;
            double li = si * invC2 - pv * pv;
            if (!Double.isFinite(si) || !Double.isFinite(li)) {
                throw nonFiniteMetric(t, -1);
            }
            lambdaNext.setAtIndex(JAVA_DOUBLE, i, li);
            y.setAtIndex(JAVA_DOUBLE, i, coefficients.stepScale * pmNext.getAtIndex(JAVA_DOUBLE, i));
        }
        f.apply(n, lambdaNext, y);
        la.dgemv('N', n, n, 1, v, n, y, 1, 0, p, 1);
    }

    /** γP = V f(Λ) Vᵀ (γm̂) as DGEMV 'T', a diagonal scaling, DGEMV 'N'. */
    private void project(MemorySegment basis, MemorySegment eigenvalues) {
        la.dgemv('T', n, n, 1, basis, n, force, 1, 0, y, 1);
        f.apply(n, eigenvalues, y);
        la.dgemv('N', n, n, 1, basis, n, y, 1, 0, p, 1);
    }

    static ArithmeticException nonFiniteMetric(long t, long index) {
        return new ArithmeticException("step " + t + ": the metric X̂ has a non-finite element"
                + (index >= 0 ? " (diagonal " + index + ")" : "")
                + " (gradient too large for its square?); step refused, params and state unchanged");
    }

    // ---- diagnostics ----

    public double[] eigenvalues() {
        double[] out = lambda.toArray(JAVA_DOUBLE);
        java.util.Arrays.sort(out);
        return out;
    }

    public int clampedEigenvalues() {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (lambda.getAtIndex(JAVA_DOUBLE, i) < 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * (Σλ)²/Σλ² over the clamped eigenvalues λ⁺ = max(λ, 0), computed on λ⁺/max λ⁺: the ratio does not
     * change with the scale, and the squares of eigenvalues beyond ~1.3e154 would overflow to a NaN
     * (∞/∞) where the scaled sums stay ≤ n.
     */
    public double effectiveDimension() {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, lambda.getAtIndex(JAVA_DOUBLE, i));
        }
        if (!(max > 0)) {
            return 0;
        }
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            double l = Math.max(lambda.getAtIndex(JAVA_DOUBLE, i), 0) / max;
            sum += l;
            sumSquares += l * l;
        }
        return sum * sum / sumSquares;
    }

    public long stateBytes() { return allocatedBytes; }

    /**
     * Why state restored from a checkpoint after {@code steps} steps could not continue, or null: a
     * non-finite element in any slice (this class never commits one, so only a forged or damaged
     * file has it), or a metric or mean beyond {@link SpectrumBound}'s invariant, which every commit
     * keeps. Either would make every later step fail, so a loader refuses the file instead.
     */
    public String restoredStateProblem(long steps) {
        for (StateSlice slice : stateSlices()) {
            MemorySegment seg = slice.segment();
            for (long i = 0, count = seg.byteSize() / Double.BYTES; i < count; i++) {
                double x = seg.getAtIndex(JAVA_DOUBLE, i);
                if (!Double.isFinite(x)) {
                    return "state slice " + slice.name() + " holds " + x + " at element " + i;
                }
            }
        }
        if (steps == 0) {
            return null; // no debiasing yet (c = 0): nothing to bound
        }
        coefficients.prepare(steps, 1); // recomputed by every prepare: no state changes
        try {
            MemorySegment v = null;
            if (covariance) {
                kernels.scale(n, metricMean ? coefficients.invC2 : coefficients.invC1, metricMean ? mu : m, mean);
                v = mean;
            }
            SpectrumBound.require(steps, n, s, beta2, oneMinusBeta2, queue, queuedAfter(steps), coefficients.invC2, v);
        } catch (ArithmeticException e) {
            return "its metric is beyond what a step can use: " + e.getMessage();
        }
        return null;
    }

    /** S (or B) with the queued updates applied after {@code steps} steps: its lower triangle, column-major (tests). */
    public double[] currentS(long steps) {
        double[] copy = s.toArray(JAVA_DOUBLE);
        kernels.rank1Update(n, MemorySegment.ofArray(copy), beta2, oneMinusBeta2, queue, queuedAfter(steps));
        return copy;
    }

    /** The linear algebra this optimizer calls (diagnostics, benchmarks). */
    public LinearAlgebra linearAlgebra() { return la; }

    /**
     * m, μ (METRIC mean), S, λ; with refreshEvery &gt; 1 also V and the queued rank-1 vectors (rows past
     * the queued ones are zero); TRACKED also σ, Vᵀm, Vᵀμ. The refresh phase and the queue length
     * follow from the facade's step count and {@code warmupSteps}.
     */
    public List<StateSlice> stateSlices() {
        List<StateSlice> slices = new ArrayList<>();
        slices.add(new StateSlice("m", m));
        if (metricMean) {
            slices.add(new StateSlice("mu", mu));
        }
        slices.add(new StateSlice(belief ? "B" : "S", s));
        slices.add(new StateSlice("lambda", lambda));
        if (cached) {
            slices.add(new StateSlice("V", v));
            slices.add(new StateSlice("queuedU", queue));
        }
        if (tracked) {
            slices.add(new StateSlice("sigma", sigma));
            slices.add(new StateSlice("projectedM", pm));
            if (metricMean) {
                slices.add(new StateSlice("projectedMu", pmu));
            }
        }
        return List.copyOf(slices);
    }
}
