package org.cgd4j.tests.reliability;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.Structure;

/** An optimizer configuration under test, warmed up by a few real steps so that its state is not all zero. */
record Subject(String name, CgdConfig config, int d) {
    static final int WARM_STEPS = 5;

    @Override public String toString() { return name; }

    /** Every structure and a spread of state layouts (no slices, two, three; FULL with and without refresh). */
    static List<Subject> all() {
        CgdConfig full = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3);
        return List.of(
                new Subject("sgd", CgdConfig.sgd(0.1), 9),
                new Subject("adam", CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), 9),
                new Subject("diagonal cgd covariance", CgdConfig.diagonalCgd(0.02, 3, 20, 0.5, 1e-3), 9),
                new Subject("full covariance", full, 5),
                new Subject("full refresh 3 tracked", full.withRefreshEvery(3).withRefreshMode(org.cgd4j.engine.RefreshMode.TRACKED), 5));
    }

    boolean full() { return config.structure() == Structure.FULL; }

    /** A new optimizer after {@link #WARM_STEPS} steps on {@code params} (changed in place). */
    Optimizer warm(double[] params) {
        assumeTrue(!full() || Engines.fullAvailable(), "FULL engine not in this build");
        Optimizer o = Optimizer.create(config, d);
        GradientSource source = new GradientSource(d, 7);
        double[] g = new double[d];
        for (int t = 0; t < WARM_STEPS; t++) {
            source.gradient(params, g);
            o.step(params, g);
        }
        return o;
    }

    double[] start() { return new GradientSource(d, 7).start.clone(); }
}
