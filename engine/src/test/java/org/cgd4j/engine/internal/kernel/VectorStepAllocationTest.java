package org.cgd4j.engine.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Once C2 has compiled it, a Vector API step on heap arrays allocates nothing: no vector is boxed. A
 * boxed path costs 96 bytes and several times the time per vector, and it has come from code the
 * kernels call (a helper taking vectors that C2 declined to inline, a tail method left with C1), so
 * each case runs in a fresh JVM whose JIT has seen only that optimizer ({@link StepAllocationProbe}).
 * Cases: tails of 8 floats and 3 doubles (the last vector computed before the loop), the decay flavour, steps alternating between the plain
 * and the clipped loops (where a loop compiled second once boxed every vector), the power a = 1 and a
 * general power (block by block), params and gradients in native segments (the segment loops), and
 * steps at d = 1000 after C2 compiled the step while steps at d = 256 dominated (the scan's last vectors
 * then run on paths the profile saw rarely; a mask-returning helper there was boxed, 144 bytes a step).
 */
class VectorStepAllocationTest {

    @ParameterizedTest(name = "{0} {1} d={2} {3}")
    @CsvSource({"adam, f32, 1000, ''", "adam, f64, 1003, ''", "adamw, f32, 4099, ''", "adam, f32, 4099, clip",
            "cgd-a1, f64, 4099, clip", "cgd-a0.3, f32, 1000, clip", "adam, f32, 1000, segment", "adamw, f64, 4099, segment",
            "adam, f32, 1000, primed"})
    void aWarmStepAllocatesNothing(String preset, String precision, int d, String clip) throws Exception {
        assumeTrue(KernelLookup.fallbackReason().isEmpty() && KernelLookup.kernels().name().equals("vector"),
                "the Vector API kernels are not in use here");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StepAllocationProbe.class.getName(), preset, precision,
                String.valueOf(d), clip).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("child finished").isTrue();
        assertThat(child.exitValue()).as("child output: %s", out).isZero();
        long least = Long.parseLong(out.substring(out.lastIndexOf(':') + 1).trim());
        assertThat(least).as("fewest bytes any window of %d warm steps allocated; output: %s", StepAllocationProbe.WINDOW, out)
                .isLessThan(StepAllocationProbe.NOTHING);
    }
}
