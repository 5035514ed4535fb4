package org.cgd4j.spark.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.spark.CgdSpark;
import org.cgd4j.spark.FitResult;
import org.cgd4j.spark.IterationReport;
import org.cgd4j.spark.objective.Example;
import org.cgd4j.spark.objective.LogisticLoss;

/**
 * Synthetic logistic regression (n × p, labels drawn from a known β) on a Spark master: MLlib's
 * LogisticRegression (L-BFGS) against CgdSpark with Adam and with full CGD — time per iteration, time
 * to MLlib's final loss + 1e-4 relative, and the split of a CgdSpark iteration between the Spark job
 * and the driver's step. Prints a Markdown table. A whole-job timing, not a JMH microbenchmark: one run
 * per optimizer after a warm-up pass over the cached data.
 *
 * <p>{@code java <Spark's JVM options> -cp spark jar:classpath.txt org.cgd4j.spark.bench.SparkLogisticBenchmark
 * [master n p partitions iterations]}, defaults {@code local[2] 1000000 100 4 300}.
 */
public final class SparkLogisticBenchmark {
    private SparkLogisticBenchmark() {}

    public static void main(String[] args) {
        String master = args.length > 0 ? args[0] : "local[2]";
        long n = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int p = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int iterations = args.length > 4 ? Integer.parseInt(args[4]) : 300;
        double lambda = 1e-4;
        SparkSession spark = SparkSession.builder().master(master).appName("cgd4j SparkLogisticBenchmark")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<Example> data = synthetic(sc, n, p, partitions).persist(StorageLevel.MEMORY_ONLY());
            long count = data.count();
            StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
            Dataset<Row> frame = spark.createDataFrame(data.map(e -> RowFactory.create(e.label(), Vectors.dense(e.features()))), schema)
                    .persist(StorageLevel.MEMORY_ONLY());
            frame.count();

            long t0 = System.nanoTime();
            LogisticRegressionModel m = new LogisticRegression().setRegParam(lambda).setElasticNetParam(0)
                    .setStandardization(false).setMaxIter(100).setTol(1e-9).fit(frame);
            double mllibSeconds = (System.nanoTime() - t0) / 1e9;
            double[] hist = m.summary().objectiveHistory();
            double target = hist[hist.length - 1] * (1 + 1e-4);
            int mllibIters = hist.length - 1;

            LogisticLoss loss = new LogisticLoss(p, true, lambda);
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                    "Synthetic logistic regression, n = %d, p = %d, %d partitions, master %s, λ = %g; target = MLlib's final"
                            + " loss × (1 + 1e-4) = %.8g%n%n| optimizer | iterations | time/iteration | Spark job | driver step"
                            + " | reached target after | time to target |%n|---|---:|---:|---:|---:|---:|---:|%n",
                    count, p, partitions, master, lambda, target));
            int hit = -1;
            for (int k = 0; k < hist.length && hit < 0; k++) {
                hit = hist[k] <= target ? k : -1;
            }
            table.append(String.format(Locale.ROOT, "| MLlib L-BFGS | %d | %.0f ms | | | %s | %s |%n", mllibIters,
                    1e3 * mllibSeconds / Math.max(1, mllibIters), hit < 0 ? "—" : hit + " it.",
                    hit < 0 ? "—" : String.format(Locale.ROOT, "%.1f s (est.)", mllibSeconds * hit / Math.max(1, mllibIters))));
            for (CgdConfig c : List.of(CgdConfig.adam(0.05, 0.9, 0.999, 1e-8),
                    CgdConfig.fullCgd(0.05, 9, 99, 0.5, 1e-8).withRefreshEvery(10).withRefreshMode(RefreshMode.TRACKED))) {
                List<IterationReport> reports = new ArrayList<>();
                long t1 = System.nanoTime();
                FitResult r = CgdSpark.with(c).iterations(iterations).targetLoss(target).onIteration(reports::add).build()
                        .minimize(data, loss, new double[loss.dimension()]);
                double seconds = (System.nanoTime() - t1) / 1e9;
                double job = reports.stream().mapToLong(IterationReport::aggregateNanos).average().orElse(0) / 1e6;
                double step = reports.stream().mapToLong(IterationReport::stepNanos).average().orElse(0) / 1e6;
                table.append(String.format(Locale.ROOT, "| CgdSpark %s | %d | %.0f ms | %.0f ms | %.2f ms | %s | %s |%n",
                        c.structure() == org.cgd4j.engine.Structure.FULL ? "full CGD (refresh 10, TRACKED)" : "Adam",
                        reports.size(), 1e3 * seconds / Math.max(1, reports.size()), job, step,
                        r.reachedTarget() ? r.iterations() + " it." : "—",
                        r.reachedTarget() ? String.format(Locale.ROOT, "%.1f s", seconds) : "—"));
            }
            System.out.println(table);
        } finally {
            spark.stop();
        }
    }

    /** n examples x ~ N(0, 1)^p, y ~ Bernoulli(σ(β·x + 0.5)), β_j ~ N(0, 1)/√p; each partition seeded by its index. */
    static JavaRDD<Example> synthetic(JavaSparkContext sc, long n, int p, int partitions) {
        SplittableRandom betaRng = new SplittableRandom(2504_05279L);
        double[] beta = new double[p];
        for (int j = 0; j < p; j++) {
            beta[j] = gaussian(betaRng) / Math.sqrt(p);
        }
        List<Integer> parts = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            parts.add(i);
        }
        return sc.parallelize(parts, partitions).flatMap(part -> {
            SplittableRandom rng = new SplittableRandom(1000L + part);
            long size = n / partitions + (part < n % partitions ? 1 : 0);
            List<Example> out = new ArrayList<>((int) size);
            for (long i = 0; i < size; i++) {
                double[] x = new double[p];
                double m = 0.5;
                for (int j = 0; j < p; j++) {
                    x[j] = gaussian(rng);
                    m += beta[j] * x[j];
                }
                out.add(new Example(rng.nextDouble() < 1 / (1 + Math.exp(-m)) ? 1 : 0, x));
            }
            return out.iterator();
        });
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }
}
