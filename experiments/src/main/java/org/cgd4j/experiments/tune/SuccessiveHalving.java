package org.cgd4j.experiments.tune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.cgd4j.experiments.run.ParamRange;

/**
 * Random search with successive halving (Jamieson &amp; Talwalkar 2016): draw {@code configs}
 * hyperparameter sets, score all of them on a small step budget, keep the best 1/eta, multiply the
 * budget by eta, repeat until the last rung runs the full budget. Every optimizer gets the same
 * number of configurations and rungs, so the same compute. Deterministic for a given seed whatever
 * the number of threads: trials are scored independently and collected in submission order; ties
 * keep the earlier draw.
 */
public final class SuccessiveHalving {

    /** Scores one hyperparameter set on a step budget; lower is better, non-finite means failed. */
    @FunctionalInterface
    public interface Objective {
        double score(Map<String, Double> hyperparameters, int steps);
    }

    /** Scores every hyperparameter set of a rung on a step budget, in order (a batch: e.g. one Spark job). */
    @FunctionalInterface
    public interface RungObjective {
        double[] score(List<Map<String, Double>> hyperparameters, int steps);
    }

    /** One drawn configuration and its score on the highest rung it reached. */
    public record Trial(int id, Map<String, Double> hyperparameters, double score, int rung, int steps) {}

    /** The search outcome: the winner (best of the last rung) and every trial in final-rung order. */
    public record Result(Trial best, List<Trial> trials) {}

    /**
     * @param space   what to draw
     * @param configs configurations drawn on the first rung (≥ 1)
     * @param eta     reduction factor (≥ 2)
     * @param rungs   number of rungs (≥ 1); rung r runs maxSteps / eta^(rungs−1−r) steps
     * @param seed    seed of the random draws
     * @param pool    where trials run
     * @param onTrial called after each scored trial (progress), from worker threads
     */
    public static Result search(List<ParamRange> space, int configs, int eta, int rungs, int maxSteps, long seed,
                                Objective objective, ExecutorService pool, Runnable onTrial) {
        return search(space, configs, eta, rungs, maxSteps, seed, (hs, steps) -> {
            List<Future<Double>> futures = new ArrayList<>();
            for (Map<String, Double> h : hs) {
                futures.add(pool.submit(() -> {
                    try {
                        return objective.score(h, steps);
                    } finally {
                        onTrial.run();
                    }
                }));
            }
            double[] scores = new double[futures.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = get(futures.get(i));
            }
            return scores;
        });
    }

    /**
     * The same search with each rung scored as one batch by {@code objective} (which must return one
     * score per set, in order); the result depends only on the scores, not on where they were computed.
     */
    public static Result search(List<ParamRange> space, int configs, int eta, int rungs, int maxSteps, long seed,
                                RungObjective objective) {
        if (configs < 1 || eta < 2 || rungs < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("need configs >= 1, eta >= 2, rungs >= 1, maxSteps >= 1; got "
                    + configs + ", " + eta + ", " + rungs + ", " + maxSteps);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Trial> alive = new ArrayList<>();
        for (int i = 0; i < configs; i++) {
            Map<String, Double> h = new LinkedHashMap<>();
            for (ParamRange p : space) {
                h.put(p.name(), p.sample(rng));
            }
            alive.add(new Trial(i, java.util.Collections.unmodifiableMap(h), Double.NaN, -1, 0));
        }
        List<Trial> finished = new ArrayList<>();
        for (int r = 0; r < rungs; r++) {
            int steps = (int) Math.max(1, Math.round(maxSteps / Math.pow(eta, rungs - 1 - r)));
            double[] scores = objective.score(alive.stream().map(Trial::hyperparameters).toList(), steps);
            if (scores.length != alive.size()) {
                throw new IllegalStateException("the rung objective returned " + scores.length + " scores for "
                        + alive.size() + " trials");
            }
            List<Trial> scored = new ArrayList<>();
            for (int i = 0; i < alive.size(); i++) {
                double s = scores[i];
                Trial t = alive.get(i);
                scored.add(new Trial(t.id(), t.hyperparameters(), Double.isNaN(s) ? Double.POSITIVE_INFINITY : s, r, steps));
            }
            scored.sort(ORDER);
            int keep = r == rungs - 1 ? scored.size() : Math.max(1, scored.size() / eta);
            finished.addAll(0, scored.subList(keep, scored.size()));
            alive = new ArrayList<>(scored.subList(0, keep));
        }
        List<Trial> all = new ArrayList<>(alive);
        all.addAll(finished.stream().sorted(Comparator.comparingInt(Trial::rung).reversed().thenComparing(ORDER)).toList());
        return new Result(alive.getFirst(), List.copyOf(all));
    }

    /** Total objective calls of a search, for progress bars. */
    public static int trialCount(int configs, int eta, int rungs) {
        int n = configs;
        int total = 0;
        for (int r = 0; r < rungs; r++) {
            total += n;
            n = Math.max(1, n / eta);
        }
        return total;
    }

    private static final Comparator<Trial> ORDER =
            Comparator.comparingDouble(Trial::score).thenComparingInt(Trial::id);

    private static double get(Future<Double> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while tuning", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a tuning trial failed: " + e.getCause(), e.getCause());
        }
    }
}
