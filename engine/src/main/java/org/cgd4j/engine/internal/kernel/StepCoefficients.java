package org.cgd4j.engine.internal.kernel;

import org.cgd4j.engine.CgdConfig;

/**
 * The scalars of one diagonal step (SPEC "One step"): fixed ones from the config and the debiased
 * ones of step t, refreshed by {@link #prepare(long)} without allocating. Float copies serve the
 * single-precision kernels. The training-loop terms (SPEC "Training-loop terms": the clipping
 * scale, coupled L2, decoupled decay) are set by {@link #terms(double, double, double)}; while
 * they are neutral ({@link #flavour} = {@link #PLAIN}) the kernels run the plain loops.
 *
 * <p>1 − β is computed as 1/(1+τ), not as 1 − τ/(1+τ): for β near 1 the subtraction would lose
 * the digits that PyTorch's 1 − β keeps (β = 0.999 would be off by ~1e-13 relative).
 * c = 1 − β^t is computed as −expm1(t·log1p(−(1−β))) for the same reason.
 */
public final class StepCoefficients {
    /** {@link #powerKind} values: how (ε + x)^a is evaluated. */
    public static final int POWER_GENERAL = 0, POWER_SQRT = 1, POWER_ZERO = 2, POWER_ONE = 3;

    public final KernelOp op;
    public final int powerKind;
    public final double beta1, oneMinusBeta1, beta2, oneMinusBeta2, power, epsilon, epsilonOutside;
    public final float beta1F, oneMinusBeta1F, beta2F, oneMinusBeta2F, powerF, epsilonF, epsilonOutsideF;
    private final double learningRate;
    private final boolean debias;
    /** log(β1), log(β2) as log1p(−(1−β)): fixed per config, so computed once, not per step. */
    private final double logBeta1, logBeta2;

    /** γ/c1: multiplies m in the parameter update. */
    public double stepScale;
    /** 1/c1 (the debiased force, used by the FORCE covariance mean). */
    public double invC1;
    /** 1/c2 (the debiased metric). */
    public double invC2;
    public float stepScaleF, invC1F, invC2F;

    /** {@link #flavour} values: which generated loops a step runs. */
    public static final int PLAIN = 0, TERMS = 1, TERMS_L2 = 2;
    /**
     * PLAIN while gradScale = 1, l2 = 0 and decay = 1 (the plain loops, exactly the step without
     * terms); TERMS_L2 when l2 ≠ 0; TERMS otherwise (g·gradScale and q·decay, exact at 1).
     */
    public int flavour = PLAIN;
    /** Clipping: g ← gradScale·g, first. */
    public double gradScale = 1;
    /** Coupled L2: g ← g + l2·q after the scale (only when l2 ≠ 0). */
    public double l2 = 0;
    /** Decoupled decay: q ← q·decay − update, decay = 1 − γ_t·λ computed by the caller. */
    public double decay = 1;
    public float gradScaleF = 1, l2F = 0, decayF = 1;

    public StepCoefficients(CgdConfig config) {
        this.op = KernelOp.of(config);
        this.learningRate = config.learningRate();
        this.debias = config.debias();
        this.oneMinusBeta1 = 1 / (1 + config.tau1());
        this.beta1 = config.tau1() / (1 + config.tau1());
        this.oneMinusBeta2 = 1 / (1 + config.tau2());
        this.beta2 = config.tau2() / (1 + config.tau2());
        this.power = config.power();
        this.epsilon = config.epsilon() + 0.0; // −0 becomes +0: the kernels may then skip max(x, 0)'s sign of zero
        this.epsilonOutside = config.epsilonOutside();
        this.powerKind = power == 0.5 ? POWER_SQRT : power == 0 ? POWER_ZERO : power == 1 ? POWER_ONE : POWER_GENERAL;
        this.beta1F = (float) beta1;
        this.oneMinusBeta1F = (float) oneMinusBeta1;
        this.beta2F = (float) beta2;
        this.oneMinusBeta2F = (float) oneMinusBeta2;
        this.powerF = (float) power;
        this.epsilonF = (float) epsilon;
        this.epsilonOutsideF = (float) epsilonOutside;
        this.logBeta1 = logBeta(oneMinusBeta1);
        this.logBeta2 = logBeta(oneMinusBeta2);
        prepare(1);
    }

    /** Sets the debiased scalars for step t ≥ 1: {@code prepare(t, 1.0)}. */
    public void prepare(long t) {
        prepare(t, 1.0);
    }

    /**
     * Sets the debiased scalars for step t ≥ 1 with the learning rate scaled by {@code lrFactor} (a
     * schedule's factor): stepScale = (γ·lrFactor)/c1, bit-identical to {@link #prepare(long)} at 1.
     */
    public void prepare(long t, double lrFactor) {
        double c1 = debias ? correction(oneMinusBeta1, logBeta1, t) : 1;
        double c2 = debias ? correction(oneMinusBeta2, logBeta2, t) : 1;
        stepScale = (learningRate * lrFactor) / c1;
        invC1 = 1 / c1;
        invC2 = 1 / c2;
        stepScaleF = (float) stepScale;
        invC1F = (float) invC1;
        invC2F = (float) invC2;
    }

    /**
     * Sets the training-loop terms of the following steps (SPEC order per element: clip → L2 →
     * moments and metric → decoupled decay → update), and the flavour of loop that applies them:
     * the plain loops when gradScale = 1, l2 = 0 and decay = 1. Each must be finite.
     *
     * @param gradScale the clipping coefficient (g ← gradScale·g), 1 for none
     * @param l2 coupled L2 (g ← g + l2·q), 0 for none
     * @param decay the decoupled decay factor 1 − γ_t·λ (q ← q·decay − update), 1 for none
     */
    public void terms(double gradScale, double l2, double decay) {
        if (!Double.isFinite(gradScale) || !Double.isFinite(l2) || !Double.isFinite(decay)) {
            throw new IllegalArgumentException("training-loop terms must be finite, got gradScale = " + gradScale
                    + ", l2 = " + l2 + ", decay = " + decay);
        }
        this.gradScale = gradScale;
        this.l2 = l2;
        this.decay = decay;
        this.gradScaleF = (float) gradScale;
        this.l2F = (float) l2;
        this.decayF = (float) decay;
        this.flavour = l2 != 0 ? TERMS_L2 : gradScale == 1 && decay == 1 ? PLAIN : TERMS;
    }

    /** γ, the configured learning rate. */
    public double learningRate() { return learningRate; }

    /** 1 − β^t with β = 1 − oneMinusBeta and logBeta = log β, without cancellation. */
    private static double correction(double oneMinusBeta, double logBeta, long t) {
        if (oneMinusBeta == 1) {
            return 1;
        }
        return -Math.expm1(t * logBeta);
    }

    private static double logBeta(double oneMinusBeta) {
        return Math.log1p(-oneMinusBeta);
    }
}
