package org.cgd4j.consumer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.LinearAlgebraReport;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Kernels;
import org.cgd4j.engine.Optimizer;

/**
 * What an application does with cgd4j: train with Adam and with full CGD (which needs LAPACK), save
 * a checkpoint half-way, load it into a new optimizer and continue. The resumed run must end bit for
 * bit where an uninterrupted run ends, and the loss must fall. Prints one summary line per optimizer
 * and the kernels and LAPACK in use; exits 1 on any mismatch.
 *
 * <p>Arguments: none. Run by tests/consumer/run.sh on the class path and on the module path.
 */
public final class TrainingLoop {
    private static final int STEPS = 200;

    private TrainingLoop() {}

    public static void main(String[] args) throws IOException {
        String[] forbidden = {"org.junit.jupiter.api.Test", "org.assertj.core.api.Assertions"};
        for (String name : forbidden) {
            if (present(name)) {
                fail("test dependency leaked onto the application's path: " + name);
            }
        }
        Path dir = Files.createTempDirectory("cgd4j-consumer");
        try {
            check("adam", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), 1000, dir);
            check("full-cgd", CgdConfig.fullCgd(1e-2, 15, 25, 0.5, 1e-8), 24, dir);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        LinearAlgebraReport blas = LinearAlgebraProvider.report();
        System.out.println("kernels: " + Kernels.describe());
        System.out.println("lapack: " + blas.implementation() + " " + blas.library().orElse("(pure Java)")
                + " " + blas.openblasConfig().orElse(""));
        System.out.println("module: " + (TrainingLoop.class.getModule().isNamed()
                ? TrainingLoop.class.getModule().getName() : "class path"));
        System.out.println("consumer OK");
    }

    /** STEPS steps straight, and STEPS/2 + save + load + STEPS/2: same params, lower loss. */
    private static void check(String name, CgdConfig config, int d, Path dir) throws IOException {
        double[] straight = start(d);
        try (Optimizer opt = Optimizer.create(config, d)) {
            train(opt, straight, STEPS);
        }
        double[] resumed = start(d);
        Path checkpoint = dir.resolve(name + ".ckpt");
        try (Optimizer first = Optimizer.create(config, d)) {
            train(first, resumed, STEPS / 2);
            first.save(checkpoint);
        }
        try (Optimizer second = Optimizer.load(checkpoint)) {
            if (second.steps() != STEPS / 2) {
                fail(name + ": loaded optimizer reports " + second.steps() + " steps, expected " + STEPS / 2);
            }
            train(second, resumed, STEPS / 2);
        }
        if (!Arrays.equals(straight, resumed)) {
            fail(name + ": the resumed run differs from the uninterrupted one");
        }
        double before = loss(start(d));
        double after = loss(resumed);
        if (!(after < 0.5 * before)) {
            fail(name + ": loss " + before + " -> " + after + " did not fall by half");
        }
        System.out.printf("%s: d=%d, loss %.4g -> %.4g after %d steps (save at %d, resumed bit for bit)%n",
                name, d, before, after, STEPS, STEPS / 2);
    }

    /** A badly scaled quadratic: f(x) = ½ Σ c_i (x_i − 1)² with c_i from 1 to 100. */
    private static void train(Optimizer opt, double[] x, int steps) {
        double[] g = new double[x.length];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < x.length; i++) {
                g[i] = curvature(i, x.length) * (x[i] - 1);
            }
            opt.step(x, g);
        }
    }

    private static double loss(double[] x) {
        double f = 0;
        for (int i = 0; i < x.length; i++) {
            f += 0.5 * curvature(i, x.length) * (x[i] - 1) * (x[i] - 1);
        }
        return f;
    }

    private static double curvature(int i, int d) {
        return 1 + 99.0 * i / Math.max(1, d - 1);
    }

    private static double[] start(int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            x[i] = Math.sin(i + 1.0);
        }
        return x;
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, TrainingLoop.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static void fail(String message) {
        System.err.println("consumer FAILED: " + message);
        System.exit(1);
    }
}
