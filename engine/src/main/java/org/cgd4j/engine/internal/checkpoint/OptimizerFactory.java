package org.cgd4j.engine.internal.checkpoint;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.internal.OptimizerBase;

/** Creates the empty optimizer that a checkpoint is restored into (tests substitute their own). */
@FunctionalInterface
interface OptimizerFactory {
    OptimizerBase create(CgdConfig config, int dimension);
}
