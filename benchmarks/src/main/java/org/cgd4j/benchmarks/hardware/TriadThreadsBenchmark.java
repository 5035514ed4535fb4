package org.cgd4j.benchmarks.hardware;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * The C triad split over 1 or 2 OpenMP threads (benchmarks/native/triad_threads.c) at large d:
 * how much memory bandwidth a second core adds on this machine, the ceiling for the optimizer's
 * 2-thread step (a bandwidth-bound step cannot speed up more than the triad does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class TriadThreadsBenchmark {
    @Param({"f32", "f64"})
    public String precision;

    @Param({"10000000"})
    public int d;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private MemorySegment a;
    private MemorySegment b;
    private MemorySegment c;
    private boolean single;

    @Setup(Level.Trial)
    public void setUp() {
        single = precision.equals("f32");
        long bytes = (long) d * (single ? Float.BYTES : Double.BYTES);
        arena = Arena.ofConfined();
        a = arena.allocate(bytes, 64);
        b = arena.allocate(bytes, 64).fill((byte) 0x3f); // bytes 0x3f: finite, normal values
        c = arena.allocate(bytes, 64).fill((byte) 0x3e);
        WarmUp.untilSettled("TriadThreads " + threads + " " + precision + " d=" + d, true, this::triad);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public void triad() throws Throwable {
        if (single) {
            TriadLibrary.TRIAD_F32_THREADS.invokeExact(a, b, c, 0.5f, (long) d, threads);
        } else {
            TriadLibrary.TRIAD_F64_THREADS.invokeExact(a, b, c, 0.5, (long) d, threads);
        }
    }
}
