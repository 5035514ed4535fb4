package org.cgd4j.engine;

/**
 * How FULL steps between two eigendecompositions ({@link CgdConfig#refreshEvery()} &gt; 1) get their
 * eigenvalues. With {@code refreshEvery = 1} both are the paper's exact method.
 */
public enum RefreshMode {
    /** Reuse the last eigenbasis V and its eigenvalues unchanged: O(d²) per step for the apply. */
    STALE,
    /**
     * Reuse V, re-estimate the eigenvalues every step as diag(Vᵀ X̂ V) from gradients projected onto V.
     * For KRONECKER the exact rule of SPEC (every refresh a DSYEVD of each factor).
     */
    TRACKED,
    /**
     * KRONECKER only: a refresh after the first is one power-iteration step Q' = qr(S·Q), columns ordered
     * by diag(Q'ᵀ S Q') ascending (SOAP's cheaper refresh); the first refresh uses DSYEVD.
     */
    QR
}
