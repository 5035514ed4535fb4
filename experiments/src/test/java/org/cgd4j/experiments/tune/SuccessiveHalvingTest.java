package org.cgd4j.experiments.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.cgd4j.experiments.run.ParamRange;
import org.junit.jupiter.api.Test;

class SuccessiveHalvingTest {
    private static final List<ParamRange> SPACE = List.of(ParamRange.log("lr", 1e-4, 1), ParamRange.linear("a", 0, 1));

    /** Distance from lr = 0.01, a = 0.3 in log-lr; budget-independent so the best draw must win. */
    private static double score(java.util.Map<String, Double> h, int steps) {
        return Math.abs(Math.log10(h.get("lr")) + 2) + Math.abs(h.get("a") - 0.3);
    }

    @Test
    void findsTheBestDrawAndCountsTrials() {
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            SuccessiveHalving.Result r = SuccessiveHalving.search(SPACE, 27, 3, 3, 90, 5,
                    SuccessiveHalvingTest::score, pool, calls::incrementAndGet);
            assertThat(calls.get()).isEqualTo(27 + 9 + 3).isEqualTo(SuccessiveHalving.trialCount(27, 3, 3));
            assertThat(r.trials()).hasSize(27);
            double min = r.trials().stream().mapToDouble(t -> score(t.hyperparameters(), 0)).min().orElseThrow();
            assertThat(r.best().score()).isEqualTo(min);
            assertThat(r.best().steps()).isEqualTo(90);
            assertThat(r.trials().stream().filter(t -> t.rung() == 0).allMatch(t -> t.steps() == 10)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sameSeedSameWinnerWhateverTheThreads() {
        ExecutorService one = Executors.newFixedThreadPool(1);
        ExecutorService three = Executors.newFixedThreadPool(3);
        try {
            var a = SuccessiveHalving.search(SPACE, 30, 3, 2, 50, 9, SuccessiveHalvingTest::score, one, () -> {});
            var b = SuccessiveHalving.search(SPACE, 30, 3, 2, 50, 9, SuccessiveHalvingTest::score, three, () -> {});
            assertThat(b.best()).isEqualTo(a.best());
            assertThat(b.trials()).isEqualTo(a.trials());
        } finally {
            one.shutdownNow();
            three.shutdownNow();
        }
    }

    @Test
    void rangesSampleInsideTheirBounds() {
        var rng = new java.util.SplittableRandom(1);
        ParamRange beta = ParamRange.complementLog("beta", 0.5, 0.999);
        ParamRange c = ParamRange.choice("w", 0, 1, 4);
        for (int i = 0; i < 1000; i++) {
            assertThat(beta.sample(rng)).isBetween(0.5, 0.999);
            assertThat(SPACE.getFirst().sample(rng)).isBetween(1e-4, 1.0);
            assertThat(c.sample(rng)).isIn(0.0, 1.0, 4.0);
        }
    }
}
