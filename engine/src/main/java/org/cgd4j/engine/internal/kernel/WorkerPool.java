package org.cgd4j.engine.internal.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A small pool of persistent daemon workers that runs one task over {@code chunks} chunks. The
 * calling thread and the workers claim chunks from a shared counter until none are left; the caller
 * returns once every chunk has run. A worker that the OS schedules late finds nothing left to claim
 * and the caller has done its share, so {@code threads > 1} does not wait on a descheduled thread
 * (a fixed split into one part per thread did: one late worker stalled the whole pass).
 *
 * <p>Dispatch allocates nothing (atomics and {@link LockSupport} park/unpark), so a step stays at
 * 0 B/op. Workers spin briefly before parking: a step of a large vector follows the previous one
 * closely. One caller at a time; {@link #close()} stops the workers.
 */
public final class WorkerPool implements AutoCloseable {
    /** Elements below which a chunk is not worth its dispatch (a claim, a counter, a cache miss). */
    public static final long MIN_ELEMENTS_PER_CHUNK = 1 << 14;
    /** Chunks per thread at most: enough that a late thread's share is small, few enough to claim cheaply. */
    public static final int CHUNKS_PER_THREAD = 16;
    /** Chunk boundaries are multiples of this many elements, so every vector species sees whole vectors. */
    public static final long ALIGNMENT = 64;
    private static final int SPINS = 2_000;

    /** Work for one chunk (0 ≤ chunk &lt; chunks); implementations are created once and reused. */
    public interface Task {
        void run(int chunk);
    }

    private final Thread[] workers;
    /**
     * The pass in flight and its unclaimed chunks as one unit: generation in the high 32 bits,
     * chunks not yet claimed in the low 32 (chunk k is claimed by moving the count from k + 1 to k).
     * Why one unit: a worker that read generation G and then stalled can only claim through a CAS
     * that expects G, which fails once the caller has published G + 1 (generations only grow; a wrap
     * would need 2^32 passes during one stall). A CAS that succeeds on (G, k + 1) owns chunk k of
     * pass G, and pass G cannot end before that chunk finishes ({@link #unfinished}), so the task
     * read after the CAS is pass G's. Between passes the count is 0: nothing can be claimed.
     */
    private final AtomicLong claim = new AtomicLong();
    /** Chunks of the current pass not yet finished; the caller returns when it reaches 0. */
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile Task task;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;

    /** A pool for {@code threads} ≥ 2 threads: the caller and {@code threads − 1} daemon workers named NAME-k. */
    public WorkerPool(int threads, String name) {
        this(threads, name, Thread.ofPlatform().daemon().name(name + "-", 1).factory());
    }

    /**
     * A pool whose workers come from {@code factory} (tests inject one that fails part-way). All or
     * nothing: when a worker cannot be created or started (the OS refuses another thread: an
     * {@code OutOfMemoryError} "unable to create native thread"), the workers already started are
     * stopped and joined before {@link IllegalStateException} says how many threads were asked for
     * and which one failed, with the JDK's error as its cause.
     */
    public WorkerPool(int threads, String name, java.util.concurrent.ThreadFactory factory) {
        if (threads < 2) {
            throw new IllegalArgumentException("a worker pool needs >= 2 threads, got " + threads);
        }
        workers = new Thread[threads - 1];
        int started = 0;
        try {
            for (; started < workers.length; started++) {
                Thread w = factory.newThread(this::work);
                if (w == null) {
                    throw new IllegalStateException("the thread factory returned null");
                }
                workers[started] = w;
                w.start();
            }
        } catch (RuntimeException | Error e) {
            stop(started);
            throw new IllegalStateException("cannot start a pool of threads = " + threads + " (\"" + name + "\"): worker "
                    + (started + 1) + " of " + workers.length + " failed to start (" + e + "); the " + started
                    + " already started were stopped. Ask for fewer threads (CgdConfig.withThreads, OptimizerBuilder.threads)"
                    + " or raise the process's thread limit", e);
        }
    }

    /** Stops and joins the first {@code count} workers (a constructor that failed part-way). */
    private void stop(int count) {
        closed = true;
        boolean interrupted = false;
        for (int i = 0; i < count; i++) {
            LockSupport.unpark(workers[i]);
        }
        for (int i = 0; i < count; i++) {
            while (true) {
                try {
                    workers[i].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish joining, then restore the flag
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    public int threads() { return workers.length + 1; }

    /** Whether the workers may touch this segment (a segment confined to the caller must stay on it). */
    public boolean accessible(java.lang.foreign.MemorySegment segment) {
        return segment.isAccessibleBy(workers[0]);
    }

    /**
     * How many chunks to cut n elements into for {@code threads} threads: about
     * {@link #CHUNKS_PER_THREAD} per thread, none (but a lone one) below {@code minElementsPerChunk}.
     */
    public static int chunkCount(long n, int threads, long minElementsPerChunk) {
        return (int) Math.max(1, Math.min((long) threads * CHUNKS_PER_THREAD, n / minElementsPerChunk));
    }

    /** First element of chunk c when [0, n) is cut into {@code chunks} chunks aligned to {@link #ALIGNMENT}. */
    public static long chunkStart(long n, int chunks, int c) {
        return chunkStart(n, chunks, c, ALIGNMENT);
    }

    /**
     * First element of chunk c when [0, n) is cut into {@code chunks} chunks aligned to
     * {@code alignment} (a pass that computes the gradient norm's block sums cuts at multiples of
     * DiagonalKernels.NORM_BLOCK, so that no block is split between two chunks).
     */
    public static long chunkStart(long n, int chunks, int c, long alignment) {
        if (c >= chunks) {
            return n;
        }
        long start = n * c / chunks; // n is an int dimension, chunks is small: no overflow
        return start - start % alignment;
    }

    /**
     * Runs {@code task.run(c)} exactly once for every chunk 0 ≤ c &lt; chunks (on this thread or a
     * worker; chunks are handed out from the last one down, and run concurrently) and returns when
     * all are done; rethrows a chunk's failure, after the other chunks have run.
     */
    public void run(Task task, int chunks) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (chunks < 1) {
            throw new IllegalArgumentException("chunks must be >= 1, got " + chunks);
        }
        this.task = task;
        this.failure = null;
        this.caller = Thread.currentThread();
        unfinished.set(chunks);
        long generation = (claim.get() >>> 32) + 1;
        claim.set(generation << 32 | chunks); // publishes the writes above to whoever reads it
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        claimAndRun();
        int spins = 0;
        while (unfinished.get() != 0) { // only chunks claimed by workers are left, all running
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        this.task = null;
        Throwable t = failure;
        if (t != null) {
            this.failure = null;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** Claims and runs chunks of the published pass until none are left (caller and workers alike). */
    private void claimAndRun() {
        while (true) {
            long c = claim.get();
            int unclaimed = (int) c;
            if (unclaimed == 0) {
                return;
            }
            if (claim.compareAndSet(c, c - 1)) {
                Thread passCaller = caller; // read while the pass cannot end: this chunk is unfinished
                try {
                    task.run(unclaimed - 1);
                } catch (Throwable t) {
                    failure = t;
                }
                if (unfinished.decrementAndGet() == 0 && passCaller != Thread.currentThread()) {
                    LockSupport.unpark(passCaller);
                }
            }
        }
    }

    /** A worker's loop: wait for a pass with chunks left, help with it, repeat until closed. */
    private void work() {
        while (true) {
            int spins = 0;
            while ((int) claim.get() == 0 && !closed) {
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
            claimAndRun();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
