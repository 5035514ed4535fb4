package org.cgd4j.experiments.run;

/**
 * Which family of problems a task belongs to. Each {@link OptimizerKind} names the suites it runs on
 * when {@code --optimizers} is not given, so that a new optimizer joins every comparison it belongs
 * to with one line in {@link OptimizerKind}.
 */
public enum Suite {
    /** The paper's problems (Rosenbrock, multiplication): d ≤ a few hundred, where full CGD is affordable. */
    PAPER,
    /** Networks on real data (digits): d in the tens of thousands, where full CGD's d×d metric does not fit. */
    REAL_DATA
}
