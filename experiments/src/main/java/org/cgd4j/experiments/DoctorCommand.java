package org.cgd4j.experiments;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.cgd4j.blas.LibraryAttempt;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.LinearAlgebraReport;
import org.cgd4j.engine.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cgd4j doctor}: what this JVM will run and why. JDK, Vector API and the kernels chosen,
 * the BLAS/LAPACK implementation with its library file, {@code openblas_get_config()}, thread
 * count and every lookup attempt, so a slow or failing set-up explains itself.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Shows the JDK, Vector API kernels and the BLAS/LAPACK library in use, and why any fallback",
            "happened. Exit code 1 when a forced choice (-Dcgd4j.blas, -Dcgd4j.kernels) cannot be honoured."})
final class DoctorCommand implements Callable<Integer> {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        out.println("cgd4j doctor");
        out.println();
        out.println("JDK");
        row(out, "version", Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        row(out, "vm", System.getProperty("java.vm.name") + ", " + System.getProperty("java.vm.info"));
        row(out, "home", System.getProperty("java.home"));
        row(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors");

        out.println();
        out.println("Vector API");
        boolean vectorModule = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
        row(out, "module", vectorModule ? VECTOR_MODULE + " is in the boot layer"
                : VECTOR_MODULE + " is not resolved: run java with --add-modules " + VECTOR_MODULE);
        if (vectorModule) {
            row(out, "preferred", preferredSpecies());
        }
        // Engine kernel choice (engine's public Kernels facade: vector or scalar, and why).
        try {
            row(out, "kernels", Kernels.describe());
        } catch (RuntimeException e) {
            row(out, "kernels", "ERROR " + e.getMessage());
            ok = false;
        }

        out.println();
        out.println("BLAS/LAPACK");
        row(out, "requested", "-D" + LinearAlgebraProvider.IMPLEMENTATION_PROPERTY + "="
                + Optional.ofNullable(System.getProperty(LinearAlgebraProvider.IMPLEMENTATION_PROPERTY)).orElse("(auto)")
                + ", -D" + LinearAlgebraProvider.LIBRARY_PROPERTY + "="
                + Optional.ofNullable(System.getProperty(LinearAlgebraProvider.LIBRARY_PROPERTY)).orElse("(unset)")
                + ", " + LinearAlgebraProvider.LIBRARY_ENV + "="
                + Optional.ofNullable(System.getenv(LinearAlgebraProvider.LIBRARY_ENV)).orElse("(unset)"));
        row(out, "native access", LinearAlgebraProvider.class.getModule().isNativeAccessEnabled()
                ? "enabled for " + moduleName() : "not enabled for " + moduleName()
                        + ": pass --enable-native-access=" + (LinearAlgebraProvider.class.getModule().isNamed()
                                ? "org.cgd4j.blas" : "ALL-UNNAMED"));
        LinearAlgebraReport report;
        try {
            report = LinearAlgebraProvider.report();
        } catch (RuntimeException e) {
            row(out, "active", "ERROR " + e.getMessage());
            out.flush();
            return 1;
        }
        row(out, "active", report.implementation());
        row(out, "library", report.library().orElse("-"));
        row(out, "why", why(report));
        row(out, "config", report.openblasConfig().orElse("-"));
        row(out, "threads", !report.isNative() ? "- (pure Java runs on the calling thread)"
                : report.threads() == 0 ? "- (library has no thread control)"
                : report.threads() + " (-D" + LinearAlgebraProvider.THREADS_PROPERTY + ", default 1)");
        List<LibraryAttempt> attempts = report.attempts();
        if (attempts.isEmpty()) {
            row(out, "lookup", "(none)");
        }
        for (int i = 0; i < attempts.size(); i++) {
            row(out, i == 0 ? "lookup" : "", (i + 1) + ". " + attempts.get(i));
        }
        row(out, "fallback", report.fallbackReason().orElse("none"));
        out.flush();
        return ok ? 0 : 1;
    }

    /** Why this library (or none) is in use, from the lookup attempt that loaded it. */
    static String why(LinearAlgebraReport report) {
        if (!report.isNative()) {
            return report.fallbackReason().orElse("pure Java");
        }
        Optional<LibraryAttempt> loaded = report.attempts().stream().filter(LibraryAttempt::loaded).findFirst();
        if (loaded.isEmpty()) {
            return "-";
        }
        String source = loaded.get().source();
        int failed = report.attempts().indexOf(loaded.get());
        String before = failed == 0 ? "" : " after " + failed + " failed attempt" + (failed == 1 ? "" : "s");
        if (source.startsWith("standard soname")) {
            return "the system's library, found by its standard soname" + before;
        }
        if (source.startsWith("bundled jar")) {
            return "no system library loaded" + before + ", so the OpenBLAS of the bundled jar: "
                    + source.substring(source.indexOf('(') + 1, source.length() - 1);
        }
        return "configured: " + source + before;
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf("  %-14s %s%n", key, value);
    }

    private static String moduleName() {
        Module m = LinearAlgebraProvider.class.getModule();
        return m.isNamed() ? m.getName() : "the class path (ALL-UNNAMED)";
    }

    /**
     * The preferred vector shape, read reflectively: this class must load (and doctor must run) on a
     * JVM without {@code jdk.incubator.vector}.
     */
    private static String preferredSpecies() {
        try {
            Class<?> shape = Class.forName(VECTOR_MODULE + ".VectorShape");
            Object preferred = shape.getMethod("preferredShape").invoke(null);
            int bits = (int) shape.getMethod("vectorBitSize").invoke(preferred);
            return bits + "-bit: " + bits / Double.SIZE + " doubles, " + bits / Float.SIZE + " floats per vector";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }
}
