package org.cgd4j.benchmarks.training;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
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
 * step over 4096 × 64 elements (the work the sparse step does), the same one every call, so it runs
 * from cache; {@code denseSmallCold} = the same dense step, but each call on the next of 64 separate
 * 4096 × 64 optimizers (256 MB in all), so that its data comes from DRAM as the sparse step's rows do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class RowSparseBenchmark {
    static final int ROWS = 1_000_000, COLS = 64, BATCH = 4096;

    @Param({"rows", "denseTable", "denseSmall", "denseSmallCold"})
    public String mode;

    static final int COLD_COPIES = 64;

    private Optimizer opt;
    private float[] q, g;
    private Optimizer[] cold;
    private float[][] coldQ, coldG;
    private int[][] batches;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8);
        int rows = mode.startsWith("denseSmall") ? BATCH : ROWS;
        opt = Optimizer.builder(ParamLayout.builder().matrix("embedding", rows, COLS).build()).config(adam).build();
        q = new float[rows * COLS];
        int gradValues = mode.equals("rows") ? BATCH * COLS : rows * COLS;
        g = new float[gradValues];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < gradValues; i++) {
            g[i] = (float) (r.nextDouble() - 0.5);
        }
        if (mode.equals("denseSmallCold")) {
            cold = new Optimizer[COLD_COPIES];
            coldQ = new float[COLD_COPIES][];
            coldG = new float[COLD_COPIES][];
            for (int k = 0; k < COLD_COPIES; k++) {
                cold[k] = Optimizer.builder(ParamLayout.builder().matrix("embedding", BATCH, COLS).build()).config(adam).build();
                coldQ[k] = new float[BATCH * COLS];
                coldG[k] = g.clone();
            }
        }
        batches = new int[16][];
        for (int b = 0; b < 16; b++) { // distinct rows per batch, in random order
            batches[b] = r.ints(0, ROWS).distinct().limit(BATCH).toArray();
        }
        WarmUp.untilSettled("RowSparse " + mode, true, this::step);
    }

    @Benchmark
    public void step() {
        if (cold != null) {
            int k = next++ & (COLD_COPIES - 1);
            cold[k].step(coldQ[k], coldG[k]);
        } else if (mode.equals("rows")) {
            opt.stepRows(q, batches[next++ & 15], g);
        } else {
            opt.step(q, g);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opt.close();
        if (cold != null) {
            for (Optimizer o : cold) {
                o.close();
            }
        }
    }
}
