/* sim.c: simulated adaptive tests and the learning scenario (see sim.h). */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calib.h"
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

/* One learner's state across sessions: what the engine remembers about them. */
typedef struct {
    size_t n;
    int nt;
    unsigned char *asked;
    int64_t *last_ms, *due_ms;
    fsrs_card *cards;
    int *topic_asked;
    ability *dev;
    ability overall;
    ability_params tp;
    fsrs_params fp;
} learner;

static void learner_init(learner *L, const cat_pool *pool, const ability_params *ap)
{
    L->n = pool->n ? pool->n : 1;
    L->nt = pool->ntopics;
    L->asked = xcalloc(L->n, 1);
    L->last_ms = xmalloc(L->n * sizeof *L->last_ms);
    L->due_ms = xmalloc(L->n * sizeof *L->due_ms);
    L->cards = xcalloc(L->n, sizeof *L->cards);
    L->topic_asked = xcalloc((size_t)L->nt, sizeof *L->topic_asked);
    L->dev = xcalloc((size_t)L->nt, sizeof *L->dev);
    L->tp = ability_topic_defaults();
    fsrs_defaults(&L->fp);
    for (size_t i = 0; i < L->n; i++) {
        L->last_ms[i] = CAT_NEVER;
        L->due_ms[i] = CAT_NO_DUE;
        fsrs_card_new(&L->cards[i]);
    }
    for (int t = 0; t < L->nt; t++)
        ability_init(&L->dev[t], &L->tp);
    ability_init(&L->overall, ap);
}

static void learner_free(learner *L)
{
    free(L->asked);
    free(L->last_ms);
    free(L->due_ms);
    free(L->cards);
    free(L->topic_asked);
    free(L->dev);
}

/* Where each graded answer goes (for recalibration); fn NULL = nowhere. */
typedef struct {
    void (*fn)(void *ctx, int item, double theta, double se, int grade);
    void *ctx;
} answer_sink;

/* The second-rater experiment's state (see sim_rater_run): arm both's belief and counts. */
typedef struct {
    const sim_rater_opts *o;
    ability both;
    int answers, self_exact, coverage_exact;
} rater_arm;

/* A rater's grade of an answer of quality c: c with probability `exact`, otherwise one step up
 * (probability `up`) or down; a step off 0..ncat-1 turns back (turn) or stays at c. Always
 * two uniforms. */
static int rate(int c, int ncat, double exact, double up, int turn, rng *r)
{
    double u = rng_uniform(r), v = rng_uniform(r);
    if (u < exact)
        return c;
    int g = v < up ? c + 1 : c - 1;
    if (g < 0 || g > ncat - 1)
        g = turn ? 2 * c - g : c;
    return g < 0 ? 0 : (g > ncat - 1 ? ncat - 1 : g);
}

/* ability_update's step (drift to now, prior N(theta, se^2) on `grid` points over +-6 SE
 * within [-6, 6], EAP) with the likelihood P(g1)^w1 P(g2)^w2 on item `it`. With w1 = 1 and
 * w2 = 0 the result equals ability_update's bit for bit (test_engine_sim checks it). */
static void update_two(ability *a, const ability_params *p, const irt_item *it, int g1, double w1,
                       int g2, double w2, int64_t now_ms)
{
    ability b = ability_at(a, p, now_ms);
    double m = b.theta < -6 ? -6 : (b.theta > 6 ? 6 : b.theta);
    double s = b.se > 1e-6 ? b.se : 1e-6;
    est_opts eo = {p->grid, m - 6 * s, m + 6 * s, m, s};
    if (eo.lo < -6)
        eo.lo = -6;
    if (eo.hi > 6)
        eo.hi = 6;
    est_post post;
    est_post_init(&post, &eo);
    for (int i = 0; i < post.n; i++)
        post.logw[i] += w1 * irt_logp(it, post.theta[i], g1) + w2 * irt_logp(it, post.theta[i], g2);
    est_post_eap(&post, &a->theta, &a->se);
    if (now_ms > a->last_ms)
        a->last_ms = now_ms;
    a->n++;
}

/* One session starting at `now` by a learner of true ability `truth`: the engine chooses on
 * `pool` and updates the ability with the pool's parameters; answers are drawn from `real`
 * (the items' true parameters; NULL = the pool's). With `ra`, the drawn category is the
 * answer's quality and the engine sees the self-grade; ra->both follows both raters. */
static sim_learn_session learner_session(learner *L, const cat_pool *pool, const irt_item *real,
                                         const sim_learn_opts *o, double truth, int64_t now, rng *r,
                                         const answer_sink *sink, rater_arm *ra)
{
    memset(L->asked, 0, L->n);
    memset(L->topic_asked, 0, (size_t)L->nt * sizeof *L->topic_asked);
    int n_asked = 0, n_reviews = 0;
    double loc = 0;
    for (int q = 0; q < o->per_session; q++) {
        ability cur = ability_at(&L->overall, &o->ability, now);
        cat_state st = {cur.theta,      L->asked, L->last_ms, L->due_ms,
                        L->topic_asked, n_asked,  n_reviews};
        cat_choice ch;
        if (cat_select(pool, &st, &o->select, r, now, &ch) < 0)
            break;
        const irt_item *it = &pool->items[ch.item];
        int grade = sim_draw(real ? &real[ch.item] : it, truth, r);
        if (ra) {
            int c = grade,
                self = rate(c, it->ncat, ra->o->self_exact, ra->o->self_up, ra->o->self_turn, r);
            int sug = rate(c, it->ncat, ra->o->coverage_exact, 0.5, ra->o->coverage_turn, r);
            double w = ra->o->coverage_weight;
            update_two(&ra->both, &o->ability, it, self, 1 - w, sug, w, now);
            ra->answers++;
            ra->self_exact += self == c;
            ra->coverage_exact += sug == c;
            grade = self;
        }
        if (sink && sink->fn)
            sink->fn(sink->ctx, ch.item, cur.theta, cur.se, grade);
        ability before = L->overall;
        ability_update(&L->overall, &o->ability, it, grade, now);
        ability_topic_update(&L->dev[ch.topic], &L->tp, &before, it, grade, now);
        if (L->cards[ch.item].reps > 0 || grade <= 1) {
            fsrs_review(&L->cards[ch.item], &L->fp, grade, now);
            L->due_ms[ch.item] = L->cards[ch.item].due_ms;
        }
        L->asked[ch.item] = 1;
        L->last_ms[ch.item] = now;
        L->topic_asked[ch.topic]++;
        n_asked++;
        n_reviews += ch.review;
        loc += irt_location(it);
        now += (int64_t)(o->minutes_per_q * 60000.0);
    }
    sim_learn_session res = {truth, L->overall.theta, L->overall.se, n_asked ? loc / n_asked : NAN,
                             n_reviews};
    return res;
}

static double true_ability(const sim_learn_opts *o, int s, double offset)
{
    double frac = o->sessions > 1 ? (double)s / (o->sessions - 1) : 0.0;
    return o->theta_start + offset + (o->theta_end - o->theta_start) * frac;
}

void sim_learn_run(const cat_pool *pool, const sim_learn_opts *o, rng *r, sim_learn_session *out)
{
    learner L;
    learner_init(&L, pool, &o->ability);
    for (int s = 0; s < o->sessions; s++) {
        int64_t now = (int64_t)(s * o->days_between * DAY_MS);
        out[s] = learner_session(&L, pool, NULL, o, true_ability(o, s, 0), now, r, NULL, NULL);
    }
    learner_free(&L);
}

sim_rater_opts sim_rater_defaults(void)
{
    sim_rater_opts o = {0.65, 0.5, 0, 0.75, 1, 0.5};
    return o;
}

void sim_rater_run(const cat_pool *pool, const sim_learn_opts *o, const sim_rater_opts *ro, rng *r,
                   sim_rater_session *out)
{
    learner L;
    learner_init(&L, pool, &o->ability);
    rater_arm ra = {ro, L.overall, 0, 0, 0};
    for (int s = 0; s < o->sessions; s++) {
        int64_t now = (int64_t)(s * o->days_between * DAY_MS);
        ra.answers = ra.self_exact = ra.coverage_exact = 0;
        sim_learn_session res =
            learner_session(&L, pool, NULL, o, true_ability(o, s, 0), now, r, NULL, &ra);
        sim_rater_session e = {res.true_theta, res.theta,  res.se,        ra.both.theta,
                               ra.both.se,     ra.answers, ra.self_exact, ra.coverage_exact};
        out[s] = e;
    }
    learner_free(&L);
}

void sim_mislevel(size_t n, int count, rng *r, double *offset)
{
    int *idx = xmalloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++) {
        offset[i] = 0;
        idx[i] = (int)i;
    }
    if (count > (int)n)
        count = (int)n;
    for (int k = 0; k < count; k++) { /* partial Fisher-Yates: the first count are chosen */
        size_t j = (size_t)k + (size_t)(rng_uniform(r) * (double)(n - (size_t)k));
        if (j >= n)
            j = n - 1;
        int t = idx[k];
        idx[k] = idx[j];
        idx[j] = t;
        double mag = rng_uniform(r) < 0.5 ? 1.0 : 2.0;
        offset[idx[k]] = rng_uniform(r) < 0.5 ? -mag : mag;
    }
    free(idx);
}

/* Every graded answer of the shared device, per item, for recalibration. */
typedef struct {
    calib_obs **obs;
    size_t *len, *cap;
} device_log;

static void log_answer(void *ctx, int item, double theta, double se, int grade)
{
    device_log *d = ctx;
    size_t i = (size_t)item;
    if (d->len[i] == d->cap[i]) {
        d->cap[i] = d->cap[i] ? 2 * d->cap[i] : 8;
        d->obs[i] = xrealloc(d->obs[i], d->cap[i] * sizeof *d->obs[i]);
    }
    d->obs[i][d->len[i]++] = (calib_obs){theta, se, grade};
}

/* As practice does at the end of a session: every item's shift from every answer on the device
 * (calib_shifts), and the engine's parameters moved by them. */
static void recalibrate(const cat_pool *authored, const device_log *log, double prior_sd,
                        cat_pool *used, double *shift)
{
    size_t n = authored->n, ng = 0;
    calib_group *groups = xmalloc((n ? n : 1) * sizeof *groups);
    size_t *gi = xmalloc((n ? n : 1) * sizeof *gi);
    double *sh = xmalloc((n ? n : 1) * sizeof *sh);
    for (size_t i = 0; i < n; i++) {
        if (log->len[i]) {
            groups[ng] = (calib_group){&authored->items[i], log->obs[i], log->len[i]};
            gi[ng++] = i;
        }
    }
    calib_shifts(groups, ng, prior_sd, sh, NULL);
    for (size_t g = 0; g < ng; g++) {
        used->items[gi[g]] = calib_apply(&authored->items[gi[g]], sh[g]);
        if (shift)
            shift[gi[g]] = sh[g];
    }
    cat_pool_prepare(used);
    free(groups);
    free(gi);
    free(sh);
}

void sim_recal_run(const cat_pool *authored, const double *offset, const sim_recal_opts *o, rng *r,
                   double *shift, int *answers, sim_recal_result *out)
{
    size_t n = authored->n;
    int nc = o->candidates > 0 ? o->candidates : 1;
    const sim_learn_opts *lo = &o->learn;
    cat_pool used; /* the engine's parameters: authored, moved by the current shifts */
    cat_pool_init(&used, n, authored->ntopics);
    irt_item *real = xmalloc((n ? n : 1) * sizeof *real);
    for (size_t i = 0; i < n; i++) {
        used.items[i] = authored->items[i];
        used.topic[i] = authored->topic[i];
        real[i] = calib_apply(&authored->items[i], offset ? offset[i] : 0);
        if (shift)
            shift[i] = 0;
    }
    cat_pool_prepare(&used);
    device_log log = {xcalloc(n ? n : 1, sizeof *log.obs), xcalloc(n ? n : 1, sizeof(size_t)),
                      xcalloc(n ? n : 1, sizeof(size_t))};
    answer_sink sink = {log_answer, &log};
    learner *L = xcalloc((size_t)nc, sizeof *L);
    double *spread = xmalloc((size_t)nc * sizeof *spread);
    for (int c = 0; c < nc; c++) {
        learner_init(&L[c], &used, &lo->ability);
        spread[c] = o->spread * rng_normal(r);
    }
    double sq = 0, sum = 0, sq_late = 0;
    int cnt = 0, cnt_late = 0;
    for (int s = 0; s < lo->sessions; s++) {
        int64_t now = (int64_t)(s * lo->days_between * DAY_MS);
        for (int c = 0; c < nc; c++) {
            double truth = true_ability(lo, s, spread[c]);
            sim_learn_session res =
                learner_session(&L[c], &used, real, lo, truth, now, r, &sink, NULL);
            double e = res.theta - truth;
            sq += e * e;
            sum += e;
            cnt++;
            if (2 * s >= lo->sessions) {
                sq_late += e * e;
                cnt_late++;
            }
        }
        if (o->recalibrate)
            recalibrate(authored, &log, o->prior_sd, &used, shift);
    }
    out->rmse = cnt ? sqrt(sq / cnt) : NAN;
    out->bias = cnt ? sum / cnt : NAN;
    out->rmse_second_half = cnt_late ? sqrt(sq_late / cnt_late) : NAN;
    out->answers = 0;
    for (size_t i = 0; i < n; i++) {
        out->answers += (int)log.len[i];
        if (answers)
            answers[i] = (int)log.len[i];
        free(log.obs[i]);
    }
    for (int c = 0; c < nc; c++)
        learner_free(&L[c]);
    free(L);
    free(spread);
    free(log.obs);
    free(log.len);
    free(log.cap);
    free(real);
    cat_pool_free(&used);
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
