package org.cgd4j.blas;

/** A LAPACK routine reported failure through {@code info > 0}, e.g. DSYEVD did not converge. */
public final class LapackException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String routine;
    private final int info;

    public LapackException(String routine, int info, String message) {
        super(routine + " failed (info = " + info + "): " + message);
        this.routine = routine;
        this.info = info;
    }

    public String routine() { return routine; }

    public int info() { return info; }
}
