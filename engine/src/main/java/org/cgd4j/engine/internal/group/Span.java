package org.cgd4j.engine.internal.group;

import org.cgd4j.engine.internal.kernel.WorkerPool;

/**
 * A contiguous range [from, to) of the flat parameter vector, cut once into the chunks a
 * {@link WorkerPool} hands out (one chunk, the whole range, below the pool's minimum), with one
 * scan result per chunk. Chunk boundaries do not change results: every element is computed by the
 * same operations whichever thread runs its chunk.
 */
public final class Span {
    public final long from;
    public final long to;
    /** Chunk c is [bounds[c], bounds[c + 1]). */
    private final long[] bounds;
    /** First non-finite index per chunk, or −1: filled by a scan pass. */
    public final long[] chunkNonFinite;

    public Span(long from, long to, int threads, long minElementsPerChunk) {
        this(from, to, threads, minElementsPerChunk, WorkerPool.ALIGNMENT);
    }

    /** Chunks start at multiples of {@code alignment} from {@code from} (a norm pass needs whole blocks). */
    public Span(long from, long to, int threads, long minElementsPerChunk, long alignment) {
        this.from = from;
        this.to = to;
        int chunks = WorkerPool.chunkCount(to - from, threads, minElementsPerChunk);
        this.bounds = new long[chunks + 1];
        for (int c = 0; c <= chunks; c++) {
            bounds[c] = from + WorkerPool.chunkStart(to - from, chunks, c, alignment);
        }
        this.chunkNonFinite = new long[chunks];
    }

    public int chunks() { return bounds.length - 1; }

    public long chunkFrom(int c) { return bounds[c]; }

    public long chunkTo(int c) { return bounds[c + 1]; }

    public long length() { return to - from; }
}
