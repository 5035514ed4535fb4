package org.cgd4j.blas;

/**
 * While open, every BLAS/LAPACK call of the library runs on one thread, whichever Java thread makes
 * it; closing restores the count the library had before the first open scope.
 *
 * <p>Why a scope and not a per-call setting: OpenBLAS keeps its thread count in one process-wide
 * variable ({@code openblas_set_num_threads}; there is no per-thread count in a pthreads build). A
 * caller that runs independent BLAS calls on its own workers (KRONECKER CGD: one block per worker)
 * opens a scope around the parallel section, so that the workers do not each fan out to OpenBLAS'
 * threads and oversubscribe the cores. Scopes nest and may be open on several threads at once: the
 * count stays 1 until the last one closes. Calls from other code during that time also run on one
 * thread (the setting is process-wide). Closing twice is harmless. For the pure-Java implementation,
 * which is single-threaded, the scope does nothing.
 */
public interface BlasThreadScope extends AutoCloseable {
    /** Ends this scope; the last open scope restores the library's previous thread count. */
    @Override
    void close();
}
