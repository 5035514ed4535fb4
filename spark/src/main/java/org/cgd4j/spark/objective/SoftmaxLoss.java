package org.cgd4j.spark.objective;

import org.cgd4j.spark.Objective;

/**
 * Multinomial (softmax) logistic regression with L2, MLlib's {@code LogisticRegression} (family
 * multinomial, elasticNetParam 0, standardization false) term for term: F(W, b) = Σ w·[log Σ_k e^{m_k}
 * − m_y] / Σ w + λ/2·‖W‖²_F, m_k = W_k·x + b_k, labels y ∈ {0 … K−1}. q = (W row-major K × p, b₁ … b_K):
 * MLlib's coefficientMatrix then interceptVector. The intercepts are not penalised.
 */
public final class SoftmaxLoss implements Objective<Example> {
    private static final long serialVersionUID = 1L;
    private final LinearModel model;

    /**
     * @param features  p
     * @param classes   K ≥ 2
     * @param intercept fit b (q has K·(p + 1) elements) or not (K·p)
     * @param l2        λ ≥ 0, MLlib's regParam
     */
    public SoftmaxLoss(int features, int classes, boolean intercept, double l2) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be >= 2, got " + classes);
        }
        this.model = new LinearModel(features, classes, intercept, l2);
    }

    /** Number of parameters: K·p, plus K with intercepts. */
    public int dimension() {
        return model.dimension();
    }

    @Override
    public double accumulate(Example e, double[] q, double[] gradientSum) {
        model.check(e);
        int classes = model.sets();
        double y = e.label();
        int label = (int) y;
        if (label != y || label < 0 || label >= classes) {
            throw new IllegalArgumentException("softmax labels must be integers 0.." + (classes - 1) + ", got " + y);
        }
        double[] x = e.features();
        double[] m = new double[classes];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            m[k] = model.margin(q, k, x);
            max = Math.max(max, m[k]);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(m[k] - max);
        }
        double logSumExp = max + Math.log(sum);
        double w = e.weight();
        for (int k = 0; k < classes; k++) {
            double p = Math.exp(m[k] - logSumExp);
            model.addScaled(gradientSum, k, w * (p - (k == label ? 1 : 0)), x);
        }
        return w * (logSumExp - m[label]);
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
