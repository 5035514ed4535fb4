package org.cgd4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One row of a JMH JSON result file: benchmark, parameters, score converted to nanoseconds per
 * operation, and bytes allocated per operation (gc.alloc.rate.norm, NaN without -prof gc).
 *
 * @param benchmark   the simple class name and method, e.g. {@code CgdUpdaterBenchmark.step}
 * @param params      JMH parameters by name
 * @param nanos       average time per operation, ns
 * @param errorNanos  the 99.9% half-interval JMH reports, ns (NaN with a single iteration)
 * @param bytesPerOp  gc.alloc.rate.norm in bytes per operation
 * @param counters    the benchmark's own event counters (JMH {@code @AuxCounters(EVENTS)}, unit "#"), by name:
 *                    each measured iteration's total, in order (forks one after the other)
 * @param file        the JSON file it came from
 */
record JmhResult(String benchmark, Map<String, String> params, double nanos, double errorNanos,
                 double bytesPerOp, Map<String, double[]> counters, Path file) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    String param(String name) {
        return params.get(name);
    }

    static List<JmhResult> load(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IOException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
        List<JmhResult> results = new ArrayList<>();
        if (!root.isArray()) {
            throw new IOException(file + ": not a JMH JSON result (expected an array)");
        }
        for (JsonNode entry : root) {
            if (!"avgt".equals(entry.path("mode").asString(null))) {
                continue;
            }
            String fullName = entry.path("benchmark").asString(null);
            JsonNode primary = entry.path("primaryMetric");
            if (fullName == null || !primary.isObject()) {
                throw new IOException(file + ": a result without benchmark or primaryMetric");
            }
            Map<String, String> params = new TreeMap<>();
            for (Map.Entry<String, JsonNode> p : entry.path("params").properties()) {
                params.put(p.getKey(), p.getValue().asString());
            }
            double scale = nanosPer(primary.path("scoreUnit").asString(""));
            double score = number(primary.get("score")) * scale;
            double error = number(primary.get("scoreError")) * scale;
            JsonNode secondary = entry.path("secondaryMetrics");
            double bytes = number(secondary.path("gc.alloc.rate.norm").get("score"));
            Map<String, double[]> counters = new TreeMap<>();
            for (Map.Entry<String, JsonNode> metric : secondary.properties()) {
                if ("#".equals(metric.getValue().path("scoreUnit").asString(""))) {
                    List<Double> values = new ArrayList<>();
                    for (JsonNode fork : metric.getValue().path("rawData")) {
                        for (JsonNode iteration : fork) {
                            values.add(number(iteration));
                        }
                    }
                    counters.put(metric.getKey(), values.stream().mapToDouble(Double::doubleValue).toArray());
                }
            }
            results.add(new JmhResult(simpleName(fullName), params, score, error, bytes, counters, file));
        }
        return results;
    }

    private static String simpleName(String fullName) {
        int method = fullName.lastIndexOf('.');
        int type = fullName.lastIndexOf('.', method - 1);
        return fullName.substring(type + 1);
    }

    /** A JSON number, or NaN for anything else (JMH writes "NaN" as a string; a missing metric is null). */
    private static double number(JsonNode value) {
        return value != null && value.isNumber() ? value.doubleValue() : Double.NaN;
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
