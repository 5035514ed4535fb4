package org.cgd4j.spark.objective;

import java.io.Serializable;

/**
 * Parameter layout shared by the built-in objectives: {@code sets} coefficient rows of {@code features}
 * each, row-major (MLlib's coefficientMatrix), then one intercept per row when {@code intercept}.
 * The L2 term λ/2·‖coefficients‖² leaves the intercepts out, as MLlib does.
 */
record LinearModel(int features, int sets, boolean intercept, double l2) implements Serializable {
    LinearModel {
        if (features < 1 || sets < 1) {
            throw new IllegalArgumentException("need features >= 1 and sets >= 1, got " + features + ", " + sets);
        }
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
        }
    }

    int dimension() {
        return sets * features + (intercept ? sets : 0);
    }

    /** w_k·x + b_k for coefficient row k. */
    double margin(double[] q, int k, double[] x) {
        int base = k * features;
        double m = intercept ? q[sets * features + k] : 0;
        for (int j = 0; j < features; j++) {
            m += q[base + j] * x[j];
        }
        return m;
    }

    /** Adds c·x to row k's gradient (and c to its intercept's). */
    void addScaled(double[] gradient, int k, double c, double[] x) {
        int base = k * features;
        for (int j = 0; j < features; j++) {
            gradient[base + j] += c * x[j];
        }
        if (intercept) {
            gradient[sets * features + k] += c;
        }
    }

    /** λ/2·Σ coefficients², its gradient added to {@code gradient}. */
    double l2(double[] q, double[] gradient) {
        if (l2 == 0) {
            return 0;
        }
        double s = 0;
        int n = sets * features;
        for (int i = 0; i < n; i++) {
            s += q[i] * q[i];
            gradient[i] += l2 * q[i];
        }
        return 0.5 * l2 * s;
    }

    void check(Example e) {
        if (e.features().length != features) {
            throw new IllegalArgumentException("an example has " + e.features().length + " features; the model expects "
                    + features);
        }
    }
}
