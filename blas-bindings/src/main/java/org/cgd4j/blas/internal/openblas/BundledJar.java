package org.cgd4j.blas.internal.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where bytedeco's OpenBLAS platform jar ({@code org.bytedeco:openblas:<version>:linux-x86_64}) lies
 * and what it holds: the shared libraries under {@code org/bytedeco/openblas/linux-x86_64/}, their
 * sizes, and the Maven version of the jar that actually holds them (another OpenBLAS jar on the class
 * path, e.g. ND4J's older one, must not lend its version to these files).
 *
 * <p>Found on the class path (or in a resolved module) through a class loader, else on the module path
 * through {@link ModuleFinder}: the jar's module {@code org.bytedeco.openblas.linux.x86_64} requires
 * JavaCPP, which cgd4j does not need, so a module-path application does not resolve it and only the
 * jar file is read.
 *
 * @param location    the jar file (or the class-path directory that holds the resources)
 * @param version     {@code version} from the jar's {@code pom.properties}, or "unknown"
 * @param sizes       the size in bytes of each native library, by file name
 * @param fingerprint CRC-32 (hex) of the files' names, sizes and CRCs: a rebuilt jar with the same
 *                    version gets its own cache directory
 */
record BundledJar(Path location, String version, Map<String, Long> sizes, String fingerprint) {

    /** bytedeco's platform name for this JVM's OS and architecture, the only one the table has. */
    static final String PLATFORM = "linux-x86_64";
    static final String MODULE = "org.bytedeco.openblas.linux.x86_64";
    static final String DIRECTORY = "org/bytedeco/openblas/" + PLATFORM + "/";
    /** libopenblas.so.0 and its non-glibc dependencies, found next to it through RUNPATH $ORIGIN. */
    static final List<String> FILES = List.of("libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0",
            "libgcc_s.so.1");
    static final String LIBRARY = FILES.getFirst();
    private static final String POM_PROPERTIES = "META-INF/maven/org.bytedeco/openblas/pom.properties";

    BundledJar {
        sizes = Map.copyOf(sizes);
    }

    /**
     * The jar, looked up with {@code loader} then on {@code modulePath} (the value of
     * {@code jdk.module.path}, may be null); empty with the reason when it is not there.
     */
    static Lookup find(ClassLoader loader, String modulePath) {
        URL url = loader == null ? ClassLoader.getSystemResource(DIRECTORY + LIBRARY)
                : loader.getResource(DIRECTORY + LIBRARY);
        try {
            if (url != null) {
                return new Lookup(Optional.of(open(location(url))), "");
            }
            if (modulePath != null && !modulePath.isBlank()) {
                List<Path> entries = new ArrayList<>();
                for (String entry : modulePath.split(java.io.File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(Path.of(entry));
                    }
                }
                Optional<ModuleReference> module = ModuleFinder.of(entries.toArray(Path[]::new)).find(MODULE);
                if (module.isPresent() && module.get().location().isPresent()) {
                    return new Lookup(Optional.of(open(Path.of(module.get().location().get()))), "");
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return new Lookup(Optional.empty(), "the OpenBLAS jar could not be read: " + e);
        }
        return new Lookup(Optional.empty(), "not on the class path or module path (add the dependency "
                + "org.bytedeco:openblas:<version>:" + PLATFORM + ", see README)");
    }

    /** A found jar, or the reason none was found. */
    record Lookup(Optional<BundledJar> jar, String reason) {}

    /** Opens one of {@link #FILES} for reading (the caller closes the stream, and with it the jar). */
    InputStream open(String file) throws IOException {
        if (Files.isDirectory(location)) {
            return Files.newInputStream(location.resolve(DIRECTORY + file));
        }
        ZipFile zip = new ZipFile(location.toFile());
        ZipEntry entry = zip.getEntry(DIRECTORY + file);
        if (entry == null) {
            zip.close();
            throw new IOException(location + " has no " + DIRECTORY + file);
        }
        InputStream in = zip.getInputStream(entry);
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    zip.close();
                }
            }
        };
    }

    /** The jar file (or class-path directory) a resource URL points into. */
    private static Path location(URL url) throws IOException, URISyntaxException {
        return switch (url.getProtocol()) {
            case "jar" -> Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
            case "file" -> {
                Path file = Path.of(url.toURI());
                Path root = file;
                for (int i = 0; i < DIRECTORY.split("/").length + 1 && root != null; i++) {
                    root = root.getParent();
                }
                if (root == null) {
                    throw new IOException("unexpected location of " + file);
                }
                yield root;
            }
            default -> throw new IOException("unsupported location " + url + " (expected a jar or a directory)");
        };
    }

    private static BundledJar open(Path location) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        StringBuilder digest = new StringBuilder();
        String version = "unknown";
        if (Files.isDirectory(location)) {
            for (String file : FILES) {
                long size = Files.size(location.resolve(DIRECTORY + file));
                sizes.put(file, size);
                digest.append(file).append(size).append(Files.getLastModifiedTime(location.resolve(DIRECTORY + file)));
            }
            Path pom = location.resolve(POM_PROPERTIES);
            if (Files.exists(pom)) {
                try (InputStream in = Files.newInputStream(pom)) {
                    version = version(in);
                }
            }
        } else {
            try (ZipFile zip = new ZipFile(location.toFile())) {
                for (String file : FILES) {
                    ZipEntry entry = zip.getEntry(DIRECTORY + file);
                    if (entry == null || entry.getSize() < 0) {
                        throw new IOException(location + " has no " + DIRECTORY + file);
                    }
                    sizes.put(file, entry.getSize());
                    digest.append(file).append(entry.getSize()).append(entry.getCrc());
                }
                ZipEntry pom = zip.getEntry(POM_PROPERTIES);
                if (pom != null) {
                    try (InputStream in = zip.getInputStream(pom)) {
                        version = version(in);
                    }
                }
            }
        }
        return new BundledJar(location, version, sizes, String.format("%08x", crc(digest.toString())));
    }

    private static String version(InputStream pomProperties) throws IOException {
        Properties p = new Properties();
        p.load(pomProperties);
        String v = p.getProperty("version", "unknown").strip();
        // the version names a directory: keep it to safe characters
        return v.matches("[A-Za-z0-9._-]+") ? v : "unknown";
    }

    private static long crc(String s) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
