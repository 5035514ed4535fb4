package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FullKernels} over {@link DoubleVector} of the preferred species with a scalar tail that
 * repeats the vector body's operations, so results equal {@link ScalarFullKernels} bit for bit.
 * Loaded by name ({@link FullKernelsProvider}); only this class imports {@code jdk.incubator.vector}.
 */
final class PanamaFullKernels implements FullKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final long B = Double.BYTES;

    PanamaFullKernels() {
        if (L < 2) {
            throw new UnsupportedOperationException("preferred double species has " + L + " lane: no SIMD benefit");
        }
    }

    private static DoubleVector load(MemorySegment s, long index) {
        return DoubleVector.fromMemorySegment(SPECIES, s, index * B, ORDER);
    }

    @Override
    public long firstNonFinite(int n, MemorySegment x) {
        int i = 0;
        for (; i <= n - L; i += L) {
            DoubleVector v = load(x, i);
            if (v.sub(v).reduceLanes(VectorOperators.ADD) != 0) { // x − x is NaN exactly for NaN and ±Inf
                break;
            }
        }
        for (; i < n; i++) {
            if (!Double.isFinite(x.getAtIndex(JAVA_DOUBLE, i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void blend(int n, double a, MemorySegment x, double b, MemorySegment y, MemorySegment out) {
        int i = 0;
        for (; i <= n - L; i += L) {
            load(x, i).mul(a).add(load(y, i).mul(b)).intoMemorySegment(out, i * B, ORDER);
        }
        for (; i < n; i++) {
            out.setAtIndex(JAVA_DOUBLE, i, a * x.getAtIndex(JAVA_DOUBLE, i) + b * y.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void scale(int n, double c, MemorySegment x, MemorySegment out) {
        int i = 0;
        for (; i <= n - L; i += L) {
            load(x, i).mul(c).intoMemorySegment(out, i * B, ORDER);
        }
        for (; i < n; i++) {
            out.setAtIndex(JAVA_DOUBLE, i, c * x.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void subtract(int n, MemorySegment x, MemorySegment y, MemorySegment out) {
        int i = 0;
        for (; i <= n - L; i += L) {
            load(x, i).sub(load(y, i)).intoMemorySegment(out, i * B, ORDER);
        }
        for (; i < n; i++) {
            out.setAtIndex(JAVA_DOUBLE, i, x.getAtIndex(JAVA_DOUBLE, i) - y.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void descend(int n, MemorySegment q, MemorySegment p) {
        int i = 0;
        for (; i <= n - L; i += L) {
            load(q, i).sub(load(p, i)).intoMemorySegment(q, i * B, ORDER);
        }
        for (; i < n; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - p.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void rank1Update(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment us, int count) {
        for (int j = 0; j < n; j++) {
            long col = (long) j * n;
            int i = j;
            for (; i <= n - L; i += L) {
                long e = col + i;
                updated(load(s, e), beta2, oneMinusBeta2, us, count, n, i, j).intoMemorySegment(s, e * B, ORDER);
            }
            for (; i < n; i++) {
                long e = col + i;
                s.setAtIndex(JAVA_DOUBLE, e,
                        ScalarFullKernels.updated(s.getAtIndex(JAVA_DOUBLE, e), beta2, oneMinusBeta2, us, count, n, i, j));
            }
        }
    }

    @Override
    public boolean buildMetric(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment us, int count,
                               double invC2, MemorySegment v, MemorySegment w) {
        DoubleVector check = DoubleVector.zero(SPECIES);
        double tailCheck = 0;
        for (int j = 0; j < n; j++) {
            long col = (long) j * n;
            double vj = v == null ? 0 : v.getAtIndex(JAVA_DOUBLE, j);
            int i = j;
            for (; i <= n - L; i += L) {
                long e = col + i;
                DoubleVector x = updated(load(s, e), beta2, oneMinusBeta2, us, count, n, i, j).mul(invC2);
                if (v != null) {
                    x = x.sub(load(v, i).mul(vj));
                }
                x.intoMemorySegment(w, e * B, ORDER);
                check = check.add(x.mul(0.0));
            }
            for (; i < n; i++) {
                long e = col + i;
                double x = ScalarFullKernels.updated(s.getAtIndex(JAVA_DOUBLE, e), beta2, oneMinusBeta2, us, count, n, i, j)
                        * invC2;
                if (v != null) {
                    x = x - v.getAtIndex(JAVA_DOUBLE, i) * vj;
                }
                w.setAtIndex(JAVA_DOUBLE, e, x);
                tailCheck += x * 0.0;
            }
        }
        return check.reduceLanes(VectorOperators.ADD) + tailCheck == 0;
    }

    /** Lanes i..i+L of column j after the count updates, as {@link ScalarFullKernels#updated}. */
    private static DoubleVector updated(DoubleVector s, double beta2, double oneMinusBeta2, MemorySegment us, int count,
                                        int n, int i, int j) {
        for (int k = 0; k < count; k++) {
            long row = (long) k * n;
            double a = oneMinusBeta2 * us.getAtIndex(JAVA_DOUBLE, row + j);
            s = s.mul(beta2).add(load(us, row + i).mul(a));
        }
        return s;
    }
}
