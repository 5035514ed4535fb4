package org.cgd4j.benchmarks.diagonal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kernel.StepCoefficients;
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
 * One Adam step (PyTorch Adam: DIAGONAL SECOND_MOMENT, a = 1/2, debias) at dimension d, one thread:
 * <ul>
 *   <li>{@code c}: the same loop in C (benchmarks/native/adam.c, gcc -O3 -march=native) over native
 *       memory, through an FFM downcall; the debiased scalars are computed per call as the engine does;</li>
 *   <li>{@code c-checked}: the C loop behind a vectorised check of every gradient (NaN, ±∞, beyond the
 *       engine's limit) that writes nothing when one fails: the contract the public step keeps;</li>
 *   <li>{@code c-exact}: the loop in C under the Java kernels' arithmetic contract (adam_exact.c: their
 *       operations in their order, max(s/c2, 0), no FMA contraction, which {@code c} lets gcc use): the C
 *       cost of exactly the kernel pass's work;</li>
 *   <li>{@code vector-kernel}, {@code scalar-kernel}: the engine's fused kernel pass alone on heap
 *       params/gradients and native state, the same work as the C loop;</li>
 *   <li>{@code vector}, {@code scalar}: the public {@code Optimizer.step(params, grads)} with the
 *       kernels forced by {@code -Dcgd4j.kernels}: the kernel pass plus the non-finite scan of the
 *       gradient that lets a refused step change nothing (one more read of g);</li>
 *   <li>{@code vector-propagate}: the public step under {@code NonFinitePolicy.PROPAGATE} (no scan: NaN
 *       flows through as in PyTorch), to hold against {@code c}.</li>
 * </ul>
 * Each (impl, precision, d) runs in its own fork, so the kernel property is set before first use. Below
 * {@link #REPLACE_UP_TO} each iteration steps fresh heap params and gradients, each time 8 bytes further
 * along than the last (see {@link #replaceArrays}), so that the score is a mean over placements, not the
 * one placement a fork happened to get (at d = 1e3 that alone moved a step by up to 2×). C on the very
 * memory a Java step uses, in the same fork as that step, is {@link AdamPairBenchmark}'s "C heap".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AdamStepBenchmark {
    @Param({"c", "c-checked", "c-exact", "vector-kernel", "vector", "vector-propagate", "scalar-kernel", "scalar"})
    public String impl;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"1000", "100000", "1000000", "10000000"})
    public int d;

    static final CgdConfig ADAM = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);

    private Optimizer optimizer;
    private double[] q64, g64;
    private float[] q32, g32;
    private boolean single, native_, checked, exact;
    private DiagonalKernels kernels;
    private Arena arena;
    private MemorySegment m, s;
    private CStep reference;
    private StepCoefficients coefficients;
    private long t;

    /**
     * Arrays up to this many elements are re-allocated per iteration. Not larger ones: JMH's gc profiler
     * counts the iteration set-up's allocation (two 800 KB arrays at d = 1e5 read as 800 B per step), and
     * from about 1e5 elements up a step's time hardly depends on the arrays' phase.
     */
    static final int REPLACE_UP_TO = 10_000;
    private int iteration;
    /** Kept so that the next arrays start after it: 8 more bytes each iteration, a new phase in a cache line. */
    @SuppressWarnings("unused")
    private byte[] shift;

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("f32");
        native_ = impl.startsWith("c");
        checked = impl.endsWith("-checked");
        exact = impl.equals("c-exact");
        // first, so that every impl's heap arrays follow the same allocations
        StepArrays arrays = StepArrays.of(precision, d);
        q64 = arrays.q64;
        g64 = arrays.g64;
        q32 = arrays.q32;
        g32 = arrays.g32;
        if (impl.endsWith("-kernel")) {
            arena = Arena.ofConfined();
            long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
            // state placed as the optimizer places it for heap arrays (same phase as their elements; aligned
            // below DiagonalKernels.ALIGN_FROM, where the loops have no aligning head)
            int phase = DiagonalKernels.heapStatePhase(d);
            m = arena.allocate(bytes + 64, 64).asSlice(phase, bytes);
            s = arena.allocate(bytes + 64, 64).asSlice(phase, bytes);
        }
        // a full collection now moves the arrays out of the young generation: no young collection during
        // the measurement can move them (and change their phase) any more
        System.gc();
        if (native_) {
            reference = new CStep(precision, d);
            coefficients = new StepCoefficients(ADAM);
            WarmUp.untilSettled("AdamStep " + impl + " " + precision + " d=" + d, true, this::step);
            return;
        }
        if (impl.endsWith("-kernel")) {
            kernels = impl.startsWith("vector") ? KernelLookup.vector() : KernelLookup.scalar();
            coefficients = new StepCoefficients(ADAM);
        } else if (impl.equals("vector-propagate")) {
            System.setProperty("cgd4j.kernels", "vector");
            optimizer = Optimizer.create(ADAM.withNonFinitePolicy(NonFinitePolicy.PROPAGATE), d);
        } else {
            System.setProperty("cgd4j.kernels", impl);
            optimizer = Optimizer.create(ADAM, d);
        }
        WarmUp.untilSettled("AdamStep " + impl + " " + precision + " d=" + d, true, this::step);
    }

    /**
     * Fresh heap params and gradients for this iteration (d ≤ {@link #REPLACE_UP_TO}, the impls that step
     * heap arrays): allocated after a filler of 8·(iteration mod 8) bytes, so that over the iterations they
     * start at different 8-byte phases of a cache line. The values the trial's arrays started with; the state stays.
     */
    @Setup(Level.Iteration)
    public void replaceArrays() {
        if (d > REPLACE_UP_TO || native_) {
            return;
        }
        shift = new byte[8 * (iteration++ % 8)];
        StepArrays arrays = StepArrays.of(precision, d);
        q64 = arrays.q64;
        g64 = arrays.g64;
        q32 = arrays.q32;
        g32 = arrays.g32;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (optimizer != null) {
            optimizer.close();
        }
        if (arena != null) {
            arena.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    @Benchmark
    public void step() throws Throwable {
        if (native_) {
            coefficients.prepare(++t);
            if (exact) {
                reference.adamExact(coefficients, false);
            } else {
                reference.adam(coefficients, checked);
            }
        } else if (kernels != null) {
            coefficients.prepare(++t);
            if (single) {
                kernels.step(coefficients, q32, g32, m, s, null, 0, d);
            } else {
                kernels.step(coefficients, q64, g64, m, s, null, 0, d);
            }
        } else if (single) {
            optimizer.step(q32, g32);
        } else {
            optimizer.step(q64, g64);
        }
    }
}
