package org.cgd4j.tests.parity;

import java.util.SplittableRandom;

/**
 * A closed-loop test problem: loss ½ Σ h_i (q_i − c_i)² with curvatures h_i spread over two
 * decades, minimum c_i in [1, 2], start in [3, 4]; the gradient at q is h ⊙ (q − c) plus seeded
 * Gaussian noise. Two runs that share a seed see the same noise, so they can only differ through
 * their own parameters.
 */
final class NoisyQuadratic {
    final int d;
    final double[] h, c, start;
    final double noise;
    private final SplittableRandom random;

    NoisyQuadratic(int d, double noise, long seed) {
        this.d = d;
        this.noise = noise;
        SplittableRandom r = new SplittableRandom(seed);
        h = new double[d];
        c = new double[d];
        start = new double[d];
        for (int i = 0; i < d; i++) {
            h[i] = Math.pow(10, -1 + 2.0 * i / Math.max(1, d - 1));
            c[i] = 1 + r.nextDouble();
            start[i] = 3 + r.nextDouble();
        }
        random = new SplittableRandom(seed * 31 + 7);
    }

    /** The noisy gradient at q into g. */
    void gradient(double[] q, double[] g) {
        for (int i = 0; i < d; i++) {
            g[i] = h[i] * (q[i] - c[i]) + noise * gaussian();
        }
    }

    private double gaussian() {
        double u = random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
