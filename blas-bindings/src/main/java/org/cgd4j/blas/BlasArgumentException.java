package org.cgd4j.blas;

/**
 * An argument of a BLAS/LAPACK routine had an illegal value, reported the way LAPACK's {@code XERBLA}
 * does: the routine, the 1-based position of the parameter in the routine's Fortran signature, and
 * the value ("parameter 5 of DSYEVD had an illegal value: lda = 3 &lt; max(1, n) = 4").
 *
 * <p>Thrown before any native code runs, with every argument left unchanged.
 */
public final class BlasArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String routine;
    private final int parameter;

    public BlasArgumentException(String routine, int parameter, String detail) {
        super("parameter " + parameter + " of " + routine + " had an illegal value: " + detail);
        this.routine = routine;
        this.parameter = parameter;
    }

    /** The routine name in LAPACK's spelling, e.g. "DSYEVD". */
    public String routine() { return routine; }

    /** The 1-based position of the offending parameter in the routine's Fortran signature. */
    public int parameter() { return parameter; }
}
