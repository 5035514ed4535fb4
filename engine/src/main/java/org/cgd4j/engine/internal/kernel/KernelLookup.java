package org.cgd4j.engine.internal.kernel;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.cgd4j.engine.internal.kernel.generated.ScalarKernels;

/**
 * Chooses the diagonal kernels once per JVM, as Lucene's vectorization provider does: a chain of
 * explicit guards, each refusal logging one warning that says how to fix it, then the scalar
 * kernels. The Vector API class is loaded by name so that this class never links against
 * {@code jdk.incubator.vector}. System property {@value #PROPERTY} = {@code vector|scalar} forces a
 * choice; a forced choice that cannot be honoured throws.
 */
public final class KernelLookup {
    public static final String PROPERTY = "cgd4j.kernels";
    static final String VECTOR_CLASS = "org.cgd4j.engine.internal.kernel.generated.PanamaKernels";
    private static final System.Logger LOG = System.getLogger("org.cgd4j.engine.kernels");

    private static DiagonalKernels chosen;
    private static String fallbackReason = "";

    private KernelLookup() {}

    /** The kernels of this JVM (chosen on first use). */
    public static synchronized DiagonalKernels kernels() {
        if (chosen == null) {
            chosen = choose();
        }
        return chosen;
    }

    /** Why the Vector API kernels are not used ("" when they are, or when scalar was forced). */
    public static synchronized String fallbackReason() {
        kernels();
        return fallbackReason;
    }

    /** The plain Java kernels (always available; tests compare against them). */
    public static DiagonalKernels scalar() { return new ScalarKernels(); }

    /**
     * The Vector API kernels, or an exception that says why they cannot run in this JVM. Tests use
     * this to run both implementations side by side.
     */
    public static DiagonalKernels vector() {
        String refusal = vectorRefusal();
        if (refusal != null) {
            throw new UnsupportedOperationException(refusal);
        }
        try {
            return (DiagonalKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new UnsupportedOperationException("Vector API kernels declined: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("Vector API kernels could not be loaded: " + e, e);
        }
    }

    private static DiagonalKernels choose() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null) {
            forced = forced.trim().toLowerCase(Locale.ROOT);
            if (forced.equals("scalar")) {
                LOG.log(Level.INFO, "cgd4j kernels: scalar (forced by -D" + PROPERTY + "=scalar)");
                return scalar();
            }
            if (!forced.equals("vector")) {
                throw new IllegalArgumentException(PROPERTY + " must be 'vector' or 'scalar', got '" + forced + "'");
            }
            DiagonalKernels k;
            try {
                k = vector();
            } catch (UnsupportedOperationException e) {
                throw new IllegalStateException("-D" + PROPERTY + "=vector cannot be honoured: " + e.getMessage(), e);
            }
            logChoice(k);
            return k;
        }
        try {
            DiagonalKernels k = vector();
            logChoice(k);
            return k;
        } catch (UnsupportedOperationException e) {
            fallbackReason = e.getMessage();
            LOG.log(Level.WARNING, "cgd4j uses its scalar kernels: " + fallbackReason);
            return scalar();
        }
    }

    /** Why this JVM cannot run the Vector API kernels usefully, or null. */
    private static String vectorRefusal() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "module jdk.incubator.vector is not in the boot layer; pass --add-modules jdk.incubator.vector"
                    + " to the java command to enable the SIMD kernels";
        }
        String vm = System.getProperty("java.vm.name", "");
        if (!vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return "the Vector API is only fast on HotSpot with C2, this VM is '" + vm + "'";
        }
        if (System.getProperty("java.vm.info", "").contains("interpreted")) {
            return "the JVM runs interpreted (-Xint); the Vector API would be far slower than scalar code";
        }
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:TieredStopAtLevel=") && !arg.endsWith("=4")) {
                return "C2 is disabled (" + arg + "); the Vector API needs C2 to be fast";
            }
        }
        return null;
    }

    private static void logChoice(DiagonalKernels k) {
        LOG.log(Level.INFO, "cgd4j kernels: Vector API, " + k.doubleLanes() * 64 + "-bit ("
                + k.doubleLanes() + " doubles, " + k.floatLanes() + " floats per vector)");
    }
}
