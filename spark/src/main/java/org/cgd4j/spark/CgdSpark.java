package org.cgd4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel CGD on Spark: minimises an {@link Objective} over an RDD or a Dataset that need not
 * fit on one machine. Each iteration broadcasts q, sums (Σ w·∇ℓ, Σ w·ℓ, Σ w) over the data (or a
 * seeded Bernoulli sample of it) on the executors, and takes one cgd4j step on the driver — the
 * scheme of MLlib's {@code GradientDescent}/{@code LBFGS}, with any {@link CgdConfig} (FULL included)
 * as the step. Suited to few parameters (d up to a few thousand for FULL) and many examples.
 *
 * <p>Cost per iteration: one Spark job over the data (a pass, or the sample's fraction), a d-vector
 * broadcast and one d-vector per partition back; then the step (O(d) DIAGONAL, O(d³) FULL refresh).
 *
 * <p>Immutable and reusable; build with {@link #with(CgdConfig)} or {@link #with(OptimizerFactory)}.
 * With {@link Aggregation#ORDERED} (the default) a run is bit-reproducible: the same data and
 * partitioning give the same q after any task retry and after a {@link #resume}.
 */
public final class CgdSpark {
    private static final Logger LOG = LoggerFactory.getLogger(CgdSpark.class);

    private final OptimizerFactory factory;
    private final int iterations;
    private final double miniBatchFraction;
    private final long seed;
    private final Aggregation aggregation;
    private final int treeDepth;
    private final Path checkpointDir;
    private final int checkpointEvery;
    private final double targetLoss;
    private final Consumer<IterationReport> listener;

    private CgdSpark(Builder b) {
        this.factory = b.factory;
        this.iterations = b.iterations;
        this.miniBatchFraction = b.miniBatchFraction;
        this.seed = b.seed;
        this.aggregation = b.aggregation;
        this.treeDepth = b.treeDepth;
        this.checkpointDir = b.checkpointDir;
        this.checkpointEvery = b.checkpointEvery;
        this.targetLoss = b.targetLoss;
        this.listener = b.listener;
    }

    /** A builder whose optimizer is {@code Optimizer.create(config, d)}. */
    public static Builder with(CgdConfig config) {
        return new Builder(OptimizerFactory.of(config));
    }

    /** A builder whose optimizer comes from {@code factory} (e.g. a training-loop builder of the caller's). */
    public static Builder with(OptimizerFactory factory) {
        return new Builder(Objects.requireNonNull(factory, "factory must not be null"));
    }

    /**
     * Runs iterations 0 … {@code iterations}−1 from {@code initial} (not modified) with a new optimizer.
     * With a checkpoint directory set, saves there every {@code checkpointEvery} iterations and at the end.
     */
    public <T> FitResult minimize(JavaRDD<T> data, Objective<T> objective, double[] initial) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(objective, "objective must not be null");
        Objects.requireNonNull(initial, "initial must not be null");
        if (initial.length < 1) {
            throw new IllegalArgumentException("initial must have at least one parameter");
        }
        try (Optimizer optimizer = factory.create(initial.length)) {
            if (optimizer.dimension() != initial.length) {
                throw new IllegalArgumentException("the factory made an optimizer of dimension " + optimizer.dimension()
                        + " for " + initial.length + " parameters");
            }
            return run(data, objective, initial.clone(), optimizer, 0);
        }
    }

    /** {@link #minimize(JavaRDD, Objective, double[])} over a Dataset's rows. */
    public FitResult minimize(Dataset<Row> data, Objective<Row> objective, double[] initial) {
        return minimize(Objects.requireNonNull(data, "data must not be null").toJavaRDD(), objective, initial);
    }

    /**
     * Continues from the newest checkpoint in the checkpoint directory up to {@code iterations} in total:
     * the same q, bit for bit, as a run that was never interrupted (with {@link Aggregation#ORDERED}
     * and the same data, partitioning and seed).
     *
     * @throws UncheckedIOException no checkpoint there, or an unreadable or inconsistent one
     */
    public <T> FitResult resume(JavaRDD<T> data, Objective<T> objective) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(objective, "objective must not be null");
        if (checkpointDir == null) {
            throw new IllegalStateException("resume needs a checkpoint directory (Builder.checkpoint)");
        }
        SparkCheckpoint.Loaded loaded;
        try {
            loaded = SparkCheckpoint.load(checkpointDir, factory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + checkpointDir + ": " + e.getMessage(), e);
        }
        try (Optimizer optimizer = loaded.optimizer()) {
            LOG.info("resuming from {} at iteration {}", checkpointDir, loaded.state().iteration());
            return run(data, objective, loaded.state().params(), optimizer, loaded.state().iteration());
        }
    }

    /** F(q) and ∇F(q) over all of {@code data}: one pass, ORDERED, nothing stepped. */
    public static <T> Evaluation evaluate(JavaRDD<T> data, Objective<T> objective, double[] q) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(objective, "objective must not be null");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        Broadcast<double[]> bq = sc.broadcast(q.clone());
        try {
            Partial sum = Aggregator.sum(data, objective, bq, q.length, Aggregation.ORDERED, 2);
            if (!(sum.weight > 0)) {
                throw new IllegalArgumentException("the data have no weight (empty, or all weights 0)");
            }
            double[] g = new double[q.length];
            double loss = average(sum, objective, q, g);
            return new Evaluation(loss, g, sum.weight, sum.count);
        } finally {
            bq.destroy();
        }
    }

    private <T> FitResult run(JavaRDD<T> data, Objective<T> objective, double[] q, Optimizer optimizer, long first) {
        if (data.getStorageLevel().equals(StorageLevel.NONE())) {
            LOG.warn("the input RDD is not cached: every iteration recomputes it (call persist() first)");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(data.context());
        int d = q.length;
        double[] gradient = new double[d];
        List<IterationReport> history = new ArrayList<>();
        long visited = 0;
        boolean reached = false;
        long k = first;
        for (; k < iterations; k++) {
            long t0 = System.nanoTime();
            JavaRDD<T> batch = miniBatchFraction < 1 ? data.sample(false, miniBatchFraction, seed + k) : data;
            Broadcast<double[]> bq = sc.broadcast(q.clone());
            Partial sum;
            try {
                sum = Aggregator.sum(batch, objective, bq, d, aggregation, treeDepth);
            } finally {
                bq.destroy();
            }
            long t1 = System.nanoTime();
            visited += sum.count;
            if (!(sum.weight > 0)) {
                // MLlib's GradientDescent does the same with an empty sample: no step, go on.
                LOG.warn("iteration {}: the sample has no weight; no step taken", k);
                history.add(report(new IterationReport(k, Double.NaN, Double.NaN, sum.count, t1 - t0, 0)));
                checkpointIfDue(k + 1, optimizer, q);
                continue;
            }
            double loss = average(sum, objective, q, gradient);
            double norm = norm(gradient);
            if (loss <= targetLoss) {
                history.add(report(new IterationReport(k, loss, norm, sum.count, t1 - t0, 0)));
                reached = true;
                break;
            }
            optimizer.step(q, gradient);
            long t2 = System.nanoTime();
            history.add(report(new IterationReport(k, loss, norm, sum.count, t1 - t0, t2 - t1)));
            checkpointIfDue(k + 1, optimizer, q);
        }
        if (checkpointDir != null && k > first && k % checkpointEvery != 0) {
            checkpoint(k, optimizer, q);
        }
        return new FitResult(q, first, k, reached, visited, history);
    }

    private IterationReport report(IterationReport r) {
        if (LOG.isInfoEnabled()) {
            LOG.info(String.format(Locale.ROOT, "iteration %d: loss %.10g, |grad| %.4g, %d examples, aggregate %.1f ms, step %.2f ms",
                    r.iteration(), r.loss(), r.gradientNorm(), r.examples(), r.aggregateNanos() / 1e6, r.stepNanos() / 1e6));
        }
        if (listener != null) {
            listener.accept(r);
        }
        return r;
    }

    private void checkpointIfDue(long done, Optimizer optimizer, double[] q) {
        if (checkpointDir != null && done % checkpointEvery == 0) {
            checkpoint(done, optimizer, q);
        }
    }

    private void checkpoint(long done, Optimizer optimizer, double[] q) {
        try {
            SparkCheckpoint.save(checkpointDir, done, optimizer, q);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint at iteration " + done + " to " + checkpointDir + " failed", e);
        }
    }

    /** Turns the sums into F(q) and ∇F(q) (written to {@code gradient}). */
    private static <T> double average(Partial sum, Objective<T> objective, double[] q, double[] gradient) {
        double inv = 1 / sum.weight;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = sum.gradient[i] * inv;
        }
        return sum.loss * inv + objective.regularize(q, gradient);
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** Settings of a {@link CgdSpark}; every setter checks its value and names it when refusing. */
    public static final class Builder {
        private final OptimizerFactory factory;
        private int iterations = 100;
        private double miniBatchFraction = 1;
        private long seed = 42;
        private Aggregation aggregation = Aggregation.ORDERED;
        private int treeDepth = 2;
        private Path checkpointDir;
        private int checkpointEvery;
        private double targetLoss = Double.NEGATIVE_INFINITY;
        private Consumer<IterationReport> listener;

        private Builder(OptimizerFactory factory) {
            this.factory = factory;
        }

        /** Total iterations, counted from 0 across resumes (default 100). */
        public Builder iterations(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("iterations must be >= 1, got " + n);
            }
            iterations = n;
            return this;
        }

        /** Fraction in (0, 1] of the examples each iteration samples (Bernoulli, seeded by seed + iteration); 1 = full batch. */
        public Builder miniBatchFraction(double f) {
            if (!(f > 0 && f <= 1)) {
                throw new IllegalArgumentException("miniBatchFraction must be in (0, 1], got " + f);
            }
            miniBatchFraction = f;
            return this;
        }

        /** Seed of the mini-batch samples (default 42). */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** How partition sums are combined (default {@link Aggregation#ORDERED}). */
        public Builder aggregation(Aggregation a) {
            aggregation = Objects.requireNonNull(a, "aggregation must not be null");
            return this;
        }

        /** Depth ≥ 1 of the aggregation tree (default 2, as MLlib). */
        public Builder treeDepth(int depth) {
            if (depth < 1) {
                throw new IllegalArgumentException("treeDepth must be >= 1, got " + depth);
            }
            treeDepth = depth;
            return this;
        }

        /** Save optimizer and q to {@code dir} (driver file system) every {@code every} ≥ 1 iterations and at the end. */
        public Builder checkpoint(Path dir, int every) {
            Objects.requireNonNull(dir, "checkpoint dir must not be null");
            if (every < 1) {
                throw new IllegalArgumentException("checkpoint every must be >= 1, got " + every);
            }
            checkpointDir = dir;
            checkpointEvery = every;
            return this;
        }

        /** Stop as soon as an iteration's loss is ≤ {@code target} (before stepping from there). */
        public Builder targetLoss(double target) {
            if (Double.isNaN(target)) {
                throw new IllegalArgumentException("targetLoss must not be NaN");
            }
            targetLoss = target;
            return this;
        }

        /** Called on the driver after each iteration (besides the INFO log line). */
        public Builder onIteration(Consumer<IterationReport> l) {
            listener = Objects.requireNonNull(l, "listener must not be null");
            return this;
        }

        public CgdSpark build() {
            return new CgdSpark(this);
        }
    }
}
