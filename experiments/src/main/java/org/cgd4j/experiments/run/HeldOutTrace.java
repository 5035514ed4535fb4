package org.cgd4j.experiments.run;

/**
 * What a classification run records beside its held-out loss, at the same steps.
 *
 * @param accuracy     fraction of held-out samples classified correctly (NaN once the run diverged)
 * @param trainSeconds wall time spent training up to that step: mini-batch assembly, forward and
 *                     backward pass and optimizer step, not the held-out evaluations
 */
public record HeldOutTrace(double[] accuracy, double[] trainSeconds) {}
