package org.cgd4j.blas;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cgd4j.blas.internal.java.JavaLinearAlgebra;
import org.cgd4j.blas.internal.openblas.BundledOpenBlas;
import org.cgd4j.blas.internal.openblas.NativeLibraryLoader;
import org.cgd4j.blas.internal.openblas.OpenBlasLinearAlgebra;

/**
 * Chooses the {@link LinearAlgebra} implementation once per JVM.
 *
 * <ol>
 *   <li>{@code -Dcgd4j.blas=native|java} forces a choice; a forced native library that cannot be
 *       loaded throws {@link IllegalStateException} listing every attempt.</li>
 *   <li>Otherwise the native library is looked up, each attempt recorded: the path in
 *       {@code -Dcgd4j.blas.library}, the path in env {@code CGD4J_BLAS_LIBRARY}, then the standard
 *       sonames {@code libopenblas.so.0}, {@code libopenblas.so}, {@code liblapack.so.3 + libblas.so.3},
 *       then the OpenBLAS inside bytedeco's jar {@code org.bytedeco:openblas:<version>:linux-x86_64}
 *       when the application has it (extracted once to {@code ~/.cache/cgd4j}, no root needed). The
 *       value {@code bundled} for the property or variable tries that jar first instead of a path.
 *       A library must export {@code dsyevd_ dsyr_ dsymv_ dgemv_}, the D and S {@code gemm_ syrk_ symm_ geqrf_
 *       orgqr_} and {@code ssyevd_} (LP64).</li>
 *   <li>When none loads, one warning (System.Logger {@code org.cgd4j.blas}) says what was tried and how
 *       to fix it, and the pure-Java implementation takes over.</li>
 * </ol>
 * OpenBLAS runs {@code -Dcgd4j.blas.threads} threads, default 1: an embedding server owns its cores;
 * {@link DenseLinearAlgebra#singleThreaded()} drops it to 1 around a caller's own parallel section.
 * {@link #report()} tells what was chosen and why ({@code cgd4j doctor} prints it).
 */
public final class LinearAlgebraProvider {
    /** System property forcing the implementation: {@code native} or {@code java}. */
    public static final String IMPLEMENTATION_PROPERTY = "cgd4j.blas";
    /** System property with the path of a BLAS/LAPACK shared library, tried first. */
    public static final String LIBRARY_PROPERTY = "cgd4j.blas.library";
    /** Environment variable with the path of a BLAS/LAPACK shared library, tried second. */
    public static final String LIBRARY_ENV = "CGD4J_BLAS_LIBRARY";
    /** The value of {@link #LIBRARY_PROPERTY} or {@link #LIBRARY_ENV} that forces the bundled jar's OpenBLAS. */
    public static final String BUNDLED = NativeLibraryLoader.BUNDLED;
    /** The bytedeco OpenBLAS version cgd4j is built and tested against (any LP64 build works). */
    public static final String BUNDLED_VERSION = "0.3.31-1.5.13";
    /** System property with the OpenBLAS thread count (default 1). */
    public static final String THREADS_PROPERTY = "cgd4j.blas.threads";

    static final String NATIVE_ACCESS_FIX = "run java with --enable-native-access=org.cgd4j.blas (module path) or"
            + " --enable-native-access=ALL-UNNAMED (class path)";
    static final String FIX = "install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas0-pthread liblapacke),"
            + " or add the dependency org.bytedeco:openblas:" + BUNDLED_VERSION + ":linux-x86_64 (no root needed),"
            + " or pass -D" + LIBRARY_PROPERTY + "=/path/to/libopenblas.so.0 (or set " + LIBRARY_ENV + ")";

    private static final System.Logger LOG = System.getLogger("org.cgd4j.blas");
    private static final JavaLinearAlgebra JAVA = new JavaLinearAlgebra();
    /** The bundled jar's step for the JVM-wide choices: extracts at most once per JVM. */
    private static final Supplier<BundledOpenBlas.Outcome> BUNDLED_JAR = new Supplier<>() {
        private BundledOpenBlas.Outcome outcome;

        @Override
        public synchronized BundledOpenBlas.Outcome get() {
            if (outcome == null) {
                outcome = BundledOpenBlas.locate(System::getProperty, System::getenv);
            }
            return outcome;
        }
    };

    /** A choice and its report; {@code warning} is what to log once when it becomes the JVM's choice. */
    record Selection(DenseLinearAlgebra implementation, LinearAlgebraReport report, Optional<String> warning) {}

    private LinearAlgebraProvider() {}

    /** The active implementation, chosen on first use. */
    public static DenseLinearAlgebra get() {
        return Chosen.selection().implementation();
    }

    /** What was chosen, from which library, and every lookup attempt. */
    public static LinearAlgebraReport report() {
        return Chosen.selection().report();
    }

    /** The pure-Java implementation, whatever {@link #get()} chose (tests, benchmarks, comparisons). */
    public static DenseLinearAlgebra pureJava() {
        return JAVA;
    }

    /**
     * The native implementation, whatever {@link #get()} chose: the same instance when it is native,
     * else loaded once through the same lookup chain.
     *
     * @throws IllegalStateException when no native library loads (the message lists the attempts)
     */
    public static DenseLinearAlgebra nativeLibrary() {
        if (Chosen.FAILURE == null && Chosen.SELECTION.report().isNative()) {
            return Chosen.SELECTION.implementation();
        }
        return NativeOnly.selection().implementation();
    }

    /**
     * The whole decision, side-effect free apart from loading a library: package-private so tests can
     * run it with their own properties, environment and sonames without touching the JVM's choice.
     */
    static Selection select(Function<String, String> property, Function<String, String> env,
                            List<List<String>> sonames) {
        return select(property, env, sonames, null);
    }

    /** As {@link #select(Function, Function, List)}, with the bundled jar's step ({@code null}: none). */
    static Selection select(Function<String, String> property, Function<String, String> env,
                            List<List<String>> sonames, Supplier<BundledOpenBlas.Outcome> bundled) {
        String mode = Optional.ofNullable(property.apply(IMPLEMENTATION_PROPERTY)).map(String::strip).orElse("");
        if (!mode.isEmpty() && !mode.equals("native") && !mode.equals("java")) {
            throw new IllegalArgumentException("-D" + IMPLEMENTATION_PROPERTY + "=" + mode
                    + " is not valid: use 'native' or 'java' (or leave it unset to choose automatically)");
        }
        int threads = threads(property.apply(THREADS_PROPERTY));
        if (mode.equals("java")) {
            return new Selection(JAVA, new LinearAlgebraReport(JAVA.name(), false, Optional.empty(), Optional.empty(),
                    0, List.of(), Optional.of("forced by -D" + IMPLEMENTATION_PROPERTY + "=java")), Optional.empty());
        }
        NativeLibraryLoader.Result result = NativeLibraryLoader.load(
                "system property " + LIBRARY_PROPERTY, property.apply(LIBRARY_PROPERTY),
                "env " + LIBRARY_ENV, env.apply(LIBRARY_ENV), sonames, bundled, threads);
        List<LibraryAttempt> attempts = result.attempts();
        if (result.library().isPresent()) {
            OpenBlasLinearAlgebra lib = result.library().get();
            LinearAlgebraReport report = new LinearAlgebraReport(lib.name(), true, Optional.of(lib.library()),
                    lib.config(), lib.threads(), attempts, Optional.empty());
            Optional<String> warning = Optional.empty();
            List<LibraryAttempt> failedExplicit = attempts.stream()
                    .filter(a -> !a.loaded() && !a.source().equals(NativeLibraryLoader.SONAME_SOURCE)
                            && !a.source().startsWith(NativeLibraryLoader.BUNDLED_SOURCE)).toList();
            if (!failedExplicit.isEmpty()) {
                warning = Optional.of("cgd4j: the configured BLAS library could not be used (" + describe(failedExplicit)
                        + "); using " + lib.library() + " instead");
            }
            return new Selection(lib, report, warning);
        }
        String tried = describe(attempts);
        String fix = result.nativeAccessDenied() ? NATIVE_ACCESS_FIX : FIX;
        if (mode.equals("native")) {
            throw new IllegalStateException("-D" + IMPLEMENTATION_PROPERTY + "=native requires a native BLAS/LAPACK,"
                    + " but none could be loaded. Tried: " + tried + ". To fix: " + fix + ".");
        }
        String reason = result.nativeAccessDenied() ? "the JVM denies native access to cgd4j's BLAS bindings"
                : "no native BLAS/LAPACK could be loaded (" + attempts.size() + " attempts failed)";
        String warning = "cgd4j: no native BLAS/LAPACK could be used, using the pure-Java fallback (much slower dsyevd for"
                + " FULL CGD). Tried: " + tried + ". To fix: " + fix + "; -D" + IMPLEMENTATION_PROPERTY
                + "=java chooses the fallback without this warning.";
        return new Selection(JAVA, new LinearAlgebraReport(JAVA.name(), false, Optional.empty(), Optional.empty(), 0,
                attempts, Optional.of(reason)), Optional.of(warning));
    }

    private static int threads(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int threads = Integer.parseInt(value.strip());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // fall through to the message naming the property
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + "=" + value + " is not valid: use an integer >= 1");
    }

    private static String describe(List<LibraryAttempt> attempts) {
        if (attempts.isEmpty()) {
            return "nothing (no candidates)";
        }
        StringBuilder sb = new StringBuilder();
        for (LibraryAttempt a : attempts) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(a);
        }
        return sb.toString();
    }

    private static RuntimeException rethrow(RuntimeException failure) {
        if (failure instanceof IllegalArgumentException) {
            return new IllegalArgumentException(failure.getMessage(), failure);
        }
        return new IllegalStateException(failure.getMessage(), failure);
    }

    /** The JVM-wide choice, made on first use (lazy holder: class initialisation is thread-safe). */
    private static final class Chosen {
        static final Selection SELECTION;
        static final RuntimeException FAILURE;

        static {
            Selection selection = null;
            RuntimeException failure = null;
            try {
                selection = select(System::getProperty, System::getenv, NativeLibraryLoader.STANDARD_SONAMES,
                        BUNDLED_JAR);
                selection.warning().ifPresent(w -> LOG.log(Level.WARNING, w));
                LOG.log(Level.DEBUG, "cgd4j linear algebra: {0}", selection.report());
            } catch (RuntimeException e) {
                failure = e;
            }
            SELECTION = selection;
            FAILURE = failure;
        }

        static Selection selection() {
            if (FAILURE != null) {
                throw rethrow(FAILURE);
            }
            return SELECTION;
        }
    }

    /** The native library when the JVM's choice is Java (loaded on first use of {@link #nativeLibrary()}). */
    private static final class NativeOnly {
        static final Selection SELECTION;
        static final RuntimeException FAILURE;

        static {
            Selection selection = null;
            RuntimeException failure = null;
            try {
                selection = select(key -> key.equals(IMPLEMENTATION_PROPERTY) ? "native" : System.getProperty(key),
                        System::getenv, NativeLibraryLoader.STANDARD_SONAMES, BUNDLED_JAR);
            } catch (RuntimeException e) {
                failure = e;
            }
            SELECTION = selection;
            FAILURE = failure;
        }

        static Selection selection() {
            if (FAILURE != null) {
                throw rethrow(FAILURE);
            }
            return SELECTION;
        }
    }
}
