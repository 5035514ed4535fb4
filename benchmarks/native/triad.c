/*
 * STREAM-style triad a[i] = b[i] + s*c[i]: the memory-bandwidth reference for the diagonal step.
 * Two streams read, one written, per element; compare with the Adam step's traffic in BENCHMARKS.md.
 * Built with every other benchmarks/native/*.c by build.sh (gcc -O3 -march=native) into
 * libcgd4jref.so and called from JMH through the FFM API (org.cgd4j.benchmarks.hardware).
 */
#include <stddef.h>

void cgd4j_triad_f64(double *restrict a, const double *restrict b, const double *restrict c,
                     double s, long n) {
    for (long i = 0; i < n; i++) {
        a[i] = b[i] + s * c[i];
    }
}

void cgd4j_triad_f32(float *restrict a, const float *restrict b, const float *restrict c,
                     float s, long n) {
    for (long i = 0; i < n; i++) {
        a[i] = b[i] + s * c[i];
    }
}
