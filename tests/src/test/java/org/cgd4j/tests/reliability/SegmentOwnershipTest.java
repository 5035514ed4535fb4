package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segment arguments that this thread may not use (confined to another thread, or of a closed
 * arena) are refused before anything is written, for every structure, multi-group layouts and a
 * pool of threads: the JDK's own check fires only at the first access, which used to come after
 * FULL had updated its moments, metric and eigenvalues and counted the step, and after DIAGONAL
 * had written its first state vector.
 */
class SegmentOwnershipTest {

    /** A subject: how to build the optimizer, and its dimension. */
    record Case(String name, java.util.function.Supplier<Optimizer> factory, int d, boolean full) {
        @Override public String toString() { return name; }
    }

    static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (Subject s : Subject.all()) {
            out.add(new Case(s.name(), () -> Optimizer.create(s.config(), s.d()), s.d(), s.full()));
            if (!s.full()) {
                int d = 33_000; // two chunks of at least 2^14: a pool of 2 threads splits the passes
                out.add(new Case(s.name() + ", threads 2", () -> Optimizer.create(s.config().withThreads(2), d), d, false));
            }
        }
        ParamLayout layout = ParamLayout.builder().vector("a", 7).vector("b", 4).vector("c", 3).build();
        out.add(new Case("DIAGONAL + FULL groups", () -> Optimizer.builder(layout)
                .config(CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8))
                .group(CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3), "b").build(), 14, true));
        return out;
    }

    /** A confined arena owned by a thread of its own, alive until closed. */
    static final class ForeignArena implements AutoCloseable {
        private final ExecutorService owner = Executors.newSingleThreadExecutor();
        private final Arena arena;

        ForeignArena() throws Exception {
            arena = owner.submit(Arena::ofConfined).get();
        }

        MemorySegment doubles(double[] values) throws Exception {
            return owner.submit(() -> arena.allocate(ValueLayout.JAVA_DOUBLE, values.length)
                    .copyFrom(MemorySegment.ofArray(values))).get();
        }

        /** The segment's contents, read on its owner thread. */
        double[] read(MemorySegment s) throws Exception {
            return owner.submit(() -> s.toArray(ValueLayout.JAVA_DOUBLE)).get();
        }

        @Override
        public void close() throws ExecutionException {
            try {
                owner.submit(arena::close).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while closing the foreign arena", e);
            } finally {
                owner.shutdown();
            }
        }
    }

    static double[] gradient(int d) {
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            g[i] = Math.sin(i + 1);
        }
        return g;
    }

    /** Warms {@code o} with a few steps so that its state is not all zero. */
    static double[] warm(Optimizer o, int d) {
        double[] q = new double[d];
        for (int t = 0; t < Subject.WARM_STEPS; t++) {
            o.step(q, gradient(d));
        }
        return q;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void segmentsConfinedToAnotherThreadAreRefusedBeforeAnyWrite(Case c) throws Exception {
        assumeTrue(!c.full() || Engines.fullAvailable(), "FULL engine not in this build");
        try (Optimizer o = c.factory().get(); ForeignArena foreign = new ForeignArena(); Arena shared = Arena.ofShared()) {
            double[] q = warm(o, c.d());
            double[] g = gradient(c.d());
            MemorySegment foreignParams = foreign.doubles(q);
            MemorySegment foreignGrads = foreign.doubles(g);
            MemorySegment ownParams = shared.allocate(ValueLayout.JAVA_DOUBLE, c.d()).copyFrom(MemorySegment.ofArray(q));
            MemorySegment ownGrads = shared.allocate(ValueLayout.JAVA_DOUBLE, c.d()).copyFrom(MemorySegment.ofArray(g));
            StateSnapshot before = StateSnapshot.of(o, q);
            record Attempt(String refused, MemorySegment params, MemorySegment grads) {}
            for (Attempt a : List.of(new Attempt("params", foreignParams, ownGrads), new Attempt("grads", ownParams, foreignGrads),
                    new Attempt("params", foreignParams, foreignGrads))) {
                assertThatThrownBy(() -> o.step(a.params(), a.grads())).as(a.refused())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith(a.refused() + " is confined to another thread");
                before.assertSame(StateSnapshot.of(o, q), "after a refused " + a.refused());
                assertThat(foreign.read(foreignParams)).as("foreign params untouched").isEqualTo(q);
                assertThat(ownParams.toArray(ValueLayout.JAVA_DOUBLE)).as("own params untouched").isEqualTo(q);
            }
            // The same step with usable segments runs, and matches the array step of a twin.
            o.step(ownParams, ownGrads);
            try (Optimizer twin = c.factory().get()) {
                double[] tq = warm(twin, c.d());
                twin.step(tq, g);
                assertThat(ownParams.toArray(ValueLayout.JAVA_DOUBLE)).isEqualTo(tq);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void segmentsOfAClosedArenaAreRefusedBeforeAnyWrite(Case c) {
        assumeTrue(!c.full() || Engines.fullAvailable(), "FULL engine not in this build");
        try (Optimizer o = c.factory().get(); Arena live = Arena.ofShared()) {
            double[] q = warm(o, c.d());
            MemorySegment ownParams = live.allocate(ValueLayout.JAVA_DOUBLE, c.d()).copyFrom(MemorySegment.ofArray(q));
            MemorySegment ownGrads = live.allocate(ValueLayout.JAVA_DOUBLE, c.d());
            MemorySegment closedGrads;
            try (Arena gone = Arena.ofConfined()) {
                closedGrads = gone.allocate(ValueLayout.JAVA_DOUBLE, c.d());
            }
            StateSnapshot before = StateSnapshot.of(o, q);
            assertThatThrownBy(() -> o.step(ownParams, closedGrads)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("grads belongs to a closed arena");
            assertThatThrownBy(() -> o.step(closedGrads, ownGrads)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("params belongs to a closed arena");
            before.assertSame(StateSnapshot.of(o, q), "after refused closed segments");
        }
    }

    @Test
    void aSegmentConfinedToTheCallingThreadIsAccepted() {
        try (Optimizer o = Optimizer.create(CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8).withThreads(2), 33_000);
             Arena mine = Arena.ofConfined()) {
            MemorySegment q = mine.allocate(ValueLayout.JAVA_DOUBLE, 33_000);
            MemorySegment g = mine.allocate(ValueLayout.JAVA_DOUBLE, 33_000).copyFrom(MemorySegment.ofArray(gradient(33_000)));
            o.step(q, g); // the pool's workers may not touch it: the caller runs every chunk
            assertThat(o.steps()).isEqualTo(1);
            assertThat(q.getAtIndex(ValueLayout.JAVA_DOUBLE, 0)).isEqualTo(-1e-2 * Math.signum(Math.sin(1)), org.assertj.core.api.Assertions.within(1e-9));
        }
    }
}
