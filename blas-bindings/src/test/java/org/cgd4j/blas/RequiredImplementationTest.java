package org.cgd4j.blas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * When the build requires an implementation ({@code -Dcgd4j.blas=native}, set by the Makefile and CI
 * whenever OpenBLAS is installed; or {@code java} in the fallback run), the provider really chose it:
 * a silent fallback fails the build.
 */
class RequiredImplementationTest {

    @Test
    void providerHonoursTheRequiredImplementation() {
        String required = System.getProperty(LinearAlgebraProvider.IMPLEMENTATION_PROPERTY, "");
        LinearAlgebraReport report = LinearAlgebraProvider.report();
        switch (required) {
            case "native" -> {
                assertThat(report.isNative()).as("native required, got %s", report).isTrue();
                assertThat(LinearAlgebraProvider.get().name()).isEqualTo(report.implementation()).contains("FFM");
                assertThat(report.library()).isPresent();
                assertThat(report.fallbackReason()).isEmpty();
                assertThat(report.threads()).as("OpenBLAS threads default").isIn(0, 1);
            }
            case "java" -> {
                assertThat(report.isNative()).isFalse();
                assertThat(LinearAlgebraProvider.get()).isSameAs(LinearAlgebraProvider.pureJava());
                assertThat(report.fallbackReason()).hasValueSatisfying(r -> assertThat(r).contains("forced"));
            }
            default -> assertThat(report.implementation()).isEqualTo(LinearAlgebraProvider.get().name());
        }
    }
}
