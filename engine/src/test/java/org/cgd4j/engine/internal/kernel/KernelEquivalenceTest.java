package org.cgd4j.engine.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalar and the Vector API kernels side by side in one JVM, on sizes around every vector
 * width (as Lucene tests its vectorization), for every op, power kind and precision. Both sides
 * round every operation identically (FMA only inside the general power, on both sides the same),
 * so params and state must be bit-identical, the general power a included.
 */
class KernelEquivalenceTest {
    static final int[] SIZES = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 1021, 4099};
    static final DiagonalKernels SCALAR = KernelLookup.scalar();
    static final DiagonalKernels VECTOR = KernelLookup.vector();

    static Stream<Arguments> configs() {
        CgdConfig adam = CgdConfig.adam(0.1, 0.9, 0.999, 1e-8);
        List<Arguments> list = new ArrayList<>();
        List<CgdConfig> base = List.of(
                CgdConfig.sgd(0.1),
                CgdConfig.momentum(0.1, 0.9),
                CgdConfig.rmsprop(0.1, 0.99, 1e-8),
                CgdConfig.rmspropCentered(0.1, 0.99, 1e-8),
                adam,
                adam.withMetric(Metric.COVARIANCE).withEpsilon(1e-6),
                adam.withMetric(Metric.COVARIANCE).withCovarianceMean(CovarianceMean.FORCE).withEpsilon(1e-6),
                CgdConfig.adabelief(0.1, 0.9, 0.999, 1e-8));
        for (CgdConfig c : base) {
            if (c.metric() == Metric.NONE) {
                list.add(Arguments.of(KernelOp.of(c) + " a=-", c));
                continue;
            }
            for (double a : new double[] {0.5, 0, 1, 0.3, 0.75, 1.7, 0.01}) {
                list.add(Arguments.of(KernelOp.of(c) + " a=" + a, c.withPower(a).withEpsilon(Math.max(c.epsilon(), 1e-9))));
            }
            // ε = 0 (ε' keeps the denominator positive): the power meets exact zeros and subnormals
            list.add(Arguments.of(KernelOp.of(c) + " a=0.3 ε=0", c.withPower(0.3).withEpsilon(0).withEpsilonOutside(1e-8)));
        }
        return list.stream();
    }

    @Test
    void vectorKernelsAreActiveWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector: a silent fallback would hide a broken lookup
        assertThat(ModuleLayer.boot().findModule("jdk.incubator.vector")).isPresent();
        assertThat(KernelLookup.kernels().name()).isEqualTo("vector");
        assertThat(VECTOR.doubleLanes()).isGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void doubleKernelsAgree(String name, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        for (int n : SIZES) {
            for (long t : new long[] {1, 50}) {
                c.prepare(t);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment[] a = randomDoubles(arena, n, 5, n * 31L + t);
                    MemorySegment[] b = copies(arena, a);
                    MemorySegment[] c2 = copies(arena, a);
                    double[] qa = a[0].toArray(JAVA_DOUBLE), ga = a[1].toArray(JAVA_DOUBLE);
                    SCALAR.step(c, a[0], a[1], a[2], a[3], a[4], 0, n);
                    VECTOR.step(c, b[0], b[1], b[2], b[3], b[4], 0, n);
                    VECTOR.step(c, qa, ga, c2[2], c2[3], c2[4], 0, n);
                    for (int k = 2; k < 5; k++) {
                        assertThat(c2[k].toArray(JAVA_DOUBLE)).as("%s n=%d state %d (arrays)", name, n, k)
                                .containsExactly(a[k].toArray(JAVA_DOUBLE));
                    }
                    assertThat(qa).as("%s (arrays) n=%d t=%d params", name, n, t).containsExactly(a[0].toArray(JAVA_DOUBLE));
                    for (int k = 2; k < 5; k++) {
                        assertThat(b[k].toArray(JAVA_DOUBLE)).as("%s n=%d state %d", name, n, k)
                                .containsExactly(a[k].toArray(JAVA_DOUBLE));
                    }
                    assertThat(b[0].toArray(JAVA_DOUBLE)).as("%s n=%d t=%d params", name, n, t)
                            .containsExactly(a[0].toArray(JAVA_DOUBLE));
                }
            }
        }
    }

    /**
     * Sub-ranges, as the worker pool hands them out: unaligned starts, ranges over several of the
     * general power's 256-element blocks and a partial last block. Elements outside stay untouched.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void subRangesAgree(String name, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        c.prepare(7);
        int n = 4099;
        for (int[] range : new int[][] {{5, n - 3}, {257, 1800}, {300, 300}, {1, 9}}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] a = randomDoubles(arena, n, 5, range[0]);
                MemorySegment[] b = copies(arena, a);
                MemorySegment[] c2 = copies(arena, a);
                double[] qa = a[0].toArray(JAVA_DOUBLE), ga = a[1].toArray(JAVA_DOUBLE);
                SCALAR.step(c, a[0], a[1], a[2], a[3], a[4], range[0], range[1]);
                VECTOR.step(c, b[0], b[1], b[2], b[3], b[4], range[0], range[1]);
                VECTOR.step(c, qa, ga, c2[2], c2[3], c2[4], range[0], range[1]);
                String what = name + " [" + range[0] + ", " + range[1] + ")";
                for (int k = 0; k < 5; k++) {
                    assertThat(b[k].toArray(JAVA_DOUBLE)).as("%s array %d", what, k).containsExactly(a[k].toArray(JAVA_DOUBLE));
                }
                for (int k = 2; k < 5; k++) {
                    assertThat(c2[k].toArray(JAVA_DOUBLE)).as("%s state %d (arrays)", what, k).containsExactly(a[k].toArray(JAVA_DOUBLE));
                }
                assertThat(qa).as("%s params (arrays)", what).containsExactly(a[0].toArray(JAVA_DOUBLE));

                MemorySegment[] f = randomFloats(arena, n, 5, range[1]);
                MemorySegment[] fb = copies(arena, f);
                float[] qf = f[0].toArray(JAVA_FLOAT), gf = f[1].toArray(JAVA_FLOAT);
                float[] qfb = qf.clone(), gfb = gf.clone();
                SCALAR.step(c, qf, gf, f[2], f[3], f[4], range[0], range[1]);
                VECTOR.step(c, qfb, gfb, fb[2], fb[3], fb[4], range[0], range[1]);
                for (int k = 2; k < 5; k++) {
                    assertThat(fb[k].toArray(JAVA_FLOAT)).as("%s float state %d", what, k).containsExactly(f[k].toArray(JAVA_FLOAT));
                }
                assertThat(qfb).as("%s float params", what).containsExactly(qf);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void floatKernelsAgree(String name, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        for (int n : SIZES) {
            c.prepare(3);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] a = randomFloats(arena, n, 5, n * 17L);
                MemorySegment[] b = copies(arena, a);
                float[] qa = a[0].toArray(JAVA_FLOAT), ga = a[1].toArray(JAVA_FLOAT);
                float[] qb = qa.clone(), gb = ga.clone();
                SCALAR.step(c, qa, ga, a[2], a[3], a[4], 0, n);
                VECTOR.step(c, qb, gb, b[2], b[3], b[4], 0, n);
                for (int k = 2; k < 5; k++) {
                    assertThat(b[k].toArray(JAVA_FLOAT)).as("%s n=%d state %d", name, n, k)
                            .containsExactly(a[k].toArray(JAVA_FLOAT));
                }
                assertThat(qb).as("%s n=%d params", name, n).containsExactly(qa);
            }
        }
    }

    /**
     * The vector clamp max(x, 0) is a compare and blend ("x < 0 ? 0 : x"), not Java's max: it must
     * still agree with the scalar kernels where the two could part, namely on negative, signed-zero
     * and NaN metric values (state from a foreign checkpoint) and with ε = −0.
     */
    @Test
    void clampAgreesOnNegativeZeroAndNaNState() {
        double[] states = {-1, -0.0, 0, Double.NaN, -Double.MIN_VALUE, 1e-300, -1e-300, 2, -3e-9};
        CgdConfig adam = CgdConfig.adam(0.1, 0.9, 0.999, 1e-8);
        List<CgdConfig> ops = List.of(adam, adam.withMetric(Metric.COVARIANCE),
                adam.withMetric(Metric.COVARIANCE).withCovarianceMean(CovarianceMean.FORCE), CgdConfig.adabelief(0.1, 0.9, 0.999, 1e-8));
        int n = 4 * states.length + 5;
        for (CgdConfig op : ops) {
            for (double eps : new double[] {-0.0, 0, 1e-8}) {
                for (double a : new double[] {0.5, 1, 0, 0.3}) {
                    CgdConfig config = op.withEpsilon(eps).withEpsilonOutside(1e-8).withPower(a);
                    StepCoefficients c = new StepCoefficients(config);
                    c.prepare(2);
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment[] d = new MemorySegment[5];
                        MemorySegment[] f = new MemorySegment[5];
                        for (int k = 0; k < 5; k++) {
                            d[k] = arena.allocate(JAVA_DOUBLE, n);
                            f[k] = arena.allocate(JAVA_FLOAT, n);
                            for (int i = 0; i < n; i++) {
                                double v = k == 1 ? (i % 3 == 0 ? 0.0 : i % 3 == 1 ? -0.0 : 1e-5 * i)
                                        : k == 0 ? 1 : states[(i + k) % states.length];
                                d[k].setAtIndex(JAVA_DOUBLE, i, v);
                                f[k].setAtIndex(JAVA_FLOAT, i, (float) v);
                            }
                        }
                        MemorySegment[] d2 = copies(arena, d);
                        MemorySegment[] f2 = copies(arena, f);
                        SCALAR.step(c, d[0], d[1], d[2], d[3], d[4], 0, n);
                        VECTOR.step(c, d2[0], d2[1], d2[2], d2[3], d2[4], 0, n);
                        float[] qa = f[0].toArray(JAVA_FLOAT), ga = f[1].toArray(JAVA_FLOAT);
                        float[] qb = qa.clone();
                        SCALAR.step(c, qa, ga, f[2], f[3], f[4], 0, n);
                        VECTOR.step(c, qb, ga, f2[2], f2[3], f2[4], 0, n);
                        String name = KernelOp.of(config) + " ε=" + eps + " a=" + a;
                        for (int k : new int[] {0, 2, 3, 4}) {
                            assertThat(d2[k].toArray(JAVA_DOUBLE)).as("%s double %d", name, k).containsExactly(d[k].toArray(JAVA_DOUBLE));
                        }
                        assertThat(qb).as("%s float params", name).containsExactly(qa);
                        for (int k : new int[] {2, 3, 4}) {
                            assertThat(f2[k].toArray(JAVA_FLOAT)).as("%s float %d", name, k).containsExactly(f[k].toArray(JAVA_FLOAT));
                        }
                    }
                }
            }
        }
    }

    /** RMSProp's ops, plain and centered, neither read nor write m: a NaN-filled m stays NaN and the step stays finite. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rmspropConfigs")
    void rmspropLeavesTheForceSliceAlone(KernelOp op, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        assertThat(c.op).isEqualTo(op);
        int n = 1021;
        for (DiagonalKernels k : List.of(SCALAR, VECTOR)) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] a = randomDoubles(arena, n, 5, 7);
                a[2].elements(JAVA_DOUBLE).forEach(e -> e.set(JAVA_DOUBLE, 0, Double.NaN));
                k.step(c, a[0], a[1], a[2], a[3], a[4], 0, n);
                assertThat(java.util.Arrays.stream(a[2].toArray(JAVA_DOUBLE))).as(k.name()).allMatch(v -> Double.isNaN(v));
                assertThat(java.util.Arrays.stream(a[0].toArray(JAVA_DOUBLE))).as(k.name()).allMatch(v -> Double.isFinite(v));
                MemorySegment[] f = randomFloats(arena, n, 5, 7);
                f[2].elements(JAVA_FLOAT).forEach(e -> e.set(JAVA_FLOAT, 0, Float.NaN));
                float[] q = f[0].toArray(JAVA_FLOAT);
                k.step(c, q, f[1].toArray(JAVA_FLOAT), f[2], f[3], f[4], 0, n);
                assertThat(f[2].toArray(JAVA_FLOAT)).as(k.name()).containsOnly(Float.NaN);
                for (float v : q) {
                    assertThat(Float.isFinite(v)).as(k.name()).isTrue();
                }
            }
        }
    }

    static Stream<Arguments> rmspropConfigs() {
        return Stream.of(Arguments.of(KernelOp.RMSPROP, CgdConfig.rmsprop(0.1, 0.99, 1e-8)),
                Arguments.of(KernelOp.RMSPROP_CENTERED, CgdConfig.rmspropCentered(0.1, 0.99, 1e-8)));
    }

    @Test
    void scansRefuseGradientsWhoseSquareWouldOverflow() {
        for (int n : SIZES) {
            if (n == 0) {
                continue;
            }
            double[] d = new double[n];
            float[] f = new float[n];
            java.util.Arrays.fill(d, -DiagonalKernels.MAX_GRADIENT);
            java.util.Arrays.fill(f, DiagonalKernels.MAX_GRADIENT_FLOAT);
            assertThat(VECTOR.firstNonFinite(d, 0, n)).isEqualTo(SCALAR.firstNonFinite(d, 0, n)).isEqualTo(-1);
            assertThat(VECTOR.firstNonFinite(f, 0, n)).isEqualTo(SCALAR.firstNonFinite(f, 0, n)).isEqualTo(-1);
            int bad = n / 2;
            d[bad] = Math.nextUp(DiagonalKernels.MAX_GRADIENT);
            f[bad] = -Math.nextUp(DiagonalKernels.MAX_GRADIENT_FLOAT);
            assertThat(VECTOR.firstNonFinite(d, 0, n)).isEqualTo(SCALAR.firstNonFinite(d, 0, n)).isEqualTo(bad);
            assertThat(VECTOR.firstNonFinite(f, 0, n)).isEqualTo(SCALAR.firstNonFinite(f, 0, n)).isEqualTo(bad);
        }
    }

    @Test
    void nonFiniteScansAgree() {
        for (int n : SIZES) {
            if (n == 0) {
                continue;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment d = randomDoubles(arena, n, 1, n)[0];
                MemorySegment f = randomFloats(arena, n, 1, n)[0];
                assertThat(VECTOR.firstNonFinite(d, 0, n)).isEqualTo(-1);
                assertThat(VECTOR.firstNonFinite(f.toArray(JAVA_FLOAT), 0, n)).isEqualTo(-1);
                assertThat(VECTOR.firstNonFinite(d.toArray(JAVA_DOUBLE), 0, n)).isEqualTo(-1);
                for (int bad : new int[] {0, n / 2, n - 1}) {
                    MemorySegment d2 = arena.allocate(d.byteSize(), 8).copyFrom(d);
                    MemorySegment f2 = arena.allocate(f.byteSize(), 4).copyFrom(f);
                    d2.setAtIndex(JAVA_DOUBLE, bad, bad % 2 == 0 ? Double.NaN : Double.NEGATIVE_INFINITY);
                    d2.setAtIndex(JAVA_DOUBLE, n - 1, Double.POSITIVE_INFINITY);
                    f2.setAtIndex(JAVA_FLOAT, bad, Float.NaN);
                    assertThat(VECTOR.firstNonFinite(d2, 0, n)).isEqualTo(SCALAR.firstNonFinite(d2, 0, n)).isEqualTo(bad);
                    assertThat(VECTOR.firstNonFinite(d2.toArray(JAVA_DOUBLE), 0, n)).isEqualTo(bad);
                    assertThat(VECTOR.firstNonFinite(f2.toArray(JAVA_FLOAT), 0, n))
                            .isEqualTo(SCALAR.firstNonFinite(f2.toArray(JAVA_FLOAT), 0, n)).isEqualTo(bad);
                }
            }
        }
    }

    /**
     * Long ranges are scanned as one upward stream (up to the scan's LOCKSTEP_FROM, 2^18) or as four
     * interleaved quarters (beyond): a bad element anywhere, also two, is found first-first. Each n is
     * four quarters of whole vectors, a vector remainder and a tail, for every species.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {70_001, 300_001})
    void longScansFindTheFirstBadElement(int n) {
        double[] d = new double[n];
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = Math.sin(i) * 1e3;
            f[i] = (float) d[i];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(JAVA_DOUBLE, n);
            MemorySegment.copy(d, 0, seg, JAVA_DOUBLE, 0, n);
            assertThat(VECTOR.firstNonFinite(d, 0, n)).isEqualTo(-1);
            assertThat(VECTOR.firstNonFinite(f, 0, n)).isEqualTo(-1);
            assertThat(VECTOR.firstNonFinite(seg, 0, n)).isEqualTo(-1);
            assertThat(VECTOR.firstNonFinite(d, 5, n - 3)).isEqualTo(-1);
            int q = n / 4;
            int[] bads = {0, 1, q - 1, q, q + 3, 2 * q - 7, 2 * q + 1, 3 * q, 3 * q + 9, 4 * q - 9, n - 12, n - 1};
            for (int bad : bads) {
                for (int second : new int[] {-1, n - 1, bad / 2}) {
                    double[] d2 = d.clone();
                    float[] f2 = f.clone();
                    d2[bad] = bad % 2 == 0 ? Double.NaN : Double.NEGATIVE_INFINITY;
                    f2[bad] = bad % 3 == 0 ? Float.POSITIVE_INFINITY : -Math.nextUp(DiagonalKernels.MAX_GRADIENT_FLOAT);
                    if (second >= 0) {
                        d2[second] = Double.POSITIVE_INFINITY;
                        f2[second] = Float.NaN;
                    }
                    long first = second >= 0 ? Math.min(bad, second) : bad;
                    MemorySegment seg2 = arena.allocate(JAVA_DOUBLE, n);
                    MemorySegment.copy(d2, 0, seg2, JAVA_DOUBLE, 0, n);
                    assertThat(VECTOR.firstNonFinite(d2, 0, n)).as("double[] bad %d, %d", bad, second).isEqualTo(first);
                    assertThat(VECTOR.firstNonFinite(seg2, 0, n)).as("segment bad %d, %d", bad, second).isEqualTo(first);
                    assertThat(VECTOR.firstNonFinite(f2, 0, n)).as("float[] bad %d, %d", bad, second).isEqualTo(first);
                    // a sub-range that starts after the first bad element sees only what lies inside it
                    long inside = first + 1 < n ? SCALAR.firstNonFinite(d2, first + 1, n) : -1;
                    assertThat(VECTOR.firstNonFinite(d2, first + 1, n)).isEqualTo(inside);
                }
            }
        }
    }

    /**
     * Cache-sized ranges are scanned by groups of four consecutive vectors, the rest one at a time, and
     * the last d mod L elements as one vector that overlaps the loop's last: a bad element at every
     * position of ranges around those boundaries (and of sub-ranges off zero) is found, and found first
     * when a second one follows it.
     */
    @Test
    void everyBadPositionOfAShortScanIsFound() {
        for (int n : new int[] {15, 16, 17, 63, 64, 65, 100, 129, 200, 257}) {
            double[] d = new double[n];
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                d[i] = Math.sin(i) * 1e3;
                f[i] = (float) d[i];
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment dSeg = arena.allocate(JAVA_DOUBLE, n);
                MemorySegment fSeg = arena.allocate(JAVA_FLOAT, n);
                for (int from : new int[] {0, 3}) {
                    for (int bad = 0; bad < n; bad++) {
                        double[] d2 = d.clone();
                        float[] f2 = f.clone();
                        d2[bad] = bad % 2 == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
                        f2[bad] = bad % 3 == 0 ? Float.NaN : -Math.nextUp(DiagonalKernels.MAX_GRADIENT_FLOAT);
                        d2[n - 1] = f2[n - 1] = Float.NEGATIVE_INFINITY;
                        MemorySegment.copy(d2, 0, dSeg, JAVA_DOUBLE, 0, n);
                        MemorySegment.copy(f2, 0, fSeg, JAVA_FLOAT, 0, n);
                        long first = bad >= from ? bad : n - 1;
                        assertThat(VECTOR.firstNonFinite(d2, from, n)).as("double[] %d bad %d", n, bad).isEqualTo(first);
                        assertThat(VECTOR.firstNonFinite(f2, from, n)).as("float[] %d bad %d", n, bad).isEqualTo(first);
                        assertThat(VECTOR.firstNonFinite(dSeg, from, n)).as("segment %d bad %d", n, bad).isEqualTo(first);
                        assertThat(VECTOR.firstNonFiniteFloat(fSeg, from, n)).as("float segment %d bad %d", n, bad)
                                .isEqualTo(first);
                        // without the last element's infinity, only the one bad element (if inside) is left
                        assertThat(VECTOR.firstNonFinite(d2, from, n - 1)).isEqualTo(bad >= from && bad < n - 1 ? bad : -1);
                        assertThat(VECTOR.firstNonFinite(f2, from, n - 1)).isEqualTo(bad >= from && bad < n - 1 ? bad : -1);
                    }
                }
            }
        }
    }

    @Test
    void averageAndSubtractScaledAgree() {
        for (int n : SIZES) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] a = randomDoubles(arena, n, 2, n);
                MemorySegment[] b = copies(arena, a);
                SCALAR.average(a[0], a[1], 0.9, 0.1, 0, n);
                VECTOR.average(b[0], b[1], 0.9, 0.1, 0, n);
                SCALAR.subtractScaled(a[1], a[0], 0.3, 0, n);
                VECTOR.subtractScaled(b[1], b[0], 0.3, 0, n);
                assertThat(b[0].toArray(JAVA_DOUBLE)).containsExactly(a[0].toArray(JAVA_DOUBLE));
                assertThat(b[1].toArray(JAVA_DOUBLE)).containsExactly(a[1].toArray(JAVA_DOUBLE));
            }
        }
    }

    /** q, g, m, s (non-negative), μ: magnitudes spread over several decades, as real gradients are. */
    static MemorySegment[] randomDoubles(Arena arena, int n, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MemorySegment[] out = new MemorySegment[count];
        for (int k = 0; k < count; k++) {
            out[k] = arena.allocate(JAVA_DOUBLE, Math.max(n, 1));
            for (int i = 0; i < n; i++) {
                double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-6, 3));
                out[k].setAtIndex(JAVA_DOUBLE, i, k == 3 ? v * v : v);
            }
        }
        return out;
    }

    static MemorySegment[] randomFloats(Arena arena, int n, int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        MemorySegment[] out = new MemorySegment[count];
        for (int k = 0; k < count; k++) {
            out[k] = arena.allocate(JAVA_FLOAT, Math.max(n, 1));
            for (int i = 0; i < n; i++) {
                float v = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-3, 2)));
                out[k].setAtIndex(JAVA_FLOAT, i, k == 3 ? v * v : v);
            }
        }
        return out;
    }

    static MemorySegment[] copies(Arena arena, MemorySegment[] a) {
        MemorySegment[] out = new MemorySegment[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = arena.allocate(a[k].byteSize(), 8).copyFrom(a[k]);
        }
        return out;
    }

}
