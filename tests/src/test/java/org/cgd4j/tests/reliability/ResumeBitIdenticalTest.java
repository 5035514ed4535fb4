package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Structure;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run of 1000 steps and a run of 500 steps + save + load (a new optimizer) + 500 steps end in the
 * same params and the same state, bit for bit: every metric, both structures, refreshEvery &gt; 1,
 * warm-up crossing the save point, skipped and refused steps, float and segment APIs.
 */
class ResumeBitIdenticalTest {
    static final int TOTAL = 1000, SPLIT = 500;
    /** Few steps for the large case: threads split only from d = 2·2^15, and 1000 steps there are slow on a busy CI box. */
    static final int TOTAL_LARGE = 20, SPLIT_LARGE = 10;

    enum Api { DOUBLES, FLOATS, SEGMENT }

    record Case(String name, CgdConfig config, int d, Api api) {
        @Override public String toString() { return name + " d=" + d + " " + api; }

        int total() { return d > 1000 ? TOTAL_LARGE : TOTAL; }

        int split() { return d > 1000 ? SPLIT_LARGE : SPLIT; }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        int d = 37;
        c.add(new Case("sgd", CgdConfig.sgd(0.05), d, Api.DOUBLES));
        c.add(new Case("momentum", CgdConfig.momentum(0.05, 0.9), d, Api.DOUBLES));
        c.add(new Case("rmsprop", CgdConfig.rmsprop(1e-2, 0.99, 1e-8), d, Api.DOUBLES));
        c.add(new Case("rmsprop centered", CgdConfig.rmspropCentered(1e-2, 0.99, 1e-8), d, Api.DOUBLES));
        c.add(new Case("adam", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), d, Api.DOUBLES));
        c.add(new Case("adam float", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), d, Api.FLOATS));
        c.add(new Case("adabelief", CgdConfig.adabelief(1e-2, 0.9, 0.999, 1e-12), d, Api.DOUBLES));
        c.add(new Case("adabelief segment", CgdConfig.adabelief(1e-2, 0.9, 0.999, 1e-12), d, Api.SEGMENT));
        c.add(new Case("diagonal cgd covariance", CgdConfig.diagonalCgd(0.02, 5, 50, 0.75, 1e-6), d, Api.DOUBLES));
        c.add(new Case("diagonal cgd force mean", CgdConfig.diagonalCgd(0.005, 5, 50, 0.5, 1e-2)
                .withCovarianceMean(CovarianceMean.FORCE).withDebias(true), d, Api.DOUBLES));
        c.add(new Case("diagonal second moment skip", CgdConfig.diagonalCgd(0.02, 3, 30, 1.0, 1e-4)
                .withMetric(Metric.SECOND_MOMENT).withNonFinitePolicy(NonFinitePolicy.SKIP), d, Api.DOUBLES));
        c.add(new Case("sgd float", CgdConfig.sgd(0.05), d, Api.FLOATS));
        // Large enough that threads = 2 really splits the passes.
        c.add(new Case("adam two threads", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8).withThreads(2), 1 << 16, Api.DOUBLES));

        int n = 6;
        CgdConfig full = CgdConfig.fullCgd(0.02, 5, 50, 0.5, 1e-4);
        c.add(new Case("full covariance", full, n, Api.DOUBLES));
        c.add(new Case("full covariance segment", full, n, Api.SEGMENT));
        c.add(new Case("full second moment debias", full.withMetric(Metric.SECOND_MOMENT).withDebias(true), n, Api.DOUBLES));
        c.add(new Case("full belief", full.withMetric(Metric.BELIEF).withPower(1.0), n, Api.DOUBLES));
        // The FORCE mean's X̂ may be indefinite (clamped to f(0) = ε^-a): a gentler step keeps the run stable.
        c.add(new Case("full force mean", full.withCovarianceMean(CovarianceMean.FORCE).withEpsilon(1e-2).withLearningRate(0.005),
                n, Api.DOUBLES));
        c.add(new Case("full refresh 3 stale", full.withRefreshEvery(3), n, Api.DOUBLES));
        c.add(new Case("full refresh 7 tracked", full.withRefreshEvery(7).withRefreshMode(RefreshMode.TRACKED), n, Api.DOUBLES));
        c.add(new Case("full warmup crossing save", full.withWarmupSteps(SPLIT + 100), n, Api.DOUBLES));
        c.add(new Case("full warmup then refresh 4", full.withWarmupSteps(SPLIT - 50).withRefreshEvery(4), n, Api.DOUBLES));
        c.add(new Case("full skip", full.withNonFinitePolicy(NonFinitePolicy.SKIP), n, Api.DOUBLES));
        return c.stream();
    }

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resumedRunIsBitIdentical(Case c) throws IOException {
        assumeTrue(c.config().structure() == Structure.DIAGONAL || Engines.fullAvailable(), "FULL engine not in this build");
        Run straight = new Run(c);
        try (Optimizer o = Optimizer.create(c.config(), c.d())) {
            straight.steps(o, 0, c.total());
            straight.finish(o);
        }
        Run resumed = new Run(c);
        Path file = dir.resolve("resume.ckpt");
        try (Optimizer o = Optimizer.create(c.config(), c.d())) {
            resumed.steps(o, 0, c.split());
            o.save(file);
        }
        try (Optimizer o = Optimizer.load(file)) {
            assertThat(o.config()).isEqualTo(c.config());
            assertThat(o.steps()).isEqualTo(resumed.taken);
            resumed.steps(o, c.split(), c.total());
            resumed.finish(o);
        }
        assertThat(resumed.taken).isEqualTo(straight.taken).isGreaterThan(c.total() / 2);
        straight.snapshot.assertSame(resumed.snapshot, c.toString());
        assertThat(resumed.eigenvalues).isEqualTo(straight.eigenvalues);
        assertThat(resumed.refused).isEqualTo(straight.refused);
        assertThat(resumed.snapshot.skipped()).isEqualTo(resumed.skippedExpected);
    }

    /** One trajectory; every 97th gradient (and the 17th) carries a NaN, refused (THROW) or skipped (SKIP). */
    static final class Run {
        final Case c;
        final GradientSource source;
        final double[] q, g;
        final float[] qf, gf;
        final Arena arena = Arena.ofAuto();
        final MemorySegment qs, gs;
        long taken, refused, skippedExpected;
        StateSnapshot snapshot;
        double[] eigenvalues;

        Run(Case c) {
            this.c = c;
            source = new GradientSource(c.d(), 2026);
            q = source.start.clone();
            g = new double[c.d()];
            qf = new float[c.d()];
            gf = new float[c.d()];
            for (int i = 0; i < q.length; i++) {
                qf[i] = (float) q[i];
            }
            qs = arena.allocate(8L * c.d(), 8);
            gs = arena.allocate(8L * c.d(), 8);
            MemorySegment.copy(q, 0, qs, ValueLayout.JAVA_DOUBLE, 0, q.length);
        }

        void steps(Optimizer o, int from, int to) {
            for (int t = from; t < to; t++) {
                boolean poison = t % 97 == 96 || t == 17;
                switch (c.api()) {
                    case DOUBLES -> {
                        source.gradient(q, g);
                        if (poison) g[t % g.length] = Double.NaN;
                    }
                    case FLOATS -> {
                        source.gradient(qf, gf);
                        if (poison) gf[t % gf.length] = Float.NaN;
                    }
                    case SEGMENT -> {
                        MemorySegment.copy(qs, ValueLayout.JAVA_DOUBLE, 0, q, 0, q.length);
                        source.gradient(q, g);
                        if (poison) g[t % g.length] = Double.NaN;
                        MemorySegment.copy(g, 0, gs, ValueLayout.JAVA_DOUBLE, 0, g.length);
                    }
                }
                long before = o.steps();
                try {
                    switch (c.api()) {
                        case DOUBLES -> o.step(q, g);
                        case FLOATS -> o.step(qf, gf);
                        case SEGMENT -> o.step(qs, gs);
                    }
                    assertThat(poison && c.config().nonFinitePolicy() == NonFinitePolicy.THROW).as("NaN accepted").isFalse();
                    if (poison) {
                        skippedExpected++;
                    }
                } catch (NonFiniteGradientException e) {
                    assertThat(poison).as("refused a finite gradient: %s", e.getMessage()).isTrue();
                    refused++;
                }
                taken += o.steps() - before;
            }
        }

        void finish(Optimizer o) {
            snapshot = switch (c.api()) {
                case DOUBLES -> StateSnapshot.of(o, q);
                case FLOATS -> StateSnapshot.of(o, qf);
                case SEGMENT -> StateSnapshot.of(o, qs);
            };
            eigenvalues = c.config().structure() == Structure.FULL ? o.eigenvalues() : null;
        }
    }
}
