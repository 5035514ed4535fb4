package org.cgd4j.blas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cgd4j.blas.internal.openblas.BundledOpenBlas;
import org.cgd4j.blas.internal.openblas.NativeLibraryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup chain, run through the package-private {@link LinearAlgebraProvider#select} with our own
 * properties, environment and sonames, so the JVM-wide choice is never touched.
 */
class LinearAlgebraProviderTest {
    private static final String BOGUS = "/nonexistent/cgd4j/libbogus.so";
    private static final List<List<String>> NO_SONAMES = List.of();

    private static Function<String, String> map(String... keyValues) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m::get;
    }

    private static final Function<String, String> NO_ENV = key -> null;

    private static boolean nativeAvailable() {
        try {
            return LinearAlgebraProvider.nativeLibrary() != null;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Test
    void badPropertyPathIsRecordedThenFallsBackToJavaWithAWarning() {
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map(LinearAlgebraProvider.LIBRARY_PROPERTY, BOGUS), NO_ENV, NO_SONAMES);
        assertThat(s.implementation()).isSameAs(LinearAlgebraProvider.pureJava());
        LinearAlgebraReport r = s.report();
        assertThat(r.isNative()).isFalse();
        assertThat(r.attempts()).hasSize(1);
        LibraryAttempt a = r.attempts().getFirst();
        assertThat(a.source()).isEqualTo("system property cgd4j.blas.library");
        assertThat(a.candidate()).isEqualTo(BOGUS);
        assertThat(a.loaded()).isFalse();
        assertThat(a.detail()).isNotBlank();
        assertThat(r.fallbackReason()).isPresent();
        assertThat(s.warning()).hasValueSatisfying(w -> assertThat(w).contains(BOGUS)
                .contains("apt-get install libopenblas0-pthread liblapacke").contains("-Dcgd4j.blas.library="));
    }

    @Test
    void chainOrderIsPropertyThenEnvThenSonames() {
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map(LinearAlgebraProvider.LIBRARY_PROPERTY, BOGUS), map("CGD4J_BLAS_LIBRARY", BOGUS + "2"),
                List.of(List.of("libcgd4j-no-such-lib.so.7")));
        assertThat(s.report().attempts()).extracting(LibraryAttempt::source).containsExactly(
                "system property cgd4j.blas.library", "env CGD4J_BLAS_LIBRARY", "standard soname");
        assertThat(s.report().attempts()).extracting(LibraryAttempt::candidate)
                .containsExactly(BOGUS, BOGUS + "2", "libcgd4j-no-such-lib.so.7");
        assertThat(s.report().attempts()).noneMatch(LibraryAttempt::loaded);
    }

    @Test
    void forcedNativeThatCannotLoadThrowsListingTheAttempts() {
        assertThatThrownBy(() -> LinearAlgebraProvider.select(
                map("cgd4j.blas", "native", LinearAlgebraProvider.LIBRARY_PROPERTY, BOGUS), NO_ENV, NO_SONAMES))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("-Dcgd4j.blas=native").hasMessageContaining(BOGUS)
                .hasMessageContaining("apt-get install libopenblas0-pthread liblapacke");
    }

    @Test
    void forcedJavaLoadsNothing() {
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map("cgd4j.blas", "java", LinearAlgebraProvider.LIBRARY_PROPERTY, BOGUS), NO_ENV,
                NativeLibraryLoader.STANDARD_SONAMES);
        assertThat(s.implementation()).isSameAs(LinearAlgebraProvider.pureJava());
        assertThat(s.report().attempts()).isEmpty();
        assertThat(s.report().fallbackReason()).hasValue("forced by -Dcgd4j.blas=java");
        assertThat(s.warning()).isEmpty();
    }

    @Test
    void invalidSettingsAreRefusedByName() {
        assertThatThrownBy(() -> LinearAlgebraProvider.select(map("cgd4j.blas", "gpu"), NO_ENV, NO_SONAMES))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cgd4j.blas=gpu");
        for (String bad : new String[] {"0", "-2", "many"}) {
            assertThatThrownBy(() -> LinearAlgebraProvider.select(map("cgd4j.blas.threads", bad), NO_ENV, NO_SONAMES))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cgd4j.blas.threads=" + bad);
        }
    }

    @Test
    void aLibraryWithoutLapackIsRefusedWithTheMissingSymbols() {
        Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
        assumeTrue(Files.exists(libm));
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map(LinearAlgebraProvider.LIBRARY_PROPERTY, libm.toString()), NO_ENV, NO_SONAMES);
        assertThat(s.report().attempts().getFirst().detail()).contains("missing symbols").contains("dsyevd_");
    }

    @Test
    void standardSonamesFindOpenBlasAndRecordTheMappedFile() {
        assumeTrue(nativeAvailable());
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map(LinearAlgebraProvider.LIBRARY_PROPERTY, BOGUS), NO_ENV, NativeLibraryLoader.STANDARD_SONAMES);
        LinearAlgebraReport r = s.report();
        assertThat(r.isNative()).isTrue();
        assertThat(r.attempts().getFirst().loaded()).isFalse();
        assertThat(r.attempts().getLast().loaded()).isTrue();
        assertThat(r.library()).hasValueSatisfying(p -> assertThat(Path.of(p)).isRegularFile());
        assertThat(r.threads()).isIn(0, 1);
        // The explicit path failed although a library was found: the user hears about it.
        assertThat(s.warning()).hasValueSatisfying(w -> assertThat(w).contains(BOGUS));
    }

    @Test
    void anExplicitPathWins() {
        assumeTrue(nativeAvailable());
        String path = LinearAlgebraProvider.select(key -> null, NO_ENV, NativeLibraryLoader.STANDARD_SONAMES)
                .report().library().orElseThrow();
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(key -> null, map("CGD4J_BLAS_LIBRARY", path),
                NO_SONAMES);
        assertThat(s.report().isNative()).isTrue();
        assertThat(s.report().attempts()).singleElement().satisfies(a -> {
            assertThat(a.source()).isEqualTo("env CGD4J_BLAS_LIBRARY");
            assertThat(a.loaded()).isTrue();
        });
        assertThat(s.warning()).isEmpty();
    }

    @Test
    void threadCountIsSetAndReadBack() {
        assumeTrue(nativeAvailable());
        LinearAlgebraReport r = LinearAlgebraProvider.select(map("cgd4j.blas.threads", "2"), NO_ENV,
                NativeLibraryLoader.STANDARD_SONAMES).report();
        try {
            assumeTrue(r.openblasConfig().isPresent(), "not OpenBLAS");
            assertThat(r.threads()).isEqualTo(2);
            assertThat(r.openblasConfig().get()).contains("OpenBLAS");
        } finally {
            // The thread count is process-wide library state: put the default back.
            LinearAlgebraProvider.select(key -> null, NO_ENV, NativeLibraryLoader.STANDARD_SONAMES);
        }
    }

    /** A bundled step that finds no jar, as on a machine without the dependency. */
    private static final Supplier<BundledOpenBlas.Outcome> NO_JAR =
            () -> new BundledOpenBlas.Outcome(Optional.empty(), "not on the class path (test)");

    @Test
    void theBundledJarComesAfterTheSonamesAndItsFailureIsRecordedWithoutAWarning() {
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(key -> null, NO_ENV,
                List.of(List.of("libcgd4j-no-such-lib.so.7")), NO_JAR);
        assertThat(s.report().attempts()).extracting(LibraryAttempt::source)
                .containsExactly("standard soname", "bundled jar");
        assertThat(s.report().attempts().get(1).detail()).isEqualTo("not on the class path (test)");
        assertThat(s.implementation()).isSameAs(LinearAlgebraProvider.pureJava());
        assertThat(s.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("org.bytedeco:openblas:" + LinearAlgebraProvider.BUNDLED_VERSION + ":linux-x86_64"));
    }

    @Test
    void bundledAsTheLibraryValueTriesTheJarFirstAndOnlyOnce() {
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map(LinearAlgebraProvider.LIBRARY_PROPERTY, "bundled"), NO_ENV,
                List.of(List.of("libcgd4j-no-such-lib.so.7")), NO_JAR);
        assertThat(s.report().attempts()).extracting(LibraryAttempt::source)
                .containsExactly("system property cgd4j.blas.library=bundled", "standard soname");
        // a forced bundled library that is missing is worth a warning, as any configured path
        assertThat(s.warning()).hasValueSatisfying(w -> assertThat(w).contains("not on the class path (test)"));
    }

    @Test
    void theBundledLibraryLoadsBesideTheSystemOne(@TempDir Path cache) {
        assumeTrue(nativeAvailable());
        LinearAlgebraProvider.Selection s = LinearAlgebraProvider.select(
                map(LinearAlgebraProvider.LIBRARY_PROPERTY, "bundled", BundledOpenBlas.CACHE_PROPERTY, cache.toString()),
                NO_ENV, NO_SONAMES,
                () -> BundledOpenBlas.locate(map(BundledOpenBlas.CACHE_PROPERTY, cache.toString()), NO_ENV));
        assertThat(s.report().isNative()).isTrue();
        assertThat(s.report().library()).hasValueSatisfying(lib -> assertThat(Path.of(lib)).startsWith(cache));
        assertThat(s.report().attempts()).singleElement().satisfies(a -> {
            assertThat(a.loaded()).isTrue();
            assertThat(a.source()).contains("extracted now");
        });
        assertThat(s.warning()).isEmpty();
        // two OpenBLAS copies in one process (dlopen by path, local scope): each answers for itself
        assertThat(s.implementation()).isNotSameAs(LinearAlgebraProvider.nativeLibrary());
        assertThat(s.report().openblasConfig()).hasValueSatisfying(c -> assertThat(c).contains("0.3.31"));
    }
}
