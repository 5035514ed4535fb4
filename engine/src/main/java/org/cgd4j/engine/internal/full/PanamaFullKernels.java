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
    public void rank1Update(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment u) {
        for (int j = 0; j < n; j++) {
            double a = oneMinusBeta2 * u.getAtIndex(JAVA_DOUBLE, j);
            long col = (long) j * n;
            int i = j;
            for (; i <= n - L; i += L) {
                long k = col + i;
                load(s, k).mul(beta2).add(load(u, i).mul(a)).intoMemorySegment(s, k * B, ORDER);
            }
            for (; i < n; i++) {
                long k = col + i;
                s.setAtIndex(JAVA_DOUBLE, k, beta2 * s.getAtIndex(JAVA_DOUBLE, k) + a * u.getAtIndex(JAVA_DOUBLE, i));
            }
        }
    }

    @Override
    public boolean buildMetric(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment u,
                               double invC2, MemorySegment v, MemorySegment w) {
        DoubleVector check = DoubleVector.zero(SPECIES);
        double tailCheck = 0;
        for (int j = 0; j < n; j++) {
            double a = oneMinusBeta2 * u.getAtIndex(JAVA_DOUBLE, j);
            long col = (long) j * n;
            int i = j;
            if (v == null) {
                for (; i <= n - L; i += L) {
                    long k = col + i;
                    DoubleVector x = load(s, k).mul(beta2).add(load(u, i).mul(a)).mul(invC2);
                    x.intoMemorySegment(w, k * B, ORDER);
                    check = check.add(x.mul(0.0));
                }
                for (; i < n; i++) {
                    long k = col + i;
                    double x = (beta2 * s.getAtIndex(JAVA_DOUBLE, k) + a * u.getAtIndex(JAVA_DOUBLE, i)) * invC2;
                    w.setAtIndex(JAVA_DOUBLE, k, x);
                    tailCheck += x * 0.0;
                }
            } else {
                double vj = v.getAtIndex(JAVA_DOUBLE, j);
                for (; i <= n - L; i += L) {
                    long k = col + i;
                    DoubleVector x = load(s, k).mul(beta2).add(load(u, i).mul(a)).mul(invC2).sub(load(v, i).mul(vj));
                    x.intoMemorySegment(w, k * B, ORDER);
                    check = check.add(x.mul(0.0));
                }
                for (; i < n; i++) {
                    long k = col + i;
                    double x = (beta2 * s.getAtIndex(JAVA_DOUBLE, k) + a * u.getAtIndex(JAVA_DOUBLE, i)) * invC2
                            - v.getAtIndex(JAVA_DOUBLE, i) * vj;
                    w.setAtIndex(JAVA_DOUBLE, k, x);
                    tailCheck += x * 0.0;
                }
            }
        }
        return check.reduceLanes(VectorOperators.ADD) + tailCheck == 0;
    }
}
