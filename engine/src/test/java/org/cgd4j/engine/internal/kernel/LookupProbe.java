package org.cgd4j.engine.internal.kernel;

import org.cgd4j.engine.Kernels;

/** Run in a child JVM by {@link KernelLookupTest}: prints what the lookup chose, or why it refused. */
public final class LookupProbe {
    private LookupProbe() {}

    public static void main(String[] args) {
        try {
            System.out.println("chosen: " + Kernels.describe());
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
