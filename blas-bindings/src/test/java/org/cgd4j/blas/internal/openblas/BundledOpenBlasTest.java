package org.cgd4j.blas.internal.openblas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction of the OpenBLAS in bytedeco's jar (a test dependency of this module): once per cache
 * directory, atomic when several extract at once, repaired when damaged, and found on the module path
 * as well as the class path.
 */
class BundledOpenBlasTest {

    private static BundledJar jar() {
        BundledJar.Lookup lookup = BundledJar.find(BundledOpenBlasTest.class.getClassLoader(), null);
        assertThat(lookup.jar()).as(lookup.reason()).isPresent();
        return lookup.jar().get();
    }

    @Test
    void theJarIsReadWithItsOwnVersionAndEveryLibrary() {
        BundledJar jar = jar();
        assertThat(jar.version()).isEqualTo(org.cgd4j.blas.LinearAlgebraProvider.BUNDLED_VERSION);
        assertThat(jar.location().getFileName().toString()).isEqualTo("openblas-" + jar.version() + "-linux-x86_64.jar");
        assertThat(jar.sizes().keySet()).containsExactlyInAnyOrderElementsOf(BundledJar.FILES);
        assertThat(jar.sizes().values()).allMatch(size -> size > 0);
        assertThat(jar.fingerprint()).matches("[0-9a-f]{8}");
    }

    @Test
    void extractsOnceThenReusesTheCachedCopy(@TempDir Path cache) throws IOException {
        BundledJar jar = jar();
        BundledOpenBlas.Extracted first = BundledOpenBlas.extract(jar, cache);
        BundledOpenBlas.Extracted second = BundledOpenBlas.extract(jar, cache);
        assertThat(first.extracted()).isTrue();
        assertThat(second.extracted()).isFalse();
        assertThat(second.library()).isEqualTo(first.library());
        assertThat(first.library().getParent().getFileName().toString())
                .isEqualTo("openblas-" + jar.version() + "-linux-x86_64-" + jar.fingerprint());
        for (Map.Entry<String, Long> e : jar.sizes().entrySet()) {
            assertThat(Files.size(first.library().resolveSibling(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(entries(cache)).containsExactly(first.library().getParent().getFileName().toString());
    }

    @Test
    void concurrentExtractionsAgreeAndLeaveNoTemporaryDirectory(@TempDir Path cache) throws Exception {
        BundledJar jar = jar();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<BundledOpenBlas.Extracted>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return BundledOpenBlas.extract(jar, cache);
                }));
            }
            start.countDown();
            int extracted = 0;
            Path library = null;
            for (Future<BundledOpenBlas.Extracted> f : results) {
                BundledOpenBlas.Extracted e = f.get();
                extracted += e.extracted() ? 1 : 0;
                library = library == null ? e.library() : library;
                assertThat(e.library()).isEqualTo(library);
            }
            assertThat(extracted).as("exactly one rename wins").isEqualTo(1);
            assertThat(BundledOpenBlas.complete(library.getParent(), jar.sizes())).isTrue();
            assertThat(entries(cache)).containsExactly(library.getParent().getFileName().toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentJvmsAgreeOnOneCopy(@TempDir Path cache, @TempDir Path work) throws Exception {
        BundledJar jar = jar();
        Path start = work.resolve("start");
        String javaLauncher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(new ProcessBuilder(javaLauncher, "-cp", System.getProperty("java.class.path"),
                    ExtractInChildJvm.class.getName(), cache.toString(), start.toString())
                    .redirectErrorStream(true).start());
        }
        Files.createFile(start);
        int extracted = 0;
        Set<String> libraries = new HashSet<>();
        for (Process child : children) {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(child.waitFor()).as(out).isZero();
            String last = out.lines().reduce((x, y) -> y).orElse("");
            assertThat(last).as(out).startsWith("extracted=");
            extracted += last.startsWith("extracted=true") ? 1 : 0;
            libraries.add(last.substring(last.indexOf(' ') + 1));
        }
        assertThat(extracted).as("exactly one JVM's rename wins").isEqualTo(1);
        assertThat(libraries).hasSize(1);
        Path library = Path.of(libraries.iterator().next());
        assertThat(BundledOpenBlas.complete(library.getParent(), jar.sizes())).isTrue();
        assertThat(entries(cache)).containsExactly(library.getParent().getFileName().toString());
    }

    @Test
    void aDamagedCacheIsExtractedAgain(@TempDir Path cache) throws IOException {
        BundledJar jar = jar();
        Path library = BundledOpenBlas.extract(jar, cache).library();
        Files.write(library.resolveSibling("libgfortran.so.5"), new byte[] {1, 2, 3});
        BundledOpenBlas.Extracted repaired = BundledOpenBlas.extract(jar, cache);
        assertThat(repaired.extracted()).isTrue();
        assertThat(repaired.library()).isEqualTo(library);
        assertThat(BundledOpenBlas.complete(library.getParent(), jar.sizes())).isTrue();
        assertThat(entries(cache)).containsExactly(library.getParent().getFileName().toString());
    }

    @Test
    void copiesAbandonedByAKilledJvmAreSweptOnceAnHourOld(@TempDir Path cache) throws IOException {
        BundledJar jar = jar();
        String name = "openblas-" + jar.version() + "-linux-x86_64-" + jar.fingerprint();
        Path old = Files.createDirectories(cache.resolve(name + ".tmp-111"));
        Files.write(old.resolve("libopenblas.so.0"), new byte[] {1});
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        Path recent = Files.createDirectories(cache.resolve(name + ".tmp-222"));
        BundledOpenBlas.extract(jar, cache);
        assertThat(entries(cache)).containsExactlyInAnyOrder(name, recent.getFileName().toString());
    }

    @Test
    void foundOnTheModulePathWhenNoClassLoaderSeesIt() throws IOException {
        Path location = jar().location();
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            BundledJar.Lookup absent = BundledJar.find(empty, null);
            assertThat(absent.jar()).isEmpty();
            assertThat(absent.reason()).contains("org.bytedeco:openblas:<version>:linux-x86_64");
            BundledJar.Lookup onModulePath = BundledJar.find(empty,
                    "/nonexistent/dir" + java.io.File.pathSeparator + location);
            assertThat(onModulePath.jar()).hasValueSatisfying(j -> assertThat(j.location()).isEqualTo(location));
        }
    }

    @Test
    void cacheRootIsPropertyThenXdgThenHome() {
        assertThat(BundledOpenBlas.cacheRoot(k -> k.equals(BundledOpenBlas.CACHE_PROPERTY) ? "/x/c" : null,
                k -> "/xdg")).isEqualTo(Path.of("/x/c"));
        assertThat(BundledOpenBlas.cacheRoot(k -> null, k -> k.equals("XDG_CACHE_HOME") ? "/xdg" : null))
                .isEqualTo(Path.of("/xdg/cgd4j"));
        assertThat(BundledOpenBlas.cacheRoot(k -> null, k -> k.equals("XDG_CACHE_HOME") ? "relative" : null))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "cgd4j"));
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
