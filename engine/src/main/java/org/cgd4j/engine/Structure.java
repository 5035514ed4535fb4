package org.cgd4j.engine;

/** Whether the metric keeps only its diagonal (O(d)) or the whole d×d matrix (O(d²)). */
public enum Structure {
    /** X replaced by its diagonal: element-wise, memory-bandwidth bound. */
    DIAGONAL,
    /** The whole symmetric X, diagonalised with LAPACK dsyevd: full CGD (paper Eq. 4.9). */
    FULL
}
