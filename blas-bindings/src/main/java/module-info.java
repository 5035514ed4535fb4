/**
 * BLAS/LAPACK for cgd4j: OpenBLAS through the FFM API, with a pure-Java implementation of the same
 * interface as the fallback. Grant native access with {@code --enable-native-access=org.cgd4j.blas}.
 */
module org.cgd4j.blas {
    exports org.cgd4j.blas;
}
