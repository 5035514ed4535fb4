package org.cgd4j.engine.internal.kernel;

import static org.cgd4j.engine.internal.kernel.Power.*;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Power} lane by lane: every line mirrors the scalar line of the same name, operation for
 * operation (the same FMAs, the same association), so both round identically. Loaded only
 * through the generated Vector API loops (generated.PanamaKernels).
 *
 * <p>Shaped for C2 and for the out-of-order core. x^a is ~90 vector operations on one long
 * dependency chain. Inlined into a kernel loop they exceed C2's inlining node budget
 * (NodeCountInliningCutoff), and a helper that then fails to inline gets its vectors boxed, ~40×
 * slower and allocating; called once per vector out of line, the chain leaves the core idle
 * (~11 ns per double). So powers are taken a block at a time over heap arrays, in two loops
 * (log, then exp), each a method of its own that C2 compiles with every Vector API call
 * intrinsified: the iterations of a loop are independent, so the core overlaps them (~5 ns per
 * double). The kernels collect a block's bases, call {@link #pow(double[], double[], double[], int, double)},
 * then finish the block.
 */
public final class PanamaPower {
    private PanamaPower() {
    }

    private static final VectorSpecies<Double> D = KernelSpecies.DOUBLE;
    private static final VectorSpecies<Float> F = KernelSpecies.FLOAT;
    private static final VectorSpecies<Long> L = D.withLanes(long.class);
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);

    // Every constant as a ready vector: a scalar argument (mul(double), fma(double, double)) is
    // broadcast anew at each use, which costs C2 IR nodes and compile time for nothing.
    private static final DoubleVector MIN_NORMAL = d(Double.MIN_NORMAL), INFINITY = d(Double.POSITIVE_INFINITY),
            ZERO = d(0), ONE = d(1), TWO = d(2), HALF = d(0.5), SCALE = d(SUBNORMAL_SCALE), SHIFT = d(SUBNORMAL_SHIFT),
            BIAS = d(TWO_52_PLUS_BIAS), VLN2_HI = d(LN2_HI), VLN2_LO = d(LN2_LO), VINV_LN2 = d(INV_LN2),
            VROUND = d(ROUND), LIMIT = d(EXP_LIMIT), MINUS_LIMIT = d(-EXP_LIMIT),
            VLG1 = d(LG1), VLG2 = d(LG2), VLG3 = d(LG3), VLG4 = d(LG4), VLG5 = d(LG5), VLG6 = d(LG6), VLG7 = d(LG7),
            VE2 = d(E2), VE3 = d(E3), VE4 = d(E4), VE5 = d(E5), VE6 = d(E6), VE7 = d(E7), VE8 = d(E8), VE9 = d(E9),
            VE10 = d(E10), VE11 = d(E11), VE12 = d(E12), VE13 = d(E13);
    private static final LongVector OFFSET = LongVector.broadcast(L, MANTISSA_OFFSET),
            MASK = LongVector.broadcast(L, MANTISSA_MASK), HALF_BITS = LongVector.broadcast(L, SQRT_HALF_BITS),
            TWO_52 = LongVector.broadcast(L, TWO_52_BITS), VROUND_BITS = LongVector.broadcast(L, ROUND_BITS),
            N_OFFSET = LongVector.broadcast(L, 2048), N_HALF_OFFSET = LongVector.broadcast(L, 1024),
            EXPONENT_BIAS = LongVector.broadcast(L, 1023);
    private static final FloatVector MIN_NORMAL_F = f(Float.MIN_NORMAL), INFINITY_F = f(Float.POSITIVE_INFINITY),
            ZERO_F = f(0), ONE_F = f(1), TWO_F = f(2), HALF_F = f(0.5f), SCALE_F = f(SUBNORMAL_SCALE_F),
            SHIFT_F = f(SUBNORMAL_SHIFT_F), BIAS_F = f(TWO_23_PLUS_BIAS_F), VLN2_HI_F = f(LN2_HI_F),
            VLN2_LO_F = f(LN2_LO_F), VINV_LN2_F = f(INV_LN2_F), VROUND_F = f(ROUND_F), LIMIT_F = f(EXP_LIMIT_F),
            MINUS_LIMIT_F = f(-EXP_LIMIT_F), VLF1 = f(LF1), VLF2 = f(LF2), VLF3 = f(LF3), VLF4 = f(LF4), VLF5 = f(LF5),
            VF2 = f(F2), VF3 = f(F3), VF4 = f(F4), VF5 = f(F5), VF6 = f(F6), VF7 = f(F7), VF8 = f(F8);
    private static final IntVector OFFSET_F = IntVector.broadcast(I, MANTISSA_OFFSET_F),
            MASK_F = IntVector.broadcast(I, MANTISSA_MASK_F), HALF_BITS_F = IntVector.broadcast(I, SQRT_HALF_BITS_F),
            TWO_23 = IntVector.broadcast(I, TWO_23_BITS_F), VROUND_BITS_F = IntVector.broadcast(I, ROUND_BITS_F),
            N_OFFSET_F = IntVector.broadcast(I, 256), N_HALF_OFFSET_F = IntVector.broadcast(I, 128),
            EXPONENT_BIAS_F = IntVector.broadcast(I, 127);

    private static DoubleVector d(double v) {
        return DoubleVector.broadcast(D, v);
    }

    private static FloatVector f(float v) {
        return FloatVector.broadcast(F, v);
    }

    /**
     * x[j] ← x[j]^a for j &lt; n, a multiple of the double lanes; hi and lo are scratch of at least n
     * (log x times a, as an unevaluated sum, between the two loops).
     */
    public static void pow(double[] x, double[] hi, double[] lo, int n, double a) {
        scaledLog(x, hi, lo, n, a);
        exp(x, hi, lo, n);
    }

    /** The float twin of {@link #pow(double[], double[], double[], int, double)}. */
    public static void pow(float[] x, float[] hi, float[] lo, int n, float a) {
        scaledLog(x, hi, lo, n, a);
        exp(x, hi, lo, n);
    }

    // The two halves of Power.pow, each mirroring its scalar lines. n is a multiple of the lanes.

    /** his[j] + los[j] ← a·log xs[j], clamped as Power.pow clamps it. */
    private static void scaledLog(double[] xs, double[] his, double[] los, int count, double power) {
        DoubleVector a = DoubleVector.broadcast(D, power);
        for (int j = 0; j < count; j += D.length()) {
            DoubleVector x = DoubleVector.fromArray(D, xs, j);
            // x = 2^k · m, m in [√½, √2)
            VectorMask<Double> subnormal = x.compare(LT, MIN_NORMAL);
            LongVector shifted = x.blend(x.mul(SCALE), subnormal).viewAsIntegralLanes().add(OFFSET);
            DoubleVector m = shifted.and(MASK).add(HALF_BITS).viewAsFloatingLanes();
            DoubleVector k = shifted.lanewise(LSHR, 52).or(TWO_52).viewAsFloatingLanes().sub(BIAS);
            k = k.blend(k.sub(SHIFT), subnormal);

            // log x = hi + lo
            DoubleVector f = m.sub(ONE);
            DoubleVector s = f.div(f.add(TWO));
            DoubleVector z = s.mul(s);
            DoubleVector w = z.mul(z);
            DoubleVector odd = w.mul(w.fma(w.fma(VLG6, VLG4), VLG2));
            DoubleVector even = z.mul(w.fma(w.fma(w.fma(VLG7, VLG5), VLG3), VLG1));
            DoubleVector hfsq = f.mul(HALF).mul(f);
            DoubleVector tail = s.fma(hfsq.add(even.add(odd)), k.fma(VLN2_LO, hfsq.neg()));
            DoubleVector kHi = k.mul(VLN2_HI);
            DoubleVector hi = kHi.add(f);
            DoubleVector lo = f.sub(hi.sub(kHi)).add(tail);

            // y = a·log x = yHi + yLo
            DoubleVector aHi = hi.mul(a);
            DoubleVector aLo = lo.fma(a, hi.fma(a, aHi.neg()));
            DoubleVector yHi = aHi.add(aLo);
            DoubleVector yLo = aLo.sub(yHi.sub(aHi));
            yHi = yHi.blend(LIMIT, yHi.compare(GT, LIMIT)).blend(MINUS_LIMIT, yHi.compare(LT, MINUS_LIMIT));
            yHi.intoArray(his, j);
            yLo.intoArray(los, j);
        }
    }

    /** xs[j] ← e^(his[j] + los[j]) where xs[j] is positive and finite; 0, +∞ and NaN stay. */
    private static void exp(double[] xs, double[] his, double[] los, int count) {
        for (int j = 0; j < count; j += D.length()) {
            DoubleVector yHi = DoubleVector.fromArray(D, his, j);
            DoubleVector yLo = DoubleVector.fromArray(D, los, j);
            // e^y = 2^n · e^r
            DoubleVector nRounded = yHi.fma(VINV_LN2, VROUND);
            DoubleVector minusN = nRounded.sub(VROUND).neg();
            DoubleVector r = minusN.fma(VLN2_LO, minusN.fma(VLN2_HI, yHi)).add(yLo);
            DoubleVector r2 = r.mul(r);
            DoubleVector r4 = r2.mul(r2);
            DoubleVector q0 = VE5.fma(r, VE4).fma(r2, VE3.fma(r, VE2));
            DoubleVector q1 = VE9.fma(r, VE8).fma(r2, VE7.fma(r, VE6));
            DoubleVector q2 = VE13.fma(r, VE12).fma(r2, VE11.fma(r, VE10));
            DoubleVector p = q2.fma(r4.mul(r4), q1.fma(r4, q0));
            DoubleVector expR = r2.fma(p, r).add(ONE);
            LongVector n = nRounded.viewAsIntegralLanes().sub(VROUND_BITS);
            LongVector n1 = n.add(N_OFFSET).lanewise(LSHR, 1).sub(N_HALF_OFFSET);
            LongVector n2 = n.sub(n1);
            DoubleVector result = expR.mul(n1.add(EXPONENT_BIAS).lanewise(LSHL, 52).viewAsFloatingLanes())
                    .mul(n2.add(EXPONENT_BIAS).lanewise(LSHL, 52).viewAsFloatingLanes());
            DoubleVector x = DoubleVector.fromArray(D, xs, j);
            x.blend(result, x.compare(GT, ZERO).and(x.compare(LT, INFINITY))).intoArray(xs, j);
        }
    }

    private static void scaledLog(float[] xs, float[] his, float[] los, int count, float power) {
        FloatVector a = FloatVector.broadcast(F, power);
        for (int j = 0; j < count; j += F.length()) {
            FloatVector x = FloatVector.fromArray(F, xs, j);
            VectorMask<Float> subnormal = x.compare(LT, MIN_NORMAL_F);
            IntVector shifted = x.blend(x.mul(SCALE_F), subnormal).viewAsIntegralLanes().add(OFFSET_F);
            FloatVector m = shifted.and(MASK_F).add(HALF_BITS_F).viewAsFloatingLanes();
            FloatVector k = shifted.lanewise(LSHR, 23).or(TWO_23).viewAsFloatingLanes().sub(BIAS_F);
            k = k.blend(k.sub(SHIFT_F), subnormal);

            FloatVector f = m.sub(ONE_F);
            FloatVector s = f.div(f.add(TWO_F));
            FloatVector z = s.mul(s);
            FloatVector poly = z.mul(z.fma(z.fma(z.fma(z.fma(VLF5, VLF4), VLF3), VLF2), VLF1));
            FloatVector hfsq = f.mul(HALF_F).mul(f);
            FloatVector tail = s.fma(hfsq.add(poly), k.fma(VLN2_LO_F, hfsq.neg()));
            FloatVector kHi = k.mul(VLN2_HI_F);
            FloatVector hi = kHi.add(f);
            FloatVector lo = f.sub(hi.sub(kHi)).add(tail);

            FloatVector aHi = hi.mul(a);
            FloatVector aLo = lo.fma(a, hi.fma(a, aHi.neg()));
            FloatVector yHi = aHi.add(aLo);
            FloatVector yLo = aLo.sub(yHi.sub(aHi));
            yHi = yHi.blend(LIMIT_F, yHi.compare(GT, LIMIT_F)).blend(MINUS_LIMIT_F, yHi.compare(LT, MINUS_LIMIT_F));
            yHi.intoArray(his, j);
            yLo.intoArray(los, j);
        }
    }

    private static void exp(float[] xs, float[] his, float[] los, int count) {
        for (int j = 0; j < count; j += F.length()) {
            FloatVector yHi = FloatVector.fromArray(F, his, j);
            FloatVector yLo = FloatVector.fromArray(F, los, j);
            FloatVector nRounded = yHi.fma(VINV_LN2_F, VROUND_F);
            FloatVector minusN = nRounded.sub(VROUND_F).neg();
            FloatVector r = minusN.fma(VLN2_LO_F, minusN.fma(VLN2_HI_F, yHi)).add(yLo);
            FloatVector r2 = r.mul(r);
            FloatVector q0 = VF5.fma(r, VF4).fma(r2, VF3.fma(r, VF2));
            FloatVector q1 = VF8.fma(r2, VF7.fma(r, VF6));
            FloatVector p = q1.fma(r2.mul(r2), q0);
            FloatVector expR = r2.fma(p, r).add(ONE_F);
            IntVector n = nRounded.viewAsIntegralLanes().sub(VROUND_BITS_F);
            IntVector n1 = n.add(N_OFFSET_F).lanewise(LSHR, 1).sub(N_HALF_OFFSET_F);
            IntVector n2 = n.sub(n1);
            FloatVector result = expR.mul(n1.add(EXPONENT_BIAS_F).lanewise(LSHL, 23).viewAsFloatingLanes())
                    .mul(n2.add(EXPONENT_BIAS_F).lanewise(LSHL, 23).viewAsFloatingLanes());
            FloatVector x = FloatVector.fromArray(F, xs, j);
            x.blend(result, x.compare(GT, ZERO_F).and(x.compare(LT, INFINITY_F))).intoArray(xs, j);
        }
    }
}
