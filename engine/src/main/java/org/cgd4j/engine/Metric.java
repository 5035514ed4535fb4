package org.cgd4j.engine;

/** The matrix X whose power preconditions the force (SPEC "Parameters", metric). */
public enum Metric {
    /** Euclidean metric: P = m̂ (SGD, momentum). */
    NONE,
    /** Exponential average of g gᵀ (M2): RMSProp, Adam. */
    SECOND_MOMENT,
    /** M2 − μμᵀ, the gradient covariance; μ chosen by {@link CovarianceMean}. */
    COVARIANCE,
    /** Exponential average of (g − m)(g − m)ᵀ: AdaBelief. */
    BELIEF
}
