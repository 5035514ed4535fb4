package org.cgd4j.engine;

/**
 * Whether the metric keeps only its diagonal (O(d)), the whole d×d matrix (O(d²)), or the diagonal
 * in a Kronecker eigenbasis per tensor block (full CGD at model scale).
 */
public enum Structure {
    /** X replaced by its diagonal: element-wise, memory-bandwidth bound. */
    DIAGONAL,
    /** The whole symmetric X, diagonalised with LAPACK dsyevd: full CGD (paper Eq. 4.9). */
    FULL,
    /**
     * DIAGONAL CGD in the Kronecker eigenbasis of each tensor block's gradient factors S_L = avg(G Gᵀ),
     * S_R = avg(Gᵀ G) (SPEC "Structure KRONECKER"; the eigenvalue-corrected idea of EKFAC and SOAP with
     * CGD's whole metric family): O(m n + m_b² + n_b²) memory per block instead of O((m n)²).
     */
    KRONECKER
}
