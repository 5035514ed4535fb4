package org.cgd4j.benchmarks.diagonal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
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
 * The Vector API kernel pass of one Adam step (heap params and gradients, native state, one thread)
 * with the training-loop terms, against the plain pass of {@link AdamStepBenchmark}'s
 * {@code vector-kernel}:
 * <ul>
 *   <li>{@code plain}: neutral terms, the plain loops;</li>
 *   <li>{@code decay}: clipping scale and decoupled decay (AdamW + clip: the TERMS loops);</li>
 *   <li>{@code l2}: clipping scale, coupled L2 and decay (the TERMS_L2 loops, q read first);</li>
 *   <li>{@code scan}, {@code scan-norm}: the non-finite scan of g alone, and fused with the norm's
 *       block squares (what global clipping adds to the checked step's scan).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class KernelTermsBenchmark {
    @Param({"plain", "decay", "l2", "scan", "scan-norm"})
    public String terms;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"1000", "100000", "10000000"})
    public int d;

    private double[] q64, g64;
    private float[] q32, g32;
    private double[] blockSums;
    private boolean single;
    private DiagonalKernels kernels;
    private Arena arena;
    private MemorySegment m, s;
    private StepCoefficients coefficients;
    private long t;

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("f32");
        kernels = KernelLookup.vector();
        arena = Arena.ofConfined();
        long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
        // state placed as the optimizer places it for heap arrays (same phase as their elements)
        m = arena.allocate(bytes + 64, 64).asSlice(DiagonalKernels.HEAP_ARRAY_PHASE, bytes);
        s = arena.allocate(bytes + 64, 64).asSlice(DiagonalKernels.HEAP_ARRAY_PHASE, bytes);
        coefficients = new StepCoefficients(AdamStepBenchmark.ADAM);
        switch (terms) {
            case "decay" -> coefficients.terms(0.9, 0, 1 - 1e-3 * 0.01);
            case "l2" -> coefficients.terms(0.9, 1e-4, 1 - 1e-3 * 0.01);
            default -> coefficients.terms(1, 0, 1);
        }
        blockSums = new double[DiagonalKernels.normBlocks(d)];
        StepArrays arrays = StepArrays.of(precision, d);
        q64 = arrays.q64;
        g64 = arrays.g64;
        q32 = arrays.q32;
        g32 = arrays.g32;
        WarmUp.untilSettled("KernelTerms " + terms + " " + precision + " d=" + d, true, this::step);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public Object step() {
        switch (terms) {
            case "scan" -> {
                return single ? kernels.firstNonFinite(g32, 0, d) : kernels.firstNonFinite(g64, 0, d);
            }
            case "scan-norm" -> {
                long bad = single ? kernels.firstNonFiniteSquares(g32, 0, d, blockSums) : kernels.firstNonFiniteSquares(g64, 0, d, blockSums);
                return bad + DiagonalKernels.sumBlocks(blockSums, blockSums.length);
            }
            default -> {
                coefficients.prepare(++t);
                if (single) {
                    kernels.step(coefficients, q32, g32, m, s, null, 0, d);
                } else {
                    kernels.step(coefficients, q64, g64, m, s, null, 0, d);
                }
                return null;
            }
        }
    }
}
