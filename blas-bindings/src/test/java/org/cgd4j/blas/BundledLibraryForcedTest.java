package org.cgd4j.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * In the surefire run with {@code -Dcgd4j.blas.library=bundled} (the {@code bundled-forced}
 * execution): the JVM's choice is the OpenBLAS extracted from bytedeco's jar, and the system library
 * was never mapped, so the contract tests of that run exercised the bundled build alone.
 */
class BundledLibraryForcedTest {

    @Test
    void theBundledLibraryIsChosenAndTheSystemOneNeverLoaded() throws IOException {
        assumeTrue(LinearAlgebraProvider.BUNDLED.equals(System.getProperty(LinearAlgebraProvider.LIBRARY_PROPERTY)),
                "only in the run that forces the bundled library");
        LinearAlgebraReport report = LinearAlgebraProvider.report();
        assertThat(report.isNative()).isTrue();
        String cache = System.getProperty("cgd4j.blas.cache");
        assertThat(report.library()).hasValueSatisfying(lib -> assertThat(Path.of(lib))
                .startsWith(Path.of(cache)).hasFileName("libopenblas.so.0"));
        assertThat(report.openblasConfig()).hasValueSatisfying(c -> assertThat(c).contains("OpenBLAS 0.3.31"));
        assertThat(report.attempts()).hasSize(1);
        assertThat(report.attempts().getFirst().source()).startsWith("system property cgd4j.blas.library=bundled (")
                .contains("org.bytedeco:openblas:" + LinearAlgebraProvider.BUNDLED_VERSION + ":linux-x86_64");
        String maps = Files.readString(Path.of("/proc/self/maps"));
        assertThat(maps.lines().filter(l -> l.contains("libopenblas")).map(l -> l.substring(l.indexOf('/'))))
                .isNotEmpty().allMatch(file -> Path.of(file).startsWith(Path.of(cache)));
    }
}
