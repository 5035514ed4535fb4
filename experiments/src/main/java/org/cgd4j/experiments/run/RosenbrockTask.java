package org.cgd4j.experiments.run;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.experiments.problem.Rosenbrock;

/**
 * Rosenbrock 2-D: one optimizer per random start in [−2, 2] × [−1, 3], all advanced in lockstep so
 * that the reported loss at step t is the mean of H over the starts at step t. A start whose loss or
 * gradient becomes non-finite is stopped and counts as +∞ (the mean then is +∞: the table says so).
 */
public final class RosenbrockTask implements Task {
    public static final String ID = "rosenbrock";
    private static final double[] THRESHOLDS = {1e-3, 1e-6};
    private static final int RECORD_POINTS = 200;

    private final int starts;

    public RosenbrockTask(int starts) {
        if (starts < 1) {
            throw new IllegalArgumentException("starts must be >= 1, got " + starts);
        }
        this.starts = starts;
    }

    @Override public String id() { return ID; }
    @Override public String label() { return "Rosenbrock (mean of " + starts + " starts)"; }
    @Override public int dimension() { return 2; }
    @Override public double[] thresholds() { return THRESHOLDS.clone(); }

    /** KRONECKER needs tensors: on two coordinates its one factor would be FULL CGD with another schedule. */
    @Override
    public String unavailable(CgdConfig config) {
        if (config.structure() == org.cgd4j.engine.Structure.KRONECKER) {
            return "its two parameters form no tensor with Kronecker factors (KRONECKER runs on the multiplication network)";
        }
        return Task.super.unavailable(config);
    }

    /** The random starts for {@code seed}: starts × 2. */
    public double[][] starts(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[starts][2];
        for (double[] p : q) {
            p[0] = rng.nextDouble(Rosenbrock.X_MIN, Rosenbrock.X_MAX);
            p[1] = rng.nextDouble(Rosenbrock.Y_MIN, Rosenbrock.Y_MAX);
        }
        return q;
    }

    @Override
    public RunResult run(CgdConfig config, long seed, int steps, boolean curve, boolean recordSpectrum) {
        long t0 = System.nanoTime();
        int[] schedule = curve ? RecordSchedule.loss(steps, RECORD_POINTS) : RecordSchedule.endpoints(steps);
        double[] loss = new double[schedule.length];
        int[] reach = new int[THRESHOLDS.length];
        Arrays.fill(reach, -1);
        double[][] q = starts(seed);
        boolean[] dead = new boolean[starts];
        int diverged = 0;
        String failure = null;
        double[] g = new double[2];
        Optimizer[] opt = new Optimizer[starts];
        try {
            for (int i = 0; i < starts; i++) {
                opt[i] = Optimizer.create(config, 2);
            }
            int next = 0;
            for (int t = 0; t <= steps; t++) {
                double sum = 0;
                for (int i = 0; i < starts; i++) {
                    if (dead[i]) {
                        sum = Double.POSITIVE_INFINITY;
                        continue;
                    }
                    double h = Rosenbrock.valueAndGradient(q[i], g);
                    if (!Double.isFinite(h) || !Double.isFinite(g[0]) || !Double.isFinite(g[1])) {
                        dead[i] = true;
                        diverged++;
                        failure = failure != null ? failure : "start " + i + " diverged at step " + t;
                        sum = Double.POSITIVE_INFINITY;
                        continue;
                    }
                    sum += h;
                    if (t < steps) {
                        try {
                            opt[i].step(q[i], g);
                        } catch (RuntimeException e) {
                            dead[i] = true;
                            diverged++;
                            failure = failure != null ? failure : "start " + i + " failed at step " + t + ": " + e;
                        }
                    }
                }
                double mean = sum / starts;
                for (int k = 0; k < THRESHOLDS.length; k++) {
                    if (reach[k] < 0 && mean <= THRESHOLDS[k]) {
                        reach[k] = t;
                    }
                }
                if (next < schedule.length && schedule[next] == t) {
                    loss[next++] = mean;
                }
            }
        } finally {
            for (Optimizer o : opt) {
                if (o != null) {
                    o.close();
                }
            }
        }
        return new RunResult(schedule, loss, reach, diverged, failure, System.nanoTime() - t0, null);
    }

    /**
     * The path of one optimizer from the canonical start (−1.5, 2): {xs, ys}, steps + 1 points, or
     * fewer if it diverged.
     */
    public static double[][] trajectory(CgdConfig config, int steps) {
        double[] xs = new double[steps + 1];
        double[] ys = new double[steps + 1];
        double[] q = {Rosenbrock.START_X, Rosenbrock.START_Y};
        double[] g = new double[2];
        int n = 0;
        try (Optimizer opt = Optimizer.create(config, 2)) {
            for (int t = 0; t <= steps; t++) {
                double h = Rosenbrock.valueAndGradient(q, g);
                if (!Double.isFinite(h) || !Double.isFinite(g[0]) || !Double.isFinite(g[1])) {
                    break;
                }
                xs[n] = q[0];
                ys[n] = q[1];
                n++;
                if (t < steps) {
                    opt.step(q, g);
                }
            }
        } catch (RuntimeException e) {
            // a failed step ends the path where it was; the plot shows how far it got
        }
        return new double[][] {Arrays.copyOf(xs, n), Arrays.copyOf(ys, n)};
    }
}
