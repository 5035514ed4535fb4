package org.cgd4j.benchmarks.diagonal;

import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.benchmarks.updaters.Nd4jUpdaterBenchmark;
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
 * Issue 17's SGD target, paired: cgd4j's public SGD step under THROW and under PROPAGATE
 * ({@link PolicyStepBenchmark}'s set-up) and ND4J's SGD applied as DL4J applies it
 * ({@code updaters.Nd4jUpdaterBenchmark}'s set-up: {@code applyUpdater}, then {@code subi}), one step of
 * each in turn, in an order that rotates from call to call, within one fork. At d = 1e7 the step streams
 * memory, and this machine's bandwidth moves from minute to minute: in separate forks ND4J's side and
 * cgd4j's side each carried ±15–40% errors, as large as the margin the target asks for.
 *
 * <p>Each side's timed step follows an untimed step of its own: the lines a step leaves dirty (ND4J's
 * writes twice as many as cgd4j's: the update into the gradient, then the params) are written back
 * while the next step runs, so without it each side would pay for the side before it, as it does for
 * itself in a fork of its own. ND4J's gradient is restored from its pristine copy before each of its
 * steps, outside the timed span, as {@code Nd4jUpdaterBenchmark}'s untimed per-invocation set-up does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"})
public class PolicyPairBenchmark {
    @Param({"f64", "f32"})
    public String precision;

    @Param({"10000000"})
    public int d;

    private PolicyStepBenchmark throwing, propagating;
    private Nd4jUpdaterBenchmark nd4j;
    private int rotation;

    /** Each side's time, summed over an iteration; JMH reports each per iteration as a secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public long throwNanos;
        public long propagateNanos;
        public long nd4jNanos;
        /** Steps of each side (the same for all three). */
        public long steps;

        @Setup(Level.Iteration)
        public void clear() {
            throwNanos = 0;
            propagateNanos = 0;
            nd4jNanos = 0;
            steps = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        throwing = policyStep("THROW");
        propagating = policyStep("PROPAGATE");
        nd4j = new Nd4jUpdaterBenchmark();
        nd4j.optimizer = "sgd";
        nd4j.precision = precision;
        nd4j.d = d;
        nd4j.threads = 1;
        nd4j.setUp(); // each side warms on its own first (WarmUp in its set-up), then all three together
        WarmUp.untilSettled("PolicyPair sgd " + precision + " d=" + d + " (THROW, PROPAGATE, ND4J)", false, () -> {
            throwing.step();
            propagating.step();
            nd4j.restoreGradient();
            nd4j.step();
        });
    }

    private PolicyStepBenchmark policyStep(String policy) {
        PolicyStepBenchmark step = new PolicyStepBenchmark();
        step.optimizer = "sgd";
        step.policy = policy;
        step.precision = precision;
        step.d = d;
        step.setUp();
        return step;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        throwing.tearDown();
        propagating.tearDown();
    }

    /** One step of each side, in the order of this call's rotation (so no side always runs first). */
    @Benchmark
    public void pairs(Split split) {
        int first = rotation;
        rotation = (rotation + 1) % 3;
        for (int k = 0; k < 3; k++) {
            int side = (first + k) % 3;
            step(side); // untimed: it absorbs the write-backs of the previous side's dirty lines
            if (side == 2) {
                nd4j.restoreGradient();
            }
            long start = System.nanoTime();
            switch (side) {
                case 0 -> throwing.step();
                case 1 -> propagating.step();
                default -> nd4j.step();
            }
            long nanos = System.nanoTime() - start;
            switch (side) {
                case 0 -> split.throwNanos += nanos;
                case 1 -> split.propagateNanos += nanos;
                default -> split.nd4jNanos += nanos;
            }
        }
        split.steps++;
    }

    /** An untimed step of {@code side} (ND4J's with its gradient restored first). */
    private void step(int side) {
        switch (side) {
            case 0 -> throwing.step();
            case 1 -> propagating.step();
            default -> {
                nd4j.restoreGradient();
                nd4j.step();
            }
        }
    }
}
