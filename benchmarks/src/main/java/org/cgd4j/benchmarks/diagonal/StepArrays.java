package org.cgd4j.benchmarks.diagonal;

import org.cgd4j.engine.Optimizer;

/**
 * The heap params and gradients of the diagonal benchmarks in one precision: params 1, gradients
 * {@link #gradient(long)}. Exactly one of the two pairs is set.
 */
final class StepArrays {
    final double[] q64, g64;
    final float[] q32, g32;

    private StepArrays(double[] q64, double[] g64, float[] q32, float[] g32) {
        this.q64 = q64;
        this.g64 = g64;
        this.q32 = q32;
        this.g32 = g32;
    }

    /** Arrays of d elements for precision "f32" (float) or anything else (double). */
    static StepArrays of(String precision, int d) {
        if (precision.equals("f32")) {
            float[] q = new float[d];
            float[] g = new float[d];
            for (int i = 0; i < d; i++) {
                q[i] = 1f;
                g[i] = (float) gradient(i);
            }
            return new StepArrays(null, null, q, g);
        }
        double[] q = new double[d];
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            q[i] = 1.0;
            g[i] = gradient(i);
        }
        return new StepArrays(q, g, null, null);
    }

    /** A deterministic gradient with several magnitudes and signs. */
    static double gradient(long i) {
        return Math.sin(i * 0.37) * (1 + i % 5);
    }

    /** One public step of {@code optimizer} on these arrays. */
    void step(Optimizer optimizer) {
        if (q32 != null) {
            optimizer.step(q32, g32);
        } else {
            optimizer.step(q64, g64);
        }
    }
}
