package org.cgd4j.experiments.run;

/**
 * What a classification run records beside its held-out loss, at the same steps. Training time
 * counts mini-batch assembly, the forward and backward pass and the optimizer step, not the
 * held-out evaluations; it is given as the training thread's CPU time, which on a machine shared
 * with other jobs measures the work where wall time measures the queue, and as wall time.
 *
 * @param accuracy     fraction of held-out samples classified correctly (NaN once the run diverged)
 * @param cpuSeconds   CPU time of the training thread up to that step (NaN once diverged)
 * @param wallSeconds  wall time spent training up to that step (NaN once diverged)
 */
public record HeldOutTrace(double[] accuracy, double[] cpuSeconds, double[] wallSeconds) {}
