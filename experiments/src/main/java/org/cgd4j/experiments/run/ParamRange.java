package org.cgd4j.experiments.run;

import java.util.SplittableRandom;

/**
 * One tunable hyperparameter and how random search samples it.
 *
 * @param name  the key in the hyperparameter map and the tuned file
 * @param low   smallest value
 * @param high  largest value
 * @param scale how values between low and high are drawn
 * @param choices for {@link Scale#CHOICE}: the allowed values (low/high ignored)
 */
public record ParamRange(String name, double low, double high, Scale scale, double[] choices) {

    /** Sampling scales. */
    public enum Scale {
        /** log-uniform in [low, high]: learning rates, ε, timescales */
        LOG,
        /** uniform in [low, high] */
        LINEAR,
        /** 1 − value log-uniform: decay rates β near 1 (0.9, 0.999) get equal weight per decade */
        COMPLEMENT_LOG,
        /** one of a few values, uniformly */
        CHOICE
    }

    public ParamRange {
        if (scale != Scale.CHOICE && !(low <= high)) {
            throw new IllegalArgumentException(name + ": low " + low + " > high " + high);
        }
        if (scale == Scale.LOG && !(low > 0)) {
            throw new IllegalArgumentException(name + ": a LOG range needs low > 0, got " + low);
        }
        if (scale == Scale.COMPLEMENT_LOG && !(high < 1)) {
            throw new IllegalArgumentException(name + ": a COMPLEMENT_LOG range needs high < 1, got " + high);
        }
        if (scale == Scale.CHOICE && (choices == null || choices.length == 0)) {
            throw new IllegalArgumentException(name + ": a CHOICE range needs at least one value");
        }
        choices = choices == null ? null : choices.clone();
    }

    public static ParamRange log(String name, double low, double high) {
        return new ParamRange(name, low, high, Scale.LOG, null);
    }

    public static ParamRange linear(String name, double low, double high) {
        return new ParamRange(name, low, high, Scale.LINEAR, null);
    }

    public static ParamRange complementLog(String name, double low, double high) {
        return new ParamRange(name, low, high, Scale.COMPLEMENT_LOG, null);
    }

    public static ParamRange choice(String name, double... values) {
        return new ParamRange(name, 0, 0, Scale.CHOICE, values);
    }

    /** A value drawn from this range. */
    public double sample(SplittableRandom rng) {
        return switch (scale) {
            case LOG -> Math.exp(rng.nextDouble(Math.log(low), Math.nextUp(Math.log(high))));
            case LINEAR -> rng.nextDouble(low, Math.nextUp(high));
            case COMPLEMENT_LOG -> 1 - Math.exp(rng.nextDouble(Math.log(1 - high), Math.nextUp(Math.log(1 - low))));
            case CHOICE -> choices[rng.nextInt(choices.length)];
        };
    }

    @Override
    public double[] choices() {
        return choices == null ? null : choices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParamRange r && r.name.equals(name) && r.low == low && r.high == high
                && r.scale == scale && java.util.Arrays.equals(r.choices, choices);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, low, high, scale, java.util.Arrays.hashCode(choices));
    }

    @Override
    public String toString() {
        return scale == Scale.CHOICE ? name + " ∈ " + java.util.Arrays.toString(choices)
                : name + " ∈ [" + low + ", " + high + "] " + scale.name().toLowerCase(java.util.Locale.ROOT);
    }
}
