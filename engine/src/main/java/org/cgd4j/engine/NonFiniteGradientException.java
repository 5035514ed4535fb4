package org.cgd4j.engine;

/**
 * A gradient element was NaN, infinite, or so large that its square would overflow the state
 * (DIAGONAL: |g| ≥ 2^511, 2^63 with float state); the step was refused and nothing changed.
 */
public final class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final long index;

    public NonFiniteGradientException(long index, double value) {
        super("gradient element " + index + " is " + value
                + (Double.isFinite(value) ? ", too large: its square would overflow the optimizer's state" : "")
                + "; step refused, params and state unchanged");
        this.index = index;
    }

    /** The first offending element. */
    public long index() { return index; }
}
