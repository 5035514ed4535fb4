package org.cgd4j.engine;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * StructuredUpdate against the Optimizer it wraps: on a layout of a matrix and a vector, each its own
 * group, the update it leaves in the gradient is bit for bit the Optimizer's step (q' = q − u, the
 * Optimizer adding its step to q and the host subtracting −step), with a varying learning-rate factor,
 * for FULL and KRONECKER (refreshes every 3 steps, so frames move); a host that saves its state
 * segment mid-run, builds a new update, attaches the copy and continues is the uninterrupted run bit
 * for bit, as is a host that writes a saved state back into its segment (DL4J's restore); a damaged
 * host state is refused before use; and what it cannot run is refused before anything is written.
 */
class StructuredUpdateTest {
    private static final ParamLayout LAYOUT = ParamLayout.builder().matrix("W", 7, 5).vector("b", 7).build();
    private static final int D = LAYOUT.dimension();
    private static final int STEPS = 12;

    private static List<CgdConfig> configs() {
        return List.of(
                CgdConfig.diagonalCgd(0.01, 9, 99, 0.5, 1e-8).withStructure(Structure.KRONECKER).withRefreshEvery(3),
                CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withRefreshEvery(3).withBlockSize(4),
                CgdConfig.fullCgd(0.01, 9, 99, 0.5, 1e-8),
                CgdConfig.fullCgd(0.01, 9, 99, 0.5, 1e-8).withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED));
    }

    private static double[] gradient(Random random) {
        double[] g = new double[D];
        for (int i = 0; i < D; i++) {
            g[i] = random.nextGaussian() + (i % 5 == 0 ? 0.3 : 0);
        }
        return g;
    }

    private static double lrFactor(int t) {
        return 1 + 0.1 * Math.sin(t);
    }

    private static Optimizer optimizer(CgdConfig config) {
        return Optimizer.builder(LAYOUT).group(config, "W").group(config, "b").threads(config.threads()).build();
    }

    @Test
    void updatesAreTheOptimizersStepBitForBit() {
        for (CgdConfig config : configs()) {
            Random random = new Random(11);
            try (Arena arena = Arena.ofShared(); Optimizer optimizer = optimizer(config);
                 StructuredUpdate update = StructuredUpdate.ofDoubles(config, LAYOUT)) {
                MemorySegment state = arena.allocate(update.stateBytes(), 64);
                MemorySegment g = arena.allocate((long) D * Double.BYTES, 64);
                update.initializeState(state);
                double[] q = new double[D];
                double[] host = new double[D];
                for (int t = 1; t <= STEPS; t++) {
                    double[] grad = gradient(random);
                    optimizer.setLearningRateScale(lrFactor(t));
                    optimizer.step(q, grad.clone());
                    MemorySegment.copy(grad, 0, g, JAVA_DOUBLE, 0, D);
                    update.update(t, lrFactor(t), g);
                    for (int i = 0; i < D; i++) {
                        host[i] -= g.getAtIndex(JAVA_DOUBLE, i);
                    }
                    assertThat(host).as("%s, step %d", config, t).containsExactly(q);
                }
            }
        }
    }

    @Test
    void floatUpdatesAreTheOptimizersFloatStepBitForBit() {
        for (CgdConfig config : configs().subList(0, 2)) { // KRONECKER (FULL keeps double state)
            Random random = new Random(13);
            try (Arena arena = Arena.ofShared(); Optimizer optimizer = optimizer(config);
                 StructuredUpdate update = StructuredUpdate.ofFloats(config, LAYOUT);
                 StructuredUpdate doubles = StructuredUpdate.ofDoubles(config, LAYOUT)) {
                assertThat(update.stateElements()).isEqualTo(doubles.stateElements()); // hosts size state by count
                MemorySegment state = arena.allocate(update.stateBytes(), 64);
                MemorySegment g = arena.allocate((long) D * Float.BYTES, 64);
                update.initializeState(state);
                float[] q = new float[D];
                float[] host = new float[D];
                for (int t = 1; t <= STEPS; t++) {
                    double[] grad = gradient(random);
                    float[] f = new float[D];
                    for (int i = 0; i < D; i++) {
                        f[i] = (float) grad[i];
                    }
                    optimizer.setLearningRateScale(lrFactor(t));
                    optimizer.step(q, f.clone());
                    MemorySegment.copy(f, 0, g, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, D);
                    update.update(t, lrFactor(t), g);
                    for (int i = 0; i < D; i++) {
                        host[i] -= g.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i);
                    }
                    assertThat(host).as("%s, step %d", config, t).containsExactly(q);
                }
            }
        }
        assertThatThrownBy(() -> StructuredUpdate.ofFloats(configs().get(2), LAYOUT)).hasMessageContaining("double precision only");
    }

    @Test
    void aSavedStateAttachedToANewUpdateContinuesBitForBit() {
        for (CgdConfig config : configs()) {
            Random random = new Random(5);
            double[][] grads = new double[STEPS][];
            for (int t = 0; t < STEPS; t++) {
                grads[t] = gradient(random);
            }
            try (Arena arena = Arena.ofShared(); StructuredUpdate whole = StructuredUpdate.ofDoubles(config, LAYOUT);
                 StructuredUpdate first = StructuredUpdate.ofDoubles(config, LAYOUT);
                 StructuredUpdate second = StructuredUpdate.ofDoubles(config, LAYOUT)) {
                MemorySegment wholeState = arena.allocate(whole.stateBytes(), 64);
                MemorySegment state = arena.allocate(whole.stateBytes(), 64);
                MemorySegment g = arena.allocate((long) D * Double.BYTES, 64);
                MemorySegment h = arena.allocate((long) D * Double.BYTES, 64);
                whole.initializeState(wholeState);
                first.initializeState(state);
                for (int t = 1; t <= STEPS; t++) {
                    MemorySegment.copy(grads[t - 1], 0, g, JAVA_DOUBLE, 0, D);
                    MemorySegment.copy(grads[t - 1], 0, h, JAVA_DOUBLE, 0, D);
                    whole.update(t, lrFactor(t), g);
                    if (t == STEPS / 2 + 1) { // "restored": the saved bytes in a new segment, a new update
                        MemorySegment restored = arena.allocate(state.byteSize(), 64);
                        restored.copyFrom(state);
                        second.attachState(restored);
                        state = restored;
                    }
                    (t <= STEPS / 2 ? first : second).update(t, lrFactor(t), h);
                    assertThat(h.toArray(JAVA_DOUBLE)).as("%s, step %d", config, t).containsExactly(g.toArray(JAVA_DOUBLE));
                    assertThat(state.toArray(JAVA_DOUBLE)).containsExactly(wholeState.toArray(JAVA_DOUBLE));
                }
            }
        }
    }

    @Test
    void aHostThatRewritesItsStateIsFollowed() {
        for (CgdConfig config : configs()) {
            Random random = new Random(3);
            double[][] grads = new double[6][];
            for (int t = 0; t < 6; t++) {
                grads[t] = gradient(random);
            }
            try (Arena arena = Arena.ofShared(); StructuredUpdate update = StructuredUpdate.ofDoubles(config, LAYOUT)) {
                MemorySegment state = arena.allocate(update.stateBytes(), 64);
                MemorySegment g = arena.allocate((long) D * Double.BYTES, 64);
                update.initializeState(state);
                byte[] afterThree = null;
                double[][] updates = new double[6][];
                for (int t = 1; t <= 6; t++) {
                    MemorySegment.copy(grads[t - 1], 0, g, JAVA_DOUBLE, 0, D);
                    update.update(t, 1, g);
                    updates[t - 1] = g.toArray(JAVA_DOUBLE);
                    if (t == 3) {
                        afterThree = state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    }
                }
                // the host assigns the state it saved after step 3 into the same segment and runs 4..6 again
                MemorySegment.copy(afterThree, 0, state, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, afterThree.length);
                for (int t = 4; t <= 6; t++) {
                    MemorySegment.copy(grads[t - 1], 0, g, JAVA_DOUBLE, 0, D);
                    update.update(t, 1, g);
                    assertThat(g.toArray(JAVA_DOUBLE)).as("%s, step %d again", config, t).containsExactly(updates[t - 1]);
                }
            }
        }
    }

    @Test
    void aDamagedHostStateIsRefusedBeforeUse() {
        CgdConfig full = CgdConfig.fullCgd(0.01, 9, 99, 0.5, 1e-8);
        try (Arena arena = Arena.ofShared(); StructuredUpdate update = StructuredUpdate.ofDoubles(full, LAYOUT)) {
            MemorySegment state = arena.allocate(update.stateBytes(), 64);
            MemorySegment g = arena.allocate((long) D * Double.BYTES, 64);
            update.initializeState(state);
            g.fill((byte) 0);
            g.setAtIndex(JAVA_DOUBLE, 0, 1);
            update.update(1, 1, g);
            state.setAtIndex(JAVA_DOUBLE, 2, Double.NaN);
            g.setAtIndex(JAVA_DOUBLE, 0, 1);
            double[] gradientBefore = g.toArray(JAVA_DOUBLE);
            assertThatThrownBy(() -> update.update(2, 1, g)).hasMessageContaining("cannot continue at step 2");
            assertThat(g.toArray(JAVA_DOUBLE)).containsExactly(gradientBefore);
            assertThatThrownBy(() -> update.update(2, 1, g)).hasMessageContaining("cannot continue"); // still refused
        }
    }

    @Test
    void refusesWhatItCannotRunBeforeWriting() {
        CgdConfig kron = CgdConfig.diagonalCgd(0.01, 9, 99, 0.5, 1e-8).withStructure(Structure.KRONECKER);
        assertThatThrownBy(() -> StructuredUpdate.ofDoubles(kron.withWeightDecay(0.01), LAYOUT)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> StructuredUpdate.ofDoubles(kron.withNonFinitePolicy(NonFinitePolicy.SKIP), LAYOUT))
                .hasMessageContaining("SKIP");
        try (Arena arena = Arena.ofShared(); StructuredUpdate update = StructuredUpdate.ofDoubles(kron, LAYOUT)) {
            MemorySegment g = arena.allocate((long) D * Double.BYTES, 64);
            assertThatThrownBy(() -> update.update(1, 1, g)).hasMessageContaining("initializeState or attachState");
            assertThatThrownBy(() -> update.initializeState(arena.allocate(update.stateBytes() - 8, 8)))
                    .hasMessageContaining("state has");
            MemorySegment state = arena.allocate(update.stateBytes(), 64);
            update.initializeState(state);
            byte[] before = state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            g.setAtIndex(JAVA_DOUBLE, 3, Double.NaN);
            assertThatThrownBy(() -> update.update(1, 1, g)).isInstanceOf(NonFiniteGradientException.class);
            assertThat(g.getAtIndex(JAVA_DOUBLE, 0)).isZero();
            assertThat(state.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).containsExactly(before);
            assertThatThrownBy(() -> update.update(0, 1, g)).hasMessageContaining("t must be >= 1");
            assertThatThrownBy(() -> update.update(1, 1, g.asSlice(8))).hasMessageContaining("bytes, expected");
        }
    }
}
