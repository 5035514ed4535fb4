package org.cgd4j.engine.internal.checkpoint;

import org.cgd4j.engine.internal.OptimizerBase;

/**
 * Creates the empty optimizer that a validated checkpoint is restored into, shaped so that its
 * {@link OptimizerBase#stateSlices()} can receive the saved ones (tests substitute their own).
 */
@FunctionalInterface
interface OptimizerFactory {
    OptimizerBase create(CheckpointHeader header);
}
