package org.cgd4j.engine.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The pool's contract: every chunk of a pass runs exactly once, the caller does not wait for a
 * worker that is late (it runs the chunks the worker did not claim), a worker never runs one pass's
 * task after that pass has returned, failures reach the caller, close() stops the workers. A broken
 * claim hangs the caller (its unfinished count never settles), so every test carries a timeout that
 * turns a hang into a failure (not a speed check: each takes well under a second).
 */
@Timeout(value = WorkerPoolTest.HANG_SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
class WorkerPoolTest {
    /** Long enough for a CI machine at load 15 (each test takes under a second quietly). */
    static final int HANG_SECONDS = 120;


    /**
     * A worker blocks in its first chunk until the caller has run every other chunk: with a fixed
     * split (one part per thread) the caller would wait for the worker's part forever; with claimed
     * chunks the caller runs the rest, then the worker finishes its one chunk.
     */
    @Test
    void aDelayedWorkerDoesNotHoldBackTheOtherChunks() throws InterruptedException {
        int chunks = 12;
        Thread test = Thread.currentThread();
        try (WorkerPool pool = new WorkerPool(2, "pool-test-delay")) {
            for (int pass = 0; pass < 5; pass++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(chunks);
                AtomicInteger byCaller = new AtomicInteger();
                CountDownLatch callerRanTheRest = new CountDownLatch(1);
                AtomicReference<String> problem = new AtomicReference<>();
                pool.run(chunk -> {
                    runs.incrementAndGet(chunk);
                    if (Thread.currentThread() == test) {
                        if (byCaller.incrementAndGet() == chunks - 1) {
                            callerRanTheRest.countDown();
                        }
                        return;
                    }
                    try { // the worker is "descheduled" inside its chunk until the caller did all others
                        if (!callerRanTheRest.await(HANG_SECONDS, TimeUnit.SECONDS)) {
                            problem.set("the caller did not run the chunks the blocked worker left");
                        }
                    } catch (InterruptedException e) {
                        problem.set("interrupted");
                    }
                }, chunks);
                assertThat(problem.get()).isNull();
                for (int c = 0; c < chunks; c++) {
                    assertThat(runs.get(c)).as("runs of chunk %d in pass %d", c, pass).isEqualTo(1);
                }
                assertThat(byCaller.get()).isGreaterThanOrEqualTo(chunks - 1);
            }
        }
    }

    /**
     * Many passes with random chunk counts and random pauses inside chunks (on workers and caller):
     * each chunk runs exactly once per pass, never with an out-of-range index, and no task runs after
     * its pass has returned (a late worker claiming from an old pass would show up here).
     */
    @Test
    void everyChunkRunsExactlyOncePerPassUnderRandomDelays() {
        SplittableRandom random = new SplittableRandom(42);
        List<String> problems = new ArrayList<>();
        for (int threads : new int[] {2, 3}) {
            try (WorkerPool pool = new WorkerPool(threads, "pool-test-stress")) {
                for (int pass = 0; pass < 3_000; pass++) {
                    // many near-empty chunks make threads race for the counter; a few passes pause inside one
                    int chunks = 1 + random.nextInt(random.nextBoolean() ? 8 : 300);
                    int delayed = random.nextInt(chunks);
                    long delayNanos = random.nextInt(4) == 0 ? 20_000 + random.nextInt(200_000) : 0;
                    StressTask task = new StressTask(chunks, delayed, delayNanos);
                    pool.run(task, chunks);
                    task.returned = true;
                    for (int c = 0; c < chunks; c++) {
                        if (task.runs.get(c) != 1) {
                            problems.add("threads=" + threads + " pass " + pass + " chunk " + c + " ran "
                                    + task.runs.get(c) + " times");
                        }
                    }
                    if (task.problem.get() != null) {
                        problems.add("threads=" + threads + " pass " + pass + ": " + task.problem.get());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static final class StressTask implements WorkerPool.Task {
        final AtomicIntegerArray runs;
        final int delayed;
        final long delayNanos;
        final AtomicReference<String> problem = new AtomicReference<>();
        volatile boolean returned;

        StressTask(int chunks, int delayed, long delayNanos) {
            this.runs = new AtomicIntegerArray(chunks);
            this.delayed = delayed;
            this.delayNanos = delayNanos;
        }

        @Override
        public void run(int chunk) {
            if (returned) {
                problem.set("chunk " + chunk + " ran after its pass returned");
            }
            if (chunk < 0 || chunk >= runs.length()) {
                problem.set("chunk " + chunk + " out of range");
                return;
            }
            if (chunk == delayed && delayNanos > 0) {
                LockSupport.parkNanos(delayNanos);
            }
            runs.incrementAndGet(chunk);
        }
    }

    @Test
    void aFailingChunkIsRethrownOnTheCallerAfterTheOthersRan() {
        try (WorkerPool pool = new WorkerPool(2, "pool-test-failure")) {
            for (int failing : new int[] {0, 7, 15}) {
                AtomicIntegerArray runs = new AtomicIntegerArray(16);
                assertThatThrownBy(() -> pool.run(chunk -> {
                    runs.incrementAndGet(chunk);
                    if (chunk == failing) {
                        throw new ArithmeticException("chunk " + chunk);
                    }
                }, 16)).isInstanceOf(ArithmeticException.class).hasMessage("chunk " + failing);
                for (int c = 0; c < 16; c++) {
                    assertThat(runs.get(c)).isEqualTo(1);
                }
            }
            AtomicInteger after = new AtomicInteger();
            pool.run(chunk -> after.incrementAndGet(), 9); // the failure does not stick to the pool
            assertThat(after.get()).isEqualTo(9);
        }
    }

    @Test
    void closeStopsTheWorkersAndRefusesFurtherPasses() throws InterruptedException {
        WorkerPool pool = new WorkerPool(3, "pool-test-close");
        AtomicInteger count = new AtomicInteger();
        pool.run(chunk -> count.incrementAndGet(), 5);
        assertThat(count.get()).isEqualTo(5);
        List<Thread> workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("pool-test-close-")).toList();
        assertThat(workers).hasSize(2);
        pool.close();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
            assertThat(w.isAlive()).as(w.getName()).isFalse();
        }
        assertThatThrownBy(() -> pool.run(chunk -> { }, 2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aPoolNeedsTwoThreadsAndAPassAChunk() {
        assertThatThrownBy(() -> new WorkerPool(1, "pool-test-one")).isInstanceOf(IllegalArgumentException.class);
        try (WorkerPool pool = new WorkerPool(2, "pool-test-zero")) {
            assertThatThrownBy(() -> pool.run(chunk -> { }, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
