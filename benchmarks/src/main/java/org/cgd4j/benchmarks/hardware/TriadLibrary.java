package org.cgd4j.benchmarks.hardware;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * FFM handles to the triads in benchmarks/native/triad.c and triad_threads.c, compiled into libcgd4jref.so by
 * benchmarks/native/build.sh. The library path is the system property {@code cgd4j.bench.native}
 * (default {@code benchmarks/target/native/libcgd4jref.so}, relative to the repository root where
 * benchmarks/run.sh starts JMH).
 */
// restricted: loading a native library and linking downcalls is this class's purpose; the JMH forks
// run with --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class TriadLibrary {
    static final String PATH_PROPERTY = "cgd4j.bench.native";
    static final String DEFAULT_PATH = "benchmarks/target/native/libcgd4jref.so";

    /** {@code void cgd4j_triad_f64(double *a, const double *b, const double *c, double s, long n)}. */
    static final MethodHandle TRIAD_F64;
    /** {@code void cgd4j_triad_f32(float *a, const float *b, const float *c, float s, long n)}. */
    static final MethodHandle TRIAD_F32;
    /** {@code void cgd4j_triad_f64_threads(double *a, const double *b, const double *c, double s, long n, int threads)}. */
    static final MethodHandle TRIAD_F64_THREADS;
    /** {@code void cgd4j_triad_f32_threads(float *a, const float *b, const float *c, float s, long n, int threads)}. */
    static final MethodHandle TRIAD_F32_THREADS;

    static {
        Path path = Path.of(System.getProperty(PATH_PROPERTY, DEFAULT_PATH)).toAbsolutePath();
        if (!Files.isReadable(path)) {
            throw new IllegalStateException("C reference library not found at " + path
                    + ": run benchmarks/native/build.sh (benchmarks/run.sh does), or set -D"
                    + PATH_PROPERTY + "=/path/to/libcgd4jref.so");
        }
        SymbolLookup library = SymbolLookup.libraryLookup(path, Arena.global());
        Linker linker = Linker.nativeLinker();
        // critical: a short leaf call, no upcalls; skips the thread-state transition (matters at d = 100).
        Linker.Option critical = Linker.Option.critical(false);
        TRIAD_F64 = linker.downcallHandle(library.findOrThrow("cgd4j_triad_f64"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_LONG), critical);
        TRIAD_F32 = linker.downcallHandle(library.findOrThrow("cgd4j_triad_f32"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_LONG), critical);
        // not critical: OpenMP wakes its worker threads inside the call
        TRIAD_F64_THREADS = linker.downcallHandle(library.findOrThrow("cgd4j_triad_f64_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        TRIAD_F32_THREADS = linker.downcallHandle(library.findOrThrow("cgd4j_triad_f32_threads"),
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_FLOAT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }

    private TriadLibrary() {}
}
