package org.cgd4j.benchmarks.diagonal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;
import org.cgd4j.engine.internal.kernel.KernelLookup;
import org.cgd4j.engine.internal.kernel.StepCoefficients;

/**
 * A paired companion of {@link AdamStepBenchmark}: the C loop, the kernel pass, the PROPAGATE and the
 * checked public steps, C checked and C under the kernels' contract ({@code c-exact}), all in one JVM
 * on the same heap arrays, timed in alternating batches; prints each one's median and minimum batch
 * time per step and its ratio to C (C checked for the checked step), and to C run on the very heap
 * arrays and state the kernel pass uses ({@code c-heap}, {@code c-heap-checked}). Where JMH runs each in its own
 * fork, a small step's time depends on where that fork's heap arrays start (a misaligned 512-bit access
 * splits a cache line), and on a loaded machine fork-to-fork noise exceeds the differences sought.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     org.cgd4j.benchmarks.diagonal.AdamPairProbe f32 1000 31</pre>
 * Arguments: precision (f32, f64), d, rounds. Run from the repository root (the C library's path).
 */
public final class AdamPairProbe {
    private AdamPairProbe() {}

    /** One step of one implementation. */
    private interface Step {
        void run() throws Throwable;
    }

    public static void main(String[] args) throws Throwable {
        String precision = args[0];
        int d = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        boolean single = precision.equals("f32");
        System.setProperty("cgd4j.kernels", "vector");
        CgdConfig adam = AdamStepBenchmark.ADAM;
        StepArrays arrays = StepArrays.of(precision, d);
        DiagonalKernels kernels = KernelLookup.vector();
        long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
        int phase = DiagonalKernels.heapStatePhase(d);
        StepCoefficients kernelCoefficients = new StepCoefficients(adam), cCoefficients = new StepCoefficients(adam);
        long[] t = {0, 0};
        // shared, as the optimizer's state: the loops' load sites see one kind of segment
        try (Arena arena = Arena.ofShared();
                Optimizer propagate = Optimizer.create(adam.withNonFinitePolicy(NonFinitePolicy.PROPAGATE), d);
                Optimizer checked = Optimizer.create(adam, d);
                CStep c = new CStep(precision, d)) {
            MemorySegment m = arena.allocate(bytes + 64, 64).asSlice(phase, bytes);
            MemorySegment s = arena.allocate(bytes + 64, 64).asSlice(phase, bytes);
            CStep cHeap = CStep.onHeap(arrays, m, s);
            String[] names = {"c", "c-exact", "kernel", "propagate", "c-checked", "checked", "c-heap", "c-heap-checked"};
            Step[] steps = {
                () -> { cCoefficients.prepare(++t[1]); c.adam(cCoefficients, false); },
                () -> { cCoefficients.prepare(++t[1]); c.adamExact(cCoefficients); },
                () -> {
                    kernelCoefficients.prepare(++t[0]);
                    if (single) {
                        kernels.step(kernelCoefficients, arrays.q32, arrays.g32, m, s, null, 0, d);
                    } else {
                        kernels.step(kernelCoefficients, arrays.q64, arrays.g64, m, s, null, 0, d);
                    }
                },
                () -> { if (single) propagate.step(arrays.q32, arrays.g32); else propagate.step(arrays.q64, arrays.g64); },
                () -> { cCoefficients.prepare(++t[1]); c.adam(cCoefficients, true); },
                () -> { if (single) checked.step(arrays.q32, arrays.g32); else checked.step(arrays.q64, arrays.g64); },
                () -> { cCoefficients.prepare(++t[1]); cHeap.adam(cCoefficients, false); },
                () -> { cCoefficients.prepare(++t[1]); cHeap.adam(cCoefficients, true); },
            };
            int batch = (int) Math.max(1, 20_000_000L / d);
            for (int warm = 0; warm < 40; warm++) {
                for (Step step : steps) {
                    for (int i = 0; i < batch; i++) {
                        step.run();
                    }
                }
            }
            double[][] perStep = new double[steps.length][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < steps.length; j++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < batch; i++) {
                        steps[j].run();
                    }
                    perStep[j][r] = (System.nanoTime() - start) / (double) batch;
                }
            }
            System.out.printf("%s d=%d, %d rounds of %d steps each%n", precision, d, rounds, batch);
            for (int j = 0; j < steps.length; j++) {
                double reference = median(perStep[names[j].contains("checked") ? 4 : 0]);
                double sameMemory = median(perStep[names[j].contains("checked") ? 7 : 6]);
                System.out.printf("  %-14s median %10.1f ns  min %10.1f ns  ratio %.3f  to C on the heap arrays %.3f%n",
                        names[j], median(perStep[j]), Arrays.stream(perStep[j]).min().orElseThrow(),
                        median(perStep[j]) / reference, median(perStep[j]) / sameMemory);
            }
        }
    }

    private static double median(double[] x) {
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
