package org.cgd4j.benchmarks.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.StepFacade;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Shared set-up of the FULL benchmarks: a mature optimizer state (X̂ of full rank, as after many
 * steps, since DSYEVD deflates a low-rank matrix and would look faster than it is), gradients, and
 * the eigensolver adapters, each checked once against OpenBLAS before it is timed.
 */
final class FullFixture {
    private FullFixture() {}

    /** Paper Eq. 4.9 (COVARIANCE, METRIC mean), a = 1/2, τ2 = 999: the exact method unless changed. */
    static CgdConfig config() {
        return CgdConfig.fullCgd(1e-4, 9, 999, 0.5, 1e-8);
    }

    static CgdConfig config(int refreshEvery, RefreshMode mode) {
        return config().withRefreshEvery(refreshEvery).withRefreshMode(mode);
    }

    /** "openblas" (FFM), "java" (pure-Java fallback), "ejml", "nd4j". */
    static LinearAlgebra eigensolver(String name) {
        LinearAlgebra blas = LinearAlgebraProvider.nativeLibrary();
        LinearAlgebra la = switch (name) {
            case "openblas" -> blas;
            case "java" -> LinearAlgebraProvider.pureJava();
            case "ejml" -> new EjmlEigensolver(blas);
            case "nd4j" -> new Nd4jEigensolver(blas);
            default -> throw new IllegalArgumentException("unknown eigensolver " + name);
        };
        validate(la, blas);
        return la;
    }

    /**
     * Gradients g = z + b (z standard normal, b a fixed offset): the state after 2d of them has
     * S = avg g gᵀ and μ = avg g, so X̂ = S − μμᵀ is a full-rank sample covariance.
     */
    static double[][] gradients(int d, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] offset = new double[d];
        for (int i = 0; i < d; i++) {
            offset[i] = 0.3 * r.nextGaussian();
        }
        double[][] g = new double[count][d];
        for (double[] row : g) {
            for (int i = 0; i < d; i++) {
                row[i] = offset[i] + r.nextGaussian() * (1 + i % 7);
            }
        }
        return g;
    }

    /** Writes a mature S (and μ, m) into the optimizer's state slices, as 2d steps with τ2 → ∞ would. */
    static void mature(StepFacade opt, long seed) {
        int d = opt.dimension();
        int samples = 2 * d;
        double[][] g = gradients(d, samples, seed);
        DMatrixRMaj a = new DMatrixRMaj(g); // samples × d
        DMatrixRMaj s = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransA(a, a, s);
        CommonOps_DDRM.scale(1.0 / samples, s);
        double[] mean = new double[d];
        for (double[] row : g) {
            for (int i = 0; i < d; i++) {
                mean[i] += row[i] / samples;
            }
        }
        for (StateSlice slice : opt.stateSlices()) {
            MemorySegment seg = slice.segment();
            switch (slice.name()) {
                case "S", "B" -> {
                    for (int j = 0; j < d; j++) {
                        for (int i = j; i < d; i++) {
                            seg.setAtIndex(JAVA_DOUBLE, i + (long) j * d, s.get(i, j));
                        }
                    }
                }
                case "mu", "m" -> MemorySegment.copy(mean, 0, seg, JAVA_DOUBLE, 0, d);
                default -> { }
            }
        }
    }

    /** A symmetric positive definite test matrix (lower triangle, column-major) and its copy. */
    static MemorySegment covariance(Arena arena, int d, long seed) {
        StepFacade opt = Engines.full(LinearAlgebraProvider.pureJava(), config(), d);
        try {
            mature(opt, seed);
            MemorySegment s = opt.stateSlices().stream().filter(x -> x.name().equals("S")).findFirst().orElseThrow().segment();
            return arena.allocate(s.byteSize(), 64).copyFrom(s);
        } finally {
            opt.close();
        }
    }

    /** Refuses an adapter whose eigenpairs disagree with OpenBLAS's (order, values, residuals). */
    private static void validate(LinearAlgebra la, LinearAlgebra reference) {
        int d = 48;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = covariance(arena, d, 5);
            MemorySegment v1 = arena.allocate(a.byteSize(), 64).copyFrom(a);
            MemorySegment v2 = arena.allocate(a.byteSize(), 64).copyFrom(a);
            MemorySegment w1 = arena.allocate(8L * d, 8);
            MemorySegment w2 = arena.allocate(8L * d, 8);
            var ws = reference.dsyevdWorkspace(d);
            MemorySegment work = arena.allocate(8 * ws.lwork(), 8);
            MemorySegment iwork = arena.allocate(4 * ws.liwork(), 8);
            reference.dsyevd('V', 'L', d, v1, d, w1, work, ws.lwork(), iwork, ws.liwork());
            la.dsyevd('V', 'L', d, v2, d, w2, work, ws.lwork(), iwork, ws.liwork());
            double scale = Math.abs(w1.getAtIndex(JAVA_DOUBLE, d - 1));
            for (int k = 0; k < d; k++) {
                double l1 = w1.getAtIndex(JAVA_DOUBLE, k);
                double l2 = w2.getAtIndex(JAVA_DOUBLE, k);
                if (Math.abs(l1 - l2) > 1e-9 * scale) {
                    throw new IllegalStateException(la.name() + ": eigenvalue " + k + " is " + l2 + ", OpenBLAS says " + l1);
                }
                // |v1·v2| = 1 for simple eigenvalues (signs are free)
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += v1.getAtIndex(JAVA_DOUBLE, i + (long) k * d) * v2.getAtIndex(JAVA_DOUBLE, i + (long) k * d);
                }
                if (Math.abs(Math.abs(dot) - 1) > 1e-6) {
                    throw new IllegalStateException(la.name() + ": eigenvector " + k + " differs from OpenBLAS's (|dot| = " + dot + ")");
                }
            }
        }
    }
}
