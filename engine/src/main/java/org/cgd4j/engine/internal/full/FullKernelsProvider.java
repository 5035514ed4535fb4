package org.cgd4j.engine.internal.full;

/**
 * Chooses the {@link FullKernels} once per JVM: the system property {@code cgd4j.kernels}
 * ({@code vector} or {@code scalar}) forces one (a forced {@code vector} that cannot load throws);
 * otherwise the Vector API kernels when {@code jdk.incubator.vector} is readable, else scalar with one
 * warning saying how to enable SIMD. The Panama class is loaded by name so that a JVM without the
 * incubator module never links it.
 */
public final class FullKernelsProvider {
    private static final String PANAMA = "org.cgd4j.engine.internal.full.PanamaFullKernels";
    private static final System.Logger LOG = System.getLogger(FullKernelsProvider.class.getName());

    private FullKernelsProvider() {}

    private static final class Holder {
        static final FullKernels INSTANCE = choose(System.getProperty("cgd4j.kernels"));
    }

    /** The kernels in use. */
    public static FullKernels get() { return Holder.INSTANCE; }

    /** The scalar kernels (tests and benchmarks compare against them). */
    public static FullKernels scalar() { return new ScalarFullKernels(); }

    /** The Vector API kernels; throws {@link UnsupportedOperationException} with the reason when unavailable. */
    public static FullKernels vector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            throw new UnsupportedOperationException(
                    "module jdk.incubator.vector is not resolved: run java with --add-modules jdk.incubator.vector");
        }
        try {
            return (FullKernels) Class.forName(PANAMA).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new UnsupportedOperationException("Vector API kernels unavailable: " + cause, cause);
        }
    }

    static FullKernels choose(String forced) {
        if ("scalar".equals(forced)) {
            return scalar();
        }
        if ("vector".equals(forced)) {
            return vector();
        }
        if (forced != null && !forced.isEmpty()) {
            throw new IllegalArgumentException("cgd4j.kernels must be 'vector' or 'scalar', got '" + forced + "'");
        }
        try {
            return vector();
        } catch (UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.WARNING, "full CGD uses scalar kernels: " + e.getMessage());
            return scalar();
        }
    }
}
