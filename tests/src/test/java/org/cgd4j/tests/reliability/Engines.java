package org.cgd4j.tests.reliability;

import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;

/** Which engines exist in this build (tests of a structure not yet implemented are skipped, not failed). */
final class Engines {
    private Engines() {}

    private static final boolean FULL = probe(CgdConfig.fullCgd(0.1, 1, 1, 0.5, 1e-3));

    static boolean fullAvailable() { return FULL; }

    private static boolean probe(CgdConfig config) {
        try {
            Optimizer.create(config, 2).close();
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }
}
