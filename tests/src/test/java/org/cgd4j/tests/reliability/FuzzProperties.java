package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.cgd4j.blas.LapackException;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFiniteGradientException;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.kernel.DiagonalKernels;

/**
 * Random configurations and random gradient sequences (with NaN/±∞ injected) thrown at both
 * structures. Within the documented finite domain (|g| ≤ 1e6, ε ≥ 1e-8, a ≤ 2, γ ≤ 10) every finite
 * gradient is accepted and params and state stay finite; every non-finite one is refused (THROW) or
 * skipped (SKIP) with params and state bit-identical; a checkpoint taken anywhere restores the exact
 * state. Beyond that domain (gradients up to 1e300, τ near 2^52, a up to 50) the promise is weaker
 * and is checked by the second property: a step either completes or throws one of the documented
 * exceptions with nothing changed, never a crash; FULL's state stays finite (it checks X̂ and P before
 * committing); DIAGONAL's state stays finite because its gradient scan refuses elements of 2^511 and more,
 * whose square would overflow (README "Guarantees").
 */
class FuzzProperties {
    private static Path dir;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("cgd4j-fuzz");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** One fuzzed run: the optimizer, its dimension, the seed of its gradients, their count and scale. */
    record Run(CgdConfig config, int d, long seed, int steps, double scale, int checkpointAt, Api api) {}

    /** How params and gradients are passed: double[], float[] (DIAGONAL only: float state) or native segments. */
    enum Api { DOUBLES, FLOATS, SEGMENT }

    private static Arbitrary<Double> logUniform(double lo, double hi) {
        return Arbitraries.doubles().between(Math.log10(lo), Math.log10(hi)).map(e -> Math.pow(10, e));
    }

    private static Arbitrary<Double> zeroOr(Arbitrary<Double> values) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, Arbitraries.just(0.0)), net.jqwik.api.Tuple.of(3, values));
    }

    private static Arbitrary<CgdConfig> configs(Arbitrary<Double> lr, Arbitrary<Double> tau, Arbitrary<Double> power,
                                                Arbitrary<Double> eps, Arbitrary<Double> epsOut) {
        Arbitrary<CgdConfig> numbers = Combinators.combine(lr, tau, tau, power, eps, epsOut, Arbitraries.of(Metric.class),
                Arbitraries.of(Structure.class)).as((g, t1, t2, a, e, e2, metric, structure) -> {
                    Metric m = structure == Structure.FULL && metric == Metric.NONE ? Metric.COVARIANCE : metric;
                    double epsilon = a > 0 && Math.pow(e, a) + e2 == 0 ? 1e-3 : e;
                    return new CgdConfig(g, t1, t2, a, epsilon, e2, m, structure, false, CovarianceMean.METRIC, 1,
                            structure == Structure.KRONECKER ? RefreshMode.TRACKED : RefreshMode.STALE, 0, NonFinitePolicy.THROW, 1, CgdConfig.DEFAULT_MAX_STATE_BYTES,
                            0, 0, CgdConfig.DEFAULT_BLOCK_SIZE, false);
                });
        return Combinators.combine(numbers, Arbitraries.of(true, false), Arbitraries.of(CovarianceMean.class),
                Arbitraries.integers().between(1, 5), Arbitraries.of(RefreshMode.class), Arbitraries.integers().between(0, 4),
                Arbitraries.of(NonFinitePolicy.THROW, NonFinitePolicy.SKIP)).as((c, debias, mean, refresh, mode, warmup, policy) ->
                        c.withDebias(debias).withCovarianceMean(mean).withRefreshEvery(refresh)
                                .withRefreshMode(c.structure() == Structure.KRONECKER
                                        ? (mode == RefreshMode.STALE ? RefreshMode.TRACKED : mode)
                                        : (mode == RefreshMode.QR ? RefreshMode.STALE : mode))
                                .withWarmupSteps(warmup).withNonFinitePolicy(policy));
    }

    private static Arbitrary<Run> runs(Arbitrary<CgdConfig> configs, Arbitrary<Double> scale) {
        return Combinators.combine(configs, Arbitraries.integers().between(1, 64), Arbitraries.longs(),
                Arbitraries.integers().between(1, 24), scale, Arbitraries.integers().between(-1, 24), Arbitraries.of(Api.class))
                .as((c, d, seed, steps, s, at, api) -> c.structure() != Structure.DIAGONAL
                        ? new Run(c, 1 + d % 7, seed, steps, s, at, api == Api.FLOATS ? Api.DOUBLES : api)
                        : new Run(c, d, seed, steps, s, at, api));
    }

    @Provide
    Arbitrary<Run> finiteDomain() {
        Arbitrary<Double> tau = zeroOr(logUniform(1e-3, 1e6));
        return runs(configs(logUniform(1e-6, 10), tau, Arbitraries.of(0.0, 0.25, 0.5, 1.0, 1.5, 2.0),
                logUniform(1e-8, 1), zeroOr(logUniform(1e-12, 1))), logUniform(1e-6, 1e6));
    }

    @Provide
    Arbitrary<Run> extremeDomain() {
        Arbitrary<Double> tau = Arbitraries.oneOf(zeroOr(logUniform(1e-6, 1e15)), Arbitraries.of(0x1p52, Double.MIN_VALUE));
        return runs(configs(logUniform(1e-12, 1e10), tau, Arbitraries.oneOf(Arbitraries.doubles().between(0, 50), Arbitraries.of(0.0, 50.0)),
                zeroOr(logUniform(1e-300, 1e10)), zeroOr(logUniform(1e-300, 1e10))), logUniform(1e-300, 1e300));
    }

    /** Gradient element i of step t: scaled noise; about one step in eight carries a NaN or ±∞ at a random index. */
    private static final class Gradients {
        private final SplittableRandom random;
        private final double scale;

        Gradients(long seed, double scale) {
            this.random = new SplittableRandom(seed);
            this.scale = scale;
        }

        void next(double[] g) {
            for (int i = 0; i < g.length; i++) {
                g[i] = scale * (2 * random.nextDouble() - 1);
            }
            if (random.nextInt(8) == 0) {
                g[random.nextInt(g.length)] = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY).get(random.nextInt(3));
            }
        }
    }

    @Property(tries = 1500, seed = "42")
    void finiteDomainKeepsEverythingFinite(@ForAll("finiteDomain") Run run) throws IOException {
        exercise(run, true);
    }

    @Property(tries = 1500, seed = "4242")
    void extremeDomainNeverCrashesOrCorrupts(@ForAll("extremeDomain") Run run) throws IOException {
        exercise(run, false);
    }

    private static void exercise(Run run, boolean finiteDomain) throws IOException {
        Optimizer o = Optimizer.create(run.config(), run.d());
        try (Params q = new Params(run.api(), run.d())) {
            Gradients source = new Gradients(run.seed(), run.scale());
            double[] g = new double[run.d()];
            boolean floats = run.api() == Api.FLOATS;
            for (int t = 0; t < run.steps(); t++) {
                if (t == run.checkpointAt()) {
                    o = reload(o, q);
                }
                source.next(g);
                q.load(g);
                int poisonedAt = q.firstRefusedGradient(run.config().structure());  // a huge double may become ∞ as a float
                StateSnapshot before = q.snapshot(o);
                boolean poisoned = poisonedAt >= 0;
                try {
                    q.step(o);
                } catch (NonFiniteGradientException e) {
                    assertThat(poisoned).as("refused an acceptable gradient: %s", e.getMessage()).isTrue();
                    assertThat(run.config().nonFinitePolicy()).isEqualTo(NonFinitePolicy.THROW);
                    assertThat(e.index()).isEqualTo(poisonedAt);
                    before.assertSame(q.snapshot(o), "refused step");
                    continue;
                } catch (ArithmeticException | LapackException e) {
                    // Documented refusals of FULL (metric overflow, non-finite direction, no convergence).
                    assertThat(finiteDomain).as("refused inside the finite domain: %s", e.getMessage()).isFalse();
                    assertThat(e.getMessage()).contains("unchanged");
                    before.assertSame(q.snapshot(o), "refused step");
                    continue;
                }
                StateSnapshot after = q.snapshot(o);
                if (poisoned) {
                    assertThat(run.config().nonFinitePolicy()).as("non-finite gradient accepted").isEqualTo(NonFinitePolicy.SKIP);
                    new StateSnapshot(before.steps(), before.skipped() + 1, before.names(), before.slices(), before.paramBits())
                            .assertSame(after, "skipped step");
                    continue;
                }
                assertThat(after.steps()).isEqualTo(before.steps() + 1);
                assertThat(after.stateFinite(floats)).as("state finite after step %d of %s", t, run).isTrue();
                if (finiteDomain && !q.allFinite()) {
                    fail("a param became non-finite at step " + t + " of " + run);
                }
            }
        } finally {
            o.close();
        }
    }

    /** The run's params and gradient buffers in the API under test. */
    private static final class Params implements AutoCloseable {
        private final Api api;
        private final double[] q, g;
        private final float[] qf, gf;
        private final java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined();
        private final java.lang.foreign.MemorySegment qs, gs;

        Params(Api api, int d) {
            this.api = api;
            q = new double[d];
            g = new double[d];
            qf = new float[d];
            gf = new float[d];
            for (int i = 0; i < d; i++) {
                q[i] = i % 3 - 1.0;
                qf[i] = (float) q[i];
            }
            qs = arena.allocate(8L * d, 8);
            gs = arena.allocate(8L * d, 8);
            java.lang.foreign.MemorySegment.copy(q, 0, qs, java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, d);
        }

        void load(double[] gradient) {
            System.arraycopy(gradient, 0, g, 0, g.length);
            for (int i = 0; i < g.length; i++) {
                gf[i] = (float) gradient[i];
            }
            java.lang.foreign.MemorySegment.copy(gradient, 0, gs, java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, g.length);
        }

        /** The first element the optimizer must refuse: non-finite, or (DIAGONAL) beyond its gradient limit. */
        int firstRefusedGradient(Structure structure) {
            double limit = structure == Structure.FULL ? Double.MAX_VALUE
                    : api == Api.FLOATS ? DiagonalKernels.MAX_GRADIENT_FLOAT : DiagonalKernels.MAX_GRADIENT;
            for (int i = 0; i < g.length; i++) {
                if (!(Math.abs(api == Api.FLOATS ? gf[i] : g[i]) <= limit)) {
                    return i;
                }
            }
            return -1;
        }

        void step(Optimizer o) {
            switch (api) {
                case DOUBLES -> o.step(q, g);
                case FLOATS -> o.step(qf, gf);
                case SEGMENT -> o.step(qs, gs);
            }
        }

        StateSnapshot snapshot(Optimizer o) {
            return switch (api) {
                case DOUBLES -> StateSnapshot.of(o, q);
                case FLOATS -> StateSnapshot.of(o, qf);
                case SEGMENT -> StateSnapshot.of(o, qs);
            };
        }

        boolean allFinite() {
            for (int i = 0; i < q.length; i++) {
                double x = switch (api) {
                    case DOUBLES -> q[i];
                    case FLOATS -> qf[i];
                    case SEGMENT -> qs.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i);
                };
                if (!Double.isFinite(x)) {
                    return false;
                }
            }
            return true;
        }

        @Override public void close() { arena.close(); }
    }

    /** Save, close, load: the restored optimizer must hold exactly the same state. */
    private static Optimizer reload(Optimizer o, Params q) throws IOException {
        StateSnapshot before = q.snapshot(o);
        Path file = dir.resolve("fuzz.ckpt");
        o.save(file);
        o.close();
        Optimizer loaded = Optimizer.load(file);
        before.assertSame(q.snapshot(loaded), "after save and load");
        return loaded;
    }
}
