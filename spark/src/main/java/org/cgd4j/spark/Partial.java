package org.cgd4j.spark;

import java.io.Serializable;

/**
 * A running sum over examples: Σ w·∇ℓ, Σ w·ℓ, Σ w and the example count. Mutable: examples and
 * other sums are added in place (one d-vector per partition, none per example).
 */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    final double[] gradient;
    double loss;
    double weight;
    long count;

    Partial(int dimension) {
        this.gradient = new double[dimension];
    }

    /** Adds one example at parameters q. */
    <T> Partial add(Objective<T> objective, T example, double[] q) {
        loss += objective.accumulate(example, q, gradient);
        weight += objective.weight(example);
        count++;
        return this;
    }

    /** Adds {@code other} into this sum, element by element in index order. */
    Partial merge(Partial other) {
        double[] g = gradient;
        double[] o = other.gradient;
        for (int i = 0; i < g.length; i++) {
            g[i] += o[i];
        }
        loss += other.loss;
        weight += other.weight;
        count += other.count;
        return this;
    }
}
