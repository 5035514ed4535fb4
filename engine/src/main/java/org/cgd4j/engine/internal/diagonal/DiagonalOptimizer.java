package org.cgd4j.engine.internal.diagonal;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kernel.KernelOp;
import org.cgd4j.engine.internal.kernel.StepCoefficients;
import org.cgd4j.engine.internal.kernel.WorkerPool;

/**
 * DIAGONAL CGD (SPEC "One step" with X replaced by its diagonal): O(d) time and memory, one fused
 * kernel pass per step.
 *
 * <p>Precision: the first step decides. {@code step(double[], ...)} and {@code step(MemorySegment,
 * ...)} keep double state, {@code step(float[], ...)} keeps float state (float arithmetic, as in
 * PyTorch's fp32 optimizers); mixing precisions afterwards is refused. The state is allocated at
 * construction, zeroed and double-sized (a fresh optimizer's {@link #stateSlices()} are double, so
 * checkpoints of double runs load without knowing more); float state uses the first half of the
 * same buffers, so a float optimizer holds as much off-heap memory as a double one.
 * {@link #fixPrecision} lets a checkpoint loader choose float before copying slices back.
 *
 * <p>Non-finite gradients: a pre-pass scans the gradient before anything is written (one extra
 * sequential read of g: an Adam step moves 8 streams instead of 7, ~12% more time once d outgrows
 * the caches) so that a refused step leaves params and state untouched.
 *
 * <p>Threads: with {@link CgdConfig#threads()} = T &gt; 1 and d ≥ 2·2^14, each pass is cut into
 * contiguous chunks (about 16 per thread, at least 2^14 elements, aligned to 64 elements) that the
 * caller and a persistent pool claim until none are left, so a worker the OS schedules late does
 * not stall the step (see {@link WorkerPool}). Every element is computed by the same operations
 * as with one thread, wherever its chunk runs, so results are bit-identical; the scan keeps one
 * result per chunk and reports the lowest bad index, as one thread does.
 *
 * <p>Heap arrays go to array kernels and native segments to segment kernels (never mixed in one
 * loop, see {@link DiagonalKernels}); a step allocates nothing.
 */
public final class DiagonalOptimizer extends OptimizerBase {

    /** Element type of the optimizer's state, fixed by the first step. */
    public enum Precision { DOUBLE, FLOAT }

    private static final int PASS_CHECK = 0, PASS_STEP = 1;

    private static final DiagonalKernels SCALAR = KernelLookup.scalar();
    private final DiagonalKernels kernels;
    private final StepCoefficients coefficients;
    private final KernelOp op;
    private final WorkerPool pool;
    /** First non-finite index per chunk (or −1), filled by PASS_CHECK. */
    private final long[] chunkNonFinite;
    /** Element bounds of the chunks, computed once (each needs a long division). */
    private final long[] chunkBounds;
    private final Pass pass = new Pass();

    private Precision precision;
    private MemorySegment m, s, mu;
    private List<StateSlice> slices = List.of();

    // The step in flight, read by the pool's workers: exactly one of the three pairs is set.
    private static final int DATA_SEGMENTS = 0, DATA_DOUBLES = 1, DATA_FLOATS = 2, DATA_OTHER_SEGMENTS = 3;
    private MemorySegment q, g;
    private double[] qD, gD;
    private float[] qF, gF;
    private int data;
    private int passKind;
    /** Chunks of the step in flight: all of them with the pool, 1 (the whole range) without it. */
    private int chunks;

    public DiagonalOptimizer(CgdConfig config, int dimension) {
        this(config, dimension, WorkerPool.MIN_ELEMENTS_PER_CHUNK);
    }

    /** Tests split small vectors across threads by lowering {@code minElementsPerChunk}. */
    DiagonalOptimizer(CgdConfig config, int dimension, long minElementsPerChunk) {
        super(config, dimension);
        if (config.structure() != org.cgd4j.engine.Structure.DIAGONAL) {
            throw new IllegalArgumentException("DiagonalOptimizer needs structure DIAGONAL, got " + config.structure());
        }
        this.op = KernelOp.of(config);
        requireStateFits((long) op.stateSlices() * dimension * Double.BYTES);
        this.kernels = KernelLookup.kernels();
        this.coefficients = new StepCoefficients(config);
        long bytes = (long) dimension * Double.BYTES;
        try {
            m = op.stateSlices() >= 1 ? arena.allocate(bytes, 64) : null;
            s = op.stateSlices() >= 2 ? arena.allocate(bytes, 64) : null;
            mu = op.stateSlices() >= 3 ? arena.allocate(bytes, 64) : null;
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close(); // a half-built optimizer must not keep native memory
            throw e;
        }
        slices = sliceList(Double.BYTES);
        // Threads last: nothing after this can fail and leave them running.
        int poolChunks = WorkerPool.chunkCount(dimension, config.threads(), minElementsPerChunk);
        int threads = Math.min(config.threads(), poolChunks);
        this.chunkNonFinite = new long[poolChunks];
        this.chunkBounds = new long[poolChunks + 1];
        for (int c = 0; c <= poolChunks; c++) {
            chunkBounds[c] = WorkerPool.chunkStart(dimension, poolChunks, c);
        }
        this.pool = threads > 1 ? new WorkerPool(threads, "cgd4j-diagonal") : null;
    }

    // ---- steps ----

    @Override
    public void step(double[] params, double[] grads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(grads, "grads must not be null");
        enter();
        try {
            requireLength("params", params.length);
            requireLength("grads", grads.length);
            requirePrecision(Precision.DOUBLE, "step(double[], double[])");
            qD = params;
            gD = grads;
            run(DATA_DOUBLES, true);
        } finally {
            qD = gD = null;
            exit();
        }
    }

    @Override
    public void step(float[] params, float[] grads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(grads, "grads must not be null");
        enter();
        try {
            requireLength("params", params.length);
            requireLength("grads", grads.length);
            requirePrecision(Precision.FLOAT, "step(float[], float[])");
            qF = params;
            gF = grads;
            run(DATA_FLOATS, true);
        } finally {
            qF = gF = null;
            exit();
        }
    }

    /**
     * Native segments run the segment kernels; heap segments that wrap a whole double[] run the array
     * kernels on that array; any other heap segment (a slice, a read-only view) runs the scalar
     * kernels, correct but slower (a Vector API load that sees heap and native memory is very slow).
     */
    @Override
    public void step(MemorySegment params, MemorySegment grads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(grads, "grads must not be null");
        enter();
        try {
            requireSegment("params", params);
            requireSegment("grads", grads);
            if (params.isReadOnly()) {
                throw new IllegalArgumentException("params is a read-only segment");
            }
            requirePrecision(Precision.DOUBLE, "step(MemorySegment, MemorySegment)");
            double[] paramsArray = params.isNative() ? null : wholeDoubleArray(params);
            double[] gradsArray = grads.isNative() ? null : wholeDoubleArray(grads);
            if (params.isNative() && grads.isNative()) {
                q = params;
                g = grads;
                run(DATA_SEGMENTS, pool != null && pool.accessible(params) && pool.accessible(grads));
            } else if (paramsArray != null && gradsArray != null) {
                qD = paramsArray;
                gD = gradsArray;
                run(DATA_DOUBLES, true);
            } else {
                q = params;
                g = grads;
                run(DATA_OTHER_SEGMENTS, pool != null && pool.accessible(params) && pool.accessible(grads));
            }
        } finally {
            q = g = null;
            qD = gD = null;
            exit();
        }
    }

    private double[] wholeDoubleArray(MemorySegment segment) {
        if (segment.address() == 0 && segment.heapBase().orElse(null) instanceof double[] array
                && array.length == dimension) {
            return array;
        }
        return null;
    }

    private void run(int kind, boolean mayUsePool) {
        data = kind;
        chunks = pool != null && mayUsePool ? chunkBounds.length - 1 : 1;
        boolean floats = kind == DATA_FLOATS;
        long bad = firstNonFinite();
        if (bad >= 0) {
            if (config.nonFinitePolicy() == NonFinitePolicy.SKIP) {
                skippedSteps++;
                return;
            }
            double value = switch (kind) {
                case DATA_DOUBLES -> gD[(int) bad];
                case DATA_FLOATS -> gF[(int) bad];
                default -> g.getAtIndex(JAVA_DOUBLE, bad);
            };
            throw new NonFiniteGradientException(bad, value);
        }
        if (precision == null) {
            fixPrecision(floats ? Precision.FLOAT : Precision.DOUBLE);
        }
        coefficients.prepare(steps + 1);
        runPass(PASS_STEP);
        steps++;
    }

    private long firstNonFinite() {
        runPass(PASS_CHECK);
        for (int c = 0; c < chunks; c++) { // chunks ascend: the first bad chunk holds the lowest index
            if (chunkNonFinite[c] >= 0) {
                return chunkNonFinite[c];
            }
        }
        return -1;
    }

    private void runPass(int kind) {
        passKind = kind;
        if (chunks == 1) {
            pass.run(0);
        } else {
            pool.run(pass, chunks);
        }
    }

    /** One chunk of the current pass; a field, not a lambda, so a step allocates nothing. */
    private final class Pass implements WorkerPool.Task {
        @Override
        public void run(int claimed) {
            // The pool hands chunks out from the last one down, so the scan (itself downwards) ends at
            // the start of g; the step reverses the order to begin there, while that part is cached.
            int chunk = passKind == PASS_STEP ? chunks - 1 - claimed : claimed;
            long from = chunks == 1 ? 0 : chunkBounds[chunk];
            long to = chunks == 1 ? dimension : chunkBounds[chunk + 1];
            DiagonalKernels k = data == DATA_OTHER_SEGMENTS ? SCALAR : kernels;
            if (passKind == PASS_CHECK) {
                chunkNonFinite[chunk] = switch (data) {
                    case DATA_DOUBLES -> k.firstNonFinite(gD, from, to);
                    case DATA_FLOATS -> k.firstNonFinite(gF, from, to);
                    default -> k.firstNonFinite(g, from, to);
                };
                return;
            }
            switch (data) {
                case DATA_DOUBLES -> k.step(coefficients, qD, gD, m, s, mu, from, to);
                case DATA_FLOATS -> k.step(coefficients, qF, gF, m, s, mu, from, to);
                default -> k.step(coefficients, q, g, m, s, mu, from, to);
            }
        }
    }

    // ---- state ----

    private void requirePrecision(Precision wanted, String call) {
        if (precision != null && precision != wanted) {
            throw new IllegalStateException(call + " refused: this optimizer keeps " + precision
                    + " state (fixed by its first step); use one optimizer per precision");
        }
    }

    /** The state's element type, or null before the first step (the slices are then double). */
    public Precision precision() { return precision; }

    /**
     * Fixes the state's element type (the first step does this; a checkpoint loader calls it before
     * copying float slices back). Idempotent for the same precision; the other one is refused.
     */
    public void fixPrecision(Precision p) {
        Objects.requireNonNull(p, "precision must not be null");
        requireOpen();
        if (precision != null) {
            requirePrecision(p, "fixPrecision(" + p + ")");
            return;
        }
        if (p == Precision.FLOAT) {
            long bytes = (long) dimension * Float.BYTES;
            m = m == null ? null : m.asSlice(0, bytes);
            s = s == null ? null : s.asSlice(0, bytes);
            mu = mu == null ? null : mu.asSlice(0, bytes);
            slices = sliceList(Float.BYTES);
        }
        precision = p;
    }

    private List<StateSlice> sliceList(int elementBytes) {
        List<StateSlice> list = new ArrayList<>(3);
        if (m != null) {
            list.add(new StateSlice("m", m));
        }
        if (s != null) {
            list.add(new StateSlice(op == KernelOp.BELIEF ? "b" : "s", s));
        }
        if (mu != null) {
            list.add(new StateSlice("mu", mu));
        }
        assert list.stream().allMatch(x -> x.segment().byteSize() == (long) dimension * elementBytes);
        return List.copyOf(list);
    }

    /**
     * m, then s (b for BELIEF), then μ (COVARIANCE with the METRIC mean), as the config needs; empty
     * for SGD. Elements are floats once {@link #precision()} is FLOAT, doubles otherwise.
     */
    @Override
    public List<StateSlice> stateSlices() { return slices; }

    /** Off-heap bytes held: the double-sized buffers, whatever the precision. */
    @Override
    public long stateBytes() {
        return (long) op.stateSlices() * dimension * Double.BYTES;
    }

    @Override
    public void close() {
        super.close();
        if (pool != null) {
            pool.close();
        }
    }

    // ---- FULL-only queries ----

    @Override
    public double[] eigenvalues() {
        throw new UnsupportedOperationException("eigenvalues() needs structure FULL; this optimizer is DIAGONAL");
    }

    @Override
    public int clampedEigenvalues() {
        throw new UnsupportedOperationException("clampedEigenvalues() needs structure FULL; this optimizer is DIAGONAL");
    }

    @Override
    public double effectiveDimension() {
        throw new UnsupportedOperationException("effectiveDimension() needs structure FULL; this optimizer is DIAGONAL");
    }
}
