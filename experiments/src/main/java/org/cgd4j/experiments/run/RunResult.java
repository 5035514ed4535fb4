package org.cgd4j.experiments.run;

/**
 * The outcome of one run of one optimizer on one task with one seed.
 *
 * @param steps          the steps at which the loss was recorded (0 = before the first update)
 * @param loss           the task's reported loss at those steps (+∞ once a run diverged)
 * @param stepsToReach   for each of the task's thresholds, the first step with loss ≤ threshold, or −1
 * @param diverged       how many of the run's independent starts diverged (0 or 1 for a single start)
 * @param failure        why the first diverged start stopped, or null
 * @param nanos          wall time of the run
 * @param spectrum       FULL only (else null): the metric's spectrum over time
 * @param heldOut        classification tasks only (else null): accuracy and training time per recorded step
 */
public record RunResult(int[] steps, double[] loss, int[] stepsToReach, int diverged, String failure,
                        long nanos, SpectrumTrace spectrum, HeldOutTrace heldOut) {

    /** A run without a held-out trace. */
    public RunResult(int[] steps, double[] loss, int[] stepsToReach, int diverged, String failure, long nanos,
                     SpectrumTrace spectrum) {
        this(steps, loss, stepsToReach, diverged, failure, nanos, spectrum, null);
    }

    /** The loss after the last step. */
    public double finalLoss() {
        return loss[loss.length - 1];
    }
}
