package org.cgd4j.engine.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.SCALAR;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.SIZES;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.VECTOR;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.copies;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.randomDoubles;
import static org.cgd4j.engine.internal.kernel.KernelEquivalenceTest.randomFloats;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The training-loop terms (clipping scale, coupled L2, decoupled decay), the gradient offset of
 * row-sparse steps and the gradient norm's block squares: scalar and Vector API kernels bit for bit
 * on the size grid of {@link KernelEquivalenceTest}, every op and power kind, and each against its
 * definition (a plain step on the transformed inputs; the norm's accumulator contracts).
 */
class KernelTermsEquivalenceTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> configs() {
        return KernelEquivalenceTest.configs();
    }

    /** Random terms: a clipping scale in (0, 1], l2 zero or not, a decay just below 1. */
    static void randomTerms(StepCoefficients c, SplittableRandom r, boolean withL2) {
        c.terms(r.nextDouble(0.01, 1), withL2 ? r.nextDouble(1e-4, 0.1) : 0, 1 - r.nextDouble(1e-5, 1e-2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void termsAgreeAndMeanAPlainStepOnTransformedInputs(String name, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        StepCoefficients plain = new StepCoefficients(config);
        SplittableRandom r = new SplittableRandom(name.hashCode());
        for (int n : SIZES) {
            for (boolean withL2 : new boolean[] {false, true}) {
                c.prepare(5, 0.7);
                plain.prepare(5, 0.7);
                randomTerms(c, r, withL2);
                assertThat(c.flavour).isEqualTo(withL2 ? StepCoefficients.TERMS_L2 : StepCoefficients.TERMS);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment[] a = randomDoubles(arena, n, 5, n * 13L + (withL2 ? 1 : 0));
                    MemorySegment[] b = copies(arena, a);
                    MemorySegment[] e = copies(arena, a);
                    MemorySegment[] p = copies(arena, a);
                    double[] qa = a[0].toArray(JAVA_DOUBLE), ga = a[1].toArray(JAVA_DOUBLE);
                    SCALAR.step(c, a[0], a[1], a[2], a[3], a[4], 0, n);
                    VECTOR.step(c, b[0], b[1], b[2], b[3], b[4], 0, n);
                    VECTOR.step(c, qa, ga, e[2], e[3], e[4], 0, n);
                    // the definition: a plain step with g ← g·gradScale (+ q·l2) and q ← q·decay
                    for (int i = 0; i < n; i++) {
                        double q = p[0].getAtIndex(JAVA_DOUBLE, i), g = p[1].getAtIndex(JAVA_DOUBLE, i);
                        p[1].setAtIndex(JAVA_DOUBLE, i, withL2 ? g * c.gradScale + q * c.l2 : g * c.gradScale);
                        p[0].setAtIndex(JAVA_DOUBLE, i, q * c.decay);
                    }
                    SCALAR.step(plain, p[0], p[1], p[2], p[3], p[4], 0, n);
                    String what = name + " n=" + n + (withL2 ? " l2" : "");
                    for (int k : new int[] {0, 2, 3, 4}) {
                        assertThat(b[k].toArray(JAVA_DOUBLE)).as("%s vector %d", what, k).containsExactly(a[k].toArray(JAVA_DOUBLE));
                        assertThat(p[k].toArray(JAVA_DOUBLE)).as("%s definition %d", what, k).containsExactly(a[k].toArray(JAVA_DOUBLE));
                    }
                    for (int k : new int[] {2, 3, 4}) {
                        assertThat(e[k].toArray(JAVA_DOUBLE)).as("%s arrays %d", what, k).containsExactly(a[k].toArray(JAVA_DOUBLE));
                    }
                    assertThat(qa).as("%s arrays params", what).containsExactly(a[0].toArray(JAVA_DOUBLE));

                    MemorySegment[] f = randomFloats(arena, n, 5, n * 7L);
                    MemorySegment[] fb = copies(arena, f);
                    float[] qf = f[0].toArray(JAVA_FLOAT), gf = f[1].toArray(JAVA_FLOAT);
                    float[] qfb = qf.clone();
                    SCALAR.step(c, qf, gf, f[2], f[3], f[4], 0, n);
                    VECTOR.step(c, qfb, gf, fb[2], fb[3], fb[4], 0, n);
                    for (int k = 2; k < 5; k++) {
                        assertThat(fb[k].toArray(JAVA_FLOAT)).as("%s float state %d", what, k).containsExactly(f[k].toArray(JAVA_FLOAT));
                    }
                    assertThat(qfb).as("%s float params", what).containsExactly(qf);
                }
            }
        }
    }

    /** The TERMS loops at gradScale = 1, decay = 1 are the plain loops, bit for bit (×1 is exact); so is lrFactor = 1. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void neutralTermsReproduceThePlainStep(String name, CgdConfig config) {
        StepCoefficients plain = new StepCoefficients(config);
        StepCoefficients terms = new StepCoefficients(config);
        plain.prepare(9);
        terms.prepare(9, 1.0);
        assertThat(terms.stepScale).isEqualTo(plain.stepScale);
        terms.terms(1, 0, 1);
        assertThat(terms.flavour).isEqualTo(StepCoefficients.PLAIN);
        terms.flavour = StepCoefficients.TERMS; // run the TERMS loops with neutral values
        int n = 1021;
        for (DiagonalKernels k : new DiagonalKernels[] {SCALAR, VECTOR}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment[] a = randomDoubles(arena, n, 5, 3);
                a[1].setAtIndex(JAVA_DOUBLE, 0, -0.0); // −0 stays −0 through g·1
                MemorySegment[] b = copies(arena, a);
                k.step(plain, a[0], a[1], a[2], a[3], a[4], 0, n);
                k.step(terms, b[0], b[1], b[2], b[3], b[4], 0, n);
                for (int j : new int[] {0, 2, 3, 4}) {
                    assertThat(b[j].toArray(JAVA_DOUBLE)).as("%s %s %d", name, k.name(), j).containsExactly(a[j].toArray(JAVA_DOUBLE));
                }
                MemorySegment[] f = randomFloats(arena, n, 5, 4);
                MemorySegment[] fb = copies(arena, f);
                float[] qf = f[0].toArray(JAVA_FLOAT), qfb = qf.clone(), gf = f[1].toArray(JAVA_FLOAT);
                k.step(plain, qf, gf, f[2], f[3], f[4], 0, n);
                k.step(terms, qfb, gf, fb[2], fb[3], fb[4], 0, n);
                assertThat(qfb).as("%s %s float", name, k.name()).containsExactly(qf);
            }
        }
    }

    @Test
    void aScheduleFactorScalesTheStepAndTermsRefuseNonFiniteValues() {
        StepCoefficients c = new StepCoefficients(CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8));
        c.prepare(4, 0.25);
        double c1 = 1 - Math.pow(0.9, 4);
        assertThat(c.stepScale).isCloseTo((1e-3 * 0.25) / c1, org.assertj.core.data.Offset.offset(1e-18));
        c.terms(0.5, 0, 0.99);
        assertThatThrownBy(() -> c.terms(Double.NaN, 0, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gradScale = NaN");
        assertThatThrownBy(() -> c.terms(1, Double.POSITIVE_INFINITY, 1)).hasMessageContaining("l2 = Infinity");
        assertThat(c.gradScale).isEqualTo(0.5); // a refused call changes nothing
        assertThat(c.decay).isEqualTo(0.99);
        assertThat(c.flavour).isEqualTo(StepCoefficients.TERMS);
    }

    /** g read at i + gShift: the same step as a dense one whose gradient sits at i, for shifts either way. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void shiftedGradientsGiveTheDenseStep(String name, CgdConfig config) {
        StepCoefficients c = new StepCoefficients(config);
        c.prepare(3);
        int n = 1100;
        SplittableRandom r = new SplittableRandom(11);
        for (boolean terms : new boolean[] {false, true}) {
            if (terms) {
                randomTerms(c, r, true);
            }
            for (int[] range : new int[][] {{0, n}, {64, 128}, {1000, 1067}}) {
                int from = range[0], to = range[1], len = to - from;
                for (int packedAt : new int[] {0, 5, 900}) {
                    long shift = packedAt - from;
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment[] a = randomDoubles(arena, n, 5, from * 7L + packedAt);
                        MemorySegment[] b = copies(arena, a);
                        MemorySegment[] e = copies(arena, a);
                        MemorySegment packed = arena.allocate(JAVA_DOUBLE, packedAt + len);
                        MemorySegment.copy(a[1], JAVA_DOUBLE, (long) from * 8, packed, JAVA_DOUBLE, (long) packedAt * 8, len);
                        double[] packedArray = packed.toArray(JAVA_DOUBLE);
                        double[] qe = e[0].toArray(JAVA_DOUBLE);
                        SCALAR.step(c, a[0], a[1], a[2], a[3], a[4], from, to);
                        for (DiagonalKernels k : new DiagonalKernels[] {SCALAR, VECTOR}) {
                            MemorySegment[] bk = copies(arena, b);
                            k.step(c, bk[0], packed, shift, bk[2], bk[3], bk[4], from, to);
                            MemorySegment[] ek = copies(arena, e);
                            double[] qk = qe.clone();
                            k.step(c, qk, packedArray, shift, ek[2], ek[3], ek[4], from, to);
                            String what = name + " " + k.name() + " [" + from + ", " + to + ") g at " + packedAt + (terms ? " terms" : "");
                            for (int j : new int[] {0, 2, 3, 4}) {
                                assertThat(bk[j].toArray(JAVA_DOUBLE)).as("%s segment %d", what, j).containsExactly(a[j].toArray(JAVA_DOUBLE));
                            }
                            for (int j : new int[] {2, 3, 4}) {
                                assertThat(ek[j].toArray(JAVA_DOUBLE)).as("%s array state %d", what, j).containsExactly(a[j].toArray(JAVA_DOUBLE));
                            }
                            assertThat(qk).as("%s array params", what).containsExactly(a[0].toArray(JAVA_DOUBLE));
                        }
                        MemorySegment[] f = randomFloats(arena, n, 5, from + 3L * packedAt);
                        float[] qf = f[0].toArray(JAVA_FLOAT), gf = f[1].toArray(JAVA_FLOAT);
                        float[] packedF = new float[packedAt + len];
                        System.arraycopy(gf, from, packedF, packedAt, len);
                        MemorySegment[] fs = copies(arena, f);
                        float[] qs = qf.clone();
                        SCALAR.step(c, qf, gf, f[2], f[3], f[4], from, to);
                        VECTOR.step(c, qs, packedF, shift, fs[2], fs[3], fs[4], from, to);
                        for (int j = 2; j < 5; j++) {
                            assertThat(fs[j].toArray(JAVA_FLOAT)).as("%s float state %d", name, j).containsExactly(f[j].toArray(JAVA_FLOAT));
                        }
                        assertThat(qs).as("%s float params", name).containsExactly(qf);
                    }
                }
            }
        }
    }

    // ---- the gradient norm ----

    /** The contract written out: eight accumulators per 1024-element block, combined pairwise. */
    static double[] referenceBlocks(double[] g, int n) {
        double[] out = new double[DiagonalKernels.normBlocks(n)];
        for (int b = 0; b < out.length; b++) {
            double[] acc = new double[8];
            int start = b * DiagonalKernels.NORM_BLOCK;
            for (int i = start; i < Math.min(start + DiagonalKernels.NORM_BLOCK, n); i++) {
                acc[(i - start) % 8] += g[i] * g[i];
            }
            out[b] = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        }
        return out;
    }

    /**
     * The float contract written out: sixteen float accumulators per block (squares and sums in float),
     * combined pairwise in double.
     */
    static double[] referenceBlocks(float[] g, int n) {
        double[] out = new double[DiagonalKernels.normBlocks(n)];
        for (int b = 0; b < out.length; b++) {
            float[] acc = new float[16];
            int start = b * DiagonalKernels.NORM_BLOCK;
            for (int i = start; i < Math.min(start + DiagonalKernels.NORM_BLOCK, n); i++) {
                acc[(i - start) % 16] += g[i] * g[i];
            }
            double[] w = new double[16];
            for (int k = 0; k < 16; k++) {
                w[k] = acc[k];
            }
            out[b] = (((w[0] + w[1]) + (w[2] + w[3])) + ((w[4] + w[5]) + (w[6] + w[7])))
                    + (((w[8] + w[9]) + (w[10] + w[11])) + ((w[12] + w[13]) + (w[14] + w[15])));
        }
        return out;
    }

    static final int[] NORM_SIZES = {0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 1021, 1024, 1025, 2048, 4099, 5137, 8192, 70_001};

    @Test
    void blockSquaresFollowTheContractBitForBitOnEveryKernel() {
        for (int n : NORM_SIZES) {
            double[] d = new double[n];
            float[] f = new float[n];
            SplittableRandom r = new SplittableRandom(n);
            for (int i = 0; i < n; i++) {
                d[i] = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-8, 8));
                f[i] = (float) d[i];
            }
            double[] expected = referenceBlocks(d, n);
            double[] expectedF = referenceBlocks(f, n);
            int blocks = DiagonalKernels.normBlocks(n);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = arena.allocate(JAVA_DOUBLE, Math.max(n, 1));
                MemorySegment.copy(d, 0, seg, JAVA_DOUBLE, 0, n);
                MemorySegment fseg = arena.allocate(JAVA_FLOAT, Math.max(n, 1));
                MemorySegment.copy(f, 0, fseg, JAVA_FLOAT, 0, n);
                for (DiagonalKernels k : new DiagonalKernels[] {SCALAR, VECTOR}) {
                    String what = k.name() + " n=" + n;
                    double[] s1 = new double[blocks], s2 = new double[blocks], s3 = new double[blocks];
                    double[] s4 = new double[blocks], s5 = new double[blocks], s6 = new double[blocks];
                    k.squares(d, 0, n, s1);
                    k.squares(seg, 0, n, s2);
                    k.squares(f, 0, n, s3);
                    assertThat(k.firstNonFiniteSquares(d, 0, n, s4)).isEqualTo(-1);
                    assertThat(k.firstNonFiniteSquares(seg, 0, n, s5)).isEqualTo(-1);
                    assertThat(k.firstNonFiniteSquares(f, 0, n, s6)).isEqualTo(-1);
                    for (double[] s : new double[][] {s1, s2, s4, s5}) {
                        assertThat(s).as(what).containsExactly(expected);
                    }
                    assertThat(s3).as(what + " float").containsExactly(expectedF);
                    assertThat(s6).as(what + " float checked").containsExactly(expectedF);
                    double[] s7 = new double[blocks], s8 = new double[blocks];
                    k.squaresFloat(fseg, 0, n, s7);
                    assertThat(k.firstNonFiniteSquaresFloat(fseg, 0, n, s8)).isEqualTo(-1);
                    assertThat(s7).as(what + " float segment").containsExactly(expectedF);
                    assertThat(s8).as(what + " float segment checked").containsExactly(expectedF);
                    // chunks cut at multiples of the block give the same blocks, so the same norm
                    double[] chunked = new double[blocks];
                    long cut = Math.min(n, 2L * DiagonalKernels.NORM_BLOCK);
                    k.squares(d, 0, cut, chunked);
                    if (cut < n) {
                        k.squares(d, cut, n, chunked);
                    }
                    assertThat(chunked).as(what + " chunked").containsExactly(expected);
                    assertThat(DiagonalKernels.sumBlocks(chunked, blocks)).isEqualTo(DiagonalKernels.sumBlocks(expected, blocks));
                }
            }
        }
    }

    @Test
    void theFusedScanFindsTheFirstBadElementAsTheScanDoes() {
        for (int n : NORM_SIZES) {
            if (n == 0) {
                continue;
            }
            for (int bad : new int[] {0, n / 3, n / 2, n - 1}) {
                double[] d = new double[n];
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    d[i] = Math.sin(i);
                    f[i] = (float) d[i];
                }
                d[bad] = bad % 2 == 0 ? Double.NaN : Math.nextUp(DiagonalKernels.MAX_GRADIENT);
                f[bad] = bad % 2 == 0 ? Float.NEGATIVE_INFINITY : -Math.nextUp(DiagonalKernels.MAX_GRADIENT_FLOAT);
                d[n - 1] = Double.POSITIVE_INFINITY;
                f[n - 1] = Float.NaN;
                double[] sums = new double[DiagonalKernels.normBlocks(n)];
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment seg = arena.allocate(JAVA_DOUBLE, n);
                    MemorySegment.copy(d, 0, seg, JAVA_DOUBLE, 0, n);
                    for (DiagonalKernels k : new DiagonalKernels[] {SCALAR, VECTOR}) {
                        assertThat(k.firstNonFiniteSquares(d, 0, n, sums)).as("%s n=%d bad=%d", k.name(), n, bad).isEqualTo(bad);
                        assertThat(k.firstNonFiniteSquares(seg, 0, n, sums)).as("%s n=%d bad=%d", k.name(), n, bad).isEqualTo(bad);
                        assertThat(k.firstNonFiniteSquares(f, 0, n, sums)).as("%s n=%d bad=%d float", k.name(), n, bad).isEqualTo(bad);
                    }
                }
            }
        }
    }

    @Test
    void aNormPassMustStartAtABlock() {
        double[] sums = new double[4];
        for (DiagonalKernels k : new DiagonalKernels[] {SCALAR, VECTOR}) {
            assertThatThrownBy(() -> k.squares(new double[4000], 64, 4000, sums))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 1024, got 64");
            assertThatThrownBy(() -> k.firstNonFiniteSquares(new float[4000], 1, 4000, sums))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(WorkerPool.chunkStart(100_000, 7, 3, DiagonalKernels.NORM_BLOCK) % DiagonalKernels.NORM_BLOCK).isZero();
    }
}
