package org.cgd4j.benchmarks.diagonal;

import java.util.concurrent.TimeUnit;
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
 * Where the kernel pass loses to C: the same Adam pass over the same native memory, params and
 * gradients aligned to 64 bytes ({@code misalign} = 0) or starting 16 bytes past a 64-byte boundary
 * (16: where the elements of a large Java array start, so that every 512-bit access of a heap array
 * crosses a cache line), state aligned:
 * <ul>
 *   <li>{@code c}: benchmarks/native/adam.c;</li>
 *   <li>{@code vector-kernel}: the engine's Vector API pass on native segments (the double segment
 *       loops, or the float segment loops of {@code stepFloat}).</li>
 * </ul>
 * {@link AdamStepBenchmark}'s {@code vector-kernel} runs on heap arrays, i.e. at misalign 16.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AlignmentBenchmark {
    @Param({"c", "vector-kernel"})
    public String impl;

    @Param({"0", "16"})
    public int misalign;

    @Param({"f64", "f32"})
    public String precision;

    @Param({"1000", "100000", "1000000", "10000000"})
    public int d;

    private CStep memory;
    private DiagonalKernels kernels;
    private StepCoefficients coefficients;
    private boolean single, c;
    private long t;

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("f32");
        c = impl.equals("c");
        memory = new CStep(precision, d, misalign);
        kernels = KernelLookup.vector();
        coefficients = new StepCoefficients(AdamStepBenchmark.ADAM);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        memory.close();
    }

    @Benchmark
    public void step() throws Throwable {
        coefficients.prepare(++t);
        if (c) {
            memory.adam(coefficients, false);
        } else if (single) {
            kernels.stepFloat(coefficients, memory.q(), memory.g(), 0, memory.m(), memory.s(), null, 0, d);
        } else {
            kernels.step(coefficients, memory.q(), memory.g(), memory.m(), memory.s(), null, 0, d);
        }
    }
}
