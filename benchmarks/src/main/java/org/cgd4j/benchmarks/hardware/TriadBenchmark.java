package org.cgd4j.benchmarks.hardware;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.cgd4j.benchmarks.WarmUp;
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
 * The bandwidth reference: the C triad a[i] = b[i] + s*c[i] (gcc -O3 -march=native, one thread) over
 * off-heap arrays, at the same d and precision as the optimizer benchmarks. Bytes moved per call:
 * 3·d·(4 or 8), plus write-allocate traffic for a on most CPUs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TriadBenchmark {
    @Param({"f32", "f64"})
    public String precision;

    @Param({"100", "1000", "10000", "100000", "1000000", "10000000"})
    public int d;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private boolean single;

    @Setup(Level.Trial)
    public void setUp() {
        single = switch (precision) {
            case "f32" -> true;
            case "f64" -> false;
            default -> throw new IllegalArgumentException("unknown precision: " + precision);
        };
        long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
        arena = Arena.ofConfined();
        a = arena.allocate(bytes, 64);
        b = arena.allocate(bytes, 64);
        c = arena.allocate(bytes, 64);
        for (long i = 0; i < d; i++) {
            if (single) {
                b.setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f + i % 7);
                c.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0.5f + i % 3);
            } else {
                b.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 1.0 + i % 7);
                c.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 0.5 + i % 3);
            }
        }
        WarmUp.untilSettled("Triad " + precision + " d=" + d, true, this::triad);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void triad() throws Throwable {
        if (single) {
            TriadLibrary.TRIAD_F32.invokeExact(a, b, c, 0.5f, (long) d);
        } else {
            TriadLibrary.TRIAD_F64.invokeExact(a, b, c, 0.5, (long) d);
        }
    }
}
