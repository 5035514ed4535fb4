package org.cgd4j.spark.objective;

import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Turns a Dataset in MLlib's shape (a vector column, a label column, an optional weight column) into {@link Example}s. */
public final class Examples {
    private Examples() {}

    /**
     * @param weightCol null for weight 1 everywhere
     * @throws IllegalArgumentException a column is missing
     */
    public static JavaRDD<Example> fromDataset(Dataset<Row> data, String featuresCol, String labelCol, String weightCol) {
        Objects.requireNonNull(data, "data must not be null");
        java.util.List<String> columns = Arrays.asList(data.columns());
        for (String c : weightCol == null ? new String[] {featuresCol, labelCol} : new String[] {featuresCol, labelCol, weightCol}) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException("no column '" + c + "' in " + columns);
            }
        }
        int f = data.schema().fieldIndex(featuresCol);
        int l = data.schema().fieldIndex(labelCol);
        int w = weightCol == null ? -1 : data.schema().fieldIndex(weightCol);
        return data.toJavaRDD().map(row -> new Example(((Number) row.get(l)).doubleValue(),
                w < 0 ? 1 : ((Number) row.get(w)).doubleValue(), ((Vector) row.get(f)).toArray()));
    }
}
