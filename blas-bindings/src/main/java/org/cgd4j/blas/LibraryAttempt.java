package org.cgd4j.blas;

/**
 * One step of the native library lookup, recorded whether or not it succeeded (for {@code cgd4j
 * doctor} and the fallback warning).
 *
 * @param source    where the candidate came from, e.g. "system property cgd4j.blas.library",
 *                  "env CGD4J_BLAS_LIBRARY", "standard soname" or "bundled jar"; a bundled
 *                  library that was found adds its jar and whether it was extracted now or
 *                  cached, in parentheses
 * @param candidate the path or soname(s) tried
 * @param loaded    whether this candidate was loaded and passed the checks
 * @param detail    the resolved file on success, else why it was refused
 */
public record LibraryAttempt(String source, String candidate, boolean loaded, String detail) {
    @Override
    public String toString() {
        return source + " '" + candidate + "': " + (loaded ? "loaded " : "failed: ") + detail;
    }
}
