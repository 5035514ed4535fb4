package org.cgd4j.engine.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lookup chain in fresh JVMs (it runs once per JVM): fallback with one warning when the Vector
 * API module is missing, a forced choice honoured or refused loudly, a bad property value refused.
 */
class KernelLookupTest {

    @Test
    void withoutTheModuleTheScalarKernelsRunAfterOneWarning() throws Exception {
        Result r = probe(false, null);
        assertThat(r.stdout).contains("chosen: scalar (fallback: module jdk.incubator.vector is not in the boot layer");
        assertThat(r.stderr).containsOnlyOnce("WARNING").contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void forcedVectorWithoutTheModuleThrows() throws Exception {
        Result r = probe(false, "vector");
        assertThat(r.stdout).contains("refused: IllegalStateException: -Dcgd4j.kernels=vector cannot be honoured")
                .contains("--add-modules jdk.incubator.vector");
    }

    @Test
    void forcedScalarIsHonouredEvenWithTheModule() throws Exception {
        Result r = probe(true, "scalar");
        assertThat(r.stdout).contains("chosen: scalar (forced by -Dcgd4j.kernels=scalar)");
    }

    @Test
    void withTheModuleTheVectorKernelsRun() throws Exception {
        Result r = probe(true, "vector");
        assertThat(r.stdout).containsPattern("chosen: vector \\(\\d+-bit: \\d+ doubles, \\d+ floats\\)");
    }

    @Test
    void aBadPropertyValueIsRefused() throws Exception {
        Result r = probe(true, "simd");
        assertThat(r.stdout).contains("refused: IllegalArgumentException: cgd4j.kernels must be 'vector' or 'scalar', got 'simd'");
    }

    record Result(String stdout, String stderr) {}

    static Result probe(boolean vectorModule, String forced) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (vectorModule) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        if (forced != null) {
            cmd.add("-Dcgd4j.kernels=" + forced);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LookupProbe.class.getName());
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
