package org.cgd4j.spark;

import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;

/** The single-machine reference: the same objective and optimizer, the examples summed in list order. */
final class LocalLoop {
    private LocalLoop() {}

    /** F(q) over {@code data}, and its gradient into {@code gradient}. */
    static <T> double evaluate(List<T> data, Objective<T> objective, double[] q, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        double loss = 0;
        double weight = 0;
        for (T x : data) {
            loss += objective.accumulate(x, q, gradient);
            weight += objective.weight(x);
        }
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] /= weight;
        }
        return loss / weight + objective.regularize(q, gradient);
    }

    /** {@code iterations} full-batch steps from {@code initial}; returns q. */
    static <T> double[] minimize(List<T> data, Objective<T> objective, double[] initial, CgdConfig config, int iterations) {
        double[] q = initial.clone();
        double[] g = new double[q.length];
        try (Optimizer opt = Optimizer.create(config, q.length)) {
            for (int k = 0; k < iterations; k++) {
                evaluate(data, objective, q, g);
                opt.step(q, g);
            }
        }
        return q;
    }
}
