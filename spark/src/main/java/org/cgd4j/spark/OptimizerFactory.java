package org.cgd4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;

/**
 * Makes the driver's optimizer for a parameter vector of d elements, and reads it back from a
 * checkpoint. Any source of an {@link Optimizer} fits: a {@link CgdConfig} ({@link #of}), or a
 * factory of the caller's own (a future training-loop builder plugs in here).
 */
@FunctionalInterface
public interface OptimizerFactory {

    /** A fresh optimizer for {@code dimension} parameters. */
    Optimizer create(int dimension);

    /** The optimizer saved at {@code checkpoint} by {@link Optimizer#save}; {@link Optimizer#load} by default. */
    default Optimizer load(Path checkpoint) throws IOException {
        return Optimizer.load(checkpoint);
    }

    /** {@code Optimizer.create(config, d)}: any configuration, FULL included. */
    static OptimizerFactory of(CgdConfig config) {
        java.util.Objects.requireNonNull(config, "config must not be null");
        return d -> Optimizer.create(config, d);
    }
}
