package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;

/**
 * Child-JVM main of {@link VectorStepAllocationTest}: steps one optimizer on heap arrays in a fresh JVM
 * (whose JIT has seen nothing else, as an application's with one optimizer) and prints the fewest bytes
 * any window of {@link #WINDOW} steps allocated, from the 41st window on, stopping at the first below
 * {@link #NOTHING} or after 30 seconds. Arguments: preset (adam, adamw, cgd-a1, cgd-a0.3), f32 or
 * f64, d, and optionally "clip": clipping at norm 1 with the gradient's norm alternating below and above
 * it, so that every window runs both the plain loops and the loops with the training-loop terms (as a
 * training run near its clipping threshold does); or "segment": params and gradients in native segments
 * of a shared arena (the step a host such as DL4J makes); or "primed": first {@link #PRIME_STEPS} steps of
 * a second optimizer at d = {@link #PRIME_DIMENSION}, with one step at d every {@link #PRIME_EVERY}, so
 * that C2 compiles the step from profiles in which d's rarer paths (a scan's last vectors, say) are cold
 * (what an application that first trains a small model does, and what the updater benchmark does).
 */
public final class StepAllocationProbe {
    static final int WINDOW = 500;
    /**
     * A window below this allocated nothing per step: the counter's reads allocate a few dozen bytes
     * (reflection boxes the long) and it moves in TLAB-sized steps; one boxed vector a step would be
     * 48 000 bytes a window.
     */
    static final long NOTHING = 1024;
    private static final long TIME_LIMIT_NANOS = 30_000_000_000L;
    static final int PRIME_STEPS = 20_000, PRIME_DIMENSION = 256, PRIME_EVERY = 400;

    private StepAllocationProbe() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        CgdConfig config = switch (args[0]) {
            case "adam" -> CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
            case "adamw" -> CgdConfig.adamW(1e-3, 0.9, 0.999, 1e-8, 0.01);
            case "cgd-a1" -> CgdConfig.diagonalCgd(1e-3, 9, 999, 1, 1e-8);
            case "cgd-a0.3" -> CgdConfig.diagonalCgd(1e-3, 9, 999, 0.3, 1e-8);
            default -> throw new IllegalArgumentException("unknown preset " + args[0]);
        };
        boolean single = args[1].equals("f32");
        int d = Integer.parseInt(args[2]);
        // HotSpot's per-thread allocation counter (com.sun.management, which the engine module does not read)
        var allocatedBytes = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        Object threads = ManagementFactory.getThreadMXBean();
        boolean clip = args.length > 3 && args[3].equals("clip");
        boolean segment = args.length > 3 && args[3].equals("segment");
        boolean primed = args.length > 3 && args[3].equals("primed");
        double[] q = new double[d];
        float[] qf = new float[d];
        // gradients of norm about 0.007·√d and 7·√d: the second is clipped at norm 1, the first not
        double[][] g = new double[2][d];
        float[][] gf = new float[2][d];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < 2; k++) {
                g[k][i] = Math.sin(i) * (k == 0 ? 0.01 : 10);
                gf[k][i] = (float) g[k][i];
            }
        }
        long least = Long.MAX_VALUE;
        long start = System.nanoTime();
        Arena arena = Arena.ofShared();
        MemorySegment qs = arena.allocate((long) d * (single ? Float.BYTES : Double.BYTES), 64);
        MemorySegment gs = arena.allocate((long) d * (single ? Float.BYTES : Double.BYTES), 64);
        if (single) {
            MemorySegment.copy(gf[0], 0, gs, ValueLayout.JAVA_FLOAT, 0, d);
        } else {
            MemorySegment.copy(g[0], 0, gs, ValueLayout.JAVA_DOUBLE, 0, d);
        }
        try (arena; Optimizer optimizer = clip
                ? Optimizer.builder(ParamLayout.builder().vector("all", d).build()).config(config).clipNorm(1).build()
                : Optimizer.create(config, d)) {
            if (primed) {
                try (Optimizer small = Optimizer.create(config, PRIME_DIMENSION)) {
                    double[] qSmall = new double[PRIME_DIMENSION];
                    float[] qfSmall = new float[PRIME_DIMENSION];
                    double[] gSmall = java.util.Arrays.copyOf(g[0], PRIME_DIMENSION);
                    float[] gfSmall = java.util.Arrays.copyOf(gf[0], PRIME_DIMENSION);
                    for (int i = 0; i < PRIME_STEPS; i++) {
                        if (single) {
                            small.step(qfSmall, gfSmall);
                        } else {
                            small.step(qSmall, gSmall);
                        }
                        if (i % PRIME_EVERY == PRIME_EVERY - 1) {
                            if (single) {
                                optimizer.step(qf, gf[0]);
                            } else {
                                optimizer.step(q, g[0]);
                            }
                        }
                    }
                }
            }
            // warm (interpreter, C1, C2), then windows until one allocates nothing or the time is up
            for (int window = 0; least >= NOTHING && System.nanoTime() - start < TIME_LIMIT_NANOS; window++) {
                long before = (long) allocatedBytes.invoke(threads);
                for (int i = 0; i < WINDOW; i++) {
                    int k = clip ? i & 1 : 0;
                    if (segment && single) {
                        optimizer.stepFloats(qs, gs);
                    } else if (segment) {
                        optimizer.step(qs, gs);
                    } else if (single) {
                        optimizer.step(qf, gf[k]);
                    } else {
                        optimizer.step(q, g[k]);
                    }
                }
                long allocated = (long) allocatedBytes.invoke(threads) - before;
                if (window >= 40) {
                    least = Math.min(least, allocated);
                }
            }
        }
        System.out.println("least bytes per " + WINDOW + " steps: " + least);
    }
}
