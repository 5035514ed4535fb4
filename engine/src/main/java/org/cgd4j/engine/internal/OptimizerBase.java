package org.cgd4j.engine.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;

/**
 * What every optimizer shares: config, dimension, the owning Arena, the step counters, the
 * closed flag and the one-thread-at-a-time guard. Subclasses check arguments with the
 * {@code require...} helpers before they write anything.
 */
public abstract class OptimizerBase implements Optimizer {
    protected final CgdConfig config;
    protected final int dimension;
    /** Owns all off-heap state; shared so that a kernel's worker threads may read it. */
    protected final Arena arena = Arena.ofShared();
    protected long steps;
    protected long skippedSteps;
    private boolean closed;
    private final AtomicBoolean busy = new AtomicBoolean();

    protected OptimizerBase(CgdConfig config, int dimension) {
        this.config = java.util.Objects.requireNonNull(config, "config must not be null");
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override public final CgdConfig config() { return config; }
    @Override public final int dimension() { return dimension; }
    @Override public final long steps() { return steps; }
    @Override public final long skippedSteps() { return skippedSteps; }

    /** Marks the start of a step; refuses a closed optimizer and a second thread. Pair with {@link #exit()}. */
    protected final void enter() {
        if (!busy.compareAndSet(false, true)) {
            throw new java.util.ConcurrentModificationException(
                    "step() or save() called from two threads at once: an Optimizer is confined to one thread at a time");
        }
        if (closed) {
            busy.set(false);
            throw new IllegalStateException("optimizer is closed");
        }
    }

    /**
     * Marks the end of a step. A release store suffices: the next {@link #enter()}'s compare-and-set
     * (on whatever thread) acquires it and so sees everything this step wrote, and a volatile store
     * would add a full fence to every step.
     */
    protected final void exit() { busy.setRelease(false); }

    protected final void requireOpen() {
        if (closed) {
            throw new IllegalStateException("optimizer is closed");
        }
    }

    protected final void requireLength(String name, int length) {
        if (length != dimension) {
            throw new IllegalArgumentException(name + " has " + length + " elements, the optimizer's dimension is " + dimension);
        }
    }

    /** A native double segment of exactly d elements, alive, usable by this thread and aligned for doubles. */
    protected final void requireSegment(String name, MemorySegment s) {
        requireUsable(name, s);
        if (s.byteSize() != (long) dimension * Double.BYTES) {
            throw new IllegalArgumentException(name + " has " + s.byteSize() + " bytes, expected "
                    + (long) dimension * Double.BYTES + " (" + dimension + " doubles)");
        }
        requireDoubleAligned(name, s);
    }

    /**
     * A segment that this thread may read and write now: not null, its arena alive and not confined
     * to another thread. Every segment argument passes this before a step writes anything, because
     * the JDK only checks at the first access ({@code WrongThreadException},
     * {@code IllegalStateException}), which may come after state was written.
     */
    protected static void requireUsable(String name, MemorySegment s) {
        if (s == null) { // the message is built only when thrown: built every step, it cost 80 bytes a step where C2 kept it
            throw new NullPointerException(name + " must not be null");
        }
        if (!s.scope().isAlive()) {
            throw new IllegalStateException(name + " belongs to a closed arena");
        }
        if (!s.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalStateException(name + " is confined to another thread (a confined arena's segment may be used"
                    + " only by its owner thread); pass a segment of a shared, global or auto arena, or step on its owner thread");
        }
    }

    /** Aligned to 8 bytes in address and in what the segment's memory guarantees. */
    protected static void requireDoubleAligned(String name, MemorySegment s) {
        if (s.maxByteAlignment() < ValueLayout.JAVA_DOUBLE.byteAlignment()
                || s.address() % ValueLayout.JAVA_DOUBLE.byteAlignment() != 0) {
            throw new IllegalArgumentException(name + " is not aligned to 8 bytes");
        }
    }

    /** Refuses state larger than {@link CgdConfig#maxStateBytes()}, naming the bytes needed. */
    protected final void requireStateFits(long bytes) {
        if (bytes > config.maxStateBytes() || bytes < 0) {
            throw new IllegalArgumentException("state for dimension " + dimension + " needs " + bytes
                    + " bytes, more than maxStateBytes = " + config.maxStateBytes());
        }
    }

    @Override
    public void close() {
        if (!busy.compareAndSet(false, true)) {
            throw new java.util.ConcurrentModificationException("close() called while a step is running");
        }
        try {
            if (!closed) {
                closed = true;
                arena.close();
            }
        } finally {
            busy.set(false);
        }
    }

    protected final boolean isClosed() { return closed; }

    /** Writes a checkpoint (see internal/checkpoint); holds the step guard so no step changes the state meanwhile. */
    @Override
    public void save(java.nio.file.Path path) throws java.io.IOException {
        enter();
        try {
            org.cgd4j.engine.internal.checkpoint.Checkpoints.save(this, path);
        } finally {
            exit();
        }
    }

    /**
     * Every piece of state that a resumed run needs to continue bit-identically, in a fixed order
     * (checkpoints copy them byte for byte). Counters other than {@link #steps} and
     * {@link #skippedSteps} must be derivable from them or stored in a slice.
     */
    public abstract java.util.List<StateSlice> stateSlices();

    // ---- training-loop controls: a one-vector optimizer without them (the facade overrides) ----

    @Override public org.cgd4j.engine.ParamLayout layout() { return org.cgd4j.engine.ParamLayout.vector(dimension); }
    @Override public org.cgd4j.engine.Schedule schedule() { return org.cgd4j.engine.Schedule.constant(); }
    @Override public double clipNorm() { return 0; }
    @Override public double lastGradientNorm() { return Double.NaN; }
    @Override public double learningRateScale() { return 1; }
    @Override public java.util.List<org.cgd4j.engine.KroneckerBlockInfo> kroneckerBlocks() { return java.util.List.of(); }

    @Override
    public void setLearningRateScale(double scale) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no learning-rate scale");
    }

    @Override
    public void stepFloats(MemorySegment params, MemorySegment grads) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no float segment step");
    }

    @Override
    public void stepRows(double[] params, int[] rows, double[] rowGrads) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no row-sparse step");
    }

    @Override
    public void stepRows(float[] params, int[] rows, float[] rowGrads) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no row-sparse step");
    }

    @Override
    public void stepRows(MemorySegment params, int[] rows, MemorySegment rowGrads) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no row-sparse step");
    }

    /**
     * t of the step about to run, refusing one that the counter cannot count: the step counter is
     * never incremented past {@link Long#MAX_VALUE} (a wrapped, negative t would corrupt the bias
     * corrections and make the optimizer's own checkpoints unreadable). Call before writing anything.
     */
    protected final long nextStep() {
        if (steps == Long.MAX_VALUE) {
            throw new IllegalStateException("step refused, nothing changed: the step counter is at Long.MAX_VALUE ("
                    + steps + ") and cannot count another step");
        }
        return steps + 1;
    }

    /** Counts a skipped step, refusing (before anything is written) one that the counter cannot count. */
    protected final void countSkipped() {
        if (skippedSteps == Long.MAX_VALUE) {
            throw new IllegalStateException("step refused, nothing changed: the skipped-step counter is at Long.MAX_VALUE ("
                    + skippedSteps + ") and cannot count another skip");
        }
        skippedSteps++;
    }

    /**
     * Restores the counters saved with the slices (checkpoint load only). Any value ≥ 0 is accepted,
     * Long.MAX_VALUE too: such an optimizer loads, saves and reports its state, and refuses the step
     * (or skip) that would count past it ({@link #nextStep()}, {@link #countSkipped()}).
     */
    public final void restoreCounters(long steps, long skippedSteps) {
        if (steps < 0 || skippedSteps < 0) {
            throw new IllegalArgumentException("negative step counters: steps " + steps + ", skipped " + skippedSteps);
        }
        this.steps = steps;
        this.skippedSteps = skippedSteps;
    }
}
