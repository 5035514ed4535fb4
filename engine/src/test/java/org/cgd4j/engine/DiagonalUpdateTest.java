package org.cgd4j.engine;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.StepFacade;
import org.junit.jupiter.api.Test;

/**
 * DiagonalUpdate against the Optimizer: the update it leaves in the gradient is bit for bit
 * q − q' of {@code Optimizer.create(config, n).step} from q = 0 (so q − q' = −q' exactly), for
 * every op the DIAGONAL kernels have, in double and in float, over steps with a varying
 * learning-rate factor; its state is the Optimizer's with m and μ negated. Zeros compare equal
 * whatever their sign (the host subtracts u: q − (±0) = q).
 */
class DiagonalUpdateTest {
    private static final int N = 1003; // not a multiple of any vector width: the scalar tails run too
    private static final int STEPS = 25;

    private static List<CgdConfig> configs() {
        return List.of(
                CgdConfig.sgd(0.1),
                CgdConfig.momentum(0.05, 0.9),
                CgdConfig.rmsprop(0.01, 0.99, 1e-8),
                CgdConfig.rmspropCentered(0.01, 0.99, 1e-8),
                CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8),
                CgdConfig.adabelief(1e-3, 0.9, 0.999, 1e-8),
                CgdConfig.diagonalCgd(0.01, 9, 99, 0.5, 1e-8),
                CgdConfig.diagonalCgd(0.01, 9, 99, 0.75, 1e-6).withDebias(true),
                CgdConfig.diagonalCgd(0.01, 9, 99, 1, 1e-6).withCovarianceMean(CovarianceMean.FORCE),
                CgdConfig.diagonalCgd(0.01, 0, 99, 0.5, 1e-8));
    }

    private static double lrFactor(int t) {
        return 1 + 0.1 * Math.sin(t);
    }

    @Test
    void doubleUpdatesAreTheOptimizersStepBitForBit() {
        for (CgdConfig config : configs()) {
            Random random = new Random(7);
            try (Arena arena = Arena.ofConfined(); Optimizer optimizer = Optimizer.create(config, N)) {
                DiagonalUpdate update = DiagonalUpdate.ofDoubles(config, N);
                MemorySegment gradient = arena.allocate((long) N * Double.BYTES, 64);
                MemorySegment state = arena.allocate(Math.max(update.stateBytes(), 1), 64).asSlice(0, update.stateBytes());
                for (int t = 1; t <= STEPS; t++) {
                    double[] g = new double[N];
                    for (int i = 0; i < N; i++) {
                        g[i] = random.nextGaussian() * (i % 7 == 0 ? 1e-3 : 1) + (i % 11 == 0 ? 0.5 : 0);
                    }
                    if (t == 3) {
                        g[5] = 0; // exact zeros in the gradient
                    }
                    MemorySegment.copy(g, 0, gradient, JAVA_DOUBLE, 0, N);
                    double[] params = new double[N];
                    optimizer.setLearningRateScale(lrFactor(t));
                    optimizer.step(params, g);
                    assertThat(update.update(t, lrFactor(t), gradient, state)).isTrue();
                    for (int i = 0; i < N; i++) {
                        double expected = 0.0 - params[i];
                        assertThat(Double.doubleToRawLongBits(gradient.getAtIndex(JAVA_DOUBLE, i) + 0.0))
                                .as("%s, t = %d, i = %d", config.metric(), t, i)
                                .isEqualTo(Double.doubleToRawLongBits(expected + 0.0));
                    }
                }
                assertStateMatches(optimizer, update, state, false);
            }
        }
    }

    @Test
    void floatUpdatesAreTheOptimizersStepBitForBit() {
        for (CgdConfig config : configs()) {
            Random random = new Random(11);
            try (Arena arena = Arena.ofConfined(); Optimizer optimizer = Optimizer.create(config, N)) {
                DiagonalUpdate update = DiagonalUpdate.ofFloats(config, N);
                MemorySegment gradient = arena.allocate((long) N * Float.BYTES, 64);
                MemorySegment state = arena.allocate(Math.max(update.stateBytes(), 1), 64).asSlice(0, update.stateBytes());
                for (int t = 1; t <= STEPS; t++) {
                    float[] g = new float[N];
                    for (int i = 0; i < N; i++) {
                        g[i] = (float) (random.nextGaussian() * (i % 7 == 0 ? 1e-3 : 1));
                    }
                    MemorySegment.copy(g, 0, gradient, JAVA_FLOAT, 0, N);
                    float[] params = new float[N];
                    optimizer.setLearningRateScale(lrFactor(t));
                    optimizer.step(params, g);
                    assertThat(update.update(t, lrFactor(t), gradient, state)).isTrue();
                    for (int i = 0; i < N; i++) {
                        float expected = 0f - params[i];
                        assertThat(Float.floatToRawIntBits(gradient.getAtIndex(JAVA_FLOAT, i) + 0f))
                                .as("%s, t = %d, i = %d", config.metric(), t, i)
                                .isEqualTo(Float.floatToRawIntBits(expected + 0f));
                    }
                }
                assertStateMatches(optimizer, update, state, true);
            }
        }
    }

    /** Slice k of the state is the Optimizer's slice k, negated for m (k = 0) and μ (k = 2). */
    private static void assertStateMatches(Optimizer optimizer, DiagonalUpdate update, MemorySegment state, boolean single) {
        List<StateSlice> slices = ((StepFacade) optimizer).stateSlices();
        assertThat(slices).hasSize(update.stateSlices());
        for (int k = 0; k < slices.size(); k++) {
            MemorySegment theirs = slices.get(k).segment();
            for (int i = 0; i < N; i++) {
                double sign = k == 1 ? 1 : -1;
                double mine = single ? state.getAtIndex(JAVA_FLOAT, (long) k * N + i) : state.getAtIndex(JAVA_DOUBLE, (long) k * N + i);
                double expected = sign * (single ? theirs.getAtIndex(JAVA_FLOAT, i) : theirs.getAtIndex(JAVA_DOUBLE, i));
                assertThat(mine + 0.0).as("slice %s, i = %d", slices.get(k).name(), i).isEqualTo(expected + 0.0);
            }
        }
    }

    @Test
    void throwLeavesGradientAndStateUnchangedAndSkipZeroesTheUpdate() {
        try (Arena arena = Arena.ofConfined()) {
            CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
            DiagonalUpdate update = DiagonalUpdate.ofFloats(adam, 8);
            MemorySegment gradient = arena.allocate(8 * Float.BYTES, 64);
            MemorySegment state = arena.allocate(update.stateBytes(), 64);
            for (int i = 0; i < 8; i++) {
                gradient.setAtIndex(JAVA_FLOAT, i, i + 1);
                state.setAtIndex(JAVA_FLOAT, i, 0.5f);
            }
            gradient.setAtIndex(JAVA_FLOAT, 6, Float.NaN);
            byte[] gradientBefore = gradient.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            byte[] stateBefore = state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            assertThatThrownBy(() -> update.update(1, 1, gradient, state))
                    .isInstanceOf(NonFiniteGradientException.class)
                    .satisfies(e -> assertThat(((NonFiniteGradientException) e).index()).isEqualTo(6));
            assertThat(gradient.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(gradientBefore);
            assertThat(state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(stateBefore);

            DiagonalUpdate skipping = DiagonalUpdate.ofFloats(adam.withNonFinitePolicy(NonFinitePolicy.SKIP), 8);
            assertThat(skipping.update(1, 1, gradient, state)).isFalse();
            for (int i = 0; i < 8; i++) {
                assertThat(gradient.getAtIndex(JAVA_FLOAT, i)).isZero();
            }
            assertThat(state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(stateBefore);
        }
    }

    @Test
    void refusesWhatItCannotDoBeforeWriting() {
        CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        assertThatThrownBy(() -> DiagonalUpdate.ofDoubles(adam.withStructure(Structure.FULL), 4))
                .hasMessageContaining("DIAGONAL");
        assertThatThrownBy(() -> DiagonalUpdate.ofDoubles(adam.withWeightDecay(0.01), 4))
                .hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> DiagonalUpdate.ofDoubles(adam.withL2(0.01), 4)).hasMessageContaining("l2");
        DiagonalUpdate update = DiagonalUpdate.ofDoubles(adam, 4);
        assertThat(update.stateElements()).isEqualTo(8);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment gradient = arena.allocate(32, 64);
            MemorySegment state = arena.allocate(64, 64);
            gradient.setAtIndex(JAVA_DOUBLE, 0, 3);
            assertThatThrownBy(() -> update.update(0, 1, gradient, state)).hasMessageContaining("t must be >= 1");
            assertThatThrownBy(() -> update.update(1, Double.NaN, gradient, state)).hasMessageContaining("lrFactor");
            assertThatThrownBy(() -> update.update(1, 1, gradient, arena.allocate(56, 64))).hasMessageContaining("state has 56 bytes");
            assertThatThrownBy(() -> update.update(1, 1, MemorySegment.ofArray(new double[4]), state))
                    .hasMessageContaining("native");
            MemorySegment both = arena.allocate(64, 64);
            assertThatThrownBy(() -> update.update(1, 1, both.asSlice(0, 32), both)).hasMessageContaining("overlap");
            assertThatThrownBy(() -> update.update(1, 1, gradient.asReadOnly(), state)).hasMessageContaining("read-only");
            assertThat(gradient.getAtIndex(JAVA_DOUBLE, 0)).isEqualTo(3);
            assertThat(state.getAtIndex(JAVA_DOUBLE, 0)).isZero();
        }
    }
}
