package org.cgd4j.experiments.problem;

import java.util.SplittableRandom;

/**
 * The multiplication task: inputs (x1, x2) ~ U(−1, 1)², target x1·x2. Fills caller-owned
 * buffers, so drawing a mini-batch allocates nothing.
 */
public final class MultiplicationData {
    /** Seed of the fixed held-out set, the same for every run. */
    public static final long HELD_OUT_SEED = 0x5EED_0F_7E57L;

    private MultiplicationData() {}

    /** Writes n samples: inputs n × 2 (row-major), targets n × 1. */
    public static void sample(SplittableRandom rng, double[] inputs, double[] targets, int n) {
        for (int s = 0; s < n; s++) {
            double x1 = rng.nextDouble(-1, 1);
            double x2 = rng.nextDouble(-1, 1);
            inputs[2 * s] = x1;
            inputs[2 * s + 1] = x2;
            targets[s] = x1 * x2;
        }
    }
}
