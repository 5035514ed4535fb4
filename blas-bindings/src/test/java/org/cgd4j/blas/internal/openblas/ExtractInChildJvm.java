package org.cgd4j.blas.internal.openblas;

import java.nio.file.Path;

/**
 * Child-JVM entry point for {@link BundledOpenBlasTest}: waits until the start file exists (so the
 * children race), extracts the bundled jar into the cache directory given as the first argument and
 * prints {@code extracted=<true|false> <library path>}.
 */
public final class ExtractInChildJvm {
    private ExtractInChildJvm() {}

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        Path start = Path.of(args[1]);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!java.nio.file.Files.exists(start) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        BundledJar jar = BundledJar.find(ExtractInChildJvm.class.getClassLoader(), null).jar().orElseThrow();
        BundledOpenBlas.Extracted e = BundledOpenBlas.extract(jar, cache);
        System.out.println("extracted=" + e.extracted() + " " + e.library());
    }
}
