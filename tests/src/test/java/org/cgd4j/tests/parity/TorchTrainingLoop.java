package org.cgd4j.tests.parity;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * A training loop as PyTorch runs it, written plainly from its documented algorithms with no shared
 * code with the engine: torch.nn.utils.clip_grad_norm_ over every parameter, then each parameter
 * group's step (Adam or AdamW from torch.optim's _single_tensor_adam, SGD with momentum and
 * weight_decay) at lr·schedule(t), schedule taken at epoch t − 1.
 */
final class TorchTrainingLoop {

    /** One parameter group: index ranges of the flat vector, its optimizer and its hyperparameters. */
    record Group(List<int[]> ranges, Kind kind, double lr, double beta1, double beta2, double eps, double weightDecay) {}

    enum Kind { ADAM, ADAMW, SGD_MOMENTUM }

    private final List<Group> groups;
    private final double[] m, v;
    private final LongToDoubleFunction schedule;
    private final double maxNorm;
    private long t;
    double lastNorm = Double.NaN;

    /** {@code maxNorm} = 0: no clipping. */
    TorchTrainingLoop(int d, List<Group> groups, LongToDoubleFunction schedule, double maxNorm) {
        this.groups = groups;
        this.m = new double[d];
        this.v = new double[d];
        this.schedule = schedule;
        this.maxNorm = maxNorm;
    }

    void step(double[] p, double[] gradient) {
        double[] g = gradient.clone();
        t++;
        if (maxNorm > 0) {
            // clip_grad_norm_: total_norm = ‖(‖g_1‖, ‖g_2‖, ...)‖; coef = max_norm/(total + 1e-6), clamped to 1.
            double total = 0;
            for (double x : g) {
                total += x * x;
            }
            total = Math.sqrt(total);
            lastNorm = total;
            double coef = Math.min(1.0, maxNorm / (total + 1e-6));
            for (int i = 0; i < g.length; i++) {
                g[i] *= coef;
            }
        }
        double factor = schedule.applyAsDouble(t - 1);
        for (Group group : groups) {
            double lr = group.lr() * factor;
            for (int[] r : group.ranges()) {
                for (int i = r[0]; i < r[0] + r[1]; i++) {
                    switch (group.kind()) {
                        case ADAM, ADAMW -> adam(group, lr, p, g, i);
                        case SGD_MOMENTUM -> sgd(group, lr, p, g, i);
                    }
                }
            }
        }
    }

    private void adam(Group group, double lr, double[] p, double[] g, int i) {
        double grad = g[i];
        if (group.kind() == Kind.ADAMW) {
            p[i] *= 1 - lr * group.weightDecay();
        } else if (group.weightDecay() != 0) {
            grad = grad + group.weightDecay() * p[i];
        }
        m[i] = group.beta1() * m[i] + (1 - group.beta1()) * grad;
        v[i] = group.beta2() * v[i] + (1 - group.beta2()) * grad * grad;
        double bc1 = 1 - Math.pow(group.beta1(), t);
        double bc2 = 1 - Math.pow(group.beta2(), t);
        double denom = Math.sqrt(v[i]) / Math.sqrt(bc2) + group.eps();
        p[i] -= lr / bc1 * m[i] / denom;
    }

    private void sgd(Group group, double lr, double[] p, double[] g, int i) {
        double dp = g[i] + group.weightDecay() * p[i];
        m[i] = t == 1 ? dp : group.beta1() * m[i] + dp;
        p[i] -= lr * m[i];
    }
}
