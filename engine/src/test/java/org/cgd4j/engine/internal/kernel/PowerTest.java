package org.cgd4j.engine.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Power} against {@link StrictMath#pow} (fdlibm: within 1 ulp of the exact value) and
 * against its lane-wise twin {@link PanamaPower}, which must agree bit for bit on every input,
 * specials included.
 *
 * <p>Stated accuracy: at most {@value #DOUBLE_ULPS} ulp from StrictMath.pow in double, at most {@value #FLOAT_ULPS} ulp from the float nearest to the exact
 * value in single precision, for normal results; subnormal results within
 * {@value #SUBNORMAL_ULPS} ulp (their last bits are rounded twice).
 */
class PowerTest {
    static final double DOUBLE_ULPS = 1;
    static final double FLOAT_ULPS = 1;
    static final double SUBNORMAL_ULPS = 2;
    static final double[] POWERS = {0.3, 0.75, 1.7, 0.01, 2.5, 1.0 / 3, 0.499999, 3.9};
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Log-uniform over every binade, plus a dense band around 1 where Adam's X̂ usually lives. */
    static double[] doubleInputs(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[40_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 2 == 0
                    ? Math.scalb(1 + r.nextDouble(), r.nextInt(-1074, 1024))
                    : Math.exp(r.nextDouble(-40, 40));
        }
        return x;
    }

    static float[] floatInputs(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[40_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 2 == 0
                    ? Math.scalb(1 + r.nextFloat(), r.nextInt(-149, 128))
                    : (float) Math.exp(r.nextDouble(-20, 20));
        }
        return x;
    }

    @ParameterizedTest(name = "a = {0}")
    @ValueSource(doubles = {0.3, 0.75, 1.7, 0.01, 2.5, 0.3333333333333333, 0.499999, 3.9})
    void doubleIsWithinOneUlpOfFdlibm(double a) {
        double[] x = doubleInputs(Double.doubleToLongBits(a));
        for (double xi : x) {
            double expected = StrictMath.pow(xi, a);
            double actual = Power.pow(xi, a);
            if (Double.isInfinite(expected) || expected == 0) {
                assertThat(actual).as("%s^%s", xi, a).isEqualTo(expected);
                continue;
            }
            double ulps = Math.abs(actual - expected) / Math.ulp(expected);
            double limit = Math.abs(expected) < Double.MIN_NORMAL ? SUBNORMAL_ULPS : DOUBLE_ULPS;
            assertThat(ulps).as("%s^%s = %s, fdlibm %s", xi, a, actual, expected).isLessThanOrEqualTo(limit);
        }
    }

    @ParameterizedTest(name = "a = {0}")
    @ValueSource(floats = {0.3f, 0.75f, 1.7f, 0.01f, 2.5f, 0.33333334f, 0.4999f, 3.9f})
    void floatIsWithinOneUlpOfTheRoundedResult(float a) {
        float[] x = floatInputs(Float.floatToIntBits(a));
        for (float xi : x) {
            // the double result is far more accurate than a float ulp: its rounding is the reference
            float expected = (float) StrictMath.pow(xi, a);
            float actual = Power.pow(xi, a);
            if (Float.isInfinite(expected)) {
                assertThat(actual).as("%s^%s", xi, a).isEqualTo(expected);
                continue;
            }
            if (expected == 0) { // at the underflow edge the last subnormal may round either way
                assertThat(actual).as("%s^%s", xi, a).isBetween(0f, Float.MIN_VALUE);
                continue;
            }
            float ulps = Math.abs(actual - expected) / Math.ulp(expected);
            double limit = Math.abs(expected) < Float.MIN_NORMAL ? SUBNORMAL_ULPS : FLOAT_ULPS;
            assertThat(ulps).as("%s^%s = %s, expected %s", xi, a, actual, expected).isLessThanOrEqualTo((float) limit);
        }
    }

    @Test
    void specialInputs() {
        for (double a : POWERS) {
            assertThat(Power.pow(0.0, a)).isEqualTo(0.0);
            assertThat(Power.pow(Double.POSITIVE_INFINITY, a)).isEqualTo(Double.POSITIVE_INFINITY);
            assertThat(Power.pow(Double.NaN, a)).isNaN();
            assertThat(Power.pow(1.0, a)).isEqualTo(1.0);
            assertThat(Power.pow(0.0f, (float) a)).isEqualTo(0.0f);
            assertThat(Power.pow(Float.POSITIVE_INFINITY, (float) a)).isEqualTo(Float.POSITIVE_INFINITY);
            assertThat(Power.pow(Float.NaN, (float) a)).isNaN();
            assertThat(Power.pow(1.0f, (float) a)).isEqualTo(1.0f);
        }
        // exact powers of two stay exact: 4^1.5 = 8, (2^-1060)^0.5 = 2^-530 from a subnormal input
        assertThat(Power.pow(4.0, 1.5)).isEqualTo(8.0);
        assertThat(Power.pow(0x1p-1060, 0.25)).isEqualTo(0x1p-265);
        assertThat(Power.pow(0x1p-140f, 0.25f)).isEqualTo(0x1p-35f);
        // far beyond the exponent range: saturate as pow does
        assertThat(Power.pow(Double.MAX_VALUE, 3.9)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Power.pow(Double.MIN_VALUE, 3.9)).isEqualTo(0.0);
        assertThat(Power.pow(Float.MAX_VALUE, 3.9f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Power.pow(Float.MIN_VALUE, 3.9f)).isEqualTo(0.0f);
    }

    @Test
    void vectorTwinIsBitIdenticalInDouble() {
        double[] x = withSpecials(doubleInputs(7));
        int n = D.loopBound(x.length);
        for (double a : POWERS) {
            double[] powers = Arrays.copyOf(x, n);
            PanamaPower.pow(powers, new double[n], new double[n], n, a);
            for (int i = 0; i < n; i++) {
                double scalar = Power.pow(x[i], a);
                assertThat(Double.doubleToRawLongBits(powers[i])).as("%s^%s: vector %s, scalar %s", x[i], a, powers[i], scalar)
                        .isEqualTo(Double.doubleToRawLongBits(scalar));
            }
        }
    }

    @Test
    void vectorTwinIsBitIdenticalInFloat() {
        float[] x = withSpecials(floatInputs(7));
        int n = F.loopBound(x.length);
        for (double a : POWERS) {
            float[] powers = Arrays.copyOf(x, n);
            PanamaPower.pow(powers, new float[n], new float[n], n, (float) a);
            for (int i = 0; i < n; i++) {
                float scalar = Power.pow(x[i], (float) a);
                assertThat(Float.floatToRawIntBits(powers[i])).as("%s^%s: vector %s, scalar %s", x[i], a, powers[i], scalar)
                        .isEqualTo(Float.floatToRawIntBits(scalar));
            }
        }
    }

    static double[] withSpecials(double[] x) {
        double[] specials = {0.0, -0.0, Double.MIN_VALUE, 0x1p-1060, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
            1, Math.nextUp(1.0), Math.nextDown(1.0), Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN};
        System.arraycopy(specials, 0, x, 1, specials.length);
        return x;
    }

    static float[] withSpecials(float[] x) {
        float[] specials = {0.0f, -0.0f, Float.MIN_VALUE, 0x1p-140f, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL),
            1, Math.nextUp(1.0f), Math.nextDown(1.0f), Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN};
        System.arraycopy(specials, 0, x, 1, specials.length);
        return x;
    }
}
