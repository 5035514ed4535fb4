package org.cgd4j.tests.parity;

/**
 * The optimizers users know, written plainly from their published update rules (PyTorch's
 * documented algorithms; AdaBelief as Algorithm 2 of Zhuang et al. 2020; the paper's Adam limit),
 * one element at a time, with no shared code with the engine.
 */
final class ReferenceOptimizers {
    private ReferenceOptimizers() {}

    interface Reference {
        void step(double[] q, double[] g);
    }

    /** torch.optim.SGD(lr): q ← q − lr·g. */
    static Reference sgd(double lr) {
        return (q, g) -> {
            for (int i = 0; i < q.length; i++) {
                q[i] -= lr * g[i];
            }
        };
    }

    /** torch.optim.SGD(lr, momentum = mu, dampening = 0): b ← g at t = 1, else μb + g; q ← q − lr·b. */
    static Reference sgdMomentum(double lr, double mu, int d) {
        double[] buf = new double[d];
        int[] t = {0};
        return (q, g) -> {
            t[0]++;
            for (int i = 0; i < d; i++) {
                buf[i] = t[0] == 1 ? g[i] : mu * buf[i] + g[i];
                q[i] -= lr * buf[i];
            }
        };
    }

    /** torch.optim.RMSprop(lr, alpha, eps, centered): v ← αv + (1−α)g²; q ← q − lr·g/(√(v − ḡ²) + eps). */
    static Reference rmsprop(double lr, double alpha, double eps, boolean centered, int d) {
        double[] v = new double[d];
        double[] gAvg = new double[d];
        return (q, g) -> {
            for (int i = 0; i < d; i++) {
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
                double avg = v[i];
                if (centered) {
                    gAvg[i] = alpha * gAvg[i] + (1 - alpha) * g[i];
                    avg = v[i] - gAvg[i] * gAvg[i];
                }
                q[i] -= lr * g[i] / (Math.sqrt(avg) + eps);
            }
        };
    }

    /** torch.optim.Adam: m, v averages; q ← q − (lr/bc1)·m/(√v/√bc2 + eps). */
    static Reference adam(double lr, double beta1, double beta2, double eps, int d) {
        double[] m = new double[d];
        double[] v = new double[d];
        int[] t = {0};
        return (q, g) -> {
            t[0]++;
            double bc1 = 1 - Math.pow(beta1, t[0]);
            double bc2 = 1 - Math.pow(beta2, t[0]);
            for (int i = 0; i < d; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + eps;
                q[i] -= lr / bc1 * m[i] / denom;
            }
        };
    }

    /**
     * AdaBelief, Zhuang et al. 2020, Algorithm 2 without rectification or weight decay:
     * s ← β2 s + (1−β2)(g − m)² + eps; q ← q − lr·m̂/(√ŝ + eps).
     */
    static Reference adabelief(double lr, double beta1, double beta2, double eps, int d) {
        double[] m = new double[d];
        double[] s = new double[d];
        int[] t = {0};
        return (q, g) -> {
            t[0]++;
            double bc1 = 1 - Math.pow(beta1, t[0]);
            double bc2 = 1 - Math.pow(beta2, t[0]);
            for (int i = 0; i < d; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                double r = g[i] - m[i];
                s[i] = beta2 * s[i] + (1 - beta2) * r * r + eps;
                double mHat = m[i] / bc1;
                double sHat = s[i] / bc2;
                q[i] -= lr * mHat / (Math.sqrt(sHat) + eps);
            }
        };
    }

    /** The paper's Adam limit (arXiv 2504.05279): a = 1/2, ε inside the root, no bias correction. */
    static Reference paperAdamLimit(double lr, double beta1, double beta2, double eps, int d) {
        double[] m = new double[d];
        double[] s = new double[d];
        return (q, g) -> {
            for (int i = 0; i < d; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                s[i] = beta2 * s[i] + (1 - beta2) * g[i] * g[i];
                q[i] -= lr * m[i] / Math.sqrt(eps + s[i]);
            }
        };
    }
}
