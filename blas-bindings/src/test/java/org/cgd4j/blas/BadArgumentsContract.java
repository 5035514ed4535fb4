package org.cgd4j.blas;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Every parameter of every routine refused with LAPACK's numbering, before anything is written;
 * closed arenas and other threads' confined segments refused before any native call.
 */
abstract class BadArgumentsContract {

    /** The implementation under test. */
    abstract LinearAlgebra la();

    private static final int N = 3;

    /** A valid DSYEVD call on the 3×3 identity; each test breaks one argument. */
    final class Dsyevd {
        char jobz = 'V';
        char uplo = 'L';
        int n = N;
        MemorySegment a;
        int lda = N;
        MemorySegment w;
        MemorySegment work;
        long lwork = 1 + 6 * N + 2 * N * N;
        MemorySegment iwork;
        long liwork = 3 + 5 * N;

        Dsyevd(Arena arena) {
            a = arena.allocate(JAVA_DOUBLE, N * N);
            for (int i = 0; i < N; i++) {
                a.setAtIndex(JAVA_DOUBLE, i + (long) i * N, 1.0);
            }
            w = arena.allocate(JAVA_DOUBLE, N);
            work = arena.allocate(JAVA_DOUBLE, lwork);
            iwork = arena.allocate(JAVA_INT, liwork);
        }

        void call() {
            la().dsyevd(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork);
        }
    }

    void assertDsyevdRefused(int parameter, Consumer<Dsyevd> breakIt) {
        try (Arena arena = Arena.ofConfined()) {
            Dsyevd c = new Dsyevd(arena);
            breakIt.accept(c);
            double[] before = c.a != null && c.a.byteSize() >= N * N * 8L && c.a.isNative() ? TestMatrices.toArray(c.a, N * N) : null;
            assertRefused("DSYEVD", parameter, c::call);
            if (before != null) {
                assertThat(TestMatrices.toArray(c.a, N * N)).as("a unchanged").isEqualTo(before);
            }
        }
    }

    static void assertRefused(String routine, int parameter, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BlasArgumentException.class, e -> {
            assertThat(e.routine()).isEqualTo(routine);
            assertThat(e.parameter()).as(e.getMessage()).isEqualTo(parameter);
            assertThat(e.getMessage()).startsWith("parameter " + parameter + " of " + routine + " had an illegal value: ");
        });
    }

    @Test
    void validDsyevdCallSucceeds() {
        try (Arena arena = Arena.ofConfined()) {
            Dsyevd c = new Dsyevd(arena);
            c.call();
            assertThat(TestMatrices.toArray(c.w, N)).containsExactly(1.0, 1.0, 1.0);
        }
    }

    @Test
    void dsyevdRefusesEachBadParameter() {
        assertDsyevdRefused(1, c -> c.jobz = 'X');
        assertDsyevdRefused(2, c -> c.uplo = 'X');
        assertDsyevdRefused(3, c -> c.n = -1);
        assertDsyevdRefused(4, c -> c.a = c.a.asSlice(0, 8 * 8));
        assertDsyevdRefused(4, c -> c.a = null);
        assertDsyevdRefused(4, c -> c.a = MemorySegment.ofArray(new double[N * N]));
        assertDsyevdRefused(4, c -> c.a.setAtIndex(JAVA_DOUBLE, 1, Double.NaN));
        assertDsyevdRefused(4, c -> c.a.setAtIndex(JAVA_DOUBLE, 2, Double.POSITIVE_INFINITY));
        assertDsyevdRefused(5, c -> c.lda = 2);
        assertDsyevdRefused(6, c -> c.w = c.w.asSlice(0, 16));
        assertDsyevdRefused(6, c -> c.w = c.w.asReadOnly());
        assertDsyevdRefused(7, c -> c.work = c.work.asSlice(0, 8 * (c.lwork - 1)));
        assertDsyevdRefused(8, c -> c.lwork = c.lwork - 1);
        assertDsyevdRefused(8, c -> c.lwork = 1L << 32);
        assertDsyevdRefused(9, c -> c.iwork = c.iwork.asSlice(0, 4 * (c.liwork - 1)));
        assertDsyevdRefused(10, c -> c.liwork = c.liwork - 1);
        assertDsyevdRefused(3, c -> c.n = Integer.MAX_VALUE);
    }

    @Test
    void dsyevdReadsOnlyTheReferencedTriangle() {
        // NaN above the diagonal is never read with uplo = 'L' (and is no reason to refuse).
        try (Arena arena = Arena.ofConfined()) {
            Dsyevd c = new Dsyevd(arena);
            c.a.setAtIndex(JAVA_DOUBLE, N, Double.NaN); // a(1,2)
            c.call();
            assertThat(TestMatrices.toArray(c.w, N)).containsExactly(1.0, 1.0, 1.0);
        }
    }

    @Test
    void workspaceQueryRefusesBadOrder() {
        assertRefused("DSYEVD", 3, () -> la().dsyevdWorkspace(-1));
        assertRefused("DSYEVD", 3, () -> la().dsyevdWorkspace(100_000));
    }

    @Test
    void dsyrRefusesEachBadParameter() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x = arena.allocate(JAVA_DOUBLE, N);
            MemorySegment a = arena.allocate(JAVA_DOUBLE, N * N);
            assertRefused("DSYR", 1, () -> la().dsyr('X', N, 1, x, 1, a, N));
            assertRefused("DSYR", 2, () -> la().dsyr('L', -1, 1, x, 1, a, N));
            assertRefused("DSYR", 4, () -> la().dsyr('L', N, 1, x, 2, a, N));
            assertRefused("DSYR", 5, () -> la().dsyr('L', N, 1, x, 0, a, N));
            assertRefused("DSYR", 6, () -> la().dsyr('L', N, 1, x, 1, a.asSlice(8), N));
            assertRefused("DSYR", 6, () -> la().dsyr('L', N, 1, x, 1, a.asReadOnly(), N));
            assertRefused("DSYR", 7, () -> la().dsyr('L', N, 1, x, 1, a, N - 1));
        }
    }

    @Test
    void dsymvRefusesEachBadParameter() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(JAVA_DOUBLE, N * N);
            MemorySegment x = arena.allocate(JAVA_DOUBLE, N);
            MemorySegment y = arena.allocate(JAVA_DOUBLE, N);
            assertRefused("DSYMV", 1, () -> la().dsymv('X', N, 1, a, N, x, 1, 0, y, 1));
            assertRefused("DSYMV", 2, () -> la().dsymv('U', -1, 1, a, N, x, 1, 0, y, 1));
            assertRefused("DSYMV", 4, () -> la().dsymv('U', N, 1, a.asSlice(0, 64), N, x, 1, 0, y, 1));
            assertRefused("DSYMV", 5, () -> la().dsymv('U', N, 1, a, 0, x, 1, 0, y, 1));
            assertRefused("DSYMV", 6, () -> la().dsymv('U', N, 1, a, N, x, -2, 0, y, 1));
            assertRefused("DSYMV", 7, () -> la().dsymv('U', N, 1, a, N, x, 0, 0, y, 1));
            assertRefused("DSYMV", 9, () -> la().dsymv('U', N, 1, a, N, x, 1, 0, y.asSlice(4), 1));
            assertRefused("DSYMV", 9, () -> la().dsymv('U', N, 1, a, N, x, 1, 0, y.asReadOnly(), 1));
            assertRefused("DSYMV", 10, () -> la().dsymv('U', N, 1, a, N, x, 1, 0, y, 0));
        }
    }

    @Test
    void dgemvRefusesEachBadParameter() {
        try (Arena arena = Arena.ofConfined()) {
            int m = 4;
            MemorySegment a = arena.allocate(JAVA_DOUBLE, m * N);
            MemorySegment x = arena.allocate(JAVA_DOUBLE, N);
            MemorySegment y = arena.allocate(JAVA_DOUBLE, m);
            assertRefused("DGEMV", 1, () -> la().dgemv('X', m, N, 1, a, m, x, 1, 0, y, 1));
            assertRefused("DGEMV", 2, () -> la().dgemv('N', -1, N, 1, a, m, x, 1, 0, y, 1));
            assertRefused("DGEMV", 3, () -> la().dgemv('N', m, -1, 1, a, m, x, 1, 0, y, 1));
            assertRefused("DGEMV", 5, () -> la().dgemv('N', m, N, 1, a.asSlice(8), m, x, 1, 0, y, 1));
            assertRefused("DGEMV", 6, () -> la().dgemv('N', m, N, 1, a, m - 1, x, 1, 0, y, 1));
            assertRefused("DGEMV", 7, () -> la().dgemv('N', m, N, 1, a, m, x.asSlice(8), 1, 0, y, 1));
            // op = T: x has m elements, y has n
            assertRefused("DGEMV", 7, () -> la().dgemv('T', m, N, 1, a, m, x, 1, 0, y, 1));
            assertRefused("DGEMV", 8, () -> la().dgemv('N', m, N, 1, a, m, x, 0, 0, y, 1));
            assertRefused("DGEMV", 10, () -> la().dgemv('N', m, N, 1, a, m, x, 1, 0, y.asSlice(8), 1));
            assertRefused("DGEMV", 11, () -> la().dgemv('N', m, N, 1, a, m, x, 1, 0, y, 0));
        }
    }

    @Test
    void closedArenasAreRefusedBeforeAnyNativeCall() {
        Arena arena = Arena.ofConfined();
        Dsyevd c = new Dsyevd(arena);
        MemorySegment v = arena.allocate(JAVA_DOUBLE, N);
        arena.close();
        try (Arena live = Arena.ofConfined()) {
            MemorySegment a = live.allocate(JAVA_DOUBLE, N * N);
            MemorySegment x = live.allocate(JAVA_DOUBLE, N);
            assertThatThrownBy(c::call).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("DSYEVD").hasMessageContaining("closed");
            assertThatThrownBy(() -> la().dsyr('L', N, 1, v, 1, a, N)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parameter 4 of DSYR");
            assertThatThrownBy(() -> la().dsymv('L', N, 1, a, N, x, 1, 0, v, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parameter 9 of DSYMV");
            assertThatThrownBy(() -> la().dgemv('N', N, N, 1, a, N, v, 1, 0, x, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("parameter 7 of DGEMV");
        }
    }

    @Test
    void anotherThreadsConfinedSegmentIsRefused() throws InterruptedException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(JAVA_DOUBLE, N * N);
            MemorySegment x = arena.allocate(JAVA_DOUBLE, N);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    la().dsyr('L', N, 1, x, 1, a, N);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            t.join();
            assertThat(thrown.get()).isInstanceOf(WrongThreadException.class).hasMessageContaining("DSYR");
        }
    }
}
