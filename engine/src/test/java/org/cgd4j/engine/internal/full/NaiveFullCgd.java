package org.cgd4j.engine.internal.full;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;

/** SPEC "One step" for structure FULL written as plainly as possible, on-heap (exact method, warm-up). */
final class NaiveFullCgd {
    final CgdConfig c;
    final int d;
    final double[] m;
    final double[] mu;
    final double[][] s;
    double[] lastEigenvalues;
    /** max |S_ij|/c2 + max v_i²: the scale of X̂'s rounding errors. */
    double metricScale;
    long t;

    NaiveFullCgd(CgdConfig c, int d) {
        this.c = c;
        this.d = d;
        m = new double[d];
        mu = new double[d];
        s = new double[d][d];
    }

    void step(double[] q, double[] g) {
        t++;
        double b1 = c.beta1();
        double b2 = c.beta2();
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            mu[i] = b2 * mu[i] + (1 - b2) * g[i];
        }
        for (int i = 0; i < d; i++) {
            u[i] = c.metric() == Metric.BELIEF ? g[i] - m[i] : g[i];
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                s[i][j] = b2 * s[i][j] + (1 - b2) * u[i] * u[j];
            }
        }
        double c1 = c.debias() ? 1 - Math.pow(b1, t) : 1;
        double c2 = c.debias() ? 1 - Math.pow(b2, t) : 1;
        double[] mHat = new double[d];
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            mHat[i] = m[i] / c1;
            if (c.metric() == Metric.COVARIANCE) {
                v[i] = c.covarianceMean() == CovarianceMean.METRIC ? mu[i] / c2 : m[i] / c1;
            }
        }
        double[][] x = new double[d][d];
        metricScale = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                metricScale = Math.max(metricScale, Math.abs(s[i][j] / c2) + v[i] * v[i]);
                x[i][j] = s[i][j] / c2 - v[i] * v[j];
            }
        }
        double[] p = new double[d];
        if (t <= c.warmupSteps()) {
            lastEigenvalues = new double[d];
            for (int i = 0; i < d; i++) {
                lastEigenvalues[i] = x[i][i];
                p[i] = mHat[i] * f(x[i][i]);
            }
            java.util.Arrays.sort(lastEigenvalues);
        } else {
            double[] lambda = new double[d];
            double[][] vec = new double[d][d];
            ReferenceLinearAlgebra.eigen(x, lambda, vec);
            lastEigenvalues = lambda;
            for (int k = 0; k < d; k++) {
                double proj = 0;
                for (int i = 0; i < d; i++) {
                    proj += vec[i][k] * mHat[i];
                }
                proj *= f(lambda[k]);
                for (int i = 0; i < d; i++) {
                    p[i] += vec[i][k] * proj;
                }
            }
        }
        for (int i = 0; i < d; i++) {
            q[i] -= c.learningRate() * p[i];
        }
    }

    double f(double lambda) {
        return 1 / (Math.pow(c.epsilon() + Math.max(lambda, 0), c.power()) + c.epsilonOutside());
    }
}
