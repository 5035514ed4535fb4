package org.cgd4j.engine;

/**
 * A learning-rate schedule: step t (1-based, the optimizer's own count) uses γ_t = γ·factor(t)·κ,
 * with κ the optimizer's {@link Optimizer#setLearningRateScale user scale} (SPEC "Training-loop
 * terms"). Each preset equals the scheduler users know, step t taking the scheduler's value at
 * epoch t − 1. Schedules are values: they are saved in checkpoints and compared by their fields.
 */
public sealed interface Schedule {

    /** The factor s(t) for step t ≥ 1. */
    double factor(long t);

    /** s = 1. */
    static Schedule constant() { return new Constant(); }

    /**
     * torch LinearLR(start_factor = f0, end_factor = 1, total_iters = w): s = f0 + (1 − f0)·min(t−1, w)/w.
     * Needs w ≥ 1 and 0 &lt; f0 ≤ 1.
     */
    static Schedule linearWarmup(long warmupSteps, double startFactor) { return new LinearWarmup(warmupSteps, startFactor); }

    /**
     * torch CosineAnnealingLR(T_max = T, eta_min = fmin·γ) for t − 1 ≤ T, then held at fmin (torch
     * would climb back up): s = fmin + (1 − fmin)·½(1 + cos(π(t−1)/T)). Needs T ≥ 1, 0 ≤ fmin ≤ 1.
     */
    static Schedule cosine(long totalSteps, double minFactor) { return new Cosine(totalSteps, minFactor); }

    /**
     * Hugging Face get_cosine_with_min_lr_schedule_with_warmup(num_warmup_steps = w,
     * num_training_steps = T, min_lr_rate = fmin); fmin = 0 is get_cosine_schedule_with_warmup:
     * s = (t−1)/w while t − 1 &lt; w, then fmin + (1 − fmin)·½(1 + cos(π·p)), p = (t−1−w)/(T−w), held at
     * fmin once p ≥ 1. Needs 0 ≤ w &lt; T and 0 ≤ fmin ≤ 1.
     */
    static Schedule warmupCosine(long warmupSteps, long totalSteps, double minFactor) {
        return new WarmupCosine(warmupSteps, totalSteps, minFactor);
    }

    /** torch StepLR(step_size = n, gamma = g): s = g^⌊(t−1)/n⌋. Needs n ≥ 1, g &gt; 0. */
    static Schedule stepDecay(long every, double gamma) { return new StepDecay(every, gamma); }

    /** torch ExponentialLR(gamma = g): s = g^(t−1). Needs g &gt; 0. */
    static Schedule exponential(double gamma) { return new Exponential(gamma); }

    record Constant() implements Schedule {
        @Override public double factor(long t) { return 1; }
    }

    record LinearWarmup(long warmupSteps, double startFactor) implements Schedule {
        public LinearWarmup {
            Checks.atLeast("warmupSteps", warmupSteps, 1);
            if (!(startFactor > 0 && startFactor <= 1)) {
                throw new IllegalArgumentException("startFactor must be in (0, 1], got " + startFactor);
            }
        }

        @Override public double factor(long t) {
            return startFactor + (1 - startFactor) * Math.min(t - 1, warmupSteps) / warmupSteps;
        }
    }

    record Cosine(long totalSteps, double minFactor) implements Schedule {
        public Cosine {
            Checks.atLeast("totalSteps", totalSteps, 1);
            Checks.unit("minFactor", minFactor);
        }

        @Override public double factor(long t) {
            long e = t - 1;
            if (e >= totalSteps) {
                return minFactor;
            }
            return minFactor + (1 - minFactor) * (1 + Math.cos(Math.PI * e / totalSteps)) / 2;
        }
    }

    record WarmupCosine(long warmupSteps, long totalSteps, double minFactor) implements Schedule {
        public WarmupCosine {
            Checks.atLeast("warmupSteps", warmupSteps, 0);
            if (totalSteps <= warmupSteps) {
                throw new IllegalArgumentException("totalSteps must be > warmupSteps = " + warmupSteps + ", got " + totalSteps);
            }
            Checks.unit("minFactor", minFactor);
        }

        @Override public double factor(long t) {
            long e = t - 1;
            if (e < warmupSteps) {
                return (double) e / warmupSteps;
            }
            double progress = (double) (e - warmupSteps) / (totalSteps - warmupSteps);
            if (progress >= 1) {
                return minFactor;
            }
            double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
            return Math.max(0, cosine * (1 - minFactor) + minFactor);
        }
    }

    record StepDecay(long every, double gamma) implements Schedule {
        public StepDecay {
            Checks.atLeast("every", every, 1);
            Checks.positive("gamma", gamma);
        }

        @Override public double factor(long t) { return Math.pow(gamma, (double) ((t - 1) / every)); }
    }

    record Exponential(double gamma) implements Schedule {
        public Exponential {
            Checks.positive("gamma", gamma);
        }

        @Override public double factor(long t) { return Math.pow(gamma, (double) (t - 1)); }
    }
}

/** Schedule argument checks whose messages name the field and the value. */
final class Checks {
    private Checks() {}

    static void atLeast(String name, long v, long min) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
        }
    }

    static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
        }
    }

    static void unit(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + v);
        }
    }
}
