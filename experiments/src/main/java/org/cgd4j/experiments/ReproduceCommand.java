package org.cgd4j.experiments;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cgd4j.experiments.report.Environment;
import org.cgd4j.experiments.report.ReportWriter;
import org.cgd4j.experiments.report.ResultsTable;
import org.cgd4j.experiments.run.Reproduction;
import org.cgd4j.experiments.run.Task;
import org.cgd4j.experiments.tune.TunedFile;
import org.cgd4j.experiments.tune.Tuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cgd4j reproduce}: the paper's experiments with the stored hyperparameters; table, CSV, JSON, plots. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = "Runs every optimizer on Rosenbrock, on the multiplication network and on the digits classifier over"
                + " several seeds with the tuned hyperparameters, prints the results tables and writes CSV, JSON and PNG plots.")
final class ReproduceCommand implements Callable<Integer> {
    @Mixin
    TaskOptions tasks;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "5", description = "Seeds 1..N per optimizer (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--hyperparameters", paramLabel = "FILE",
            description = "Tuned hyperparameters (default: the committed " + "experiments/tuned/hyperparameters-v1.json on the class path).")
    Path hyperparameters;

    @Option(names = "--output", paramLabel = "DIR", defaultValue = "results", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--trajectory-steps", paramLabel = "N",
            description = "Steps of the Rosenbrock trajectories from (-1.5, 2) (default: the Rosenbrock steps; 0: none).")
    Integer trajectorySteps;

    @Option(names = "--short-memory-tau2", paramLabel = "TAU", defaultValue = "100",
            description = "Also run full CGD on multiplication with tau2 = TAU (the tuned values otherwise), to show the"
                + " spectrum of a metric that forgets early gradients (0: off; default: ${DEFAULT-VALUE}).")
    double shortMemoryTau2;

    @Override
    public Integer call() throws IOException {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        if (!(shortMemoryTau2 >= 0) || Double.isInfinite(shortMemoryTau2)) {
            throw new IllegalArgumentException("--short-memory-tau2 must be a finite number >= 0, got " + shortMemoryTau2);
        }
        List<Task> taskList = tasks.tasks();
        Map<String, Integer> steps = tasks.steps(taskList);
        TunedFile tuned = hyperparameters != null ? TunedFile.read(hyperparameters) : TunedFile.readResource();
        String source = hyperparameters != null ? hyperparameters.toString()
                : tuned != null ? "classpath:" + TunedFile.RESOURCE : "none (textbook defaults)";
        int traj = trajectorySteps != null ? trajectorySteps : steps.getOrDefault("rosenbrock", 0);
        Reproduction.Plan plan = new Reproduction.Plan(taskList, tasks.kinds(taskList), steps, seeds, tasks.threads(), tuned,
                traj, shortMemoryTau2);
        System.out.println("cgd4j reproduce: " + TaskOptions.describe(plan.kinds()) + "; " + seeds
                + " seeds; hyperparameters from " + source + "; kernels " + Environment.kernels() + "; BLAS "
                + Environment.blas());
        Reproduction.Results results = Reproduction.run(plan, System.err, !tasks.noProgress);
        System.out.println();
        System.out.print(ResultsTable.render(results));
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("command", "reproduce");
        command.put("seeds", seeds);
        command.put("steps", new LinkedHashMap<>(steps));
        command.put("hyperparameters", source);
        command.put("threads", plan.threads());
        command.put("trajectorySteps", traj);
        command.put("shortMemoryTau2", shortMemoryTau2);
        command.putAll(tasks.info(taskList));
        List<Path> files = new java.util.ArrayList<>(ReportWriter.write(results, output, command));
        List<TunedFile.RefreshResult> refresh = tuned == null ? List.of() : tuned.refreshStudy().stream()
                .filter(r -> steps.containsKey(r.problem())).toList();
        if (!refresh.isEmpty()) {
            // measured by `cgd4j tune`, not rerun here: shown so that the whole picture is in one place
            String study = Tuning.refreshTable(refresh);
            System.out.println("Refresh study, measured by `cgd4j tune` (from the tuned file):");
            System.out.print(study);
            Path f = output.resolve("refresh-study.md");
            java.nio.file.Files.writeString(f, study);
            files.add(f);
        }
        System.out.printf("wrote %d files under %s (%.1f s)%n", files.size(), output.toAbsolutePath(), results.nanos() / 1e9);
        return 0;
    }
}
