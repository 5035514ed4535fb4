package org.cgd4j.engine.internal.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.cgd4j.engine.internal.kernel.generated.PanamaArrayLoops;
import org.cgd4j.engine.internal.kernel.generated.PanamaFloatLoops;
import org.cgd4j.engine.internal.kernel.generated.PanamaSegmentLoops;

/**
 * Vector API kernels over the preferred species: the entry over the generated scans, step drivers
 * and fused loops ({@link PanamaSegmentLoops}, {@link PanamaArrayLoops}, {@link PanamaFloatLoops},
 * written by tools/kernelgen/KernelGen.java). These classes, with {@link PanamaDenominator} and
 * {@link PanamaPower}, are the only ones that link against {@code jdk.incubator.vector};
 * {@link KernelLookup} loads this one by name. Every generated loop comes from the same op
 * description as its scalar twin (no FMA outside the power) and hands its tail (fewer than one
 * vector) to that twin, so both give bit-identical results at every power ({@link PanamaPower}
 * mirrors {@link Power} the same way). Heap and native data have separate loops: a Vector API load
 * site that sees both falls off its intrinsic (~100× slower).
 */
final class PanamaDiagonalKernels implements DiagonalKernels {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int DL = D.length();
    private static final int FL = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    PanamaDiagonalKernels() {
        if (D.vectorBitSize() < 128) {
            throw new UnsupportedOperationException("the preferred vector is only " + D.vectorBitSize()
                    + " bits wide; SIMD would not beat scalar code");
        }
    }

    @Override public String name() { return "vector"; }
    @Override public int doubleLanes() { return DL; }
    @Override public int floatLanes() { return FL; }

    @Override
    public long firstNonFinite(MemorySegment g, long from, long to) {
        return PanamaSegmentLoops.firstNonFinite(g, from, to);
    }

    @Override
    public long firstNonFinite(double[] g, long from, long to) {
        return PanamaArrayLoops.firstNonFinite(g, from, to);
    }

    @Override
    public long firstNonFinite(float[] g, long from, long to) {
        return PanamaFloatLoops.firstNonFinite(g, from, to);
    }

    @Override
    public void step(StepCoefficients c, MemorySegment q, MemorySegment g, long gShift, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        PanamaSegmentLoops.step(c, q, g, gShift, m, s, mu, from, to);
    }

    @Override
    public long firstNonFiniteSquares(MemorySegment g, long from, long to, double[] blockSums) {
        return PanamaSegmentLoops.firstNonFiniteSquares(g, from, to, blockSums);
    }

    @Override
    public void squares(MemorySegment g, long from, long to, double[] blockSums) {
        PanamaSegmentLoops.squares(g, from, to, blockSums);
    }

    @Override
    public void step(StepCoefficients c, double[] q, double[] g, long gShift, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        PanamaArrayLoops.step(c, q, g, gShift, m, s, mu, from, to);
    }

    @Override
    public long firstNonFiniteSquares(double[] g, long from, long to, double[] blockSums) {
        return PanamaArrayLoops.firstNonFiniteSquares(g, from, to, blockSums);
    }

    @Override
    public void squares(double[] g, long from, long to, double[] blockSums) {
        PanamaArrayLoops.squares(g, from, to, blockSums);
    }

    @Override
    public void step(StepCoefficients c, float[] q, float[] g, long gShift, MemorySegment m, MemorySegment s,
                     MemorySegment mu, long from, long to) {
        PanamaFloatLoops.step(c, q, g, gShift, m, s, mu, from, to);
    }

    @Override
    public long firstNonFiniteSquares(float[] g, long from, long to, double[] blockSums) {
        return PanamaFloatLoops.firstNonFiniteSquares(g, from, to, blockSums);
    }

    @Override
    public void squares(float[] g, long from, long to, double[] blockSums) {
        PanamaFloatLoops.squares(g, from, to, blockSums);
    }

    @Override
    public void average(MemorySegment avg, MemorySegment g, double beta, double oneMinusBeta, long from, long to) {
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector.fromMemorySegment(D, avg, i << 3, ORDER).mul(beta)
                    .add(DoubleVector.fromMemorySegment(D, g, i << 3, ORDER).mul(oneMinusBeta))
                    .intoMemorySegment(avg, i << 3, ORDER);
        }
        ScalarDiagonalKernels.averageRange(avg, g, beta, oneMinusBeta, i, to);
    }

    @Override
    public void subtractScaled(MemorySegment q, MemorySegment p, double scale, long from, long to) {
        long i = from;
        for (long bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector.fromMemorySegment(D, q, i << 3, ORDER)
                    .sub(DoubleVector.fromMemorySegment(D, p, i << 3, ORDER).mul(scale))
                    .intoMemorySegment(q, i << 3, ORDER);
        }
        ScalarDiagonalKernels.subtractScaledRange(q, p, scale, i, to);
    }
}
