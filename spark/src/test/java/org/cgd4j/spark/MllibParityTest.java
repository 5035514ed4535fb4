package org.cgd4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.spark.objective.Example;
import org.cgd4j.spark.objective.Examples;
import org.cgd4j.spark.objective.LeastSquaresLoss;
import org.cgd4j.spark.objective.LogisticLoss;
import org.cgd4j.spark.objective.SoftmaxLoss;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in objectives against MLlib on real data (Iris, digits): the same objective value at
 * MLlib's solution, and CgdSpark reaching MLlib's (L-BFGS) training loss.
 */
class MllibParityTest {
    /** Full CGD, eigendecomposition refreshed every 10 steps (TRACKED between): 650 parameters. */
    private static final CgdConfig DIGITS_FULL = CgdConfig.fullCgd(0.1, 9, 99, 0.5, 1e-8).withRefreshEvery(10)
            .withRefreshMode(RefreshMode.TRACKED);
    private static final CgdConfig DIGITS_ADAM = CgdConfig.adam(0.03, 0.9, 0.99, 1e-8);

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TestData.session("MllibParityTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> frame(List<Example> data) {
        List<Row> rows = new ArrayList<>();
        for (Example e : data) {
            rows.add(RowFactory.create(e.label(), Vectors.dense(e.features())));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
        return spark.createDataFrame(rows, schema).repartition(2).cache();
    }

    private static double[] softmaxParams(LogisticRegressionModel m) {
        Matrix w = m.coefficientMatrix();
        int k = w.numRows();
        int p = w.numCols();
        double[] q = new double[k * p + k];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < p; j++) {
                q[c * p + j] = w.apply(c, j);
            }
            q[k * p + c] = m.interceptVector().apply(c);
        }
        return q;
    }

    private static List<Example> irisBinary() {
        List<Example> out = new ArrayList<>();
        for (Example e : TestData.iris()) {
            if (e.label() > 0) {
                out.add(new Example(e.label() - 1, e.features()));
            }
        }
        return out;
    }

    private static double gradientNorm(List<Example> data, Objective<Example> loss, double[] q) {
        double[] g = new double[q.length];
        LocalLoop.evaluate(data, loss, q, g);
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double maxRelativeDifference(double[] a, double[] b) {
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            scale = Math.max(scale, Math.abs(b[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / scale;
    }

    /**
     * F at MLlib's solution equals MLlib's last objective value (1e-9) and is stationary there; full CGD finds the
     * same minimiser (1e-3 relative in q after 600 steps, run on one machine: the Spark path is CgdSparkTest's).
     */
    @Test
    void binaryLogisticIsMllibsObjective() {
        List<Example> data = irisBinary();
        double lambda = 0.01;
        LogisticRegressionModel m = new LogisticRegression().setFamily("binomial").setRegParam(lambda)
                .setElasticNetParam(0).setStandardization(false).setTol(1e-12).setMaxIter(200).fit(frame(data));
        double[] hist = m.summary().objectiveHistory();
        double[] mllib = new double[5];
        System.arraycopy(m.coefficients().toArray(), 0, mllib, 0, 4);
        mllib[4] = m.intercept();
        LogisticLoss loss = new LogisticLoss(4, true, lambda);
        double[] g = new double[5];
        assertThat(LocalLoop.evaluate(data, loss, mllib, g)).isCloseTo(hist[hist.length - 1], withinPercentage(100 * 1e-9));

        assertThat(gradientNorm(data, loss, mllib)).isLessThan(1e-6);
        double[] ours = LocalLoop.minimize(data, loss, new double[5], CgdConfig.fullCgd(0.05, 9, 99, 0.5, 1e-8), 600);
        assertThat(maxRelativeDifference(ours, mllib)).isLessThan(1e-3);
    }

    /** The same for three classes: MLlib's coefficientMatrix and interceptVector are our q, row-major. */
    @Test
    void softmaxIsMllibsMultinomialObjective() {
        List<Example> data = TestData.iris();
        double lambda = 0.01;
        LogisticRegressionModel m = new LogisticRegression().setFamily("multinomial").setRegParam(lambda)
                .setElasticNetParam(0).setStandardization(false).setTol(1e-12).setMaxIter(200).fit(frame(data));
        double[] hist = m.summary().objectiveHistory();
        SoftmaxLoss loss = new SoftmaxLoss(4, 3, true, lambda);
        double[] mllib = softmaxParams(m);
        double[] g = new double[loss.dimension()];
        assertThat(LocalLoop.evaluate(data, loss, mllib, g)).isCloseTo(hist[hist.length - 1], withinPercentage(100 * 1e-9));
        assertThat(gradientNorm(data, loss, mllib)).isLessThan(1e-5);
    }

    /**
     * Least squares against MLlib's exact (normal-equation) solution: MLlib's regParam r is our λ = r/σ_y
     * (σ_y the label's population standard deviation), so its solution zeroes our gradient (to 1e-10),
     * and CgdSpark (FULL) reaches it. Features: sepal length, sepal width, petal length; label: petal width.
     */
    @Test
    void leastSquaresIsMllibsRidgeWithPenaltyOverLabelStd() {
        List<Example> data = new ArrayList<>();
        for (Example e : TestData.iris()) {
            double[] x = e.features();
            data.add(new Example(x[3], new double[] {x[0], x[1], x[2]}));
        }
        double r = 0.1;
        LinearRegressionModel m = new LinearRegression().setSolver("normal").setRegParam(r).setElasticNetParam(0)
                .setStandardization(false).fit(frame(data));
        double mean = data.stream().mapToDouble(Example::label).average().orElseThrow();
        // the normal-equation solver's σ_y: population standard deviation (denominator Σw = n)
        double sd = Math.sqrt(data.stream().mapToDouble(e -> (e.label() - mean) * (e.label() - mean)).sum() / data.size());
        double[] mllib = {m.coefficients().apply(0), m.coefficients().apply(1), m.coefficients().apply(2), m.intercept()};
        LeastSquaresLoss loss = new LeastSquaresLoss(3, true, r / sd);
        assertThat(gradientNorm(data, loss, mllib)).isLessThan(1e-10);

        JavaRDD<Example> rdd = Examples.fromDataset(frame(data), "features", "label", null).cache();
        double[] g = new double[4];
        double best = LocalLoop.evaluate(data, loss, mllib, g);
        FitResult fit = CgdSpark.with(CgdConfig.fullCgd(0.05, 9, 99, 0.5, 1e-8)).iterations(600)
                .targetLoss(best * (1 + 1e-10)).build().minimize(rdd, loss, new double[4]);
        System.out.printf("iris least squares: full CGD within 1e-10 of the optimum after %d iterations%n", fit.iterations());
        assertThat(fit.reachedTarget()).isTrue();
        assertThat(maxRelativeDifference(fit.params(), mllib)).isLessThan(1e-4);
    }

    /**
     * Digits, 10 classes, 650 parameters: full CGD and Adam reach the training loss of MLlib's
     * LogisticRegression (L-BFGS, its default 100 iterations and tolerance 1e-6) within 1e-4 relative. The
     * pixels are divided by their standard deviation first (constant ones set to 0), for both: MLlib then
     * optimises in the same coordinates as we do (its internal scaling is 1), which is MLlib's
     * standardization = true on the raw pixels up to the constant pixels.
     */
    @Test
    void digitsFullCgdAndAdamReachMllibsLoss() {
        List<Example> raw = TestData.digits();
        double[] sd = new double[64];
        for (int j = 0; j < 64; j++) {
            final int col = j;
            double mean = raw.stream().mapToDouble(e -> e.features()[col]).average().orElseThrow();
            sd[j] = Math.sqrt(raw.stream().mapToDouble(e -> (e.features()[col] - mean) * (e.features()[col] - mean)).sum()
                    / (raw.size() - 1));
        }
        List<Example> digits = new ArrayList<>();
        for (Example e : raw) {
            double[] x = e.features().clone();
            for (int j = 0; j < x.length; j++) {
                x[j] = sd[j] > 0 ? x[j] / sd[j] : 0;
            }
            digits.add(new Example(e.label(), x));
        }
        Dataset<Row> df = frame(digits);
        double lambda = 1e-2;
        long t0 = System.nanoTime();
        LogisticRegressionModel m = new LogisticRegression().setFamily("multinomial").setRegParam(lambda)
                .setElasticNetParam(0).setStandardization(false).fit(df);
        double[] hist = m.summary().objectiveHistory();
        double mllibLoss = hist[hist.length - 1];
        System.out.printf(java.util.Locale.ROOT, "digits: MLlib L-BFGS %d iterations, loss %.10g, %.1f s%n",
                hist.length - 1, mllibLoss, (System.nanoTime() - t0) / 1e9);
        SoftmaxLoss loss = new SoftmaxLoss(64, 10, true, lambda);
        JavaRDD<Example> rdd = Examples.fromDataset(df, "features", "label", null).cache();
        double target = mllibLoss * (1 + 1e-4);
        for (CgdConfig c : new CgdConfig[] {DIGITS_FULL, DIGITS_ADAM}) {
            long t1 = System.nanoTime();
            FitResult r = CgdSpark.with(c).iterations(1500).targetLoss(target).build().minimize(rdd, loss, new double[650]);
            System.out.printf(java.util.Locale.ROOT, "digits: %s reached %.10g after %d iterations, %.0f passes, %.1f s%n",
                    c.structure() == org.cgd4j.engine.Structure.FULL ? "full CGD" : "Adam", r.lastLoss(), r.iterations(),
                    r.examplesVisited() / (double) digits.size(), (System.nanoTime() - t1) / 1e9);
            assertThat(r.reachedTarget()).as("%s", c).isTrue();
        }
    }
}
