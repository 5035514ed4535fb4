package org.cgd4j.spark.objective;

import org.cgd4j.spark.Objective;

/**
 * Linear least squares with L2 (ridge): F(β, b) = Σ w·½(β·x + b − y)² / Σ w + λ/2·‖β‖². q = (β₁ … β_p, b);
 * the intercept is not penalised.
 *
 * <p>MLlib's {@code LinearRegression} (standardization false) scales its penalty by the label's
 * standard deviation σ_y: its {@code regParam} r is this λ = r / σ_y. With {@code solver = "normal"} σ_y is
 * the weighted population standard deviation (denominator Σw; checked against MLlib 4.2.0 to 1e-10 in the
 * gradient); MLlib's L-BFGS path uses its summarizer's sample standard deviation (n − 1) instead.
 * Without L2 the two are the same objective.
 */
public final class LeastSquaresLoss implements Objective<Example> {
    private static final long serialVersionUID = 1L;
    private final LinearModel model;

    /**
     * @param features  p
     * @param intercept fit b (q has p + 1 elements) or not (p)
     * @param l2        λ ≥ 0 (MLlib's regParam divided by σ_y)
     */
    public LeastSquaresLoss(int features, boolean intercept, double l2) {
        this.model = new LinearModel(features, 1, intercept, l2);
    }

    /** Number of parameters: p, plus 1 with an intercept. */
    public int dimension() {
        return model.dimension();
    }

    @Override
    public double accumulate(Example e, double[] q, double[] gradientSum) {
        model.check(e);
        double w = e.weight();
        double r = model.margin(q, 0, e.features()) - e.label();
        model.addScaled(gradientSum, 0, w * r, e.features());
        return 0.5 * w * r * r;
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
