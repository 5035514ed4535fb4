package org.cgd4j.spark;

/** How the per-partition sums (gradient, loss, weight) are combined into one. */
public enum Aggregation {
    /**
     * Partition sums merged in partition order along a fixed tree (a shuffle per level when the
     * partitions outnumber the fan-in, then a collect): the same bits on every run, after a task
     * retry and after a resume from a checkpoint. The default.
     */
    ORDERED,
    /**
     * Spark's {@code treeAggregate}: the same tree shape, but partial sums are merged in the order
     * tasks finish, so the last bits of the gradient may differ from run to run (rounding only).
     */
    TREE
}
