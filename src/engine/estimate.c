/* estimate.c: EAP on a grid posterior, and MAP/ML/WLE by bisection on their estimating
 * equations. Bisection rather than Newton: the equations are monotone in practice but their
 * derivatives are not always of one sign far from the root, and 50 halvings of [-4, 4] reach
 * 1e-14, which costs microseconds for the pattern lengths a session produces. */
#include "estimate.h"

#include <math.h>

est_opts est_defaults(void)
{
    est_opts o = {33, -4.0, 4.0, 0.0, 1.0};
    return o;
}

void est_post_init(est_post *p, const est_opts *o)
{
    int n = o->n < 2 ? 2 : (o->n > EST_GRID_MAX ? EST_GRID_MAX : o->n);
    p->n = n;
    for (int i = 0; i < n; i++) {
        double t = o->lo + (o->hi - o->lo) * i / (n - 1);
        double lw = (i == 0 || i == n - 1) ? log(0.5) : 0.0; /* trapezoid end weights */
        if (o->prior_sd > 0) {
            double z = (t - o->prior_mean) / o->prior_sd;
            lw += -0.5 * z * z;
        }
        p->theta[i] = t;
        p->logw[i] = lw;
    }
}

void est_post_add(est_post *p, const irt_item *it, int k)
{
    for (int i = 0; i < p->n; i++)
        p->logw[i] += irt_logp(it, p->theta[i], k);
}

void est_post_eap(const est_post *p, double *theta, double *se)
{
    double mx = p->logw[0];
    for (int i = 1; i < p->n; i++)
        if (p->logw[i] > mx)
            mx = p->logw[i];
    double w[EST_GRID_MAX], sw = 0, st = 0;
    for (int i = 0; i < p->n; i++) {
        w[i] = exp(p->logw[i] - mx);
        sw += w[i];
        st += w[i] * p->theta[i];
    }
    double mean = st / sw, sv = 0;
    for (int i = 0; i < p->n; i++)
        sv += w[i] * (p->theta[i] - mean) * (p->theta[i] - mean);
    *theta = mean;
    *se = sqrt(sv / sw);
}

est_result est_eap(const irt_item *items, const int *x, size_t n, const est_opts *o)
{
    est_post p;
    est_post_init(&p, o);
    for (size_t i = 0; i < n; i++)
        est_post_add(&p, &items[i], x[i]);
    est_result r = {0, 0, 1};
    est_post_eap(&p, &r.theta, &r.se);
    return r;
}

/* Score (d log L), information I and J at theta. */
static void moments(const irt_item *items, const int *x, size_t n, double theta, double *dl,
                    double *info, double *j)
{
    double s = 0, ti = 0, tj = 0;
    for (size_t i = 0; i < n; i++) {
        double p[IRT_MAX_CAT], dp[IRT_MAX_CAT], d2p[IRT_MAX_CAT];
        irt_probs(&items[i], theta, p, dp, d2p);
        double px = p[x[i]] > IRT_PROB_FLOOR ? p[x[i]] : IRT_PROB_FLOOR;
        s += dp[x[i]] / px;
        for (int k = 0; k < items[i].ncat; k++) {
            if (p[k] > IRT_PROB_FLOOR) {
                ti += dp[k] * dp[k] / p[k];
                tj += dp[k] * d2p[k] / p[k];
            }
        }
    }
    *dl = s;
    *info = ti;
    *j = tj;
}

enum { EQ_ML, EQ_MAP, EQ_WLE };

static double equation(int kind, const irt_item *items, const int *x, size_t n, const est_opts *o,
                       double theta)
{
    double dl, info, j;
    moments(items, x, n, theta, &dl, &info, &j);
    if (kind == EQ_MAP && o->prior_sd > 0)
        return dl - (theta - o->prior_mean) / (o->prior_sd * o->prior_sd);
    if (kind == EQ_WLE)
        return info > 0 ? dl + j / (2 * info) : dl;
    return dl;
}

/* The root of a decreasing equation on [lo, hi], or the bound on the side of the maximum. */
static double solve(int kind, const irt_item *items, const int *x, size_t n, const est_opts *o)
{
    double lo = o->lo, hi = o->hi;
    if (equation(kind, items, x, n, o, lo) <= 0)
        return lo;
    if (equation(kind, items, x, n, o, hi) >= 0)
        return hi;
    for (int it = 0; it < 200 && hi - lo > 1e-14; it++) {
        double mid = 0.5 * (lo + hi);
        if (equation(kind, items, x, n, o, mid) > 0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double est_test_info(const irt_item *items, size_t n, double theta)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += irt_info(&items[i], theta);
    return s;
}

static double inv_sqrt_or_inf(double v)
{
    return v > 0 ? 1.0 / sqrt(v) : INFINITY;
}

est_result est_map(const irt_item *items, const int *x, size_t n, const est_opts *o)
{
    est_result r = {0, 0, 1};
    r.theta = solve(EQ_MAP, items, x, n, o);
    double prec = o->prior_sd > 0 ? 1.0 / (o->prior_sd * o->prior_sd) : 0;
    r.se = inv_sqrt_or_inf(est_test_info(items, n, r.theta) + prec);
    return r;
}

est_result est_ml(const irt_item *items, const int *x, size_t n, const est_opts *o)
{
    est_result r = {NAN, INFINITY, 0};
    if (n == 0)
        return r;
    int all_low = 1, all_high = 1;
    for (size_t i = 0; i < n; i++) {
        all_low &= x[i] == 0;
        all_high &= x[i] == items[i].ncat - 1;
    }
    if (all_low || all_high) {
        r.theta = all_low ? o->lo : o->hi;
        return r;
    }
    r.finite = 1;
    r.theta = solve(EQ_ML, items, x, n, o);
    r.se = inv_sqrt_or_inf(est_test_info(items, n, r.theta));
    return r;
}

est_result est_wle(const irt_item *items, const int *x, size_t n, const est_opts *o)
{
    est_result r = {NAN, INFINITY, 0};
    if (n == 0)
        return r;
    r.finite = 1;
    r.theta = solve(EQ_WLE, items, x, n, o);
    r.se = inv_sqrt_or_inf(est_test_info(items, n, r.theta));
    return r;
}
