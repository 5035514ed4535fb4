package org.cgd4j.engine;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Optimizer#stepFloats}: {@link Optimizer#step(float[], float[])} bit for bit, on any float segment. */
class FloatSegmentStepTest {
    static final int D = 5000; // several norm blocks and chunks

    static float[] gradient(long t) {
        SplittableRandom r = new SplittableRandom(t);
        float[] g = new float[D];
        for (int i = 0; i < D; i++) {
            g[i] = (float) (r.nextGaussian() * (1 + i % 7));
        }
        return g;
    }

    static Optimizer adam(int threads) {
        return Optimizer.builder(ParamLayout.builder().vector("q", D).build()).config(CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1))
                .clipNorm(30).threads(threads).build();
    }

    @Test
    void nativeHeapAndSlicedSegmentsStepAsFloatArrays() {
        try (Arena arena = Arena.ofConfined(); Optimizer arrays = adam(1); Optimizer nativeSegments = adam(2);
             Optimizer heap = adam(1); Optimizer sliced = adam(1)) {
            float[] q = new float[D], qh = new float[D];
            float[] qSliced = new float[D + 1];
            MemorySegment qn = arena.allocate((long) D * Float.BYTES, 64), gn = arena.allocate((long) D * Float.BYTES, 64);
            for (long t = 1; t <= 5; t++) {
                float[] g = gradient(t);
                MemorySegment.copy(g, 0, gn, JAVA_FLOAT, 0, D);
                arrays.step(q, g);
                nativeSegments.stepFloats(qn, gn);
                heap.stepFloats(MemorySegment.ofArray(qh), MemorySegment.ofArray(g.clone()));
                // a slice of a larger array: not a whole float[], so the scalar kernels
                sliced.stepFloats(MemorySegment.ofArray(qSliced).asSlice(Float.BYTES), MemorySegment.ofArray(g));
                assertThat(qn.toArray(JAVA_FLOAT)).as("native, step %d", t).isEqualTo(q);
                assertThat(qh).as("heap, step %d", t).isEqualTo(q);
                assertThat(java.util.Arrays.copyOfRange(qSliced, 1, D + 1)).as("slice, step %d", t).isEqualTo(q);
                assertThat(nativeSegments.lastGradientNorm()).isEqualTo(arrays.lastGradientNorm());
            }
        }
    }

    @Test
    void badSegmentsAndGradientsAreRefusedWithNothingChanged() {
        try (Arena arena = Arena.ofConfined(); Optimizer o = adam(1)) {
            MemorySegment q = arena.allocate((long) D * Float.BYTES, 64), g = arena.allocate((long) D * Float.BYTES, 64);
            assertThatThrownBy(() -> o.stepFloats(arena.allocate((long) D * Double.BYTES, 8), g))
                    .hasMessageContaining("params has 40000 bytes, expected 20000 (5000 floats)");
            g.setAtIndex(JAVA_FLOAT, 1234, Float.NaN);
            assertThatThrownBy(() -> o.stepFloats(q, g)).isInstanceOfSatisfying(NonFiniteGradientException.class,
                    e -> assertThat(e.index()).isEqualTo(1234));
            assertThat(o.steps()).isZero();
            g.setAtIndex(JAVA_FLOAT, 1234, 1);
            o.stepFloats(q, g);
            assertThatThrownBy(() -> o.step(new double[D], new double[D])).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keeps FLOAT state");
        }
        try (Arena arena = Arena.ofConfined(); Optimizer full = Optimizer.create(CgdConfig.adam(0.01, 0.9, 0.999, 1e-8)
                .withStructure(Structure.FULL), 4)) {
            assertThatThrownBy(() -> full.stepFloats(arena.allocate(16), arena.allocate(16)))
                    .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("FULL");
        }
    }
}
