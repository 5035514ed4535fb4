package org.cgd4j.engine;

/** A gradient element was NaN or infinite; the step was refused and nothing changed. */
public final class NonFiniteGradientException extends ArithmeticException {
    private static final long serialVersionUID = 1L;
    private final long index;

    public NonFiniteGradientException(long index, double value) {
        super("gradient element " + index + " is " + value + "; step refused, params and state unchanged");
        this.index = index;
    }

    /** The first offending element. */
    public long index() { return index; }
}
