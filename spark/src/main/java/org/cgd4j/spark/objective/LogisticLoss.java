package org.cgd4j.spark.objective;

import org.cgd4j.spark.Objective;

/**
 * Binary logistic regression with L2, MLlib's {@code LogisticRegression} (family binomial,
 * elasticNetParam 0, standardization false) term for term: F(β, b) = Σ w·[log(1 + e^m) − y·m] / Σ w
 * + λ/2·‖β‖², m = β·x + b, labels y ∈ {0, 1}. q = (β₁ … β_p, b); the intercept is not penalised.
 */
public final class LogisticLoss implements Objective<Example> {
    private static final long serialVersionUID = 1L;
    private final LinearModel model;

    /**
     * @param features  p, the length of every example's features
     * @param intercept fit b (q has p + 1 elements) or not (p)
     * @param l2        λ ≥ 0, MLlib's regParam
     */
    public LogisticLoss(int features, boolean intercept, double l2) {
        this.model = new LinearModel(features, 1, intercept, l2);
    }

    /** Number of parameters: p, plus 1 with an intercept. */
    public int dimension() {
        return model.dimension();
    }

    @Override
    public double accumulate(Example e, double[] q, double[] gradientSum) {
        model.check(e);
        double y = e.label();
        if (y != 0 && y != 1) {
            throw new IllegalArgumentException("logistic labels must be 0 or 1, got " + y);
        }
        double w = e.weight();
        double m = model.margin(q, 0, e.features());
        // log(1 + e^m) without overflow: max(m, 0) + log1p(e^−|m|).
        double loss = Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - y * m;
        double p = m >= 0 ? 1 / (1 + Math.exp(-m)) : Math.exp(m) / (1 + Math.exp(m));
        model.addScaled(gradientSum, 0, w * (p - y), e.features());
        return w * loss;
    }

    @Override
    public double weight(Example e) {
        return e.weight();
    }

    @Override
    public double regularize(double[] q, double[] gradient) {
        return model.l2(q, gradient);
    }
}
