/*
 * The check behind the C references' "checked" steps (adam.c, adam_exact.c): whether every gradient is
 * finite and within ±max_g, as cgd4j's scan checks before its step writes anything. An or-reduction gcc
 * vectorises; it reads g once more, as cgd4j's scan does. Static inline: each step inlines its copy.
 */
#ifndef CGD4J_GRADIENT_CHECK_H
#define CGD4J_GRADIENT_CHECK_H
#include <math.h>

static inline int cgd4j_all_within_f64(const double *restrict g, long n, double max_g) {
    int bad = 0;
    for (long i = 0; i < n; i++) {
        bad |= !(fabs(g[i]) <= max_g);
    }
    return !bad;
}

static inline int cgd4j_all_within_f32(const float *restrict g, long n, float max_g) {
    int bad = 0;
    for (long i = 0; i < n; i++) {
        bad |= !(fabsf(g[i]) <= max_g);
    }
    return !bad;
}
#endif
