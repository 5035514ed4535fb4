package org.cgd4j.engine;

/**
 * What a step does with a gradient that holds NaN or ±Infinity. Under THROW and SKIP params and
 * state never change ("check, then commit": one extra read of g); PROPAGATE does not check.
 */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteGradientException} (default). */
    THROW,
    /** Skip the step silently and count it in {@link Optimizer#skippedSteps()}. */
    SKIP,
    /**
     * No check at all: NaN and ±Infinity flow into params and state, as in PyTorch. Saves the read
     * of g that the check costs; a diverged run is then the caller's to detect.
     */
    PROPAGATE
}
