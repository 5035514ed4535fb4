package org.cgd4j.engine.internal.kronecker;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.LapackException;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.internal.Engines;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.OptimizerSpec;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The properties SPEC "Structure KRONECKER" says tests check. */
class KroneckerPropertiesTest {
    static final ParamLayout LAYOUT = ParamLayout.builder().matrix("w", 7, 5).vector("b", 4).build();

    static double[] gradient(long t, double[] q) {
        SplittableRandom r = new SplittableRandom(t);
        double[] g = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            g[i] = (0.2 + 0.05 * i) * (q[i] - 1) + 0.5 * r.nextGaussian();
        }
        return g;
    }

    static double[] start(int d) {
        SplittableRandom r = new SplittableRandom(3);
        double[] q = new double[d];
        for (int i = 0; i < d; i++) {
            q[i] = 2 + r.nextDouble();
        }
        return q;
    }

    static List<byte[]> state(Optimizer o) {
        return ((OptimizerBase) o).stateSlices().stream().map(StateSlice::segment).map(s -> s.toArray(ValueLayout.JAVA_BYTE)).toList();
    }

    static Optimizer build(ParamLayout layout, CgdConfig c, DenseLinearAlgebra la) {
        List<OptimizerSpec.Group> groups = List.of(new OptimizerSpec.Group(c, layout.tensors().stream().map(ParamLayout.Tensor::name).toList()));
        return Engines.create(new OptimizerSpec(layout, groups, Schedule.constant(), 0, 1), la);
    }

    /** A linear algebra that does what the native one does, except as {@code dsyevd} says. */
    interface Eigen {
        void dsyevd(DenseLinearAlgebra real, Object[] args) throws Throwable;
    }

    static DenseLinearAlgebra intercepting(Eigen eigen) {
        DenseLinearAlgebra real = LinearAlgebraProvider.get();
        return (DenseLinearAlgebra) Proxy.newProxyInstance(KroneckerPropertiesTest.class.getClassLoader(),
                new Class<?>[] {DenseLinearAlgebra.class}, (proxy, method, args) -> {
                    try {
                        if (method.getName().equals("dsyevd")) {
                            eigen.dsyevd(real, args);
                            return null;
                        }
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void beforeTheFirstRefreshItIsDiagonalBitForBit() {
        for (CgdConfig c : new CgdConfig[] {CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.1), CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withL2(0.01),
                CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6), CgdConfig.adabelief(0.01, 0.9, 0.999, 1e-8), CgdConfig.momentum(0.01, 0.9)}) {
            CgdConfig k = c.withStructure(Structure.KRONECKER).withBlockSize(3).withWarmupSteps(25);
            try (Optimizer diagonal = Optimizer.builder(LAYOUT).config(c).clipNorm(3).schedule(Schedule.linearWarmup(5, 0.5)).build();
                 Optimizer kron = Optimizer.builder(LAYOUT).config(k).clipNorm(3).schedule(Schedule.linearWarmup(5, 0.5)).build()) {
                double[] q = start(39), qk = q.clone();
                for (long t = 1; t <= 25; t++) {
                    diagonal.step(q, gradient(t, q));
                    kron.step(qk, gradient(t, qk));
                    assertThat(qk).as("%s, step %d", c, t).isEqualTo(q);
                }
            }
        }
    }

    @Test
    void theSignsAndOrderOfTheEigenvectorsDoNotMatter() {
        // Reverse the order of LAPACK's eigenpairs and flip the sign of every other eigenvector.
        DenseLinearAlgebra perturbed = intercepting((real, a) -> {
            real.dsyevd((char) a[0], (char) a[1], (int) a[2], (MemorySegment) a[3], (int) a[4], (MemorySegment) a[5],
                    (MemorySegment) a[6], (long) a[7], (MemorySegment) a[8], (long) a[9]);
            int n = (int) a[2];
            MemorySegment v = (MemorySegment) a[3], w = (MemorySegment) a[5];
            double[] vs = v.asSlice(0, (long) n * n * 8).toArray(JAVA_DOUBLE), ws = w.asSlice(0, n * 8L).toArray(JAVA_DOUBLE);
            for (int col = 0; col < n; col++) {
                int from = n - 1 - col;
                double sign = col % 2 == 0 ? -1 : 1;
                w.setAtIndex(JAVA_DOUBLE, col, ws[from]);
                for (int row = 0; row < n; row++) {
                    v.setAtIndex(JAVA_DOUBLE, (long) col * n + row, sign * vs[from * n + row]);
                }
            }
        });
        CgdConfig c = CgdConfig.diagonalCgd(0.01, 3, 20, 0.5, 1e-3).withStructure(Structure.KRONECKER).withBlockSize(3)
                .withRefreshEvery(2).withWarmupSteps(3);
        try (Optimizer plain = build(LAYOUT, c, LinearAlgebraProvider.get()); Optimizer other = build(LAYOUT, c, perturbed)) {
            double[] q = start(39), q2 = q.clone();
            for (long t = 1; t <= 60; t++) {
                plain.step(q, gradient(t, q));
                other.step(q2, gradient(t, q2));
                for (int i = 0; i < 39; i++) {
                    assertThat(Math.abs(q2[i] - q[i])).as("step %d, element %d", t, i).isLessThanOrEqualTo(1e-10 * Math.abs(q[i]));
                }
            }
        }
    }

    /** A random orthogonal n × n matrix (Gram–Schmidt of a Gaussian one), row-major. */
    static double[][] orthogonal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = r.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += a[i][j] * a[k][j];
                }
                for (int j = 0; j < n; j++) {
                    a[i][j] -= dot * a[k][j];
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += a[i][j] * a[i][j];
            }
            for (int j = 0; j < n; j++) {
                a[i][j] /= Math.sqrt(norm);
            }
        }
        return a;
    }

    /** A M Bᵀ for a 4 × 4 M stored row-major in a flat vector. */
    static double[] sandwich(double[][] a, double[] m, double[][] b) {
        double[] out = new double[16];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double sum = 0;
                for (int k = 0; k < 4; k++) {
                    for (int l = 0; l < 4; l++) {
                        sum += a[i][k] * m[k * 4 + l] * b[j][l];
                    }
                }
                out[i * 4 + j] = sum;
            }
        }
        return out;
    }

    @Test
    void runningOnAGBtFromAQBtGivesAQtBt() {
        // One square block, refreshEvery 1, no warm-up: every first gradient gives full-rank factors.
        ParamLayout square = ParamLayout.builder().matrix("w", 4, 4).build();
        CgdConfig c = CgdConfig.diagonalCgd(0.02, 3, 20, 0.5, 1e-3).withMetric(Metric.SECOND_MOMENT)
                .withStructure(Structure.KRONECKER).withBlockSize(4);
        double[][] a = orthogonal(4, 1), b = orthogonal(4, 2);
        try (Optimizer plain = Optimizer.builder(square).config(c).build(); Optimizer mapped = Optimizer.builder(square).config(c).build()) {
            double[] q = start(16), qm = sandwich(a, q, b);
            double scale = 0;
            for (long t = 1; t <= 40; t++) {
                double[] g = new SplittableRandom(t).doubles(16).map(x -> x - 0.5).toArray();
                plain.step(q, g);
                mapped.step(qm, sandwich(a, g, b));
                double[] expected = sandwich(a, q, b);
                for (double x : expected) {
                    scale = Math.max(scale, Math.abs(x));
                }
                for (int i = 0; i < 16; i++) {
                    assertThat(Math.abs(qm[i] - expected[i])).as("step %d, element %d", t, i).isLessThanOrEqualTo(1e-10 * scale);
                }
            }
        }
    }

    @Test
    void blocksAreIndependent() {
        // A 6 × 3 matrix with blockSize 3 is two 3 × 3 blocks: exactly two 3 × 3 tensors.
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(3);
        ParamLayout one = ParamLayout.builder().matrix("w", 6, 3).build();
        ParamLayout two = ParamLayout.builder().matrix("top", 3, 3).matrix("bottom", 3, 3).build();
        try (Optimizer a = Optimizer.builder(one).config(c).build(); Optimizer b = Optimizer.builder(two).config(c).build()) {
            double[] q = start(18), q2 = q.clone();
            for (long t = 1; t <= 30; t++) {
                a.step(q, gradient(t, q));
                b.step(q2, gradient(t, q2));
            }
            assertThat(q2).isEqualTo(q);
            assertThat(state(b)).containsExactlyElementsOf(state(a));
        }
    }

    @Test
    void aFailedEigendecompositionChangesNothing() {
        AtomicInteger calls = new AtomicInteger();
        DenseLinearAlgebra failing = intercepting((real, a) -> {
            if (calls.incrementAndGet() == 5) {
                throw new LapackException("DSYEVD", 3, "injected failure");
            }
            real.dsyevd((char) a[0], (char) a[1], (int) a[2], (MemorySegment) a[3], (int) a[4], (MemorySegment) a[5],
                    (MemorySegment) a[6], (long) a[7], (MemorySegment) a[8], (long) a[9]);
        });
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3).withRefreshEvery(2);
        try (Optimizer victim = build(LAYOUT, c, failing); Optimizer clean = build(LAYOUT, c, LinearAlgebraProvider.get())) {
            double[] q = start(39), qc = q.clone();
            boolean failed = false;
            for (long t = 1; t <= 12; t++) {
                double[] g = gradient(t, q);
                List<byte[]> before = state(victim);
                double[] q0 = q.clone();
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
    void resumeIsBitIdentical(@TempDir Path dir) throws Exception {
        CgdConfig c = CgdConfig.diagonalCgd(0.01, 3, 20, 0.3, 1e-6).withStructure(Structure.KRONECKER).withBlockSize(3)
                .withRefreshEvery(3).withWarmupSteps(2);
        try (Optimizer a = Optimizer.builder(LAYOUT).config(c).build()) {
            double[] q = start(39);
            for (long t = 1; t <= 7; t++) {
                a.step(q, gradient(t, q));
            }
            a.save(dir.resolve("k.ckpt"));
            try (Optimizer b = Optimizer.load(dir.resolve("k.ckpt"))) {
                assertThat(b.config()).isEqualTo(c);
                assertThat(state(b)).containsExactlyElementsOf(state(a));
                double[] q2 = q.clone();
                for (long t = 8; t <= 20; t++) {
                    a.step(q, gradient(t, q));
                    b.step(q2, gradient(t, q2));
                }
                assertThat(q2).isEqualTo(q);
            }
        }
    }

    /** A coupled quadratic without noise: g = H (q − 1) with H tridiagonal. */
    static double[] smooth(double[] q) {
        double[] g = new double[q.length];
        for (int i = 0; i < q.length; i++) {
            g[i] = (0.2 + 0.05 * i) * (q[i] - 1) + 0.1 * ((i > 0 ? q[i - 1] - 1 : 0) + (i + 1 < q.length ? q[i + 1] - 1 : 0));
        }
        return g;
    }

    @Test
    void theQrRefreshTracksTheEigenbasis() {
        // On a smooth problem (no noise) one power step per refresh keeps Q close to the exact eigenbasis,
        // so QR and the exact rule end close together; QR is not the exact rule, so not equal.
        CgdConfig exact = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3)
                .withRefreshEvery(2).withWarmupSteps(3);
        CgdConfig qr = exact.withRefreshMode(org.cgd4j.engine.RefreshMode.QR);
        try (Optimizer a = Optimizer.builder(LAYOUT).config(exact).build(); Optimizer b = Optimizer.builder(LAYOUT).config(qr).build()) {
            double[] q = start(39), q2 = q.clone(), q0 = q.clone();
            for (long t = 1; t <= 200; t++) {
                a.step(q, smooth(q));
                b.step(q2, smooth(q2));
                if (t <= 5) { // up to and including the first refresh (t = 4, by DSYEVD) the two are the same rule
                    assertThat(q2).as("step %d", t).isEqualTo(q);
                }
            }
            double moved = 0, apart = 0;
            for (int i = 0; i < 39; i++) {
                moved = Math.max(moved, Math.abs(q[i] - q0[i]));
                apart = Math.max(apart, Math.abs(q2[i] - q[i]));
            }
            assertThat(apart).as("QR against exact after 200 steps, relative to the distance moved").isLessThan(0.05 * moved);
            assertThat(apart).as("QR is a different rule").isPositive();
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        ParamLayout layout = ParamLayout.builder().matrix("w", 9, 8).vector("b", 9).matrix("head", 3, 9).build();
        CgdConfig c = CgdConfig.adamW(0.01, 0.9, 0.999, 1e-8, 0.05).withStructure(Structure.KRONECKER).withBlockSize(4)
                .withRefreshEvery(2).withWarmupSteps(1);
        try (Optimizer one = Engines.create(new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(c, List.of("w", "b", "head"))),
                     Schedule.constant(), 1.0, 1), null, null, 1);
             Optimizer two = Engines.create(new OptimizerSpec(layout, List.of(new OptimizerSpec.Group(c, List.of("w", "b", "head"))),
                     Schedule.constant(), 1.0, 2), null, null, 1)) {
            double[] q = start(108), q2 = q.clone();
            for (long t = 1; t <= 20; t++) {
                one.step(q, gradient(t, q));
                two.step(q2, gradient(t, q2));
            }
            assertThat(q2).isEqualTo(q);
        }
    }

    @Test
    void staggeredRefreshesDelayEachBlockByItsIndexModK() {
        // With k = 1 nothing is delayed: the plain schedule bit for bit. With k = 3 block b refreshes
        // b mod 3 steps later; the 1 × 1 block of the vector (no factors) is DIAGONAL either way.
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3).withWarmupSteps(2);
        try (Optimizer a = Optimizer.builder(LAYOUT).config(c).build();
             Optimizer b = Optimizer.builder(LAYOUT).config(c.withStaggerRefresh(true)).build()) {
            double[] q = start(39), q2 = q.clone();
            for (long t = 1; t <= 20; t++) {
                a.step(q, gradient(t, q));
                b.step(q2, gradient(t, q2));
            }
            assertThat(q2).isEqualTo(q);
        }
        CgdConfig k3 = c.withRefreshEvery(3);
        try (Optimizer plain = Optimizer.builder(LAYOUT).config(k3).build();
             Optimizer staggered = Optimizer.builder(LAYOUT).config(k3.withStaggerRefresh(true)).build()) {
            double[] q = start(39), q2 = q.clone();
            for (long t = 1; t <= 3; t++) { // warm-up (2 steps) and step 3, block 0's first refresh in both
                plain.step(q, gradient(t, q));
                staggered.step(q2, gradient(t, q2));
            }
            // Block 0 (w rows 0-2, cols 0-2) refreshed at t = 3 in both; block 1 (cols 3-4) only in plain.
            for (int r = 0; r < 3; r++) {
                for (int col = 0; col < 3; col++) {
                    assertThat(q2[r * 5 + col]).isEqualTo(q[r * 5 + col]);
                }
            }
            boolean differs = false;
            for (int r = 0; r < 3; r++) {
                for (int col = 3; col < 5; col++) {
                    differs |= q2[r * 5 + col] != q[r * 5 + col];
                }
            }
            assertThat(differs).as("block 1 refreshes one step later when staggered").isTrue();
        }
    }

    @Test
    void diagnosticsDescribeEveryBlock() {
        CgdConfig c = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(3);
        try (Optimizer o = Optimizer.builder(LAYOUT).config(c).build()) {
            double[] q = start(39);
            o.step(q, gradient(1, q));
            var blocks = o.kroneckerBlocks();
            // w 7 × 5: rows 3, 3, 1 × cols 3, 2 = 6 blocks; b 1 × 4: 1 × 3 and 1 × 1.
            assertThat(blocks).hasSize(8);
            assertThat(blocks.get(0).rows()).isEqualTo(3);
            assertThat(blocks.get(0).leftEigenvalues()).hasSize(3);
            assertThat(blocks.get(0).leftEffectiveDimension()).isBetween(1.0, 3.0);
            assertThat(blocks.get(7).leftEigenvalues()).isEmpty();
            assertThat(blocks.get(7).rightEigenvalues()).isEmpty();
            assertThat(blocks.stream().mapToLong(b -> b.stateBytes()).sum()).isLessThan(o.stateBytes());
        }
        try (Optimizer plain = Optimizer.create(CgdConfig.adam(0.01, 0.9, 0.999, 1e-8), 5)) {
            assertThat(plain.kroneckerBlocks()).isEmpty();
        }
    }

    @Test
    void badConfigurationsAreRefused() {
        CgdConfig adam = CgdConfig.adam(0.01, 0.9, 0.999, 1e-8);
        assertThat(adam.withStructure(Structure.KRONECKER).refreshMode()).isEqualTo(org.cgd4j.engine.RefreshMode.TRACKED);
        assertThatThrownBy(() -> adam.withStructure(Structure.KRONECKER).withRefreshMode(org.cgd4j.engine.RefreshMode.STALE))
                .hasMessageContaining("STALE has no meaning for structure KRONECKER");
        assertThatThrownBy(() -> adam.withRefreshMode(org.cgd4j.engine.RefreshMode.QR)).hasMessageContaining("QR is a KRONECKER refresh");
        assertThatThrownBy(() -> adam.withBlockSize(0)).hasMessageContaining("blockSize must be >= 1, got 0");
    }
}
