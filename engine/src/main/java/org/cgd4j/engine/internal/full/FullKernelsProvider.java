package org.cgd4j.engine.internal.full;

import org.cgd4j.engine.internal.kernel.KernelLookup;

/**
 * The {@link FullKernels} of this JVM, following the one kernel decision {@link KernelLookup} makes
 * for the whole engine ({@code -Dcgd4j.kernels=vector|scalar}, the module and C2 guards, one warning
 * on fallback): the Vector API kernels when it chose them, the scalar ones otherwise. The Panama class
 * is loaded by name so that a JVM without {@code jdk.incubator.vector} never links it.
 */
public final class FullKernelsProvider {
    private static final String PANAMA = "org.cgd4j.engine.internal.full.PanamaFullKernels";

    private FullKernelsProvider() {}

    private static final class Holder {
        static final FullKernels INSTANCE = KernelLookup.kernels().doubleLanes() > 1 ? vector() : scalar();
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
}
