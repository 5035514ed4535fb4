package org.cgd4j.engine.internal.full;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

import java.lang.foreign.MemorySegment;

/** Plain loops; the reference for {@link PanamaFullKernels} and the fallback without the Vector API. */
final class ScalarFullKernels implements FullKernels {

    @Override
    public long firstNonFinite(int n, MemorySegment x) {
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(x.getAtIndex(JAVA_DOUBLE, i))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void blend(int n, double a, MemorySegment x, double b, MemorySegment y, MemorySegment out) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(JAVA_DOUBLE, i, a * x.getAtIndex(JAVA_DOUBLE, i) + b * y.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void scale(int n, double c, MemorySegment x, MemorySegment out) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(JAVA_DOUBLE, i, c * x.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void subtract(int n, MemorySegment x, MemorySegment y, MemorySegment out) {
        for (int i = 0; i < n; i++) {
            out.setAtIndex(JAVA_DOUBLE, i, x.getAtIndex(JAVA_DOUBLE, i) - y.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void descend(int n, MemorySegment q, MemorySegment p) {
        for (int i = 0; i < n; i++) {
            q.setAtIndex(JAVA_DOUBLE, i, q.getAtIndex(JAVA_DOUBLE, i) - p.getAtIndex(JAVA_DOUBLE, i));
        }
    }

    @Override
    public void rank1Update(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment us, int count) {
        for (int j = 0; j < n; j++) {
            long col = (long) j * n;
            for (int i = j; i < n; i++) {
                long e = col + i;
                s.setAtIndex(JAVA_DOUBLE, e, updated(s.getAtIndex(JAVA_DOUBLE, e), beta2, oneMinusBeta2, us, count, n, i, j));
            }
        }
    }

    @Override
    public boolean buildMetric(int n, MemorySegment s, double beta2, double oneMinusBeta2, MemorySegment us, int count,
                               double invC2, MemorySegment v, MemorySegment w) {
        double check = 0;
        for (int j = 0; j < n; j++) {
            double vj = v == null ? 0 : v.getAtIndex(JAVA_DOUBLE, j);
            long col = (long) j * n;
            for (int i = j; i < n; i++) {
                long e = col + i;
                double x = updated(s.getAtIndex(JAVA_DOUBLE, e), beta2, oneMinusBeta2, us, count, n, i, j) * invC2;
                if (v != null) {
                    x = x - v.getAtIndex(JAVA_DOUBLE, i) * vj;
                }
                w.setAtIndex(JAVA_DOUBLE, e, x);
                check += x * 0.0; // NaN as soon as one x is NaN or infinite
            }
        }
        return check == 0;
    }

    /** S_ij after the count updates: s = β2·s + ((1−β2)·u_j)·u_i per vector, in order. */
    static double updated(double s, double beta2, double oneMinusBeta2, MemorySegment us, int count, int n, int i, int j) {
        for (int k = 0; k < count; k++) {
            long row = (long) k * n;
            double a = oneMinusBeta2 * us.getAtIndex(JAVA_DOUBLE, row + j);
            s = beta2 * s + a * us.getAtIndex(JAVA_DOUBLE, row + i);
        }
        return s;
    }
}
