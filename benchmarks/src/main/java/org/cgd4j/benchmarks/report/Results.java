package org.cgd4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Every JMH result found in a directory of JSON files, searchable by benchmark name and parameters. */
final class Results {
    private final List<JmhResult> all;
    private final List<Path> files;

    private Results(List<JmhResult> all, List<Path> files) {
        this.all = all;
        this.files = files;
    }

    static Results load(Path directory) throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        List<JmhResult> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(JmhResult.load(file));
        }
        return new Results(all, files);
    }

    List<Path> files() {
        return files;
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    /** The result of {@code benchmark} (simple class name and method) whose parameters include {@code params}. */
    Optional<JmhResult> find(String benchmark, Map<String, String> params) {
        return where(benchmark, params).findFirst();
    }

    /** Every result of {@code benchmark} whose parameters include {@code params}. */
    List<JmhResult> matching(String benchmark, Map<String, String> params) {
        return where(benchmark, params).toList();
    }

    private Stream<JmhResult> where(String benchmark, Map<String, String> params) {
        return all.stream().filter(r -> r.benchmark().equals(benchmark) && matches(r, params));
    }

    /** Time in ns, NaN when not measured. */
    double nanos(String benchmark, Map<String, String> params) {
        return find(benchmark, params).map(JmhResult::nanos).orElse(Double.NaN);
    }

    /** JMH's 99.9% half-interval in ns, NaN when not measured or not given. */
    double error(String benchmark, Map<String, String> params) {
        return find(benchmark, params).map(JmhResult::errorNanos).orElse(Double.NaN);
    }

    /** Every distinct benchmark name (simple class name and method), in first-seen order. */
    List<String> benchmarks() {
        return all.stream().map(JmhResult::benchmark).distinct().toList();
    }

    /** Bytes allocated per operation, NaN when not measured. */
    double bytes(String benchmark, Map<String, String> params) {
        return find(benchmark, params).map(JmhResult::bytesPerOp).orElse(Double.NaN);
    }

    /** The distinct values of a parameter over the results of one benchmark, numerically sorted. */
    List<String> values(String benchmark, String param) {
        TreeSet<String> values = new TreeSet<>(Results::compareValues);
        for (JmhResult r : all) {
            if (r.benchmark().equals(benchmark) && r.param(param) != null) {
                values.add(r.param(param));
            }
        }
        return List.copyOf(values);
    }

    private static boolean matches(JmhResult r, Map<String, String> params) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getValue().equals(r.param(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static int compareValues(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
