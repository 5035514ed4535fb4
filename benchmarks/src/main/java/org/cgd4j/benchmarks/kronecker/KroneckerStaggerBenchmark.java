package org.cgd4j.benchmarks.kronecker;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
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
 * What {@code staggerRefresh} does to the distribution of step times: KRONECKER Adam with
 * refreshEvery = 10 on the 1.07e6-parameter MLP layout (blockSize 256: 27 blocks, 16 of them
 * 256-wide in w1), one step per sample, in SampleTime mode, so that JMH reports p50, p90, p99 and the
 * maximum. Without stagger every 10th step eigendecomposes every block's factors (a spike of
 * ~ten steps' refresh work in one step); with it block b refreshes b mod 10 steps later, so each
 * step pays about a tenth. The mean is the same work either way.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xmx4g"})
public class KroneckerStaggerBenchmark {
    @Param({"false", "true"})
    public boolean stagger;

    @Param({"f64"})
    public String precision;

    @Param({"256"})
    public int blockSize;

    @Param({"1"})
    public int threads;

    private Optimizer optimizer;
    private double[] params, grads;
    private float[] paramsF, gradsF;
    private boolean single;

    @Setup(Level.Trial)
    public void setUp() {
        ParamLayout shape = KroneckerStepBenchmark.layout("mlp1e6");
        int d = shape.dimension();
        CgdConfig c = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(blockSize)
                .withRefreshEvery(10).withStaggerRefresh(stagger);
        optimizer = Optimizer.builder(shape).config(c).threads(threads).build();
        single = precision.equals("f32");
        grads = new SplittableRandom(1).doubles(d).map(x -> x - 0.5).toArray();
        params = new double[d];
        gradsF = new float[d];
        paramsF = new float[d];
        for (int i = 0; i < d; i++) {
            gradsF[i] = (float) grads[i];
        }
        for (int i = 0; i < 20; i++) { // past every block's first refresh, staggered or not
            step();
        }
        WarmUp.untilSettled("KroneckerStagger stagger=" + stagger + " " + precision, false, this::step);
    }

    @Benchmark
    public void step() {
        if (single) {
            optimizer.step(paramsF, gradsF);
        } else {
            optimizer.step(params, grads);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        optimizer.close();
    }
}
