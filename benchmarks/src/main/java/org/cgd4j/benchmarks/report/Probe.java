package org.cgd4j.benchmarks.report;

import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.LinearAlgebraReport;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;

/**
 * Prints, as {@code key=value} lines for benchmarks/results/environment.properties, what a benchmark
 * fork of this JVM gets: the diagonal kernels cgd4j chose (Vector API and its width, or scalar and
 * why) and the BLAS/LAPACK library it loaded. benchmarks/run.sh runs it with the forks' JVM flags.
 */
public final class Probe {
    private Probe() {}

    public static void main(String[] args) {
        DiagonalKernels kernels = KernelLookup.kernels();
        String reason = KernelLookup.fallbackReason();
        System.out.println("kernels=" + (reason.isEmpty()
                ? "Vector API, " + kernels.doubleLanes() * 64 + "-bit species (" + kernels.doubleLanes() + " doubles, "
                        + kernels.floatLanes() + " floats per vector)"
                : "scalar (" + reason + ")"));
        LinearAlgebraReport blas = LinearAlgebraProvider.report();
        System.out.println("blas=" + blas.implementation() + blas.library().map(l -> ", " + l).orElse("")
                + blas.openblasConfig().map(c -> " (" + c + ")").orElse("") + ", " + blas.threads() + " thread(s)"
                + blas.fallbackReason().map(r -> "; fallback: " + r).orElse(""));
    }
}
