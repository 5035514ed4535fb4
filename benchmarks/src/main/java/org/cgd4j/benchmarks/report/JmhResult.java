package org.cgd4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of a JMH JSON result file: benchmark, parameters, score converted to nanoseconds per
 * operation, and bytes allocated per operation (gc.alloc.rate.norm, NaN without -prof gc).
 *
 * @param benchmark   the simple class name and method, e.g. {@code CgdUpdaterBenchmark.step}
 * @param params      JMH parameters by name
 * @param nanos       average time per operation, ns
 * @param errorNanos  the 99.9% half-interval JMH reports, ns (NaN with a single iteration)
 * @param bytesPerOp  gc.alloc.rate.norm in bytes per operation
 * @param file        the JSON file it came from
 */
record JmhResult(String benchmark, Map<String, String> params, double nanos, double errorNanos,
                 double bytesPerOp, Path file) {

    String param(String name) {
        return params.get(name);
    }

    static List<JmhResult> load(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file));
        List<JmhResult> results = new ArrayList<>();
        if (!(root instanceof List<?> rows)) {
            throw new IOException(file + ": not a JMH JSON result (expected an array)");
        }
        for (Object row : rows) {
            Map<?, ?> entry = (Map<?, ?>) row;
            String mode = (String) entry.get("mode");
            if (!"avgt".equals(mode)) {
                continue;
            }
            String fullName = (String) entry.get("benchmark");
            Map<String, String> params = new TreeMap<>();
            if (entry.get("params") instanceof Map<?, ?> p) {
                p.forEach((k, v) -> params.put((String) k, String.valueOf(v)));
            }
            Map<?, ?> primary = (Map<?, ?>) entry.get("primaryMetric");
            String unit = (String) primary.get("scoreUnit");
            double scale = nanosPer(unit);
            double score = number(primary.get("score")) * scale;
            double error = number(primary.get("scoreError")) * scale;
            double bytes = Double.NaN;
            if (entry.get("secondaryMetrics") instanceof Map<?, ?> secondary
                    && secondary.get("gc.alloc.rate.norm") instanceof Map<?, ?> alloc) {
                bytes = number(alloc.get("score"));
            }
            results.add(new JmhResult(simpleName(fullName), params, score, error, bytes, file));
        }
        return results;
    }

    private static String simpleName(String fullName) {
        int method = fullName.lastIndexOf('.');
        int type = fullName.lastIndexOf('.', method - 1);
        return fullName.substring(type + 1);
    }

    private static double number(Object value) {
        if (value instanceof Double d) {
            return d;
        }
        return Double.NaN; // JMH writes "NaN" as a string
    }

    private static double nanosPer(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("unsupported JMH unit " + unit
                    + " (the report reads average-time benchmarks)");
        };
    }
}
