package org.cgd4j.experiments.run;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
import org.cgd4j.experiments.problem.Digits;
import org.cgd4j.experiments.problem.SoftmaxMlp;

/**
 * Handwritten digits (UCI, 8×8 pixels, 10 classes; {@link Digits}): a ReLU MLP, by default
 * 64 → 128 → 128 → 10 (26 122 parameters in six tensors), trained on softmax cross-entropy over
 * mini-batches of the 1197 training rows (reshuffled every epoch; a partial last batch is dropped).
 * The reported loss is the mean cross-entropy on the 300 held-out rows, with the accuracy and the
 * training wall time beside it ({@link HeldOutTrace}); tuning scores on the 300 validation rows
 * instead. The seed picks the initial weights and the batch order; the split is fixed.
 *
 * <p>The optimizer is built on the network's {@link ParamLayout} (w1, b1, w2, b2, w3, b3), so that
 * structures which work per tensor see the tensors. Full CGD is refused: its d×d metric does not
 * fit ({@link #fullOutOfReach}).
 */
public final class DigitsTask implements Task {
    public static final String ID = "digits";
    static final int[] DEFAULT_LAYERS = {64, 128, 128, 10};
    /** Evenly spaced evaluations per run: fine enough to read off the step and time a curve crosses a level. */
    private static final int RECORD_POINTS = 100;
    private static final int WARM_UP_STEPS = 300;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final int[] layers;
    private final int batch;
    private final int dimension;
    private final ParamLayout layout;
    private final Digits.Samples train;
    private final Digits.Samples validation;
    private final Digits.Samples heldOut;

    /**
     * @param layers widths from 64 inputs to 10 classes
     * @param batch  mini-batch size, 1 ≤ batch ≤ the 1197 training rows
     */
    public DigitsTask(int[] layers, int batch) {
        if (layers.length < 2 || layers[0] != Digits.PIXELS || layers[layers.length - 1] != Digits.CLASSES) {
            throw new IllegalArgumentException("the digits network needs " + Digits.PIXELS + " inputs and "
                    + Digits.CLASSES + " outputs, got layers " + Arrays.toString(layers));
        }
        Digits data = Digits.load();
        train = data.train();
        validation = data.validation();
        heldOut = data.heldOut();
        if (batch < 1 || batch > train.size()) {
            throw new IllegalArgumentException("the digits batch size must be in 1.." + train.size() + ", got " + batch);
        }
        this.layers = layers.clone();
        this.batch = batch;
        SoftmaxMlp probe = new SoftmaxMlp(1, layers);
        this.layout = probe.layout();
        this.dimension = probe.parameterCount();
    }

    @Override public String id() { return ID; }
    @Override public String label() {
        return "Digits (MLP " + Arrays.toString(layers).replace(", ", "→").replace("[", "").replace("]", "")
                + ", " + dimension + " params)";
    }
    @Override public int dimension() { return dimension; }
    @Override public double[] thresholds() { return new double[0]; }
    @Override public Suite suite() { return Suite.REAL_DATA; }

    /** The tensors of the parameter vector. */
    public ParamLayout layout() { return layout; }

    /** Mini-batch size. */
    public int batch() { return batch; }

    /** Rows in the training, validation and held-out sets. */
    public int[] setSizes() { return new int[] {train.size(), validation.size(), heldOut.size()}; }

    @Override
    public RunResult run(CgdConfig config, long seed, int steps, boolean curve, boolean recordSpectrum) {
        int[] schedule = curve ? RecordSchedule.even(steps, RECORD_POINTS) : RecordSchedule.endpoints(steps);
        return train(config, seed, steps, schedule, heldOut);
    }

    /** Scores on the validation rows, so that the held-out rows the results report were not tuned on. */
    @Override
    public RunResult tuningRun(CgdConfig config, long seed, int steps) {
        return train(config, seed, steps, RecordSchedule.endpoints(steps), validation);
    }

    /** A few hundred steps with Adam's and diagonal CGD's kernels on the validation rows: about a CPU-second. */
    @Override
    public void warmUp() {
        for (CgdConfig c : new CgdConfig[] {CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8), CgdConfig.diagonalCgd(1e-3, 9, 999, 0.5, 1e-8)}) {
            train(c, 0, WARM_UP_STEPS, RecordSchedule.even(WARM_UP_STEPS, 10), validation);
        }
    }

    @Override
    public String unavailable(CgdConfig config) {
        if (config.structure() == Structure.FULL) {
            return fullOutOfReach(dimension);
        }
        try (Optimizer probe = Optimizer.builder(layout).config(config).build()) {
            return probe == null ? "no optimizer" : null;
        } catch (UnsupportedOperationException e) {
            return "the engine does not support it here: " + e.getMessage();
        }
    }

    /**
     * Why full CGD is not run at dimension d: its d×d metric alone takes 8·d² bytes; the engine also
     * keeps a d×d work matrix (the eigenvectors) and dsyevd's 2d² workspace, about 4·8·d² in all.
     */
    public static String fullOutOfReach(int d) {
        double square = 8.0 * d * d;
        return String.format(Locale.ROOT, "out of reach at d = %d: its d×d metric alone takes 8·d² = %.2f GB,"
                + " with the eigenvector matrix and dsyevd's workspace about 4·8·d² = %.1f GB (the engine refuses state"
                + " above %d GiB by default), and every refresh is an O(d³) eigendecomposition (d³ = %.1e)",
                d, square / 1e9, 4 * square / 1e9, CgdConfig.DEFAULT_MAX_STATE_BYTES >> 30, (double) d * d * d);
    }

    private RunResult train(CgdConfig config, long seed, int steps, int[] schedule, Digits.Samples eval) {
        long t0 = System.nanoTime();
        SoftmaxMlp net = new SoftmaxMlp(Math.max(batch, eval.size()), layers);
        double[] loss = new double[schedule.length];
        double[] accuracy = new double[schedule.length];
        double[] cpu = new double[schedule.length];
        double[] wall = new double[schedule.length];
        SplittableRandom rng = new SplittableRandom(seed);
        double[] params = new double[dimension];
        double[] grad = new double[dimension];
        net.initialize(params, rng);
        SplittableRandom batches = rng.split();
        int[] order = new int[train.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int cursor = order.length; // shuffle before the first batch
        double[] x = new double[batch * Digits.PIXELS];
        int[] y = new int[batch];
        double[] features = train.features();
        int[] labels = train.labels();
        long cpuNanos = 0;
        long wallNanos = 0;
        int diverged = 0;
        String failure = null;
        int next = 0;
        try (Optimizer opt = Optimizer.builder(layout).config(config).build()) {
            for (int t = 0; t <= steps; t++) {
                if (schedule[next] == t) {
                    SoftmaxMlp.Evaluation e = net.evaluate(params, eval.features(), eval.labels(), eval.size());
                    loss[next] = e.loss();
                    accuracy[next] = e.accuracy();
                    cpu[next] = cpuNanos / 1e9;
                    wall[next] = wallNanos / 1e9;
                    next++;
                }
                if (t == steps) {
                    break;
                }
                long c0 = THREADS.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                if (cursor + batch > order.length) {
                    shuffle(order, batches);
                    cursor = 0;
                }
                for (int k = 0; k < batch; k++) {
                    int row = order[cursor++];
                    System.arraycopy(features, row * Digits.PIXELS, x, k * Digits.PIXELS, Digits.PIXELS);
                    y[k] = labels[row];
                }
                double l = net.loss(params, x, y, batch, grad);
                String why = Double.isFinite(l) ? null : "non-finite training loss at step " + t;
                if (why == null) {
                    try {
                        opt.step(params, grad); // THROW policy: a non-finite gradient is refused here
                    } catch (RuntimeException e) {
                        why = "step " + t + " failed: " + e;
                    }
                }
                wallNanos += System.nanoTime() - w0;
                cpuNanos += THREADS.getCurrentThreadCpuTime() - c0;
                if (why != null) {
                    diverged = 1;
                    failure = why;
                    Arrays.fill(loss, next, loss.length, Double.POSITIVE_INFINITY);
                    Arrays.fill(accuracy, next, accuracy.length, Double.NaN);
                    Arrays.fill(cpu, next, cpu.length, Double.NaN);
                    Arrays.fill(wall, next, wall.length, Double.NaN);
                    break;
                }
            }
        }
        return new RunResult(schedule, loss, new int[0], diverged, failure, System.nanoTime() - t0, null,
                new HeldOutTrace(accuracy, cpu, wall));
    }

    /** Fisher–Yates. */
    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
