package org.cgd4j.engine.internal.kernel;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;

/**
 * Which fused diagonal loop a step runs: the metric of SPEC step 2 plus the two shapes that need
 * fewer state streams. Each op reads every input once and writes every output once.
 */
public enum KernelOp {
    /** τ1 = 0 and no metric: q ← q − γ·g (plain SGD; no state at all). */
    SGD(0),
    /** No metric: m updated, q ← q − (γ/c1)·m. */
    MOMENTUM(1),
    /** s ← β2 s + (1−β2) g²; X̂ = s/c2. */
    SECOND_MOMENT(2),
    /**
     * SECOND_MOMENT with τ1 = 0 (RMSProp): the force m = 0·m + 1·g is g itself, so m is neither read
     * nor written, two of the step's eight memory streams saved. The m slice stays allocated (and
     * all zero) so that the state layout and checkpoints are those of SECOND_MOMENT.
     */
    RMSPROP(2),
    /** s and μ ← β2 μ + (1−β2) g; X̂ = s/c2 − (μ/c2)². */
    COVARIANCE_METRIC(3),
    /**
     * COVARIANCE_METRIC with τ1 = 0 (centered RMSProp): as RMSPROP, the force is g itself and m is
     * neither read nor written, 7 memory streams instead of 9; the m slice stays allocated and zero.
     */
    RMSPROP_CENTERED(3),
    /** s only; X̂ = s/c2 − (m/c1)² (μ is the force m, debiased with its own c1). */
    COVARIANCE_FORCE(2),
    /** b ← β2 b + (1−β2)(g − m)², m already updated; X̂ = b/c2. */
    BELIEF(2);

    private final int stateSlices;

    KernelOp(int stateSlices) { this.stateSlices = stateSlices; }

    /** How many d-element state arrays the op keeps (m, then s or b, then μ). */
    public int stateSlices() { return stateSlices; }

    /** The op a configuration runs. */
    public static KernelOp of(CgdConfig config) {
        return switch (config.metric()) {
            case NONE -> config.tau1() == 0 ? SGD : MOMENTUM;
            case SECOND_MOMENT -> config.tau1() == 0 ? RMSPROP : SECOND_MOMENT;
            case COVARIANCE -> config.covarianceMean() == CovarianceMean.FORCE ? COVARIANCE_FORCE
                    : config.tau1() == 0 ? RMSPROP_CENTERED : COVARIANCE_METRIC;
            case BELIEF -> BELIEF;
        };
    }
}
