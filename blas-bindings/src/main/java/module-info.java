/**
 * BLAS/LAPACK for cgd4j: OpenBLAS through the FFM API, with a pure-Java implementation of the same
 * interface as the fallback. Grant native access with {@code --enable-native-access=org.cgd4j.blas}.
 * Without a system OpenBLAS, the optional jar {@code org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64}
 * on the class path or module path supplies one (extracted to a per-user cache; see
 * {@link org.cgd4j.blas.LinearAlgebraProvider}); cgd4j reads it as a plain jar, so it needs no
 * {@code requires}.
 */
module org.cgd4j.blas {
    exports org.cgd4j.blas;
}
