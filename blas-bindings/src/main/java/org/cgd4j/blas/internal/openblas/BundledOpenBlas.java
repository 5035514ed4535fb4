package org.cgd4j.blas.internal.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The OpenBLAS that ships in bytedeco's platform jar, made loadable without root: its libraries are
 * copied once into a per-user cache directory named after the jar's version and fingerprint, then
 * {@code libopenblas.so.0} is loaded from there by path (its RUNPATH {@code $ORIGIN} finds libgfortran
 * and friends beside it).
 *
 * <p>Concurrent JVMs are safe: each extracts into its own temporary directory next to the final one
 * and renames it into place atomically; a JVM that loses the race deletes its copy and uses the
 * winner's. A directory that exists is therefore complete, unless someone edited it: then its sizes do
 * not match the jar, it is moved aside and extracted again. Temporary copies left by a JVM killed
 * mid-extraction are deleted by a later extraction once they are an hour old.
 *
 * <p>Cache root: {@code -Dcgd4j.blas.cache}, else {@code $XDG_CACHE_HOME/cgd4j}, else
 * {@code ~/.cache/cgd4j}.
 */
public final class BundledOpenBlas {
    /** System property naming the cache root. */
    public static final String CACHE_PROPERTY = "cgd4j.blas.cache";

    private BundledOpenBlas() {}

    /**
     * The extracted library, ready to load.
     *
     * @param library   the extracted {@code libopenblas.so.0}
     * @param jar       the jar it came from
     * @param extracted true when this call extracted it, false when an earlier run had
     */
    public record Extracted(Path library, BundledJar jar, boolean extracted) {
        /** One line for the lookup trace, e.g. "org.bytedeco:openblas 0.3.31-1.5.13 (cached)". */
        public String describe() {
            return "org.bytedeco:openblas:" + jar.version() + ":" + BundledJar.PLATFORM + " from " + jar.location()
                    + (extracted ? ", extracted now" : ", cached");
        }
    }

    /** Either the extracted library or why there is none. */
    public record Outcome(Optional<Extracted> extracted, String reason) {}

    /**
     * Finds the jar (class path, then module path) and extracts it under the cache root chosen from
     * {@code property} and {@code env}. Never throws: every failure becomes the outcome's reason.
     */
    public static Outcome locate(Function<String, String> property, Function<String, String> env) {
        if (!onLinuxX8664()) {
            return new Outcome(Optional.empty(), "no bundled build for " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + " (cgd4j bundles " + BundledJar.PLATFORM + " only)");
        }
        BundledJar.Lookup lookup = BundledJar.find(BundledOpenBlas.class.getClassLoader(),
                System.getProperty("jdk.module.path"));
        if (lookup.jar().isEmpty()) {
            return new Outcome(Optional.empty(), lookup.reason());
        }
        try {
            return new Outcome(Optional.of(extract(lookup.jar().get(), cacheRoot(property, env))), "");
        } catch (IOException | RuntimeException e) {
            return new Outcome(Optional.empty(), "extracting " + lookup.jar().get().location() + " failed: " + e);
        }
    }

    static boolean onLinuxX8664() {
        String arch = System.getProperty("os.arch", "");
        return System.getProperty("os.name", "").startsWith("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** The per-user cache root (not created here). */
    static Path cacheRoot(Function<String, String> property, Function<String, String> env) {
        String explicit = property.apply(CACHE_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit.strip());
        }
        String xdg = env.apply("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "cgd4j");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "cgd4j");
    }

    /**
     * Makes sure {@code root/openblas-<version>-linux-x86_64-<fingerprint>/} holds the jar's libraries
     * and returns the path of {@code libopenblas.so.0} in it.
     */
    static Extracted extract(BundledJar jar, Path root) throws IOException {
        String name = "openblas-" + jar.version() + "-" + BundledJar.PLATFORM + "-" + jar.fingerprint();
        Path target = root.resolve(name);
        if (Files.isDirectory(target)) {
            if (complete(target, jar.sizes())) {
                return new Extracted(target.resolve(BundledJar.LIBRARY), jar, false);
            }
            // edited or damaged by hand: move it out of the way (atomically, so a concurrent JVM never
            // sees half of it), then extract afresh
            Path aside = root.resolve(name + ".broken-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            try {
                Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(aside);
            } catch (java.nio.file.NoSuchFileException e) {
                // another JVM moved it first
            }
        }
        Files.createDirectories(root);
        sweepAbandoned(root, name);
        Path temp = Files.createTempDirectory(root, name + ".tmp-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        boolean moved = false;
        try {
            for (String file : BundledJar.FILES) {
                try (InputStream in = jar.open(file)) {
                    Files.copy(in, temp.resolve(file));
                }
            }
            if (!complete(temp, jar.sizes())) {
                throw new IOException("the files extracted to " + temp + " do not have the sizes listed in " + jar.location());
            }
            // readable by others like any installed library; only the owner may change it
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                moved = true;
                return new Extracted(target.resolve(BundledJar.LIBRARY), jar, true);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the cache directory " + root + " does not support atomic renames; set -D"
                        + CACHE_PROPERTY + " to a local directory", e);
            } catch (IOException e) {
                // rename(2) refuses a non-empty target (ENOTEMPTY, which the JDK reports as a plain
                // FileSystemException): another JVM renamed its copy into place first, use that one
                if (complete(target, jar.sizes())) {
                    return new Extracted(target.resolve(BundledJar.LIBRARY), jar, false);
                }
                throw e;
            }
        } finally {
            if (!moved) {
                deleteTree(temp);
            }
        }
    }

    /**
     * Deletes temporary copies that a JVM killed mid-extraction left behind: those of this version
     * older than an hour (a live extraction takes seconds; a younger one may still be in progress).
     */
    private static void sweepAbandoned(Path root, String name) {
        java.nio.file.attribute.FileTime cutoff = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(1)));
        try (Stream<Path> entries = Files.list(root)) {
            for (Path p : entries.toList()) {
                String file = p.getFileName().toString();
                if ((file.startsWith(name + ".tmp-") || file.startsWith(name + ".broken-"))
                        && Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            // best effort: a leftover directory wastes space but never breaks a lookup
        }
    }

    /** Whether {@code dir} holds every file with the size the jar lists. */
    static boolean complete(Path dir, Map<String, Long> sizes) {
        try {
            for (Map.Entry<String, Long> e : sizes.entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file) || Files.size(file) != e.getValue()) {
                    return false;
                }
            }
            return !sizes.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
