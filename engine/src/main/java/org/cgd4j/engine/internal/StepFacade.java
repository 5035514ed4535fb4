package org.cgd4j.engine.internal;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.internal.group.DiagonalGroup;
import org.cgd4j.engine.internal.group.FullGroup;
import org.cgd4j.engine.internal.group.RowPlan;
import org.cgd4j.engine.internal.group.Span;
import org.cgd4j.engine.internal.kronecker.KroneckerGroup;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kernel.WorkerPool;

/**
 * The optimizer: one place that checks arguments, guards against concurrent steps, counts t and
 * applies the training-loop terms (schedule, user scale, clipping, decays), over parameter groups
 * that each precondition their own ranges of the flat vector (SPEC "One step" and "Training-loop
 * terms"). Built only by {@link Engines}.
 *
 * <p><b>One step</b>, "check, then commit": (1) the arguments; (2) the gradient, every element,
 * under THROW and SKIP (DIAGONAL runs by the vectorised scan, FULL groups on their gathered copy),
 * and its global norm when clipping; (3) every FULL group prepares its direction into work
 * buffers, the only part that can fail; (4) the DIAGONAL groups run their fused passes; (5) the
 * FULL groups commit and update their params. A refusal before (4) leaves params, state and t
 * exactly as they were.
 *
 * <p><b>DIAGONAL state</b> (m, s or b, μ) is kept in flat buffers of d elements shared by all
 * DIAGONAL groups, each group using the indices of its own params, so a run's state is the same
 * range of those buffers and a group with a single run over [0, d) is exactly the old one-vector
 * optimizer. Buffers are double-sized and zeroed at construction; float state uses their first
 * half. A FULL group's positions in them are unused (d·8 bytes each at most, beside its d_g²).
 *
 * <p><b>Threads</b>: each pass over a run is cut into chunks that the caller and the pool's
 * workers claim (see {@link WorkerPool}); every element is computed by the same operations
 * wherever it runs, so results do not depend on the thread count.
 */
public final class StepFacade extends OptimizerBase {
    private static final int PASS_CHECK = 0, PASS_STEP = 1, PASS_CHECK_SQUARES = 2, PASS_SQUARES = 3;
    private static final int DATA_SEGMENTS = 0, DATA_DOUBLES = 1, DATA_FLOATS = 2, DATA_OTHER_SEGMENTS = 3,
            DATA_FLOAT_SEGMENTS = 4, DATA_OTHER_FLOAT_SEGMENTS = 5;
    private static final DiagonalKernels SCALAR = KernelLookup.scalar();

    private final OptimizerSpec spec;
    private final DiagonalKernels kernels;
    private final DiagonalGroup[] diagonal;
    private final FullGroup[] full;
    private final KroneckerGroup[] kronecker;
    /** The ranges the vectorised scan checks: the DIAGONAL groups' runs, adjacent ones merged. */
    private final Span[] scanSpans;
    private final WorkerPool pool;
    private final Pass pass = new Pass();
    private final NonFinitePolicy policy;
    /** [0, d) cut at multiples of the norm's block, when clipping is on (else null), and the block sums. */
    private final Span normSpan;
    private final double[] blockSums;
    /** Slices per element the DIAGONAL groups need at most (m, s, μ). */
    private final int diagonalSlices;

    private Precision precision;
    private MemorySegment m, s, mu;
    /** Whether a dense step has placed the DIAGONAL state at its params' phase ({@link #placeState}). */
    private boolean placed;
    /**
     * Bytes each DIAGONAL state buffer holds beyond its d doubles: room to start the state at the
     * phase (mod 64) of the params ({@link #placeState}). Not counted by {@link #stateBytes()} or
     * StatePlan (at most 192 bytes per optimizer).
     */
    private static final int PLACEMENT_BYTES = 64;
    /** The DIAGONAL state's buffers, {@link #PLACEMENT_BYTES} longer than d doubles: m, s, mu are slices at a phase. */
    private final MemorySegment mBuffer, sBuffer, muBuffer;
    private List<StateSlice> slices;

    /** Row-sparse steps: the table's rows plan (null unless the layout is one tensor in one DIAGONAL group). */
    private final RowPlan rowPlan;

    private double learningRateScale = 1;
    private double lastGradientNorm = Double.NaN;

    // The step in flight, read by the pool's workers.
    private MemorySegment q, g;
    private double[] qD, gD;
    private float[] qF, gF;
    private int data;
    private int passKind;
    private Span span;
    private DiagonalGroup group;
    private int chunks;

    StepFacade(OptimizerSpec spec, Factories factories) {
        super(spec.primaryConfig(), spec.layout().dimension());
        this.spec = spec;
        this.policy = spec.primaryConfig().nonFinitePolicy();
        this.kernels = KernelLookup.kernels();
        List<DiagonalGroup> diagonalGroups = new ArrayList<>();
        List<FullGroup> fullGroups = new ArrayList<>();
        List<KroneckerGroup> kroneckerGroups = new ArrayList<>();
        List<long[]> scan = new ArrayList<>();
        int maxSlices = 0;
        WorkerPool startedPool = null;
        try {
            for (int k = 0; k < spec.groups().size(); k++) {
                var config = spec.groups().get(k).config();
                List<int[]> runs = spec.runsOf(k);
                switch (config.structure()) {
                    case DIAGONAL -> {
                        List<Span> spans = new ArrayList<>();
                        for (int[] run : runs) {
                            spans.add(new Span(run[0], run[0] + run[1], spec.threads(), factories.minElementsPerChunk()));
                        }
                        DiagonalGroup dg = new DiagonalGroup(k, config, spans);
                        requireFits(config, (long) dg.op.stateSlices() * dimension * Double.BYTES);
                        maxSlices = Math.max(maxSlices, dg.op.stateSlices());
                        diagonalGroups.add(dg);
                        for (int[] run : runs) {
                            mergeInto(scan, run[0], run[0] + run[1]);
                        }
                    }
                    case FULL -> {
                        int n = runs.stream().mapToInt(r -> r[1]).sum();
                        fullGroups.add(new FullGroup(k, config, runs, factories.full(config, n, arena)));
                    }
                    case KRONECKER -> {
                        List<ParamLayout.Tensor> tensors = spec.groups().get(k).tensors().stream()
                                .map(spec.layout()::tensor).sorted(java.util.Comparator.comparingInt(ParamLayout.Tensor::offset)).toList();
                        requireFits(config, KroneckerGroup.bytes(config, tensors));
                        kroneckerGroups.add(factories.kronecker(k, config, tensors, arena, spec.threads()));
                        for (int[] run : runs) { // its frame step runs the DIAGONAL kernels: the same check
                            mergeInto(scan, run[0], run[0] + run[1]);
                        }
                    }
                }
            }
            this.diagonal = diagonalGroups.toArray(DiagonalGroup[]::new);
            this.full = fullGroups.toArray(FullGroup[]::new);
            this.kronecker = kroneckerGroups.toArray(KroneckerGroup[]::new);
            this.diagonalSlices = maxSlices;
            long bytes = (long) dimension * Double.BYTES + PLACEMENT_BYTES;
            mBuffer = maxSlices >= 1 ? arena.allocate(bytes, 64) : null;
            sBuffer = maxSlices >= 2 ? arena.allocate(bytes, 64) : null;
            muBuffer = maxSlices >= 3 ? arena.allocate(bytes, 64) : null;
            m = place(mBuffer, 0, (long) dimension * Double.BYTES);
            s = place(sBuffer, 0, (long) dimension * Double.BYTES);
            mu = place(muBuffer, 0, (long) dimension * Double.BYTES);
            this.scanSpans = scan.stream().map(r -> new Span(r[0], r[1], spec.threads(), factories.minElementsPerChunk()))
                    .toArray(Span[]::new);
            this.slices = sliceList(Double.BYTES);
            ParamLayout.Tensor only = spec.layout().tensors().size() == 1 ? spec.layout().tensors().getFirst() : null;
            this.rowPlan = only != null && diagonal.length == 1
                    ? new RowPlan(only.rows(), only.cols()) : null;
            this.normSpan = spec.clipNorm() > 0 ? new Span(0, dimension, spec.threads(), Math.max(factories.minElementsPerChunk(),
                    DiagonalKernels.NORM_BLOCK), DiagonalKernels.NORM_BLOCK) : null;
            this.blockSums = spec.clipNorm() > 0 ? new double[DiagonalKernels.normBlocks(dimension)] : null;
            // Threads last: nothing after this can fail and leave them running.
            int poolThreads = Math.min(spec.threads(), maxChunks());
            startedPool = poolThreads > 1 ? factories.pool(poolThreads, "cgd4j-step") : null;
            this.pool = startedPool;
        } catch (Throwable e) {
            // A half-built optimizer keeps nothing: its native memory and any started threads go.
            if (startedPool != null) {
                startedPool.close();
            }
            arena.close();
            throw e;
        }
    }

    /** The implementations a facade is built from (tests inject eigensolvers and small chunks). */
    interface Factories {
        org.cgd4j.engine.internal.full.FullPreconditioner full(org.cgd4j.engine.CgdConfig config, int n,
                                                               java.lang.foreign.Arena arena);

        long minElementsPerChunk();

        KroneckerGroup kronecker(int index, org.cgd4j.engine.CgdConfig config,
                                                                   List<ParamLayout.Tensor> tensors, java.lang.foreign.Arena arena,
                                                                   int threads);

        /** The worker pool for {@code threads} ≥ 2 (tests inject one whose threads fail to start). */
        default WorkerPool pool(int threads, String name) {
            return new WorkerPool(threads, name);
        }
    }

    /** Adds [from, to) to ranges in layout order, merged with the last one when adjacent. */
    private static void mergeInto(List<long[]> ranges, long from, long to) {
        long[] last = ranges.isEmpty() ? null : ranges.getLast();
        if (last != null && last[1] == from) {
            last[1] = to;
        } else {
            ranges.add(new long[] {from, to});
        }
    }

    private int maxChunks() {
        int most = normSpan != null ? normSpan.chunks() : 1;
        for (Span sp : scanSpans) {
            most = Math.max(most, sp.chunks());
        }
        for (DiagonalGroup dg : diagonal) {
            for (Span sp : dg.runs) {
                most = Math.max(most, sp.chunks());
            }
        }
        for (var kg : kronecker) {
            most = Math.max(most, kg.blockShapes().size());
        }
        return most;
    }

    private void requireFits(org.cgd4j.engine.CgdConfig c, long bytes) {
        if (bytes > c.maxStateBytes() || bytes < 0) {
            throw new IllegalArgumentException("state for dimension " + dimension + " needs " + bytes
                    + " bytes, more than maxStateBytes = " + c.maxStateBytes());
        }
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
            if (full.length > 0) {
                throw new UnsupportedOperationException("structure FULL keeps its d×d metric in double precision only:"
                        + " call step(double[], double[]) or step(MemorySegment, MemorySegment) with doubles");
            }
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

    /**
     * As {@link #step(MemorySegment, MemorySegment)} on float segments: the single-precision step of
     * {@link #step(float[], float[])} (float state, float DIAGONAL kernels, float KRONECKER), bit for
     * bit the same. Native segments run the segment kernels, heap segments that wrap a whole float[]
     * the array kernels, any other heap segment the scalar kernels.
     */
    @Override
    public void stepFloats(MemorySegment params, MemorySegment grads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(grads, "grads must not be null");
        enter();
        try {
            if (full.length > 0) {
                throw new UnsupportedOperationException("structure FULL keeps its d×d metric in double precision only:"
                        + " call step(double[], double[]) or step(MemorySegment, MemorySegment) with doubles");
            }
            requireFloatSegment("params", params);
            requireFloatSegment("grads", grads);
            if (params.isReadOnly()) {
                throw new IllegalArgumentException("params is a read-only segment");
            }
            requirePrecision(Precision.FLOAT, "stepFloats(MemorySegment, MemorySegment)");
            float[] paramsArray = params.isNative() ? null : wholeFloatArray(params);
            float[] gradsArray = grads.isNative() ? null : wholeFloatArray(grads);
            if (params.isNative() && grads.isNative()) {
                q = params;
                g = grads;
                run(DATA_FLOAT_SEGMENTS, pool != null && pool.accessible(params) && pool.accessible(grads));
            } else if (paramsArray != null && gradsArray != null) {
                qF = paramsArray;
                gF = gradsArray;
                run(DATA_FLOATS, true);
            } else {
                q = params;
                g = grads;
                run(DATA_OTHER_FLOAT_SEGMENTS, pool != null && pool.accessible(params) && pool.accessible(grads));
            }
        } finally {
            q = g = null;
            qF = gF = null;
            exit();
        }
    }

    /** {@link #dimension} floats, usable now and aligned to 4 bytes. */
    private void requireFloatSegment(String name, MemorySegment segment) {
        requireUsable(name, segment);
        if (segment.byteSize() != (long) dimension * Float.BYTES) {
            throw new IllegalArgumentException(name + " has " + segment.byteSize() + " bytes, expected "
                    + (long) dimension * Float.BYTES + " (" + dimension + " floats)");
        }
        if (segment.maxByteAlignment() < Float.BYTES || segment.address() % Float.BYTES != 0) {
            throw new IllegalArgumentException(name + " is not aligned to 4 bytes");
        }
    }

    private float[] wholeFloatArray(MemorySegment segment) {
        if (segment.address() == 0 && segment.heapBase().orElse(null) instanceof float[] array
                && array.length == dimension) {
            return array;
        }
        return null;
    }

    /** Whether a step's data are floats (float state). */
    private static boolean floats(int kind) {
        return kind == DATA_FLOATS || kind == DATA_FLOAT_SEGMENTS || kind == DATA_OTHER_FLOAT_SEGMENTS;
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
        boolean usePool = pool != null && mayUsePool;
        long t = nextStep();
        for (FullGroup fg : full) {
            if (kind == DATA_DOUBLES) {
                fg.gather(gD);
            } else {
                fg.gather(g);
            }
        }
        // With every element DIAGONAL (one scan span, [0, d)) the norm's squares come with the check in one read.
        boolean fused = normSpan != null && policy != NonFinitePolicy.PROPAGATE && full.length == 0;
        if (policy != NonFinitePolicy.PROPAGATE) {
            long bad = fused ? firstBad(PASS_CHECK_SQUARES, normSpan, usePool) : firstNonFinite(usePool);
            if (bad >= 0) {
                if (policy == NonFinitePolicy.SKIP) {
                    countSkipped();
                    return;
                }
                throw new NonFiniteGradientException(bad, gradientAt(kind, bad));
            }
        }
        double lrFactor = spec.schedule().factor(t) * learningRateScale;
        double gradScale = 1;
        if (normSpan != null) {
            if (!fused) {
                runPass(PASS_SQUARES, normSpan, usePool);
            }
            gradScale = clipScale(Math.sqrt(DiagonalKernels.sumBlocks(blockSums, blockSums.length)));
        }
        for (FullGroup fg : full) {
            if (gradScale != 1 || fg.config.l2() != 0) {
                if (kind == DATA_DOUBLES) {
                    fg.clipAndL2(gradScale, qD);
                } else {
                    fg.clipAndL2(gradScale, q);
                }
            }
        }
        int prepared = 0;
        try {
            for (FullGroup fg : full) {
                fg.preconditioner.prepare(t, lrFactor);
                prepared++;
            }
            Object params = kind == DATA_DOUBLES ? qD : kind == DATA_FLOATS ? qF : q;
            Object grads = kind == DATA_DOUBLES ? gD : kind == DATA_FLOATS ? gF : g;
            if (precision == null) { // no step yet: the groups' state is untouched, and takes this step's precision
                for (var kg : kronecker) {
                    kg.useFloat(floats(kind));
                }
            }
            for (var kg : kronecker) { // writes only its blocks' work and next buffers
                kg.prepare(t, lrFactor, gradScale, params, grads, usePool ? pool : null);
            }
        } catch (RuntimeException e) {
            for (int k = 0; k < prepared; k++) {
                full[k].preconditioner.abandon(t);
            }
            if (precision == null) { // a refused first step leaves the precision open and the state as built
                for (var kg : kronecker) {
                    kg.useFloat(false);
                }
            }
            throw e;
        }
        if (precision == null && (diagonal.length > 0 || kronecker.length > 0)) {
            fixPrecision(floats(kind) ? Precision.FLOAT : Precision.DOUBLE);
        }
        if (!placed) { // the first dense step, also after a checkpoint load (which fixed the precision)
            placeState(kind == DATA_SEGMENTS || kind == DATA_FLOAT_SEGMENTS ? (int) (q.address() & 63)
                    : kind == DATA_DOUBLES || kind == DATA_FLOATS ? DiagonalKernels.heapStatePhase(dimension) : 0);
            placed = true;
        }
        for (DiagonalGroup dg : diagonal) {
            dg.coefficients.prepare(t, lrFactor);
            dg.coefficients.terms(gradScale, dg.config.l2(), 1 - dg.coefficients.learningRate() * lrFactor * dg.config.weightDecay());
            group = dg;
            for (Span run : dg.runs) {
                runPass(PASS_STEP, run, usePool);
            }
        }
        group = null;
        for (var kg : kronecker) {
            kg.commit(t, 1 - kg.config.learningRate() * lrFactor * kg.config.weightDecay(),
                    kind == DATA_DOUBLES ? qD : kind == DATA_FLOATS ? qF : q, usePool ? pool : null);
        }
        for (FullGroup fg : full) {
            fg.preconditioner.commit(t);
            double decay = 1 - fg.config.learningRate() * lrFactor * fg.config.weightDecay();
            if (kind == DATA_DOUBLES) {
                fg.descend(qD, decay);
            } else if (decay == 1 && fg.coversAll(dimension) && q.isNative()) {
                fg.preconditioner.descend(q);
            } else {
                fg.descend(q, decay);
            }
        }
        steps = t;
    }

    /** Element {@code index} of the step's gradient (for the message of a refused step). */
    private double gradientAt(int kind, long index) {
        return switch (kind) {
            case DATA_DOUBLES -> gD[(int) index];
            case DATA_FLOATS -> gF[(int) index];
            case DATA_FLOAT_SEGMENTS, DATA_OTHER_FLOAT_SEGMENTS -> g.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, index);
            default -> g.getAtIndex(JAVA_DOUBLE, index);
        };
    }

    /** The lowest flat index of a non-finite gradient element (DIAGONAL: also beyond the kernels' limit), or −1. */
    private long firstNonFinite(boolean usePool) {
        long bad = -1;
        for (Span sp : scanSpans) {
            bad = firstBad(PASS_CHECK, sp, usePool);
            if (bad >= 0) {
                break;
            }
        }
        for (FullGroup fg : full) {
            long k = fg.preconditioner.firstNonFinite();
            if (k >= 0) {
                long flat = fg.flatIndex(k);
                bad = bad < 0 ? flat : Math.min(bad, flat);
            }
        }
        return bad;
    }

    /** Runs a check pass over {@code range}; the lowest bad index in it, or −1. */
    private long firstBad(int kind, Span range, boolean usePool) {
        runPass(kind, range, usePool);
        for (int c = 0; c < chunks; c++) { // chunks ascend: the first bad chunk holds the lowest index
            if (range.chunkNonFinite[c] >= 0) {
                return range.chunkNonFinite[c];
            }
        }
        return -1;
    }

    /**
     * The clipping coefficient c = min(1, maxNorm/(N + 1e-6)) of SPEC (torch clip_grad_norm_) for the
     * gradient's 2-norm N over every tensor, which {@link #lastGradientNorm()} then reports. The squares
     * are summed in fixed blocks in a fixed order (DiagonalKernels' norm contract), so N does not depend
     * on the kernels or the thread count. An overflowing Σg² gives N = ∞ and c = 0, as in torch.
     */
    private double clipScale(double norm) {
        if (Double.isNaN(norm)) { // only under PROPAGATE: a NaN norm cannot scale anything, refuse before any write
            throw new ArithmeticException("the gradient's norm is NaN (NonFinitePolicy.PROPAGATE lets NaN into g), so"
                    + " clipping cannot scale it; step refused, params and state unchanged");
        }
        lastGradientNorm = norm;
        return Math.min(1, spec.clipNorm() / (norm + 1e-6));
    }

    private void runPass(int kind, Span range, boolean usePool) {
        passKind = kind;
        span = range;
        chunks = usePool ? range.chunks() : 1;
        if (chunks == 1) { // the common case, called directly: through Pass it cost about 5 ns a step (d = 1e3)
            runChunk(kind, 0, range.from, range.to);
        } else {
            pool.run(pass, chunks);
        }
    }

    /** Chunk {@code chunk} = [from, to) of the current pass: the check passes, or the step. */
    private void runChunk(int kind, int chunk, long from, long to) {
        if (kind == PASS_STEP) {
            stepChunk(from, to);
        } else {
            checkChunk(kind, chunk, from, to);
        }
    }

    /** One chunk of a pool-run pass; a field, not a lambda, so a step allocates nothing. */
    private final class Pass implements WorkerPool.Task {
        @Override
        public void run(int claimed) {
            // The pool hands chunks out from the last one down, so the scan ends in the first chunk of g;
            // the step reverses the order to begin there, while that part is cached.
            int chunk = passKind == PASS_STEP ? chunks - 1 - claimed : claimed;
            runChunk(passKind, chunk, span.chunkFrom(chunk), span.chunkTo(chunk));
        }
    }

    /** The kernels for data of {@code kind}: the scalar ones for heap segments that wrap no whole array. */
    private DiagonalKernels kernelsFor(int kind) {
        return kind == DATA_OTHER_SEGMENTS || kind == DATA_OTHER_FLOAT_SEGMENTS ? SCALAR : kernels;
    }

    private void checkChunk(int kind, int chunk, long from, long to) {
        DiagonalKernels k = kernelsFor(data);
        switch (kind) {
            case PASS_CHECK -> span.chunkNonFinite[chunk] = switch (data) {
                case DATA_DOUBLES -> k.firstNonFinite(gD, from, to);
                case DATA_FLOATS -> k.firstNonFinite(gF, from, to);
                case DATA_FLOAT_SEGMENTS, DATA_OTHER_FLOAT_SEGMENTS -> k.firstNonFiniteFloat(g, from, to);
                default -> k.firstNonFinite(g, from, to);
            };
            case PASS_CHECK_SQUARES -> span.chunkNonFinite[chunk] = switch (data) {
                case DATA_DOUBLES -> k.firstNonFiniteSquares(gD, from, to, blockSums);
                case DATA_FLOATS -> k.firstNonFiniteSquares(gF, from, to, blockSums);
                case DATA_FLOAT_SEGMENTS, DATA_OTHER_FLOAT_SEGMENTS -> k.firstNonFiniteSquaresFloat(g, from, to, blockSums);
                default -> k.firstNonFiniteSquares(g, from, to, blockSums);
            };
            default -> { // PASS_SQUARES
                switch (data) {
                    case DATA_DOUBLES -> k.squares(gD, from, to, blockSums);
                    case DATA_FLOATS -> k.squares(gF, from, to, blockSums);
                    case DATA_FLOAT_SEGMENTS, DATA_OTHER_FLOAT_SEGMENTS -> k.squaresFloat(g, from, to, blockSums);
                    default -> k.squares(g, from, to, blockSums);
                }
            }
        }
    }

    private void stepChunk(long from, long to) {
        DiagonalKernels k = kernelsFor(data);
        var c = group.coefficients;
        switch (data) {
            case DATA_DOUBLES -> k.step(c, qD, gD, m, s, mu, from, to);
            case DATA_FLOATS -> k.step(c, qF, gF, m, s, mu, from, to);
            case DATA_FLOAT_SEGMENTS, DATA_OTHER_FLOAT_SEGMENTS -> k.stepFloat(c, q, g, 0, m, s, mu, from, to);
            default -> k.step(c, q, g, m, s, mu, from, to);
        }
    }

    // ---- row-sparse steps (SPEC "Row-sparse step") ----

    @Override
    public void stepRows(double[] params, int[] rows, double[] rowGrads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(rows, "rows must not be null");
        Objects.requireNonNull(rowGrads, "rowGrads must not be null");
        enter();
        try {
            requireTable();
            requireLength("params", params.length);
            requirePrecision(Precision.DOUBLE, "stepRows(double[], int[], double[])");
            rowPlan.plan(rows, rowGrads.length);
            qD = params;
            gD = rowPlan.gradients(rows, rowGrads);
            runRows(DATA_DOUBLES, kernels);
        } finally {
            qD = gD = null;
            exit();
        }
    }

    @Override
    public void stepRows(float[] params, int[] rows, float[] rowGrads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(rows, "rows must not be null");
        Objects.requireNonNull(rowGrads, "rowGrads must not be null");
        enter();
        try {
            requireTable();
            requireLength("params", params.length);
            requirePrecision(Precision.FLOAT, "stepRows(float[], int[], float[])");
            rowPlan.plan(rows, rowGrads.length);
            qF = params;
            gF = rowPlan.gradients(rows, rowGrads);
            runRows(DATA_FLOATS, kernels);
        } finally {
            qF = gF = null;
            exit();
        }
    }

    @Override
    public void stepRows(MemorySegment params, int[] rows, MemorySegment rowGrads) {
        Objects.requireNonNull(params, "params must not be null");
        Objects.requireNonNull(rows, "rows must not be null");
        Objects.requireNonNull(rowGrads, "rowGrads must not be null");
        enter();
        try {
            requireTable();
            requireSegment("params", params);
            if (params.isReadOnly()) {
                throw new IllegalArgumentException("params is a read-only segment");
            }
            requireUsable("rowGrads", rowGrads);
            if (rowGrads.address() % Double.BYTES != 0 || rowGrads.maxByteAlignment() < Double.BYTES) {
                throw new IllegalArgumentException("rowGrads is not aligned to 8 bytes");
            }
            if (rowGrads.byteSize() % Double.BYTES != 0) {
                throw new IllegalArgumentException("rowGrads has " + rowGrads.byteSize() + " bytes, not a whole number of doubles");
            }
            requirePrecision(Precision.DOUBLE, "stepRows(MemorySegment, int[], MemorySegment)");
            rowPlan.plan(rows, rowGrads.byteSize() / Double.BYTES);
            q = params;
            g = rowPlan.gradients(rows, rowGrads);
            // Native segments run the vector kernels; heap ones the scalar kernels (no heap/native mixing).
            runRows(DATA_SEGMENTS, params.isNative() && g.isNative() ? kernels : SCALAR);
        } finally {
            q = g = null;
            exit();
        }
    }

    private void requireTable() {
        if (rowPlan == null) {
            throw new UnsupportedOperationException("stepRows needs a layout of one tensor (a rows × cols table) in one"
                    + " DIAGONAL group; this optimizer has " + spec.layout().tensors().size() + " tensors in "
                    + spec.groups().size() + " groups (" + (full.length > 0 ? "FULL" : "DIAGONAL") + ")");
        }
    }

    /**
     * One row-sparse step with the distinct rows' packed gradients in gD, gF or g: check them (THROW,
     * SKIP), clip by their norm, then each distinct row [row·cols, row·cols + cols) through the fused
     * kernels with its gradient read at its packed position, all rows in one kernel call
     * (DiagonalKernels.stepRows). Rows not listed are not touched.
     */
    private void runRows(int kind, DiagonalKernels k) {
        long t = nextStep();
        int cols = spec.layout().tensors().getFirst().cols();
        long values = (long) rowPlan.count() * cols;
        if (policy != NonFinitePolicy.PROPAGATE) {
            long bad = switch (kind) {
                case DATA_DOUBLES -> k.firstNonFinite(gD, 0, values);
                case DATA_FLOATS -> k.firstNonFinite(gF, 0, values);
                default -> k.firstNonFinite(g, 0, values);
            };
            if (bad >= 0) {
                if (policy == NonFinitePolicy.SKIP) {
                    countSkipped();
                    return;
                }
                throw new NonFiniteGradientException((long) rowPlan.row((int) (bad / cols)) * cols + bad % cols,
                        gradientAt(kind, bad));
            }
        }
        double lrFactor = spec.schedule().factor(t) * learningRateScale;
        double gradScale = 1;
        if (normSpan != null) {
            switch (kind) {
                case DATA_DOUBLES -> k.squares(gD, 0, values, blockSums);
                case DATA_FLOATS -> k.squares(gF, 0, values, blockSums);
                default -> k.squares(g, 0, values, blockSums);
            }
            gradScale = clipScale(Math.sqrt(DiagonalKernels.sumBlocks(blockSums, DiagonalKernels.normBlocks(values))));
        }
        if (precision == null) {
            fixPrecision(kind == DATA_FLOATS ? Precision.FLOAT : Precision.DOUBLE);
        }
        DiagonalGroup dg = diagonal[0];
        var c = dg.coefficients;
        c.prepare(t, lrFactor);
        c.terms(gradScale, dg.config.l2(), 1 - c.learningRate() * lrFactor * dg.config.weightDecay());
        int[] rows = rowPlan.rows();
        int count = rowPlan.count();
        switch (kind) { // every row in one kernel call (one dispatch per step, rows overlapped by the core)
            case DATA_DOUBLES -> k.stepRows(c, qD, gD, rows, count, cols, m, s, mu);
            case DATA_FLOATS -> k.stepRows(c, qF, gF, rows, count, cols, m, s, mu);
            default -> k.stepRows(c, q, g, rows, count, cols, m, s, mu);
        }
        steps = t;
    }

    // ---- training-loop controls ----

    @Override
    public ParamLayout layout() { return spec.layout(); }

    @Override
    public Schedule schedule() { return spec.schedule(); }

    @Override
    public double clipNorm() { return spec.clipNorm(); }

    @Override
    public double lastGradientNorm() { return lastGradientNorm; }

    @Override
    public double learningRateScale() { return learningRateScale; }

    @Override
    public void setLearningRateScale(double scale) {
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("learning-rate scale must be a finite number >= 0, got " + scale);
        }
        enter();
        try {
            learningRateScale = scale;
        } finally {
            exit();
        }
    }

    /** Restores κ from a checkpoint (load only). */
    public void restoreLearningRateScale(double scale) { learningRateScale = scale; }

    /** The spec this optimizer was built from (checkpoints store it). */
    public OptimizerSpec spec() { return spec; }

    // ---- state ----

    private void requirePrecision(Precision wanted, String call) {
        if (precision != null && precision != wanted) {
            throw new IllegalStateException(call + " refused: this optimizer keeps " + precision
                    + " state (fixed by its first step); use one optimizer per precision");
        }
    }

    /** The DIAGONAL state's element type, or null before the first step (the slices are then double). */
    public Precision precision() { return precision; }

    /**
     * Fixes the DIAGONAL state's element type (the first step does this; a checkpoint loader calls it
     * before copying float slices back). Idempotent for the same precision; the other one is refused.
     */
    public void fixPrecision(Precision p) {
        Objects.requireNonNull(p, "precision must not be null");
        requireOpen();
        if (precision != null) {
            requirePrecision(p, "fixPrecision(" + p + ")");
            return;
        }
        if (p == Precision.FLOAT && full.length > 0) {
            throw new IllegalStateException("an optimizer with a FULL group keeps double state only");
        }
        for (var kg : kronecker) {
            kg.useFloat(p == Precision.FLOAT);
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

    /** {@code bytes} of {@code buffer} from byte {@code phase} (null for null). */
    private static MemorySegment place(MemorySegment buffer, int phase, long bytes) {
        return buffer == null ? null : buffer.asSlice(phase, bytes);
    }

    /**
     * Moves the DIAGONAL state (contents kept) to start {@code phase} bytes past a 64-byte boundary,
     * the phase of the first dense step's params (DiagonalKernels.HEAP_ARRAY_PHASE for heap arrays):
     * the Vector API loops then find q, g and the state on vector boundaries at the same indices. Heap
     * arrays shorter than DiagonalKernels.ALIGN_FROM get no aligning head (and sit anywhere), so their
     * state stays at phase 0, where its own accesses do not split. Once the precision is fixed (by the
     * step or by a checkpoint load; the state slices change).
     */
    private void placeState(int phase) {
        int elementBytes = precision == Precision.FLOAT ? Float.BYTES : Double.BYTES;
        int at = phase & ~(elementBytes - 1);
        if (m == null || m.address() - mBuffer.address() == at) {
            return;
        }
        MemorySegment[] buffers = {mBuffer, sBuffer, muBuffer};
        MemorySegment[] old = {m, s, mu};
        MemorySegment[] moved = new MemorySegment[3];
        for (int k = 0; k < 3; k++) {
            moved[k] = place(buffers[k], at, old[k] == null ? 0 : old[k].byteSize());
            if (moved[k] != null) {
                MemorySegment.copy(old[k], 0, moved[k], 0, old[k].byteSize()); // overlapping: copied as if through a temporary
            }
        }
        m = moved[0];
        s = moved[1];
        mu = moved[2];
        slices = sliceList(elementBytes);
    }

    /** Where the DIAGONAL state starts, in bytes past a 64-byte boundary (−1 without DIAGONAL state); for tests. */
    public int statePhase() {
        return m == null ? -1 : (int) (m.address() & 63);
    }

    /**
     * The checkpoint order. One group keeps the names of the one-vector optimizers: DIAGONAL m, s (b
     * for BELIEF), mu as the config needs; FULL its own list. With several groups each slice is
     * prefixed by its group's index ("1.m"), and a DIAGONAL group of several runs has a slice per
     * run ("1.m@2").
     */
    private List<StateSlice> sliceList(int elementBytes) {
        boolean prefixed = spec.groups().size() > 1;
        List<StateSlice> list = new ArrayList<>();
        int d = 0, f = 0, kr = 0;
        for (int k = 0; k < spec.groups().size(); k++) {
            String prefix = prefixed ? k + "." : "";
            if (kr < kronecker.length && kronecker[kr].index == k) {
                kronecker[kr++].slices(prefix, list);
            } else if (d < diagonal.length && diagonal[d].index == k) {
                DiagonalGroup dg = diagonal[d++];
                String[] names = {"m", dg.op == org.cgd4j.engine.internal.kernel.KernelOp.BELIEF ? "b" : "s", "mu"};
                MemorySegment[] buffers = {m, s, mu};
                for (int slice = 0; slice < dg.op.stateSlices(); slice++) {
                    for (int r = 0; r < dg.runs.length; r++) {
                        Span run = dg.runs[r];
                        String suffix = dg.runs.length > 1 ? "@" + r : "";
                        list.add(new StateSlice(prefix + names[slice] + suffix,
                                buffers[slice].asSlice(run.from * elementBytes, run.length() * elementBytes)));
                    }
                }
            } else {
                FullGroup fg = full[f++];
                for (StateSlice sl : fg.preconditioner.stateSlices()) {
                    list.add(new StateSlice(prefix + sl.name(), sl.segment()));
                }
            }
        }
        return List.copyOf(list);
    }

    @Override
    public List<StateSlice> stateSlices() {
        requireOpen();
        if (full.length > 0 || kronecker.length > 0) { // they swap buffers at every commit: list them anew
            return sliceList(precision == Precision.FLOAT ? Float.BYTES : Double.BYTES);
        }
        return slices;
    }

    /**
     * Off-heap bytes held: the DIAGONAL buffers (double-sized whatever the precision; not counting
     * the {@link #PLACEMENT_BYTES} of room each has to place the state) and every FULL group's.
     */
    @Override
    public long stateBytes() {
        long bytes = (long) diagonalSlices * dimension * Double.BYTES;
        for (FullGroup fg : full) {
            bytes += fg.preconditioner.stateBytes();
        }
        for (var kg : kronecker) {
            bytes += kg.stateBytes();
        }
        return bytes;
    }

    @Override
    public void close() {
        super.close();
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * Why the state a checkpoint restored could not continue, or null (checkpoint load): see
     * {@link org.cgd4j.engine.internal.full.FullPreconditioner#restoredStateProblem(long)}.
     */
    public String restoredStateProblem() {
        for (FullGroup fg : full) {
            String problem = fg.preconditioner.restoredStateProblem(steps);
            if (problem != null) {
                return (spec.groups().size() > 1 ? "group " + fg.index + " (FULL): " : "") + problem;
            }
        }
        return null;
    }

    // ---- FULL diagnostics: the one FULL group's ----

    private FullGroup onlyFull(String call) {
        requireOpen();
        if (full.length != 1) {
            throw new UnsupportedOperationException(call + " needs exactly one group of structure FULL; this optimizer has "
                    + full.length + (full.length == 0 && diagonal.length == 1 ? " (it is DIAGONAL)" : ""));
        }
        return full[0];
    }

    @Override
    public double[] eigenvalues() { return onlyFull("eigenvalues()").preconditioner.eigenvalues(); }

    @Override
    public int clampedEigenvalues() { return onlyFull("clampedEigenvalues()").preconditioner.clampedEigenvalues(); }

    @Override
    public double effectiveDimension() { return onlyFull("effectiveDimension()").preconditioner.effectiveDimension(); }

    /** The one FULL group's S (or B) with its queued updates applied: lower triangle, column-major (tests). */
    public double[] currentS() { return onlyFull("currentS()").preconditioner.currentS(steps); }

    /** The one FULL group's linear algebra (diagnostics, benchmarks). */
    public org.cgd4j.blas.LinearAlgebra linearAlgebra() { return onlyFull("linearAlgebra()").preconditioner.linearAlgebra(); }

    @Override
    public List<org.cgd4j.engine.KroneckerBlockInfo> kroneckerBlocks() {
        requireOpen();
        List<org.cgd4j.engine.KroneckerBlockInfo> out = new ArrayList<>();
        for (var kg : kronecker) {
            out.addAll(kg.blockInfos());
        }
        return out;
    }

    /** The KRONECKER groups, in group order (diagnostics, tests). */
    public List<KroneckerGroup> kroneckerGroups() { return List.of(kronecker); }

    /** The one FULL group's preconditioner (tests, benchmarks). */
    public org.cgd4j.engine.internal.full.FullPreconditioner fullPreconditioner() {
        return onlyFull("fullPreconditioner()").preconditioner;
    }
}
