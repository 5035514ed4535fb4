package org.cgd4j.engine.internal.kronecker;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cgd4j.engine.internal.kronecker.KroneckerPropertiesTest.LAYOUT;
import static org.cgd4j.engine.internal.kronecker.KroneckerPropertiesTest.build;
import static org.cgd4j.engine.internal.kronecker.KroneckerPropertiesTest.start;
import static org.cgd4j.engine.internal.kronecker.KroneckerPropertiesTest.state;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.KroneckerBlockInfo;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KRONECKER with float state (SSYRK, SGEMM, SSYEVD, the float DIAGONAL kernels): the properties the
 * double tests check, in float, and how far float runs from double.
 */
class KroneckerFloatTest {

    static float[] floats(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }

    static double[] doubles(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }

    /** The test gradient at float params, rounded to float. */
    static float[] gradient(long t, float[] q) {
        return floats(KroneckerPropertiesTest.gradient(t, doubles(q)));
    }

    /** A linear algebra that does what the native one does, except that SSYEVD call {@code failing} throws. */
    static DenseLinearAlgebra failingSsyevd(int failing, AtomicInteger calls) {
        DenseLinearAlgebra real = LinearAlgebraProvider.get();
        return (DenseLinearAlgebra) Proxy.newProxyInstance(KroneckerFloatTest.class.getClassLoader(),
                new Class<?>[] {DenseLinearAlgebra.class}, (proxy, method, args) -> {
                    if (method.getName().equals("ssyevd") && calls.incrementAndGet() == failing) {
                        throw new LapackException("SSYEVD", 3, "injected failure");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static final CgdConfig[] CONFIGS = {
        CgdConfig.adam(0.01, 0.9, 0.999, 1e-8),
        CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6),
        CgdConfig.diagonalCgd(0.01, 3, 20, 0.5, 1e-4).withMetric(Metric.SECOND_MOMENT),
        CgdConfig.adabelief(0.01, 0.9, 0.999, 1e-8),
    };

    @Test
    void floatTracksDouble() {
        // 100 closed-loop steps with refreshes every 5 (19 of them): float state ends within 1e-5 of
        // the double run relative to the params' scale (measured with OpenBLAS: 2.4e-7 to 7.6e-7 over
        // these configs and both refresh modes; float rounds at 6e-8 per operation, and the closed
        // loop and the eigenbases carry it further).
        for (CgdConfig base : CONFIGS) {
            for (RefreshMode mode : new RefreshMode[] {RefreshMode.TRACKED, RefreshMode.QR}) {
                CgdConfig c = base.withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(5).withWarmupSteps(5)
                        .withRefreshMode(mode);
                try (Optimizer d = Optimizer.builder(LAYOUT).config(c).build(); Optimizer f = Optimizer.builder(LAYOUT).config(c).build()) {
                    double[] q = start(39);
                    float[] qf = floats(q);
                    for (long t = 1; t <= 100; t++) {
                        d.step(q, KroneckerPropertiesTest.gradient(t, q));
                        f.step(qf, gradient(t, qf));
                    }
                    double scale = 0, apart = 0;
                    for (int i = 0; i < 39; i++) {
                        scale = Math.max(scale, Math.abs(q[i]));
                        apart = Math.max(apart, Math.abs(qf[i] - q[i]));
                    }
                    assertThat(apart).as("%s %s: max |q_float − q_double| over max |q|", base, mode).isLessThanOrEqualTo(1e-5 * scale);
                    assertThat(apart).as("float is a different computation").isPositive();
                }
            }
        }
    }

    @Test
    void beforeTheFirstRefreshItIsFloatDiagonalBitForBit() {
        for (CgdConfig c : new CgdConfig[] {CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1), CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withL2(0.01),
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6), CgdConfig.adabelief(0.01, 0.9, 0.999, 1e-8), CgdConfig.momentum(0.01, 0.9)}) {
            CgdConfig k = c.withStructure(Structure.KRONECKER).withBlockSize(3).withWarmupSteps(25);
            try (Optimizer diagonal = Optimizer.builder(LAYOUT).config(c).clipNorm(3).schedule(Schedule.linearWarmup(5, 0.5)).build();
                 Optimizer kron = Optimizer.builder(LAYOUT).config(k).clipNorm(3).schedule(Schedule.linearWarmup(5, 0.5)).build()) {
                float[] q = floats(start(39)), qk = q.clone();
                for (long t = 1; t <= 25; t++) {
                    diagonal.step(q, gradient(t, q));
                    kron.step(qk, gradient(t, qk));
                    assertThat(qk).as("%s, step %d", c, t).isEqualTo(q);
                }
            }
        }
    }

    @Test
    void aFailedEigendecompositionChangesNothing() {
        AtomicInteger calls = new AtomicInteger();
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(2);
        try (Optimizer victim = build(LAYOUT, c, failingSsyevd(5, calls)); Optimizer clean = build(LAYOUT, c, LinearAlgebraProvider.get())) {
            float[] q = floats(start(39)), qc = q.clone();
            boolean failed = false;
            for (long t = 1; t <= 12; t++) {
                float[] g = gradient(t, q);
                List<byte[]> before = state(victim);
                float[] q0 = q.clone();
                long steps = victim.steps();
                try {
                    victim.step(q, g);
                } catch (LapackException e) {
                    assertThat(e).hasMessageContaining("params and state unchanged");
                    assertThat(q).isEqualTo(q0);
                    assertThat(state(victim)).containsExactlyElementsOf(before);
                    assertThat(victim.steps()).isEqualTo(steps);
                    failed = true;
                    victim.step(q, g); // the retry succeeds: the optimizer is not stuck
                }
                clean.step(qc, g);
                assertThat(q).isEqualTo(qc);
            }
            assertThat(failed).isTrue();
        }
    }

    @Test
    void aFailedFirstFloatStepLeavesThePrecisionOpen() {
        // The first step refreshes (no warm-up) and its SSYEVD fails: nothing is fixed, so a double
        // step may follow and runs exactly as on a fresh optimizer.
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3);
        try (Optimizer victim = build(LAYOUT, c, failingSsyevd(1, new AtomicInteger()));
             Optimizer clean = build(LAYOUT, c, LinearAlgebraProvider.get())) {
            List<byte[]> before = state(victim);
            float[] qf = floats(start(39));
            assertThatThrownBy(() -> victim.step(qf, gradient(1, qf))).isInstanceOf(LapackException.class);
            assertThat(state(victim)).containsExactlyElementsOf(before);
            double[] q = start(39), qc = q.clone();
            for (long t = 1; t <= 6; t++) {
                victim.step(q, KroneckerPropertiesTest.gradient(t, q));
                clean.step(qc, KroneckerPropertiesTest.gradient(t, qc));
            }
            assertThat(q).isEqualTo(qc);
        }
    }

    @Test
    void resumeIsBitIdentical(@TempDir Path dir) throws Exception {
        for (CgdConfig base : CONFIGS) {
            CgdConfig c = base.withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(3).withWarmupSteps(2);
            try (Optimizer a = Optimizer.builder(LAYOUT).config(c).build()) {
                float[] q = floats(start(39));
                for (long t = 1; t <= 7; t++) {
                    a.step(q, gradient(t, q));
                }
                a.save(dir.resolve("k.ckpt"));
                try (Optimizer b = Optimizer.load(dir.resolve("k.ckpt"))) {
                    // float slices: the 3 × 3 block's S_L holds 9 floats
                    StateSlice first = ((OptimizerBase) b).stateSlices().getFirst();
                    assertThat(first.name()).isEqualTo("b0.SL");
                    assertThat(first.segment().byteSize()).isEqualTo(9L * Float.BYTES);
                    assertThat(state(b)).containsExactlyElementsOf(state(a));
                    float[] q2 = q.clone();
                    for (long t = 8; t <= 20; t++) {
                        a.step(q, gradient(t, q));
                        b.step(q2, gradient(t, q2));
                    }
                    assertThat(q2).isEqualTo(q);
                    assertThatThrownBy(() -> b.step(new double[39], new double[39])).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("keeps FLOAT state");
                }
            }
        }
    }

    @Test
    void diagnosticsReportTheFloatFactorsEigenvalues() {
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3);
        try (Optimizer d = Optimizer.builder(LAYOUT).config(c).build(); Optimizer f = Optimizer.builder(LAYOUT).config(c).build()) {
            float[] qf = floats(start(39));
            double[] q = doubles(qf);
            float[] g = gradient(1, qf);
            d.step(q, doubles(g));
            f.step(qf, g);
            List<KroneckerBlockInfo> blocks = f.kroneckerBlocks(), reference = d.kroneckerBlocks();
            assertThat(blocks).hasSize(8);
            for (int b = 0; b < blocks.size(); b++) {
                double[] lambda = blocks.get(b).leftEigenvalues(), expected = reference.get(b).leftEigenvalues();
                assertThat(lambda).hasSameSizeAs(expected);
                double top = expected.length == 0 ? 0 : expected[expected.length - 1];
                for (int i = 0; i < lambda.length; i++) {
                    assertThat(Math.abs(lambda[i] - expected[i])).as("block %d, λ_%d", b, i).isLessThanOrEqualTo(1e-5 * top);
                }
                assertThat(blocks.get(b).stateBytes()).isEqualTo(reference.get(b).stateBytes());
            }
        }
    }

    @Test
    void floatSegmentsStepAsFloatArrays() {
        CgdConfig c = CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1).withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(2);
        // the segments' optimizer runs its blocks on two threads (a shared arena: its pool may read them)
        try (Arena arena = Arena.ofShared();
             Optimizer arrays = Optimizer.builder(LAYOUT).config(c).clipNorm(2).build();
             Optimizer segments = Optimizer.builder(LAYOUT).config(c).clipNorm(2).threads(2).build()) {
            float[] q = floats(start(39));
            MemorySegment qs = arena.allocate(39L * Float.BYTES, 64), gs = arena.allocate(39L * Float.BYTES, 64);
            MemorySegment.copy(q, 0, qs, JAVA_FLOAT, 0, 39);
            for (long t = 1; t <= 15; t++) {
                float[] g = gradient(t, q);
                MemorySegment.copy(g, 0, gs, JAVA_FLOAT, 0, 39);
                arrays.step(q, g);
                segments.stepFloats(qs, gs);
                assertThat(qs.toArray(JAVA_FLOAT)).as("step %d", t).isEqualTo(q);
            }
            assertThat(state(segments)).containsExactlyElementsOf(state(arrays));
        }
    }

    @Test
    void precisionsDoNotMix() {
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3);
        try (Optimizer o = Optimizer.builder(LAYOUT).config(c).build()) {
            o.step(new double[39], new double[39]);
            assertThatThrownBy(() -> o.step(new float[39], new float[39])).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keeps DOUBLE state");
        }
    }
}
