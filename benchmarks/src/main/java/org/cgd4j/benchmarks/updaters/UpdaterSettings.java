package org.cgd4j.benchmarks.updaters;

import java.util.SplittableRandom;
import org.cgd4j.engine.CgdConfig;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The hyperparameters and data both sides of the updater comparison share, so that cgd4j and ND4J
 * run the same optimizer on the same numbers. Values are the libraries' usual defaults.
 */
final class UpdaterSettings {
    static final double LEARNING_RATE = 1e-3;
    static final double BETA1 = 0.9;
    static final double BETA2 = 0.999;
    static final double RMS_DECAY = 0.95;
    static final double EPSILON = 1e-8;
    static final long SEED = 20250407L;
    /** Each trial first runs this many steps at {@link #PRIME_DIMENSION} (JIT warm-up independent of d). */
    static final int PRIME_STEPS = 20_000;
    static final int PRIME_DIMENSION = 256;
    /**
     * During the priming, one step of the measured optimizer every this many small steps (50 of
     * them): C1 records their branches, so C2 compiles the paths the measured d takes.
     */
    static final int PRIME_MEASURED_EVERY = 400;
    /** ND4J's steps cost ~100× more, and its hot code is native: fewer priming steps. */
    static final int ND4J_PRIME_STEPS = 2_000;

    private UpdaterSettings() {}

    /** The cgd4j preset matching {@link #nd4j(String)} (SPEC's special-case table). */
    static CgdConfig cgd(String optimizer) {
        return switch (optimizer) {
            case "sgd" -> CgdConfig.sgd(LEARNING_RATE);
            case "rmsprop" -> CgdConfig.rmsprop(LEARNING_RATE, RMS_DECAY, EPSILON);
            case "rmsprop-centered" -> CgdConfig.rmspropCentered(LEARNING_RATE, RMS_DECAY, EPSILON); // cgd4j only
            case "adam" -> CgdConfig.adam(LEARNING_RATE, BETA1, BETA2, EPSILON);
            case "adabelief" -> CgdConfig.adabelief(LEARNING_RATE, BETA1, BETA2, EPSILON);
            default -> throw new IllegalArgumentException("unknown optimizer: " + optimizer);
        };
    }

    /** ND4J's updater configuration (org.nd4j.linalg.learning.config) for the same optimizer. */
    static IUpdater nd4j(String optimizer) {
        return switch (optimizer) {
            case "sgd" -> new Sgd(LEARNING_RATE);
            case "rmsprop" -> new RmsProp(LEARNING_RATE, RMS_DECAY, EPSILON);
            case "adam" -> new Adam(LEARNING_RATE, BETA1, BETA2, EPSILON);
            case "adabelief" -> new AdaBelief(LEARNING_RATE, BETA1, BETA2, EPSILON);
            default -> throw new IllegalArgumentException("unknown optimizer: " + optimizer);
        };
    }

    /**
     * A fixed gradient: magnitudes in [0.5, 1) with random signs, so squares and averages stay far
     * from subnormal numbers (which would slow either side down for reasons unrelated to the optimizer).
     */
    static double[] gradient(int d) {
        SplittableRandom random = new SplittableRandom(SEED);
        double[] g = new double[d];
        for (int i = 0; i < d; i++) {
            double magnitude = 0.5 + 0.5 * random.nextDouble();
            g[i] = random.nextBoolean() ? magnitude : -magnitude;
        }
        return g;
    }

    /** Starting parameters, uniform in [-1, 1). */
    static double[] parameters(int d) {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        double[] q = new double[d];
        for (int i = 0; i < d; i++) {
            q[i] = 2 * random.nextDouble() - 1;
        }
        return q;
    }

    static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
