package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.engine.internal.kernel.Power;

/**
 * f(λ) = 1 / ((ε + max(λ, 0))^a + ε') (SPEC step 4): the factor the preconditioner applies along an
 * eigenvector with eigenvalue λ. Applied as a division by the denominator, as Adam's reference
 * implementations divide (m̂ / (√v̂ + eps)); a = 1/2 uses {@link Math#sqrt} (correctly rounded),
 * a = 1 no power at all, a = 0 gives 1 + ε', any other a {@link Power#pow} (the diagonal kernels'
 * power, so d = 1 matches DIAGONAL bit for bit). The configuration guarantees a positive denominator.
 */
record MetricFunction(double power, double epsilon, double epsilonOutside) {

    /** (ε + max(λ, 0))^a + ε'. */
    double denominator(double lambda) {
        double x = epsilon + Math.max(lambda, 0);
        double p;
        if (power == 0.5) {
            p = Math.sqrt(x);
        } else if (power == 1) {
            p = x;
        } else if (power == 0) {
            p = 1;
        } else {
            p = Power.pow(x, power);
        }
        return p + epsilonOutside;
    }

    /** y_i ← f(λ_i)·y_i = y_i / denominator(λ_i) for i &lt; n. */
    void apply(int n, MemorySegment lambda, MemorySegment y) {
        for (int i = 0; i < n; i++) {
            y.setAtIndex(JAVA_DOUBLE, i, y.getAtIndex(JAVA_DOUBLE, i) / denominator(lambda.getAtIndex(JAVA_DOUBLE, i)));
        }
    }
}
