/*
 * The Adam step as a C programmer writes it: the reference for cgd4j's diagonal kernels. Same
 * operations as the engine's SECOND_MOMENT kernel with a = 1/2 (m, s averages, debiased scalars
 * precomputed per step by the caller, q -= (lr/c1)*m/(sqrt(s/c2 + eps) + eps')), one pass, one
 * thread. gcc may contract to FMA here (GNU C default), which the Java kernels do not do.
 * Built with every other benchmarks/native/*.c by build.sh into libcgd4jref.so; called through FFM.
 */
#include <math.h>
#include "gradient_check.h"

void cgd4j_adam_f64(double *restrict q, const double *restrict g, double *restrict m, double *restrict s,
                    long n, double beta1, double one_minus_beta1, double beta2, double one_minus_beta2,
                    double step_scale, double inv_c2, double eps, double eps_out) {
    for (long i = 0; i < n; i++) {
        double gi = g[i];
        double mi = beta1 * m[i] + one_minus_beta1 * gi;
        double si = beta2 * s[i] + one_minus_beta2 * gi * gi;
        m[i] = mi;
        s[i] = si;
        q[i] -= step_scale * mi / (sqrt(eps + si * inv_c2) + eps_out);
    }
}

void cgd4j_adam_f32(float *restrict q, const float *restrict g, float *restrict m, float *restrict s,
                    long n, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
                    float step_scale, float inv_c2, float eps, float eps_out) {
    for (long i = 0; i < n; i++) {
        float gi = g[i];
        float mi = beta1 * m[i] + one_minus_beta1 * gi;
        float si = beta2 * s[i] + one_minus_beta2 * gi * gi;
        m[i] = mi;
        s[i] = si;
        q[i] -= step_scale * mi / (sqrtf(eps + si * inv_c2) + eps_out);
    }
}

/*
 * The same step under the contract cgd4j's public step keeps: every gradient is checked first, and
 * if one is NaN, infinite or beyond max_g nothing is written. Returns 0 when it stepped, 1 when it
 * refused (the check: gradient_check.h).
 */
int cgd4j_adam_checked_f64(double *restrict q, const double *restrict g, double *restrict m, double *restrict s,
                           long n, double beta1, double one_minus_beta1, double beta2, double one_minus_beta2,
                           double step_scale, double inv_c2, double eps, double eps_out, double max_g) {
    if (!cgd4j_all_within_f64(g, n, max_g)) {
        return 1;
    }
    cgd4j_adam_f64(q, g, m, s, n, beta1, one_minus_beta1, beta2, one_minus_beta2, step_scale, inv_c2, eps, eps_out);
    return 0;
}

int cgd4j_adam_checked_f32(float *restrict q, const float *restrict g, float *restrict m, float *restrict s,
                           long n, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
                           float step_scale, float inv_c2, float eps, float eps_out, float max_g) {
    if (!cgd4j_all_within_f32(g, n, max_g)) {
        return 1;
    }
    cgd4j_adam_f32(q, g, m, s, n, beta1, one_minus_beta1, beta2, one_minus_beta2, step_scale, inv_c2, eps, eps_out);
    return 0;
}
