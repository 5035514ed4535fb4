package org.cgd4j.experiments.tune;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cgd4j.experiments.report.Json;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.ParamRange;

/**
 * The versioned file of tuned hyperparameters that {@code cgd4j tune} writes and
 * {@code cgd4j reproduce} reads: per problem and optimizer the winning hyperparameters and their
 * tuning score, how they were searched, and the full-CGD refresh study.
 *
 * @param info         how the search was run (budget, seeds, date): informational, written as given; a
 *                     file that {@link #over merged} later searches into an earlier one lists them under
 *                     {@value #LATER_RUNS}
 * @param problems     problem id → optimizer → winner
 * @param refreshStudy full CGD with TRACKED/STALE refresh against the exact method
 */
public record TunedFile(Map<String, Object> info, Map<String, Map<OptimizerKind, Entry>> problems,
                        List<RefreshResult> refreshStudy) {

    public static final String FORMAT = "cgd4j-tuned-hyperparameters";
    public static final int VERSION = 1;
    /** Where {@code tune} writes by default (relative to the repository root) ... */
    public static final Path DEFAULT_PATH = Path.of("experiments", "tuned", "hyperparameters-v1.json");
    /** ... and where the build puts the committed copy on the class path. */
    public static final String RESOURCE = "/tuned/hyperparameters-v1.json";
    /** The info key of the searches merged into a file after the one its top-level info describes. */
    public static final String LATER_RUNS = "laterRuns";

    /**
     * A winner.
     *
     * @param hyperparameters in {@link OptimizerKind#space()} order
     * @param score           its tuning score: mean over tuning seeds of log10(final loss)
     * @param steps           the budget it was scored on
     */
    public record Entry(Map<String, Double> hyperparameters, double score, int steps) {}

    /**
     * One line of the refresh study.
     *
     * @param mode          "exact" (refresh every step), "TRACKED" or "STALE"
     * @param refreshEvery  k
     * @param finalLoss     final loss per seed
     * @param millisPerRun  mean wall time of one run
     */
    public record RefreshResult(String problem, String mode, int refreshEvery, double[] finalLoss, double millisPerRun) {}

    public TunedFile {
        info = Map.copyOf(info);
        problems = Map.copyOf(problems);
        refreshStudy = List.copyOf(refreshStudy);
    }

    /** The winner for a problem and optimizer, or null. */
    public Entry get(String problem, OptimizerKind kind) {
        Map<OptimizerKind, Entry> m = problems.get(problem);
        return m == null ? null : m.get(kind);
    }

    /**
     * This file laid over {@code earlier}: each (problem, optimizer) entry here replaces the earlier
     * one and every other earlier entry is kept, as are the refresh-study lines of problems whose
     * full-CGD entry is not replaced. If nothing earlier is kept, the result is this file. Otherwise
     * the earlier info stays at the top level and this search's info, with a "tuned" map (problem →
     * optimizer ids), is appended to its list {@value #LATER_RUNS}: so {@code cgd4j tune --problems
     * digits} adds a problem without re-running the others.
     */
    public TunedFile over(TunedFile earlier) {
        Map<String, Map<OptimizerKind, Entry>> merged = new java.util.TreeMap<>();
        boolean kept = false;
        for (Map.Entry<String, Map<OptimizerKind, Entry>> p : earlier.problems().entrySet()) {
            Map<OptimizerKind, Entry> os = new java.util.EnumMap<>(OptimizerKind.class);
            for (Map.Entry<OptimizerKind, Entry> e : p.getValue().entrySet()) {
                if (get(p.getKey(), e.getKey()) == null) {
                    os.put(e.getKey(), e.getValue());
                    kept = true;
                }
            }
            merged.put(p.getKey(), os);
        }
        if (!kept) {
            return this;
        }
        Map<String, Object> tuned = new java.util.TreeMap<>();
        problems.forEach((problem, os) -> {
            merged.computeIfAbsent(problem, k -> new java.util.EnumMap<>(OptimizerKind.class)).putAll(os);
            tuned.put(problem, os.keySet().stream().map(OptimizerKind::id).toList());
        });
        List<RefreshResult> study = new ArrayList<>();
        for (RefreshResult r : earlier.refreshStudy()) {
            if (get(r.problem(), OptimizerKind.FULL_CGD) == null) {
                study.add(r);
            }
        }
        study.addAll(refreshStudy);
        Map<String, Object> run = new java.util.TreeMap<>(info);
        run.put("tuned", tuned);
        List<Object> runs = new ArrayList<>();
        if (earlier.info().get(LATER_RUNS) instanceof List<?> l) {
            runs.addAll(l);
        }
        runs.add(run);
        Map<String, Object> mergedInfo = new LinkedHashMap<>(earlier.info());
        mergedInfo.put(LATER_RUNS, runs);
        Map<String, Map<OptimizerKind, Entry>> frozen = new LinkedHashMap<>();
        merged.forEach((problem, os) -> frozen.put(problem, java.util.Collections.unmodifiableMap(os)));
        return new TunedFile(mergedInfo, frozen, study);
    }

    /** Writes atomically (temporary file, then rename), creating parent directories. */
    public void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, Json.write(toJson()), StandardCharsets.UTF_8);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Map<String, Object> toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("info", new java.util.TreeMap<>(info));
        Map<String, Object> ps = new LinkedHashMap<>();
        for (String problem : new java.util.TreeSet<>(problems.keySet())) {
            Map<String, Object> os = new LinkedHashMap<>();
            for (OptimizerKind k : OptimizerKind.values()) {
                Entry e = problems.get(problem).get(k);
                if (e != null) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    Map<String, Object> h = new LinkedHashMap<>();
                    for (ParamRange r : k.space()) { // the search-space order, whatever the map's
                        if (e.hyperparameters().containsKey(r.name())) {
                            h.put(r.name(), e.hyperparameters().get(r.name()));
                        }
                    }
                    m.put("hyperparameters", h);
                    m.put("score", e.score());
                    m.put("steps", e.steps());
                    os.put(k.id(), m);
                }
            }
            ps.put(problem, os);
        }
        root.put("problems", ps);
        List<Object> rs = new ArrayList<>();
        for (RefreshResult r : refreshStudy) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("problem", r.problem());
            m.put("mode", r.mode());
            m.put("refreshEvery", r.refreshEvery());
            m.put("finalLoss", r.finalLoss());
            m.put("millisPerRun", r.millisPerRun());
            rs.add(m);
        }
        root.put("refreshStudy", rs);
        return root;
    }

    /** Reads and validates a file written by {@link #write}. */
    public static TunedFile read(Path path) throws IOException {
        return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    }

    /** The committed copy on the class path, or null if the build has none. */
    public static TunedFile readResource() throws IOException {
        try (InputStream in = TunedFile.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "classpath:" + RESOURCE);
        }
    }

    /**
     * Parses and validates the text of a tuned file.
     *
     * @throws IllegalArgumentException naming the source and the problem (wrong format or version,
     *         unknown optimizer, missing or non-finite hyperparameter)
     */
    public static TunedFile parse(String text, String source) {
        try {
            Map<String, Object> root = object(Json.parse(text), "top level");
            if (!FORMAT.equals(root.get("format"))) {
                throw new IllegalArgumentException("not a tuned-hyperparameter file (format is " + root.get("format") + ")");
            }
            Object version = root.get("version");
            if (!(version instanceof Long v) || v != VERSION) {
                throw new IllegalArgumentException("unsupported version " + version + ", this build reads " + VERSION);
            }
            Map<String, Object> info = root.get("info") == null ? Map.of() : object(root.get("info"), "info");
            Map<String, Map<OptimizerKind, Entry>> problems = new LinkedHashMap<>();
            for (Map.Entry<String, Object> p : object(root.get("problems"), "problems").entrySet()) {
                Map<OptimizerKind, Entry> os = new LinkedHashMap<>();
                for (Map.Entry<String, Object> o : object(p.getValue(), p.getKey()).entrySet()) {
                    OptimizerKind kind = OptimizerKind.byId(o.getKey());
                    String where = p.getKey() + "." + o.getKey();
                    Map<String, Object> e = object(o.getValue(), where);
                    Map<String, Object> hs = object(e.get("hyperparameters"), where + ".hyperparameters");
                    Map<String, Double> h = new LinkedHashMap<>();
                    for (ParamRange r : kind.space()) {
                        if (!(hs.get(r.name()) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                            throw new IllegalArgumentException(where + ": hyperparameter '" + r.name()
                                    + "' is missing or not a finite number");
                        }
                        h.put(r.name(), n.doubleValue());
                    }
                    if (!h.keySet().containsAll(hs.keySet())) {
                        throw new IllegalArgumentException(where + ": unknown hyperparameters in " + hs.keySet()
                                + ", expected " + h.keySet());
                    }
                    kind.config(h, 2); // validates the values themselves (ranges the engine accepts)
                    double score = e.get("score") instanceof Number n ? n.doubleValue() : Double.POSITIVE_INFINITY;
                    int steps = e.get("steps") instanceof Number n ? n.intValue() : 0;
                    os.put(kind, new Entry(java.util.Collections.unmodifiableMap(h), score, steps));
                }
                problems.put(p.getKey(), java.util.Collections.unmodifiableMap(os));
            }
            List<RefreshResult> refresh = new ArrayList<>();
            if (root.get("refreshStudy") instanceof List<?> l) {
                for (Object x : l) {
                    Map<String, Object> m = object(x, "refreshStudy");
                    List<?> losses = m.get("finalLoss") instanceof List<?> ll ? ll : List.of();
                    double[] loss = new double[losses.size()];
                    for (int i = 0; i < loss.length; i++) {
                        loss[i] = losses.get(i) instanceof Number n ? n.doubleValue() : Double.POSITIVE_INFINITY;
                    }
                    refresh.add(new RefreshResult(String.valueOf(m.get("problem")), String.valueOf(m.get("mode")),
                            ((Number) m.get("refreshEvery")).intValue(), loss, ((Number) m.get("millisPerRun")).doubleValue()));
                }
            }
            return new TunedFile(info, problems, refresh);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked") // JSON objects parse to Map<String, Object>
    private static Map<String, Object> object(Object o, String where) {
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
        return (Map<String, Object>) o;
    }
}
