package org.cgd4j.experiments.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
import org.cgd4j.experiments.problem.Mlp;
import org.cgd4j.experiments.problem.MultiplicationData;

/**
 * Learning multiplication: an MLP (default 2 → 16 → 1, tanh, 65 parameters) trained with a fresh
 * mini-batch of (x1, x2) ~ U(−1, 1)², target x1·x2, every step; the reported loss is the MSE on a
 * fixed held-out set (the same for every run and seed). The seed picks the initial weights and the
 * training stream.
 *
 * <p>The optimizer sees the flat vector ({@code Optimizer.create}), except KRONECKER, which is built
 * on the network's tensors (w1 16 × 2, b1, w2 1 × 16, b2) so that each weight matrix gets its own
 * Kronecker factors: where FULL's 65 × 65 metric still fits, this shows how close the frame comes to
 * the exact metric.
 */
public final class MultiplicationTask implements Task {
    public static final String ID = "multiplication";
    private static final int RECORD_POINTS = 200;

    private final int[] layers;
    private final int batch;
    private final int dimension;
    private final double[] heldOutInputs;
    private final double[] heldOutTargets;
    private final int heldOut;
    private final ParamLayout layout;

    public MultiplicationTask(int[] layers, int batch, int heldOut) {
        Mlp probe = new Mlp(layers);
        if (probe.inputSize() != 2 || probe.outputSize() != 1) {
            throw new IllegalArgumentException("the multiplication network needs 2 inputs and 1 output, got layers "
                    + Arrays.toString(layers));
        }
        if (batch < 1 || heldOut < 1) {
            throw new IllegalArgumentException("batch and held-out sizes must be >= 1, got " + batch + " and " + heldOut);
        }
        this.layers = layers.clone();
        this.batch = batch;
        this.heldOut = heldOut;
        this.dimension = probe.parameterCount();
        this.layout = probe.layout();
        heldOutInputs = new double[2 * heldOut];
        heldOutTargets = new double[heldOut];
        MultiplicationData.sample(new SplittableRandom(MultiplicationData.HELD_OUT_SEED), heldOutInputs, heldOutTargets, heldOut);
    }

    @Override public String id() { return ID; }
    @Override public String label() {
        return "Multiplication (MLP " + Arrays.toString(layers).replace(", ", "→").replace("[", "").replace("]", "")
                + ", " + dimension + " params)";
    }
    @Override public int dimension() { return dimension; }
    @Override public double[] thresholds() { return new double[0]; }

    /** Layer widths (a copy). */
    public int[] layers() { return layers.clone(); }

    /** The network's tensors (w1, b1, w2, b2, …), which KRONECKER preconditions one by one. */
    public ParamLayout layout() { return layout; }

    /** The optimizer a run uses: on the tensors for KRONECKER, on the flat vector otherwise (as the tuned values were found). */
    private Optimizer optimizer(CgdConfig config) {
        return config.structure() == Structure.KRONECKER ? Optimizer.builder(layout).config(config).build()
                : Optimizer.create(config, dimension);
    }

    @Override
    public String unavailable(CgdConfig config) {
        try (Optimizer probe = optimizer(config)) {
            return probe == null ? "no optimizer" : null;
        } catch (UnsupportedOperationException e) {
            return "the engine does not support it here: " + e.getMessage();
        }
    }

    @Override
    public RunResult run(CgdConfig config, long seed, int steps, boolean curve, boolean recordSpectrum) {
        long t0 = System.nanoTime();
        int[] schedule = curve ? RecordSchedule.loss(steps, RECORD_POINTS) : RecordSchedule.endpoints(steps);
        int[] spectrumSteps = RecordSchedule.spectrum(steps);
        boolean spectrum = recordSpectrum && config.structure() == Structure.FULL;
        double[] loss = new double[schedule.length];
        double[] effDim = spectrum ? new double[schedule.length] : null;
        List<SpectrumTrace.Snapshot> snapshots = new ArrayList<>();
        Mlp net = new Mlp(layers);
        SplittableRandom rng = new SplittableRandom(seed);
        SplittableRandom data = rng.split();
        double[] params = new double[dimension];
        double[] grad = new double[dimension];
        double[] inputs = new double[2 * batch];
        double[] targets = new double[batch];
        net.initialize(params, rng);
        int diverged = 0;
        String failure = null;
        int next = 0;
        int nextSnapshot = 0;
        try (Optimizer opt = optimizer(config)) {
            for (int t = 0; t <= steps; t++) {
                if (schedule[next] == t) {
                    loss[next] = net.loss(params, heldOutInputs, heldOutTargets, heldOut, null);
                    if (spectrum) {
                        effDim[next] = t == 0 ? 0 : opt.effectiveDimension();
                    }
                    next++;
                }
                if (spectrum && nextSnapshot < spectrumSteps.length && spectrumSteps[nextSnapshot] == t) {
                    snapshots.add(new SpectrumTrace.Snapshot(t, opt.eigenvalues()));
                    nextSnapshot++;
                }
                if (t == steps) {
                    break;
                }
                MultiplicationData.sample(data, inputs, targets, batch);
                double l = net.loss(params, inputs, targets, batch, grad);
                String why = Double.isFinite(l) && allFinite(grad) ? null : "non-finite loss or gradient at step " + t;
                if (why == null) {
                    try {
                        opt.step(params, grad);
                    } catch (RuntimeException e) {
                        why = "step " + t + " failed: " + e;
                    }
                }
                if (why != null) {
                    diverged = 1;
                    failure = why;
                    Arrays.fill(loss, next, loss.length, Double.POSITIVE_INFINITY);
                    if (spectrum) {
                        Arrays.fill(effDim, next, effDim.length, Double.NaN);
                    }
                    break;
                }
            }
        }
        SpectrumTrace trace = spectrum ? new SpectrumTrace(schedule, effDim, List.copyOf(snapshots)) : null;
        return new RunResult(schedule, loss, new int[0], diverged, failure, System.nanoTime() - t0, trace);
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
