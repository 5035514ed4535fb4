package org.cgd4j.engine.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fused loops under {@code internal/kernel/generated} are the output of
 * tools/kernelgen/KernelGen.java, checked in. This test runs the generator in check mode (the
 * JDK's source launcher, this JVM's java) and fails when regenerating would change any file: a
 * hand edit of the output, or a generator change whose output was not regenerated.
 */
class GeneratedLoopsTest {

    @Test
    void checkedInLoopsAreTheGeneratorsOutput() throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("tools/kernelgen/KernelGen.java"))) {
            root = root.getParent();
        }
        assertThat(root).as("repository root with tools/kernelgen/KernelGen.java above " + Path.of("").toAbsolutePath()).isNotNull();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "tools/kernelgen/KernelGen.java", "--check")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("generator finished").isTrue();
        assertThat(p.exitValue()).as("java tools/kernelgen/KernelGen.java --check said:%n%s", output).isZero();
    }
}
