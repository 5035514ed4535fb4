package org.cgd4j.benchmarks.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
import org.cgd4j.blas.EigenWorkspace;
import org.cgd4j.blas.LinearAlgebra;
import org.cgd4j.blas.LinearAlgebraProvider;
import org.cgd4j.blas.LinearAlgebraReport;
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
 * DSYEVD through cgd4j's FFM binding on two OpenBLAS builds: the system library (Debian's 0.3.21)
 * and the one cgd4j bundles (bytedeco's 0.3.31, unpacked by the build into
 * {@code benchmarks/target/bundled-openblas}), each with the kernels its DYNAMIC_ARCH dispatch picks
 * ({@code coretype=inherited}: whatever {@code OPENBLAS_CORETYPE} the environment has) or forced to
 * Haswell (AVX2) or SkylakeX (AVX-512). The fork sets {@code OPENBLAS_CORETYPE} with libc
 * {@code setenv} before the library is loaded, which is when OpenBLAS reads it. Same matrix and copy
 * as {@link EigenBenchmark}; one OpenBLAS thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class LapackBuildBenchmark {
    /** Where the build unpacks the bundled libraries, relative to the repository root (JMH's working directory). */
    static final String BUNDLED = "benchmarks/target/bundled-openblas/org/bytedeco/openblas/linux-x86_64/libopenblas.so.0";

    @Param({"system", "bundled"})
    public String library;

    @Param({"inherited", "Haswell", "SkylakeX"})
    public String coretype;

    @Param({"256", "1024"})
    public int n;

    private Arena arena;
    private LinearAlgebra la;
    private MemorySegment source;
    private MemorySegment a;
    private MemorySegment w;
    private MemorySegment work;
    private MemorySegment iwork;
    private EigenWorkspace ws;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        if (!coretype.equals("inherited")) {
            setenv("OPENBLAS_CORETYPE", coretype);
        }
        switch (library) {
            case "system" -> System.clearProperty(LinearAlgebraProvider.LIBRARY_PROPERTY); // the standard sonames
            case "bundled" -> {
                Path path = Path.of(BUNDLED).toAbsolutePath();
                if (!Files.exists(path)) {
                    throw new IllegalStateException(path + " is missing: build with mvn -Pbench -pl benchmarks -am package");
                }
                System.setProperty(LinearAlgebraProvider.LIBRARY_PROPERTY, path.toString());
            }
            default -> throw new IllegalArgumentException("unknown library: " + library);
        }
        la = LinearAlgebraProvider.nativeLibrary();
        LinearAlgebraReport report = LinearAlgebraProvider.report();
        System.out.println("library: " + report.library().orElse("?") + "; " + report.openblasConfig().orElse("?")
                + "; OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + " (before setenv)");
        double[] spd = EigenBenchmark.randomSpd(n, new Random(42));
        arena = Arena.ofShared();
        source = arena.allocate(JAVA_DOUBLE, (long) n * n);
        MemorySegment.copy(spd, 0, source, JAVA_DOUBLE, 0, spd.length);
        a = arena.allocate(JAVA_DOUBLE, (long) n * n);
        w = arena.allocate(JAVA_DOUBLE, n);
        ws = la.dsyevdWorkspace(n);
        work = arena.allocate(JAVA_DOUBLE, ws.lwork());
        iwork = arena.allocate(JAVA_INT, ws.liwork());
        WarmUp.untilSettled("LapackBuild " + library + " " + coretype + " n=" + n, true, this::dsyevd);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Returns the largest eigenvalue so the work cannot be eliminated. */
    @Benchmark
    public double dsyevd() {
        MemorySegment.copy(source, 0, a, 0, source.byteSize());
        la.dsyevd('V', 'L', n, a, n, w, work, ws.lwork(), iwork, ws.liwork());
        return w.getAtIndex(JAVA_DOUBLE, n - 1);
    }

    // libc's setenv is restricted FFM (a downcall): the fork runs with --enable-native-access=ALL-UNNAMED.
    @SuppressWarnings("restricted")
    private static void setenv(String name, String value) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena scratch = Arena.ofConfined()) {
            int rc = (int) setenv.invokeExact(scratch.allocateFrom(name), scratch.allocateFrom(value), 1);
            if (rc != 0) {
                throw new IllegalStateException("setenv(" + name + ") failed: " + rc);
            }
        }
    }
}
