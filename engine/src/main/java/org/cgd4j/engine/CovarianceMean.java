package org.cgd4j.engine;

/** Which mean μ the {@link Metric#COVARIANCE} metric subtracts (SPEC: a choice the paper leaves open). */
public enum CovarianceMean {
    /** μ is the τ2-average of g: X = M2 − μμᵀ is positive semi-definite by construction (default). */
    METRIC,
    /** μ is the force m (τ1-average), the paper's literal M2 − M1M1ᵀ; may be indefinite, negatives are clamped. */
    FORCE
}
