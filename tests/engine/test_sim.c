/* test_sim.c: the engine end to end on simulated candidates: a post-hoc CAT on a 300-item GRM
 * bank (MFI, EAP, stop at SE <= 0.3 or 30 items) recovers known abilities, and a candidate who
 * improves from -1.5 to +1.5 over 30 sessions of 10 questions is followed by the estimate while
 * the questions get harder; with a second rater of every answer (the coverage-suggested grade)
 * the run is deterministic and a perfect second rater beats a noisy self-grade. Same seed, same
 * result, on every machine. */
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

/* The second-rater scenario on the learning path of test_learning: error of both arms over
 * the last 20 of 30 sessions, mean over seeds 1..nseeds (RMSE per seed, then averaged). */
typedef struct {
    double rmse_self, bias_self, rmse_both, bias_both;
    int answers, self_exact, coverage_exact;
} rater_figures;

static rater_figures rater(const sim_rater_opts *ro, int nseeds)
{
    rater_figures f = {0};
    for (int seed = 1; seed <= nseeds; seed++) {
        rng r;
        rng_seed(&r, (uint64_t)seed);
        cat_pool pool;
        level_bank(&pool, 300, 10, &r, 1);
        sim_learn_opts o = {-1.5, 1.5, 30, 10, 1.0, 2.0, ability_defaults(), cat_defaults()};
        sim_rater_session s[30];
        sim_rater_run(&pool, &o, ro, &r, s);
        double sq_s = 0, sq_b = 0, b_s = 0, b_b = 0;
        for (int i = 0; i < 30; i++) {
            f.answers += s[i].answers;
            f.self_exact += s[i].self_exact;
            f.coverage_exact += s[i].coverage_exact;
            if (i < 10)
                continue;
            double es = s[i].self_theta - s[i].true_theta, eb = s[i].both_theta - s[i].true_theta;
            sq_s += es * es;
            sq_b += eb * eb;
            b_s += es;
            b_b += eb;
        }
        f.rmse_self += sqrt(sq_s / 20) / nseeds;
        f.rmse_both += sqrt(sq_b / 20) / nseeds;
        f.bias_self += b_s / 20 / nseeds;
        f.bias_both += b_b / 20 / nseeds;
        cat_pool_free(&pool);
    }
    return f;
}

static void test_second_rater(void)
{
    /* Same seed, same figures; the raters' observed exact rates are the ones asked for. */
    sim_rater_opts d = sim_rater_defaults();
    CHECK(d.self_exact == 0.65 && d.self_up == 0.5 && !d.self_turn && d.coverage_exact == 0.75 &&
          d.coverage_turn && d.coverage_weight == 0.5);
    rater_figures a = rater(&d, 10), b = rater(&d, 10);
    CHECK(a.rmse_self == b.rmse_self && a.bias_self == b.bias_self && a.rmse_both == b.rmse_both &&
          a.bias_both == b.bias_both && a.self_exact == b.self_exact &&
          a.coverage_exact == b.coverage_exact);
    CHECK(a.answers == 3000);
    double se_rate = (double)a.self_exact / a.answers,
           cov_rate = (double)a.coverage_exact / a.answers;
    printf("second rater, defaults, seeds 1-10: self-grade = quality %.3f, suggested = quality "
           "%.3f; RMSE last 20 self only %.3f (bias %+.3f), both %.3f (bias %+.3f)\n",
           se_rate, cov_rate, a.rmse_self, a.bias_self, a.rmse_both, a.bias_both);
    CHECK(fabs(cov_rate - 0.75) < 0.03); /* the suggestion turns at the edges: 75% everywhere */
    CHECK(se_rate > 0.65 + 0.03);        /* the self-grade clips: exact more often at 0 and 3 */
    sim_rater_opts turned = d;
    turned.self_turn = 1;
    rater_figures t = rater(&turned, 10);
    CHECK(fabs((double)t.self_exact / t.answers - 0.65) < 0.03);

    /* Weight 0 on the suggestion: arm both is today's update, bit for bit. */
    sim_rater_opts w0 = d;
    w0.coverage_weight = 0;
    rater_figures z = rater(&w0, 3);
    CHECK(z.rmse_self == z.rmse_both && z.bias_self == z.bias_both);

    /* A perfect second rater and a noisy self-grade: both raters must track better. */
    sim_rater_opts perfect = d;
    perfect.coverage_exact = 1;
    rater_figures p = rater(&perfect, 10);
    printf("second rater exact, self-grade exact 0.65: RMSE self only %.3f, both %.3f\n",
           p.rmse_self, p.rmse_both);
    CHECK(p.coverage_exact == p.answers);
    CHECK(p.rmse_self == a.rmse_self); /* the self-grades did not change with the other rate */
    CHECK(p.rmse_both < p.rmse_self - 0.01);
}

int main(void)
{
    RUN(test_posthoc);
    RUN(test_learning);
    RUN(test_second_rater);
    return check_summary("engine sim");
}
