package org.cgd4j.engine;

import java.util.Objects;

/**
 * Every parameter of one CGD update (SPEC "Parameters" and "One step"), immutable and validated.
 *
 * <p>One step: m ← β1 m + (1−β1) g; X updated by {@link #metric()}; m̂, X̂ debiased if
 * {@link #debias()}; P = f(X̂) m̂ with f(λ) = 1/((ε + max(λ,0))^a + ε'); q ← q − γ P, where
 * β = τ/(1+τ). The presets give the optimizers users know ({@link #adam} is exactly PyTorch's Adam).
 *
 * @param learningRate   γ &gt; 0, the step size
 * @param tau1           τ1 ≥ 0, force timescale (β1 = τ1/(1+τ1)); 0 means no averaging
 * @param tau2           τ2 ≥ 0, metric timescale (β2 = τ2/(1+τ2))
 * @param power          a ≥ 0, power of the metric; 1/2 is the Adam/RMSProp family
 * @param epsilon        ε ≥ 0, regulariser inside the power (the paper's placement)
 * @param epsilonOutside ε' ≥ 0, regulariser added after the power (standard-library parity)
 * @param metric         which matrix X preconditions the force
 * @param structure      DIAGONAL (O(d)), FULL (O(d²) memory, dsyevd) or KRONECKER (per tensor block)
 * @param debias         divide each average by (1 − β^t), Adam's bias correction
 * @param covarianceMean μ for {@link Metric#COVARIANCE}
 * @param refreshEvery   FULL and KRONECKER: eigendecompose every k ≥ 1 steps (1 = the exact method)
 * @param refreshMode    FULL: what the steps between refreshes use; KRONECKER: TRACKED (exact) or QR
 * @param warmupSteps    FULL and KRONECKER: the first k ≥ 0 steps use the DIAGONAL metric of the same family
 * @param nonFinitePolicy what to do with a NaN/±Inf gradient element
 * @param threads        ≥ 1 threads for large diagonal steps; results identical to one thread
 * @param maxStateBytes  &gt; 0, largest off-heap state an optimizer may allocate (refused above it)
 * @param weightDecay    λ ≥ 0, decoupled weight decay (AdamW): q ← q·(1 − γ_t·λ) before the update
 * @param l2             λ₂ ≥ 0, coupled (L2) weight decay: g ← g + λ₂·q before the averages (torch's weight_decay)
 * @param blockSize      ≥ 1, KRONECKER only: the largest side of a block of a tensor's matrix view
 * @param staggerRefresh KRONECKER only: block b refreshes (b mod k) steps later than SPEC's schedule, so
 *                       that no single step pays every block's eigendecompositions (off by default)
 *
 * <p>Components added after checkpoint format 1 ({@code weightDecay}, {@code l2}, {@code blockSize}, {@code staggerRefresh})
 * take their defaults ({@link #DEFAULTS}) when a checkpoint lacks them.
 */
public record CgdConfig(
        double learningRate,
        double tau1,
        double tau2,
        double power,
        double epsilon,
        double epsilonOutside,
        Metric metric,
        Structure structure,
        boolean debias,
        CovarianceMean covarianceMean,
        int refreshEvery,
        RefreshMode refreshMode,
        int warmupSteps,
        NonFinitePolicy nonFinitePolicy,
        int threads,
        long maxStateBytes,
        double weightDecay,
        double l2,
        int blockSize,
        boolean staggerRefresh) {

    /** Default limit on an optimizer's off-heap state: 4 GiB. */
    public static final long DEFAULT_MAX_STATE_BYTES = 4L << 30;

    /**
     * Default largest side of a KRONECKER block. A block of side b costs ~8b flops per parameter per step
     * in its rotations and two b × b DSYEVD per refresh: 256 keeps a 1e6-parameter step near 2 GFlop
     * and a refresh every 10 steps well under the step (docs/kronecker.md has the measurements).
     */
    public static final int DEFAULT_BLOCK_SIZE = 256;

    public CgdConfig {
        requirePositive("learningRate", learningRate);
        requireTimescale("tau1", tau1);
        requireTimescale("tau2", tau2);
        requireNonNegative("power", power);
        requireNonNegative("epsilon", epsilon);
        requireNonNegative("epsilonOutside", epsilonOutside);
        Objects.requireNonNull(metric, "metric must not be null");
        Objects.requireNonNull(structure, "structure must not be null");
        Objects.requireNonNull(covarianceMean, "covarianceMean must not be null");
        Objects.requireNonNull(refreshMode, "refreshMode must not be null");
        Objects.requireNonNull(nonFinitePolicy, "nonFinitePolicy must not be null");
        if (metric != Metric.NONE && power > 0 && epsilon == 0 && epsilonOutside == 0) {
            throw new IllegalArgumentException("power = " + power + " > 0 needs epsilon > 0 or epsilonOutside > 0:"
                    + " with both 0 the step is infinite on a zero eigenvalue of the metric");
        }
        if (metric != Metric.NONE && power > 0 && Math.pow(epsilon, power) + epsilonOutside == 0) {
            // Same rule in floating point: epsilon^power underflows to 0, so f(0) would be infinite too.
            throw new IllegalArgumentException("power = " + power + " with epsilon = " + epsilon + " and epsilonOutside = 0:"
                    + " epsilon^power underflows to 0 in double precision, so the step is infinite on a zero eigenvalue;"
                    + " raise epsilon or set epsilonOutside > 0");
        }
        if (structure == Structure.FULL && metric == Metric.NONE) {
            throw new IllegalArgumentException("metric NONE has no matrix to keep: use structure DIAGONAL");
        }
        if (structure == Structure.KRONECKER && refreshMode == RefreshMode.STALE) {
            throw new IllegalArgumentException("refreshMode STALE has no meaning for structure KRONECKER (its frame state"
                    + " is updated every step): use TRACKED (the exact rule) or QR");
        }
        if (structure != Structure.KRONECKER && refreshMode == RefreshMode.QR) {
            throw new IllegalArgumentException("refreshMode QR is a KRONECKER refresh; structure " + structure
                    + " uses STALE or TRACKED");
        }
        if (refreshEvery < 1) {
            throw new IllegalArgumentException("refreshEvery must be >= 1, got " + refreshEvery);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxStateBytes <= 0) {
            throw new IllegalArgumentException("maxStateBytes must be > 0, got " + maxStateBytes);
        }
        requireNonNegative("weightDecay", weightDecay);
        requireNonNegative("l2", l2);
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be >= 1, got " + blockSize);
        }
    }

    // ---- presets (SPEC "Exact special cases") ----

    /** Plain SGD: q ← q − lr·g. */
    public static CgdConfig sgd(double lr) {
        requirePositive("lr", lr);
        return base(lr, 0, 0, 0, 0, 0, Metric.NONE, false);
    }

    /** PyTorch SGD with momentum μ and dampening 0: τ1 = μ/(1−μ), γ = lr/(1−μ). */
    public static CgdConfig momentum(double lr, double mu) {
        requirePositive("lr", lr);
        requireUnitInterval("mu", mu);
        return base(lr / (1 - mu), tauOf(mu), 0, 0, 0, 0, Metric.NONE, false);
    }

    /** PyTorch RMSprop(lr, alpha, eps): DIAGONAL SECOND_MOMENT, a = 1/2, ε' = eps, no debias. */
    public static CgdConfig rmsprop(double lr, double alpha, double eps) {
        requireUnitInterval("alpha", alpha);
        return base(lr, 0, tauOf(alpha), 0.5, 0, eps, Metric.SECOND_MOMENT, false);
    }

    /** PyTorch RMSprop(centered = True): as {@link #rmsprop} with the COVARIANCE metric (METRIC mean). */
    public static CgdConfig rmspropCentered(double lr, double alpha, double eps) {
        return rmsprop(lr, alpha, eps).withMetric(Metric.COVARIANCE);
    }

    /** PyTorch Adam(lr, (β1, β2), eps): DIAGONAL SECOND_MOMENT, τ = β/(1−β), a = 1/2, ε' = eps, debias. */
    public static CgdConfig adam(double lr, double beta1, double beta2, double eps) {
        requireUnitInterval("beta1", beta1);
        requireUnitInterval("beta2", beta2);
        return base(lr, tauOf(beta1), tauOf(beta2), 0.5, 0, eps, Metric.SECOND_MOMENT, true);
    }

    /**
     * PyTorch AdamW(lr, (β1, β2), eps, weight_decay): {@link #adam} with decoupled weight decay λ,
     * q ← q·(1 − lr_t·λ) − lr_t·m̂/(√v̂ + eps).
     */
    public static CgdConfig adamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
        requireNonNegative("weightDecay", weightDecay);
        return adam(lr, beta1, beta2, eps).withWeightDecay(weightDecay);
    }

    /**
     * AdaBelief (Zhuang et al. 2020, no rectification, no weight decay): DIAGONAL BELIEF, a = 1/2,
     * ε = eps/(1−β2) inside, ε' = eps outside, debias. Exact: AdaBelief's per-step eps inside s
     * accumulates to eps(1−β2^t)/(1−β2), which bias correction turns into the constant eps/(1−β2).
     */
    public static CgdConfig adabelief(double lr, double beta1, double beta2, double eps) {
        requireUnitInterval("beta1", beta1);
        requireUnitInterval("beta2", beta2);
        requireNonNegative("eps", eps);
        return base(lr, tauOf(beta1), tauOf(beta2), 0.5, eps / (1 - beta2), eps, Metric.BELIEF, true);
    }

    /**
     * Diagonal CGD (paper §4): DIAGONAL COVARIANCE (METRIC mean), power a, ε inside, ε' = 0, no
     * debias (the paper's form). Use {@code with...} to change the metric or turn debias on.
     */
    public static CgdConfig diagonalCgd(double lr, double tau1, double tau2, double power, double epsilon) {
        return base(lr, tau1, tau2, power, epsilon, 0, Metric.COVARIANCE, false);
    }

    /** Full CGD (paper Eq. 4.9): as {@link #diagonalCgd} with the whole d×d covariance. */
    public static CgdConfig fullCgd(double lr, double tau1, double tau2, double power, double epsilon) {
        return diagonalCgd(lr, tau1, tau2, power, epsilon).withStructure(Structure.FULL);
    }

    private static CgdConfig base(double lr, double tau1, double tau2, double power, double eps,
                                  double epsOut, Metric metric, boolean debias) {
        return new CgdConfig(lr, tau1, tau2, power, eps, epsOut, metric, Structure.DIAGONAL, debias,
                CovarianceMean.METRIC, 1, RefreshMode.STALE, 0, NonFinitePolicy.THROW, 1,
                DEFAULT_MAX_STATE_BYTES, 0, 0, DEFAULT_BLOCK_SIZE, false);
    }

    // ---- derived values ----

    /** β1 = τ1/(1+τ1). */
    public double beta1() { return betaOf(tau1); }

    /** β2 = τ2/(1+τ2). */
    public double beta2() { return betaOf(tau2); }

    /** β = τ/(1+τ), computed so that τ = β/(1−β) round-trips for β in [0, 1). */
    public static double betaOf(double tau) { return tau / (1 + tau); }

    /** τ = β/(1−β): the timescale of an exponential average with decay β. */
    public static double tauOf(double beta) { return beta / (1 - beta); }

    // ---- single changes: each wither copies every component through one place, {@link Copy} ----

    public CgdConfig withLearningRate(double v) { return with(c -> c.learningRate = v); }
    public CgdConfig withTau1(double v) { return with(c -> c.tau1 = v); }
    public CgdConfig withTau2(double v) { return with(c -> c.tau2 = v); }
    public CgdConfig withPower(double v) { return with(c -> c.power = v); }
    public CgdConfig withEpsilon(double v) { return with(c -> c.epsilon = v); }
    public CgdConfig withEpsilonOutside(double v) { return with(c -> c.epsilonOutside = v); }
    public CgdConfig withMetric(Metric v) { return with(c -> c.metric = v); }
    /**
     * This config with another structure. Moving to KRONECKER from refreshMode STALE (every preset's
     * default, meaningful only for FULL's cached basis) also sets TRACKED, so that any preset can be put
     * in the Kronecker frame ({@code adam(...).withStructure(KRONECKER)} is SOAP-like); moving away from
     * KRONECKER with refreshMode QR sets STALE.
     */
    public CgdConfig withStructure(Structure v) {
        return with(c -> {
            c.structure = v;
            if (v == Structure.KRONECKER && c.refreshMode == RefreshMode.STALE) {
                c.refreshMode = RefreshMode.TRACKED;
            } else if (v != Structure.KRONECKER && c.refreshMode == RefreshMode.QR) {
                c.refreshMode = RefreshMode.STALE;
            }
        });
    }
    public CgdConfig withDebias(boolean v) { return with(c -> c.debias = v); }
    public CgdConfig withCovarianceMean(CovarianceMean v) { return with(c -> c.covarianceMean = v); }
    public CgdConfig withRefreshEvery(int v) { return with(c -> c.refreshEvery = v); }
    public CgdConfig withRefreshMode(RefreshMode v) { return with(c -> c.refreshMode = v); }
    public CgdConfig withWarmupSteps(int v) { return with(c -> c.warmupSteps = v); }
    public CgdConfig withNonFinitePolicy(NonFinitePolicy v) { return with(c -> c.nonFinitePolicy = v); }
    public CgdConfig withThreads(int v) { return with(c -> c.threads = v); }
    public CgdConfig withMaxStateBytes(long v) { return with(c -> c.maxStateBytes = v); }
    public CgdConfig withWeightDecay(double v) { return with(c -> c.weightDecay = v); }
    public CgdConfig withL2(double v) { return with(c -> c.l2 = v); }
    public CgdConfig withBlockSize(int v) { return with(c -> c.blockSize = v); }
    public CgdConfig withStaggerRefresh(boolean v) { return with(c -> c.staggerRefresh = v); }

    /** This config with one change applied to a mutable copy, validated by the canonical constructor. */
    private CgdConfig with(java.util.function.Consumer<Copy> change) {
        Copy c = new Copy(this);
        change.accept(c);
        return c.build();
    }

    /**
     * A mutable copy of every component, named as the record names them: the only place besides the
     * record header that lists them all, so a new component is one field here and one line in
     * {@link #build()} (a positional call with six doubles in a row would let a swapped pair compile).
     */
    private static final class Copy {
        double learningRate, tau1, tau2, power, epsilon, epsilonOutside, weightDecay, l2;
        Metric metric;
        Structure structure;
        boolean debias, staggerRefresh;
        CovarianceMean covarianceMean;
        int refreshEvery, warmupSteps, threads, blockSize;
        RefreshMode refreshMode;
        NonFinitePolicy nonFinitePolicy;
        long maxStateBytes;

        Copy(CgdConfig x) {
            learningRate = x.learningRate; tau1 = x.tau1; tau2 = x.tau2; power = x.power;
            epsilon = x.epsilon; epsilonOutside = x.epsilonOutside; metric = x.metric;
            structure = x.structure; debias = x.debias; covarianceMean = x.covarianceMean;
            refreshEvery = x.refreshEvery; refreshMode = x.refreshMode; warmupSteps = x.warmupSteps;
            nonFinitePolicy = x.nonFinitePolicy; threads = x.threads; maxStateBytes = x.maxStateBytes;
            weightDecay = x.weightDecay; l2 = x.l2; blockSize = x.blockSize; staggerRefresh = x.staggerRefresh;
        }

        CgdConfig build() {
            return new CgdConfig(learningRate, tau1, tau2, power, epsilon, epsilonOutside, metric, structure,
                    debias, covarianceMean, refreshEvery, refreshMode, warmupSteps, nonFinitePolicy, threads,
                    maxStateBytes, weightDecay, l2, blockSize, staggerRefresh);
        }
    }

    /**
     * Values that components added after checkpoint format 1 take when a checkpoint lacks them
     * (by component name): each one neutral, so an old run continues exactly as it was.
     */
    public static final java.util.Map<String, Object> DEFAULTS = java.util.Map.of(
            "weightDecay", 0.0, "l2", 0.0, "blockSize", DEFAULT_BLOCK_SIZE, "staggerRefresh", false);

    // ---- validation helpers: messages name the field and the value (as PyTorch does) ----

    private static void requirePositive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
    }

    private static void requireNonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
        }
    }

    /** τ ≥ 0 and finite, and small enough that β = τ/(1+τ) stays below 1 (else the average never moves and debias divides by 0). */
    private static void requireTimescale(String name, double tau) {
        requireNonNegative(name, tau);
        if (betaOf(tau) >= 1) {
            throw new IllegalArgumentException(name + " = " + tau + " is too large: beta = " + name
                    + "/(1+" + name + ") rounds to 1 in double precision, so the average would never change");
        }
    }

    private static void requireUnitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
    }
}
