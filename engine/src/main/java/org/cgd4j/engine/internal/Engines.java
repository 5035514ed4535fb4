package org.cgd4j.engine.internal;

import java.lang.foreign.Arena;
import java.util.List;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kronecker.KroneckerGroup;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.full.FullKernels;
import org.cgd4j.engine.internal.full.FullPreconditioner;
import org.cgd4j.engine.internal.kernel.WorkerPool;

/**
 * The one place that names the optimizer implementations: the public facade
 * ({@code Optimizer.create}, {@code Optimizer.builder}) and the checkpoint loader both build
 * optimizers here, so neither depends on the other.
 */
public final class Engines {
    private Engines() {}

    /** An optimizer for {@code spec} on the active kernels and linear algebra. */
    public static StepFacade create(OptimizerSpec spec) {
        return new StepFacade(spec, factories(null, null, WorkerPool.MIN_ELEMENTS_PER_CHUNK));
    }

    /** A one-vector optimizer, as {@code Optimizer.create(config, d)}. */
    public static StepFacade create(CgdConfig config, int dimension) {
        return create(OptimizerSpec.single(config, dimension));
    }

    /**
     * A one-vector optimizer whose FULL group uses {@code la} and {@code kernels} (null: the active
     * ones) and whose passes are cut into chunks of at least {@code minElementsPerChunk} elements.
     * Tests inject failing eigensolvers and split small vectors across threads with it; benchmarks
     * swap in other libraries' eigendecompositions. Not exported from the module.
     */
    public static StepFacade create(CgdConfig config, int dimension, LinearAlgebra la, FullKernels kernels,
                                    long minElementsPerChunk) {
        return new StepFacade(OptimizerSpec.single(config, dimension), factories(la, kernels, minElementsPerChunk));
    }

    /** A one-vector FULL (or any) optimizer on {@code la} (tests, benchmarks). */
    public static StepFacade full(LinearAlgebra la, CgdConfig config, int dimension) {
        return create(config, dimension, java.util.Objects.requireNonNull(la, "la"), null, WorkerPool.MIN_ELEMENTS_PER_CHUNK);
    }

    /** As {@link #create(OptimizerSpec)} with injected implementations and chunk size (tests). */
    public static StepFacade create(OptimizerSpec spec, LinearAlgebra la, FullKernels kernels, long minElementsPerChunk) {
        return new StepFacade(spec, factories(la, kernels, minElementsPerChunk));
    }

    /** As {@link #create(OptimizerSpec)} with an injected linear algebra (tests). */
    public static StepFacade create(OptimizerSpec spec, LinearAlgebra la) {
        return new StepFacade(spec, factories(la, null, WorkerPool.MIN_ELEMENTS_PER_CHUNK));
    }

    private static StepFacade.Factories factories(LinearAlgebra la, FullKernels kernels, long minElementsPerChunk) {
        return new StepFacade.Factories() {
            @Override
            public FullPreconditioner full(CgdConfig config, int n, Arena arena) {
                return new FullPreconditioner(config, n, arena, la, kernels);
            }

            @Override
            public long minElementsPerChunk() { return minElementsPerChunk; }

            @Override
            public KroneckerGroup kronecker(int index, CgdConfig config, List<ParamLayout.Tensor> tensors, Arena arena, int threads) {
                DenseLinearAlgebra dense = la instanceof DenseLinearAlgebra d ? d : LinearAlgebraProvider.get();
                return new KroneckerGroup(index, config, tensors, arena, dense, KernelLookup.kernels(), threads);
            }
        };
    }
}
