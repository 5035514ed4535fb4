package org.cgd4j.spark;

import java.io.Serializable;

/**
 * A differentiable objective F(q) = Σ w·ℓ(q; x) / Σ w + R(q) over examples x of type {@code T}, in
 * MLlib's {@code Gradient} pattern: each example adds its weighted gradient into a running sum in
 * place, so a partition is reduced with one d-vector and no allocation per example.
 *
 * <p>It travels to the executors inside each task (hence {@link Serializable}); Spark deserializes a
 * copy per task, so an implementation may keep per-task scratch, but must not rely on state shared
 * between tasks. {@link #regularize} runs once per iteration on the driver, after the average.
 *
 * @param <T> the example type (a row, a labelled vector, …)
 */
public interface Objective<T> extends Serializable {

    /**
     * Adds w·∇ℓ(q; x) into {@code gradientSum} and returns w·ℓ(q; x), where w is {@link #weight}.
     *
     * @param q           the current parameters (read only; the broadcast copy, shared by the task's threads)
     * @param gradientSum the running gradient sum, q.length elements, updated in place
     */
    double accumulate(T example, double[] q, double[] gradientSum);

    /** w ≥ 0, the example's share of the average (1 unless the objective says otherwise). */
    default double weight(T example) {
        return 1;
    }

    /**
     * The term R(q) added once to the average loss: adds ∇R(q) into {@code gradient} and returns R(q).
     * Zero by default.
     */
    default double regularize(double[] q, double[] gradient) {
        return 0;
    }
}
