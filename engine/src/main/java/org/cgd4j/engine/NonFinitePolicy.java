package org.cgd4j.engine;

/** What a step does with a gradient that holds NaN or ±Infinity. Params and state never change. */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteGradientException} (default). */
    THROW,
    /** Skip the step silently and count it in {@link Optimizer#skippedSteps()}. */
    SKIP
}
