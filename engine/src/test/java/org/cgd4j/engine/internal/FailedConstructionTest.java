package org.cgd4j.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.internal.full.FullPreconditioner;
import org.cgd4j.engine.internal.kernel.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A constructor that fails part-way releases everything it acquired: the optimizer's arena is
 * closed (its native memory freed) and the worker threads it had started are stopped and joined,
 * whichever acquisition failed; the error says what was asked and what failed. Failures are
 * injected where the OS would refuse (a thread that cannot start) and where allocation would
 * (a FULL group that cannot be built).
 */
@Timeout(120)
class FailedConstructionTest {
    static final String NAME = "cgd4j-step";

    /** A thread factory whose {@code failAt}-th thread (0-based) fails to start as the OS refuses one; records all it made. */
    static final class FailingThreads implements ThreadFactory {
        final int failAt;
        final List<Thread> made = new ArrayList<>();
        private final ThreadFactory real = Thread.ofPlatform().daemon().name(NAME + "-test-", 1).factory();

        FailingThreads(int failAt) { this.failAt = failAt; }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = made.size() == failAt ? new Thread(r) {
                @Override
                public void start() {
                    throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
                }
            } : real.newThread(r);
            made.add(t);
            return t;
        }
    }

    /** Factories that build real FULL groups (remembering their arena) and pools from {@code threads}. */
    static final class Recording implements StepFacade.Factories {
        final ThreadFactory threads;
        final int failFullAt;
        final AtomicInteger fullGroups = new AtomicInteger();
        Arena arena;

        Recording(ThreadFactory threads, int failFullAt) {
            this.threads = threads;
            this.failFullAt = failFullAt;
        }

        @Override
        public FullPreconditioner full(CgdConfig config, int n, Arena a) {
            arena = a;
            if (fullGroups.getAndIncrement() == failFullAt) {
                throw new IllegalArgumentException("injected: FULL group " + failFullAt + " cannot be built");
            }
            return new FullPreconditioner(config, n, a, null, null);
        }

        @Override public long minElementsPerChunk() { return 64; }

        @Override
        public org.cgd4j.engine.internal.kronecker.KroneckerGroup kronecker(int index, CgdConfig config, List<ParamLayout.Tensor> tensors,
                                                                           Arena a, int threads) {
            arena = a;
            return new org.cgd4j.engine.internal.kronecker.KroneckerGroup(index, config, tensors, a,
                    org.cgd4j.blas.LinearAlgebraProvider.get(),
                    org.cgd4j.engine.internal.kernel.KernelLookup.kernels(), threads);
        }

        @Override
        public WorkerPool pool(int count, String name) {
            return threads == null ? StepFacade.Factories.super.pool(count, name) : new WorkerPool(count, name, threads);
        }
    }

    /** DIAGONAL Adam on "a" (4096 elements: 64 chunks of 64), FULL on "b" and "c", threads as given. */
    static OptimizerSpec spec(int threads) {
        ParamLayout layout = ParamLayout.builder().vector("a", 4096).vector("b", 5).vector("c", 3).build();
        CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        CgdConfig full = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3);
        return new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(adam, List.of("a")),
                new OptimizerSpec.Group(full, List.of("b")), new OptimizerSpec.Group(full, List.of("c"))),
                Schedule.constant(), 0, threads);
    }

    @Test
    void aWorkerThatCannotStartStopsTheOthersAndFreesTheArena() throws InterruptedException {
        int threads = 8; // 7 workers
        for (int failAt = 0; failAt < threads - 1; failAt++) {
            FailingThreads factory = new FailingThreads(failAt);
            Recording recording = new Recording(factory, -1);
            int started = failAt;
            assertThatThrownBy(() -> new StepFacade(spec(threads), recording))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("threads = " + threads)
                    .hasMessageContaining("worker " + (started + 1) + " of " + (threads - 1) + " failed to start")
                    .hasMessageContaining("unable to create native thread")
                    .hasMessageContaining("the " + started + " already started were stopped")
                    .hasCauseInstanceOf(OutOfMemoryError.class);
            assertThat(recording.arena.scope().isAlive()).as("arena after failure at worker %d", failAt).isFalse();
            assertThat(factory.made).hasSize(failAt + 1);
            for (Thread t : factory.made) {
                assertThat(t.isAlive()).as("%s after failure at worker %d", t.getName(), failAt).isFalse();
            }
        }
    }

    @Test
    void aFactoryThatReturnsNoThreadIsAFailureToo() {
        ThreadFactory none = r -> null;
        assertThatThrownBy(() -> new WorkerPool(3, "none", none)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("worker 1 of 2 failed to start").hasMessageContaining("returned null");
    }

    @Test
    void aGroupThatCannotBeBuiltFreesTheArenaAndStartsNoThread() {
        for (int failAt = 0; failAt < 2; failAt++) {
            FailingThreads factory = new FailingThreads(Integer.MAX_VALUE);
            Recording recording = new Recording(factory, failAt);
            assertThatThrownBy(() -> new StepFacade(spec(4), recording)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("injected");
            assertThat(recording.arena.scope().isAlive()).isFalse();
            assertThat(factory.made).as("threads are started last").isEmpty();
        }
    }

    @Test
    void aStateOverTheLimitFreesWhatTheEarlierGroupsAllocated() {
        // The FULL groups allocate first; the DIAGONAL buffers' limit check then fails in another group.
        ParamLayout layout = ParamLayout.builder().vector("b", 5).vector("a", 4096).build();
        CgdConfig full = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3);
        CgdConfig tight = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withMaxStateBytes(1000);
        OptimizerSpec spec = new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(full, List.of("b")),
                new OptimizerSpec.Group(tight, List.of("a"))), Schedule.constant(), 0, 1);
        Recording recording = new Recording(null, -1);
        assertThatThrownBy(() -> new StepFacade(spec, recording)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxStateBytes = 1000");
        assertThat(recording.arena.scope().isAlive()).isFalse();
    }

    @Test
    void aSuccessfulPoolStillWorksAndClosingStopsItsThreads() throws InterruptedException {
        FailingThreads factory = new FailingThreads(Integer.MAX_VALUE);
        StepFacade opt = new StepFacade(spec(4), new Recording(factory, -1));
        double[] q = new double[opt.dimension()];
        double[] g = new double[opt.dimension()];
        java.util.Arrays.fill(g, 0.5);
        opt.step(q, g);
        assertThat(factory.made).hasSize(3).allMatch(Thread::isAlive);
        opt.close();
        for (Thread t : factory.made) {
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
        }
    }
}
