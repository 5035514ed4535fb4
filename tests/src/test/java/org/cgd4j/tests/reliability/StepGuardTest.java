package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.OptimizerBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An Optimizer is confined to one thread at a time; a second thread entering step(), save() or
 * close() while a step runs is refused with ConcurrentModificationException and changes nothing.
 */
class StepGuardTest {
    @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;


    static List<Subject> subjects() { return Subject.all(); }

    /** OptimizerBase's guard flag: set here, it stands for another thread inside step(), deterministically. */
    private static AtomicBoolean guard(Optimizer o) throws ReflectiveOperationException {
        Field f = OptimizerBase.class.getDeclaredField("busy");
        f.setAccessible(true);
        return (AtomicBoolean) f.get(o);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void aSecondCallerIsRefusedWhileAStepRuns(Subject s) throws Exception {
        double[] q = s.start();
        try (Optimizer o = s.warm(q)) {
            double[] g = new double[s.d()];
            java.util.Arrays.fill(g, 0.5);
            StateSnapshot before = StateSnapshot.of(o, q);
            AtomicBoolean busy = guard(o);
            assertThat(busy.get()).as("guard released after the warm-up steps").isFalse();
            busy.set(true);
            try {
                assertThatThrownBy(() -> o.step(q, g)).isInstanceOf(ConcurrentModificationException.class)
                        .hasMessageContaining("two threads");
                assertThatThrownBy(() -> o.save(dir.resolve("refused.ckpt")))
                        .isInstanceOf(ConcurrentModificationException.class);
                assertThatThrownBy(o::close).isInstanceOf(ConcurrentModificationException.class).hasMessageContaining("close()");
                before.assertSame(StateSnapshot.of(o, q), "while another thread holds the optimizer");
            } finally {
                busy.set(false);
            }
            o.step(q, g);  // usable again once the other caller left
            assertThat(o.steps()).isEqualTo(before.steps() + 1);
        }
    }

    /** Real threads racing: every call either completes or is refused, and no step is lost or doubled. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void racingThreadsNeverCorruptTheCount(Subject s) throws Exception {
        double[] q0 = s.start();
        try (Optimizer o = s.warm(q0)) {
            long start = o.steps();
            int perThread = s.full() ? 100 : 1000;
            AtomicLong done = new AtomicLong(), refused = new AtomicLong();
            AtomicReference<Throwable> unexpected = new AtomicReference<>();
            CountDownLatch go = new CountDownLatch(1);
            Runnable racer = () -> {
                double[] q = s.start();
                double[] g = new double[s.d()];
                java.util.Arrays.fill(g, 1e-3);
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        try {
                            o.step(q, g);
                            done.incrementAndGet();
                        } catch (ConcurrentModificationException e) {
                            refused.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    unexpected.compareAndSet(null, t);
                }
            };
            Thread a = new Thread(racer), b = new Thread(racer);
            a.start();
            b.start();
            go.countDown();
            a.join();
            b.join();
            assertThat(unexpected.get()).isNull();
            assertThat(done.get() + refused.get()).isEqualTo(2L * perThread);
            assertThat(o.steps() - start).isEqualTo(done.get());
            assertThat(StateSnapshot.of(o, q0).stateFinite(false)).isTrue();
        }
    }
}
