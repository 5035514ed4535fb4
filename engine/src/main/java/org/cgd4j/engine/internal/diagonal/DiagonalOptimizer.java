package org.cgd4j.engine.internal.diagonal;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.OptimizerBase;

/** Placeholder until the diagonal engine lands. */
public final class DiagonalOptimizer extends OptimizerBase {
    public DiagonalOptimizer(CgdConfig config, int dimension) {
        super(config, dimension);
        throw new UnsupportedOperationException("diagonal structure not implemented yet");
    }

    @Override public void step(double[] params, double[] grads) { throw new UnsupportedOperationException(); }
    @Override public void step(float[] params, float[] grads) { throw new UnsupportedOperationException(); }
    @Override public void step(MemorySegment params, MemorySegment grads) { throw new UnsupportedOperationException(); }
    @Override public double[] eigenvalues() { throw new UnsupportedOperationException(); }
    @Override public int clampedEigenvalues() { throw new UnsupportedOperationException(); }
    @Override public double effectiveDimension() { throw new UnsupportedOperationException(); }
    @Override public long stateBytes() { return 0; }
    @Override public java.util.List<org.cgd4j.engine.internal.StateSlice> stateSlices() { return java.util.List.of(); }
    @Override public void save(Path path) { throw new UnsupportedOperationException(); }
}
