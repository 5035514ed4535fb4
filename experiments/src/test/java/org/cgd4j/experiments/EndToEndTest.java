package org.cgd4j.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.cgd4j.experiments.report.Json;
import org.cgd4j.experiments.run.OptimizerKind;
import org.cgd4j.experiments.run.Suite;
import org.cgd4j.experiments.tune.TunedFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cgd4j tune` then `cgd4j reproduce` on tiny budgets: the files exist and are well-formed. */
class EndToEndTest {
    private static final String TINY = "--steps=40 --starts=3 --held-out=64 --batch=8 --threads=2 --no-progress";

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static int cli(String args, StringBuilder out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            System.setErr(ps);
            int code = Cgd4j.commandLine().execute(args.split(" +"));
            out.append(bytes.toString(StandardCharsets.UTF_8));
            return code;
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Test
    void tuneThenReproduceWritesWellFormedResults(@TempDir Path dir) throws Exception {
        Path tuned = dir.resolve("tuned/hyperparameters-v1.json");
        StringBuilder log = new StringBuilder();
        int code = cli("tune " + TINY + " --configs=3 --eta=3 --rungs=2 --tuning-seeds=1 --study-seeds=1 --output=" + tuned, log);
        assertThat(code).as(log.toString()).isZero();
        TunedFile file = TunedFile.read(tuned);
        Map<String, Suite> suites = Map.of("rosenbrock", Suite.PAPER, "multiplication", Suite.PAPER, "digits", Suite.REAL_DATA);
        for (String problem : suites.keySet()) {
            for (OptimizerKind k : OptimizerKind.defaultsFor(suites.get(problem))) {
                if (k == OptimizerKind.KRONECKER_CGD && problem.equals("rosenbrock")) {
                    assertThat(file.get(problem, k)).as("no tensors on Rosenbrock: skipped").isNull();
                    continue;
                }
                assertThat(file.get(problem, k)).as(problem + " " + k).isNotNull();
                assertThat(file.get(problem, k).steps()).isEqualTo(40);
            }
        }
        assertThat(file.get("digits", OptimizerKind.FULL_CGD)).isNull();
        // exact, TRACKED and STALE with k = 10 and 20, per problem with full CGD
        assertThat(file.refreshStudy()).hasSize(2 * 5);

        // tuning one optimizer on one problem again keeps every other entry of the file
        log.setLength(0);
        code = cli("tune " + TINY + " --problems=digits --optimizers=adam --configs=1 --rungs=1 --tuning-seeds=1 --output="
                + tuned, log);
        assertThat(code).as(log.toString()).isZero();
        assertThat(log).contains("the entries not tuned now were kept");
        TunedFile merged = TunedFile.read(tuned);
        assertThat(merged.get("rosenbrock", OptimizerKind.FULL_CGD)).isEqualTo(file.get("rosenbrock", OptimizerKind.FULL_CGD));
        assertThat(merged.get("digits", OptimizerKind.ADAMW)).isEqualTo(file.get("digits", OptimizerKind.ADAMW));
        assertThat(merged.refreshStudy()).hasSize(2 * 5);
        assertThat((List<?>) merged.info().get(TunedFile.LATER_RUNS)).hasSize(1);

        Path results = dir.resolve("results");
        log.setLength(0);
        code = cli("reproduce " + TINY + " --seeds=2 --trajectory-steps=25 --hyperparameters=" + tuned + " --output=" + results, log);
        assertThat(code).as(log.toString()).isZero();
        assertThat(log).contains("| Adam |", "| Diagonal CGD |", "steps to 1e-03");
        assertThat(log).contains("| Full CGD |", "Refresh study");
        assertThat(log).contains("| AdamW |", "steps to Adam's best", "Full CGD is not run: out of reach at d = 26122");

        List<String> loss = Files.readAllLines(results.resolve("loss-curves.csv"));
        assertThat(loss.getFirst()).isEqualTo("problem,optimizer,seed,step,loss");
        // every step 0..40 is recorded (dense early schedule; digits: 100 even intervals): problems ×
        // optimizers × seeds × 41 rows, plus the short-memory full-CGD variant on multiplication
        int digitsKinds = OptimizerKind.defaultsFor(Suite.REAL_DATA).size();
        // (Rosenbrock 7 optimizers, multiplication 8 with Kronecker CGD)
        assertThat(loss).hasSize(1 + (7 + 8) * 2 * 41 + 2 * 41 + digitsKinds * 2 * 41);
        assertThat(log).contains("Kronecker CGD beside full CGD", "| Kronecker / full |");
        List<String> heldOut = Files.readAllLines(results.resolve("heldout-curves.csv"));
        assertThat(heldOut.getFirst()).isEqualTo("problem,optimizer,seed,step,train_cpu_seconds,train_wall_seconds,loss,accuracy");
        assertThat(heldOut).hasSize(1 + digitsKinds * 2 * 41).anyMatch(r -> r.startsWith("digits,adamw,2,40,"));
        assertThat(loss).anyMatch(r -> r.startsWith("multiplication,full-cgd-tau2-100,1,40,"));
        for (String row : loss.subList(1, loss.size())) {
            String[] f = row.split(",", -1);
            assertThat(f).hasSize(5);
            Double.parseDouble(f[4]);
        }
        assertThat(loss).anyMatch(r -> r.startsWith("multiplication,diagonal-cgd,2,40,"));
        List<String> traj = Files.readAllLines(results.resolve("trajectories.csv"));
        assertThat(traj.getFirst()).isEqualTo("optimizer,step,x,y");
        assertThat(traj).contains("adam,0,-1.5,2.0");
        assertThat(loss).anyMatch(r -> r.startsWith("multiplication,full-cgd,2,40,"));
        assertThat(Files.readAllLines(results.resolve("spectrum.csv"))).anyMatch(r -> r.contains(",effective_dimension,"))
                .anyMatch(r -> r.startsWith("multiplication,full-cgd,1,40,eigenvalue,65,"));

        @SuppressWarnings("unchecked")
        Map<String, Object> summary = (Map<String, Object>) Json.parse(Files.readString(results.resolve("summary.json")));
        assertThat(summary).containsKeys("environment", "command", "problems", "files");
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) summary.get("environment");
        assertThat(env).containsKeys("java.version", "kernels", "blas");
        List<?> problems = (List<?>) summary.get("problems");
        assertThat(problems).hasSize(3);
        @SuppressWarnings("unchecked")
        Map<String, Object> digitsHeldOut = (Map<String, Object>) ((Map<?, ?>) problems.get(2)).get("heldOut");
        assertThat(digitsHeldOut).containsKeys("adamBestLoss", "optimizers", "notRun");
        @SuppressWarnings("unchecked")
        Map<String, Object> cgdHeldOut = (Map<String, Object>) ((Map<?, ?>) digitsHeldOut.get("optimizers")).get("diagonal-cgd");
        assertThat(cgdHeldOut).containsKeys("stepsToAdamBest", "cpuSecondsToAdamBest", "finalAccuracyMean");
        Map<?, ?> rosen = (Map<?, ?>) problems.getFirst();
        Map<?, ?> adam = (Map<?, ?>) ((Map<?, ?>) rosen.get("optimizers")).get("adam");
        assertThat(adam.get("hyperparametersSource")).isEqualTo("tuned");
        assertThat(adam.get("seeds")).isEqualTo(List.of(1L, 2L));
        assertThat((List<?>) adam.get("finalLoss")).hasSize(2);

        for (String png : List.of("loss-rosenbrock.png", "loss-multiplication.png", "trajectories-rosenbrock.png",
                "spectrum-multiplication.png", "spectrum-multiplication-full-cgd-tau2-100.png",
                "effective-dimension-multiplication.png", "loss-digits.png", "loss-time-digits.png", "accuracy-digits.png",
                "accuracy-time-digits.png")) {
            BufferedImage img = ImageIO.read(results.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).as(png).isGreaterThan(100);
        }
        assertThat(Files.readString(results.resolve("table.md"))).contains("| optimizer |");
    }

    @Test
    void badArgumentsAreRefusedWithAMessage(@TempDir Path dir) {
        StringBuilder log = new StringBuilder();
        assertThat(cli("reproduce --optimizers=lion --no-progress --output=" + dir, log)).isNotZero();
        assertThat(log).contains("unknown optimizer 'lion'");
        log.setLength(0);
        assertThat(cli("reproduce --problems=mnist --no-progress --output=" + dir, log)).isNotZero();
        assertThat(log).contains("unknown problem 'mnist'").doesNotContain("at org.cgd4j");
        log.setLength(0);
        assertThat(cli("reproduce --starts=0 --no-progress --output=" + dir, log)).isEqualTo(2);
        assertThat(log.toString().trim()).isEqualTo("cgd4j reproduce: starts must be >= 1, got 0");
    }
}
