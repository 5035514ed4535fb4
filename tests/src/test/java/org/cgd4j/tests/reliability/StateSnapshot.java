package org.cgd4j.tests.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;

/**
 * Everything an optimizer holds (counters and every state slice, byte for byte, through the
 * checkpoint contract {@link OptimizerBase#stateSlices()}), plus a copy of the caller's params, so
 * that a refused call can be shown to have changed nothing.
 */
record StateSnapshot(long steps, long skipped, List<String> names, List<byte[]> slices, long[] paramBits) {

    static StateSnapshot of(Optimizer optimizer, double[] params) {
        return of(optimizer, bits(params));
    }

    static StateSnapshot of(Optimizer optimizer, MemorySegment params) {
        return of(optimizer, params.toArray(java.lang.foreign.ValueLayout.JAVA_LONG));
    }

    static StateSnapshot of(Optimizer optimizer, float[] params) {
        long[] b = new long[params.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = Float.floatToRawIntBits(params[i]);
        }
        return of(optimizer, b);
    }

    private static StateSnapshot of(Optimizer optimizer, long[] paramBits) {
        OptimizerBase base = (OptimizerBase) optimizer;
        List<String> names = new ArrayList<>();
        List<byte[]> slices = new ArrayList<>();
        for (StateSlice s : base.stateSlices()) {
            names.add(s.name());
            slices.add(s.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        return new StateSnapshot(optimizer.steps(), optimizer.skippedSteps(), names, slices, paramBits);
    }

    static long[] bits(double[] v) {
        long[] b = new long[v.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = Double.doubleToRawLongBits(v[i]);
        }
        return b;
    }

    /** Asserts that {@code after} equals this snapshot bit for bit. */
    void assertSame(StateSnapshot after, String what) {
        assertThat(after.steps).as("%s: steps", what).isEqualTo(steps);
        assertThat(after.skipped).as("%s: skipped steps", what).isEqualTo(skipped);
        assertThat(after.paramBits).as("%s: params (bits)", what).isEqualTo(paramBits);
        assertThat(after.names).as("%s: slice names", what).isEqualTo(names);
        for (int i = 0; i < slices.size(); i++) {
            assertThat(after.slices.get(i)).as("%s: state slice %s (bytes)", what, names.get(i)).isEqualTo(slices.get(i));
        }
    }

    /** True when every slice element (floats for float state, else doubles) is finite. */
    boolean stateFinite(boolean floatState) {
        for (byte[] s : slices) {
            MemorySegment seg = MemorySegment.ofArray(s);
            long n = s.length / (floatState ? Float.BYTES : Double.BYTES);
            for (long i = 0; i < n; i++) {
                double v = floatState ? seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, i)
                        : seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i);
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }
}
