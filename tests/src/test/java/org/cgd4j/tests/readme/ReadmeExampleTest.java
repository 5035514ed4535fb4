package org.cgd4j.tests.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's "Training a model" example runs, learns, and is quoted in README exactly as compiled here. */
class ReadmeExampleTest {

    @Test
    void theExampleTrainsAndResumes(@TempDir Path dir) throws Exception {
        double start = TrainingExample.loss(new double[36]);
        double end = TrainingExample.train(dir.resolve("opt.ckpt"));
        assertThat(end).as("final loss against the loss at zero params (%s)", start).isLessThan(start * 0.05);
    }

    @Test
    void readmeQuotesTheCompiledExample() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md"))) {
            root = root.getParent();
        }
        String source = Files.readString(root.resolve("tests/src/test/java/org/cgd4j/tests/readme/TrainingExample.java"));
        String example = source.substring(source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
                source.indexOf("        // README-END"));
        String dedented = example.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(Files.readString(root.resolve("README.md"))).as("README's Training a model block").contains(dedented);
    }
}
