package org.cgd4j.engine;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.OptimizerSpec;
import org.cgd4j.engine.internal.Precision;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.StepFacade;

/**
 * A step of any structure (FULL and KRONECKER above all) for a host that owns the parameters, the
 * optimizer state and the step count, as {@link DiagonalUpdate} is for DIAGONAL: a framework whose
 * step function subtracts an update itself (Deeplearning4j's {@code GradientUpdater}). {@link #update}
 * turns a native gradient segment, in place, into the update u the host then subtracts (q ← q − u),
 * and keeps the host's state segment equal to the optimizer's committed state.
 *
 * <p><b>Where the state lives.</b> A FULL or KRONECKER step keeps its state double-buffered
 * (it prepares the next factors, eigenbases and moments beside the current ones, so that a failed
 * eigendecomposition changes nothing, and swaps them at commit), and a refresh keeps work buffers;
 * neither fits a fixed host buffer. So the optimizer steps on its own memory, and the host's segment
 * is the state of record: the <em>committed</em> slices the optimizer's checkpoints save, in their
 * order, byte for byte ({@link #stateBytes()} in all). Each step first compares the host's segment
 * with the optimizer's copy ({@code MemorySegment.mismatch}, a read of both) and reads it in when
 * the host changed it (a framework that restores or assigns its updater state, as DL4J's
 * {@code ModelSerializer} does, is followed; the state read is checked before it is used), and writes
 * the committed state back after the step. That costs a compare and a copy of the state per step (for
 * KRONECKER about 2(m² + n²) + 3mn doubles per m × n block against the step's O(mn(m + n)) flops;
 * for FULL about 2n² against its O(n²) step). In return the host's buffer always is the whole state,
 * and nothing is copied when the host saves it.
 *
 * <p><b>The groups.</b> Every tensor of the layout is its own group with the config, so the state of
 * a layout is the sum of its tensors' (a host that sizes state per tensor, as DL4J does, gets the
 * same total): FULL keeps one n × n metric per tensor, KRONECKER its factors per tensor block.
 *
 * <p><b>What the host does</b>, as for {@link DiagonalUpdate}: it counts t (t = 1 at the first step;
 * a restored host continues its count), scales the learning rate ({@code lrFactor}), applies weight
 * decay and L2 itself (configs carrying them are refused), and calls {@link #initializeState} on a
 * fresh state segment or {@link #attachState} on one that holds a state (a restored one) before the
 * first step. NonFinitePolicy
 * SKIP is refused: the host counts every step, and FULL's refresh queue follows the count of steps
 * taken. {@link #ofDoubles} for any structure; {@link #ofFloats} (float gradient, float state, float
 * arithmetic: {@code Optimizer.stepFloats}) for DIAGONAL and KRONECKER, FULL keeping double state only.
 *
 * <p>An instance is not thread-safe; {@link #close} frees its memory.
 */
public final class StructuredUpdate implements AutoCloseable {
    private final StepFacade optimizer;
    private final ParamLayout layout;
    private final long stateBytes;
    private final boolean single;
    private final int elementBytes;
    private final Arena arena = Arena.ofShared();
    /** q = 0 before each step, so that the step leaves q' = −u there. */
    private final MemorySegment scratch;
    private MemorySegment state;
    /** True while the optimizer's copy is one this class committed or checked (false after a read that failed its check). */
    private boolean verified;

    private StructuredUpdate(CgdConfig config, ParamLayout layout, boolean single) {
        Objects.requireNonNull(config, "config must not be null");
        this.layout = Objects.requireNonNull(layout, "layout must not be null");
        this.single = single;
        this.elementBytes = single ? Float.BYTES : Double.BYTES;
        if (single && config.structure() == Structure.FULL) {
            throw new IllegalArgumentException("structure FULL keeps its metric in double precision only: use ofDoubles"
                    + " (a double network)");
        }
        if (config.weightDecay() != 0 || config.l2() != 0) {
            throw new IllegalArgumentException("StructuredUpdate never sees the parameters, so it cannot apply weightDecay = "
                    + config.weightDecay() + " or l2 = " + config.l2() + ": set them to 0 and let the host apply them");
        }
        if (config.nonFinitePolicy() == NonFinitePolicy.SKIP) {
            throw new IllegalArgumentException("NonFinitePolicy SKIP: the host counts every step, a skipped one too, so"
                    + " the optimizer's count of steps taken would drift from it; use THROW or PROPAGATE");
        }
        List<OptimizerSpec.Group> groups = new ArrayList<>();
        for (ParamLayout.Tensor t : layout.tensors()) {
            groups.add(new OptimizerSpec.Group(config, List.of(t.name())));
        }
        this.optimizer = Engines.create(new OptimizerSpec(layout, groups, Schedule.constant(), 0, config.threads()));
        try {
            optimizer.fixPrecision(single ? Precision.FLOAT : Precision.DOUBLE);
            long bytes = 0;
            for (StateSlice slice : optimizer.stateSlices()) {
                bytes += slice.segment().byteSize();
            }
            this.stateBytes = bytes;
            this.scratch = arena.allocate((long) layout.dimension() * elementBytes, 64);
        } catch (RuntimeException | Error e) {
            optimizer.close();
            arena.close();
            throw e;
        }
    }

    /** An update over {@code layout}'s doubles, each tensor a group with {@code config}. */
    public static StructuredUpdate ofDoubles(CgdConfig config, ParamLayout layout) {
        return new StructuredUpdate(config, layout, false);
    }

    /**
     * An update over {@code layout}'s floats: float gradient and state segments, the step in float
     * arithmetic ({@code Optimizer.stepFloats}); DIAGONAL and KRONECKER (FULL is refused).
     */
    public static StructuredUpdate ofFloats(CgdConfig config, ParamLayout layout) {
        return new StructuredUpdate(config, layout, true);
    }

    /**
     * The state bytes {@link #ofDoubles} would need for {@code layout}: builds one (its memory and
     * LAPACK workspace queries included) and frees it, so that the figure is the engine's own.
     */
    public static long stateBytes(CgdConfig config, ParamLayout layout) {
        try (StructuredUpdate update = ofDoubles(config, layout)) {
            return update.stateBytes();
        }
    }

    /** Whether gradient and state are floats (else doubles). */
    public boolean singlePrecision() { return single; }

    /** State elements of the update's precision: {@link #stateBytes()} / the element size. */
    public long stateElements() { return stateBytes / elementBytes; }

    /** The tensors, in the gradient's order. */
    public ParamLayout layout() { return layout; }

    /** d, the number of gradient elements. */
    public long size() { return layout.dimension(); }

    /** Bytes of the host's state segment: the committed state slices, in the optimizer's checkpoint order. */
    public long stateBytes() { return stateBytes; }

    /** Writes the initial state (a fresh optimizer's: not all zeros, Kronecker's eigenbases start as I) into {@code state} and uses it. */
    public void initializeState(MemorySegment state) {
        requireState(state);
        if (optimizer.steps() != 0) {
            throw new IllegalStateException("initializeState on an optimizer that has stepped: build a new one");
        }
        copySlices(optimizer.stateSlices(), state, true);
        this.state = state;
        this.verified = true;
    }

    /**
     * Takes {@code state} (holding what {@link #update} wrote, e.g. restored from a file) as the state
     * of record. It is read at the next step, as any change of the host's is, and checked against that
     * step's t: a state no genuine run leaves (a non-finite element, a FULL metric beyond its bound) is
     * refused then, nothing written.
     */
    public void attachState(MemorySegment state) {
        requireState(state);
        this.state = state;
    }

    /**
     * Step t: turns {@code gradient} into the update u (the host then does q ← q − u) and writes the
     * committed state through to the host's state segment. A refused step (bad arguments, a
     * non-finite gradient under THROW, a failed eigendecomposition) leaves gradient and state as
     * they were.
     *
     * @param t the step, ≥ 1
     * @param lrFactor the factor on the configured learning rate, finite and ≥ 0
     * @param gradient {@link #size()} native doubles (floats for {@link #ofFloats}): read as g, left holding u
     */
    public void update(long t, double lrFactor, MemorySegment gradient) {
        Objects.requireNonNull(gradient, "gradient must not be null");
        if (t < 1) {
            throw new IllegalArgumentException("t must be >= 1 (the step being taken), got " + t);
        }
        if (!(lrFactor >= 0) || Double.isInfinite(lrFactor)) {
            throw new IllegalArgumentException("lrFactor must be a finite number >= 0, got " + lrFactor);
        }
        if (state == null) {
            throw new IllegalStateException("no state: call initializeState or attachState before the first step");
        }
        if (!gradient.isNative() || gradient.isReadOnly()) {
            throw new IllegalArgumentException("gradient must be a writable native segment");
        }
        if (gradient.byteSize() != scratch.byteSize()) {
            throw new IllegalArgumentException("gradient has " + gradient.byteSize() + " bytes, expected " + scratch.byteSize()
                    + " (" + size() + (single ? " floats)" : " doubles)"));
        }
        if (gradient.asOverlappingSlice(state).isPresent()) {
            throw new IllegalArgumentException("gradient and state overlap");
        }
        optimizer.restoreCounters(t - 1, 0);
        List<StateSlice> committed = optimizer.stateSlices(); // listed anew: commits swap the buffers
        if (!verified || !inSync(committed)) { // the host's state is not the optimizer's copy: read and check it
            verified = false;
            copySlices(committed, state, false);
            String problem = optimizer.restoredStateProblem();
            if (problem != null) {
                throw new IllegalStateException("the host's state cannot continue at step " + t + ": " + problem);
            }
            verified = true;
        }
        optimizer.setLearningRateScale(lrFactor);
        scratch.fill((byte) 0);
        if (single) {
            optimizer.stepFloats(scratch, gradient); // checks, then commits: a refusal changes nothing
            for (long i = 0, n = size(); i < n; i++) {
                gradient.setAtIndex(JAVA_FLOAT, i, -scratch.getAtIndex(JAVA_FLOAT, i));
            }
        } else {
            optimizer.step(scratch, gradient);
            for (long i = 0, n = size(); i < n; i++) {
                gradient.setAtIndex(JAVA_DOUBLE, i, -scratch.getAtIndex(JAVA_DOUBLE, i));
            }
        }
        copySlices(optimizer.stateSlices(), state, true);
    }

    private void requireState(MemorySegment state) {
        Objects.requireNonNull(state, "state must not be null");
        if (!state.isNative() || state.isReadOnly()) {
            throw new IllegalArgumentException("state must be a writable native segment");
        }
        if (state.byteSize() != stateBytes) {
            throw new IllegalArgumentException("state has " + state.byteSize() + " bytes, this layout's state needs " + stateBytes);
        }
        if (state.address() % elementBytes != 0) {
            throw new IllegalArgumentException("state is not aligned to " + elementBytes + " bytes");
        }
    }

    /** True when the host's state equals the optimizer's committed slices byte for byte. */
    private boolean inSync(List<StateSlice> committed) {
        long offset = 0;
        for (StateSlice slice : committed) {
            long bytes = slice.segment().byteSize();
            if (MemorySegment.mismatch(state, offset, offset + bytes, slice.segment(), 0, bytes) != -1) {
                return false;
            }
            offset += bytes;
        }
        return true;
    }

    /** Copies the optimizer's committed slices into {@code host} (out) or back from it. */
    private void copySlices(List<StateSlice> committed, MemorySegment host, boolean out) {
        long offset = 0;
        for (StateSlice slice : committed) {
            long bytes = slice.segment().byteSize();
            if (out) {
                MemorySegment.copy(slice.segment(), 0, host, offset, bytes);
            } else {
                MemorySegment.copy(host, offset, slice.segment(), 0, bytes);
            }
            offset += bytes;
        }
    }

    @Override
    public void close() {
        optimizer.close();
        arena.close();
    }
}
