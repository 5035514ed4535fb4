package org.cgd4j.benchmarks.diagonal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kernel.StepCoefficients;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 17's Adam targets, paired: a Java step and the C steps it is held against, timed in alternating
 * blocks within one fork ({@link Split}), so that the ratio compares them on the same machine state.
 * <ul>
 *   <li>{@code pair = kernel}: the engine's fused kernel pass (heap params and gradients, native state)
 *       against the C loop ({@code AdamStepBenchmark}'s impl {@code c}), target ≤ 1.10×;</li>
 *   <li>{@code propagate}: the public step under {@code NonFinitePolicy.PROPAGATE} against the same C
 *       loop, target ≤ 1.05×;</li>
 *   <li>{@code checked}: the public step (scan, then the pass) against the C loop behind its check
 *       ({@code c-checked}), target ≤ 1.2×.</li>
 * </ul>
 * The C side runs three times: on page-aligned native memory of its own ("C", the reference, placed
 * as {@link CStep} places it); on the very memory the Java step uses ("C heap": its heap params and
 * gradients, and the optimizer's own m and s, or the kernel pass's); and there under the Java kernels'
 * arithmetic contract ("C exact heap", adam_exact.c: no FMA contraction, their operations in their
 * order). C exact heap is the reference under the same contract: same memory, same results bit for bit
 * ({@link #checkContract} verifies it before anything is timed).
 *
 * <p>Why paired: this machine kind's speed moves in time. Timing {@code c} and the Java step in
 * separate forks a minute apart, the same configuration came out 0.30 µs in one fork and 0.66 µs in the
 * next (f32, d = 1e3); in one JVM, C and Java slowed down together, in spells of a fraction of a second.
 * A block is {@link #BLOCK_ELEMENTS} elements' worth of steps (≥ 1), about 30 µs, and each call times one
 * block of each side, in an order that rotates from call to call.
 *
 * <p>Placement: at d = 1e3 a step's time also depends on where its arrays sit, for C and Java alike (C on
 * one placement of heap arrays took 2.2× its time on another, fork after fork), so each iteration steps
 * fresh heap params and gradients placed {@link #PLACEMENT_STRIDE} bytes further along ({@link #place}),
 * and C heap steps them too, with the kernel pass's own state where the pair is {@code kernel}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AdamPairBenchmark {
    @Param({"kernel", "propagate", "checked"})
    public String pair;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"1000", "100000"})
    public int d;

    /** Steps per timed block: this many elements' worth, at least one step. */
    static final int BLOCK_ELEMENTS = 100_000;
    /**
     * How much further along each iteration's arrays start (mod 4 KiB): 1032 = 1024 + 8, so that eight
     * iterations visit each eighth of a page and each 8-byte phase of a cache line once.
     */
    static final int PLACEMENT_STRIDE = 1032;
    /** Arrays up to this many elements are placed afresh each iteration (as in AdamStepBenchmark). */
    static final int REPLACE_UP_TO = AdamStepBenchmark.REPLACE_UP_TO;

    private int block;
    private boolean checked;
    private StepArrays arrays;
    private Optimizer optimizer;
    private DiagonalKernels kernels;
    private Arena arena;
    private MemorySegment m, s;
    private CStep c, cHeap;
    private StepCoefficients javaCoefficients, cCoefficients;
    private long javaT, cT;
    private int rotation;
    private int iteration;
    /** Kept so that the next arrays start after it (see {@link #place}). */
    @SuppressWarnings("unused")
    private byte[] filler;

    /** Each side's time, summed over an iteration; JMH reports each per iteration as a secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public long javaNanos;
        public long cNanos;
        public long cHeapNanos;
        public long cExactHeapNanos;
        /** Steps of each side (the same for all four). */
        public long steps;

        @Setup(Level.Iteration)
        public void clear() {
            javaNanos = 0;
            cNanos = 0;
            cHeapNanos = 0;
            cExactHeapNanos = 0;
            steps = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        block = Math.max(1, BLOCK_ELEMENTS / d);
        checked = pair.equals("checked");
        boolean single = precision.equals("f32");
        arrays = StepArrays.of(precision, d);
        arena = Arena.ofConfined();
        long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
        int phase = DiagonalKernels.heapStatePhase(d); // as the optimizer places its state for heap arrays
        m = arena.allocate(bytes + 64, 64).asSlice(phase, bytes);
        s = arena.allocate(bytes + 64, 64).asSlice(phase, bytes);
        c = new CStep(precision, d);
        cHeap = CStep.onHeap(arrays, m, s);
        cCoefficients = new StepCoefficients(AdamStepBenchmark.ADAM);
        System.setProperty("cgd4j.kernels", "vector");
        switch (pair) {
            case "kernel" -> { // the kernel pass and C heap step the same m and s
                kernels = KernelLookup.vector();
                javaCoefficients = new StepCoefficients(AdamStepBenchmark.ADAM);
            }
            case "propagate" -> optimizer = Optimizer.create(AdamStepBenchmark.ADAM.withNonFinitePolicy(NonFinitePolicy.PROPAGATE), d);
            case "checked" -> optimizer = Optimizer.create(AdamStepBenchmark.ADAM, d);
            default -> throw new IllegalArgumentException("pair must be kernel, propagate or checked, got " + pair);
        }
        if (optimizer != null) { // C heap steps the optimizer's own m and s (placed by its first step)
            arrays.step(optimizer);
            m = slice("m");
            s = slice("s");
            cHeap.close();
            cHeap = CStep.onHeap(arrays, m, s);
        }
        checkContract(precision, d);
        System.gc(); // the arrays into the old generation before the measurement: no collection moves them
        String what = "AdamPair " + pair + " " + precision + " d=" + d;
        // One warm-up for the four sides, as the measurement calls them: the C sides need no compilation
        // of their own, only the harness around them (four separate warm-ups took 4 s per fork at d = 1e7).
        WarmUp.untilSettled(what + " (Java, C, C heap, C exact heap)", true, () -> {
            javaStep();
            cStep(c);
            cStep(cHeap);
            cExactStep(cHeap);
        });
    }

    /**
     * That C exact computes what the Java kernels compute, bit for bit: three steps of each from the same
     * start, on separate copies, then params, m and s compared. Otherwise it would not be a reference
     * under the same contract, and nothing is timed.
     */
    static void checkContract(String precision, int d) throws Throwable {
        StepArrays javaArrays = StepArrays.of(precision, d);
        StepArrays cArrays = StepArrays.of(precision, d);
        long bytes = (long) d * (precision.equals("f32") ? Float.BYTES : Double.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment javaM = arena.allocate(bytes, 64), javaS = arena.allocate(bytes, 64);
            MemorySegment cM = arena.allocate(bytes, 64), cS = arena.allocate(bytes, 64);
            DiagonalKernels vector = KernelLookup.vector();
            StepCoefficients coefficients = new StepCoefficients(AdamStepBenchmark.ADAM);
            try (CStep exact = CStep.onHeap(cArrays, cM, cS)) {
                for (long t = 1; t <= 3; t++) {
                    coefficients.prepare(t);
                    if (javaArrays.q32 != null) {
                        vector.step(coefficients, javaArrays.q32, javaArrays.g32, javaM, javaS, null, 0, d);
                    } else {
                        vector.step(coefficients, javaArrays.q64, javaArrays.g64, javaM, javaS, null, 0, d);
                    }
                    exact.adamExact(coefficients, false);
                }
            }
            boolean same = javaArrays.q32 != null ? java.util.Arrays.equals(javaArrays.q32, cArrays.q32)
                    : java.util.Arrays.equals(javaArrays.q64, cArrays.q64);
            if (!same || javaM.mismatch(cM) >= 0 || javaS.mismatch(cS) >= 0) {
                throw new IllegalStateException("C exact (adam_exact.c) and the Java kernels differ after three steps at "
                        + precision + " d = " + d + ": it is not a reference under the kernels' contract");
            }
        }
    }

    /**
     * Fresh heap params and gradients for this iteration (d ≤ {@link #REPLACE_UP_TO}), allocated after a
     * filler that moves them {@link #PLACEMENT_STRIDE} bytes further along (mod 4 KiB) each iteration;
     * C heap steps them too. The values the trial's arrays started with; the state stays.
     */
    @Setup(Level.Iteration)
    public void place() {
        if (d > REPLACE_UP_TO) {
            return;
        }
        filler = new byte[(iteration++ * PLACEMENT_STRIDE) % 4096];
        arrays = StepArrays.of(precision, d);
        cHeap.close();
        cHeap = CStep.onHeap(arrays, m, s);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (optimizer != null) {
            optimizer.close();
        }
        c.close();
        cHeap.close();
        arena.close();
    }

    /** The optimizer's state slice {@code name} (its memory, not a copy). */
    private MemorySegment slice(String name) {
        for (StateSlice slice : ((OptimizerBase) optimizer).stateSlices()) {
            if (slice.name().equals(name)) {
                return slice.segment();
            }
        }
        throw new IllegalStateException("the optimizer has no state slice " + name);
    }

    /** One block of each side, in the order of this call's rotation (so no side always runs first). */
    @Benchmark
    public void pairs(Split split) throws Throwable {
        int first = rotation;
        rotation = (rotation + 1) % 4;
        for (int k = 0; k < 4; k++) {
            int side = (first + k) % 4;
            long start = System.nanoTime();
            switch (side) {
                case 0 -> {
                    for (int i = 0; i < block; i++) {
                        javaStep();
                    }
                }
                case 1 -> {
                    for (int i = 0; i < block; i++) {
                        cStep(c);
                    }
                }
                case 2 -> {
                    for (int i = 0; i < block; i++) {
                        cExactStep(cHeap);
                    }
                }
                default -> {
                    for (int i = 0; i < block; i++) {
                        cStep(cHeap);
                    }
                }
            }
            long nanos = System.nanoTime() - start;
            switch (side) {
                case 0 -> split.javaNanos += nanos;
                case 1 -> split.cNanos += nanos;
                case 2 -> split.cExactHeapNanos += nanos;
                default -> split.cHeapNanos += nanos;
            }
        }
        split.steps += block;
    }

    private void javaStep() {
        if (kernels == null) {
            arrays.step(optimizer);
            return;
        }
        javaCoefficients.prepare(++javaT);
        if (arrays.q32 != null) {
            kernels.step(javaCoefficients, arrays.q32, arrays.g32, m, s, null, 0, d);
        } else {
            kernels.step(javaCoefficients, arrays.q64, arrays.g64, m, s, null, 0, d);
        }
    }

    private void cStep(CStep step) throws Throwable {
        cCoefficients.prepare(++cT);
        step.adam(cCoefficients, checked);
    }

    private void cExactStep(CStep step) throws Throwable {
        cCoefficients.prepare(++cT);
        step.adamExact(cCoefficients, checked);
    }
}
