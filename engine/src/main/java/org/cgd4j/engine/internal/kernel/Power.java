package org.cgd4j.engine.internal.kernel;

/**
 * x^a for x ≥ 0 and a &gt; 0, as exp(a·log x), written so that the Vector API twin
 * ({@code PanamaPower}) can run the very same operations lane by lane: only +, −, ×, ÷, FMA, bit
 * moves on the IEEE encoding and selects, no table lookups, no 64-bit arithmetic shifts or
 * long→double conversions (AVX2 has neither). Both sides round every operation identically, so
 * the scalar and vector kernels agree bit for bit at every power.
 *
 * <p>Why not {@link Math#pow}: its lane-wise counterpart in the Vector API falls back to a scalar
 * call per lane on AVX2 (~200 ns per element on JDK 25), 10–20× the cost of the whole Adam step.
 *
 * <p>Method: x = 2^k·m with m in [√½, √2); log m from fdlibm's atanh-series minimax polynomial
 * (Lg1–Lg7), kept as an unevaluated sum hi + lo so that a·log x carries ~2^−60 relative error
 * into the exponential; exp(y) = 2^n·e^r with |r| ≤ ln2/2 and a degree-13 Taylor polynomial (Estrin's scheme);
 * 2^n applied as two factors so that results beyond the normal range under- and overflow to
 * 0 and ∞ the way pow does. Accuracy: within 1 ulp of {@link Math#pow} in double and of the
 * correctly rounded float in single precision on the ranges the tests sweep (PowerTest).
 *
 * <p>Special inputs: x = 0 gives 0, x = +∞ gives +∞, NaN gives NaN (a &gt; 0). Negative x is
 * never passed (the kernels take max(x, 0) + ε).
 */
public final class Power {
    private Power() {
    }

    // ---- double ----

    /** The bits of √½: adding the difference to the bias moves the mantissa into [√½, √2). */
    static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;
    static final long MANTISSA_OFFSET = 0x3ff0000000000000L - SQRT_HALF_BITS;
    static final long MANTISSA_MASK = 0x000fffffffffffffL;
    /** 2^52 as bits: OR-ing a small exponent e into it gives the double 2^52 + e. */
    static final long TWO_52_BITS = 0x4330000000000000L;
    static final double TWO_52_PLUS_BIAS = 0x1p52 + 1023;
    /** Adding 1.5·2^52 rounds |v| &lt; 2^51 to an integer that can be read from the low bits. */
    static final double ROUND = 0x1.8p52;
    static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    /** Subnormal inputs are scaled by 2^54 first so that their exponent field is meaningful. */
    static final double SUBNORMAL_SCALE = 0x1p54;
    static final double SUBNORMAL_SHIFT = 54;
    /** ln 2 split so that k·LN2_HI is exact for |k| &lt; 2^21 (fdlibm's split). */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    static final double INV_LN2 = 1.44269504088896338700e+00;
    /** |a·log x| beyond this under- or overflows anyway; clamping keeps 2^n's halves encodable. */
    static final double EXP_LIMIT = 1400;
    // log(1+f) = f − hfsq + s·(hfsq + R(s²)), s = f/(2+f): fdlibm e_log.c's minimax R.
    static final double LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01,
            LG3 = 2.857142874366239149e-01, LG4 = 2.222219843214978396e-01,
            LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01,
            LG7 = 1.479819860511658591e-01;
    // e^r = 1 + r + r²·(1/2! + r/3! + … + r^11/13!): Taylor, |r| ≤ 0.35 leaves &lt; 5e-18.
    static final double E2 = 1.0 / 2, E3 = E2 / 3, E4 = E3 / 4, E5 = E4 / 5, E6 = E5 / 6, E7 = E6 / 7,
            E8 = E7 / 8, E9 = E8 / 9, E10 = E9 / 10, E11 = E10 / 11, E12 = E11 / 12, E13 = E12 / 13;

    /** x^a for x ≥ 0 (or NaN) and finite a &gt; 0. */
    public static double pow(double x, double a) {
        // x = 2^k · m, m in [√½, √2)
        boolean subnormal = x < Double.MIN_NORMAL;
        long bits = Double.doubleToRawLongBits(subnormal ? x * SUBNORMAL_SCALE : x);
        long shifted = bits + MANTISSA_OFFSET;
        double m = Double.longBitsToDouble((shifted & MANTISSA_MASK) + SQRT_HALF_BITS);
        double k = Double.longBitsToDouble((shifted >>> 52) | TWO_52_BITS) - TWO_52_PLUS_BIAS;
        k = subnormal ? k - SUBNORMAL_SHIFT : k;

        // log x = hi + lo
        double f = m - 1;
        double s = f / (2 + f);
        double z = s * s;
        double w = z * z;
        double odd = w * Math.fma(w, Math.fma(w, LG6, LG4), LG2);
        double even = z * Math.fma(w, Math.fma(w, Math.fma(w, LG7, LG5), LG3), LG1);
        double hfsq = 0.5 * f * f;
        double tail = Math.fma(s, hfsq + (even + odd), Math.fma(k, LN2_LO, -hfsq));
        double kHi = k * LN2_HI;
        double hi = kHi + f;
        double lo = (f - (hi - kHi)) + tail;

        // y = a·log x, again as yHi + yLo
        double aHi = a * hi;
        double aLo = Math.fma(a, lo, Math.fma(a, hi, -aHi));
        // renormalised (|aHi| ≥ |aLo|), so that n below is the nearest integer to y/ln2 and |r| ≤ ln2/2
        double yHi = aHi + aLo;
        double yLo = aLo - (yHi - aHi);
        yHi = yHi > EXP_LIMIT ? EXP_LIMIT : yHi < -EXP_LIMIT ? -EXP_LIMIT : yHi; // selects: cheaper than min/max in SIMD

        // e^y = 2^n · e^r
        double nRounded = Math.fma(yHi, INV_LN2, ROUND);
        double n = nRounded - ROUND;
        long nBits = Double.doubleToRawLongBits(nRounded) - ROUND_BITS;
        double r = Math.fma(-n, LN2_LO, Math.fma(-n, LN2_HI, yHi)) + yLo;
        // Estrin's scheme: a quarter of Horner's dependency chain, which bounds the vector loop
        double r2 = r * r;
        double r4 = r2 * r2;
        double q0 = Math.fma(Math.fma(E5, r, E4), r2, Math.fma(E3, r, E2));
        double q1 = Math.fma(Math.fma(E9, r, E8), r2, Math.fma(E7, r, E6));
        double q2 = Math.fma(Math.fma(E13, r, E12), r2, Math.fma(E11, r, E10));
        double p = Math.fma(q2, r4 * r4, Math.fma(q1, r4, q0));
        double expR = 1 + Math.fma(r2, p, r);
        // 2^n as 2^n1 · 2^n2 with n1 = ⌊n/2⌋, n2 = n − n1, both within the normal exponents
        long n1 = ((nBits + 2048) >>> 1) - 1024;
        long n2 = nBits - n1;
        double result = expR * Double.longBitsToDouble((n1 + 1023) << 52) * Double.longBitsToDouble((n2 + 1023) << 52);
        return x > 0 && x < Double.POSITIVE_INFINITY ? result : x;
    }

    // ---- float: the same method with float constants and shorter polynomials ----

    static final int SQRT_HALF_BITS_F = 0x3f3504f3;
    static final int MANTISSA_OFFSET_F = 0x3f800000 - SQRT_HALF_BITS_F;
    static final int MANTISSA_MASK_F = 0x007fffff;
    static final int TWO_23_BITS_F = 0x4b000000;
    static final float TWO_23_PLUS_BIAS_F = 0x1p23f + 127;
    static final float ROUND_F = 0x1.8p23f;
    static final int ROUND_BITS_F = Float.floatToRawIntBits(ROUND_F);
    static final float SUBNORMAL_SCALE_F = 0x1p24f;
    static final float SUBNORMAL_SHIFT_F = 24;
    /** ln 2 to 16 bits, so that k·LN2_HI_F is exact for every float exponent k (|k| &lt; 2^8). */
    static final float LN2_HI_F = Float.intBitsToFloat(Float.floatToRawIntBits((float) Math.log(2)) & 0xffffff00);
    static final float LN2_LO_F = (float) (Math.log(2) - LN2_HI_F);
    static final float INV_LN2_F = (float) (1 / Math.log(2));
    static final float EXP_LIMIT_F = 170;
    // R(z) = 2z/3 + 2z²/5 + … + 2z^5/11 (Taylor of 2·atanh; z ≤ 0.03 leaves &lt; 2e-11)
    static final float LF1 = 2f / 3, LF2 = 2f / 5, LF3 = 2f / 7, LF4 = 2f / 9, LF5 = 2f / 11;
    static final float F2 = 1f / 2, F3 = 1f / 6, F4 = 1f / 24, F5 = 1f / 120, F6 = 1f / 720, F7 = 1f / 5040,
            F8 = 1f / 40320;

    /** x^a in single precision for x ≥ 0 (or NaN) and finite a &gt; 0. */
    public static float pow(float x, float a) {
        boolean subnormal = x < Float.MIN_NORMAL;
        int bits = Float.floatToRawIntBits(subnormal ? x * SUBNORMAL_SCALE_F : x);
        int shifted = bits + MANTISSA_OFFSET_F;
        float m = Float.intBitsToFloat((shifted & MANTISSA_MASK_F) + SQRT_HALF_BITS_F);
        float k = Float.intBitsToFloat((shifted >>> 23) | TWO_23_BITS_F) - TWO_23_PLUS_BIAS_F;
        k = subnormal ? k - SUBNORMAL_SHIFT_F : k;

        float f = m - 1;
        float s = f / (2 + f);
        float z = s * s;
        float poly = z * Math.fma(z, Math.fma(z, Math.fma(z, Math.fma(z, LF5, LF4), LF3), LF2), LF1);
        float hfsq = 0.5f * f * f;
        float tail = Math.fma(s, hfsq + poly, Math.fma(k, LN2_LO_F, -hfsq));
        float kHi = k * LN2_HI_F;
        float hi = kHi + f;
        float lo = (f - (hi - kHi)) + tail;

        float aHi = a * hi;
        float aLo = Math.fma(a, lo, Math.fma(a, hi, -aHi));
        float yHi = aHi + aLo;
        float yLo = aLo - (yHi - aHi);
        yHi = yHi > EXP_LIMIT_F ? EXP_LIMIT_F : yHi < -EXP_LIMIT_F ? -EXP_LIMIT_F : yHi;

        float nRounded = Math.fma(yHi, INV_LN2_F, ROUND_F);
        float n = nRounded - ROUND_F;
        int nBits = Float.floatToRawIntBits(nRounded) - ROUND_BITS_F;
        float r = Math.fma(-n, LN2_LO_F, Math.fma(-n, LN2_HI_F, yHi)) + yLo;
        float r2 = r * r;
        float q0 = Math.fma(Math.fma(F5, r, F4), r2, Math.fma(F3, r, F2));
        float q1 = Math.fma(F8, r2, Math.fma(F7, r, F6));
        float p = Math.fma(q1, r2 * r2, q0);
        float expR = 1 + Math.fma(r2, p, r);
        int n1 = ((nBits + 256) >>> 1) - 128;
        int n2 = nBits - n1;
        float result = expR * Float.intBitsToFloat((n1 + 127) << 23) * Float.intBitsToFloat((n2 + 127) << 23);
        return x > 0 && x < Float.POSITIVE_INFINITY ? result : x;
    }
}
