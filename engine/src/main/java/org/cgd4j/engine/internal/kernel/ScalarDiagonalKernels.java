package org.cgd4j.engine.internal.kernel;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import org.cgd4j.engine.internal.kernel.generated.ScalarArrayLoops;
import org.cgd4j.engine.internal.kernel.generated.ScalarFloatLoops;
import org.cgd4j.engine.internal.kernel.generated.ScalarSegmentLoops;

/**
 * Plain Java kernels: the reference twin of the Vector API kernels and the fallback when
 * {@code jdk.incubator.vector} is absent. The fused loops are generated (package
 * {@code generated}, by tools/kernelgen/KernelGen.java) from the same op descriptions as their
 * Vector API twins, which hand their tails to them, so both evaluate every element with the same
 * operations in the same order (products and sums exactly as written, never fused).
 */
public final class ScalarDiagonalKernels implements DiagonalKernels {

    @Override public String name() { return "scalar"; }
    @Override public int doubleLanes() { return 1; }
    @Override public int floatLanes() { return 1; }

    @Override
    public long firstNonFinite(MemorySegment g, long from, long to) {
        return ScalarSegmentLoops.firstNonFinite(g, from, to);
    }

    @Override
    public long firstNonFinite(double[] g, long from, long to) {
        return ScalarArrayLoops.firstNonFinite(g, from, to);
    }

    @Override
    public long firstNonFinite(float[] g, long from, long to) {
        return ScalarFloatLoops.firstNonFinite(g, from, to);
    }

    @Override
    public void step(StepCoefficients c, MemorySegment q, MemorySegment g, long gShift, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        ScalarSegmentLoops.step(c, q, g, gShift, m, s, mu, from, to);
    }

    @Override
    public long firstNonFiniteSquares(MemorySegment g, long from, long to, double[] blockSums) {
        return ScalarSegmentLoops.firstNonFiniteSquares(g, from, to, blockSums);
    }

    @Override
    public void squares(MemorySegment g, long from, long to, double[] blockSums) {
        ScalarSegmentLoops.squares(g, from, to, blockSums);
    }

    @Override
    public void step(StepCoefficients c, double[] q, double[] g, long gShift, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        ScalarArrayLoops.step(c, q, g, gShift, m, s, mu, from, to);
    }

    @Override
    public long firstNonFiniteSquares(double[] g, long from, long to, double[] blockSums) {
        return ScalarArrayLoops.firstNonFiniteSquares(g, from, to, blockSums);
    }

    @Override
    public void squares(double[] g, long from, long to, double[] blockSums) {
        ScalarArrayLoops.squares(g, from, to, blockSums);
    }

    @Override
    public void step(StepCoefficients c, float[] q, float[] g, long gShift, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        ScalarFloatLoops.step(c, q, g, gShift, m, s, mu, from, to);
    }

    @Override
    public long firstNonFiniteSquares(float[] g, long from, long to, double[] blockSums) {
        return ScalarFloatLoops.firstNonFiniteSquares(g, from, to, blockSums);
    }

    @Override
    public void squares(float[] g, long from, long to, double[] blockSums) {
        ScalarFloatLoops.squares(g, from, to, blockSums);
    }

    @Override
    public void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        averageRange(avg, g, beta, oneMinusBeta, from, to);
    }

    @Override
    public void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        subtractScaledRange(q, p, scale, from, to);
    }

    static void averageRange(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        for (long i = from; i < to; i++) {
            avg.setAtIndex(JAVA_DOUBLE, i, avg.getAtIndex(JAVA_DOUBLE, i) * beta + g.getAtIndex(JAVA_DOUBLE, i) * oneMinusBeta);
        }
    }

    static void subtractScaledRange(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        for (long i = from; i < to; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - p.getAtIndex(JAVA_DOUBLE, i) * scale);
        }
    }

    /** (ε + max(x, 0))^a + ε': the denominator of f in SPEC step 4. */
    public static double denominator(StepCoefficients c, double x) {
        double base = c.epsilon + Math.max(x, 0);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> Math.sqrt(base) + c.epsilonOutside;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutside;
            case StepCoefficients.POWER_ZERO -> 1 + c.epsilonOutside;
            default -> Power.pow(base, c.power) + c.epsilonOutside;
        };
    }

    /** The float denominator: sqrt evaluated in double and rounded once (so exactly), the general power in float. */
    public static float denominator(StepCoefficients c, float x) {
        float base = c.epsilonF + Math.max(x, 0f);
        return switch (c.powerKind) {
            case StepCoefficients.POWER_SQRT -> (float) Math.sqrt(base) + c.epsilonOutsideF;
            case StepCoefficients.POWER_ONE -> base + c.epsilonOutsideF;
            case StepCoefficients.POWER_ZERO -> 1f + c.epsilonOutsideF;
            default -> Power.pow(base, c.powerF) + c.epsilonOutsideF;
        };
    }
}
