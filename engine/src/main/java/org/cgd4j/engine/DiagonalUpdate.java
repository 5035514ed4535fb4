package org.cgd4j.engine;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kernel.KernelOp;
import org.cgd4j.engine.internal.kernel.StepCoefficients;

/**
 * One DIAGONAL CGD step for a host that owns the parameters, the optimizer state and the step
 * count: a framework whose step function subtracts an update from the parameters itself
 * (Deeplearning4j's {@code GradientUpdater}, an embedding that keeps state in its own buffers). The
 * host hands over a native segment holding the gradient and one holding the state; {@link #update}
 * turns the gradient, in place, into the update u that the host then subtracts (q ← q − u), and
 * advances the state. Nothing is allocated per call and nothing is copied.
 *
 * <p><b>Exactly the {@link Optimizer}'s step.</b> u is bit for bit the update that
 * {@code Optimizer.create(config, n).step(q, g)} subtracts at step t with the same learning-rate
 * factor (from q = 0 it leaves q' = −u exactly; a zero may come out with the other sign, which q − u
 * does not see), computed by the same fused kernels: the step runs the kernels with the gradient segment
 * as both the params and the gradient, g scaled by −1 and the params by 0 (the kernels'
 * training-loop terms), so that the one pass leaves −(−u) = u where the params were. Every op is odd
 * in (g, m, μ) (the metric sees only squares), so the state it keeps is the Optimizer's with the
 * first moment m and the mean μ negated; s (or b for BELIEF) is the Optimizer's exactly. The state
 * layout is {@link #stateSlices()} consecutive slices of n elements: −m, then s (or b), then −μ,
 * as the op keeps them ({@link #stateElements()} in all); a zeroed state is the Optimizer's initial
 * state.
 *
 * <p><b>What the host does.</b> It counts t (≥ 1, the step being taken: t = 1 on the first call; a
 * restored host passes the count it restored, so that Adam's bias correction continues), scales the
 * learning rate by {@code lrFactor} (a schedule), and applies decoupled weight decay and coupled L2
 * itself, since they need the parameters this class never sees: configs with
 * {@link CgdConfig#weightDecay()} or {@link CgdConfig#l2()} &gt; 0 are refused with that advice.
 * {@link CgdConfig#threads()} is not used: one call runs on the caller's thread.
 *
 * <p><b>Checks</b>, all before any write: t, lrFactor, both segments (native, writable, of the
 * right size and alignment, not overlapping), and the gradient under the config's
 * {@link NonFinitePolicy}: THROW refuses a NaN, infinite or huge element with a
 * {@link NonFiniteGradientException} naming it and leaves gradient and state unchanged; SKIP zeroes
 * the gradient (an update of 0: the host's params stay as they are), leaves the state unchanged and
 * returns false; PROPAGATE steps with it.
 *
 * <p>An instance is not thread-safe (it keeps the step's scalars); use one per thread or per buffer.
 */
public final class DiagonalUpdate {
    private final CgdConfig config;
    private final long size;
    private final boolean single;
    private final int elementBytes;
    private final int slices;
    private final StepCoefficients coefficients;
    private final DiagonalKernels kernels;
    /** The last state segment (same memory, size and scope) and its slices, reused: no allocation per call. */
    private MemorySegment lastState, m, s, mu;

    private DiagonalUpdate(CgdConfig config, long size, boolean single) {
        Objects.requireNonNull(config, "config must not be null");
        if (config.structure() != Structure.DIAGONAL) {
            throw new IllegalArgumentException("DiagonalUpdate runs structure DIAGONAL, got " + config.structure());
        }
        if (config.weightDecay() != 0 || config.l2() != 0) {
            throw new IllegalArgumentException("DiagonalUpdate never sees the parameters, so it cannot apply weightDecay = "
                    + config.weightDecay() + " or l2 = " + config.l2() + ": set them to 0 and let the host apply them"
                    + " (decoupled decay: q ← q − γ_t·λ·q besides the update; L2: g ← g + λ₂·q before it)");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + size);
        }
        this.config = config;
        this.size = size;
        this.single = single;
        this.elementBytes = single ? Float.BYTES : Double.BYTES;
        this.slices = KernelOp.of(config).stateSlices();
        if (size > Long.MAX_VALUE / ((long) Math.max(slices, 1) * elementBytes)) {
            throw new IllegalArgumentException("size " + size + " overflows the state's byte count");
        }
        this.coefficients = new StepCoefficients(config);
        this.kernels = KernelLookup.kernels();
    }

    /** An update of {@code size} doubles: gradient and state are native segments of doubles. */
    public static DiagonalUpdate ofDoubles(CgdConfig config, long size) {
        return new DiagonalUpdate(config, size, false);
    }

    /**
     * An update of {@code size} floats: gradient and state are native segments of floats, and the
     * step runs in float arithmetic (the Optimizer's {@code step(float[], float[])}).
     */
    public static DiagonalUpdate ofFloats(CgdConfig config, long size) {
        return new DiagonalUpdate(config, size, true);
    }

    /** The configuration. */
    public CgdConfig config() { return config; }

    /** n, the number of gradient elements. */
    public long size() { return size; }

    /** Whether gradient and state are floats (else doubles). */
    public boolean singlePrecision() { return single; }

    /** Slices of n elements the state holds (0 for SGD, 1 for momentum, 2 for Adam, 3 for COVARIANCE). */
    public int stateSlices() { return slices; }

    /** State elements the host provides: {@link #stateSlices()} × n. */
    public long stateElements() { return (long) slices * size; }

    /** Bytes of the state segment: {@link #stateElements()} × the element size. */
    public long stateBytes() { return stateElements() * elementBytes; }

    /**
     * Step t: turns {@code gradient} into the update u (the host then does q ← q − u) and advances
     * {@code state}. Returns true; false when NonFinitePolicy SKIP skipped the step (the gradient is
     * then all zeros and the state unchanged).
     *
     * @param t the step, ≥ 1 (1 on the first call; bias correction uses it)
     * @param lrFactor the factor on the configured learning rate (a schedule's), finite and ≥ 0
     * @param gradient n elements, native and writable: read as g, left holding u
     * @param state {@link #stateElements()} elements, native and writable, zeroed before step 1
     * @throws NonFiniteGradientException under THROW, naming the first bad element (nothing written)
     */
    public boolean update(long t, double lrFactor, MemorySegment gradient, MemorySegment state) {
        Objects.requireNonNull(gradient, "gradient must not be null");
        Objects.requireNonNull(state, "state must not be null");
        if (t < 1) {
            throw new IllegalArgumentException("t must be >= 1 (the step being taken), got " + t);
        }
        if (!(lrFactor >= 0) || Double.isInfinite(lrFactor)) {
            throw new IllegalArgumentException("lrFactor must be a finite number >= 0, got " + lrFactor);
        }
        requireSegment("gradient", gradient, size * elementBytes);
        requireSegment("state", state, stateBytes());
        if (size > 0 && stateBytes() > 0 && gradient.asOverlappingSlice(state).isPresent()) {
            throw new IllegalArgumentException("gradient and state overlap");
        }
        if (config.nonFinitePolicy() != NonFinitePolicy.PROPAGATE) {
            long bad = single ? kernels.firstNonFiniteFloat(gradient, 0, size) : kernels.firstNonFinite(gradient, 0, size);
            if (bad >= 0) {
                if (config.nonFinitePolicy() == NonFinitePolicy.SKIP) {
                    gradient.fill((byte) 0);
                    return false;
                }
                double value = single ? gradient.getAtIndex(JAVA_FLOAT, bad) : gradient.getAtIndex(JAVA_DOUBLE, bad);
                throw new NonFiniteGradientException(bad, value);
            }
        }
        StepCoefficients c = coefficients;
        c.prepare(t, lrFactor);
        c.terms(-1, 0, 0); // g ← −g, q ← 0·q − update: see the class comment
        if (!state.equals(lastState) || !state.scope().equals(lastState.scope())) {
            long sliceBytes = size * elementBytes;
            m = slices >= 1 ? state.asSlice(0, sliceBytes) : null;
            s = slices >= 2 ? state.asSlice(sliceBytes, sliceBytes) : null;
            mu = slices >= 3 ? state.asSlice(2 * sliceBytes, sliceBytes) : null;
            lastState = state;
        }
        if (single) {
            kernels.stepFloat(c, gradient, gradient, 0, m, s, mu, 0, size);
        } else {
            kernels.step(c, gradient, gradient, 0, m, s, mu, 0, size);
        }
        return true;
    }

    private void requireSegment(String name, MemorySegment segment, long bytes) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException(name + " must be a native segment (the kernels load native and heap memory"
                    + " through different loops); wrap a heap array with Optimizer.step instead");
        }
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException(name + " is a read-only segment");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException(name + " belongs to a closed arena");
        }
        if (segment.byteSize() != bytes) {
            throw new IllegalArgumentException(name + " has " + segment.byteSize() + " bytes, expected " + bytes + " ("
                    + (single ? "floats" : "doubles") + ")");
        }
        if (segment.address() % elementBytes != 0) {
            throw new IllegalArgumentException(name + " is not aligned to " + elementBytes + " bytes");
        }
    }
}
