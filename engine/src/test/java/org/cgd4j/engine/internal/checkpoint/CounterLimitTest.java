package org.cgd4j.engine.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.NonFinitePolicy;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.RefreshMode;
import org.cgd4j.engine.internal.OptimizerBase;
import org.cgd4j.engine.internal.StateSlice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Counters at their limit: a checkpoint with steps or skippedSteps = Long.MAX_VALUE loads (it is a
 * valid state), every step that would count past the limit is refused with nothing changed (double,
 * float and segment steps; a skip under SKIP), the steps that do not count past it still run, and
 * the optimizer's own save and a reload of it always succeed. Before, one step wrapped the counter
 * negative and the next save was refused.
 */
class CounterLimitTest {
    @TempDir Path dir;

    static Stream<CgdConfig> configs() {
        CgdConfig full = CgdConfig.fullCgd(0.02, 3, 20, 0.5, 1e-3);
        return Stream.of(CgdConfig.adam(1e-2, 0.9, 0.999, 1e-8), CgdConfig.sgd(0.1), CgdConfig.diagonalCgd(0.02, 3, 20, 0.5, 1e-3),
                full, full.withRefreshEvery(3).withRefreshMode(RefreshMode.TRACKED), full.withWarmupSteps(5));
    }

    /** The checkpoint at {@code p} with its header changed by {@code change} (valid checksum). */
    static void rewriteHeader(Path p, UnaryOperator<CheckpointHeader> change) throws IOException {
        byte[] file = Files.readAllBytes(p);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(8);
        int headerLength = b.getInt(12);
        CheckpointHeader h;
        try {
            h = HeaderCodec.decode(Arrays.copyOfRange(file, 16, 16 + headerLength), version);
        } catch (HeaderReader.MalformedException e) {
            throw new AssertionError(e);
        }
        byte[] slices = Arrays.copyOfRange(file, 16 + headerLength, file.length - 4);
        Files.write(p, CheckpointBytes.build(version, HeaderCodec.encode(change.apply(h), version), slices));
    }

    static CheckpointHeader withCounters(CheckpointHeader h, long steps, long skipped) {
        return new CheckpointHeader(h.libraryVersion(), h.sliceOrder(), h.config(), h.dimension(), steps, skipped,
                h.slices(), h.spec(), h.learningRateScale(), h.precision());
    }

    static List<byte[]> state(Optimizer o) {
        List<byte[]> out = new ArrayList<>();
        for (StateSlice s : ((OptimizerBase) o).stateSlices()) {
            out.add(s.segment().toArray(ValueLayout.JAVA_BYTE));
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aStepCounterAtLongMaxLoadsRefusesTheNextStepAndStillSaves(CgdConfig config) throws IOException {
        int d = 4;
        Path p = dir.resolve("max.ckpt");
        double[] q = {1, 2, 3, 4};
        double[] g = {0.5, -1, 0.25, 2};
        try (Optimizer o = Optimizer.create(config, d)) {
            o.step(q, g);
            o.save(p);
        }
        rewriteHeader(p, h -> withCounters(h, Long.MAX_VALUE, 3));
        try (Optimizer o = Optimizer.load(p); Arena arena = Arena.ofConfined()) {
            assertThat(o.steps()).isEqualTo(Long.MAX_VALUE);
            List<byte[]> before = state(o);
            double[] q0 = q.clone();
            assertThatThrownBy(() -> o.step(q, g)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("step counter is at Long.MAX_VALUE");
            MemorySegment qs = arena.allocate(ValueLayout.JAVA_DOUBLE, d).copyFrom(MemorySegment.ofArray(q));
            MemorySegment gs = arena.allocate(ValueLayout.JAVA_DOUBLE, d).copyFrom(MemorySegment.ofArray(g));
            assertThatThrownBy(() -> o.step(qs, gs)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Long.MAX_VALUE");
            assertThat(q).isEqualTo(q0);
            assertThat(qs.toArray(ValueLayout.JAVA_DOUBLE)).isEqualTo(q0);
            assertThat(state(o)).containsExactlyElementsOf(before);
            assertThat(o.steps()).isEqualTo(Long.MAX_VALUE);
            assertThat(o.skippedSteps()).isEqualTo(3);
            // Its own save is never refused, and reloads to the same counters and state.
            Path again = dir.resolve("again.ckpt");
            o.save(again);
            try (Optimizer r = Optimizer.load(again)) {
                assertThat(r.steps()).isEqualTo(Long.MAX_VALUE);
                assertThat(state(r)).containsExactlyElementsOf(before);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aSkipCounterAtLongMaxRefusesTheNextSkipButNotTheNextStep(CgdConfig config) throws IOException {
        int d = 4;
        Path p = dir.resolve("skip.ckpt");
        double[] q = {1, 2, 3, 4};
        double[] g = {0.5, -1, 0.25, 2};
        try (Optimizer o = Optimizer.create(config.withNonFinitePolicy(NonFinitePolicy.SKIP), d)) {
            o.step(q, g);
            o.save(p);
        }
        rewriteHeader(p, h -> withCounters(h, 7, Long.MAX_VALUE));
        try (Optimizer o = Optimizer.load(p)) {
            List<byte[]> before = state(o);
            double[] bad = {0.5, Double.NaN, 0.25, 2};
            assertThatThrownBy(() -> o.step(q, bad)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("skipped-step counter is at Long.MAX_VALUE");
            assertThat(state(o)).containsExactlyElementsOf(before);
            assertThat(o.skippedSteps()).isEqualTo(Long.MAX_VALUE);
            assertThat(o.steps()).isEqualTo(7);
            o.step(q, g); // a finite gradient still steps
            assertThat(o.steps()).isEqualTo(8);
            o.save(dir.resolve("after.ckpt"));
            try (Optimizer r = Optimizer.load(dir.resolve("after.ckpt"))) {
                assertThat(r.skippedSteps()).isEqualTo(Long.MAX_VALUE);
                assertThat(r.steps()).isEqualTo(8);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void theLastCountableStepRunsAndTheOneAfterItIsRefused(CgdConfig config) throws IOException {
        int d = 4;
        Path p = dir.resolve("last.ckpt");
        double[] q = {1, 2, 3, 4};
        double[] g = {0.5, -1, 0.25, 2};
        try (Optimizer o = Optimizer.create(config, d)) {
            o.step(q, g);
            o.save(p);
        }
        rewriteHeader(p, h -> withCounters(h, Long.MAX_VALUE - 1, 0));
        try (Optimizer o = Optimizer.load(p)) {
            o.step(q, g);
            assertThat(o.steps()).isEqualTo(Long.MAX_VALUE);
            assertThat(Arrays.stream(q).allMatch(Double::isFinite)).isTrue();
            assertThatThrownBy(() -> o.step(q, g)).isInstanceOf(IllegalStateException.class);
            o.save(p);
        }
    }
}
