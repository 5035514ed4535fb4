package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Faults below the engine (LAPACK failing, native code returning NaN or throwing, dead or short
 * segments) reach the caller as exceptions, never as a crash, and leave params and state exactly as
 * they were: a refused step leaves no trace, shown against a twin optimizer that never saw it.
 */
class NativeFaultTest {
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

    static final int D = 6;
    static final CgdConfig EXACT = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3);
    static final CgdConfig TRACKED = EXACT.withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED);

    static List<LinearAlgebra> implementations() {
        return List.of(LinearAlgebraProvider.get(), LinearAlgebraProvider.pureJava());
    }

    @ParameterizedTest
    @EnumSource(value = FaultyLinearAlgebra.Fault.class, names = {"NO_CONVERGENCE", "NAN_EIGENVALUES", "NAN_EIGENVECTORS", "CRASH", "DGEMV_CRASH"})
    void aFailedEigendecompositionLeavesNoTrace(FaultyLinearAlgebra.Fault fault) {
        for (CgdConfig config : List.of(EXACT, TRACKED)) {
            assumeTrue(Engines.fullAvailable(), "FULL engine not in this build");
            FaultyLinearAlgebra faulty = new FaultyLinearAlgebra(LinearAlgebraProvider.get());
            GradientSource source = new GradientSource(D, 11);
            double[] qa = source.start.clone(), qb = source.start.clone(), g = new double[D];
            try (Optimizer a = org.cgd4j.engine.internal.Engines.full(faulty, config, D);
                 Optimizer b = org.cgd4j.engine.internal.Engines.full(LinearAlgebraProvider.get(), config, D)) {
                for (int t = 0; t < 7; t++) {  // past a refresh, so TRACKED is between refreshes at step 8
                    source.gradient(qa, g);
                    a.step(qa, g);
                    b.step(qb, g);
                }
                faulty.fault = fault;
                // Several attempts: with TRACKED, steps between refreshes call no DSYEVD and succeed;
                // the twin then takes the same step, so the two stay in lockstep.
                int refusals = 0;
                for (int attempt = 0; attempt < 3; attempt++) {
                    StateSnapshot before = StateSnapshot.of(a, qa);
                    boolean refused = true;
                    try {
                        a.step(qa, g);
                        refused = false;
                        b.step(qb, g);
                    } catch (LapackException e) {
                        assertThat(fault).isEqualTo(FaultyLinearAlgebra.Fault.NO_CONVERGENCE);
                        assertThat(e.getMessage()).contains("DSYEVD", "injected", "params and state unchanged");
                    } catch (ArithmeticException e) {
                        assertThat(fault).isIn(FaultyLinearAlgebra.Fault.NAN_EIGENVALUES, FaultyLinearAlgebra.Fault.NAN_EIGENVECTORS);
                        assertThat(e.getMessage()).contains("non-finite", "params and state unchanged");
                    } catch (IllegalStateException e) {
                        assertThat(fault).isIn(FaultyLinearAlgebra.Fault.CRASH, FaultyLinearAlgebra.Fault.DGEMV_CRASH);
                        assertThat(e.getMessage()).contains("injected");
                    }
                    if (refused) {
                        refusals++;
                        before.assertSame(StateSnapshot.of(a, qa), fault + " " + config.refreshMode() + " attempt " + attempt);
                    }
                }
                assertThat(refusals).as("the fault must be hit").isGreaterThan(0);
                faulty.fault = FaultyLinearAlgebra.Fault.NONE;
                for (int t = 0; t < 5; t++) {  // the twins go on in lockstep: nothing of the refused steps remains
                    source.gradient(qa, g);
                    a.step(qa, g);
                    b.step(qb, g);
                }
                StateSnapshot.of(b, qb).assertSame(StateSnapshot.of(a, qa), "after recovering from " + fault);
            }
        }
    }

    /** A real second thread arrives while the first is inside DSYEVD: refused, and the first completes normally. */
    @Test
    void aSecondThreadIsRefusedWhileTheFirstIsInsideLapack() throws Exception {
        assumeTrue(Engines.fullAvailable(), "FULL engine not in this build");
        FaultyLinearAlgebra faulty = new FaultyLinearAlgebra(LinearAlgebraProvider.get());
        GradientSource source = new GradientSource(D, 5);
        double[] q = source.start.clone(), g = new double[D];
        try (Optimizer o = org.cgd4j.engine.internal.Engines.full(faulty, EXACT, D)) {
            source.gradient(q, g);
            o.step(q, g);
            faulty.fault = FaultyLinearAlgebra.Fault.BLOCK;
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> o.step(q, g));
            assertThat(faulty.entered.await(30, TimeUnit.SECONDS)).isTrue();
            double[] q2 = q.clone();
            assertThatThrownBy(() -> o.step(q2, g)).isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("two threads");
            assertThatThrownBy(o::close).isInstanceOf(ConcurrentModificationException.class);
            assertThatThrownBy(() -> o.save(dir.resolve("refused.ckpt")))
                    .isInstanceOf(ConcurrentModificationException.class);
            faulty.fault = FaultyLinearAlgebra.Fault.NONE;
            faulty.release.countDown();
            first.get(30, TimeUnit.SECONDS);
            assertThat(o.steps()).isEqualTo(2);
        }
    }

    /** Dead and short segments given straight to the BLAS/LAPACK layer: exceptions, before any native code. */
    @ParameterizedTest
    @MethodSource("implementations")
    void deadAndShortSegmentsNeverReachNativeCode(LinearAlgebra la) {
        int n = 4;
        var ws = la.dsyevdWorkspace(n);
        MemorySegment deadA;
        try (Arena arena = Arena.ofConfined()) {
            deadA = arena.allocate(8L * n * n, 8);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(8L * n * n, 8);
            MemorySegment w = arena.allocate(8L * n, 8);
            MemorySegment work = arena.allocate(8L * ws.lwork(), 8);
            MemorySegment iwork = arena.allocate(4L * ws.liwork(), 4);
            assertThatThrownBy(() -> la.dsyevd('V', 'L', n, deadA, n, w, work, ws.lwork(), iwork, ws.liwork()))
                    .isInstanceOf(IllegalStateException.class);
            MemorySegment shortA = a.asSlice(0, 8L * n * n - 8);
            assertThatThrownBy(() -> la.dsyevd('V', 'L', n, shortA, n, w, work, ws.lwork(), iwork, ws.liwork()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DSYEVD");
            MemorySegment shortWork = work.asSlice(0, 8);
            assertThatThrownBy(() -> la.dsyevd('V', 'L', n, a, n, w, shortWork, ws.lwork(), iwork, ws.liwork()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DSYEVD");
            MemorySegment x = arena.allocate(8L * (n - 1), 8);
            assertThatThrownBy(() -> la.dgemv('N', n, n, 1, a, n, x, 1, 0, w, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DGEMV");
            assertThatThrownBy(() -> la.dsyevd('V', 'L', -1, a, n, w, work, ws.lwork(), iwork, ws.liwork()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DSYEVD");
        }
    }
}
