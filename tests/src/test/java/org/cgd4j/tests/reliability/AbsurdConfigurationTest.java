package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.Structure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each absurd configuration or dimension is refused up front with a message that names it. */
class AbsurdConfigurationTest {
    static final CgdConfig OK = CgdConfig.diagonalCgd(0.1, 1, 10, 0.5, 1e-6);

    private static void refused(Supplier<?> make, String... message) {
        assertThatThrownBy(make::get).isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll(message);
    }

    @Test
    void infiniteOrFrozenTimescales() {
        refused(() -> OK.withTau1(Double.POSITIVE_INFINITY), "tau1", "Infinity");
        refused(() -> OK.withTau2(Double.POSITIVE_INFINITY), "tau2", "Infinity");
        refused(() -> OK.withTau1(1e300), "tau1", "rounds to 1");
        refused(() -> OK.withTau2(0x1p53), "tau2", "rounds to 1");
        refused(() -> OK.withTau1(-1), "tau1", "-1.0");
        refused(() -> OK.withTau2(Double.NaN), "tau2", "NaN");
    }

    @Test
    void learningRates() {
        refused(() -> OK.withLearningRate(Double.NaN), "learningRate", "NaN");
        refused(() -> OK.withLearningRate(Double.POSITIVE_INFINITY), "learningRate", "Infinity");
        refused(() -> OK.withLearningRate(0), "learningRate", "0.0");
        refused(() -> OK.withLearningRate(-1e-3), "learningRate", "-0.001");
        refused(() -> CgdConfig.sgd(Double.NaN), "lr", "NaN");
        refused(() -> CgdConfig.adam(-1, 0.9, 0.999, 1e-8), "learningRate", "-1.0");
    }

    @Test
    void powersAndRegularisers() {
        refused(() -> OK.withPower(-0.5), "power", "-0.5");
        refused(() -> OK.withPower(Double.NaN), "power", "NaN");
        refused(() -> OK.withPower(Double.POSITIVE_INFINITY), "power", "Infinity");
        refused(() -> OK.withEpsilon(-1e-8), "epsilon", "-1.0E-8");
        refused(() -> OK.withEpsilonOutside(Double.NaN), "epsilonOutside", "NaN");
        refused(() -> OK.withEpsilon(0), "power", "epsilon");
        // ε^a underflows to 0: the same infinite f(0) as ε = 0.
        refused(() -> OK.withEpsilon(1e-10).withPower(40), "power", "underflows");
    }

    @Test
    void betasOfPresets() {
        refused(() -> CgdConfig.adam(1e-3, 1.0, 0.999, 1e-8), "beta1", "1.0");
        refused(() -> CgdConfig.adam(1e-3, 0.9, -0.1, 1e-8), "beta2", "-0.1");
        refused(() -> CgdConfig.momentum(0.1, Double.NaN), "mu", "NaN");
        refused(() -> CgdConfig.rmsprop(0.1, 1.5, 1e-8), "alpha", "1.5");
    }

    @Test
    void structuralNonsense() {
        refused(() -> OK.withStructure(Structure.FULL).withMetric(Metric.NONE), "metric NONE");
        refused(() -> OK.withRefreshEvery(0), "refreshEvery", "0");
        refused(() -> OK.withWarmupSteps(-1), "warmupSteps", "-1");
        refused(() -> OK.withThreads(0), "threads", "0");
        refused(() -> OK.withMaxStateBytes(-1), "maxStateBytes", "-1");
        assertThatThrownBy(() -> OK.withMetric(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("metric");
        assertThatThrownBy(() -> Optimizer.create(null, 3)).isInstanceOf(NullPointerException.class).hasMessageContaining("config");
    }

    @ParameterizedTest
    @EnumSource(Structure.class)
    void dimensions(Structure structure) {
        CgdConfig c = OK.withStructure(structure);
        if (structure == Structure.FULL) {
            org.junit.jupiter.api.Assumptions.assumeTrue(Engines.fullAvailable(), "FULL engine not in this build");
        }
        refused(() -> Optimizer.create(c, 0), "dimension", "0");
        refused(() -> Optimizer.create(c, -7), "dimension", "-7");
        // Huge: refused by the state limit before any allocation (DIAGONAL 3·d doubles = 48 GiB, FULL d² doubles).
        refused(() -> Optimizer.create(c, Integer.MAX_VALUE), "dimension " + Integer.MAX_VALUE, "maxStateBytes");
        refused(() -> Optimizer.create(c.withMaxStateBytes(1000), 1000), "maxStateBytes = 1000");
    }
}
