package org.cgd4j.tests.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Schedule;
import org.cgd4j.tests.parity.TorchTrainingLoop.Group;
import org.cgd4j.tests.parity.TorchTrainingLoop.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC "Training-loop terms" against PyTorch's published rules ({@link TorchTrainingLoop}): AdamW,
 * Adam and SGD-momentum with weight_decay, Adam after clip_grad_norm_, every schedule as torch's
 * schedulers compute it step by step (their chainable form, not the closed form the engine uses)
 * and Hugging Face's warm-up cosine, and two parameter groups under one global clip: 300
 * closed-loop steps of a noisy quadratic, max relative difference ≤ 1e-12 at every step.
 */
class TrainingLoopParityTest {
    static final int D = 37;
    static final int STEPS = 300;
    static final double TOLERANCE = 1e-12;
    static final List<int[]> ALL = List.of(new int[] {0, D});

    /** A scheduler stepped once per optimizer step, as torch's LRScheduler.step(): factor of epoch e = 0, 1, ... */
    interface Chain {
        double next(double previous, long epoch);
    }

    /** The factors of a chainable torch scheduler, epoch by epoch, starting from {@code first}. */
    static LongToDoubleFunction chained(double first, Chain chain) {
        double[] factors = new double[STEPS + 1];
        factors[0] = first;
        for (int e = 1; e <= STEPS; e++) {
            factors[e] = chain.next(factors[e - 1], e);
        }
        return e -> factors[(int) e];
    }

    static Stream<Arguments> schedules() {
        double f0 = 0.1;
        int w = 40;
        int total = 250;
        double fmin = 0.05;
        return Stream.of(
                Arguments.of("constant", Schedule.constant(), (LongToDoubleFunction) e -> 1),
                // torch LinearLR.get_lr: lr·(1 + (end − start)/(total·start + (e − 1)(end − start))) while e ≤ total
                Arguments.of("LinearLR", Schedule.linearWarmup(w, f0), chained(f0,
                        (prev, e) -> e > w ? prev : prev * (1 + (1 - f0) / (w * f0 + (e - 1) * (1 - f0))))),
                // torch CosineAnnealingLR.get_lr (its recursive form), eta_min = fmin·lr, T_max = STEPS
                Arguments.of("CosineAnnealingLR", Schedule.cosine(STEPS, fmin), chained(1, (prev, e) ->
                        (e - 1 - STEPS) % (2 * STEPS) == 0
                                ? prev + (1 - fmin) * (1 - Math.cos(Math.PI / STEPS)) / 2
                                : (1 + Math.cos(Math.PI * e / STEPS)) / (1 + Math.cos(Math.PI * (e - 1) / STEPS)) * (prev - fmin) + fmin)),
                Arguments.of("StepLR", Schedule.stepDecay(30, 0.7), chained(1, (prev, e) -> e % 30 == 0 ? prev * 0.7 : prev)),
                Arguments.of("ExponentialLR", Schedule.exponential(0.995), chained(1, (prev, e) -> prev * 0.995)),
                // Hugging Face _get_cosine_schedule_with_warmup_lr_lambda with min_lr_rate, num_cycles = 0.5
                Arguments.of("HF warm-up cosine", Schedule.warmupCosine(w, total, fmin), (LongToDoubleFunction) e -> {
                    if (e < w) {
                        return (double) e / Math.max(1, w);
                    }
                    double progress = (double) (e - w) / Math.max(1, total - w);
                    if (progress >= 1) {
                        return fmin; // SPEC's choice: held at fmin past the end
                    }
                    double factor = 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * progress));
                    return Math.max(0, factor * (1 - fmin) + fmin);
                }));
    }

    /** Runs the engine's optimizer and the reference side by side; returns the worst relative difference. */
    static double compare(Optimizer opt, TorchTrainingLoop ref, long seed) {
        NoisyQuadratic ours = new NoisyQuadratic(D, 0.3, seed);
        NoisyQuadratic theirs = new NoisyQuadratic(D, 0.3, seed);
        double[] q = ours.start.clone(), g = new double[D];
        double[] qRef = theirs.start.clone(), gRef = new double[D];
        double worst = 0;
        for (int t = 0; t < STEPS; t++) {
            ours.gradient(q, g);
            theirs.gradient(qRef, gRef);
            opt.step(q, g);
            ref.step(qRef, gRef);
            worst = Math.max(worst, DiagonalParityTest.maxRelativeDifference(q, qRef));
            if (opt.clipNorm() > 0) {
                assertThat(opt.lastGradientNorm()).isCloseTo(ref.lastNorm, org.assertj.core.data.Percentage.withPercentage(1e-10));
            }
        }
        assertThat(DiagonalParityTest.maxRelativeDifference(q, ours.start)).as("the run moved the parameters").isGreaterThan(0.1);
        return worst;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedules")
    void adamUnderEachSchedule(String name, Schedule schedule, LongToDoubleFunction torch) {
        try (Optimizer opt = Optimizer.builder(ParamLayout.vector(D)).config(CgdConfig.adam(0.02, 0.9, 0.999, 1e-8))
                .schedule(schedule).build()) {
            var ref = new TorchTrainingLoop(D, List.of(new Group(ALL, Kind.ADAM, 0.02, 0.9, 0.999, 1e-8, 0)), torch, 0);
            assertThat(compare(opt, ref, 3)).as(name).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void adamW() {
        try (Optimizer opt = Optimizer.create(CgdConfig.adamW(0.02, 0.9, 0.999, 1e-8, 0.05), D)) {
            var ref = new TorchTrainingLoop(D, List.of(new Group(ALL, Kind.ADAMW, 0.02, 0.9, 0.999, 1e-8, 0.05)), e -> 1, 0);
            assertThat(compare(opt, ref, 5)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void adamWithWeightDecayIsCoupledL2() {
        try (Optimizer opt = Optimizer.create(CgdConfig.adam(0.02, 0.9, 0.999, 1e-8).withL2(0.05), D)) {
            var ref = new TorchTrainingLoop(D, List.of(new Group(ALL, Kind.ADAM, 0.02, 0.9, 0.999, 1e-8, 0.05)), e -> 1, 0);
            assertThat(compare(opt, ref, 6)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void sgdMomentumWithWeightDecay() {
        try (Optimizer opt = Optimizer.create(CgdConfig.momentum(0.01, 0.9).withL2(0.05), D)) {
            var ref = new TorchTrainingLoop(D, List.of(new Group(ALL, Kind.SGD_MOMENTUM, 0.01, 0.9, 0, 0, 0.05)), e -> 1, 0);
            assertThat(compare(opt, ref, 7)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void adamAfterClipGradNorm() {
        // Max norm 1 against gradients of norm ~5-15: the clip is active on most steps.
        try (Optimizer opt = Optimizer.builder(ParamLayout.vector(D)).config(CgdConfig.adam(0.02, 0.9, 0.999, 1e-8))
                .clipNorm(1.0).build()) {
            var ref = new TorchTrainingLoop(D, List.of(new Group(ALL, Kind.ADAM, 0.02, 0.9, 0.999, 1e-8, 0)), e -> 1, 1.0);
            assertThat(compare(opt, ref, 8)).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @Test
    void twoGroupsUnderOneGlobalClipAndASchedule() {
        // w: 4 × 5 = 20 elements, b: 5, head: 12; AdamW on w and head, plain Adam (no decay) on the bias.
        ParamLayout layout = ParamLayout.builder().matrix("w", 4, 5).vector("b", 5).matrix("head", 3, 4).build();
        try (Optimizer opt = Optimizer.builder(layout)
                .config(CgdConfig.adamW(0.02, 0.9, 0.999, 1e-8, 0.05))
                .group(CgdConfig.adam(0.05, 0.8, 0.99, 1e-6), "b")
                .schedule(Schedule.stepDecay(50, 0.5))
                .clipNorm(2.0).build()) {
            var ref = new TorchTrainingLoop(D, List.of(
                    new Group(List.of(new int[] {0, 20}, new int[] {25, 12}), Kind.ADAMW, 0.02, 0.9, 0.999, 1e-8, 0.05),
                    new Group(List.of(new int[] {20, 5}), Kind.ADAM, 0.05, 0.8, 0.99, 1e-6, 0)),
                    e -> Math.pow(0.5, e / 50), 2.0);
            assertThat(compare(opt, ref, 9)).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
