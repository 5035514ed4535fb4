package org.cgd4j.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.cgd4j.spark.objective.Example;

/** The test data sets (copies of ../shared/data, see data/NOTICE.md) and the tests' Spark session. */
final class TestData {
    private TestData() {}

    /** Fisher's Iris: 150 examples, 4 features, labels 0, 1, 2. */
    static List<Example> iris() {
        return read("data/iris.csv", false, true);
    }

    /** UCI digits (scikit-learn's copy): 1797 examples, 64 pixels 0–16, labels 0–9. */
    static List<Example> digits() {
        return read("data/digits.csv.gz", true, false);
    }

    /**
     * A local[2] session, at most 4 attempts per task (local mode retries nothing by default), no UI,
     * few shuffle partitions.
     */
    static SparkSession session(String name) {
        SparkConf conf = new SparkConf().setMaster("local[2,4]").setAppName(name)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.sql.shuffle.partitions", "4")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        return SparkSession.builder().config(conf).getOrCreate();
    }

    private static List<Example> read(String resource, boolean gzip, boolean header) {
        List<Example> out = new ArrayList<>();
        try (InputStream raw = TestData.class.getClassLoader().getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            InputStream in = gzip ? new GZIPInputStream(raw) : raw;
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (header) {
                r.readLine();
            }
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                double[] x = new double[f.length - 1];
                for (int j = 0; j < x.length; j++) {
                    x[j] = Double.parseDouble(f[j]);
                }
                out.add(new Example(Double.parseDouble(f[f.length - 1]), x));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
