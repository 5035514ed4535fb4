package org.cgd4j.engine.internal.kronecker;

import java.util.ArrayList;
import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.CovarianceMean;
import org.cgd4j.engine.Metric;

/**
 * SPEC "Structure KRONECKER" written out plainly for tests, independently of the engine: double[][]
 * matrices in their natural orientation, a cyclic Jacobi eigensolver, the DIAGONAL rule element by
 * element with Math.pow. One tensor (rows × cols, row-major in the flat vector) cut into blocks.
 */
final class KroneckerReference {
    private final CgdConfig c;
    private final int rows, cols, offset;
    private final List<Block> blocks = new ArrayList<>();
    private long t;

    private final class Block {
        final int r0, c0, mb, nb;
        double[][] sl, sr, ql, qr, m, s, mu;

        Block(int r0, int c0, int mb, int nb) {
            this.r0 = r0;
            this.c0 = c0;
            this.mb = mb;
            this.nb = nb;
            sl = new double[mb][mb];
            sr = new double[nb][nb];
            ql = identity(mb);
            qr = identity(nb);
            m = new double[mb][nb];
            s = new double[mb][nb];
            mu = new double[mb][nb];
        }
    }

    KroneckerReference(CgdConfig c, int offset, int rows, int cols) {
        this.c = c;
        this.rows = rows;
        this.cols = cols;
        this.offset = offset;
        int b = c.blockSize();
        for (int r0 = 0; r0 < rows; r0 += b) {
            for (int c0 = 0; c0 < cols; c0 += b) {
                blocks.add(new Block(r0, c0, Math.min(b, rows - r0), Math.min(b, cols - c0)));
            }
        }
    }

    /** One step on the tensor's part of the flat vectors q and g. */
    void step(double[] q, double[] g) {
        t++;
        double beta1 = c.tau1() / (1 + c.tau1()), beta2 = c.tau2() / (1 + c.tau2());
        boolean refresh = t > c.warmupSteps() && (t - c.warmupSteps() - 1) % c.refreshEvery() == 0;
        boolean framed = t > c.warmupSteps();
        boolean metricMean = c.metric() == Metric.COVARIANCE && c.covarianceMean() == CovarianceMean.METRIC;
        double c1 = c.debias() ? 1 - Math.pow(beta1, t) : 1, c2 = c.debias() ? 1 - Math.pow(beta2, t) : 1;
        double c2Before = c.debias() ? 1 - Math.pow(beta2, t - 1) : 1;
        for (Block b : blocks) {
            double[][] gm = new double[b.mb][b.nb];
            for (int i = 0; i < b.mb; i++) {
                for (int j = 0; j < b.nb; j++) {
                    gm[i][j] = g[offset + (b.r0 + i) * cols + b.c0 + j];
                }
            }
            b.sl = add(scale(b.sl, beta2), scale(mul(gm, transpose(gm)), 1 - beta2));
            b.sr = add(scale(b.sr, beta2), scale(mul(transpose(gm), gm), 1 - beta2));
            if (refresh) {
                double[][] qlNew = b.mb > 1 ? jacobi(b.sl) : identity(1);
                double[][] qrNew = b.nb > 1 ? jacobi(b.sr) : identity(1);
                if (t > 1) {
                    double[][] ol = mul(transpose(b.ql), qlNew), or = mul(transpose(b.qr), qrNew);
                    double[][] muOld = b.mu;
                    b.m = mul(mul(transpose(ol), b.m), or);
                    b.mu = mul(mul(transpose(ol), b.mu), or);
                    double[][] pl = hadamard(ol, ol), pr = hadamard(or, or);
                    if (metricMean) {
                        double[][] variance = add(b.s, scale(hadamard(muOld, muOld), -1 / c2Before));
                        b.s = add(mul(mul(transpose(pl), variance), pr), scale(hadamard(b.mu, b.mu), 1 / c2Before));
                    } else {
                        b.s = mul(mul(transpose(pl), b.s), pr);
                    }
                }
                b.ql = qlNew;
                b.qr = qrNew;
            }
            double[][] gt = framed ? mul(mul(transpose(b.ql), gm), b.qr) : gm;
            double[][] z = new double[b.mb][b.nb];
            for (int i = 0; i < b.mb; i++) {
                for (int j = 0; j < b.nb; j++) {
                    z[i][j] = -c.learningRate() * direction(b, i, j, gt[i][j], beta1, beta2, c1, c2);
                }
            }
            double[][] step = framed ? mul(mul(b.ql, z), transpose(b.qr)) : z;
            for (int i = 0; i < b.mb; i++) {
                for (int j = 0; j < b.nb; j++) {
                    q[offset + (b.r0 + i) * cols + b.c0 + j] += step[i][j];
                }
            }
        }
    }

    /** The DIAGONAL rule on one frame coordinate: updates the state, returns P. */
    private double direction(Block b, int i, int j, double g, double beta1, double beta2, double c1, double c2) {
        b.m[i][j] = beta1 * b.m[i][j] + (1 - beta1) * g;
        double mHat = b.m[i][j] / c1;
        double x = 0;
        switch (c.metric()) {
            case NONE -> { return mHat; }
            case SECOND_MOMENT -> {
                b.s[i][j] = beta2 * b.s[i][j] + (1 - beta2) * g * g;
                x = b.s[i][j] / c2;
            }
            case COVARIANCE -> {
                b.s[i][j] = beta2 * b.s[i][j] + (1 - beta2) * g * g;
                if (c.covarianceMean() == CovarianceMean.METRIC) {
                    b.mu[i][j] = beta2 * b.mu[i][j] + (1 - beta2) * g;
                    x = b.s[i][j] / c2 - (b.mu[i][j] / c2) * (b.mu[i][j] / c2);
                } else {
                    x = b.s[i][j] / c2 - mHat * mHat;
                }
            }
            case BELIEF -> {
                double r = g - b.m[i][j];
                b.s[i][j] = beta2 * b.s[i][j] + (1 - beta2) * r * r;
                x = b.s[i][j] / c2;
            }
        }
        return mHat / (Math.pow(c.epsilon() + Math.max(x, 0), c.power()) + c.epsilonOutside());
    }

    // ---- plain matrix helpers ----

    static double[][] identity(int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 1;
        }
        return a;
    }

    static double[][] transpose(double[][] a) {
        double[][] r = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                r[j][i] = a[i][j];
            }
        }
        return r;
    }

    static double[][] mul(double[][] a, double[][] b) {
        double[][] r = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    r[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return r;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] r = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                r[i][j] = a[i][j] + b[i][j];
            }
        }
        return r;
    }

    static double[][] scale(double[][] a, double f) {
        double[][] r = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                r[i][j] = a[i][j] * f;
            }
        }
        return r;
    }

    static double[][] hadamard(double[][] a, double[][] b) {
        double[][] r = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                r[i][j] = a[i][j] * b[i][j];
            }
        }
        return r;
    }

    /** Eigenvectors (columns) of a symmetric matrix by cyclic Jacobi rotations, to full precision. */
    static double[][] jacobi(double[][] sym) {
        int n = sym.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = sym[i].clone();
        }
        double[][] v = identity(n);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    off += a[p][r] * a[p][r];
                }
            }
            if (off == 0) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int r = p + 1; r < n; r++) {
                    if (a[p][r] == 0) {
                        continue;
                    }
                    double theta = (a[r][r] - a[p][p]) / (2 * a[p][r]);
                    double tt = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        tt = 1;
                    }
                    double cs = 1 / Math.sqrt(tt * tt + 1), sn = tt * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p], akr = a[k][r];
                        a[k][p] = cs * akp - sn * akr;
                        a[k][r] = sn * akp + cs * akr;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k], ark = a[r][k];
                        a[p][k] = cs * apk - sn * ark;
                        a[r][k] = sn * apk + cs * ark;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p], vkr = v[k][r];
                        v[k][p] = cs * vkp - sn * vkr;
                        v[k][r] = sn * vkp + cs * vkr;
                    }
                }
            }
        }
        return v;
    }
}
