package org.cgd4j.benchmarks.dl4j;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.OptimizerBuilder;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
import org.cgd4j.engine.StructuredUpdate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What hosting costs a KRONECKER step (DL4J's CgdUpdater.kronecker): {@code optimizer} is the
 * Optimizer's own step on native segments (each tensor its own group, as the host runs it);
 * {@code hosted} is {@link StructuredUpdate#update} on the same layout, which adds the compare of
 * the host's state with the optimizer's copy, the zeroed scratch, the negation into the gradient and
 * the write-through of the committed state. Diagonal CGD in the Kronecker frame, refresh every 10
 * steps (amortised over consecutive calls), blocks of 256. Layout: 784×678, 678, 678×678, 678,
 * 10×678, 10 (a DL4J 784→678→678→10 MLP's tensors as they lie in its flat view, 999 382 parameters).
 * The gradient is restored before each call, untimed ({@code hosted} overwrites it with the update).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class HostedKroneckerBenchmark {
    @Param({"f64", "f32"})
    public String precision;

    private Optimizer optimizer;
    private StructuredUpdate hosted;
    private Arena arena;
    private MemorySegment params, gradient, pristine, state;
    private boolean single;
    private long t;

    static ParamLayout layout() {
        return ParamLayout.builder().matrix("W0", 678, 784).vector("b0", 678).matrix("W1", 678, 678).vector("b1", 678)
                .matrix("W2", 10, 678).vector("b2", 10).build();
    }

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("f32");
        ParamLayout layout = layout();
        CgdConfig config = CgdConfig.diagonalCgd(1e-3, 9, 99, 0.5, 1e-8).withStructure(Structure.KRONECKER)
                .withRefreshEvery(10);
        OptimizerBuilder builder = Optimizer.builder(layout);
        for (ParamLayout.Tensor tensor : layout.tensors()) {
            builder.group(config, tensor.name());
        }
        optimizer = builder.build();
        hosted = single ? StructuredUpdate.ofFloats(config, layout) : StructuredUpdate.ofDoubles(config, layout);
        arena = Arena.ofShared();
        long bytes = (long) layout.dimension() * (single ? Float.BYTES : Double.BYTES);
        params = arena.allocate(bytes, 64);
        gradient = arena.allocate(bytes, 64);
        pristine = arena.allocate(bytes, 64);
        SplittableRandom random = new SplittableRandom(3);
        for (long i = 0; i < layout.dimension(); i++) {
            double g = random.nextDouble() - 0.5;
            if (single) {
                pristine.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) g);
            } else {
                pristine.setAtIndex(ValueLayout.JAVA_DOUBLE, i, g);
            }
        }
        state = arena.allocate(hosted.stateBytes(), 64);
        hosted.initializeState(state);
        t = 0;
    }

    @Setup(Level.Invocation)
    public void restoreGradient() {
        gradient.copyFrom(pristine);
    }

    @Benchmark
    public MemorySegment optimizer() {
        if (single) {
            optimizer.stepFloats(params, gradient);
        } else {
            optimizer.step(params, gradient);
        }
        return params;
    }

    @Benchmark
    public MemorySegment hosted() {
        hosted.update(++t, 1, gradient);
        return gradient;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
        hosted.close();
        arena.close();
    }
}
