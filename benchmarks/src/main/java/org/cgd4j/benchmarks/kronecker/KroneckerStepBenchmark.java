package org.cgd4j.benchmarks.kronecker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.blas.DenseLinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.engine.CgdConfig;
import org.cgd4j.engine.Optimizer;
import org.cgd4j.engine.ParamLayout;
import org.cgd4j.engine.Structure;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * KRONECKER Adam (SOAP-like) on MLP-shaped layouts, against the BLAS-3 calls its step makes, timed
 * alone in the same run: per block two SYRK (the factors) and four GEMM (into the frame and back),
 * on the same shapes.
 * <ul>
 * <li>{@code amortized}: ten consecutive steps with refreshEvery = 10, one of them a refresh (two
 *     DSYEVD per block); reported per step.</li>
 * <li>{@code noRefresh}: steps that never refresh (after the first, warmed up in setup).</li>
 * <li>{@code blas}: the six BLAS-3 calls per block alone.</li>
 * </ul>
 * {@code precision} f64 steps double[] params (DSYRK, DGEMM, DSYEVD), f32 float[] params (float
 * state: SSYRK, SGEMM, SSYEVD), and {@code blas} times the routines of that precision.
 * Layouts: mlp1e6 = 784×1024, 1024, 1024×256, 256, 256×10, 10 (1.07e6 parameters);
 * mlp1e7 = 4096×2048, 4096, 2048×512, 512, 512×10, 10 (9.5e6).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-Xmx8g"})
public class KroneckerStepBenchmark {
    @Param({"mlp1e6"})
    public String layout;

    @Param({"128", "256", "512"})
    public int blockSize;

    @Param({"1"})
    public int threads;

    @Param({"f64", "f32"})
    public String precision;

    private Optimizer amortized, noRefresh;
    private double[] params, grads;
    private float[] paramsF, gradsF;
    private boolean single;
    private ParamLayout shape;
    private Arena arena;
    private DenseLinearAlgebra la;
    private final List<MemorySegment[]> blocks = new ArrayList<>();
    private final List<int[]> shapes = new ArrayList<>();

    static ParamLayout layout(String name) {
        return switch (name) {
            case "mlp1e6" -> ParamLayout.builder().matrix("w1", 784, 1024).vector("b1", 1024).matrix("w2", 1024, 256)
                    .vector("b2", 256).matrix("w3", 256, 10).vector("b3", 10).build();
            case "mlp1e7" -> ParamLayout.builder().matrix("w1", 4096, 2048).vector("b1", 4096).matrix("w2", 2048, 512)
                    .vector("b2", 512).matrix("w3", 512, 10).vector("b3", 10).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams benchmark) {
        shape = layout(layout);
        int d = shape.dimension();
        CgdConfig adam = CgdConfig.adam(1e-3, 0.9, 0.999, 1e-8).withStructure(Structure.KRONECKER).withBlockSize(blockSize);
        amortized = Optimizer.builder(shape).config(adam.withRefreshEvery(10)).threads(threads).build();
        noRefresh = Optimizer.builder(shape).config(adam.withRefreshEvery(Integer.MAX_VALUE)).threads(threads).build();
        single = precision.equals("f32");
        params = new double[d];
        grads = new SplittableRandom(1).doubles(d).map(x -> x - 0.5).toArray();
        paramsF = new float[d];
        gradsF = new float[d];
        for (int i = 0; i < d; i++) {
            gradsF[i] = (float) grads[i];
        }
        step(noRefresh); // past the first (refresh) step; WarmUp below runs the measured one
        la = LinearAlgebraProvider.get();
        // Shared, like the optimizer's own arena: writing confined-arena segments here made the JDK's shared
        // profile of the segment liveness check (MemorySessionImpl.checkValidStateRaw: "owner != null") say
        // "confined", C2 then hoisted the owner check out of the kernels' loops as a profiled predicate that
        // fails for shared segments, and the step deoptimized without end (docs/jit.md).
        arena = Arena.ofShared();
        for (ParamLayout.Tensor t : shape.tensors()) {
            for (int r0 = 0; r0 < t.rows(); r0 += blockSize) {
                for (int c0 = 0; c0 < t.cols(); c0 += blockSize) {
                    int mb = Math.min(blockSize, t.rows() - r0), nb = Math.min(blockSize, t.cols() - c0);
                    shapes.add(new int[] {mb, nb});
                    long block = (long) mb * nb * 8;
                    blocks.add(new MemorySegment[] {filled(block), filled((long) mb * mb * 8), filled((long) nb * nb * 8),
                            filled(block), filled(block)});
                }
            }
        }
        String method = benchmark.getBenchmark().substring(benchmark.getBenchmark().lastIndexOf('.') + 1);
        WarmUp.untilSettled("KroneckerStep " + method + " " + layout + " block=" + blockSize + " " + precision, false, switch (method) {
            case "amortized" -> this::amortized;
            case "noRefresh" -> this::noRefresh;
            default -> this::blas;
        });
    }

    private void step(Optimizer o) {
        if (single) {
            o.step(paramsF, gradsF);
        } else {
            o.step(params, grads);
        }
    }

    /** A buffer of {@code bytes} (sized for doubles; float calls use its first half), filled with small values. */
    private MemorySegment filled(long bytes) {
        MemorySegment s = arena.allocate(bytes, 64);
        for (long i = 0; i < bytes / 8; i++) {
            s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, 1e-3 * (i % 97));
        }
        for (long i = 0; single && i < bytes / 8; i++) {
            s.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (float) (1e-3 * (i % 97)));
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public void amortized() {
        for (int i = 0; i < 10; i++) {
            step(amortized);
        }
    }

    @Benchmark
    public void noRefresh() {
        step(noRefresh);
    }

    /** The BLAS-3 calls of one step that never refreshes: SYRK ×2 (sides > 1), GEMM ×4 (sides > 1). */
    @Benchmark
    public void blas() {
        try (var _ = la.singleThreaded()) {
            for (int b = 0; b < shapes.size(); b++) {
                int mb = shapes.get(b)[0], nb = shapes.get(b)[1];
                MemorySegment[] s = blocks.get(b);
                MemorySegment x = s[0], sl = s[1], sr = s[2], t = s[3], u = s[4];
                if (single) {
                    if (mb > 1) {
                        la.ssyrk('L', 'T', mb, nb, 0.001f, x, nb, 0.999f, sl, mb);
                    }
                    if (nb > 1) {
                        la.ssyrk('L', 'N', nb, mb, 0.001f, x, nb, 0.999f, sr, nb);
                        la.sgemm('T', 'N', nb, mb, nb, 1, sr, nb, x, nb, 0, t, nb);
                        la.sgemm('N', 'N', nb, mb, nb, 1, sr, nb, t, nb, 0, u, nb);
                    }
                    if (mb > 1) {
                        la.sgemm('N', 'N', nb, mb, mb, 1, x, nb, sl, mb, 0, t, nb);
                        la.sgemm('N', 'T', nb, mb, mb, 1, t, nb, sl, mb, 0, u, nb);
                    }
                    continue;
                }
                if (mb > 1) {
                    la.dsyrk('L', 'T', mb, nb, 0.001, x, nb, 0.999, sl, mb);
                }
                if (nb > 1) {
                    la.dsyrk('L', 'N', nb, mb, 0.001, x, nb, 0.999, sr, nb);
                    la.dgemm('T', 'N', nb, mb, nb, 1, sr, nb, x, nb, 0, t, nb);
                    la.dgemm('N', 'N', nb, mb, nb, 1, sr, nb, t, nb, 0, u, nb);
                }
                if (mb > 1) {
                    la.dgemm('N', 'N', nb, mb, mb, 1, x, nb, sl, mb, 0, t, nb);
                    la.dgemm('N', 'T', nb, mb, mb, 1, t, nb, sl, mb, 0, u, nb);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        amortized.close();
        noRefresh.close();
        arena.close();
    }
}
