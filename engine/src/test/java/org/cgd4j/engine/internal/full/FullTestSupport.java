package org.cgd4j.engine.internal.full;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;
import org.cgd4j.engine.internal.StateSlice;
import org.cgd4j.engine.internal.StepFacade;

/** Problems, configurations and state snapshots shared by the FULL tests. */
final class FullTestSupport {
    private FullTestSupport() {}

    /** Every metric / mean / debias combination with a few (a, ε, ε'), as a base FULL config. */
    static Stream<CgdConfig> configs() {
        List<CgdConfig> out = new ArrayList<>();
        // ε large enough against the rounding noise of a rank-deficient X̂ (COVARIANCE with debias is
        // exactly 0 at t = 1, in rounding): f must not amplify noise for trajectories to be comparable.
        double[][] powers = {{0.5, 1e-3, 0}, {1, 1e-2, 0}, {0.5, 1e-4, 1e-3}, {0.3, 1e-3, 1e-6}, {2, 1e-1, 0}};
        int k = 0;
        for (Metric metric : new Metric[] {Metric.SECOND_MOMENT, Metric.COVARIANCE, Metric.BELIEF}) {
            for (CovarianceMean mean : metric == Metric.COVARIANCE ? CovarianceMean.values() : new CovarianceMean[] {CovarianceMean.METRIC}) {
                for (boolean debias : new boolean[] {false, true}) {
                    double[] a = powers[k++ % powers.length];
                    out.add(CgdConfig.fullCgd(0.05, 3, 9, a[0], 1).withEpsilonOutside(a[2]).withEpsilon(a[1])
                            .withMetric(metric).withCovarianceMean(mean).withDebias(debias));
                }
            }
        }
        return out.stream();
    }

    /** A noisy quadratic: g(q) = H q + b + noise, H symmetric positive definite. */
    static final class Quadratic {
        final int d;
        final double[][] hessian;
        final double[] b;
        private final SplittableRandom noise;

        Quadratic(int d, long seed) {
            this.d = d;
            SplittableRandom r = new SplittableRandom(seed);
            double[][] a = gaussian(d, d, r);
            hessian = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    for (int k = 0; k < d; k++) {
                        hessian[i][j] += a[k][i] * a[k][j] / d;
                    }
                }
                hessian[i][i] += 0.1;
            }
            b = gaussian(1, d, r)[0];
            noise = r.split();
        }

        double[] gradient(double[] q) {
            double[] g = new double[d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    g[i] += hessian[i][j] * q[j];
                }
                g[i] += b[i] + 0.3 * noise.nextGaussian();
            }
            return g;
        }
    }

    static double[][] gaussian(int rows, int cols, SplittableRandom r) {
        double[][] x = new double[rows][cols];
        for (double[] row : x) {
            for (int j = 0; j < cols; j++) {
                row[j] = r.nextGaussian();
            }
        }
        return x;
    }

    /** A random orthogonal matrix (Gram-Schmidt on a Gaussian matrix, twice for accuracy). */
    static double[][] orthogonal(int d, long seed) {
        double[][] q = gaussian(d, d, new SplittableRandom(seed)); // rows become orthonormal
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    double dot = dot(q[i], q[j]);
                    for (int k = 0; k < d; k++) {
                        q[i][k] -= dot * q[j][k];
                    }
                }
                double norm = Math.sqrt(dot(q[i], q[i]));
                for (int k = 0; k < d; k++) {
                    q[i][k] /= norm;
                }
            }
        }
        return q;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double[] multiply(double[][] a, double[] x) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = dot(a[i], x);
        }
        return y;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** max_i |a_i − b_i| / max(max_i |b_i|, tiny). */
    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / Math.max(scale, Double.MIN_NORMAL);
    }

    /** Byte-for-byte copy of every state slice, for bit-identity checks. */
    static List<byte[]> snapshot(StepFacade opt) {
        List<byte[]> out = new ArrayList<>();
        for (StateSlice slice : opt.stateSlices()) {
            out.add(slice.segment().toArray(ValueLayout.JAVA_BYTE));
        }
        return out;
    }

    static double[] doubles(MemorySegment s) {
        return s.toArray(ValueLayout.JAVA_DOUBLE);
    }
}
