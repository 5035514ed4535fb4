package org.cgd4j.engine;

/**
 * What a step does with a gradient that holds NaN or ±Infinity. Under THROW and SKIP params and
 * state never change on such a step: the gradient is scanned before anything is written.
 */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteGradientException} (default). */
    THROW,
    /** Skip the step silently and count it in {@link Optimizer#skippedSteps()}. */
    SKIP,
    /**
     * No scan (DIAGONAL): the step runs as PyTorch's optimizers do and a NaN/Inf gradient propagates
     * into params and state. Saves one read of the gradient per step, about 1/8 of a double Adam
     * step's memory traffic. Structures that cannot skip the scan treat it as {@link #THROW}.
     */
    UNCHECKED
}
