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
        for (String problem : List.of("rosenbrock", "multiplication")) {
            for (OptimizerKind k : OptimizerKind.values()) {
                assertThat(file.get(problem, k)).as(problem + " " + k).isNotNull();
                assertThat(file.get(problem, k).steps()).isEqualTo(40);
            }
        }
        // exact, TRACKED and STALE with k = 10 and 20, per problem
        assertThat(file.refreshStudy()).hasSize(2 * 5);

        Path results = dir.resolve("results");
        log.setLength(0);
        code = cli("reproduce " + TINY + " --seeds=2 --trajectory-steps=25 --hyperparameters=" + tuned + " --output=" + results, log);
        assertThat(code).as(log.toString()).isZero();
        assertThat(log).contains("| Adam |", "| Diagonal CGD |", "steps to 1e-03");
        assertThat(log).contains("| Full CGD |", "Refresh study");

        List<String> loss = Files.readAllLines(results.resolve("loss-curves.csv"));
        assertThat(loss.getFirst()).isEqualTo("problem,optimizer,seed,step,loss");
        // every step 0..40 is recorded (dense early schedule): problems × optimizers × seeds × 41 rows,
        // plus the short-memory full-CGD variant on multiplication
        assertThat(loss).hasSize(1 + 2 * 7 * 2 * 41 + 2 * 41);
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
        assertThat(problems).hasSize(2);
        Map<?, ?> rosen = (Map<?, ?>) problems.getFirst();
        Map<?, ?> adam = (Map<?, ?>) ((Map<?, ?>) rosen.get("optimizers")).get("adam");
        assertThat(adam.get("hyperparametersSource")).isEqualTo("tuned");
        assertThat(adam.get("seeds")).isEqualTo(List.of(1L, 2L));
        assertThat((List<?>) adam.get("finalLoss")).hasSize(2);

        for (String png : List.of("loss-rosenbrock.png", "loss-multiplication.png", "trajectories-rosenbrock.png",
                "spectrum-multiplication.png", "spectrum-multiplication-full-cgd-tau2-100.png",
                "effective-dimension-multiplication.png")) {
            BufferedImage img = ImageIO.read(results.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).as(png).isGreaterThan(100);
        }
        assertThat(Files.readString(results.resolve("table.md"))).contains("| optimizer |");
    }

    @Test
    void badArgumentsAreRefusedWithAMessage(@TempDir Path dir) {
        StringBuilder log = new StringBuilder();
        assertThat(cli("reproduce --optimizers=adamw --no-progress --output=" + dir, log)).isNotZero();
        assertThat(log).contains("unknown optimizer 'adamw'");
        log.setLength(0);
        assertThat(cli("reproduce --problems=mnist --no-progress --output=" + dir, log)).isNotZero();
        assertThat(log).contains("unknown problem 'mnist'").doesNotContain("at org.cgd4j");
        log.setLength(0);
        assertThat(cli("reproduce --starts=0 --no-progress --output=" + dir, log)).isEqualTo(2);
        assertThat(log.toString().trim()).isEqualTo("cgd4j reproduce: starts must be >= 1, got 0");
    }
}
