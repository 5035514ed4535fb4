package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad argument gets an exception that names the problem, and params and every state slice
 * are bit-identical afterwards (snapshots through the checkpoint contract, stateSlices()).
 */
class BadInputTest {
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;


    static List<Subject> subjects() { return Subject.all(); }

    /** Runs {@code call} on a warmed optimizer, expects {@code type} with {@code message}, and no change anywhere. */
    private static void assertRefusedUnchanged(Optimizer o, double[] params, ThrowingCallable call,
                                               Class<? extends Throwable> type, String... message) {
        StateSnapshot before = StateSnapshot.of(o, params);
        assertThatThrownBy(call).isInstanceOf(type).hasMessageContainingAll(message);
        before.assertSame(StateSnapshot.of(o, params), "after a refused call");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void nonFiniteGradientsAreRefusedWithTheirIndex(Subject s) {
        double[] q = s.start();
        try (Optimizer o = s.warm(q)) {
            int d = s.d();
            for (int at : new int[] {0, d / 2, d - 1}) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    double[] g = new double[d];
                    java.util.Arrays.fill(g, 0.25);
                    g[at] = bad;
                    assertRefusedUnchanged(o, q, () -> o.step(q, g), NonFiniteGradientException.class,
                            "gradient element " + at + " is " + bad);
                    try {
                        o.step(q, g);
                    } catch (NonFiniteGradientException e) {
                        assertThat(e.index()).isEqualTo(at);
                    }
                }
            }
            // Two bad elements: the first one is reported.
            double[] g = new double[d];
            g[d - 1] = Double.NaN;
            g[1] = Double.NEGATIVE_INFINITY;
            assertRefusedUnchanged(o, q, () -> o.step(q, g), NonFiniteGradientException.class, "gradient element 1 is -Infinity");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void skipPolicyCountsTheStepAndChangesNothingElse(Subject s) {
        Subject skipping = new Subject(s.name(), s.config().withNonFinitePolicy(NonFinitePolicy.SKIP), s.d());
        double[] q = skipping.start();
        try (Optimizer o = skipping.warm(q)) {
            StateSnapshot before = StateSnapshot.of(o, q);
            double[] g = new double[s.d()];
            g[s.d() - 1] = Double.POSITIVE_INFINITY;
            o.step(q, g);
            StateSnapshot after = StateSnapshot.of(o, q);
            assertThat(after.skipped()).isEqualTo(before.skipped() + 1);
            assertThat(after.steps()).isEqualTo(before.steps());
            new StateSnapshot(before.steps(), after.skipped(), before.names(), before.slices(), before.paramBits())
                    .assertSame(after, "after a skipped step");
        }
    }

    /**
     * Policy: params are the caller's. A non-finite parameter is not refused (checking it would cost a
     * second read of q per step); P never depends on q, so it only stays non-finite itself: every other
     * element and the whole state evolve exactly as if it were finite.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void nonFiniteParamsStayTheCallersAndContaminateNothing(Subject s) {
        double[] q1 = s.start(), q2 = s.start();
        try (Optimizer a = s.warm(q1); Optimizer b = s.warm(q2)) {
            q2[1] = Double.NaN;
            q2[2] = Double.NEGATIVE_INFINITY;
            double[] g = new double[s.d()];
            new GradientSource(s.d(), 99).gradient(q1, g);
            a.step(q1, g);
            b.step(q2, g);
            assertThat(q2[1]).isNaN();
            assertThat(q2[2]).isEqualTo(Double.NEGATIVE_INFINITY);
            q2[1] = q1[1];
            q2[2] = q1[2];
            StateSnapshot.of(a, q1).assertSame(StateSnapshot.of(b, q2), "with non-finite params");
            assertThat(StateSnapshot.of(b, q2).stateFinite(false)).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void wrongLengthsAreRefusedByName(Subject s) {
        double[] q = s.start();
        int d = s.d();
        try (Optimizer o = s.warm(q)) {
            assertRefusedUnchanged(o, q, () -> o.step(new double[d - 1], new double[d]), IllegalArgumentException.class,
                    "params has " + (d - 1) + " elements", "dimension is " + d);
            assertRefusedUnchanged(o, q, () -> o.step(q, new double[d + 1]), IllegalArgumentException.class,
                    "grads has " + (d + 1) + " elements");
            assertRefusedUnchanged(o, q, () -> o.step(q, new double[0]), IllegalArgumentException.class, "grads has 0 elements");
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment small = arena.allocate(8L * (d - 1), 8);
                MemorySegment right = arena.allocate(8L * d, 8);
                MemorySegment large = arena.allocate(8L * d + 4, 8);
                assertRefusedUnchanged(o, q, () -> o.step(small, right), IllegalArgumentException.class, "params", "bytes");
                assertRefusedUnchanged(o, q, () -> o.step(right, large), IllegalArgumentException.class, "grads", "bytes");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void nullsAreRefusedByName(Subject s) {
        double[] q = s.start();
        try (Optimizer o = s.warm(q)) {
            double[] g = new double[s.d()];
            assertRefusedUnchanged(o, q, () -> o.step((double[]) null, g), NullPointerException.class, "params");
            assertRefusedUnchanged(o, q, () -> o.step(q, (double[]) null), NullPointerException.class, "grads");
            assertRefusedUnchanged(o, q, () -> o.step((MemorySegment) null, (MemorySegment) null), NullPointerException.class, "params");
            assertRefusedUnchanged(o, q, () -> o.save(null), NullPointerException.class, "path");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void unusableSegmentsAreRefused(Subject s) {
        double[] q = s.start();
        int d = s.d();
        try (Optimizer o = s.warm(q)) {
            MemorySegment dead;
            try (Arena arena = Arena.ofConfined()) {
                dead = arena.allocate(8L * d, 8);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ok = arena.allocate(8L * d, 8);
                assertRefusedUnchanged(o, q, () -> o.step(dead, ok), IllegalStateException.class, "params", "closed");
                assertRefusedUnchanged(o, q, () -> o.step(ok, dead), IllegalStateException.class, "grads", "closed");
                MemorySegment readOnly = ok.asReadOnly();
                assertRefusedUnchanged(o, q, () -> o.step(readOnly, ok), IllegalArgumentException.class, "params", "read-only");
                // A heap segment over bytes is only byte-aligned: refused instead of a misaligned access.
                MemorySegment bytes = MemorySegment.ofArray(new byte[8 * d]);
                assertRefusedUnchanged(o, q, () -> o.step(ok, bytes), IllegalArgumentException.class, "grads", "aligned");
                MemorySegment misaligned = arena.allocate(8L * d + 8, 8).asSlice(4, 8L * d);
                assertRefusedUnchanged(o, q, () -> o.step(misaligned, ok), IllegalArgumentException.class, "params", "aligned");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void aClosedOptimizerRefusesEverything(Subject s) throws Exception {
        double[] q = s.start();
        Optimizer o = s.warm(q);
        StateSnapshot before = StateSnapshot.of(o, q);
        o.close();
        o.close();  // idempotent
        double[] g = new double[s.d()];
        assertThatThrownBy(() -> o.step(q, g)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(8L * s.d(), 8);
            assertThatThrownBy(() -> o.step(seg, seg)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
        assertThatThrownBy(() -> o.save(dir.resolve("refused.ckpt")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(StateSnapshot.bits(q)).isEqualTo(before.paramBits());
        assertThat(o.steps()).isEqualTo(before.steps());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void precisionCannotBeMixed(Subject s) {
        assumeTrue(!s.config().metric().equals(org.cgd4j.engine.Metric.NONE), "SGD keeps no state to mix");
        double[] q = s.start();
        try (Optimizer o = s.warm(q)) {
            float[] qf = new float[s.d()];
            float[] gf = new float[s.d()];
            StateSnapshot before = StateSnapshot.of(o, q);
            assertThatThrownBy(() -> o.step(qf, gf)).isInstanceOfAny(IllegalStateException.class, UnsupportedOperationException.class)
                    .hasMessageContaining(s.full() ? "double precision only" : "float");
            before.assertSame(StateSnapshot.of(o, q), "after a refused float step");
            assertThat(qf).containsOnly(0f);
        }
    }
}
