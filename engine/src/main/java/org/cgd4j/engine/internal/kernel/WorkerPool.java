package org.cgd4j.engine.internal.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A small fixed pool that runs one task split into {@link #parts()} parts: part 0 on the calling
 * thread, the others on persistent daemon workers. Dispatch allocates nothing (volatile
 * generation counters and {@link LockSupport} park/unpark), so a step stays at 0 B/op. Workers spin
 * briefly before parking: a step of a large vector follows the previous one closely.
 * One caller at a time; {@link #close()} stops the workers.
 */
public final class WorkerPool implements AutoCloseable {
    /** Elements below which a range is not worth splitting (dispatch costs a few microseconds). */
    public static final long MIN_ELEMENTS_PER_PART = 1 << 15;
    /** Part boundaries are multiples of this many elements, so every vector species sees whole vectors. */
    public static final long ALIGNMENT = 64;
    private static final int SPINS = 2_000;

    /** Work for one part (0 ≤ part &lt; parts); implementations are created once and reused. */
    public interface Task {
        void run(int part);
    }

    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Task task;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** A pool for {@code parts} ≥ 2 parts ({@code parts − 1} worker threads). */
    public WorkerPool(int parts, String name) {
        if (parts < 2) {
            throw new IllegalArgumentException("a worker pool needs >= 2 parts, got " + parts);
        }
        workers = new Worker[parts - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread = Thread.ofPlatform().daemon().name(name + "-" + (i + 1)).unstarted(workers[i]);
            workers[i].thread.start();
        }
    }

    public int parts() { return workers.length + 1; }

    /** Whether the workers may touch this segment (a segment confined to the caller must stay on it). */
    public boolean accessible(java.lang.foreign.MemorySegment segment) {
        return segment.isAccessibleBy(workers[0].thread);
    }

    /** First element of part p when [0, n) is split into parts aligned to {@link #ALIGNMENT}. */
    public static long partStart(long n, int parts, int p) {
        if (p >= parts) {
            return n;
        }
        long start = n * p / parts; // n is an int dimension: no overflow
        return start - start % ALIGNMENT;
    }

    /** Runs {@code task.run(p)} for every part and returns when all are done; rethrows a worker's failure. */
    public void run(Task task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        this.task = task;
        this.failure = null;
        this.caller = Thread.currentThread();
        pending.set(workers.length);
        for (Worker w : workers) {
            w.generation++;
            LockSupport.unpark(w.thread);
        }
        Throwable own = null;
        try {
            task.run(0);
        } catch (Throwable t) {
            own = t;
        }
        int spins = 0;
        while (pending.get() != 0) {
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.task = null;
        Throwable t = own != null ? own : failure;
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        final int part;
        volatile long generation;
        Thread thread;

        Worker(int part) { this.part = part; }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                int spins = 0;
                while (generation == seen && !closed) {
                    if (spins < SPINS) {
                        spins++;
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(this);
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                try {
                    task.run(part);
                } catch (Throwable t) {
                    failure = t;
                }
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
