/* test_sim.c: the engine end to end on simulated candidates: a post-hoc CAT on a 300-item GRM
 * bank (MFI, EAP, stop at SE <= 0.3 or 30 items) recovers known abilities, and a candidate who
 * improves from -1.5 to +1.5 over 30 sessions of 10 questions is followed by the estimate while
 * the questions get harder. Same seed, same result, on every machine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "calib.h"
#include "check.h"
#include "sim.h"

/* A bank like the device's: levels 1..5 spread over topics, parameters from the level priors,
 * with a random spread of discrimination and location so items are not all tied. */
static void level_bank(cat_pool *p, size_t n, int ntopics, rng *r, int jitter)
{
    cat_pool_init(p, n, ntopics);
    for (size_t i = 0; i < n; i++) {
        int level = 1 + (int)(i % 5);
        double a = jitter ? 0.8 + 0.8 * rng_uniform(r) : CALIB_DEFAULT_A;
        p->items[i] = calib_item_from_level(level, a);
        if (jitter)
            p->items[i] = calib_apply(&p->items[i], rng_normal(r) * 0.4);
        p->topic[i] = (int)((i / 5) % (size_t)ntopics);
    }
    cat_pool_prepare(p);
}

/* A 300-item GRM bank with random parameters (a in [0.8, 2.5], thresholds around a location
 * in [-3, 3]), and a response matrix for 500 candidates drawn from N(0, 1). */
static void test_posthoc(void)
{
    enum { NITEMS = 300, NCAND = 500 };
    rng r;
    rng_seed(&r, 2024);
    cat_pool pool;
    cat_pool_init(&pool, NITEMS, 1);
    for (int i = 0; i < NITEMS; i++) {
        double loc = -3 + 6 * rng_uniform(&r);
        irt_item it = {IRT_GRM, 4, 0.8 + 1.7 * rng_uniform(&r), {loc - 1, loc, loc + 1}};
        pool.items[i] = it;
    }
    cat_pool_prepare(&pool);
    static int matrix[NCAND][NITEMS];
    double truth[NCAND];
    for (int c = 0; c < NCAND; c++) {
        truth[c] = rng_normal(&r);
        for (int i = 0; i < NITEMS; i++)
            matrix[c][i] = sim_draw(&pool.items[i], truth[c], &r);
    }
    sim_cat_opts o = {SIM_EAP, est_defaults(), 1, 0.3, 30};
    double len = 0, bias = 0, mse = 0, mse_se = 0;
    int converged = 0;
    for (int c = 0; c < NCAND; c++) {
        sim_cat_result res;
        sim_cat_run(&pool, &o, truth[c], matrix[c], &r, &res);
        CHECK(res.length >= 1 && res.length <= 30);
        CHECK(res.se <= 0.3 || res.length == 30);
        len += res.length;
        bias += res.theta - truth[c];
        mse += (res.theta - truth[c]) * (res.theta - truth[c]);
        mse_se += res.se;
        converged += res.se <= 0.3;
        sim_cat_result_free(&res);
    }
    printf("post-hoc CAT, 300-item GRM bank, %d candidates from N(0,1): mean length %.2f, "
           "RMSE %.3f, bias %+.3f, mean SE %.3f, %d%% stopped at SE <= 0.3\n",
           NCAND, len / NCAND, sqrt(mse / NCAND), bias / NCAND, mse_se / NCAND,
           100 * converged / NCAND);
    CHECK(len / NCAND < 20);
    CHECK(sqrt(mse / NCAND) < 0.4);
    CHECK(fabs(bias / NCAND) < 0.1);
    cat_pool_free(&pool);
}

static double learn(uint64_t seed, double drift, int print, double *rho)
{
    rng r;
    rng_seed(&r, seed);
    cat_pool pool;
    level_bank(&pool, 300, 10, &r, 1);
    sim_learn_opts o = {-1.5, 1.5, 30, 10, 1.0, 2.0, ability_defaults(), cat_defaults()};
    o.ability.drift_per_day = drift;
    sim_learn_session s[30];
    sim_learn_run(&pool, &o, &r, s);
    double se2 = 0, idx[30], loc[30];
    for (int i = 0; i < 30; i++) {
        idx[i] = i;
        loc[i] = s[i].mean_location;
        if (i >= 10)
            se2 += (s[i].theta - s[i].true_theta) * (s[i].theta - s[i].true_theta);
        if (print)
            printf("  session %2d: true %+.2f estimate %+.2f (SE %.2f) mean difficulty %+.2f "
                   "reviews %d\n",
                   i + 1, s[i].true_theta, s[i].theta, s[i].se, s[i].mean_location, s[i].reviews);
    }
    *rho = sim_spearman(idx, loc, 30);
    cat_pool_free(&pool);
    return sqrt(se2 / 20);
}

static void test_learning(void)
{
    double rho;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        double rmse = learn(seed, ability_defaults().drift_per_day, seed == 1, &rho);
        printf("learning, seed %d: RMSE over the last 20 sessions %.3f, Spearman(session, "
               "difficulty) %.3f\n",
               (int)seed, rmse, rho);
        CHECK(rmse <= 0.45);
        CHECK(rho >= 0.8);
    }
    double rmse0 = learn(1, 0.0, 0, &rho);
    printf("learning without drift, seed 1: RMSE %.3f, Spearman %.3f\n", rmse0, rho);
    CHECK(rmse0 > 0.45); /* without drift the estimate lags: the drift is what makes it work */
}

int main(void)
{
    RUN(test_posthoc);
    RUN(test_learning);
    return check_summary("engine sim");
}
