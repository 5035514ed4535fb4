package org.cgd4j.blas.internal.openblas;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.cgd4j.blas.LibraryAttempt;

/**
 * Walks the library lookup chain (explicit path from a system property, then from the environment,
 * then standard sonames, then the OpenBLAS of bytedeco's jar when it is on the class path or module
 * path: see {@link BundledOpenBlas}), recording every attempt, and binds the first library that has the
 * routines. A loaded library is never unloaded; a refused one is closed again.
 */
// Restricted FFM methods (libraryLookup, downcallHandle, reinterpret) are this class's purpose; the
// user grants them with --enable-native-access=org.cgd4j.blas.
@SuppressWarnings("restricted")
public final class NativeLibraryLoader {

    /** Sonames tried in order; a group is loaded together (LAPACK that finds BLAS in a second file). */
    public static final List<List<String>> STANDARD_SONAMES = List.of(
            List.of("libopenblas.so.0"),
            List.of("libopenblas.so"),
            List.of("liblapack.so.3", "libblas.so.3"));

    /**
     * Outcome of the chain: the bound library, if any, every attempt in order, and whether the JVM
     * denied native access (then the chain stops: no other candidate could load either).
     */
    public record Result(Optional<OpenBlasLinearAlgebra> library, List<LibraryAttempt> attempts,
                         boolean nativeAccessDenied) {}

    /** Thrown inside the chain when the JVM refuses restricted methods to this module. */
    private static final class NativeAccessDenied extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private NativeLibraryLoader() {}

    /** The value of the library property or variable that asks for the bundled jar's OpenBLAS. */
    public static final String BUNDLED = "bundled";
    /** The source recorded for the bundled step of the default chain. */
    public static final String BUNDLED_SOURCE = "bundled jar";
    /** The source recorded for the standard sonames. */
    public static final String SONAME_SOURCE = "standard soname";

    /**
     * @param propertySource description of where {@code propertyPath} came from (for the record)
     * @param propertyPath   explicit library path from the system property, {@value #BUNDLED}, or null
     * @param envSource      description of where {@code envPath} came from
     * @param envPath        explicit library path from the environment, {@value #BUNDLED}, or null
     * @param sonames        soname groups to try afterwards
     * @param bundled        extracts the bundled jar's OpenBLAS, tried after the sonames (and first when a
     *                       path says {@value #BUNDLED}); null leaves the step out
     * @param threads        OpenBLAS thread count to set on the bound library
     */
    public static Result load(String propertySource, String propertyPath, String envSource, String envPath,
                              List<List<String>> sonames, Supplier<BundledOpenBlas.Outcome> bundled, int threads) {
        List<LibraryAttempt> attempts = new ArrayList<>();
        boolean bundledTried = false;
        try {
            for (String[] explicit : new String[][] {{propertySource, propertyPath}, {envSource, envPath}}) {
                String path = explicit[1];
                if (path == null || path.isBlank()) {
                    continue;
                }
                Optional<OpenBlasLinearAlgebra> bound;
                if (path.strip().equals(BUNDLED) && bundled != null) {
                    bound = attemptBundled(explicit[0] + "=" + BUNDLED, bundled, threads, attempts);
                    bundledTried = true;
                } else {
                    bound = attempt(explicit[0], List.of(path.strip()), true, threads, attempts);
                }
                if (bound.isPresent()) {
                    return new Result(bound, attempts, false);
                }
            }
            for (List<String> group : sonames) {
                Optional<OpenBlasLinearAlgebra> bound = attempt(SONAME_SOURCE, group, false, threads, attempts);
                if (bound.isPresent()) {
                    return new Result(bound, attempts, false);
                }
            }
            if (bundled != null && !bundledTried) {
                Optional<OpenBlasLinearAlgebra> bound = attemptBundled(BUNDLED_SOURCE, bundled, threads, attempts);
                if (bound.isPresent()) {
                    return new Result(bound, attempts, false);
                }
            }
        } catch (NativeAccessDenied e) {
            return new Result(Optional.empty(), attempts, true);
        }
        return new Result(Optional.empty(), attempts, false);
    }

    /** Extracts the bundled jar's libraries (or finds them cached) and loads them by path. */
    private static Optional<OpenBlasLinearAlgebra> attemptBundled(String source, Supplier<BundledOpenBlas.Outcome> bundled,
                                                                  int threads, List<LibraryAttempt> attempts)
            throws NativeAccessDenied {
        BundledOpenBlas.Outcome outcome = bundled.get();
        if (outcome.extracted().isEmpty()) {
            attempts.add(new LibraryAttempt(source, "org.bytedeco:openblas:<version>:" + BundledJar.PLATFORM, false,
                    outcome.reason()));
            return Optional.empty();
        }
        BundledOpenBlas.Extracted extracted = outcome.extracted().get();
        return attempt(source + " (" + extracted.describe() + ")", List.of(extracted.library().toString()), true,
                threads, attempts);
    }

    private static Optional<OpenBlasLinearAlgebra> attempt(String source, List<String> names, boolean paths,
                                                           int threads, List<LibraryAttempt> attempts)
            throws NativeAccessDenied {
        String candidate = String.join(" + ", names);
        Arena arena = Arena.ofShared();
        try {
            SymbolLookup lookup = null;
            for (String name : names) {
                SymbolLookup one = paths ? SymbolLookup.libraryLookup(Path.of(name), arena)
                        : SymbolLookup.libraryLookup(name, arena);
                lookup = lookup == null ? one : lookup.or(one);
            }
            String file = mappedFile(lookup.find("dsyevd_"), candidate);
            OpenBlasLinearAlgebra bound = OpenBlasLinearAlgebra.bind(lookup, file, threads);
            attempts.add(new LibraryAttempt(source, candidate, true, file));
            return Optional.of(bound); // the arena stays open for the life of the JVM
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            // libraryLookup throws IllegalArgumentException when dlopen fails (message has dlerror()).
            arena.close();
            attempts.add(new LibraryAttempt(source, candidate, false, String.valueOf(e.getMessage())));
        } catch (IllegalCallerException e) {
            arena.close();
            attempts.add(new LibraryAttempt(source, candidate, false, "native access denied: " + e.getMessage()));
            throw new NativeAccessDenied();
        }
        return Optional.empty();
    }

    /** The file that maps a symbol's address, from /proc/self/maps (Linux); else the candidate name. */
    static String mappedFile(Optional<MemorySegment> symbol, String fallback) {
        if (symbol.isEmpty()) {
            return fallback;
        }
        long address = symbol.get().address();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int dash = line.indexOf('-');
                int space = line.indexOf(' ');
                int slash = line.indexOf('/');
                if (dash < 0 || space < dash || slash < 0) {
                    continue;
                }
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
                    return line.substring(slash).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            return fallback; // not Linux, or /proc unreadable: the name we loaded is the best we know
        }
        return fallback;
    }
}
