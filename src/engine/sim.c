/* sim.c: simulated adaptive tests and the learning scenario (see sim.h). */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fsrs.h"
#include "strbuf.h"

#define DAY_MS 86400000.0

const char *sim_estimator_name(sim_estimator e)
{
    static const char *names[] = {"eap", "map", "ml", "wle"};
    return e >= SIM_EAP && e <= SIM_WLE ? names[e] : "?";
}

int sim_estimator_parse(const char *s, sim_estimator *out)
{
    for (int e = SIM_EAP; e <= SIM_WLE; e++) {
        if (strcmp(s, sim_estimator_name((sim_estimator)e)) == 0) {
            *out = (sim_estimator)e;
            return 0;
        }
    }
    return -1;
}

int sim_draw(const irt_item *it, double theta, rng *r)
{
    double p[IRT_MAX_CAT], u = rng_uniform(r), c = 0;
    irt_probs(it, theta, p, NULL, NULL);
    for (int k = 0; k < it->ncat - 1; k++) {
        c += p[k];
        if (u < c)
            return k;
    }
    return it->ncat - 1;
}

static void estimate(const sim_cat_opts *o, const est_post *post, const irt_item *items,
                     const int *x, size_t n, double *theta, double *se)
{
    est_result res = {0, 0, 1};
    switch (o->estimator) {
    case SIM_EAP:
        est_post_eap(post, &res.theta, &res.se);
        break;
    case SIM_MAP:
        res = est_map(items, x, n, &o->est);
        break;
    case SIM_ML:
        res = est_ml(items, x, n, &o->est);
        break;
    case SIM_WLE:
        res = est_wle(items, x, n, &o->est);
        break;
    }
    /* Before ML/WLE have an estimate, select at the prior mean. */
    *theta = isnan(res.theta) ? o->est.prior_mean : res.theta;
    *se = res.se;
}

void sim_cat_run(const cat_pool *pool, const sim_cat_opts *o, double true_theta,
                 const int *resp_row, rng *r, sim_cat_result *out)
{
    size_t max = o->max_items > 0 ? (size_t)o->max_items : pool->n;
    if (max > pool->n)
        max = pool->n;
    unsigned char *asked = xcalloc(pool->n ? pool->n : 1, 1);
    irt_item *answered = xcalloc(max ? max : 1, sizeof *answered);
    memset(out, 0, sizeof *out);
    out->true_theta = true_theta;
    out->items = xcalloc(max ? max : 1, sizeof *out->items);
    out->responses = xcalloc(max ? max : 1, sizeof *out->responses);
    for (size_t i = 0; resp_row && i < pool->n; i++)
        asked[i] = resp_row[i] < 0;

    est_post post;
    est_post_init(&post, &o->est);
    double theta, se;
    estimate(o, &post, answered, out->responses, 0, &theta, &se);
    cat_options co = {o->randomesque, 0, NULL, -1, 0.0, 0, 0.0};
    while ((size_t)out->length < max) {
        cat_state st = {theta, asked, NULL, NULL, NULL, out->length, 0};
        cat_choice ch;
        if (cat_select(pool, &st, &co, r, 0, &ch) < 0)
            break;
        const irt_item *it = &pool->items[ch.item];
        int x = resp_row ? resp_row[ch.item] : sim_draw(it, true_theta, r);
        asked[ch.item] = 1;
        answered[out->length] = *it;
        out->items[out->length] = ch.item;
        out->responses[out->length] = x;
        out->length++;
        est_post_add(&post, it, x);
        estimate(o, &post, answered, out->responses, (size_t)out->length, &theta, &se);
        if (o->se_stop > 0 && se <= o->se_stop)
            break;
    }
    out->theta = theta;
    out->se = se;
    free(answered);
    free(asked);
}

void sim_cat_result_free(sim_cat_result *res)
{
    free(res->items);
    free(res->responses);
    res->items = res->responses = NULL;
}

void sim_learn_run(const cat_pool *pool, const sim_learn_opts *o, rng *r, sim_learn_session *out)
{
    size_t n = pool->n ? pool->n : 1;
    int nt = pool->ntopics;
    unsigned char *asked = xcalloc(n, 1);
    int64_t *last_ms = xmalloc(n * sizeof *last_ms);
    int64_t *due_ms = xmalloc(n * sizeof *due_ms);
    fsrs_card *cards = xcalloc(n, sizeof *cards);
    int *topic_asked = xcalloc((size_t)nt, sizeof *topic_asked);
    ability *dev = xcalloc((size_t)nt, sizeof *dev);
    ability_params tp = ability_topic_defaults();
    fsrs_params fp;
    fsrs_defaults(&fp);
    for (size_t i = 0; i < n; i++) {
        last_ms[i] = CAT_NEVER;
        due_ms[i] = CAT_NO_DUE;
        fsrs_card_new(&cards[i]);
    }
    for (int t = 0; t < nt; t++)
        ability_init(&dev[t], &tp);
    ability overall;
    ability_init(&overall, &o->ability);

    for (int s = 0; s < o->sessions; s++) {
        double frac = o->sessions > 1 ? (double)s / (o->sessions - 1) : 0.0;
        double truth = o->theta_start + (o->theta_end - o->theta_start) * frac;
        int64_t now = (int64_t)(s * o->days_between * DAY_MS);
        memset(asked, 0, n);
        memset(topic_asked, 0, (size_t)nt * sizeof *topic_asked);
        int n_asked = 0, n_reviews = 0;
        double loc = 0;
        for (int q = 0; q < o->per_session; q++) {
            ability cur = ability_at(&overall, &o->ability, now);
            cat_state st = {cur.theta, asked, last_ms, due_ms, topic_asked, n_asked, n_reviews};
            cat_choice ch;
            if (cat_select(pool, &st, &o->select, r, now, &ch) < 0)
                break;
            const irt_item *it = &pool->items[ch.item];
            int grade = sim_draw(it, truth, r);
            ability before = overall;
            ability_update(&overall, &o->ability, it, grade, now);
            ability_topic_update(&dev[ch.topic], &tp, &before, it, grade, now);
            if (cards[ch.item].reps > 0 || grade <= 1) {
                fsrs_review(&cards[ch.item], &fp, grade, now);
                due_ms[ch.item] = cards[ch.item].due_ms;
            }
            asked[ch.item] = 1;
            last_ms[ch.item] = now;
            topic_asked[ch.topic]++;
            n_asked++;
            n_reviews += ch.review;
            loc += irt_location(it);
            now += (int64_t)(o->minutes_per_q * 60000.0);
        }
        sim_learn_session res = {truth, overall.theta, overall.se, n_asked ? loc / n_asked : NAN,
                                 n_reviews};
        out[s] = res;
    }
    free(asked);
    free(last_ms);
    free(due_ms);
    free(cards);
    free(topic_asked);
    free(dev);
}

/* Ranks 1..n with ties given their average rank. */
static void ranks(const double *x, size_t n, double *rk)
{
    for (size_t i = 0; i < n; i++) {
        double below = 0, equal = 0;
        for (size_t j = 0; j < n; j++) {
            below += x[j] < x[i];
            equal += x[j] == x[i];
        }
        rk[i] = below + (equal + 1) / 2;
    }
}

double sim_spearman(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double *rx = xmalloc(2 * n * sizeof *rx), *ry = rx + n;
    ranks(x, n, rx);
    ranks(y, n, ry);
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        mx += rx[i] / n;
        my += ry[i] / n;
    }
    for (size_t i = 0; i < n; i++) {
        sxy += (rx[i] - mx) * (ry[i] - my);
        sxx += (rx[i] - mx) * (rx[i] - mx);
        syy += (ry[i] - my) * (ry[i] - my);
    }
    free(rx);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}
