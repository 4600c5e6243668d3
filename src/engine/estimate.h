/* estimate.h: ability estimation from graded answers: EAP (expected a posteriori) on a grid,
 * MAP (Bayes modal), ML (maximum likelihood) and Warm's weighted likelihood (WLE).
 *
 * Conventions follow catR: EAP integrates over n equally spaced points on [lo, hi] (33 on
 * [-4, 4] by default) with trapezoidal weights and a normal prior N(mean, sd) (N(0, 1) by
 * default), and its SE is the posterior SD computed the same way. MAP, ML and WLE are the
 * roots of their estimating equations on [lo, hi]:
 *   ML:  sum_i d/dtheta log P_i(x_i)                         = 0, SE = 1/sqrt(I)
 *   MAP: ML equation - (theta - mean) / sd^2                  = 0, SE = 1/sqrt(I + 1/sd^2)
 *   WLE: ML equation + J / (2 I)                              = 0, SE = 1/sqrt(I)
 * with I = sum_i sum_k P'_ik^2 / P_ik (test information) and J = sum_i sum_k P'_ik P''_ik /
 * P_ik. When an equation has no root inside [lo, hi] the nearer bound is returned, as catR
 * does. Everything here is pure and works on caller-owned data; any thread. */
#ifndef VIVA_ESTIMATE_H
#define VIVA_ESTIMATE_H

#include <stddef.h>

#include "irt.h"

#define EST_GRID_MAX 401

typedef struct {
    int n;                       /* EAP quadrature points, 2..EST_GRID_MAX (33) */
    double lo, hi;               /* EAP grid and root bracket for MAP/ML/WLE (-4, 4) */
    double prior_mean, prior_sd; /* normal prior (0, 1); prior_sd <= 0 means a flat prior */
} est_opts;

/* catR's defaults: 33 points on [-4, 4], N(0, 1). */
est_opts est_defaults(void);

/* A posterior kept on the grid, so that adding one answer costs O(grid) and reading the EAP
 * costs O(grid), however many answers came before. Plain data: copy it freely. */
typedef struct {
    int n;
    double theta[EST_GRID_MAX];
    double logw[EST_GRID_MAX]; /* log(prior x trapezoid weight) + log-likelihood so far */
} est_post;

/* Start from the prior alone. */
void est_post_init(est_post *p, const est_opts *o);
/* Multiply in the likelihood of category k on item `it`. */
void est_post_add(est_post *p, const irt_item *it, int k);
/* Posterior mean and SD. */
void est_post_eap(const est_post *p, double *theta, double *se);

typedef struct {
    double theta; /* NaN when there is no estimate at all (ML or WLE without answers) */
    double se;    /* INFINITY when the information at theta is zero */
    int finite;   /* ML: 0 when the likelihood has no finite maximum (no answers, all
                   * lowest or all highest categories); theta is then the nearer bound.
                   * Always 1 for EAP and MAP, and for WLE with at least one answer. */
} est_result;

/* Pattern estimators: item items[i] was answered in category x[i], for i < n. */
est_result est_eap(const irt_item *items, const int *x, size_t n, const est_opts *o);
est_result est_map(const irt_item *items, const int *x, size_t n, const est_opts *o);
est_result est_ml(const irt_item *items, const int *x, size_t n, const est_opts *o);
est_result est_wle(const irt_item *items, const int *x, size_t n, const est_opts *o);

/* Test information sum_i I_i(theta) over the answered items. */
double est_test_info(const irt_item *items, size_t n, double theta);

#endif
