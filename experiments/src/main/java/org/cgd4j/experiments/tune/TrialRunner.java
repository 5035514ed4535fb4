package org.cgd4j.experiments.tune;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.cgd4j.experiments.run.TaskSettings;

/**
 * Scores a rung of tuning trials somewhere other than the local thread pool (e.g. as Spark tasks
 * for {@code cgd4j tune --spark}). Each trial is {@link Tuning#score} of one hyperparameter set, a
 * pure function of the trial, so a runner returns the same numbers as the local pool and the search
 * picks the same winners. Implementations come from elsewhere through {@link Provider} and
 * {@link java.util.ServiceLoader}; this module does not depend on any of them.
 */
public interface TrialRunner extends AutoCloseable {

    /**
     * One trial: {@code Tuning.score(Task.byId(task, settings), OptimizerKind.byId(optimizer), hyperparameters,
     * steps, seeds)}.
     */
    record Trial(String task, String optimizer, Map<String, Double> hyperparameters, int steps, long[] seeds)
            implements Serializable {
        public Trial {
            hyperparameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hyperparameters));
            seeds = seeds.clone();
        }

        @Override
        public long[] seeds() {
            return seeds.clone();
        }
    }

    /** The score of each trial, in order (+∞ for a diverged or invalid one). */
    double[] score(List<Trial> trials);

    @Override
    void close();

    /** Makes runners; listed in META-INF/services by the module that provides one. */
    interface Provider {
        /** Short name of the back end, e.g. "spark". */
        String name();

        /** A runner on {@code master} (the back end's own address syntax) for tasks of these sizes. */
        TrialRunner open(String master, TaskSettings settings);
    }
}
