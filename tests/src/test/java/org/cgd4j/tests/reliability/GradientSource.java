package org.cgd4j.tests.reliability;

import java.util.SplittableRandom;

/**
 * Seeded noisy quadratic: g = h ⊙ (q − c) + independent noise + a shared noise direction (so that a
 * FULL metric has off-diagonal structure). Two sources with the same seed produce the same gradients
 * for the same params, so two runs can only differ through the optimizer.
 */
final class GradientSource {
    private final int d;
    private final double[] h, c, u;
    private final SplittableRandom random;
    final double[] start;

    GradientSource(int d, long seed) {
        this.d = d;
        SplittableRandom r = new SplittableRandom(seed);
        h = new double[d];
        c = new double[d];
        u = new double[d];
        start = new double[d];
        for (int i = 0; i < d; i++) {
            h[i] = Math.pow(10, -1 + 2.0 * i / Math.max(1, d - 1));
            c[i] = 1 + r.nextDouble();
            u[i] = r.nextDouble() - 0.5;
            start[i] = 3 + r.nextDouble();
        }
        random = new SplittableRandom(seed * 31 + 7);
    }

    void gradient(double[] q, double[] g) {
        double shared = gaussian();
        for (int i = 0; i < d; i++) {
            g[i] = h[i] * (q[i] - c[i]) + 0.3 * gaussian() + 0.5 * shared * u[i];
        }
    }

    void gradient(float[] q, float[] g) {
        double shared = gaussian();
        for (int i = 0; i < d; i++) {
            g[i] = (float) (h[i] * (q[i] - c[i]) + 0.3 * gaussian() + 0.5 * shared * u[i]);
        }
    }

    /** Zero-mean noise of variance 1/2 (sum of three uniforms): cheap, and only its seeding matters here. */
    private double gaussian() {
        return random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5;
    }
}
