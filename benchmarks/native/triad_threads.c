/*
 * The triad of triad.c split over `threads` OpenMP threads (static schedule, one contiguous block
 * each): whether a second core adds memory bandwidth on this machine, the hardware reference for
 * the optimizer's 2-thread step. Built by build.sh with -fopenmp into libcgd4jref.so.
 */
void cgd4j_triad_f64_threads(double *restrict a, const double *restrict b, const double *restrict c,
                             double s, long n, int threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < n; i++) {
        a[i] = b[i] + s * c[i];
    }
}

void cgd4j_triad_f32_threads(float *restrict a, const float *restrict b, const float *restrict c,
                             float s, long n, int threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < n; i++) {
        a[i] = b[i] + s * c[i];
    }
}
