package org.cgd4j.dl4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * README's "Using cgd4j from DL4J" example runs (the digits: 5 epochs, save, restore, one more; held-out
 * accuracy ≥ 93 %), and README quotes the compiled block exactly.
 */
class ReadmeExampleTest {

    @Test
    void theExampleTrainsSavesAndRestores(@TempDir Path dir) throws Exception {
        DataSet[] split = Digits.split(DataType.DOUBLE);
        MultiLayerNetwork restored = ReadmeExample.train(split[0].batchBy(100), 5, dir.resolve("net.zip").toFile());
        assertThat(restored.getIterationCount()).isEqualTo(6 * 15);
        assertThat(Digits.accuracy(restored, split[1])).isGreaterThanOrEqualTo(0.93);
    }

    @Test
    void readmeQuotesTheCompiledExample() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("README.md"))) {
            root = root.getParent();
        }
        String source = Files.readString(root.resolve("dl4j/src/test/java/org/cgd4j/dl4j/ReadmeExample.java"));
        String example = source.substring(source.indexOf("// README-BEGIN\n") + "// README-BEGIN\n".length(),
                source.indexOf("        // README-END"));
        String dedented = example.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(Files.readString(root.resolve("README.md"))).as("README's Using cgd4j from DL4J block").contains(dedented);
    }
}
