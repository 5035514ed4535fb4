package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Structure;

/**
 * Any combination of values, absurd ones included (NaN, ±∞, negative, zero, subnormal, huge), either
 * makes a config that satisfies every documented constraint, or is refused with an
 * IllegalArgumentException that names a field that really is wrong. The oracle below restates the
 * constraints from SPEC and CgdConfig's Javadoc independently of CgdConfig's code.
 */
class ConfigValidationProperties {

    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                        0.0, -0.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, 1e-300, 0.5, 1.0)),
                net.jqwik.api.Tuple.of(4, Arbitraries.doubles().between(-2, 100)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0x1p52, 0x1p53, 1e16, 1e300, 1e-200, 40.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.doubles()));
    }

    @Provide
    Arbitrary<Integer> anyInt() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(-3, 20)));
    }

    @Provide
    Arbitrary<Long> anyLong() {
        return Arbitraries.of(Long.MIN_VALUE, -1L, 0L, 1L, 1L << 20, CgdConfig.DEFAULT_MAX_STATE_BYTES, Long.MAX_VALUE);
    }

    @Property(tries = 1000, seed = "20261129")
    void everyConfigIsValidOrRefusedByName(
            @ForAll("anyDouble") double learningRate, @ForAll("anyDouble") double tau1, @ForAll("anyDouble") double tau2,
            @ForAll("anyDouble") double power, @ForAll("anyDouble") double epsilon, @ForAll("anyDouble") double epsilonOutside,
            @ForAll Metric metric, @ForAll Structure structure, @ForAll boolean debias, @ForAll CovarianceMean mean,
            @ForAll("anyInt") int refreshEvery, @ForAll RefreshMode mode, @ForAll("anyInt") int warmupSteps,
            @ForAll NonFinitePolicy policy, @ForAll("anyInt") int threads, @ForAll("anyLong") long maxStateBytes) {
        List<String> wrong = new ArrayList<>();
        if (!(learningRate > 0 && learningRate < Double.POSITIVE_INFINITY)) wrong.add("learningRate");
        // β = τ/(1+τ) must stay below 1 in double precision: τ ≥ ~2^53 would freeze the average.
        if (!(tau1 >= 0 && tau1 / (1 + tau1) < 1)) wrong.add("tau1");
        if (!(tau2 >= 0 && tau2 / (1 + tau2) < 1)) wrong.add("tau2");
        if (!(power >= 0 && power < Double.POSITIVE_INFINITY)) wrong.add("power");
        if (!(epsilon >= 0 && epsilon < Double.POSITIVE_INFINITY)) wrong.add("epsilon");
        if (!(epsilonOutside >= 0 && epsilonOutside < Double.POSITIVE_INFINITY)) wrong.add("epsilonOutside");
        // f(0) = 1/(epsilon^power + epsilonOutside) must be finite (SPEC; also when epsilon^power underflows).
        if (wrong.isEmpty() && metric != Metric.NONE && power > 0 && Math.pow(epsilon, power) + epsilonOutside == 0) wrong.add("power");
        if (structure == Structure.FULL && metric == Metric.NONE) wrong.add("metric");
        // refresh modes: STALE is meaningless for KRONECKER, QR exists only for it
        if (structure == Structure.KRONECKER && mode == RefreshMode.STALE) wrong.add("refreshMode");
        if (structure != Structure.KRONECKER && mode == RefreshMode.QR) wrong.add("refreshMode");
        if (refreshEvery < 1) wrong.add("refreshEvery");
        if (warmupSteps < 0) wrong.add("warmupSteps");
        if (threads < 1) wrong.add("threads");
        if (maxStateBytes <= 0) wrong.add("maxStateBytes");

        CgdConfig config;
        try {
            config = new CgdConfig(learningRate, tau1, tau2, power, epsilon, epsilonOutside, metric, structure, debias,
                    mean, refreshEvery, mode, warmupSteps, policy, threads, maxStateBytes, 0, 0, CgdConfig.DEFAULT_BLOCK_SIZE, false);
        } catch (IllegalArgumentException e) {
            assertThat(wrong).as("refused a valid config: %s", e.getMessage()).isNotEmpty();
            assertThat(wrong).as("the message must name a wrong field: %s", e.getMessage())
                    .anyMatch(field -> e.getMessage().contains(field));
            return;
        }
        assertThat(wrong).as("accepted an invalid config %s", config).isEmpty();
        assertThat(config.beta1() >= 0 && config.beta1() < 1).as("beta1 = %s", config.beta1()).isTrue();
        assertThat(config.beta2() >= 0 && config.beta2() < 1).as("beta2 = %s", config.beta2()).isTrue();
    }

    @Property(tries = 200, seed = "20261129")
    void presetsRefuseOutOfRangeBetasByName(@ForAll("anyDouble") double lr, @ForAll("anyDouble") double beta1,
                                             @ForAll("anyDouble") double beta2, @ForAll("anyDouble") double eps) {
        boolean valid = lr > 0 && lr < Double.POSITIVE_INFINITY && beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1
                && eps > 0 && eps < Double.POSITIVE_INFINITY;
        try {
            CgdConfig c = CgdConfig.adam(lr, beta1, beta2, eps);
            assertThat(valid).as("adam(%s, %s, %s, %s) accepted", lr, beta1, beta2, eps).isTrue();
            assertThat(c.beta1()).isCloseTo(beta1, org.assertj.core.data.Offset.offset(1e-12));
        } catch (IllegalArgumentException e) {
            assertThat(valid).as("adam refused valid values: %s", e.getMessage()).isFalse();
            assertThat(e.getMessage()).containsAnyOf("lr", "learningRate", "beta1", "beta2", "eps", "epsilon", "power");
        }
    }
}
