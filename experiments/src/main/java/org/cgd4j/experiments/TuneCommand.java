package org.cgd4j.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.cgd4j.experiments.run.Task;
import org.cgd4j.experiments.tune.TrialRunner;
import org.cgd4j.experiments.tune.TunedFile;
import org.cgd4j.experiments.tune.Tuning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cgd4j tune}: the same hyperparameter search for every optimizer; writes the versioned winners file. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Searches each optimizer's hyperparameters under the same budget (random search with successive"
                + " halving, log-uniform ranges, fixed seeds) and writes the winners for `reproduce`; then compares full"
                + " CGD's exact refresh with TRACKED and STALE refresh every k = 10, 20 steps.")
final class TuneCommand implements Callable<Integer> {
    @Mixin
    TaskOptions tasks;

    @Option(names = "--configs", paramLabel = "N", defaultValue = "81",
            description = "Configurations drawn per optimizer (default: ${DEFAULT-VALUE}).")
    int configs;

    @Option(names = "--eta", paramLabel = "N", defaultValue = "3", description = "Keep the best 1/eta per rung (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--rungs", paramLabel = "N", defaultValue = "3", description = "Rungs; the last runs the full steps (default: ${DEFAULT-VALUE}).")
    int rungs;

    @Option(names = "--tuning-seeds", paramLabel = "N", defaultValue = "3",
            description = "Seeds per trial, from " + Tuning.FIRST_TUNING_SEED + " up (default: ${DEFAULT-VALUE}).")
    int tuningSeeds;

    @Option(names = "--study-seeds", paramLabel = "N", defaultValue = "3",
            description = "Seeds of the full-CGD refresh study (0 skips it; default: ${DEFAULT-VALUE}).")
    int studySeeds;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Score the search trials as Spark tasks on MASTER (local[*], spark://host:7077, yarn, …); needs"
                    + " the cgd4j spark module on the class path. Same winners as the local search.")
    String spark;

    @Option(names = "--output", paramLabel = "FILE", description = "Where to write the winners (default:"
            + " experiments/tuned/hyperparameters-v1.json). An existing file keeps the entries of the problems and"
            + " optimizers not tuned now.")
    Path output = TunedFile.DEFAULT_PATH;

    @Override
    public Integer call() throws IOException {
        if (tuningSeeds < 1 || studySeeds < 0) {
            throw new IllegalArgumentException("--tuning-seeds must be >= 1 and --study-seeds >= 0");
        }
        List<Task> taskList = tasks.tasks();
        Map<String, Integer> steps = tasks.steps(taskList);
        TunedFile earlier = null;
        if (Files.exists(output)) { // read before hours of tuning, not after
            try {
                earlier = TunedFile.read(output);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--output " + output + " exists but is not a tuned file this build"
                        + " can merge into (" + e.getMessage() + "); move it away or choose another --output", e);
            }
        }
        Tuning.Plan plan = new Tuning.Plan(taskList, tasks.kinds(taskList), steps, configs, eta, rungs, tuningSeeds,
                tasks.threads(), studySeeds, tasks.info(taskList));
        System.out.println("cgd4j tune: " + TaskOptions.describe(plan.kinds()) + "; "
                + configs + " configurations each, eta " + eta + ", " + rungs + " rungs, " + tuningSeeds
                + " tuning seeds, " + plan.threads() + " threads");
        TunedFile file;
        if (spark == null) {
            file = Tuning.run(plan, System.out, System.err, !tasks.noProgress);
        } else {
            try (TrialRunner runner = provider("spark").open(spark, tasks.settings())) {
                System.out.println("scoring trials as Spark tasks on " + spark);
                file = Tuning.run(plan, System.out, System.err, !tasks.noProgress, runner);
            }
        }
        TunedFile merged = earlier == null ? file : file.over(earlier);
        merged.write(output);
        System.out.println("wrote " + output.toAbsolutePath() + (merged == file ? ""
                : " (the entries not tuned now were kept from the earlier file)"));
        return 0;
    }

    /** The runner provider named {@code name} on the class path (found by ServiceLoader; none is built in). */
    static TrialRunner.Provider provider(String name) {
        for (TrialRunner.Provider p : ServiceLoader.load(TrialRunner.Provider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("--" + name + " needs the cgd4j " + name + " module on the class path"
                + " (spark/target/spark-0.1.0-SNAPSHOT.jar and spark/target/classpath.txt, or spark-submit of the shaded jar);"
                + " see README, Scaling out with Spark");
    }
}
