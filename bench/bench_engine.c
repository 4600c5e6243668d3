/* bench_engine.c: how fast the engine answers "update the estimate, pick the next question",
 * and how well it tracks a learner. Writes "name: value unit" lines to the file named by its
 * only argument.
 *
 * Speed: a GRM bank (4 categories, random parameters) of 1,000, 10,000 and 100,000 items, a
 * candidate with 20 answers; one step = fold the 20th answer into the grid posterior, read the
 * EAP, and choose the next item by maximum information among the unanswered (k = 1). Also: the
 * same with the EAP recomputed from all 20 answers, and a plain double-precision scan of the
 * whole bank for comparison. Median over repeated runs.
 * Quality: the 300-item post-hoc CAT of the tests, and the learning scenario (-1.5 -> +1.5
 * over 30 sessions of 10 questions) with and without drift, over 20 seeds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "calib.h"
#include "sim.h"

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static void random_grm(cat_pool *p, size_t n, rng *r)
{
    cat_pool_init(p, n, 1);
    for (size_t i = 0; i < n; i++) {
        double loc = -3 + 6 * rng_uniform(r), s = 0.5 + rng_uniform(r);
        irt_item it = {IRT_GRM, 4, 0.5 + 2 * rng_uniform(r), {loc - s, loc, loc + s}};
        p->items[i] = it;
    }
    cat_pool_prepare(p);
}

static void bench_size(FILE *out, size_t n)
{
    rng r;
    rng_seed(&r, n);
    cat_pool p;
    random_grm(&p, n, &r);
    unsigned char *asked = calloc(n, 1);
    irt_item answered[20];
    int x[20];
    est_opts eo = est_defaults();
    est_post base;
    est_post_init(&base, &eo);
    for (int i = 0; i < 20; i++) {
        size_t j = rng_below(&r, (uint32_t)n);
        asked[j] = 1;
        answered[i] = p.items[j];
        x[i] = sim_draw(&p.items[j], 0.7, &r);
        if (i < 19)
            est_post_add(&base, &answered[i], x[i]);
    }
    cat_options co = {1, 0, NULL, -1, 0.0, 0, 0.0};
    int reps = n >= 100000 ? 60 : 600;
    double *t_inc = malloc(sizeof(double) * reps), *t_full = malloc(sizeof(double) * reps);
    double *t_scan = malloc(sizeof(double) * reps), sink = 0;
    for (int k = 0; k < reps; k++) {
        double t0 = now_us();
        est_post post = base;
        est_post_add(&post, &answered[19], x[19]);
        double th, se;
        est_post_eap(&post, &th, &se);
        cat_state st = {th, asked, NULL, NULL, NULL, 20, 0};
        cat_choice ch;
        cat_select(&p, &st, &co, &r, 0, &ch);
        double t1 = now_us();
        est_result e = est_eap(answered, x, 20, &eo);
        st.theta = e.theta;
        cat_select(&p, &st, &co, &r, 0, &ch);
        double t2 = now_us();
        double best = -1;
        for (size_t i = 0; i < n; i++) {
            double v = asked[i] ? -1 : irt_info(&p.items[i], e.theta);
            best = v > best ? v : best;
        }
        double t3 = now_us();
        sink += best + ch.info;
        t_inc[k] = t1 - t0;
        t_full[k] = t2 - t1;
        t_scan[k] = t3 - t2;
    }
    fprintf(out, "eap_update_plus_select_%zu_items: %.1f us\n", n, median(t_inc, reps));
    fprintf(out, "eap_from_20_answers_plus_select_%zu_items: %.1f us\n", n, median(t_full, reps));
    fprintf(out, "plain_double_information_scan_%zu_items: %.1f us\n", n, median(t_scan, reps));
    if (sink == 0.123)
        fprintf(out, "#\n");
    free(t_inc);
    free(t_full);
    free(t_scan);
    free(asked);
    cat_pool_free(&p);
}

static void posthoc(FILE *out)
{
    enum { NITEMS = 300, NCAND = 1000 };
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
    int *row = malloc(sizeof(int) * NITEMS);
    sim_cat_opts o = {SIM_EAP, est_defaults(), 1, 0.3, 30};
    double len = 0, bias = 0, sq = 0, se = 0;
    for (int c = 0; c < NCAND; c++) {
        double truth = rng_normal(&r);
        for (int i = 0; i < NITEMS; i++)
            row[i] = sim_draw(&pool.items[i], truth, &r);
        sim_cat_result res;
        sim_cat_run(&pool, &o, truth, row, &r, &res);
        len += res.length;
        bias += res.theta - truth;
        sq += (res.theta - truth) * (res.theta - truth);
        se += res.se;
        sim_cat_result_free(&res);
    }
    fprintf(out, "posthoc_300_items_1000_candidates_mean_length: %.2f items\n", len / NCAND);
    fprintf(out, "posthoc_300_items_1000_candidates_rmse: %.3f logits\n", sqrt(sq / NCAND));
    fprintf(out, "posthoc_300_items_1000_candidates_bias: %+.3f logits\n", bias / NCAND);
    fprintf(out, "posthoc_300_items_1000_candidates_mean_se: %.3f logits\n", se / NCAND);
    free(row);
    cat_pool_free(&pool);
}

static void learning(FILE *out, double drift, const char *name)
{
    double sum_rmse = 0, sum_rho = 0, worst = 0;
    int seeds = 20;
    for (int seed = 1; seed <= seeds; seed++) {
        rng r;
        rng_seed(&r, (uint64_t)seed);
        cat_pool pool;
        cat_pool_init(&pool, 300, 10);
        for (int i = 0; i < 300; i++) {
            pool.items[i] = calib_item_from_level(1 + i % 5, 0.8 + 0.8 * rng_uniform(&r));
            pool.items[i] = calib_apply(&pool.items[i], 0.4 * rng_normal(&r));
            pool.topic[i] = (i / 5) % 10;
        }
        cat_pool_prepare(&pool);
        sim_learn_opts o = {-1.5, 1.5, 30, 10, 1.0, 2.0, ability_defaults(), cat_defaults()};
        o.ability.drift_per_day = drift;
        sim_learn_session s[30];
        sim_learn_run(&pool, &o, &r, s);
        double sq = 0, idx[30], loc[30];
        for (int i = 0; i < 30; i++) {
            idx[i] = i;
            loc[i] = s[i].mean_location;
            if (i >= 10)
                sq += (s[i].theta - s[i].true_theta) * (s[i].theta - s[i].true_theta);
        }
        double rmse = sqrt(sq / 20);
        sum_rmse += rmse;
        worst = rmse > worst ? rmse : worst;
        sum_rho += sim_spearman(idx, loc, 30);
        cat_pool_free(&pool);
    }
    fprintf(out, "learning_%s_rmse_last_20_sessions_mean_of_20_seeds: %.3f logits\n", name,
            sum_rmse / seeds);
    fprintf(out, "learning_%s_rmse_last_20_sessions_worst_of_20_seeds: %.3f logits\n", name, worst);
    fprintf(out, "learning_%s_spearman_session_vs_difficulty_mean: %.3f\n", name, sum_rho / seeds);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_engine OUTPUT-FILE\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    bench_size(out, 1000);
    bench_size(out, 10000);
    bench_size(out, 100000);
    posthoc(out);
    learning(out, ability_defaults().drift_per_day, "with_drift");
    learning(out, 0.0, "without_drift");
    return fclose(out) == 0 ? 0 : 1;
}
