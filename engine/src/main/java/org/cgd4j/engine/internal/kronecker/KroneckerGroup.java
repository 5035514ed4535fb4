package org.cgd4j.engine.internal.kronecker;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelOp;
import org.cgd4j.engine.internal.kernel.StepCoefficients;
import org.cgd4j.engine.internal.kernel.WorkerPool;

/**
 * A KRONECKER parameter group (SPEC "Structure KRONECKER"): each of its tensors viewed as an m × n
 * matrix (rank 1: 1 × n; rank ≥ 3: first dimension × the rest) and cut into blocks of at most
 * {@code blockSize} per side (the last block takes the remainder), each a {@link KroneckerBlock}.
 * All blocks share t, the refresh schedule (t &gt; w and (t − w − 1) mod k = 0) and the step scalars.
 *
 * <p>One step: every block packs its gradient (clipped and with L2, as the DIAGONAL kernels would
 * apply them) and prepares; only when every block prepared does any commit (the facade also waits
 * for its other groups), so a failure anywhere leaves every block as it was.
 *
 * <p><b>Precision.</b> The state is double, or float after {@link #useFloat(boolean) useFloat(true)}
 * (the optimizer's first float step or a checkpoint of float state): factors, eigenbases and frame
 * state then live as floats in the first half of the double-sized buffers, the products run SSYRK,
 * SGEMM and SSYEVD, and the frame step the float DIAGONAL kernels. Params and gradients are then
 * float[] or native float segments.
 */
public final class KroneckerGroup {
    public final int index;
    public final CgdConfig config;
    private final List<KroneckerBlock> blocks = new ArrayList<>();
    private final StepCoefficients coefficients;
    /** One work set per thread that may step blocks at once, claimed by CAS. */
    private final KroneckerWork[] works;
    private final java.util.concurrent.atomic.AtomicIntegerArray busy;
    /** Blocks in descending cost order: a pool hands out the largest first. */
    private final KroneckerBlock[] byCost;
    private final PrepareTask prepareTask = new PrepareTask();
    private final CommitTask commitTask = new CommitTask();
    private final DenseLinearAlgebra la;
    private final DiagonalKernels kernels;
    private final boolean metricMean;
    private final boolean qr;
    private final long bytes;
    private boolean single;

    /**
     * Bytes the group needs for these tensors (state and work), before allocating anything: in closed
     * form over the four block shapes of each tensor (full and remainder rows × full and remainder
     * columns), saturating at Long.MAX_VALUE, so that an absurd layout is refused at once.
     */
    public static long bytes(CgdConfig config, List<ParamLayout.Tensor> tensors) {
        KernelOp op = KernelOp.of(config);
        long b = config.blockSize();
        long total = 0, maxBlock = 0, maxSide = 1;
        for (ParamLayout.Tensor t : tensors) {
            long[][] rowParts = {{t.rows() / b, b}, {t.rows() % b == 0 ? 0 : 1, t.rows() % b}};
            long[][] colParts = {{t.cols() / b, b}, {t.cols() % b == 0 ? 0 : 1, t.cols() % b}};
            for (long[] r : rowParts) {
                for (long[] c : colParts) {
                    long count = saturatingMultiply(r[0], c[0]);
                    if (count == 0) {
                        continue;
                    }
                    total = saturatingAdd(total, saturatingMultiply(count, KroneckerBlock.bytes((int) r[1], (int) c[1], op)));
                    maxBlock = Math.max(maxBlock, r[1] * c[1]);
                    maxSide = Math.max(maxSide, Math.max(r[1], c[1]));
                }
            }
        }
        return saturatingAdd(total, KroneckerWork.bytes(maxBlock, (int) maxSide));
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    public KroneckerGroup(int index, CgdConfig config, List<ParamLayout.Tensor> tensors, Arena arena,
                          DenseLinearAlgebra la, DiagonalKernels kernels, int threads) {
        this.index = index;
        this.config = config;
        this.la = la;
        this.kernels = kernels;
        this.coefficients = new StepCoefficients(config);
        this.metricMean = config.metric() == Metric.COVARIANCE && config.covarianceMean() == CovarianceMean.METRIC;
        this.qr = config.refreshMode() == org.cgd4j.engine.RefreshMode.QR;
        KernelOp op = KernelOp.of(config);
        long maxBlock = 0;
        int maxSide = 1;
        int b = config.blockSize();
        for (ParamLayout.Tensor t : tensors) {
            for (long r0 = 0; r0 < t.rows(); r0 += b) { // long: r0 + b must not wrap near 2^31
                for (long c0 = 0; c0 < t.cols(); c0 += b) {
                    int mb = (int) Math.min(b, t.rows() - r0), nb = (int) Math.min(b, t.cols() - c0);
                    blocks.add(new KroneckerBlock(blocks.size(), mb, nb, t.offset() + r0 * t.cols() + c0, t.cols(), op, arena));
                    maxBlock = Math.max(maxBlock, (long) mb * nb);
                    maxSide = Math.max(maxSide, Math.max(mb, nb));
                }
            }
        }
        int workers = Math.max(1, Math.min(threads, blocks.size()));
        this.works = new KroneckerWork[workers];
        for (int k = 0; k < workers; k++) {
            works[k] = new KroneckerWork(la, arena, maxBlock, maxSide);
        }
        this.busy = new java.util.concurrent.atomic.AtomicIntegerArray(workers);
        this.byCost = blocks.stream().sorted(java.util.Comparator.comparingDouble(KroneckerGroup::cost).reversed())
                .toArray(KroneckerBlock[]::new);
        this.bytes = bytes(config, tensors) + (workers - 1) * KroneckerWork.bytes(maxBlock, maxSide);
    }

    /**
     * SPEC's schedule, t &gt; w and (t − w − 1) mod k = 0, for a block whose refreshes are delayed by
     * {@code delay} steps (0 unless staggerRefresh: block b's delay is b mod k).
     */
    private boolean refreshAt(long t, int delay) {
        long w = config.warmupSteps() + (long) delay;
        return t > w && (t - w - 1) % config.refreshEvery() == 0;
    }

    /** The refresh delay of block b (in the order blocks were cut). */
    private int delay(KroneckerBlock block) {
        return config.staggerRefresh() ? block.index % config.refreshEvery() : 0;
    }

    /** Flops of one block's step, the factor updates and rotations (its refresh is O(m_b³ + n_b³)). */
    private static double cost(KroneckerBlock b) {
        double m = b.mb, n = b.nb;
        return m * n * (m + n) + m * m * m + n * n * n;
    }

    // The step in flight, read by the pool's workers (set before, cleared after each pass).
    private long stepT;
    private double stepC2Before, stepGradScale, stepDecay;
    private Object stepQ, stepG;

    /**
     * Prepares step t for every block: gradient from {@code g} (a double[] or a native-order double
     * segment, flat layout order; for float state a float[] or a float segment), clipped by
     * {@code gradScale}, with L2 from params {@code q}.
     * Throws, with nothing changed, when any block fails. Blocks are independent: with a pool they run
     * on its threads, largest first, each on a work set of its own and BLAS on one thread, so results
     * do not depend on the thread count.
     */
    public void prepare(long t, double lrFactor, double gradScale, Object q, Object g, WorkerPool pool) {
        coefficients.prepare(t, lrFactor);
        coefficients.terms(1, 0, 1); // clip and L2 are packed into X; the decay is applied at commit
        stepT = t;
        stepC2Before = config.debias() ? -Math.expm1((t - 1) * Math.log1p(-coefficients.oneMinusBeta2)) : 1;
        stepGradScale = gradScale;
        stepQ = q;
        stepG = g;
        try (var _ = la.singleThreaded()) { // one BLAS thread per block: results independent of the thread count
            run(prepareTask, pool);
        } finally {
            stepQ = stepG = null;
        }
    }

    /** Commits the prepared step t: params ← params·decay + Q_R Z Q_Lᵀ per block. */
    public void commit(long t, double decay, Object q, WorkerPool pool) {
        stepT = t;
        stepDecay = decay;
        stepQ = q;
        try (var _ = la.singleThreaded()) { // one BLAS thread per block: results independent of the thread count
            run(commitTask, pool);
        } finally {
            stepQ = null;
        }
    }

    private void run(WorkerPool.Task task, WorkerPool pool) {
        if (pool == null || works.length == 1 || byCost.length == 1) {
            for (int b = 0; b < byCost.length; b++) {
                task.run(b);
            }
        } else {
            pool.run(task, byCost.length);
        }
    }

    private int claimWork() {
        while (true) {
            for (int k = 0; k < works.length; k++) {
                if (busy.compareAndSet(k, 0, 1)) {
                    return k;
                }
            }
            Thread.onSpinWait(); // more threads than work sets: cannot happen, the pool has at most that many
        }
    }

    /** Prepares block chunk (in cost order); a field, not a lambda, so a step allocates no task. */
    private final class PrepareTask implements WorkerPool.Task {
        @Override
        public void run(int chunk) {
            KroneckerBlock block = byCost[chunk];
            int k = claimWork();
            try {
                pack(block, stepGradScale, stepQ, stepG, works[k]);
                int delay = delay(block); // framed once its first refresh (at w + delay + 1) has run
                block.prepare(stepT, refreshAt(stepT, delay), stepT - 1 > config.warmupSteps() + delay, stepC2Before,
                        coefficients, works[k], kernels, metricMean, qr);
            } finally {
                busy.set(k, 0);
            }
        }
    }

    private final class CommitTask implements WorkerPool.Task {
        @Override
        public void run(int chunk) {
            KroneckerBlock block = byCost[chunk];
            int k = claimWork();
            try {
                int delay = delay(block);
                MemorySegment step = block.commit(refreshAt(stepT, delay), stepT > config.warmupSteps() + delay, works[k]);
                switch (stepQ) {
                    case double[] array -> add(block, step, stepDecay, array);
                    case float[] array -> add(block, step, (float) stepDecay, array);
                    default -> {
                        if (single) {
                            addFloat(block, step, (float) stepDecay, (MemorySegment) stepQ);
                        } else {
                            add(block, step, stepDecay, (MemorySegment) stepQ);
                        }
                    }
                }
            } finally {
                busy.set(k, 0);
            }
        }
    }

    /** X (n_b × m_b column-major) = the block's rows of g, times gradScale, plus l2·q when l2 ≠ 0. */
    private void pack(KroneckerBlock block, double gradScale, Object q, Object g, KroneckerWork work) {
        if (single) {
            packFloat(block, (float) gradScale, q, g, work);
            return;
        }
        double l2 = config.l2();
        MemorySegment x = work.x;
        boolean plain = gradScale == 1 && l2 == 0;
        for (int r = 0; r < block.mb; r++) {
            long from = block.offset + (long) r * block.rowStride;
            long at = (long) r * block.nb;
            if (plain) {
                if (g instanceof double[] ga) {
                    MemorySegment.copy(ga, (int) from, x, JAVA_DOUBLE, at * Double.BYTES, block.nb);
                } else {
                    MemorySegment.copy((MemorySegment) g, from * Double.BYTES, x, at * Double.BYTES, (long) block.nb * Double.BYTES);
                }
                continue;
            }
            for (int j = 0; j < block.nb; j++) {
                long i = from + j;
                double gi = (g instanceof double[] ga ? ga[(int) i] : ((MemorySegment) g).getAtIndex(JAVA_DOUBLE, i)) * gradScale;
                if (l2 != 0) {
                    double qi = q instanceof double[] qa ? qa[(int) i] : ((MemorySegment) q).getAtIndex(JAVA_DOUBLE, i);
                    gi = gi + l2 * qi;
                }
                x.setAtIndex(JAVA_DOUBLE, at + j, gi);
            }
        }
    }

    /**
     * {@link #pack} for float state, in float arithmetic as the float DIAGONAL kernels apply the terms:
     * x = g·c + q·λ₂ with c and λ₂ rounded to float (StepCoefficients.gradScaleF, l2F).
     */
    private void packFloat(KroneckerBlock block, float gradScale, Object q, Object g, KroneckerWork work) {
        float l2 = (float) config.l2();
        MemorySegment x = work.x;
        boolean plain = gradScale == 1 && l2 == 0;
        for (int r = 0; r < block.mb; r++) {
            long from = block.offset + (long) r * block.rowStride;
            long at = (long) r * block.nb;
            if (plain) {
                if (g instanceof float[] ga) {
                    MemorySegment.copy(ga, (int) from, x, JAVA_FLOAT, at * Float.BYTES, block.nb);
                } else {
                    MemorySegment.copy((MemorySegment) g, from * Float.BYTES, x, at * Float.BYTES, (long) block.nb * Float.BYTES);
                }
                continue;
            }
            for (int j = 0; j < block.nb; j++) {
                long i = from + j;
                float gi = (g instanceof float[] ga ? ga[(int) i] : ((MemorySegment) g).getAtIndex(JAVA_FLOAT, i)) * gradScale;
                if (l2 != 0) {
                    float qi = q instanceof float[] qa ? qa[(int) i] : ((MemorySegment) q).getAtIndex(JAVA_FLOAT, i);
                    gi = gi + qi * l2;
                }
                x.setAtIndex(JAVA_FLOAT, at + j, gi);
            }
        }
    }

    private static void add(KroneckerBlock block, MemorySegment step, float decay, float[] q) {
        for (int r = 0; r < block.mb; r++) {
            int from = (int) (block.offset + (long) r * block.rowStride);
            long at = (long) r * block.nb;
            for (int j = 0; j < block.nb; j++) {
                q[from + j] = q[from + j] * decay + step.getAtIndex(JAVA_FLOAT, at + j);
            }
        }
    }

    private static void addFloat(KroneckerBlock block, MemorySegment step, float decay, MemorySegment q) {
        for (int r = 0; r < block.mb; r++) {
            long from = block.offset + (long) r * block.rowStride;
            long at = (long) r * block.nb;
            for (int j = 0; j < block.nb; j++) {
                q.setAtIndex(JAVA_FLOAT, from + j, q.getAtIndex(JAVA_FLOAT, from + j) * decay + step.getAtIndex(JAVA_FLOAT, at + j));
            }
        }
    }

    private static void add(KroneckerBlock block, MemorySegment step, double decay, double[] q) {
        for (int r = 0; r < block.mb; r++) {
            int from = (int) (block.offset + (long) r * block.rowStride);
            long at = (long) r * block.nb;
            for (int j = 0; j < block.nb; j++) {
                q[from + j] = q[from + j] * decay + step.getAtIndex(JAVA_DOUBLE, at + j);
            }
        }
    }

    private static void add(KroneckerBlock block, MemorySegment step, double decay, MemorySegment q) {
        for (int r = 0; r < block.mb; r++) {
            long from = block.offset + (long) r * block.rowStride;
            long at = (long) r * block.nb;
            for (int j = 0; j < block.nb; j++) {
                q.setAtIndex(JAVA_DOUBLE, from + j, q.getAtIndex(JAVA_DOUBLE, from + j) * decay + step.getAtIndex(JAVA_DOUBLE, at + j));
            }
        }
    }

    /** Checkpoint slices: per block b, "b{b}." + the block's names. */
    public void slices(String prefix, List<StateSlice> out) {
        for (int b = 0; b < blocks.size(); b++) {
            blocks.get(b).slices(prefix + "b" + b + ".", out);
        }
    }

    /** Per block: the factors' eigenvalues at the last refresh (left, right; empty for a side of 1). */
    public List<double[][]> factorEigenvalues() {
        return blocks.stream().map(KroneckerBlock::factorEigenvalues).toList();
    }

    /** Diagnostics of every block, in the order they were cut. */
    public List<org.cgd4j.engine.KroneckerBlockInfo> blockInfos() {
        KernelOp op = KernelOp.of(config);
        return blocks.stream().map(b -> {
            double[][] lambda = b.factorEigenvalues();
            return new org.cgd4j.engine.KroneckerBlockInfo(index, b.index, b.offset, b.mb, b.nb, lambda[0], lambda[1],
                    KroneckerBlock.bytes(b.mb, b.nb, op));
        }).toList();
    }

    /** Block shapes {m_b, n_b}, in order. */
    public List<int[]> blockShapes() {
        return blocks.stream().map(b -> new int[] {b.mb, b.nb}).toList();
    }

    public long stateBytes() { return bytes; }

    /** Whether the state is float. */
    public boolean single() { return single; }

    /**
     * Sets the state's precision (float when {@code single}) of a group that has not stepped: its
     * factors and frame state are zero and Q = I, rewritten in the new element type. The optimizer
     * calls it while its precision is not fixed yet (before its first step succeeds, and when a
     * checkpoint restores float state).
     */
    public void useFloat(boolean single) {
        this.single = single;
        for (KroneckerBlock block : blocks) {
            block.useFloat(single);
        }
        for (KroneckerWork work : works) {
            work.single = single;
        }
    }
}
