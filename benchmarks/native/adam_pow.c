/*
 * Adam with a general power, as a C programmer writes it with the best vectorised libm at hand:
 * q -= (lr/c1)*m/((eps + s/c2)^a + eps'), the power from glibc's libmvec (AVX2 variants
 * _ZGVdN4vv_pow and _ZGVdN8vv_powf, called by the loop gcc vectorises). The reference for cgd4j's
 * own vectorised x^a (PowerBenchmark, impl = c): what the hardware gives a good library.
 */
#include <math.h>

/* glibc declares its vector variants only under -ffast-math, which would also change the rest of
 * the loop's arithmetic; declaring them here asks for libmvec alone. */
#pragma omp declare simd notinbranch
double pow(double x, double y);
#pragma omp declare simd notinbranch
float powf(float x, float y);

void cgd4j_adam_pow_f64(double *restrict q, const double *restrict g, double *restrict m, double *restrict s,
                        long n, double beta1, double one_minus_beta1, double beta2, double one_minus_beta2,
                        double step_scale, double inv_c2, double eps, double eps_out, double a) {
#pragma omp simd
    for (long i = 0; i < n; i++) {
        double gi = g[i];
        double mi = beta1 * m[i] + one_minus_beta1 * gi;
        double si = beta2 * s[i] + one_minus_beta2 * gi * gi;
        m[i] = mi;
        s[i] = si;
        q[i] -= step_scale * mi / (pow(eps + si * inv_c2, a) + eps_out);
    }
}

void cgd4j_adam_pow_f32(float *restrict q, const float *restrict g, float *restrict m, float *restrict s,
                        long n, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
                        float step_scale, float inv_c2, float eps, float eps_out, float a) {
#pragma omp simd
    for (long i = 0; i < n; i++) {
        float gi = g[i];
        float mi = beta1 * m[i] + one_minus_beta1 * gi;
        float si = beta2 * s[i] + one_minus_beta2 * gi * gi;
        m[i] = mi;
        s[i] = si;
        q[i] -= step_scale * mi / (powf(eps + si * inv_c2, a) + eps_out);
    }
}
