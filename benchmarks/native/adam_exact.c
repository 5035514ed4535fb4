/*
 * The Adam step under the contract cgd4j's Java kernels keep: the same operations in the same order as
 * the generated SECOND_MOMENT loop with a = 1/2 (m·β1 + g·(1−β1); s·β2 + (g·(1−β2))·g; the update
 * (γ/c1)·m over sqrt(ε + max(s/c2, 0)) + ε', max as "x < 0 ? 0 : x"), each rounded on its own: no FMA
 * contraction (the pragma below; GNU C otherwise contracts, which adam.c allows). Written from the
 * generated loop; AdamPairBenchmark checks it against the Java kernels bit for bit before it times
 * anything. A C bound for the Java loop's arithmetic: what the same work costs with gcc's vectoriser
 * (-O3 -march=native, as adam.c).
 */
#pragma GCC optimize("fp-contract=off")
#include <math.h>
#include "gradient_check.h"

void cgd4j_adam_exact_f64(double *restrict q, const double *restrict g, double *restrict m, double *restrict s,
                          long n, double beta1, double one_minus_beta1, double beta2, double one_minus_beta2,
                          double step_scale, double inv_c2, double eps, double eps_out) {
    for (long i = 0; i < n; i++) {
        double gi = g[i];
        double mi = m[i] * beta1 + gi * one_minus_beta1;
        double si = s[i] * beta2 + gi * one_minus_beta2 * gi;
        m[i] = mi;
        s[i] = si;
        double x = si * inv_c2;
        x = x < 0 ? 0 : x;
        q[i] = q[i] - mi * step_scale / (sqrt(eps + x) + eps_out);
    }
}

void cgd4j_adam_exact_f32(float *restrict q, const float *restrict g, float *restrict m, float *restrict s,
                          long n, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
                          float step_scale, float inv_c2, float eps, float eps_out) {
    for (long i = 0; i < n; i++) {
        float gi = g[i];
        float mi = m[i] * beta1 + gi * one_minus_beta1;
        float si = s[i] * beta2 + gi * one_minus_beta2 * gi;
        m[i] = mi;
        s[i] = si;
        float x = si * inv_c2;
        x = x < 0 ? 0 : x;
        q[i] = q[i] - mi * step_scale / (sqrtf(eps + x) + eps_out);
    }
}

/*
 * The exact step behind the check cgd4j's checked public step makes (as adam.c's checked step): 0 when it
 * stepped, 1 when a gradient was NaN, infinite or beyond max_g and nothing was written.
 */
int cgd4j_adam_exact_checked_f64(double *restrict q, const double *restrict g, double *restrict m, double *restrict s,
                                 long n, double beta1, double one_minus_beta1, double beta2, double one_minus_beta2,
                                 double step_scale, double inv_c2, double eps, double eps_out, double max_g) {
    if (!cgd4j_all_within_f64(g, n, max_g)) {
        return 1;
    }
    cgd4j_adam_exact_f64(q, g, m, s, n, beta1, one_minus_beta1, beta2, one_minus_beta2, step_scale, inv_c2, eps, eps_out);
    return 0;
}

int cgd4j_adam_exact_checked_f32(float *restrict q, const float *restrict g, float *restrict m, float *restrict s,
                                 long n, float beta1, float one_minus_beta1, float beta2, float one_minus_beta2,
                                 float step_scale, float inv_c2, float eps, float eps_out, float max_g) {
    if (!cgd4j_all_within_f32(g, n, max_g)) {
        return 1;
    }
    cgd4j_adam_exact_f32(q, g, m, s, n, beta1, one_minus_beta1, beta2, one_minus_beta2, step_scale, inv_c2, eps, eps_out);
    return 0;
}
