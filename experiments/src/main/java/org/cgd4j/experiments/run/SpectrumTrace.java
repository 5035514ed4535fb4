package org.cgd4j.experiments.run;

import java.util.List;

/**
 * What a FULL optimizer's metric looked like during a run: the effective dimension (Σλ)²/Σλ² of X̂
 * at the loss-recording steps and the whole spectrum at a few log-spaced steps (paper Fig. 2).
 *
 * @param steps               steps at which {@code effectiveDimension} was read
 * @param effectiveDimension  one value per entry of {@code steps}
 * @param snapshots           eigenvalues (ascending) at log-spaced steps
 */
public record SpectrumTrace(int[] steps, double[] effectiveDimension, List<Snapshot> snapshots) {

    /** The eigenvalues of X̂ (ascending) after {@code step} updates. */
    public record Snapshot(int step, double[] eigenvalues) {}
}
