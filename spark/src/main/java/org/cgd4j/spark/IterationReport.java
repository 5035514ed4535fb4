package org.cgd4j.spark;

/**
 * One iteration as the driver saw it: the objective and gradient norm at the iterate the gradient was
 * taken at (before the step), and where the time went.
 *
 * @param iteration      0-based iteration number (continues across a resume)
 * @param loss           F(q) on this iteration's examples: Σ w·ℓ / Σ w + R(q)
 * @param gradientNorm   ‖∇F(q)‖₂
 * @param examples       examples aggregated (all of them in full batch; the sample's size otherwise)
 * @param aggregateNanos broadcast and aggregation (the Spark job), wall time on the driver
 * @param stepNanos      the optimizer's step on the driver (0 when no step was taken)
 */
public record IterationReport(long iteration, double loss, double gradientNorm, long examples, long aggregateNanos,
                              long stepNanos) {}
