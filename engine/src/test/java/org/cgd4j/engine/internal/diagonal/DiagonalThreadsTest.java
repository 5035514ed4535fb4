package org.cgd4j.engine.internal.diagonal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.internal.kernel.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.StepFacade;

/**
 * threads &gt; 1 cuts each pass into chunks aligned to 64 elements; every element is computed by the
 * same operations as with one thread, so results are bit-identical. The chunk threshold is lowered
 * to 64 elements per chunk so that small vectors (fast in the interpreter) exercise the pool.
 */
class DiagonalThreadsTest {
    static final int D = 1003;

    static Stream<Arguments> configs() {
        CgdConfig base = CgdConfig.diagonalCgd(0.01, 4, 30, 0.3, 1e-6);
        return Stream.of(
                Arguments.of("sgd", CgdConfig.sgd(0.1)),
                Arguments.of("momentum", CgdConfig.momentum(0.01, 0.9)),
                Arguments.of("adam", CgdConfig.adam(0.01, 0.9, 0.999, 1e-8)),
                Arguments.of("covariance a=0.3", base),
                // ε = 1: FORCE's clamped metric at t = 1 would otherwise make a 1e6 step and overflow the run.
                Arguments.of("covariance FORCE a=1", base.withCovarianceMean(CovarianceMean.FORCE).withPower(1).withEpsilon(1)),
                Arguments.of("adabelief", CgdConfig.adabelief(0.01, 0.9, 0.999, 1e-8)),
                Arguments.of("belief a=0", base.withMetric(Metric.BELIEF).withPower(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void threadsGiveBitIdenticalResults(String name, CgdConfig config) {
        for (int threads : new int[] {2, 3}) {
            double[] q1 = start(), q2 = q1.clone(), g = new double[D];
            float[] f1 = new float[D], f2 = new float[D], gf = new float[D];
            try (Arena arena = Arena.ofShared();
                 StepFacade one = Engines.create(config, D, null, null, 64);
                 StepFacade many = Engines.create(config.withThreads(threads), D, null, null, 64);
                 StepFacade oneF = Engines.create(config, D, null, null, 64);
                 StepFacade manyF = Engines.create(config.withThreads(threads), D, null, null, 64);
                 StepFacade manyS = Engines.create(config.withThreads(threads), D, null, null, 64)) {
                MemorySegment qs = arena.allocate(ValueLayout.JAVA_DOUBLE, D).copyFrom(MemorySegment.ofArray(q1));
                MemorySegment gs = arena.allocate(ValueLayout.JAVA_DOUBLE, D);
                for (int t = 0; t < 6; t++) {
                    gradient(q1, g, t);
                    for (int i = 0; i < D; i++) {
                        gf[i] = (float) g[i];
                    }
                    gs.copyFrom(MemorySegment.ofArray(g));
                    one.step(q1, g);
                    many.step(q2, g);
                    manyS.step(qs, gs);
                    oneF.step(f1, gf);
                    manyF.step(f2, gf);
                    assertThat(q2).as("%s threads=%d t=%d", name, threads, t).containsExactly(q1);
                    assertThat(qs.toArray(ValueLayout.JAVA_DOUBLE)).as("%s segments t=%d", name, t).containsExactly(q1);
                    assertThat(f2).as("%s float threads=%d t=%d", name, threads, t).containsExactly(f1);
                }
            }
        }
    }

    @Test
    void nonFiniteInTheLastPartRefusesTheWholeStep() {
        CgdConfig config = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withThreads(3);
        double[] q = start(), g = new double[D];
        gradient(q, g, 0);
        g[D - 10] = Double.NEGATIVE_INFINITY;
        double[] before = q.clone();
        try (StepFacade opt = Engines.create(config, D, null, null, 64)) {
            assertThatThrownBy(() -> opt.step(q, g)).isInstanceOfSatisfying(NonFiniteGradientException.class,
                    e -> assertThat(e.index()).isEqualTo(D - 10));
            assertThat(q).containsExactly(before);
            assertThat(opt.steps()).isZero();
        }
        try (StepFacade opt = Engines.create(config.withNonFinitePolicy(NonFinitePolicy.SKIP), D, null, null, 64)) {
            opt.step(q, g);
            assertThat(opt.skippedSteps()).isEqualTo(1);
            assertThat(q).containsExactly(before);
        }
    }

    @Test
    void theLowestBadIndexIsReportedWhateverChunkRunsFirst() {
        CgdConfig config = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withThreads(2);
        double[] q = start(), g = new double[D];
        gradient(q, g, 0);
        g[D - 10] = Double.NEGATIVE_INFINITY; // the last chunk: claimed first
        g[700] = Double.POSITIVE_INFINITY;
        g[130] = Double.NaN;
        try (StepFacade opt = Engines.create(config, D, null, null, 64)) {
            for (int t = 0; t < 20; t++) {
                assertThatThrownBy(() -> opt.step(q, g)).isInstanceOfSatisfying(NonFiniteGradientException.class,
                        e -> assertThat(e.index()).isEqualTo(130));
            }
        }
    }

    @Test
    void confinedSegmentsStayOnTheCallingThread() {
        CgdConfig config = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8);
        double[] q1 = start(), g = new double[D];
        gradient(q1, g, 1);
        try (Arena confined = Arena.ofConfined();
             StepFacade one = Engines.create(config, D, null, null, 64);
             StepFacade many = Engines.create(config.withThreads(2), D, null, null, 64)) {
            MemorySegment qs = confined.allocate(ValueLayout.JAVA_DOUBLE, D).copyFrom(MemorySegment.ofArray(q1));
            MemorySegment gs = confined.allocate(ValueLayout.JAVA_DOUBLE, D).copyFrom(MemorySegment.ofArray(g));
            many.step(qs, gs); // workers cannot touch a confined segment: the caller runs every chunk
            one.step(q1, g);
            assertThat(qs.toArray(ValueLayout.JAVA_DOUBLE)).containsExactly(q1);
        }
    }

    @Test
    void chunksAreAlignedAndCoverTheRange() {
        for (int chunks = 2; chunks <= 17; chunks++) {
            assertThat(WorkerPool.chunkStart(D, chunks, 0)).isZero();
            assertThat(WorkerPool.chunkStart(D, chunks, chunks)).isEqualTo(D);
            for (int c = 1; c < chunks; c++) {
                long start = WorkerPool.chunkStart(D, chunks, c);
                assertThat(start % WorkerPool.ALIGNMENT).isZero();
                assertThat(start).isGreaterThanOrEqualTo(WorkerPool.chunkStart(D, chunks, c - 1));
            }
        }
        assertThat(WorkerPool.chunkCount(1L << 14, 2, 1L << 14)).isEqualTo(1);
        assertThat(WorkerPool.chunkCount(100_000, 2, 1L << 14)).isEqualTo(6);
        assertThat(WorkerPool.chunkCount(10_000_000, 2, 1L << 14)).isEqualTo(2 * WorkerPool.CHUNKS_PER_THREAD);
    }

    static double[] start() {
        double[] q = new double[D];
        for (int i = 0; i < D; i++) {
            q[i] = 1 + Math.sin(i);
        }
        return q;
    }

    static void gradient(double[] q, double[] g, int t) {
        for (int i = 0; i < D; i++) {
            g[i] = (0.1 + (i % 13)) * q[i] + 0.3 * Math.cos(1.3 * t + i);
        }
    }
}
