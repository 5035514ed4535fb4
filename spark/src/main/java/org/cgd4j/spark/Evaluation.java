package org.cgd4j.spark;

/**
 * F(q) and ∇F(q) over a whole data set (one pass, no step).
 *
 * @param loss     Σ w·ℓ / Σ w + R(q)
 * @param gradient Σ w·∇ℓ / Σ w + ∇R(q)
 * @param weight   Σ w
 * @param count    examples
 */
public record Evaluation(double loss, double[] gradient, double weight, long count) {
    public Evaluation {
        gradient = gradient.clone();
    }

    @Override
    public double[] gradient() {
        return gradient.clone();
    }
}
