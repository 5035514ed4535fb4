package org.cgd4j.tests.readme;

import java.nio.file.Path;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;

/** README's "Training a model" example, compiled and run by {@link ReadmeExampleTest} (which also checks README quotes it). */
final class TrainingExample {
    private TrainingExample() {}

    /** A linear model y = W x + b fitted to a fixed target by least squares; returns the final loss. */
    static double train(Path checkpoint) throws java.io.IOException {
        // README-BEGIN
        ParamLayout layout = ParamLayout.builder()
                .matrix("w", 4, 8)      // 4 × 8 weights, row-major
                .vector("b", 4)         // biases
                .build();
        double[] params = new double[layout.dimension()];
        double[] grads = new double[layout.dimension()];
        try (Optimizer opt = Optimizer.builder(layout)
                .config(CgdConfig.adamW(0.05, 0.9, 0.999, 1e-8, 0.01))     // AdamW for every tensor...
                .group(CgdConfig.adam(0.05, 0.9, 0.999, 1e-8), "b")        // ...but no decay on the biases
                .schedule(Schedule.warmupCosine(20, 400, 0.1))             // warm-up, then cosine to 10%
                .clipNorm(1.0)                                             // clip the global gradient norm
                .build()) {
            for (int step = 0; step < 200; step++) {
                gradient(params, grads);       // your model's backward pass, in layout order
                opt.step(params, grads);
            }
            opt.save(checkpoint);              // the optimizer's state; params are yours to save
        }
        try (Optimizer resumed = Optimizer.load(checkpoint)) {   // same layout, groups, schedule and t
            for (int step = 200; step < 400; step++) {
                gradient(params, grads);
                resumed.step(params, grads);
            }
        }
        // README-END
        return loss(params);
    }

    /** The target: W* with entries (i − j)/8, b* = (1, −1, 0.5, 0); inputs x = e_j and x = 1. */
    static double loss(double[] p) {
        return residual(p, new double[p.length]);
    }

    static void gradient(double[] p, double[] g) {
        residual(p, g);
    }

    /** ½‖W X + b 1ᵀ − Y‖² over the inputs e_0..e_7, its gradient into g. */
    private static double residual(double[] p, double[] g) {
        java.util.Arrays.fill(g, 0);
        double[] bTarget = {1, -1, 0.5, 0};
        double loss = 0;
        for (int input = 0; input < 8; input++) {
            for (int i = 0; i < 4; i++) {
                double y = p[i * 8 + input] + p[32 + i];
                double target = (i - input) / 8.0 + bTarget[i];
                double r = y - target;
                loss += 0.5 * r * r;
                g[i * 8 + input] += r;
                g[32 + i] += r;
            }
        }
        return loss;
    }
}
