package org.cgd4j.blas.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.cgd4j.blas.BlasArgumentException;
import org.cgd4j.blas.LapackException;

/** The argument checks every routine shares, each failure in LAPACK's XERBLA style. */
final class Checks {

    /** What a segment holds, for the alignment and size checks and their messages. */
    enum Unit {
        DOUBLE(Double.BYTES, "doubles"), FLOAT(Float.BYTES, "floats"), INT(Integer.BYTES, "ints");

        final long bytes;
        final String plural;

        Unit(long bytes, String plural) {
            this.bytes = bytes;
            this.plural = plural;
        }
    }

    private Checks() {}

    static char upper(char c) {
        return Character.toUpperCase(c);
    }

    static char checkUplo(String routine, int position, char uplo) {
        char u = upper(uplo);
        if (u != 'L' && u != 'U') {
            throw new BlasArgumentException(routine, position, "uplo = '" + uplo + "', expected 'L' or 'U'");
        }
        return u;
    }

    /** 'N', or 'T' for 'T' and 'C' (real matrices: the conjugate transpose is the transpose). */
    static char checkTrans(String routine, int position, String name, char trans) {
        char t = upper(trans);
        if (t == 'C') {
            return 'T';
        }
        if (t != 'N' && t != 'T') {
            throw new BlasArgumentException(routine, position, name + " = '" + trans + "', expected 'N', 'T' or 'C'");
        }
        return t;
    }

    /** A TRANS argument that {@link #checkTrans} accepted, as 'N' or 'T'. */
    static char op(char trans) {
        return upper(trans) == 'N' ? 'N' : 'T';
    }

    static void checkOrder(String routine, int position, String name, int value) {
        if (value < 0) {
            throw new BlasArgumentException(routine, position, name + " = " + value + " < 0");
        }
    }

    static void checkLeading(String routine, int position, String name, int ld, int rows) {
        if (ld < Math.max(1, rows)) {
            throw new BlasArgumentException(routine, position,
                    name + " = " + ld + " < max(1, " + rows + ") = " + Math.max(1, rows));
        }
    }

    static void checkIncrement(String routine, int position, String name, int inc) {
        if (inc == 0) {
            throw new BlasArgumentException(routine, position, name + " = 0");
        }
    }

    /** LAPACK's LWORK: at least {@code min}, at most what a 32-bit INTEGER holds. */
    static void checkWork(String routine, int position, String name, long lwork, long min, String why) {
        if (lwork < min || lwork > Integer.MAX_VALUE) {
            throw new BlasArgumentException(routine, position, name + " = " + lwork + ", needs " + min
                    + " <= " + name + " <= " + Integer.MAX_VALUE + " for " + why);
        }
    }

    /**
     * A segment a kernel may use: alive, accessible from this thread, native (the FFM linker cannot
     * pass heap memory to a long-running native call), aligned, writable when written, and spanning
     * at least {@code elements} values.
     */
    static void checkSegment(String routine, int position, String name, MemorySegment s, long elements,
                             Unit unit, boolean written) {
        if (s == null) {
            throw new BlasArgumentException(routine, position, name + " is null");
        }
        if (!s.scope().isAlive()) {
            throw new IllegalStateException("parameter " + position + " of " + routine + ": the arena of "
                    + name + " is already closed");
        }
        if (!s.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("parameter " + position + " of " + routine + ": " + name
                    + " belongs to a confined arena of another thread");
        }
        if (!s.isNative()) {
            throw new BlasArgumentException(routine, position, name + " is a heap segment; pass an off-heap"
                    + " (Arena-allocated) segment");
        }
        if (s.address() % unit.bytes != 0) {
            throw new BlasArgumentException(routine, position, name + " at address 0x"
                    + Long.toHexString(s.address()) + " is not aligned to " + unit.bytes + " bytes");
        }
        if (written && s.isReadOnly()) {
            throw new BlasArgumentException(routine, position, name + " is read-only but is written");
        }
        if (s.byteSize() < elements * unit.bytes) {
            throw new BlasArgumentException(routine, position, name + " holds " + s.byteSize() / unit.bytes
                    + " " + unit.plural + ", needs " + elements);
        }
    }

    /**
     * LAPACK's xSYEVD may loop or return garbage on NaN/Inf input; refuse it (O(n²), cheap next to
     * O(n³)). {@code single} reads floats, else doubles.
     */
    static void checkFiniteTriangle(String routine, char uplo, int n, MemorySegment a, int lda, boolean single) {
        for (int j = 0; j < n; j++) {
            int from = uplo == 'L' ? j : 0;
            int to = uplo == 'L' ? n : j + 1;
            long col = (long) j * lda;
            for (int i = from; i < to; i++) {
                double v = single ? a.getAtIndex(ValueLayout.JAVA_FLOAT, col + i)
                        : a.getAtIndex(ValueLayout.JAVA_DOUBLE, col + i);
                if (!Double.isFinite(v)) {
                    throw new BlasArgumentException(routine, 4, "a(" + (i + 1) + "," + (j + 1) + ") = " + v
                            + " (the matrix must be finite)");
                }
            }
        }
    }

    static void checkInfo(String routine, int info, String failure) {
        if (info < 0) {
            // Our checks mirror LAPACK's, so this means the library disagrees with them: say so plainly.
            throw new BlasArgumentException(routine, -info, "reported by the library (info = " + info + ")");
        }
        if (info > 0) {
            throw new LapackException(routine, info, failure);
        }
    }
}
