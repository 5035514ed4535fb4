package org.cgd4j.benchmarks.diagonal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * FFM handles to the C Adam steps in benchmarks/native/adam.c, adam_exact.c and adam_pow.c (built into libcgd4jref.so by
 * benchmarks/native/build.sh). Library path: system property {@code cgd4j.bench.native}, default
 * {@code benchmarks/target/native/libcgd4jref.so} relative to the repository root.
 */
// restricted: loading a native library and linking downcalls is this class's purpose; the JMH forks
// run with --enable-native-access=ALL-UNNAMED.
@SuppressWarnings("restricted")
final class AdamReference {
    static final String PATH_PROPERTY = "cgd4j.bench.native";
    static final String DEFAULT_PATH = "benchmarks/target/native/libcgd4jref.so";

    /** cgd4j_adam_f64(q, g, m, s, n, β1, 1−β1, β2, 1−β2, γ/c1, 1/c2, ε, ε'). */
    static final MethodHandle ADAM_F64;
    /** cgd4j_adam_f32: as {@link #ADAM_F64} on floats. */
    static final MethodHandle ADAM_F32;
    /**
     * cgd4j_adam_exact_f64: as {@link #ADAM_F64} under the Java kernels' contract (adam_exact.c: their
     * operations in their order, max(s/c2, 0), no FMA contraction).
     */
    static final MethodHandle ADAM_EXACT_F64;
    /** cgd4j_adam_exact_f32: as {@link #ADAM_EXACT_F64} on floats. */
    static final MethodHandle ADAM_EXACT_F32;
    /** cgd4j_adam_exact_checked_f64(..., max |g|): {@link #ADAM_EXACT_F64} behind the gradient check. */
    static final MethodHandle ADAM_EXACT_CHECKED_F64;
    /** cgd4j_adam_exact_checked_f32: as {@link #ADAM_EXACT_CHECKED_F64} on floats. */
    static final MethodHandle ADAM_EXACT_CHECKED_F32;
    /** cgd4j_adam_checked_f64(..., max |g|) → 0 stepped, 1 refused: the step behind a gradient check. */
    static final MethodHandle ADAM_CHECKED_F64;
    /** cgd4j_adam_checked_f32: as {@link #ADAM_CHECKED_F64} on floats. */
    static final MethodHandle ADAM_CHECKED_F32;
    /** cgd4j_adam_pow_f64(..., a): (ε + s/c2)^a through glibc's vectorised pow (adam_pow.c). */
    static final MethodHandle ADAM_POW_F64;
    /** cgd4j_adam_pow_f32: as {@link #ADAM_POW_F64} on floats. */
    static final MethodHandle ADAM_POW_F32;

    static {
        Path path = Path.of(System.getProperty(PATH_PROPERTY, DEFAULT_PATH)).toAbsolutePath();
        if (!Files.isReadable(path)) {
            throw new IllegalStateException("C reference library not found at " + path
                    + ": run benchmarks/native/build.sh, or set -D" + PATH_PROPERTY + "=/path/to/libcgd4jref.so");
        }
        SymbolLookup library = SymbolLookup.libraryLookup(path, Arena.global());
        Linker linker = Linker.nativeLinker();
        // critical: a leaf call without upcalls; skips the thread-state transition (visible at d = 1000).
        // With heap access, so that C can also run on the very heap arrays the Java steps get (CStep.onHeap).
        Linker.Option critical = Linker.Option.critical(true);
        ValueLayout a = ValueLayout.ADDRESS;
        ValueLayout d = ValueLayout.JAVA_DOUBLE;
        ValueLayout f = ValueLayout.JAVA_FLOAT;
        ADAM_F64 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_f64"),
                FunctionDescriptor.ofVoid(a, a, a, a, ValueLayout.JAVA_LONG, d, d, d, d, d, d, d, d), critical);
        ADAM_F32 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_f32"),
                FunctionDescriptor.ofVoid(a, a, a, a, ValueLayout.JAVA_LONG, f, f, f, f, f, f, f, f), critical);
        ADAM_EXACT_F64 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_exact_f64"),
                FunctionDescriptor.ofVoid(a, a, a, a, ValueLayout.JAVA_LONG, d, d, d, d, d, d, d, d), critical);
        ADAM_EXACT_F32 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_exact_f32"),
                FunctionDescriptor.ofVoid(a, a, a, a, ValueLayout.JAVA_LONG, f, f, f, f, f, f, f, f), critical);
        ValueLayout i = ValueLayout.JAVA_INT;
        ADAM_CHECKED_F64 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_checked_f64"),
                FunctionDescriptor.of(i, a, a, a, a, ValueLayout.JAVA_LONG, d, d, d, d, d, d, d, d, d), critical);
        ADAM_CHECKED_F32 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_checked_f32"),
                FunctionDescriptor.of(i, a, a, a, a, ValueLayout.JAVA_LONG, f, f, f, f, f, f, f, f, f), critical);
        ADAM_EXACT_CHECKED_F64 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_exact_checked_f64"),
                FunctionDescriptor.of(i, a, a, a, a, ValueLayout.JAVA_LONG, d, d, d, d, d, d, d, d, d), critical);
        ADAM_EXACT_CHECKED_F32 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_exact_checked_f32"),
                FunctionDescriptor.of(i, a, a, a, a, ValueLayout.JAVA_LONG, f, f, f, f, f, f, f, f, f), critical);
        ADAM_POW_F64 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_pow_f64"),
                FunctionDescriptor.ofVoid(a, a, a, a, ValueLayout.JAVA_LONG, d, d, d, d, d, d, d, d, d), critical);
        ADAM_POW_F32 = linker.downcallHandle(library.findOrThrow("cgd4j_adam_pow_f32"),
                FunctionDescriptor.ofVoid(a, a, a, a, ValueLayout.JAVA_LONG, f, f, f, f, f, f, f, f, f), critical);
    }

    private AdamReference() {}
}
