package org.cgd4j.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A JIT warm-up at the measured size, run in a benchmark's {@code @Setup(Level.Trial)} before JMH's
 * own warm-up iterations: it calls the benchmark's operation until the JIT has settled, so that the
 * measured iterations time the code C2 compiled for the measured size.
 *
 * <p>Why JMH's warm-up alone was not enough: one step at d = 1e7 takes milliseconds, so a few hundred
 * ms of warm-up are a few dozen calls. C2 compiles a method's normal entry only after hundreds of
 * calls (HotSpot's Tier4MinInvocationThreshold, 600, with many loop iterations; 5000 without), and a
 * branch that a small-d priming never took makes the compiled code trap back to C1 the first time
 * d = 1e7 takes it (an "unstable_if" deoptimisation). Until C2 recompiles, every call enters C1 code
 * that runs the Vector API loops boxed, for up to 2^13 iterations before the on-stack replacement
 * takes over: measured as 2-3× the warm time and megabytes allocated per step.
 *
 * <p>Settled means, over a window of calls ({@link #windowDone}), twice in a row: no JIT compilation
 * finished in the window (the JVM's total compilation time did not move), and, when the operation
 * is expected not to allocate, fewer bytes per call than {@link #allocationAllowance(double)} (every
 * thread's allocation, as JMH's {@code -prof gc} counts it).
 * The loop also runs at least {@link #MIN_NANOS} and stops at {@link #MAX_NANOS} whatever happens,
 * printing what it saw either way (the line lands in the JMH log of that configuration).
 */
public final class WarmUp {
    /** A window of calls whose compilation and allocation are judged together. */
    static final long WINDOW_NANOS = 250_000_000L;
    static final int MIN_CALLS_PER_WINDOW = 5;
    /** Settled windows in a row that end the warm-up. */
    static final int SETTLED_WINDOWS = 2;
    static final long MIN_NANOS = 500_000_000L;
    /** A cap: KRONECKER steps (100+ MB allocated each) and ND4J keep the JIT busy; they stop here. */
    static final long MAX_NANOS = 10_000_000_000L;

    private WarmUp() {}

    /** One call of the operation under measurement. */
    @FunctionalInterface
    public interface Operation {
        void call() throws Throwable;
    }

    /**
     * Calls {@code operation} until the JIT has settled (see the class comment); {@code what} names the
     * configuration in the printed line. {@code allocationFree}: the operation allocates nothing once
     * compiled (cgd4j's steps, the C references), so per-call allocation above the allowance means it
     * is not compiled yet; false for operations that allocate by design (ND4J's, EJML's).
     */
    public static void untilSettled(String what, boolean allocationFree, Operation operation) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long calls = 0;
        int settled = 0;
        double bytesPerCall = Double.NaN;
        double nanosPerCall = Double.NaN;
        try {
            while (true) {
                long windowStart = System.nanoTime();
                long compileBefore = jit.getTotalCompilationTime();
                long bytesBefore = threads.getTotalThreadAllocatedBytes();
                long n = 0;
                long now;
                do {
                    operation.call();
                    n++;
                    now = System.nanoTime();
                } while (!windowDone(n, now - windowStart) && now - start < MAX_NANOS);
                calls += n;
                nanosPerCall = (now - windowStart) / (double) n;
                bytesPerCall = (threads.getTotalThreadAllocatedBytes() - bytesBefore) / (double) n;
                boolean compiled = jit.getTotalCompilationTime() == compileBefore;
                boolean quiet = !allocationFree || bytesPerCall <= allocationAllowance(nanosPerCall);
                settled = compiled && quiet ? settled + 1 : 0;
                long elapsed = now - start;
                if ((settled >= SETTLED_WINDOWS && elapsed >= MIN_NANOS) || elapsed >= MAX_NANOS) {
                    break;
                }
            }
        } catch (Throwable t) {
            throw new IllegalStateException("warm-up of " + what + " failed: " + t, t);
        }
        System.out.println(String.format(Locale.ROOT,
                "warm-up %s: %s after %d calls in %.1f s; last window %.4g ns/call, %.1f B/call",
                what, settled >= SETTLED_WINDOWS ? "settled" : "NOT settled (time cap)", calls,
                (System.nanoTime() - start) / 1e9, nanosPerCall, bytesPerCall));
    }

    /**
     * A window closes after {@link #WINDOW_NANOS} and {@link #MIN_CALLS_PER_WINDOW} calls, or, for
     * calls slower than a fifth of a window (an n = 1024 eigendecomposition in Java), after one call and
     * four windows' time.
     */
    static boolean windowDone(long calls, long nanos) {
        return (calls >= MIN_CALLS_PER_WINDOW && nanos >= WINDOW_NANOS) || (calls >= 1 && nanos >= 4 * WINDOW_NANOS);
    }

    /**
     * Bytes per call that still count as allocation-free: 64 B, plus 0.1 B per µs of call for what
     * other threads allocate meanwhile (JMH's own threads: ≈ 0.03 B/µs measured). A Vector API loop
     * still running in C1 allocates a vector object per lane group, kilobytes to megabytes per call.
     */
    static double allocationAllowance(double nanosPerCall) {
        return 64 + 0.1 * nanosPerCall / 1e3;
    }
}
