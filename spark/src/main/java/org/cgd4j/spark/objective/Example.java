package org.cgd4j.spark.objective;

import java.io.Serializable;

/**
 * A labelled, weighted example with dense features, the element type of the built-in objectives.
 *
 * @param label    0/1 (logistic), 0 … K−1 (softmax), any real (least squares)
 * @param weight   w ≥ 0, the example's share of the average (MLlib's weightCol)
 * @param features x, dense
 */
public record Example(double label, double weight, double[] features) implements Serializable {
    public Example {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
        }
        java.util.Objects.requireNonNull(features, "features must not be null");
    }

    /** An example of weight 1. */
    public Example(double label, double[] features) {
        this(label, 1, features);
    }
}
