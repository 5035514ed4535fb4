package org.cgd4j.engine.internal.checkpoint;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;

/**
 * A minimal OptimizerBase for format tests that do not depend on the real engines: two slices of d
 * doubles ("m", "s") and, for FULL configs, one of d² doubles ("S"), so that structure and
 * dimension change the layout as they do in the real optimizers.
 */
final class FakeOptimizer extends OptimizerBase {
    private final List<StateSlice> slices;

    FakeOptimizer(CgdConfig config, int dimension) {
        super(config, dimension);
        MemorySegment m = arena.allocate((long) dimension * Double.BYTES, 8);
        MemorySegment s = arena.allocate((long) dimension * Double.BYTES, 8);
        slices = switch (config.structure()) {
            case DIAGONAL, KRONECKER -> List.of(new StateSlice("m", m), new StateSlice("s", s));
            case FULL -> List.of(new StateSlice("m", m),
                    new StateSlice("S", arena.allocate((long) dimension * dimension * Double.BYTES, 8)));
        };
    }

    /** The reader's factory: an empty fake shaped by the checkpoint's config and dimension. */
    static FakeOptimizer of(CheckpointHeader header) {
        return new FakeOptimizer(header.config(), header.dimension());
    }

    /** Fills every slice with values derived from {@code seed}, and sets the counters. */
    FakeOptimizer scramble(long seed, long steps, long skipped) {
        java.util.Random r = new java.util.Random(seed);
        for (StateSlice s : slices) {
            for (long i = 0; i < s.segment().byteSize() / 8; i++) {
                s.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, i, r.nextGaussian());
            }
        }
        restoreCounters(steps, skipped);
        return this;
    }

    /** Simulates another thread inside step(). */
    void holdGuard() { enter(); }

    void releaseGuard() { exit(); }

    @Override public void step(double[] params, double[] grads) { throw new UnsupportedOperationException(); }
    @Override public void step(float[] params, float[] grads) { throw new UnsupportedOperationException(); }
    @Override public void step(MemorySegment params, MemorySegment grads) { throw new UnsupportedOperationException(); }
    @Override public double[] eigenvalues() { throw new UnsupportedOperationException(); }
    @Override public int clampedEigenvalues() { throw new UnsupportedOperationException(); }
    @Override public double effectiveDimension() { throw new UnsupportedOperationException(); }

    @Override
    public long stateBytes() {
        long n = 0;
        for (StateSlice s : slices) {
            n += s.segment().byteSize();
        }
        return n;
    }

    @Override public List<StateSlice> stateSlices() { return slices; }
}
