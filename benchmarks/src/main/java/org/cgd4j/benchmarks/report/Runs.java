package org.cgd4j.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * benchmarks/results/runs.tsv as benchmarks/run.sh writes it: one line per stage of the run (the
 * build, each JMH run, the Spark job), tab-separated: name (for a JMH run, the stem of its JSON
 * file), start time (UTC, HH:MM:SS), wall-clock seconds, CPU seconds (user + system of every process
 * of the stage), and the command it ran.
 */
record Runs(List<Stage> stages) {
    /** One stage of the run. */
    record Stage(String name, String start, long seconds, long cpuSeconds, String command) {}

    Runs {
        stages = List.copyOf(stages);
    }

    /** The stages in {@code file}, none when it does not exist (results from before runs.tsv). */
    static Runs load(Path file) throws IOException {
        List<Stage> stages = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Runs(stages);
        }
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", 5);
            if (fields.length != 5) {
                throw new IOException(file + " line " + number + ": expected 5 tab-separated fields, got " + fields.length);
            }
            try {
                stages.add(new Stage(fields[0], fields[1], Long.parseLong(fields[2].trim()), Long.parseLong(fields[3].trim()),
                        fields[4]));
            } catch (NumberFormatException e) {
                throw new IOException(file + " line " + number + ": wall or CPU time is not a whole number of seconds: "
                        + fields[2] + ", " + fields[3], e);
            }
        }
        return new Runs(stages);
    }

    /** The stage named {@code name} (a JMH JSON file's stem). */
    Optional<Stage> find(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    long totalSeconds() {
        return stages.stream().mapToLong(Stage::seconds).sum();
    }

    long totalCpuSeconds() {
        return stages.stream().mapToLong(Stage::cpuSeconds).sum();
    }
}
