package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The per-step BLAS-2 calls (what FULL CGD makes every step) allocate nothing on the Java heap once
 * warm: the by-reference scalars live in a per-thread scratch segment. Measured with HotSpot's
 * per-thread allocation counter; a few hundred bytes of slack covers the counter's own granularity.
 */
class AllocationFreeCallsTest {

    @Test
    void blas2CallsAllocateNothingOnceWarm() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        LinearAlgebra[] impls = nativeAvailable()
                ? new LinearAlgebra[] {LinearAlgebraProvider.nativeLibrary(), LinearAlgebraProvider.pureJava()}
                : new LinearAlgebra[] {LinearAlgebraProvider.pureJava()};
        int n = 8;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(JAVA_DOUBLE, n * n);
            MemorySegment x = arena.allocate(JAVA_DOUBLE, n);
            MemorySegment y = arena.allocate(JAVA_DOUBLE, n);
            x.setAtIndex(JAVA_DOUBLE, 0, 1e-3);
            for (LinearAlgebra la : impls) {
                for (int i = 0; i < 30_000; i++) { // warm up: interpreter, C1, C2
                    calls(la, n, a, x, y);
                }
                long tid = Thread.currentThread().threadId();
                long before = threads.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 10_000; i++) {
                    calls(la, n, a, x, y);
                }
                long allocated = threads.getThreadAllocatedBytes(tid) - before;
                assertThat(allocated).as("%s: bytes allocated by 30 000 BLAS-2 calls", la.name()).isLessThan(1024);
            }
        }
    }

    /** The per-step KRONECKER calls (GEMM rotations, SYRK factors, SYMM), double and float, once warm. */
    @Test
    void blas3CallsAllocateNothingOnceWarm() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        DenseLinearAlgebra[] impls = nativeAvailable()
                ? new DenseLinearAlgebra[] {LinearAlgebraProvider.nativeLibrary(), LinearAlgebraProvider.pureJava()}
                : new DenseLinearAlgebra[] {LinearAlgebraProvider.pureJava()};
        int n = 9;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(JAVA_DOUBLE, n * n);
            MemorySegment b = arena.allocate(JAVA_DOUBLE, n * n);
            MemorySegment c = arena.allocate(JAVA_DOUBLE, n * n);
            for (DenseLinearAlgebra la : impls) {
                for (int i = 0; i < 20_000; i++) {
                    blas3(la, n, a, b, c);
                }
                long tid = Thread.currentThread().threadId();
                long before = threads.getThreadAllocatedBytes(tid);
                for (int i = 0; i < 5_000; i++) {
                    blas3(la, n, a, b, c);
                }
                long allocated = threads.getThreadAllocatedBytes(tid) - before;
                assertThat(allocated).as("%s: bytes allocated by 30 000 BLAS-3 calls", la.name()).isLessThan(1024);
            }
        }
    }

    private static void blas3(DenseLinearAlgebra la, int n, MemorySegment a, MemorySegment b, MemorySegment c) {
        la.dgemm('T', 'N', n, n, n, 1.0, a, n, b, n, 0.0, c, n);
        la.dsyrk('L', 'N', n, n, 0.5, a, n, 0.5, c, n);
        la.dsymm('L', 'L', n, n, 1.0, c, n, a, n, 0.0, b, n);
        la.sgemm('N', 'T', n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        la.ssyrk('U', 'T', n, n, 0.5f, a, n, 0.5f, c, n);
        la.ssymm('R', 'U', n, n, 1.0f, c, n, a, n, 0.0f, b, n);
    }

    private static void calls(LinearAlgebra la, int n, MemorySegment a, MemorySegment x, MemorySegment y) {
        la.dsyr('L', n, 1e-3, x, 1, a, n);
        la.dsymv('L', n, 1.0, a, n, x, 1, 0.0, y, 1);
        la.dgemv('T', n, n, 1.0, a, n, x, 1, 0.0, y, 1);
    }

    private static boolean nativeAvailable() {
        try {
            LinearAlgebraProvider.nativeLibrary();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
