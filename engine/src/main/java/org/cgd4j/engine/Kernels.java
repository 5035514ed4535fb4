package org.cgd4j.engine;

import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;

/**
 * Which element-wise kernels this JVM runs for DIAGONAL steps (and FULL's moment updates): the
 * Vector API (SIMD) kernels when {@code jdk.incubator.vector} is in the boot layer and C2 is on,
 * otherwise the scalar Java kernels. Force with {@code -Dcgd4j.kernels=vector|scalar}; a forced
 * choice that cannot be honoured makes these methods (and optimizer creation) throw.
 * {@code cgd4j doctor} prints {@link #describe()}.
 */
public final class Kernels {
    private Kernels() {}

    /** "vector" or "scalar". */
    public static String implementation() { return active().name(); }

    /** Doubles per SIMD vector (1 for scalar). */
    public static int doubleLanes() { return active().doubleLanes(); }

    /** Floats per SIMD vector (1 for scalar). */
    public static int floatLanes() { return active().floatLanes(); }

    /** Width of a SIMD vector in bits (64 for scalar, one double). */
    public static int vectorBits() { return active().doubleLanes() * Double.SIZE; }

    /** Why the Vector API kernels are not active, or "" when they are (or scalar was forced). */
    public static String fallbackReason() { return KernelLookup.fallbackReason(); }

    /** One line for diagnostics, e.g. "vector (256-bit: 4 doubles, 8 floats)". */
    public static String describe() {
        DiagonalKernels k = active();
        String reason = fallbackReason();
        if (k.doubleLanes() == 1) {
            return "scalar" + (reason.isEmpty() ? " (forced by -Dcgd4j.kernels=scalar)" : " (fallback: " + reason + ")");
        }
        return "vector (" + vectorBits() + "-bit: " + k.doubleLanes() + " doubles, " + k.floatLanes() + " floats)";
    }

    private static DiagonalKernels active() { return KernelLookup.kernels(); }
}
