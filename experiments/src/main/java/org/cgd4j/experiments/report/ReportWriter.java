package org.cgd4j.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cgd4j.engine.Structure;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.Outcome;
import org.cgd4j.experiments.run.Reproduction;
import org.cgd4j.experiments.run.RosenbrockTask;
import org.cgd4j.experiments.run.RunResult;
import org.cgd4j.experiments.run.SpectrumTrace;
import org.cgd4j.experiments.run.Task;

/** Writes the results directory: table, CSVs, summary.json and the PNG plots. */
public final class ReportWriter {
    private ReportWriter() {}

    /** Writes everything under {@code dir} and returns the files written. */
    public static List<Path> write(Reproduction.Results results, Path dir, Map<String, Object> command) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Path table = dir.resolve("table.md");
        Files.writeString(table, ResultsTable.render(results), StandardCharsets.UTF_8);
        files.add(table);
        files.add(lossCsv(results, dir.resolve("loss-curves.csv")));
        if (!results.trajectories().isEmpty()) {
            files.add(trajectoryCsv(results, dir.resolve("trajectories.csv")));
        }
        if (results.outcomes().stream().anyMatch(o -> spectrumOf(o) != null)) {
            files.add(spectrumCsv(results, dir.resolve("spectrum.csv")));
        }
        files.addAll(plots(results, dir));
        List<HeldOutReport.View> views = heldOutViews(results);
        if (!views.isEmpty()) {
            files.add(HeldOutReport.csv(views, dir.resolve("heldout-curves.csv")));
            for (HeldOutReport.View v : views) {
                files.addAll(HeldOutReport.plots(v, dir, results.plan().seeds()));
            }
        }
        Path summary = dir.resolve("summary.json");
        Files.writeString(summary, Json.write(summary(results, command, files, dir)), StandardCharsets.UTF_8);
        files.add(summary);
        return files;
    }

    private static Path lossCsv(Reproduction.Results results, Path file) throws IOException {
        try (Csv csv = new Csv(file, "problem", "optimizer", "seed", "step", "loss")) {
            for (Outcome o : results.outcomes()) {
                for (int s = 0; s < o.runs().size(); s++) {
                    RunResult r = o.runs().get(s);
                    for (int i = 0; i < r.steps().length; i++) {
                        csv.row(o.task().id(), o.id(), o.seeds()[s], r.steps()[i], r.loss()[i]);
                    }
                }
            }
        }
        return file;
    }

    private static Path trajectoryCsv(Reproduction.Results results, Path file) throws IOException {
        try (Csv csv = new Csv(file, "optimizer", "step", "x", "y")) {
            for (Map.Entry<OptimizerKind, double[][]> e : results.trajectories().entrySet()) {
                double[][] p = e.getValue();
                for (int t = 0; t < p[0].length; t++) {
                    csv.row(e.getKey().id(), t, p[0][t], p[1][t]);
                }
            }
        }
        return file;
    }

    private static Path spectrumCsv(Reproduction.Results results, Path file) throws IOException {
        try (Csv csv = new Csv(file, "problem", "optimizer", "seed", "step", "quantity", "rank", "value")) {
            for (Outcome o : results.outcomes()) {
                for (int s = 0; s < o.runs().size(); s++) {
                    SpectrumTrace tr = o.runs().get(s).spectrum();
                    if (tr == null) {
                        continue;
                    }
                    for (int i = 0; i < tr.steps().length; i++) {
                        csv.row(o.task().id(), o.id(), o.seeds()[s], tr.steps()[i], "effective_dimension", 0,
                                tr.effectiveDimension()[i]);
                    }
                    for (SpectrumTrace.Snapshot snap : tr.snapshots()) {
                        double[] ev = snap.eigenvalues();
                        for (int r = 0; r < ev.length; r++) {
                            csv.row(o.task().id(), o.id(), o.seeds()[s], snap.step(), "eigenvalue", r + 1,
                                    ev[ev.length - 1 - r]);
                        }
                    }
                }
            }
        }
        return file;
    }

    /** The held-out views of the classification tasks, in task order. */
    private static List<HeldOutReport.View> heldOutViews(Reproduction.Results results) {
        List<HeldOutReport.View> views = new ArrayList<>();
        for (Task task : results.plan().tasks()) {
            HeldOutReport.View v = HeldOutReport.view(results, task);
            if (v != null) {
                views.add(v);
            }
        }
        return views;
    }

    private static List<Path> plots(Reproduction.Results results, Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        int seeds = results.plan().seeds();
        for (Task task : results.plan().tasks()) {
            if (HeldOutReport.view(results, task) != null) {
                continue; // its loss plot, with Adam's best marked, comes from HeldOutReport
            }
            List<Plots.Curve> curves = new ArrayList<>();
            for (Outcome o : results.outcomes()) {
                if (o.task() == task) {
                    curves.add(new Plots.Curve(o.label(), toDouble(o.runs().getFirst().steps()), o.medianCurve()));
                }
            }
            Path f = dir.resolve("loss-" + task.id() + ".png");
            Plots.lossCurves(f, task.label() + ": loss, median over " + seeds + " seeds", curves);
            files.add(f);
        }
        if (!results.trajectories().isEmpty()) {
            List<Plots.Curve> paths = new ArrayList<>();
            results.trajectories().forEach((k, p) -> paths.add(new Plots.Curve(k.label(), p[0], p[1])));
            Path f = dir.resolve("trajectories-rosenbrock.png");
            Plots.rosenbrockTrajectories(f, "Rosenbrock: paths from (−1.5, 2), " + results.plan().trajectorySteps()
                    + " steps", paths);
            files.add(f);
        }
        for (Task task : results.plan().tasks()) {
            List<Plots.Curve> dims = new ArrayList<>();
            List<Integer> groups = new ArrayList<>();
            int group = 0;
            for (Outcome o : results.outcomes()) {
                SpectrumTrace tr = o.task() == task ? spectrumOf(o) : null;
                if (tr == null) {
                    continue;
                }
                Map<Integer, double[]> byStep = new TreeMap<>();
                for (SpectrumTrace.Snapshot s : tr.snapshots()) {
                    byStep.put(s.step(), s.eigenvalues());
                }
                String suffix = o.id().equals(o.kind().id()) ? "" : "-" + o.id();
                Path f = dir.resolve("spectrum-" + task.id() + suffix + ".png");
                Plots.spectrum(f, o.label() + " on " + task.label() + ": covariance spectrum (seed " + o.seeds()[0] + ")",
                        byStep);
                files.add(f);
                for (int s = 0; s < o.runs().size(); s++) {
                    SpectrumTrace t = o.runs().get(s).spectrum();
                    dims.add(new Plots.Curve(o.label() + (s == 0 ? "" : " seed " + o.seeds()[s]), toDouble(t.steps()),
                            t.effectiveDimension()));
                    groups.add(group);
                }
                group++;
            }
            if (!dims.isEmpty()) {
                Path g = dir.resolve("effective-dimension-" + task.id() + ".png");
                Plots.effectiveDimension(g, "Effective dimension of full CGD's covariance on " + task.id() + " (d = "
                        + task.dimension() + "), one line per seed",
                        dims, groups);
                files.add(g);
            }
        }
        return files;
    }

    /** The spectrum of the first seed of a FULL outcome, or null. */
    private static SpectrumTrace spectrumOf(Outcome o) {
        return o.config().structure() == Structure.FULL && !o.runs().isEmpty() ? o.runs().getFirst().spectrum() : null;
    }

    private static Map<String, Object> summary(Reproduction.Results results, Map<String, Object> command,
                                               List<Path> files, Path dir) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "cgd4j-reproduce-summary");
        root.put("version", 1);
        root.put("created", java.time.Instant.now().toString());
        root.put("environment", Environment.describe());
        root.put("command", command);
        root.put("wallSeconds", results.nanos() / 1e9);
        List<Object> problems = new ArrayList<>();
        for (Task task : results.plan().tasks()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", task.id());
            p.put("label", task.label());
            p.put("dimension", task.dimension());
            p.put("steps", results.plan().steps().get(task.id()));
            p.put("thresholds", task.thresholds());
            Map<String, Object> os = new LinkedHashMap<>();
            for (Outcome o : results.outcomes()) {
                if (o.task() != task) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("label", o.label());
                m.put("hyperparametersSource", o.source());
                m.put("hyperparameters", new LinkedHashMap<>(o.hyperparameters()));
                m.put("config", o.config().toString());
                List<Object> seeds = new ArrayList<>();
                for (long s : o.seeds()) {
                    seeds.add(s);
                }
                m.put("seeds", seeds);
                int early = results.plan().steps().get(task.id()) / 10;
                Map<String, Object> at = new LinkedHashMap<>();
                at.put("step", early);
                at.put("loss", o.medianLossAt(early));
                m.put("medianLossAtStep", at);
                m.put("finalLoss", o.finalLosses());
                m.put("finalLossMean", o.meanFinalLoss());
                m.put("finalLossStd", o.stdFinalLoss());
                m.put("finalLossMedian", o.medianFinalLoss());
                List<Object> reach = new ArrayList<>();
                for (int k = 0; k < task.thresholds().length; k++) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("threshold", task.thresholds()[k]);
                    r.put("stepsPerSeed", o.stepsToReach(k));
                    r.put("median", Stats.median(o.stepsToReach(k)));
                    r.put("seedsReached", o.reached(k));
                    reach.add(r);
                }
                m.put("stepsToReach", reach);
                m.put("divergedSeeds", o.divergedSeeds());
                List<Object> failures = new ArrayList<>();
                for (RunResult r : o.runs()) {
                    if (r.failure() != null) {
                        failures.add(r.failure());
                    }
                }
                m.put("failures", failures);
                m.put("millisPerRunMean", o.meanMillisPerRun());
                os.put(o.id(), m);
            }
            p.put("optimizers", os);
            HeldOutReport.View view = HeldOutReport.view(results, task);
            if (view != null) {
                p.put("heldOut", HeldOutReport.summary(view));
            }
            if (task instanceof RosenbrockTask) {
                p.put("trajectoryStart", List.of(-1.5, 2.0));
            }
            problems.add(p);
        }
        root.put("problems", problems);
        List<Object> names = new ArrayList<>();
        for (Path f : files) {
            names.add(dir.relativize(f).toString());
        }
        root.put("files", names);
        return root;
    }

    private static double[] toDouble(int[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
