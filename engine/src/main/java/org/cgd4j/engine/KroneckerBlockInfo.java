package org.cgd4j.engine;

/**
 * Diagnostics of one KRONECKER block ({@link Optimizer#kroneckerBlocks()}): where it sits in its
 * tensor's matrix view, the eigenvalues of its factors S_L and S_R at the last refresh (ascending;
 * empty for a side of length 1 or before the first refresh's values exist), their effective
 * dimensions (Σλ)²/Σλ² (0 when all are 0) and the off-heap bytes the block keeps.
 */
public record KroneckerBlockInfo(int group, int block, long offset, int rows, int cols, double[] leftEigenvalues,
                                 double[] rightEigenvalues, long stateBytes) {

    /** (Σλ)²/Σλ² of the left factor's eigenvalues (negative rounding clamped to 0). */
    public double leftEffectiveDimension() { return effectiveDimension(leftEigenvalues); }

    /** (Σλ)²/Σλ² of the right factor's eigenvalues. */
    public double rightEffectiveDimension() { return effectiveDimension(rightEigenvalues); }

    /** (Σλ)²/Σλ², scaled by the largest λ first so that large finite eigenvalues cannot overflow. */
    static double effectiveDimension(double[] lambda) {
        double max = 0;
        for (double l : lambda) {
            max = Math.max(max, l);
        }
        if (max == 0) {
            return 0;
        }
        double sum = 0, squares = 0;
        for (double l : lambda) {
            double x = Math.max(l, 0) / max;
            sum += x;
            squares += x * x;
        }
        return sum * sum / squares;
    }
}
