/* test_estimate.c: estimators against independent computations and at the edges: EAP equals a
 * direct trapezoid sum written out here and, on a fine grid, Simpson's rule; the incremental
 * posterior equals the batch one; MAP/ML/WLE solve their equations; empty, all-zero, all-max
 * and one-item patterns behave as documented. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "estimate.h"

static const irt_item bank[] = {
    {IRT_GRM, 4, 1.2, {-1.5, -0.2, 0.9}},  {IRT_GRM, 4, 0.8, {-2.0, 0.5, 2.0}},
    {IRT_GRM, 4, 2.1, {-0.5, 0.1, 0.4}},   {IRT_GRM, 4, 1.5, {0.2, 1.0, 2.5}},
    {IRT_GRM, 4, 1.0, {-3.0, -2.0, -1.0}},
};
static const int pattern[] = {2, 1, 3, 0, 3};

/* Likelihood times prior at theta, from probabilities (not logs). */
static double joint(const irt_item *items, const int *x, int n, double th, double mean, double sd)
{
    double l = exp(-0.5 * ((th - mean) / sd) * ((th - mean) / sd));
    for (int i = 0; i < n; i++) {
        double p[IRT_MAX_CAT];
        irt_probs(&items[i], th, p, NULL, NULL);
        l *= p[x[i]];
    }
    return l;
}

static void test_eap_independent(void)
{
    /* catR's rule written out: 33 points on [-4, 4], trapezoid. */
    double num = 0, den = 0, h = 8.0 / 32;
    for (int i = 0; i <= 32; i++) {
        double th = -4 + h * i, w = (i == 0 || i == 32) ? 0.5 : 1.0;
        double f = joint(bank, pattern, 5, th, 0, 1) * w;
        num += th * f;
        den += f;
    }
    double mean = num / den, var = 0;
    for (int i = 0; i <= 32; i++) {
        double th = -4 + h * i, w = (i == 0 || i == 32) ? 0.5 : 1.0;
        var += (th - mean) * (th - mean) * joint(bank, pattern, 5, th, 0, 1) * w;
    }
    est_opts o = est_defaults();
    est_result r = est_eap(bank, pattern, 5, &o);
    CHECK_NEAR(r.theta, mean, 1e-12);
    CHECK_NEAR(r.se, sqrt(var / den), 1e-12);

    /* A fine grid against Simpson's rule on 4001 points. */
    num = den = var = 0;
    h = 8.0 / 4000;
    for (int i = 0; i <= 4000; i++) {
        double th = -4 + h * i, w = (i == 0 || i == 4000) ? 1 : (i % 2 ? 4 : 2);
        double f = joint(bank, pattern, 5, th, 0.3, 1.4) * w;
        num += th * f;
        den += f;
        var += th * th * f;
    }
    o.n = 401;
    o.prior_mean = 0.3;
    o.prior_sd = 1.4;
    r = est_eap(bank, pattern, 5, &o);
    CHECK_NEAR(r.theta, num / den, 1e-6);
    CHECK_NEAR(r.se, sqrt(var / den - (num / den) * (num / den)), 1e-6);
}

static void test_incremental(void)
{
    est_opts o = est_defaults();
    est_post p;
    est_post_init(&p, &o);
    for (int i = 0; i < 5; i++)
        est_post_add(&p, &bank[i], pattern[i]);
    double th, se;
    est_post_eap(&p, &th, &se);
    est_result r = est_eap(bank, pattern, 5, &o);
    CHECK_NEAR(th, r.theta, 1e-14);
    CHECK_NEAR(se, r.se, 1e-14);
}

/* d/dtheta of the log posterior (or likelihood) by central differences. */
static double dlog(const int *x, int n, double th, double sd)
{
    double e = 1e-6;
    double hi = log(joint(bank, x, n, th + e, 0, sd)), lo = log(joint(bank, x, n, th - e, 0, sd));
    return (hi - lo) / (2 * e);
}

static void test_roots(void)
{
    est_opts o = est_defaults();
    est_result map = est_map(bank, pattern, 5, &o);
    CHECK(fabs(dlog(pattern, 5, map.theta, 1)) < 1e-5);
    est_result ml = est_ml(bank, pattern, 5, &o);
    CHECK(ml.finite);
    CHECK(fabs(dlog(pattern, 5, ml.theta, 1e9)) < 1e-5);
    CHECK_NEAR(ml.se, 1 / sqrt(est_test_info(bank, 5, ml.theta)), 1e-12);
    CHECK_NEAR(map.se, 1 / sqrt(est_test_info(bank, 5, map.theta) + 1), 1e-12);
    est_result wle = est_wle(bank, pattern, 5, &o);
    CHECK(wle.finite && isfinite(wle.theta) && isfinite(wle.se));
    /* Shrinkage order: MAP is pulled toward the prior mean 0 more than ML. */
    CHECK(fabs(map.theta) < fabs(ml.theta));
    /* A different prior moves MAP and EAP the way it should. */
    o.prior_mean = 1;
    CHECK(est_map(bank, pattern, 5, &o).theta > map.theta);
    CHECK(est_eap(bank, pattern, 5, &o).theta >
          est_eap(bank, pattern, 5, &(est_opts){33, -4, 4, 0, 1}).theta);
}

static void test_edges(void)
{
    est_opts o = est_defaults();
    /* No answers: the prior. */
    est_result e = est_eap(bank, pattern, 0, &o);
    CHECK_NEAR(e.theta, 0, 1e-12);
    CHECK(e.se > 0.99 && e.se < 1.0);
    est_result m = est_map(bank, pattern, 0, &o);
    CHECK_NEAR(m.theta, 0, 1e-9);
    CHECK_NEAR(m.se, 1, 1e-12);
    est_result ml = est_ml(bank, pattern, 0, &o);
    CHECK(!ml.finite && isnan(ml.theta) && isinf(ml.se));
    est_result w = est_wle(bank, pattern, 0, &o);
    CHECK(isnan(w.theta));

    /* All lowest / all highest categories: ML has no finite maximum. */
    int zeros[5] = {0, 0, 0, 0, 0}, tops[5] = {3, 3, 3, 3, 3};
    ml = est_ml(bank, zeros, 5, &o);
    CHECK(!ml.finite && ml.theta == -4 && isinf(ml.se));
    ml = est_ml(bank, tops, 5, &o);
    CHECK(!ml.finite && ml.theta == 4);
    w = est_wle(bank, zeros, 5, &o);
    e = est_eap(bank, zeros, 5, &o);
    m = est_map(bank, zeros, 5, &o);
    CHECK(w.finite && w.theta >= -4 && w.theta < e.theta && e.theta < 0 && m.theta < 0);
    CHECK(est_eap(bank, tops, 5, &o).theta > 0.5);

    /* One item, middle category: ML is finite and interior. */
    int one = 1;
    ml = est_ml(bank, &one, 1, &o);
    CHECK(ml.finite && ml.theta > -4 && ml.theta < 4);
    CHECK(fabs(dlog(&one, 1, ml.theta, 1e9)) < 1e-5);
    /* One 2PL item answered right: ML at the upper bound, not finite; WLE finite. */
    irt_item t = {IRT_2PL, 2, 1, {0}};
    int right = 1;
    ml = est_ml(&t, &right, 1, &o);
    CHECK(!ml.finite && ml.theta == 4);
    w = est_wle(&t, &right, 1, &o);
    CHECK(w.finite && w.theta > 0 && w.theta < 4);
    /* Flat prior: MAP equals ML for a mixed pattern. */
    o.prior_sd = 0;
    CHECK_NEAR(est_map(bank, pattern, 5, &o).theta, est_ml(bank, pattern, 5, &o).theta, 1e-9);
}

int main(void)
{
    RUN(test_eap_independent);
    RUN(test_incremental);
    RUN(test_roots);
    RUN(test_edges);
    return check_summary("engine estimate");
}
