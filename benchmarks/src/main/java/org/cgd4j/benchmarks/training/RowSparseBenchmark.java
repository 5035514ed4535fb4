package org.cgd4j.benchmarks.training;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
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
 * Issue 13's row-sparse targets, float Adam: {@code rows} = stepRows of 4096 random distinct rows of a
 * 1e6 × 64 table; {@code denseTable} = a dense step of the whole table; {@code denseSmall} = a dense
 * step over 4096 × 64 elements (the work the sparse step does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class RowSparseBenchmark {
    static final int ROWS = 1_000_000, COLS = 64, BATCH = 4096;

    @Param({"rows", "denseTable", "denseSmall"})
    public String mode;

    private Optimizer opt;
    private float[] q, g;
    private int[][] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        int rows = mode.equals("denseSmall") ? BATCH : ROWS;
        opt = Optimizer.builder(ParamLayout.builder().matrix("embedding", rows, COLS).build()).config(adam).build();
        q = new float[rows * COLS];
        int gradValues = mode.equals("rows") ? BATCH * COLS : rows * COLS;
        g = new float[gradValues];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < gradValues; i++) {
            g[i] = (float) (r.nextDouble() - 0.5);
        }
        batches = new int[16][];
        for (int b = 0; b < 16; b++) { // distinct rows per batch, in random order
            batches[b] = r.ints(0, ROWS).distinct().limit(BATCH).toArray();
        }
    }

    @Benchmark
    public void step() {
        if (mode.equals("rows")) {
            opt.stepRows(q, batches[next++ & 15], g);
        } else {
            opt.step(q, g);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opt.close();
    }
}
