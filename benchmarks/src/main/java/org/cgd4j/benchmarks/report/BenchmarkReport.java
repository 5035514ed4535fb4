package org.cgd4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Writes BENCHMARKS.md and its PNG plots from the JMH JSON files that benchmarks/run.sh left in
 * benchmarks/results/: time per step, cgd4j/ND4J speed-ups, share of the C reference, bytes allocated
 * per step, and the symmetric eigendecomposition comparison. Anything not measured prints as "—".
 *
 * <p>Usage: {@code BenchmarkReport <results dir> <output .md> [<path of results dir as linked from
 * the .md>]}.
 */
public final class BenchmarkReport {
    /** Benchmarks the report reads (simple class name and method); see benchmarks/run.sh. */
    static final String CGD_STEP = "CgdUpdaterBenchmark.step";
    static final String ND4J_STEP = "Nd4jUpdaterBenchmark.step";
    static final String TRIAD = "TriadBenchmark.triad";
    /**
     * Helper "diagonal"'s benchmark: impl = c (benchmarks/native/adam.c), vector (the public step with
     * the Vector API kernels) or vector-kernel (the kernel pass alone).
     */
    static final String ADAM_STEP = "AdamStepBenchmark.step";
    /** Helper "bindings"'s benchmark: impl = openblas (cgd4j's FFM dsyevd), java, ejml; parameter n. */
    static final String POWER = "PowerBenchmark.step";
    static final String THREADS_STEP = "ThreadsBenchmark.step";
    /** SGD and Adam's public step under THROW and PROPAGATE (parameters optimizer, policy, precision, d). */
    static final String POLICY_STEP = "PolicyStepBenchmark.step";
    static final String POLICY_PAIR = "PolicyPairBenchmark.pairs";
    static final String TRIAD_THREADS = "TriadThreadsBenchmark.triad";
    static final double TARGET_POWER = 1.5;
    static final double TARGET_C = 1.05;
    static final double TARGET_PROPAGATE = 1.05;
    static final double TARGET_SGD_ND4J = 1.2;
    static final double TARGET_MODEL_STEP = 1.05;
    static final double TARGET_THREADS = 1.25;
    static final String EIGEN = "EigenBenchmark.dsyevd";
    static final String ND4J_EIGEN = "Nd4jEigenBenchmark.eigen";
    /** dsyevd on the system OpenBLAS and the bundled one, per kernel set (library, coretype, n). */
    static final String LAPACK_BUILD = "LapackBuildBenchmark.dsyevd";
    /** Helper "full"'s benchmark: the exact full-CGD step on eigensolver = openblas, java, ejml, nd4j. */
    static final String FULL_STEP = "FullStepBenchmark.step";
    static final String DL4J_STEP = "Dl4jUpdaterBenchmark.step";
    static final String DL4J_FIT = "Dl4jUpdaterBenchmark.fit";
    static final String TRAINING_PAIR = "TrainingLoopBenchmark.pair";
    /** Issue 17's Adam targets paired with C in one fork (parameters pair, precision, d; counters per side). */
    static final String ADAM_PAIR = "AdamPairBenchmark.pairs";
    static final double TARGET_KERNEL_C = 1.10;
    static final double TARGET_CHECKED_C = 1.2;
    static final String DL4J_UPDATER = "Dl4jUpdaterBenchmark.updater";
    static final double TARGET_DL4J = 3;

    static final List<String> OPTIMIZERS = List.of("sgd", "rmsprop", "adam", "adabelief");
    static final Map<String, String> OPTIMIZER_NAMES = Map.of(
            "sgd", "SGD", "rmsprop", "RMSProp", "adam", "Adam", "adabelief", "AdaBelief");
    /**
     * Memory transfers per element a step cannot avoid: every array it reads, plus every array it
     * writes (each written array is also read, so no extra read-for-ownership). The triad moves 4.
     */
    static final Map<String, Integer> TRANSFERS = Map.of("sgd", 3, "rmsprop", 5, "adam", 7, "adabelief", 7);
    static final int TRIAD_TRANSFERS = 4;
    static final List<String> PRECISIONS = List.of("f32", "f64");
    static final List<String> THREADS = List.of("1", "2");

    static final double TARGET_SMALL = 15;
    static final double TARGET_LARGE = 2.5;

    /** The benchmarks the named sections read; any other benchmark gets a table of its own ({@link #others}). */
    static final List<String> SECTIONED = List.of(CGD_STEP, ND4J_STEP, TRIAD, ADAM_STEP, POLICY_STEP, POLICY_PAIR, POWER, THREADS_STEP,
            TRIAD_THREADS, EIGEN, ND4J_EIGEN, LAPACK_BUILD, FULL_STEP, DL4J_STEP, DL4J_UPDATER, DL4J_FIT, TRAINING_PAIR,
            ADAM_PAIR);
    /** What the other benchmarks that make bench runs measure, by class (simple name). */
    static final Map<String, String> DESCRIPTIONS = Map.of(
            "KernelTermsBenchmark", "The Vector API kernel pass of one Adam step (heap params and gradients, native "
                    + "state, 1 thread) with the training-loop terms: `plain` (neutral terms), `decay` (clipping scale and "
                    + "decoupled decay, AdamW + clip), `l2` (clipping, coupled L2 and decay); `scan` and `scan-norm`: the "
                    + "non-finite scan of g alone, and fused with the clipping norm's block squares "
                    + "(`diagonal.KernelTermsBenchmark`).",
            "RowSparseBenchmark", "Float Adam on a 1e6 × 64 embedding table: `rows` = `stepRows` of 4096 random distinct "
                    + "rows; `denseTable` = a dense step of the whole table; `denseSmall` = a dense step over 4096 × 64 "
                    + "elements, the work the sparse step does (`training.RowSparseBenchmark`).",
            "Blas3Benchmark", "The BLAS-3 calls KRONECKER makes, on n×n matrices, one thread: GEMM (2n³ flops), SYRK "
                    + "(n²(n + 1)) and the QR refresh (GEQRF + ORGQR, ≈ 8n³/3); OpenBLAS through FFM against cgd4j's "
                    + "pure-Java fallback (`blas.Blas3Benchmark`).",
            "KroneckerStepBenchmark", "KRONECKER Adam (SOAP-like) on an MLP layout (mlp1e6: 784×1024, 1024, 1024×256, "
                    + "256, 256×10, 10), per step: `amortized` = refreshEvery 10 (one refresh, two DSYEVD per block, in "
                    + "ten steps), `noRefresh` = steps that never refresh, `blas` = the six BLAS-3 calls per block of "
                    + "one such step alone (`kronecker.KroneckerStepBenchmark`).",
            "KroneckerVersusFullBenchmark", "d = 2048, where FULL still runs: one exact FULL step (a 2048 × 2048 DSYEVD "
                    + "every step) against one KRONECKER step of a 32 × 64 matrix, refreshEvery 1 (`kronecker`) and 10 "
                    + "(`kronecker10`) (`kronecker.KroneckerVersusFullBenchmark`).",
            "Dl4jUpdaterBenchmark", "DL4J's updater phase for one block of d parameters, 1 thread: ND4J's `Adam` "
                    + "against cgd4j's `CgdUpdater.adam` with the same hyperparameters; `updater` = `applyUpdater` "
                    + "alone, `step` = with `params.subi(update)` (`dl4j.Dl4jUpdaterBenchmark`).");

    private final Results results;
    private final Runs runs;
    private final Path resultsDir;
    private final String link;
    private final Properties environment;
    private final StringBuilder md = new StringBuilder();

    private BenchmarkReport(Results results, Runs runs, Path resultsDir, String link, Properties environment) {
        this.results = results;
        this.runs = runs;
        this.resultsDir = resultsDir;
        this.link = link;
        this.environment = environment;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: BenchmarkReport <results dir> <output .md> [<results dir as linked from the .md>]");
            System.exit(2);
        }
        Path resultsDir = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String link = args.length > 2 ? args[2] : resultsDir.toString();
        Results results = Results.load(resultsDir);
        if (results.isEmpty()) {
            throw new IllegalStateException("no JMH results in " + resultsDir + ": run benchmarks/run.sh first");
        }
        Properties environment = new Properties();
        Path envFile = resultsDir.resolve("environment.properties");
        if (Files.exists(envFile)) {
            try (var reader = Files.newBufferedReader(envFile)) {
                environment.load(reader);
            }
        }
        Runs runs = Runs.load(resultsDir.resolve("runs.tsv"));
        BenchmarkReport report = new BenchmarkReport(results, runs, resultsDir, link, environment);
        Files.writeString(out, report.render());
        System.out.println("wrote " + out + " from " + results.files().size() + " JMH result files");
    }

    private String render() throws IOException {
        header();
        headline();
        agreement();
        updaterTables();
        hardware();
        diagonal();
        eigen();
        lapackBuilds();
        fullStep();
        dl4j();
        trainingLoop();
        others();
        spark();
        stages();
        method();
        return md.toString();
    }

    // ---- sections ----

    private void header() {
        line("# cgd4j benchmarks");
        line();
        line("cgd4j's optimizer step against ND4J's updaters (the way DL4J applies them), against C on the "
                + "same machine, and the symmetric eigendecomposition behind full CGD against ND4J and EJML. "
                + "Generated by `make bench` (benchmarks/run.sh); every number below comes from the JMH JSON "
                + "files in [" + link + "](" + link + ") of one run, so ratios compare measurements taken "
                + "minutes apart on the same machine.");
        line();
        line("| | |");
        line("|---|---|");
        env("Date", "date");
        env("Commit", "commit");
        env("Command", "command");
        env("CPU", "cpu");
        env("Cores", "cores");
        env("Memory", "memory");
        env("OS", "os");
        env("JDK", "jdk");
        env("cgd4j kernels (ISA, vector width)", "kernels");
        env("BLAS/LAPACK", "blas");
        env("C compiler", "cc");
        env("ND4J", "nd4j");
        env("JMH", "jmh");
        env("Load average at start", "load");
        env("Load average at end", "load_end");
        String total = environment.getProperty("total_seconds");
        if (total != null && !total.isBlank()) {
            line("| Duration | " + minutes(Long.parseLong(total.trim())) + " (stages below) |");
        }
        line();
        StringBuilder files = new StringBuilder();
        for (Path f : results.files()) {
            String name = f.getFileName().toString();
            files.append(files.isEmpty() ? "" : ", ").append('[').append(name).append("](")
                    .append(link).append('/').append(name).append(')');
        }
        line("JMH JSON: " + files + ".");
        line();
    }

    private void env(String label, String key) {
        String value = environment.getProperty(key);
        if (value != null && !value.isBlank()) {
            line("| " + label + " | " + value + " |");
        }
    }

    private void headline() {
        line("## Headline");
        line();
        line("Speed-up = ND4J time per step / cgd4j time per step, same d, precision and thread count. "
                + "Targets (issue 6): ≥ " + (int) TARGET_SMALL + "× at d = 1e3, ≥ " + TARGET_LARGE
                + "× at d ≥ 1e5. The last speed-up column is the smallest over every optimizer measured at "
                + "that d (SGD, RMSProp, Adam, AdaBelief; the quick run measures the three others at d = 1e5 "
                + "and 1e7 only, so elsewhere it is Adam's), and \"met\" judges that smallest one.");
        line();
        line("| d | precision | threads | cgd4j Adam | ND4J Adam | Adam speed-up | min speed-up, all optimizers | target | met |");
        line("|---|---|---|---|---|---|---|---|---|");
        for (String d : results.values(CGD_STEP, "d")) {
            long dim = Long.parseLong(d);
            if (dim < 1000) {
                continue;
            }
            double target = dim >= 100_000 ? TARGET_LARGE : dim == 1000 ? TARGET_SMALL : Double.NaN;
            for (String threads : THREADS) {
                for (String precision : PRECISIONS) {
                    Map<String, String> adam = params("adam", precision, d, threads);
                    double cgd = results.nanos(CGD_STEP, adam);
                    double nd4j = results.nanos(ND4J_STEP, adam);
                    if (!Double.isFinite(cgd) && !Double.isFinite(nd4j)) {
                        continue;
                    }
                    double min = minSpeedup(precision, d, threads);
                    String met = Double.isFinite(target) && Double.isFinite(min)
                            ? (min >= target ? "yes" : "**no**") : "";
                    line("| " + Format.dimension(d) + " | " + precision + " | " + threads + " | "
                            + timed(CGD_STEP, adam) + " | " + timed(ND4J_STEP, adam) + " | " + Format.ratio(nd4j / cgd)
                            + " | " + Format.ratio(min) + " | "
                            + (Double.isFinite(target) ? "≥ " + Format.ratio(target) : "") + " | " + met + " |");
                }
            }
        }
        line();
        commands(results.matching(CGD_STEP, Map.of("optimizer", "adam")), results.matching(ND4J_STEP, Map.of("optimizer", "adam")));
        List<String> unreachable = new ArrayList<>();
        for (String d : results.values(CGD_STEP, "d")) {
            if (Long.parseLong(d) < 100_000) {
                continue;
            }
            for (String precision : PRECISIONS) {
                for (String optimizer : OPTIMIZERS) {
                    double ceiling = ceiling(optimizer, precision, d);
                    if (ceiling < TARGET_LARGE) {
                        unreachable.add(OPTIMIZER_NAMES.get(optimizer) + " " + precision + " at d = "
                                + Format.dimension(d) + " (ceiling " + Format.ratio(ceiling) + ")");
                    }
                }
            }
        }
        if (!unreachable.isEmpty()) {
            line("Out of reach on this machine (1 thread; see \"ceiling\" below: ND4J's time over the least "
                    + "time the step's memory traffic takes at the best bandwidth measured in this run): "
                    + String.join("; ", unreachable) + ".");
            line();
        }
        double maxSmall = Double.NaN;
        double maxAll = Double.NaN;
        String maxAllAt = "";
        for (JmhResult r : cgd4jSteps()) {
            double b = r.bytesPerOp();
            if (!Double.isFinite(b)) {
                continue;
            }
            if (r.nanos() < 1e6) {
                maxSmall = Double.isNaN(maxSmall) ? b : Math.max(maxSmall, b);
            }
            if (Double.isNaN(maxAll) || b > maxAll) {
                maxAll = b;
                maxAllAt = describe(r);
            }
        }
        StringBuilder alloc = new StringBuilder("Bytes allocated per cgd4j step (JMH `-prof gc`, "
                + "gc.alloc.rate.norm, over every cgd4j step measured: the updater comparison and the diagonal "
                + "engine's own benchmarks below, the general power and threads included): at most " + Format.bytes(maxSmall) + " B over every configuration "
                + "whose step takes under 1 ms; the largest figure overall is " + Format.bytes(maxAll)
                + " B (" + maxAllAt + ").");
        if (maxAll >= 1) {
            List<Double> perMicro = new ArrayList<>();
            for (JmhResult r : cgd4jSteps()) {
                if (Double.isFinite(r.bytesPerOp())) {
                    perMicro.add(r.bytesPerOp() / (r.nanos() / 1e3));
                }
            }
            perMicro.sort(null);
            double median = perMicro.get(perMicro.size() / 2);
            alloc.append(String.format(java.util.Locale.ROOT, " These figures grow with the step's duration "
                    + "(median %.3f B per µs of step), not with what the step does: `-prof gc` counts every "
                    + "thread's allocation in the fork, JMH's own included, so the longer a step, the more of "
                    + "that background lands on it.", median));
        }
        line(alloc.toString());
        line();
    }

    /**
     * An estimate of the largest speed-up over ND4J a 1-thread implementation could reach: ND4J's time
     * over the time the step's unavoidable transfers take at the best bandwidth any 1-thread loop
     * reached in this run at the same d and precision (the C triad, the C Adam loop, cgd4j's Adam).
     */
    private double ceiling(String optimizer, String precision, String d) {
        double nd4j = results.nanos(ND4J_STEP, params(optimizer, precision, d, "1"));
        double perTransfer = Double.NaN; // least ns per transfer of d elements observed
        double[] observed = {
            results.nanos(TRIAD, Map.of("precision", precision, "d", d)) / TRIAD_TRANSFERS,
            results.nanos(ADAM_STEP, Map.of("impl", "c", "precision", precision, "d", d)) / TRANSFERS.get("adam"),
            results.nanos(CGD_STEP, params("adam", precision, d, "1")) / TRANSFERS.get("adam")};
        for (double t : observed) {
            if (Double.isFinite(t)) {
                perTransfer = Double.isNaN(perTransfer) ? t : Math.min(perTransfer, t);
            }
        }
        return nd4j / (perTransfer * TRANSFERS.get(optimizer));
    }

    private double minSpeedup(String precision, String d, String threads) {
        double min = Double.NaN;
        for (String optimizer : OPTIMIZERS) {
            Map<String, String> p = params(optimizer, precision, d, threads);
            double r = results.nanos(ND4J_STEP, p) / results.nanos(CGD_STEP, p);
            if (Double.isFinite(r)) {
                min = Double.isNaN(min) ? r : Math.min(min, r);
            }
        }
        return min;
    }

    private void updaterTables() throws IOException {
        line("## Optimizer step: cgd4j against ND4J");
        line();
        line("One step on a d-dimensional parameter vector. cgd4j: `Optimizer.step(params, grads)` with "
                + "the preset (`CgdConfig.sgd/rmsprop/adam/adabelief`, `withThreads(threads)`); ND4J: "
                + "`updater.applyUpdater(gradient, iteration, 0)` then `params.subi(gradient)` with "
                + "`Sgd/RmsProp/Adam/AdaBelief` instantiated on a state view array, as DL4J does. "
                + "Learning rate 1e-3, β = (0.9, 0.999), RMSProp decay 0.95, ε = 1e-8.");
        line();
        line("Ceiling (1 thread, an estimate): the largest speed-up over ND4J that any implementation could "
                + "reach at this machine's memory bandwidth. A step must at least read every array it uses and "
                + "write back the ones it updates: " + TRANSFERS.get("sgd") + " transfers per element for SGD "
                + "(read params and grads, write params), " + TRANSFERS.get("rmsprop") + " for RMSProp, "
                + TRANSFERS.get("adam") + " for Adam and AdaBelief. The bandwidth is the best any 1-thread "
                + "loop reached in this run at the same d and precision: the C triad a = b + s·c ("
                + TRIAD_TRANSFERS + " transfers: two reads, the write and the read-for-ownership of a), the "
                + "C Adam loop and cgd4j's Adam (" + TRANSFERS.get("adam") + " each). Ceiling = ND4J time / "
                + "(transfers × that time per transfer). It only binds once the arrays outgrow the caches "
                + "(d ≥ 1e6); cgd4j's step adds a partial transfer, its read of the gradient that refuses "
                + "non-finite values before anything changes (run downwards, so the start of g is still "
                + "cached when the step begins).");        line();
        for (String optimizer : OPTIMIZERS) {
            List<String> rows = new ArrayList<>();
            for (String precision : PRECISIONS) {
                for (String threads : THREADS) {
                    for (String d : dims()) {
                        Map<String, String> p = params(optimizer, precision, d, threads);
                        double cgd = results.nanos(CGD_STEP, p);
                        double nd4j = results.nanos(ND4J_STEP, p);
                        if (!Double.isFinite(cgd) && !Double.isFinite(nd4j)) {
                            continue;
                        }
                        double ceiling = threads.equals("1") ? ceiling(optimizer, precision, d) : Double.NaN;
                        rows.add("| " + Format.dimension(d) + " | " + precision + " | " + threads + " | "
                                + timed(CGD_STEP, p) + " | " + timed(ND4J_STEP, p) + " | "
                                + Format.ratio(nd4j / cgd) + " | " + (Double.isFinite(ceiling) ? Format.ratio(ceiling) : "")
                                + " | " + Format.bytes(results.bytes(CGD_STEP, p))
                                + " | " + Format.bytes(results.bytes(ND4J_STEP, p)) + " |");
                    }
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            line("### " + OPTIMIZER_NAMES.get(optimizer));
            line();
            line("| d | precision | threads | cgd4j | ND4J | speed-up | ceiling | cgd4j B/step | ND4J B/step |");
            line("|---|---|---|---|---|---|---|---|---|");
            rows.forEach(this::line);
            line();
            commands(results.matching(CGD_STEP, Map.of("optimizer", optimizer)),
                    results.matching(ND4J_STEP, Map.of("optimizer", optimizer)));
        }
        List<String> plots = new ArrayList<>();
        for (String precision : PRECISIONS) {
            String name = "adam-" + precision + ".png";
            List<Plots.Series> series = new ArrayList<>();
            for (String threads : THREADS) {
                series.add(Plots.series("cgd4j Adam, " + threads + " thread" + (threads.equals("1") ? "" : "s"),
                        dims(), d -> results.nanos(CGD_STEP, params("adam", precision, dim(d), threads))));
                series.add(Plots.series("ND4J Adam, " + threads + " thread" + (threads.equals("1") ? "" : "s"),
                        dims(), d -> results.nanos(ND4J_STEP, params("adam", precision, dim(d), threads))));
            }
            series.add(Plots.series("C Adam (gcc -O3 -march=native), 1 thread", dims(),
                    d -> results.nanos(ADAM_STEP, Map.of("impl", "c", "precision", precision, "d", dim(d)))));
            series.add(Plots.series("C triad a = b + s·c, 1 thread", dims(),
                    d -> results.nanos(TRIAD, Map.of("precision", precision, "d", dim(d)))));
            if (Plots.write(resultsDir.resolve(name), "Adam step, " + precision, "d (parameters)",
                    "time per step (ns)", series)) {
                plots.add(name);
            }
        }
        for (String name : plots) {
            line("![" + name + "](" + link + "/" + name + ")");
            line();
        }
    }

    private void hardware() {
        boolean kernelPass = !results.values(ADAM_STEP, "impl").isEmpty()
                && results.values(ADAM_STEP, "impl").contains("vector-kernel");
        line("## Against the hardware (1 thread)");
        line();
        line("The C Adam step (benchmarks/native/adam.c, helper \"diagonal\"'s `AdamStepBenchmark` with "
                + "impl = c) and the triad a[i] = b[i] + s·c[i] (benchmarks/native/triad.c), both gcc -O3 "
                + "-march=native, called through FFM on off-heap arrays. cgd4j's step is the 1-thread Adam "
                + "of the updater comparison above (public `Optimizer.step` on heap arrays, which also scans "
                + "the gradient for non-finite values so that a refused step changes nothing)"
                + (kernelPass ? "; the kernel-pass column is `AdamStepBenchmark` with impl = vector-kernel, "
                        + "the fused pass alone, the same work as the C loop" : "")
                + ". \"% of C\" = C time / cgd4j time (100% = as fast as C). Adam moves 7 arrays per step "
                + "(reads params, grads, m, v; writes params, m, v), the triad 3; the bandwidth columns "
                + "divide those bytes by the time.");
        line();
        if (kernelPass) {
            line("| d | precision | C Adam | cgd4j step | % of C | cgd4j kernel pass | % of C | triad "
                    + "| cgd4j step bandwidth | triad bandwidth |");
            line("|---|---|---|---|---|---|---|---|---|---|");
        } else {
            line("| d | precision | C Adam | cgd4j step | % of C | triad | cgd4j step bandwidth | triad bandwidth |");
            line("|---|---|---|---|---|---|---|---|");
        }
        for (String precision : PRECISIONS) {
            int bytes = precision.equals("f32") ? 4 : 8;
            for (String d : hardwareDims()) {
                double step = results.nanos(CGD_STEP, params("adam", precision, d, "1"));
                double kernel = results.nanos(ADAM_STEP,
                        Map.of("impl", "vector-kernel", "precision", precision, "d", d));
                double c = results.nanos(ADAM_STEP, Map.of("impl", "c", "precision", precision, "d", d));
                double triad = results.nanos(TRIAD, Map.of("precision", precision, "d", d));
                if (!Double.isFinite(step) && !Double.isFinite(c) && !Double.isFinite(triad)) {
                    continue;
                }
                double n = Double.parseDouble(d);
                line("| " + Format.dimension(d) + " | " + precision + " | "
                        + timed(ADAM_STEP, Map.of("impl", "c", "precision", precision, "d", d)) + " | "
                        + timed(CGD_STEP, params("adam", precision, d, "1")) + " | " + Format.percent(c / step) + " | "
                        + (kernelPass ? timed(ADAM_STEP, Map.of("impl", "vector-kernel", "precision", precision, "d", d))
                                + " | " + Format.percent(c / kernel) + " | " : "")
                        + timed(TRIAD, Map.of("precision", precision, "d", d)) + " | " + Format.bandwidth(TRANSFERS.get("adam") * n * bytes, step) + " | "
                        + Format.bandwidth(3 * n * bytes, triad) + " |");
            }
        }
        line();
        commands(results.matching(ADAM_STEP, Map.of("impl", "c")), results.matching(CGD_STEP, Map.of("optimizer", "adam", "threads", "1")),
                results.matching(ADAM_STEP, Map.of("impl", "vector-kernel")), results.matching(TRIAD, Map.of()));
    }

    /** Issue 3's own targets: the step against C, the general power's cost, the split over two threads. */
    private void diagonal() {
        List<String> powerDims = results.values(POWER, "d");
        List<String> threadDims = results.values(THREADS_STEP, "d");
        List<String> stepDims = results.values(ADAM_STEP, "d").stream()
                .filter(d -> Double.isFinite(results.nanos(ADAM_STEP, Map.of("impl", "vector", "precision", "f64", "d", d))))
                .toList();
        if (powerDims.isEmpty() && threadDims.isEmpty() && stepDims.isEmpty()) {
            return;
        }
        line("## Diagonal engine: the step against C, the general power, threads");
        line();
        if (!stepDims.isEmpty()) {
            adamAgainstC(stepDims);
        }
        if (!powerDims.isEmpty()) {
            line("The public Adam-shaped step (SECOND_MOMENT, ε inside) at a = 0.3, which runs cgd4j's "
                    + "vectorised x^a = exp(a·log x), against a = ½, which runs one sqrt (`diagonal.PowerBenchmark`, "
                    + "1 thread). Target (issue 3): a = 0.3 at most " + Format.ratio(TARGET_POWER) + " the time of a = ½. "
                    + "The C columns are the same step in C (gcc -O3 -march=native): sqrt at a = ½, and at a = 0.3 "
                    + "glibc's vectorised pow (libmvec), the reference for what a good library's x^a costs here.");
            line();
            line("| d | precision | a = ½ | a = 0.3 | a = 0.3 / a = ½ | C, a = ½ | C, a = 0.3 | C: a = 0.3 / a = ½ | a = 0.3: C / cgd4j |");
            line("|---|---|---|---|---|---|---|---|---|");
            for (String d : powerDims) {
                for (String precision : PRECISIONS) {
                    double sqrt = power("cgd4j", "0.5", precision, d);
                    double general = power("cgd4j", "0.3", precision, d);
                    double cSqrt = power("c", "0.5", precision, d);
                    double cGeneral = power("c", "0.3", precision, d);
                    line("| " + Format.dimension(d) + " | " + precision + " | " + powerTimed("cgd4j", "0.5", precision, d)
                            + " | " + powerTimed("cgd4j", "0.3", precision, d) + " | " + Format.ratio(general / sqrt) + " | "
                            + powerTimed("c", "0.5", precision, d) + " | " + powerTimed("c", "0.3", precision, d) + " | "
                            + Format.ratio(cGeneral / cSqrt) + " | " + Format.ratio(cGeneral / general) + " |");
                }
            }
            line();
            commands(results.matching(POWER, Map.of()));
        }
        if (!threadDims.isEmpty()) {
            line("Adam on the optimizer's own worker pool (`CgdConfig.withThreads`, `diagonal.ThreadsBenchmark`): "
                    + "both the gradient scan and the step are split. Target (issue 3): 2 threads at least "
                    + Format.ratio(TARGET_THREADS) + " faster than 1 at d = 1e7. The triad columns are the "
                    + "hardware's answer to the same question (`TriadThreadsBenchmark`: the C triad split over 1 "
                    + "or 2 OpenMP threads): a bandwidth-bound step cannot gain more from a second core than "
                    + "the triad does.");
            line();
            line("| d | precision | 1 thread | 2 threads | speed-up | triad, 1 thread | triad, 2 threads | triad speed-up |");
            line("|---|---|---|---|---|---|---|---|");
            for (String d : threadDims) {
                for (String precision : PRECISIONS) {
                    double one = results.nanos(THREADS_STEP, Map.of("threads", "1", "precision", precision, "d", d));
                    double two = results.nanos(THREADS_STEP, Map.of("threads", "2", "precision", precision, "d", d));
                    double triadOne = results.nanos(TRIAD_THREADS, Map.of("threads", "1", "precision", precision, "d", d));
                    double triadTwo = results.nanos(TRIAD_THREADS, Map.of("threads", "2", "precision", precision, "d", d));
                    line("| " + Format.dimension(d) + " | " + precision + " | "
                            + timed(THREADS_STEP, Map.of("threads", "1", "precision", precision, "d", d)) + " | "
                            + timed(THREADS_STEP, Map.of("threads", "2", "precision", precision, "d", d)) + " | "
                            + Format.ratio(one / two) + " | "
                            + timed(TRIAD_THREADS, Map.of("threads", "1", "precision", precision, "d", d)) + " | "
                            + timed(TRIAD_THREADS, Map.of("threads", "2", "precision", precision, "d", d)) + " | "
                            + Format.ratio(triadOne / triadTwo) + " |");
                }
            }
            line();
            commands(results.matching(THREADS_STEP, Map.of()), results.matching(TRIAD_THREADS, Map.of()));
        }
    }

    private String powerTimed(String impl, String power, String precision, String d) {
        return timed(POWER, Map.of("impl", impl, "power", power, "precision", precision, "d", d));
    }

    private double power(String impl, String power, String precision, String d) {
        return results.nanos(POWER, Map.of("impl", impl, "power", power, "precision", precision, "d", d));
    }

    private void adamAgainstC(List<String> dims) {
        line("Adam (a = ½), 1 thread, `diagonal.AdamStepBenchmark`: the C loop (gcc -O3 -march=native); the "
                + "same C loop behind a vectorised check of every gradient that writes nothing when one is NaN, "
                + "infinite or too large (\"C checked\": the contract cgd4j's public step keeps, DESIGN's "
                + "\"check, then commit\"); cgd4j's fused kernel pass alone; cgd4j's public `Optimizer.step` "
                + "(scan, then the pass). Target (issue 3): the public step at most " + Format.ratio(TARGET_C)
                + " the C step. \"C exact\" (where measured) is the C loop under the kernels' own contract: the same "
                + "operations in the same order, no fused multiply-add, the same max(·, 0) (benchmarks/native/adam_exact.c).");
        line();
        line("The PROPAGATE step is the public step under `NonFinitePolicy.PROPAGATE` (no scan: a NaN flows into "
                + "the params as in PyTorch), against the plain C loop: issue 17's target is at most "
                + Format.ratio(TARGET_PROPAGATE) + " C.");
        line();
        // Only the implementations this run measured (the quick run leaves C checked, C exact, the kernel pass
        // and PROPAGATE to the paired table below), and the ratios whose two sides it measured.
        List<String> impls = new ArrayList<>();
        for (String impl : List.of("c", "c-exact", "c-checked", "vector-kernel", "vector", "vector-propagate")) {
            if (!results.matching(ADAM_STEP, Map.of("impl", impl)).isEmpty()) {
                impls.add(impl);
            }
        }
        String[][] ratios = {{"vector-kernel", "c", "kernel / C"}, {"vector-kernel", "c-exact", "kernel / C exact"},
                {"vector", "c", "step / C"}, {"vector", "c-checked", "step / C checked"}, {"vector-propagate", "c", "PROPAGATE / C"}};
        List<String[]> shown = Arrays.stream(ratios).filter(r -> impls.contains(r[0]) && impls.contains(r[1])).toList();
        StringBuilder header = new StringBuilder("| d | precision |");
        for (String impl : impls) {
            header.append(" ").append(ADAM_IMPL_NAMES.get(impl)).append(" |");
        }
        for (String[] r : shown) {
            header.append(" ").append(r[2]).append(" |");
        }
        line(header.toString());
        line("|---|---|" + "---|".repeat(impls.size() + shown.size()));
        for (String d : dims) {
            for (String precision : PRECISIONS) {
                Map<String, String> at = Map.of("precision", precision, "d", d);
                StringBuilder row = new StringBuilder("| " + Format.dimension(d) + " | " + precision + " | ");
                for (String impl : impls) {
                    row.append(timed(ADAM_STEP, with(at, "impl", impl))).append(" | ");
                }
                for (String[] r : shown) {
                    row.append(Format.ratio(adamNanos(at, r[0]) / adamNanos(at, r[1]))).append(" | ");
                }
                line(row.toString().stripTrailing());
            }
        }
        line();
        commands(results.matching(ADAM_STEP, Map.of()));
        adamPairs();
        policies();
    }

    /**
     * Issue 17's Adam targets from AdamPairBenchmark: each Java step and C in alternating blocks of one
     * fork; C on its own page-aligned memory, C heap on the Java step's very memory, and C exact heap
     * there under the kernels' arithmetic contract (the reference under the same contract). A ratio is
     * Σ Java / Σ C over the measured iterations (each on a fresh placement of the heap arrays up to d =
     * 1e4), with the lowest and highest iteration's ratio to C exact heap beside it; a ratio above its
     * target is bold.
     */
    private void adamPairs() {
        List<JmhResult> rows = results.matching(ADAM_PAIR, Map.of());
        if (rows.isEmpty()) {
            return;
        }
        line("**Paired** (`diagonal.AdamPairBenchmark`): the Java step and the C steps it is held against, timed in "
                + "alternating blocks of about 30 µs within one fork, so that all see the same machine state (timed in "
                + "separate forks, C's own Adam loop at f32 d = 1e3 came out 0.30 µs in one fork and 0.66 µs in the "
                + "next). \"C\" is the C loop as a C programmer writes it (gcc contracts to FMA), on page-aligned native "
                + "memory placed the same way in every fork. \"C heap\" is the same loop on the very memory the Java step "
                + "uses (its heap params and gradients, the optimizer's own m and s). \"C exact heap\" is C under the "
                + "same contract as the Java kernels: that memory, their operations in their order without FMA "
                + "contraction, so the same results bit for bit (the benchmark checks this before it times anything). "
                + "Up to d = 1e4 each iteration places fresh heap arrays a further 1032 bytes along, so the ratios "
                + "average over placements: at d = 1e3 the same C loop takes up to 4× as long on one placement of "
                + "the four arrays as on another. Targets (issue 17): kernel ≤ " + Format.ratio(TARGET_KERNEL_C)
                + " C, PROPAGATE step ≤ " + Format.ratio(TARGET_PROPAGATE) + " C, checked step ≤ "
                + Format.ratio(TARGET_CHECKED_C) + " C checked (the checked rows' C sides run behind the same check); "
                + "a ratio above its target is bold.");
        line();
        line("| Java step | d | precision | Java | C | C heap | C exact heap | target | Java / C | Java / C heap "
                + "| Java / C exact heap | per iteration, / C exact heap |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (JmhResult r : rows) {
            double[] java = r.counters().get("javaNanos"), c = r.counters().get("cNanos");
            double[] heap = r.counters().get("cHeapNanos"), exact = r.counters().get("cExactHeapNanos");
            double[] steps = r.counters().get("steps");
            if (java == null || c == null || heap == null || exact == null || steps == null || java.length == 0) {
                continue;
            }
            double javaSum = Arrays.stream(java).sum(), cSum = Arrays.stream(c).sum(), heapSum = Arrays.stream(heap).sum();
            double exactSum = Arrays.stream(exact).sum(), stepSum = Arrays.stream(steps).sum();
            double lowest = Double.POSITIVE_INFINITY, highest = 0;
            for (int i = 0; i < java.length; i++) {
                lowest = Math.min(lowest, java[i] / exact[i]);
                highest = Math.max(highest, java[i] / exact[i]);
            }
            String pair = r.param("pair");
            double target = switch (pair) {
                case "kernel" -> TARGET_KERNEL_C;
                case "propagate" -> TARGET_PROPAGATE;
                default -> TARGET_CHECKED_C;
            };
            String name = switch (pair) {
                case "kernel" -> "kernel pass";
                case "propagate" -> "PROPAGATE step";
                default -> "checked step";
            };
            line("| " + name + " | " + Format.dimension(r.param("d")) + " | " + r.param("precision") + " | "
                    + Format.time(javaSum / stepSum) + " | " + Format.time(cSum / stepSum) + " | " + Format.time(heapSum / stepSum)
                    + " | " + Format.time(exactSum / stepSum) + " | ≤ " + Format.ratio(target)
                    + " | " + against(javaSum / cSum, target) + " | " + against(javaSum / heapSum, target)
                    + " | " + against(javaSum / exactSum, target)
                    + " | " + Format.ratio(lowest) + " – " + Format.ratio(highest) + " |");
        }
        line();
        commands(rows);
    }

    /** A ratio, bold when above its target as printed. */
    private static String against(double ratio, double target) {
        boolean above = Double.isFinite(ratio) && asPrinted(ratio) > target;
        return above ? "**" + Format.ratio(ratio) + "**" : Format.ratio(ratio);
    }

    /** A ratio below 100 as Format.ratio prints it, three significant digits (1.052 is 1.05: on a 1.05 target). */
    private static double asPrinted(double ratio) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3g", ratio));
    }

    /** The unpaired table's column names for AdamStepBenchmark's impls. */
    private static final Map<String, String> ADAM_IMPL_NAMES = Map.of("c", "C", "c-exact", "C exact", "c-checked", "C checked",
            "vector-kernel", "cgd4j kernel", "vector", "cgd4j step", "vector-propagate", "PROPAGATE step");

    /** AdamStepBenchmark's time per step of {@code impl} at the (precision, d) of {@code at}. */
    private double adamNanos(Map<String, String> at, String impl) {
        return results.nanos(ADAM_STEP, with(at, "impl", impl));
    }

    /**
     * Issue 17's policy target: SGD and Adam at d = 1e7 on one thread under THROW (scan, then the pass)
     * and PROPAGATE (the pass alone), against ND4J's same updater from the headline comparison.
     */
    private void policies() {
        policyPairs();
        List<JmhResult> rows = results.matching(POLICY_STEP, Map.of());
        if (rows.isEmpty()) {
            return;
        }
        line("The public step under each non-finite policy (`diagonal.PolicyStepBenchmark`, 1 thread) against ND4J's "
                + "updater (the headline comparison's `Nd4jUpdaterBenchmark`, same d, precision and thread). Target "
                + "(issue 17): SGD under PROPAGATE at least " + Format.ratio(TARGET_SGD_ND4J) + " faster than ND4J at d = 1e7.");
        line();
        line("| optimizer | d | precision | THROW | PROPAGATE | ND4J | THROW speed-up | PROPAGATE speed-up |");
        line("|---|---|---|---|---|---|---|---|");
        for (String optimizer : results.values(POLICY_STEP, "optimizer")) {
            for (String d : results.values(POLICY_STEP, "d")) {
                for (String precision : PRECISIONS) {
                    Map<String, String> key = Map.of("optimizer", optimizer, "d", d, "precision", precision);
                    double throwing = results.nanos(POLICY_STEP, with(key, "policy", "THROW"));
                    double propagating = results.nanos(POLICY_STEP, with(key, "policy", "PROPAGATE"));
                    if (Double.isNaN(throwing) && Double.isNaN(propagating)) {
                        continue;
                    }
                    double nd4j = results.nanos(ND4J_STEP, with(key, "threads", "1"));
                    line("| " + OPTIMIZER_NAMES.getOrDefault(optimizer, optimizer) + " | " + Format.dimension(d) + " | "
                            + precision + " | " + timed(POLICY_STEP, with(key, "policy", "THROW")) + " | "
                            + timed(POLICY_STEP, with(key, "policy", "PROPAGATE")) + " | "
                            + timed(ND4J_STEP, with(key, "threads", "1")) + " | " + Format.ratio(nd4j / throwing) + " | "
                            + Format.ratio(nd4j / propagating) + " |");
                }
            }
        }
        line();
        commands(rows);
    }

    /**
     * Issue 17's SGD target from PolicyPairBenchmark: cgd4j's SGD step under THROW and PROPAGATE and
     * ND4J's SGD, one step of each in turn within one fork; a speed-up is Σ ND4J / Σ cgd4j over the
     * measured iterations, with the lowest and highest iteration's beside it.
     */
    private void policyPairs() {
        List<JmhResult> rows = results.matching(POLICY_PAIR, Map.of());
        if (rows.isEmpty()) {
            return;
        }
        line("SGD's public step under each non-finite policy against ND4J's SGD applied as DL4J applies it "
                + "(`diagonal.PolicyPairBenchmark`, 1 thread): one step of each in turn within one fork, so that all three "
                + "see the same memory bandwidth (in separate forks each side carried ±15–40% at d = 1e7). THROW scans g "
                + "before the pass (one more read of g); PROPAGATE does not. Target (issue 17): SGD under PROPAGATE at "
                + "least " + Format.ratio(TARGET_SGD_ND4J) + " faster than ND4J at d = 1e7; a speed-up below it is bold.");
        line();
        line("| d | precision | THROW | PROPAGATE | ND4J | THROW speed-up | PROPAGATE speed-up | PROPAGATE speed-up per iteration |");
        line("|---|---|---|---|---|---|---|---|");
        for (JmhResult r : rows) {
            double[] throwing = r.counters().get("throwNanos"), propagating = r.counters().get("propagateNanos");
            double[] nd4j = r.counters().get("nd4jNanos"), steps = r.counters().get("steps");
            if (throwing == null || propagating == null || nd4j == null || steps == null || steps.length == 0) {
                continue;
            }
            double t = Arrays.stream(throwing).sum(), p = Arrays.stream(propagating).sum(), n = Arrays.stream(nd4j).sum();
            double count = Arrays.stream(steps).sum();
            double lowest = Double.POSITIVE_INFINITY, highest = 0;
            for (int i = 0; i < nd4j.length; i++) {
                lowest = Math.min(lowest, nd4j[i] / propagating[i]);
                highest = Math.max(highest, nd4j[i] / propagating[i]);
            }
            String speedUp = Format.ratio(n / p);
            boolean below = Double.isFinite(n / p) && asPrinted(n / p) < TARGET_SGD_ND4J;
            line("| " + Format.dimension(r.param("d")) + " | " + r.param("precision") + " | " + Format.time(t / count) + " | "
                    + Format.time(p / count) + " | " + Format.time(n / count) + " | " + Format.ratio(n / t) + " | "
                    + (below ? "**" + speedUp + "**" : speedUp) + " | " + Format.ratio(lowest) + " – " + Format.ratio(highest) + " |");
        }
        line();
        commands(rows);
    }

    /**
     * Issue 13's model-shaped step against a plain Adam step, measured in pairs within one fork (see
     * TrainingLoopBenchmark): the ratio is Σ model / Σ plain over the measured iterations, with the
     * lowest and highest iteration's ratio beside it.
     */
    private void trainingLoop() {
        List<JmhResult> rows = results.matching(TRAINING_PAIR, Map.of());
        if (rows.isEmpty()) {
            return;
        }
        line("## The training loop's cost");
        line();
        line("One step on a model-shaped layout (784×1024, 1024, 1024×256, 256, 256×10, 10: 1.07e6 parameters) with "
                + "two groups (AdamW on the weights, Adam on the biases), global-norm clipping and a warm-up cosine "
                + "schedule (`model`), against one plain Adam step over the same d (`plain`), 1 thread. Each call steps "
                + "both, in alternating order, each on its own arrays, and times each step "
                + "(`training.TrainingLoopBenchmark`): the ratio compares the two in the same fork and iterations. "
                + "Target (issue 13): model ≤ " + Format.ratio(TARGET_MODEL_STEP) + " plain, f32 and f64.");
        line();
        line("| precision | plain | model | model / plain | per iteration | B/pair |");
        line("|---|---|---|---|---|---|");
        for (JmhResult r : rows) {
            double[] plain = r.counters().get("plainNanos"), model = r.counters().get("modelNanos");
            if (plain == null || model == null || plain.length == 0) {
                continue;
            }
            double plainSum = Arrays.stream(plain).sum(), modelSum = Arrays.stream(model).sum();
            double lowest = Double.POSITIVE_INFINITY, highest = 0;
            for (int i = 0; i < plain.length; i++) {
                lowest = Math.min(lowest, model[i] / plain[i]);
                highest = Math.max(highest, model[i] / plain[i]);
            }
            // the pair's time split in the measured proportion (the timer calls are outside both steps)
            double share = plainSum / (plainSum + modelSum);
            line("| " + r.param("precision") + " | " + Format.time(r.nanos() * share) + " | "
                    + Format.time(r.nanos() * (1 - share)) + " | " + Format.ratio(modelSum / plainSum) + " | "
                    + Format.ratio(lowest) + " – " + Format.ratio(highest) + " | " + Format.bytes(r.bytesPerOp()) + " |");
        }
        line();
        commands(rows);
    }

    private static Map<String, String> with(Map<String, String> key, String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(key);
        all.put(name, value);
        return all;
    }

    private List<String> hardwareDims() {
        List<String> dims = new ArrayList<>(dims());
        for (String d : results.values(ADAM_STEP, "d")) {
            if (!dims.contains(d)) {
                dims.add(d);
            }
        }
        for (String d : results.values(TRIAD, "d")) {
            if (!dims.contains(d)) {
                dims.add(d);
            }
        }
        dims.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        return dims;
    }

    private void eigen() throws IOException {
        List<String> sizes = new ArrayList<>(results.values(EIGEN, "n"));
        for (String n : results.values(ND4J_EIGEN, "n")) {
            if (!sizes.contains(n)) {
                sizes.add(n);
            }
        }
        if (sizes.isEmpty()) {
            return;
        }
        sizes.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        line("## Symmetric eigendecomposition (the full-CGD metric refresh)");
        line();
        line("All eigenvalues and eigenvectors of an n×n SPD matrix, one BLAS thread, each call copying the "
                + "matrix into the work buffer first. cgd4j: LAPACK `dsyevd` of the system OpenBLAS through FFM "
                + "(`LinearAlgebraProvider`), and its pure-Java fallback; ND4J: "
                + "`Eigen.symmetricGeneralizedEigenvalues(A, true)` (`dsyev` in its bundled OpenBLAS); EJML "
                + "0.46.1: `DecompositionFactory_DDRM.eig(n, true, true)`. Speed-up = other / cgd4j FFM.");
        line();
        line("| n | cgd4j FFM dsyevd | cgd4j pure Java | ND4J | EJML | ND4J / cgd4j | EJML / cgd4j |");
        line("|---|---|---|---|---|---|---|");
        for (String n : sizes) {
            double ffm = results.nanos(EIGEN, Map.of("impl", "openblas", "n", n));
            double java = results.nanos(EIGEN, Map.of("impl", "java", "n", n));
            double ejml = results.nanos(EIGEN, Map.of("impl", "ejml", "n", n));
            double nd4j = results.nanos(ND4J_EIGEN, Map.of("n", n));
            line("| " + n + " | " + timed(EIGEN, Map.of("impl", "openblas", "n", n)) + " | "
                    + timed(EIGEN, Map.of("impl", "java", "n", n)) + " | " + timed(ND4J_EIGEN, Map.of("n", n))
                    + " | " + timed(EIGEN, Map.of("impl", "ejml", "n", n)) + " | " + Format.ratio(nd4j / ffm) + " | "
                    + Format.ratio(ejml / ffm) + " |");
        }
        line();
        commands(results.matching(EIGEN, Map.of()), results.matching(ND4J_EIGEN, Map.of()));
        List<Plots.Series> series = List.of(
                Plots.series("cgd4j dsyevd (OpenBLAS via FFM)", sizes,
                        n -> results.nanos(EIGEN, Map.of("impl", "openblas", "n", dim(n)))),
                Plots.series("cgd4j pure Java", sizes, n -> results.nanos(EIGEN, Map.of("impl", "java", "n", dim(n)))),
                Plots.series("ND4J dsyev", sizes, n -> results.nanos(ND4J_EIGEN, Map.of("n", dim(n)))),
                Plots.series("EJML", sizes, n -> results.nanos(EIGEN, Map.of("impl", "ejml", "n", dim(n)))));
        String name = "eigen.png";
        if (Plots.write(resultsDir.resolve(name), "Symmetric eigendecomposition (values and vectors)",
                "n", "time per decomposition (ns)", series)) {
            line("![" + name + "](" + link + "/" + name + ")");
            line();
        }
    }

    /** The system OpenBLAS against the bundled jar's, with each kernel set; absent when not measured. */
    private void lapackBuilds() {
        List<String> sizes = results.values(LAPACK_BUILD, "n");
        if (sizes.isEmpty()) {
            return;
        }
        line("## dsyevd: system OpenBLAS against the bundled one");
        line();
        line("The same `dsyevd` through cgd4j's FFM binding on Debian's OpenBLAS 0.3.21 (`libopenblas0-pthread`, "
                + "the system library) and on bytedeco's 0.3.31 (`org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64`, "
                + "what cgd4j loads without root), one thread, with the kernels each build's DYNAMIC_ARCH picks "
                + "under this machine's `OPENBLAS_CORETYPE` (inherited) or forced to Haswell (AVX2) or SkylakeX "
                + "(AVX-512). `benchmarks/…/blas/LapackBuildBenchmark`.");
        line();
        StringBuilder head = new StringBuilder("| library | kernels |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String n : sizes) {
            head.append(" n = ").append(n).append(" |");
            rule.append("---|");
        }
        line(head.toString());
        line(rule.toString());
        for (String library : List.of("system", "bundled")) {
            for (String coretype : List.of("inherited", "Haswell", "SkylakeX")) {
                StringBuilder row = new StringBuilder("| " + library + " | " + coretype + " |");
                for (String n : sizes) {
                    row.append(' ').append(timed(LAPACK_BUILD,
                            Map.of("library", library, "coretype", coretype, "n", n))).append(" |");
                }
                line(row.toString());
            }
        }
        line();
        commands(results.matching(LAPACK_BUILD, Map.of()));
    }

    private void fullStep() throws IOException {
        List<String> sizes = results.values(FULL_STEP, "d");
        if (sizes.isEmpty()) {
            return;
        }
        line("## Full CGD step on each eigensolver");
        line();
        line("One exact full-CGD step (`CgdConfig.fullCgd`, refresh every step) at dimension d, with the "
                + "metric diagonalised by cgd4j's FFM `dsyevd`, its pure-Java solver, EJML or ND4J "
                + "(helper \"full\"'s `FullStepBenchmark`). Targets (issue 4): at d = 512 the step is ≥ 3× "
                + "faster than on ND4J's eigendecomposition and ≥ 5× faster than on EJML's.");
        line();
        line("| d | cgd4j (FFM dsyevd) | pure Java | on ND4J | on EJML | ND4J / cgd4j | EJML / cgd4j |");
        line("|---|---|---|---|---|---|---|");
        for (String d : sizes) {
            double ffm = results.nanos(FULL_STEP, Map.of("eigensolver", "openblas", "d", d));
            double java = results.nanos(FULL_STEP, Map.of("eigensolver", "java", "d", d));
            double nd4j = results.nanos(FULL_STEP, Map.of("eigensolver", "nd4j", "d", d));
            double ejml = results.nanos(FULL_STEP, Map.of("eigensolver", "ejml", "d", d));
            line("| " + d + " | " + timed(FULL_STEP, Map.of("eigensolver", "openblas", "d", d)) + " | "
                    + timed(FULL_STEP, Map.of("eigensolver", "java", "d", d)) + " | "
                    + timed(FULL_STEP, Map.of("eigensolver", "nd4j", "d", d)) + " | "
                    + timed(FULL_STEP, Map.of("eigensolver", "ejml", "d", d)) + " | " + Format.ratio(nd4j / ffm) + " | "
                    + Format.ratio(ejml / ffm) + " |");
        }
        line();
        commands(results.matching(FULL_STEP, Map.of()));
        List<Plots.Series> series = new ArrayList<>();
        for (String solver : List.of("openblas", "java", "nd4j", "ejml")) {
            series.add(Plots.series("full step on " + solver, sizes,
                    d -> results.nanos(FULL_STEP, Map.of("eigensolver", solver, "d", dim(d)))));
        }
        String name = "full-step.png";
        if (Plots.write(resultsDir.resolve(name), "Full CGD step (refresh every step)", "d", "time per step (ns)",
                series)) {
            line("![" + name + "](" + link + "/" + name + ")");
            line();
        }
    }

    /** DL4J's updater phase and whole fit iteration with ND4J's Adam and CgdUpdater.adam; absent when not measured. */
    private void dl4j() {
        List<String> sizes = results.values(DL4J_FIT, "d");
        if (sizes.isEmpty()) {
            return;
        }
        line("## Deeplearning4j: ND4J's Adam against CgdUpdater.adam");
        line();
        line("DL4J 1.0.0-M2.1 with `new Adam(1e-3)` against `CgdUpdater.adam(1e-3)` (the same update up to rounding, "
                + "in place on DL4J's buffers). Updater phase: `applyUpdater` and `params.subi(update)` on one updater "
                + "block of d parameters, as DL4J runs it (`applyUpdater` alone in the next two columns). Iteration: `MultiLayerNetwork.fit` on one synthetic batch "
                + "of 32 rows for a 784→h→h→10 ReLU MLP of about d parameters (forward, backward, updater phase). "
                + "Threads are ND4J's (OMP_NUM_THREADS, `setMaxThreads`); CgdUpdater's step runs on DL4J's thread "
                + "either way. Bytes are allocated on the Java heap per operation (`-prof gc`). Target (issue 15): "
                + "the updater phase ≥ " + Format.ratio(TARGET_DL4J) + " faster at 1e6 parameters. "
                + "`benchmarks/…/dl4j/Dl4jUpdaterBenchmark`.");
        line();
        line("| params | precision | threads | updater phase ND4J | cgd4j | speed-up | applyUpdater ND4J | cgd4j | "
                + "iteration ND4J | cgd4j | iteration saved | bytes/iteration ND4J | cgd4j |");
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String precision : PRECISIONS) {
            for (String d : sizes) {
                for (String threads : THREADS) {
                    Map<String, String> nd4j = Map.of("updater", "nd4j", "precision", precision, "d", d, "threads", threads);
                    Map<String, String> cgd = Map.of("updater", "cgd4j", "precision", precision, "d", d, "threads", threads);
                    double fitNd4j = results.nanos(DL4J_FIT, nd4j);
                    double fitCgd = results.nanos(DL4J_FIT, cgd);
                    double stepNd4j = results.nanos(DL4J_STEP, nd4j);
                    double stepCgd = results.nanos(DL4J_STEP, cgd);
                    // quick runs measure the 2-thread updater phase without fit
                    if (Double.isNaN(fitNd4j) && Double.isNaN(fitCgd) && Double.isNaN(stepNd4j) && Double.isNaN(stepCgd)) {
                        continue;
                    }
                    line("| " + Format.dimension(d) + " | " + precision + " | " + threads + " | " + Format.time(stepNd4j)
                            + " | " + Format.time(stepCgd) + " | " + Format.ratio(stepNd4j / stepCgd) + " | "
                            + Format.time(results.nanos(DL4J_UPDATER, nd4j)) + " | " + Format.time(results.nanos(DL4J_UPDATER, cgd))
                            + " | " + Format.time(fitNd4j) + " | " + Format.time(fitCgd) + " | "
                            + Format.percent((fitNd4j - fitCgd) / fitNd4j) + " | "
                            + Format.bytes(results.bytes(DL4J_FIT, nd4j)) + " | " + Format.bytes(results.bytes(DL4J_FIT, cgd))
                            + " |");
                }
            }
        }
        line();
        commands(results.matching(DL4J_STEP, Map.of()), results.matching(DL4J_UPDATER, Map.of()),
                results.matching(DL4J_FIT, Map.of()));
    }

    /**
     * Issue 17's check: the headline's Adam (the updater comparison, 1 thread) against the engine's own
     * benchmark of the same public step ({@code AdamStepBenchmark} impl = vector), measured in the same
     * run. Each configuration has a second fork in results/agreement/ (run.sh's agreement stage, the two
     * back to back per d); forks of one configuration a few minutes apart differ by more than JMH's
     * within-fork error on this kind of machine, so the noise is that fork-to-fork spread: the two agree
     * when their means (over both forks) differ by at most the larger spread of the two, or by at most
     * the sum of the 99.9% error bars when that is larger. Without second forks, by the error bars alone.
     */
    private void agreement() throws IOException {
        Path secondDir = resultsDir.resolve("agreement");
        Results second = Files.isDirectory(secondDir) ? Results.load(secondDir) : null;
        boolean forks = second != null && !second.isEmpty();
        List<String[]> rows = new ArrayList<>();
        for (String d : results.values(CGD_STEP, "d")) {
            if (Long.parseLong(d) < 100_000) {
                continue;
            }
            for (String precision : PRECISIONS) {
                Map<String, String> headline = params("adam", precision, d, "1");
                Map<String, String> engine = Map.of("impl", "vector", "precision", precision, "d", d);
                double h1 = results.nanos(CGD_STEP, headline), e1 = results.nanos(ADAM_STEP, engine);
                if (!Double.isFinite(h1) || !Double.isFinite(e1)) {
                    continue;
                }
                double errors = results.error(CGD_STEP, headline) + results.error(ADAM_STEP, engine);
                double h2 = forks ? second.nanos(CGD_STEP, headline) : Double.NaN;
                double e2 = forks ? second.nanos(ADAM_STEP, engine) : Double.NaN;
                boolean both = Double.isFinite(h2) && Double.isFinite(e2);
                double h = both ? (h1 + h2) / 2 : h1, e = both ? (e1 + e2) / 2 : e1;
                double spread = both ? Math.max(Math.abs(h1 - h2), Math.abs(e1 - e2)) : Double.NaN;
                double noise = both ? Math.max(spread, errors) : errors;
                String within = Double.isFinite(noise) ? (Math.abs(h - e) <= noise ? "yes" : "**no**") : "—";
                if (forks) {
                    rows.add(new String[] {Format.dimension(d), precision, Format.time(h1) + ", " + Format.time(h2),
                            Format.time(e1) + ", " + Format.time(e2), Format.ratio(h / e),
                            Format.time(spread) + " (" + Format.percent(spread / e) + ")", within});
                } else {
                    rows.add(new String[] {Format.dimension(d), precision, timed(CGD_STEP, headline), timed(ADAM_STEP, engine),
                            Format.ratio(h / e), within});
                }
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        line("### The headline against the engine's own benchmark");
        line();
        if (forks) {
            line("The same public Adam step (1 thread, Vector API kernels) in the updater comparison "
                    + "(`CgdUpdaterBenchmark`, the headline's cgd4j column) and in the engine's own benchmark "
                    + "(`diagonal.AdamStepBenchmark`, impl = vector), each in two forks: the first with its stage "
                    + "above, the second in the agreement stage, where the two run back to back at each d. "
                    + "\"Spread\": the larger difference between the two forks of one configuration (forks minutes "
                    + "apart differ by more than JMH's error bar within a fork here). \"Within noise\": the means "
                    + "differ by at most that spread, or by at most the sum of the 99.9% error bars when larger.");
            line();
            line("| d | precision | headline, forks 1 and 2 | AdamStepBenchmark vector, forks 1 and 2 | ratio of means "
                    + "| fork-to-fork spread | within noise |");
            line("|---|---|---|---|---|---|---|");
        } else {
            line("The same public Adam step (1 thread, Vector API kernels) in the updater comparison "
                    + "(`CgdUpdaterBenchmark`, the headline's cgd4j column) and in the engine's own benchmark "
                    + "(`diagonal.AdamStepBenchmark`, impl = vector), different forks of this run. \"Within noise\": "
                    + "the difference is at most the sum of the two 99.9% error bars.");
            line();
            line("| d | precision | headline (CgdUpdaterBenchmark) | AdamStepBenchmark vector | ratio | within noise |");
            line("|---|---|---|---|---|---|");
        }
        for (String[] row : rows) {
            line("| " + String.join(" | ", row) + " |");
        }
        line();
        commands(results.matching(CGD_STEP, Map.of("optimizer", "adam", "threads", "1")),
                results.matching(ADAM_STEP, Map.of("impl", "vector")));
        if (forks) {
            List<String> stages = new ArrayList<>();
            for (Path file : second.files()) {
                String name = "agreement/" + file.getFileName().toString().replace(".json", "");
                stages.add(runs.find(name).map(stage -> "`" + stage.command() + "`").orElse(name));
            }
            line("Second forks: " + String.join("; ", stages));
            line();
        }
    }

    /** A table per benchmark class the named sections do not read (what helpers added, any future one). */
    private void others() {
        Map<String, List<JmhResult>> byClass = new LinkedHashMap<>();
        for (String benchmark : results.benchmarks()) {
            if (SECTIONED.contains(benchmark)) {
                continue;
            }
            String type = benchmark.substring(0, benchmark.indexOf('.'));
            byClass.computeIfAbsent(type, k -> new ArrayList<>()).addAll(results.matching(benchmark, Map.of()));
        }
        if (byClass.isEmpty()) {
            return;
        }
        line("## Other benchmarks");
        line();
        line("Each as JMH measured it: average time per call with its 99.9% error, bytes allocated per call.");
        line();
        for (Map.Entry<String, List<JmhResult>> entry : byClass.entrySet()) {
            List<JmhResult> rows = entry.getValue();
            List<String> paramNames = new ArrayList<>();
            boolean methods = rows.stream().map(JmhResult::benchmark).distinct().count() > 1;
            for (JmhResult r : rows) {
                for (String name : r.params().keySet()) {
                    if (!paramNames.contains(name)) {
                        paramNames.add(name);
                    }
                }
            }
            line("### " + entry.getKey());
            line();
            line(DESCRIPTIONS.getOrDefault(entry.getKey(), "`" + entry.getKey() + "` (no description in BenchmarkReport)."));
            line();
            StringBuilder head = new StringBuilder("|" + (methods ? " method |" : ""));
            StringBuilder rule = new StringBuilder("|" + (methods ? "---|" : ""));
            for (String name : paramNames) {
                head.append(' ').append(name).append(" |");
                rule.append("---|");
            }
            line(head + " time | B/call |");
            line(rule + "---|---|");
            for (JmhResult r : rows) {
                StringBuilder row = new StringBuilder("|");
                if (methods) {
                    row.append(' ').append(r.benchmark().substring(r.benchmark().indexOf('.') + 1)).append(" |");
                }
                for (String name : paramNames) {
                    String value = r.param(name);
                    row.append(' ').append(value == null ? Format.MISSING
                            : name.equals("d") ? Format.dimension(value) : value).append(" |");
                }
                line(row + " " + Format.time(r.nanos(), r.errorNanos()) + " | " + Format.bytes(r.bytesPerOp()) + " |");
            }
            line();
            commands(rows);
        }
    }

    /** The Spark job's own Markdown (spark-logistic.md, written by run.sh from the job's output). */
    private void spark() throws IOException {
        Path file = resultsDir.resolve("spark-logistic.md");
        if (!Files.exists(file)) {
            return;
        }
        line("## Data-parallel logistic regression on Spark");
        line();
        line("CgdSpark (Adam, full CGD) against MLlib's L-BFGS on a synthetic logistic regression, `local[2]` "
                + "(`spark/…/bench/SparkLogisticBenchmark`): a whole-job timing, not JMH.");
        line();
        md.append(Files.readString(file).strip()).append('\n');
        line();
        runs.find("spark").ifPresent(stage -> {
            line("Command: `" + stage.command() + "`");
            line();
        });
    }

    /** How long each stage of the run took (runs.tsv): the 20-minute budget of `make bench`, checked. */
    private void stages() {
        if (runs.stages().isEmpty()) {
            return;
        }
        line("## How long each stage took");
        line();
        line("Wall-clock and CPU time (user + system, every process of the stage: the JMH forks, their JIT "
                + "and GC threads, the 2-thread configurations' second worker). The wall time depends on what "
                + "else ran on the machine (load average above); the CPU time hardly does, and on a quiet "
                + "2-core machine the wall time lies between half the CPU time and the CPU time.");
        line();
        line("| stage | start (UTC) | wall | CPU |");
        line("|---|---|---|---|");
        for (Runs.Stage stage : runs.stages()) {
            line("| " + stage.name() + " | " + stage.start() + " | " + minutes(stage.seconds()) + " | "
                    + minutes(stage.cpuSeconds()) + " |");
        }
        line("| **all stages** | | **" + minutes(runs.totalSeconds()) + "** | **" + minutes(runs.totalCpuSeconds()) + "** |");
        line();
    }

    /** The JMH commands (benchmarks/run.sh's, from runs.tsv) that produced these results. */
    @SafeVarargs
    private void commands(List<JmhResult>... used) {
        List<String> names = new ArrayList<>();
        for (List<JmhResult> list : used) {
            for (JmhResult r : list) {
                String file = r.file().getFileName().toString();
                String name = file.substring(0, file.length() - ".json".length());
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        if (names.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            lines.add(runs.find(name).map(stage -> "`" + stage.command() + "`")
                    .orElse("[" + name + ".json](" + link + "/" + name + ".json) (no runs.tsv: command not recorded)"));
        }
        line((lines.size() == 1 ? "Command: " : "Commands: ") + String.join("; ", lines));
        line();
    }

    private String timed(String benchmark, Map<String, String> params) {
        return Format.time(results.nanos(benchmark, params), results.error(benchmark, params));
    }

    private static String minutes(long seconds) {
        return seconds < 60 ? seconds + " s" : String.format(java.util.Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
    }

    private void method() {
        line("## How these numbers are taken");
        line();
        line("- JMH average time per operation, one fork per configuration, with the warm-up and measurement "
                + "given above (a quick configuration so that `make bench` stays under 20 minutes on 2 cores; "
                + "`make bench ARGS=full` measures longer). \"±\" is JMH's 99.9% error of the measurement "
                + "iterations, as a share of the time (the spread within one fork; forks on a shared machine "
                + "differ by more).");
        line("- Where two steps are compared against a target (Java against C, cgd4j's SGD against ND4J's, the "
                + "training loop's two steps), both run in one fork in alternating blocks (the \"paired\" tables), and "
                + "the ratio is of their sums over the measured iterations: forks minutes apart see a different "
                + "machine. The headline's agreement check runs a second fork of each of its two configurations "
                + "(results/agreement/) to measure that fork-to-fork spread.");
        line("- Every configuration warms at its own size before JMH's warm-up iterations "
                + "(`benchmarks/…/WarmUp.java`, in the trial set-up): it calls the measured operation until, "
                + "twice in a row over ≥ 250 ms, no JIT compilation finished and (for cgd4j and the C references) "
                + "a call allocated nothing beyond JMH's background; the log of each run has the line. The "
                + "updater comparison also primes each trial at d = 256 with a step at the measured d every 400 "
                + "small steps, so that C2 compiles the branches the measured d takes: priming at a small d alone "
                + "left d = 1e7 trapping back to C1 (2-3× slower, megabytes allocated per step).");
        line("- ND4J runs in the same Java 25 JVM as cgd4j would (JavaCPP 1.5.7 works on JDK 25 with "
                + "`--enable-native-access=ALL-UNNAMED`; `--sun-misc-unsafe-memory-access=allow` silences "
                + "its sun.misc.Unsafe warning), with the linux-x86_64-avx2 natives of nd4j-native. Threads: "
                + "OMP_NUM_THREADS and OPENBLAS_NUM_THREADS are set for each JMH run and "
                + "`Nd4j.getEnvironment().setMaxThreads/setMaxMasterThreads(threads)` in the set-up. In ND4J's "
                + "favour its forks run with `-Dorg.bytedeco.javacpp.maxPhysicalBytes=0`, which stops "
                + "JavaCPP from reading the process's resident size on ND4J's per-op native allocations.");
        line("- ND4J's `applyUpdater` overwrites the gradient with the update, so the gradient is restored "
                + "from a copy before every call in an untimed `Level.Invocation` set-up (in DL4J, "
                + "back-propagation writes it); that adds JMH's per-call time-stamping, tens of "
                + "nanoseconds, to ND4J's times. cgd4j only reads the gradient.");
        line("- Gradients have magnitudes in [0.5, 1) so no average becomes subnormal.");
        line("- Bytes per step are JMH's gc.alloc.rate.norm (`-prof gc`).");
        line();
    }

    // ---- helpers ----

    private List<String> dims() {
        List<String> dims = new ArrayList<>(results.values(CGD_STEP, "d"));
        for (String d : results.values(ND4J_STEP, "d")) {
            if (!dims.contains(d)) {
                dims.add(d);
            }
        }
        dims.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        return dims;
    }

    private List<JmhResult> all(String benchmark) {
        List<JmhResult> out = new ArrayList<>();
        for (String optimizer : OPTIMIZERS) {
            for (String precision : PRECISIONS) {
                for (String threads : THREADS) {
                    for (String d : dims()) {
                        results.find(benchmark, params(optimizer, precision, d, threads)).ifPresent(out::add);
                    }
                }
            }
        }
        return out;
    }

    /** Every measured cgd4j step whose allocation the headline vouches for. */
    private List<JmhResult> cgd4jSteps() {
        List<JmhResult> steps = new ArrayList<>(all(CGD_STEP));
        steps.addAll(results.matching(POWER, Map.of("impl", "cgd4j")));
        steps.addAll(results.matching(THREADS_STEP, Map.of()));
        steps.addAll(results.matching(ADAM_STEP, Map.of("impl", "vector")));
        steps.addAll(results.matching(ADAM_STEP, Map.of("impl", "vector-kernel")));
        return steps;
    }

    private static String describe(JmhResult r) {
        if (!r.benchmark().equals(CGD_STEP)) {
            return r.benchmark().replace(".step", "") + " " + r.params() + ", " + Format.time(r.nanos()) + " per step";
        }
        return OPTIMIZER_NAMES.getOrDefault(r.param("optimizer"), r.param("optimizer")) + " " + r.param("precision")
                + ", d = " + Format.dimension(r.param("d")) + ", " + r.param("threads") + " thread(s), "
                + Format.time(r.nanos()) + " per step";
    }

    private static String dim(double d) {
        return Long.toString((long) d);
    }

    private static Map<String, String> params(String optimizer, String precision, String d, String threads) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("optimizer", optimizer);
        p.put("precision", precision);
        p.put("d", d);
        p.put("threads", threads);
        return p;
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private void line() {
        md.append('\n');
    }
}
