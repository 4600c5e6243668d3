/* cmd_simulate.c: `viva simulate [--mislevel N | --second-rater] [SPEC]`: simulated candidates
 * from a JSON spec on stdin (or a file argument): adaptive tests on a bank (answers drawn from the
 * model at true abilities, or replayed from a response matrix), a learning scenario where true
 * ability rises over sessions, and with --mislevel N the recalibration experiment: N questions made
 * one or two levels harder or easier than the bank says, learners sharing the device with and
 * without recalibration, and with --second-rater the learning scenario graded by a noisy
 * self-grade and the coverage-suggested grade, the ability estimated from the self-grade alone
 * and from both. Writes one JSON report on stdout; the formats are in
 * docs/readme/engine.md. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file.h"

enum { SPEC_MAX = 64 << 20 }; /* a spec larger than this is a mistake */
#include "sim.h"
#include "strbuf.h" /* xcalloc */

#define MAX_ITEMS      100000
#define MAX_CANDIDATES 100000

typedef struct {
    char err[300];
} ctx;

/* Number field `key` of `obj` into *out (left alone when absent); checks [lo, hi]. */
static int get_num(ctx *c, const cJSON *obj, const char *path, const char *key, double lo,
                   double hi, double *out)
{
    const cJSON *v = obj ? cJSON_GetObjectItem(obj, key) : NULL;
    if (!v)
        return 0;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
        snprintf(c->err, sizeof c->err, "%s%s: expected a number in [%g, %g]", path, key, lo, hi);
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

static int get_int(ctx *c, const cJSON *obj, const char *path, const char *key, int lo, int hi,
                   int *out)
{
    double d = *out;
    if (get_num(c, obj, path, key, lo, hi, &d) != 0)
        return -1;
    if (d != floor(d)) {
        snprintf(c->err, sizeof c->err, "%s%s: expected an integer", path, key);
        return -1;
    }
    *out = (int)d;
    return 0;
}

static int parse_pool(ctx *c, const cJSON *spec, cat_pool *pool)
{
    const cJSON *jm = cJSON_GetObjectItem(spec, "model"), *ji = cJSON_GetObjectItem(spec, "items");
    irt_model m = IRT_GRM;
    if (jm && (!cJSON_IsString(jm) || irt_model_parse(jm->valuestring, &m) != 0)) {
        snprintf(c->err, sizeof c->err, "model: expected \"grm\", \"gpcm\" or \"2pl\"");
        return -1;
    }
    int n = cJSON_IsArray(ji) ? cJSON_GetArraySize(ji) : 0;
    if (n < 1 || n > MAX_ITEMS) {
        snprintf(c->err, sizeof c->err, "items: expected an array of 1 to %d parameter rows",
                 MAX_ITEMS);
        return -1;
    }
    const cJSON *jt = cJSON_GetObjectItem(spec, "topics");
    if (jt && (!cJSON_IsArray(jt) || cJSON_GetArraySize(jt) != n)) {
        snprintf(c->err, sizeof c->err, "topics: expected one topic number per item (%d)", n);
        return -1;
    }
    int ntopics = 1;
    for (int i = 0; jt && i < n; i++) {
        const cJSON *t = cJSON_GetArrayItem(jt, i);
        if (!cJSON_IsNumber(t) || t->valuedouble < 0 || t->valuedouble > 999 ||
            t->valuedouble != floor(t->valuedouble)) {
            snprintf(c->err, sizeof c->err, "topics[%d]: expected an integer in 0..999", i);
            return -1;
        }
        if ((int)t->valuedouble + 1 > ntopics)
            ntopics = (int)t->valuedouble + 1;
    }
    cat_pool_init(pool, (size_t)n, ntopics);
    for (int i = 0; i < n; i++) {
        const cJSON *row = cJSON_GetArrayItem(ji, i), *x;
        double v[IRT_MAX_CAT + 1];
        int k = 0;
        cJSON_ArrayForEach(x, row)
        {
            if (!cJSON_IsNumber(x)) {
                snprintf(c->err, sizeof c->err, "items[%d][%d]: expected a number", i, k);
                return -1;
            }
            if (k < IRT_MAX_CAT + 1)
                v[k] = x->valuedouble;
            k++;
        }
        char msg[200];
        if (!cJSON_IsArray(row) ||
            irt_item_from_row(m, v, k > IRT_MAX_CAT + 1 ? IRT_MAX_CAT + 1 : k, &pool->items[i], msg,
                              sizeof msg) != 0) {
            snprintf(c->err, sizeof c->err, "items[%d]: %s", i,
                     cJSON_IsArray(row) ? msg : "expected an array of numbers");
            return -1;
        }
        pool->topic[i] = jt ? (int)cJSON_GetArrayItem(jt, i)->valuedouble : 0;
    }
    cat_pool_prepare(pool);
    return 0;
}

static cJSON *int_array(const int *v, int n)
{
    return cJSON_CreateIntArray(v, n);
}

/* The adaptive-test part: returns 0, or -1 with c->err set. */
static int run_cat(ctx *c, const cJSON *spec, const cat_pool *pool, rng *r, cJSON *reply)
{
    sim_cat_opts o = {SIM_EAP, est_defaults(), 1, 0.3, 30};
    const cJSON *jsel = cJSON_GetObjectItem(spec, "select");
    const cJSON *jstop = cJSON_GetObjectItem(spec, "stop");
    const cJSON *jest = cJSON_GetObjectItem(spec, "estimator");
    const cJSON *jprior = cJSON_GetObjectItem(spec, "prior");
    const cJSON *jrule = jsel ? cJSON_GetObjectItem(jsel, "rule") : NULL;
    if (jrule && (!cJSON_IsString(jrule) || strcmp(jrule->valuestring, "mfi") != 0)) {
        snprintf(c->err, sizeof c->err, "select.rule: only \"mfi\" is supported");
        return -1;
    }
    if (get_int(c, jsel, "select.", "randomesque", 1, 50, &o.randomesque) ||
        get_num(c, jstop, "stop.", "se", 0, 10, &o.se_stop) ||
        get_int(c, jstop, "stop.", "max", 1, MAX_ITEMS, &o.max_items) ||
        get_num(c, jprior, "prior.", "mean", -4, 4, &o.est.prior_mean) ||
        get_num(c, jprior, "prior.", "sd", 0.01, 100, &o.est.prior_sd))
        return -1;
    if (jest && (!cJSON_IsString(jest) || sim_estimator_parse(jest->valuestring, &o.estimator))) {
        snprintf(c->err, sizeof c->err,
                 "estimator: expected \"eap\", \"map\", \"ml\" or "
                 "\"wle\"");
        return -1;
    }
    /* True abilities: a list, or drawn from a normal distribution. */
    const cJSON *jth = cJSON_GetObjectItem(spec, "thetas");
    const cJSON *jdist = cJSON_GetObjectItem(spec, "ability");
    const cJSON *jresp = cJSON_GetObjectItem(spec, "responses");
    int ncand = 0;
    double mean = 0, sd = 1;
    if (jth) {
        ncand = cJSON_IsArray(jth) ? cJSON_GetArraySize(jth) : -1;
        if (ncand < 1 || ncand > MAX_CANDIDATES) {
            snprintf(c->err, sizeof c->err, "thetas: expected an array of 1 to %d numbers",
                     MAX_CANDIDATES);
            return -1;
        }
    } else if (jdist) {
        if (get_int(c, jdist, "ability.", "n", 1, MAX_CANDIDATES, &ncand) ||
            get_num(c, jdist, "ability.", "mean", -6, 6, &mean) ||
            get_num(c, jdist, "ability.", "sd", 0, 10, &sd))
            return -1;
    } else if (jresp) {
        ncand = cJSON_IsArray(jresp) ? cJSON_GetArraySize(jresp) : 0;
    } else {
        return 0; /* no adaptive-test part */
    }
    if (jresp && (!cJSON_IsArray(jresp) || cJSON_GetArraySize(jresp) != ncand)) {
        snprintf(c->err, sizeof c->err, "responses: expected one row per candidate (%d)", ncand);
        return -1;
    }
    int *row = xcalloc(pool->n, sizeof *row);
    cJSON *cands = cJSON_AddArrayToObject(reply, "candidates");
    double len = 0, bias = 0, sq = 0, sum_se = 0;
    int known = 0, rc = 0;
    for (int ci = 0; ci < ncand; ci++) {
        double truth = NAN;
        if (jth) {
            const cJSON *t = cJSON_GetArrayItem(jth, ci);
            if (!cJSON_IsNumber(t)) {
                snprintf(c->err, sizeof c->err, "thetas[%d]: expected a number", ci);
                rc = -1;
                break;
            }
            truth = t->valuedouble;
        } else if (jdist) {
            truth = mean + sd * rng_normal(r);
        }
        if (jresp) {
            const cJSON *jrow = cJSON_GetArrayItem(jresp, ci);
            if (!cJSON_IsArray(jrow) || cJSON_GetArraySize(jrow) != (int)pool->n) {
                snprintf(c->err, sizeof c->err,
                         "responses[%d]: expected %zu categories "
                         "(-1 = not answered)",
                         ci, pool->n);
                rc = -1;
                break;
            }
            for (size_t i = 0; i < pool->n; i++) {
                const cJSON *v = cJSON_GetArrayItem(jrow, (int)i);
                double d = cJSON_IsNumber(v) ? v->valuedouble : -2;
                if (d != floor(d) || d < -1 || d >= pool->items[i].ncat) {
                    snprintf(c->err, sizeof c->err, "responses[%d][%zu]: expected -1..%d", ci, i,
                             pool->items[i].ncat - 1);
                    rc = -1;
                    break;
                }
                row[i] = (int)d;
            }
            if (rc)
                break;
        } else if (isnan(truth)) {
            snprintf(c->err, sizeof c->err, "thetas: needed to simulate answers");
            rc = -1;
            break;
        }
        sim_cat_result res;
        sim_cat_run(pool, &o, isnan(truth) ? 0 : truth, jresp ? row : NULL, r, &res);
        cJSON *e = cJSON_CreateObject();
        if (isnan(truth))
            cJSON_AddNullToObject(e, "true_theta");
        else
            cJSON_AddNumberToObject(e, "true_theta", truth);
        cJSON_AddItemToObject(e, "items", int_array(res.items, res.length));
        cJSON_AddItemToObject(e, "responses", int_array(res.responses, res.length));
        cJSON_AddNumberToObject(e, "theta", res.theta);
        cJSON_AddNumberToObject(e, "se", res.se);
        cJSON_AddNumberToObject(e, "length", res.length);
        cJSON_AddItemToArray(cands, e);
        len += res.length;
        sum_se += res.se;
        if (!isnan(truth)) {
            known++;
            bias += res.theta - truth;
            sq += (res.theta - truth) * (res.theta - truth);
        }
        sim_cat_result_free(&res);
    }
    free(row);
    if (rc)
        return rc;
    cJSON *sum = cJSON_AddObjectToObject(reply, "summary");
    cJSON_AddNumberToObject(sum, "candidates", ncand);
    cJSON_AddNumberToObject(sum, "mean_length", len / ncand);
    cJSON_AddNumberToObject(sum, "rmse", known ? sqrt(sq / known) : NAN);
    cJSON_AddNumberToObject(sum, "bias", known ? bias / known : NAN);
    cJSON_AddNumberToObject(sum, "mean_se", sum_se / ncand);
    return 0;
}

/* The learning options (defaults where the spec is silent). */
static int parse_learning(ctx *c, const cJSON *jl, sim_learn_opts *o)
{
    sim_learn_opts d = {-1.5, 1.5, 30, 10, 1.0, 2.0, ability_defaults(), cat_defaults()};
    *o = d;
    double recent_days = (double)o->select.recent_ms / 86400000.0;
    if (get_num(c, jl, "learning.", "from", -4, 4, &o->theta_start) ||
        get_num(c, jl, "learning.", "to", -4, 4, &o->theta_end) ||
        get_int(c, jl, "learning.", "sessions", 1, 1000, &o->sessions) ||
        get_int(c, jl, "learning.", "per_session", 1, 200, &o->per_session) ||
        get_num(c, jl, "learning.", "days_between", 0, 365, &o->days_between) ||
        get_num(c, jl, "learning.", "drift", 0, 2, &o->ability.drift_per_day) ||
        get_num(c, jl, "learning.", "review_share", 0, 1, &o->select.review_share) ||
        get_int(c, jl, "learning.", "randomesque", 1, 50, &o->select.randomesque) ||
        get_num(c, jl, "learning.", "recent_days", 0, 365, &recent_days))
        return -1;
    o->select.recent_ms = (int64_t)(recent_days * 86400000.0);
    return 0;
}

static int run_learning(ctx *c, const cJSON *spec, const cat_pool *pool, rng *r, cJSON *reply)
{
    const cJSON *jl = cJSON_GetObjectItem(spec, "learning");
    if (!jl)
        return 0;
    if (!cJSON_IsObject(jl)) {
        snprintf(c->err, sizeof c->err, "learning: expected an object");
        return -1;
    }
    sim_learn_opts o;
    if (parse_learning(c, jl, &o))
        return -1;
    sim_learn_session *s = xcalloc((size_t)o.sessions, sizeof *s);
    sim_learn_run(pool, &o, r, s);
    cJSON *out = cJSON_AddObjectToObject(reply, "learning");
    cJSON *arr = cJSON_AddArrayToObject(out, "sessions");
    double *idx = xcalloc((size_t)o.sessions * 2, sizeof *idx), *loc = idx + o.sessions;
    double sq = 0;
    int nlast = 0, first_last = o.sessions > 20 ? o.sessions - 20 : 0;
    for (int i = 0; i < o.sessions; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "session", i + 1);
        cJSON_AddNumberToObject(e, "true_theta", s[i].true_theta);
        cJSON_AddNumberToObject(e, "theta", s[i].theta);
        cJSON_AddNumberToObject(e, "se", s[i].se);
        cJSON_AddNumberToObject(e, "error", s[i].theta - s[i].true_theta);
        cJSON_AddNumberToObject(e, "mean_difficulty", s[i].mean_location);
        cJSON_AddNumberToObject(e, "reviews", s[i].reviews);
        cJSON_AddItemToArray(arr, e);
        idx[i] = i;
        loc[i] = s[i].mean_location;
        if (i >= first_last) {
            sq += (s[i].theta - s[i].true_theta) * (s[i].theta - s[i].true_theta);
            nlast++;
        }
    }
    cJSON_AddNumberToObject(out, "rmse_last_20", sqrt(sq / nlast));
    cJSON_AddNumberToObject(out, "spearman_difficulty", sim_spearman(idx, loc, (size_t)o.sessions));
    free(idx);
    free(s);
    return 0;
}

static void add_arm(cJSON *obj, const char *name, const sim_recal_result *r)
{
    cJSON *a = cJSON_AddObjectToObject(obj, name);
    cJSON_AddNumberToObject(a, "rmse", r->rmse);
    cJSON_AddNumberToObject(a, "bias", r->bias);
    cJSON_AddNumberToObject(a, "rmse_second_half", r->rmse_second_half);
}

/* --mislevel N: the same learners (same seed) on a bank with N mis-levelled questions, once
 * without and once with recalibration. */
static int run_mislevel(ctx *c, const cJSON *spec, const cat_pool *pool, int count, uint64_t seed,
                        cJSON *reply)
{
    const cJSON *jl = cJSON_GetObjectItem(spec, "learning");
    if (jl && !cJSON_IsObject(jl)) {
        snprintf(c->err, sizeof c->err, "learning: expected an object");
        return -1;
    }
    sim_recal_opts o = {{0}, 20, 0.5, 0, 0};
    if (parse_learning(c, jl, &o.learn) ||
        get_int(c, jl, "learning.", "candidates", 1, 1000, &o.candidates) ||
        get_num(c, jl, "learning.", "spread", 0, 3, &o.spread))
        return -1;
    if (count > (int)pool->n) {
        snprintf(c->err, sizeof c->err, "--mislevel %d: the bank has only %zu questions", count,
                 pool->n);
        return -1;
    }
    size_t n = pool->n;
    double *offset = xcalloc(n, sizeof *offset), *shift = xcalloc(n, sizeof *shift);
    int *answers = xcalloc(n, sizeof *answers);
    rng r;
    rng_seed(&r, seed ^ 0x6d69736c6576656cull); /* "mislevel": its own stream */
    sim_mislevel(n, count, &r, offset);
    rng arm = r; /* both arms start from the same state: the same learners */
    sim_recal_result without, with;
    sim_recal_run(pool, offset, &o, &arm, NULL, NULL, &without);
    o.recalibrate = 1;
    arm = r;
    sim_recal_run(pool, offset, &o, &arm, shift, answers, &with);

    cJSON *m = cJSON_AddObjectToObject(reply, "mislevel");
    cJSON_AddNumberToObject(m, "questions", count);
    cJSON_AddNumberToObject(m, "candidates", o.candidates);
    cJSON_AddNumberToObject(m, "sessions", o.learn.sessions);
    cJSON_AddNumberToObject(m, "answers", with.answers);
    add_arm(m, "without", &without);
    add_arm(m, "with", &with);
    /* Shift recovery: against the true offset for the mis-levelled questions, against 0 for
     * the others (any move there is noise). Without recalibration every shift is 0, so the
     * error is the offset itself. */
    double sq = 0, sq0 = 0, ab = 0, sq_ok = 0, ab_ok = 0;
    int nm = 0, nok = 0;
    cJSON *items = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++) {
        if (!answers[i])
            continue;
        if (offset[i] == 0) {
            sq_ok += shift[i] * shift[i];
            ab_ok += fabs(shift[i]);
            nok++;
            continue;
        }
        double e = shift[i] - offset[i];
        sq += e * e;
        sq0 += offset[i] * offset[i];
        ab += fabs(e);
        nm++;
        cJSON *q = cJSON_CreateObject();
        cJSON_AddNumberToObject(q, "item", (double)i);
        cJSON_AddNumberToObject(q, "offset", offset[i]);
        cJSON_AddNumberToObject(q, "shift", shift[i]);
        cJSON_AddNumberToObject(q, "answers", answers[i]);
        cJSON_AddItemToArray(items, q);
    }
    cJSON *sh = cJSON_AddObjectToObject(m, "shifts");
    cJSON_AddNumberToObject(sh, "mislevelled_answered", nm);
    cJSON_AddNumberToObject(sh, "rmse_without", nm ? sqrt(sq0 / nm) : NAN);
    cJSON_AddNumberToObject(sh, "rmse", nm ? sqrt(sq / nm) : NAN);
    cJSON_AddNumberToObject(sh, "mean_abs_error", nm ? ab / nm : NAN);
    cJSON_AddNumberToObject(sh, "levelled_answered", nok);
    cJSON_AddNumberToObject(sh, "levelled_rms_shift", nok ? sqrt(sq_ok / nok) : NAN);
    cJSON_AddNumberToObject(sh, "levelled_mean_abs_shift", nok ? ab_ok / nok : NAN);
    cJSON_AddItemToObject(m, "mislevelled", items);
    free(offset);
    free(shift);
    free(answers);
    return 0;
}

static void add_err(cJSON *obj, const char *name, double rmse, double bias, double worst)
{
    cJSON *a = cJSON_AddObjectToObject(obj, name);
    cJSON_AddNumberToObject(a, "rmse", rmse);
    cJSON_AddNumberToObject(a, "bias", bias);
    if (!isnan(worst))
        cJSON_AddNumberToObject(a, "worst_rmse", worst);
}

/* raters.KEY: "clip" (0) or "turn" (1), left alone when absent. */
static int get_edge(ctx *c, const cJSON *jr, const char *key, int *turn)
{
    const cJSON *v = jr ? cJSON_GetObjectItem(jr, key) : NULL;
    if (!v)
        return 0;
    if (cJSON_IsString(v) && (!strcmp(v->valuestring, "clip") || !strcmp(v->valuestring, "turn"))) {
        *turn = !strcmp(v->valuestring, "turn");
        return 0;
    }
    snprintf(c->err, sizeof c->err, "raters.%s: expected \"clip\" or \"turn\"", key);
    return -1;
}

/* --second-rater: the learning scenario with a self-grade and a coverage-suggested grade of
 * every answer (sim_rater_run), seeds seed .. seed + raters.seeds - 1; the error of the
 * end-of-session estimate over the last 20 sessions (all when there are fewer), per seed and
 * averaged over the seeds, for the self-grade alone and for both grades. */
static int run_second_rater(ctx *c, const cJSON *spec, const cat_pool *pool, uint64_t seed,
                            cJSON *reply)
{
    const cJSON *jl = cJSON_GetObjectItem(spec, "learning");
    const cJSON *jr = cJSON_GetObjectItem(spec, "raters");
    if ((jl && !cJSON_IsObject(jl)) || (jr && !cJSON_IsObject(jr))) {
        snprintf(c->err, sizeof c->err, "%s: expected an object",
                 jl && !cJSON_IsObject(jl) ? "learning" : "raters");
        return -1;
    }
    sim_learn_opts o;
    sim_rater_opts ro = sim_rater_defaults();
    int seeds = 10;
    if (parse_learning(c, jl, &o) ||
        get_num(c, jr, "raters.", "self_exact", 0, 1, &ro.self_exact) ||
        get_num(c, jr, "raters.", "self_up", 0, 1, &ro.self_up) ||
        get_num(c, jr, "raters.", "coverage_exact", 0, 1, &ro.coverage_exact) ||
        get_num(c, jr, "raters.", "coverage_weight", 0, 1, &ro.coverage_weight) ||
        get_int(c, jr, "raters.", "seeds", 1, 1000, &seeds) ||
        get_edge(c, jr, "self_edge", &ro.self_turn) ||
        get_edge(c, jr, "coverage_edge", &ro.coverage_turn))
        return -1;
    sim_rater_session *s = xcalloc((size_t)o.sessions, sizeof *s);
    int first = o.sessions > 20 ? o.sessions - 20 : 0, nlast = o.sessions - first;
    long answers = 0, self_exact = 0, cov_exact = 0;
    double rs = 0, bs = 0, rb = 0, bb = 0, worst_s = 0, worst_b = 0;
    int better = 0;
    cJSON *m = cJSON_AddObjectToObject(reply, "second_rater");
    cJSON *per = cJSON_CreateArray();
    for (int k = 0; k < seeds; k++) {
        rng r;
        rng_seed(&r, seed + (uint64_t)k);
        sim_rater_run(pool, &o, &ro, &r, s);
        double sq_s = 0, sq_b = 0, e_s = 0, e_b = 0;
        for (int i = 0; i < o.sessions; i++) {
            answers += s[i].answers;
            self_exact += s[i].self_exact;
            cov_exact += s[i].coverage_exact;
            if (i < first)
                continue;
            double es = s[i].self_theta - s[i].true_theta, eb = s[i].both_theta - s[i].true_theta;
            sq_s += es * es;
            sq_b += eb * eb;
            e_s += es;
            e_b += eb;
        }
        double r_s = sqrt(sq_s / nlast), r_b = sqrt(sq_b / nlast);
        rs += r_s / seeds;
        rb += r_b / seeds;
        bs += e_s / nlast / seeds;
        bb += e_b / nlast / seeds;
        worst_s = r_s > worst_s ? r_s : worst_s;
        worst_b = r_b > worst_b ? r_b : worst_b;
        better += r_b < r_s;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "seed", (double)(seed + (uint64_t)k));
        add_err(e, "self_only", r_s, e_s / nlast, NAN);
        add_err(e, "both", r_b, e_b / nlast, NAN);
        cJSON_AddItemToArray(per, e);
    }
    free(s);
    cJSON_AddNumberToObject(m, "seeds", seeds);
    cJSON_AddNumberToObject(m, "sessions", o.sessions);
    cJSON_AddNumberToObject(m, "last_sessions", nlast);
    cJSON_AddNumberToObject(m, "answers", (double)answers);
    cJSON_AddNumberToObject(m, "self_exact", ro.self_exact);
    cJSON_AddNumberToObject(m, "self_up", ro.self_up);
    cJSON_AddStringToObject(m, "self_edge", ro.self_turn ? "turn" : "clip");
    cJSON_AddNumberToObject(m, "coverage_exact", ro.coverage_exact);
    cJSON_AddStringToObject(m, "coverage_edge", ro.coverage_turn ? "turn" : "clip");
    cJSON_AddNumberToObject(m, "coverage_weight", ro.coverage_weight);
    cJSON_AddNumberToObject(m, "observed_self_exact", answers ? (double)self_exact / answers : NAN);
    cJSON_AddNumberToObject(m, "observed_coverage_exact",
                            answers ? (double)cov_exact / answers : NAN);
    add_err(m, "self_only", rs, bs, worst_s);
    add_err(m, "both", rb, bb, worst_b);
    cJSON_AddNumberToObject(m, "both_better_seeds", better);
    cJSON_AddItemToObject(m, "per_seed", per);
    return 0;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: viva simulate [--mislevel N | --second-rater] [SPEC.json]   (default: "
                 "the spec on stdin)\n"
                 "Runs simulated adaptive tests and/or a learning scenario and prints a JSON\n"
                 "report. --mislevel N makes N questions one or two levels off their true\n"
                 "difficulty and compares learners with and without recalibration.\n"
                 "--second-rater grades every answer of the learning scenario twice (a noisy\n"
                 "self-grade and the coverage-suggested grade) and compares the ability\n"
                 "estimated from the self-grade alone and from both. See\n"
                 "docs/readme/engine.md for the formats.\n");
}

int cmd_simulate(viva_app *app, int argc, char **argv)
{
    const char *file = NULL;
    int mislevel = -1, second = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
        if (!strcmp(argv[i], "--mislevel") && i + 1 < argc && mislevel < 0) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || end == argv[i] || v < 0 || v > MAX_ITEMS) {
                fprintf(stderr,
                        "viva simulate: --mislevel %s: expected a number of questions "
                        "(0..%d)\n",
                        argv[i], MAX_ITEMS);
                return EXIT_USAGE;
            }
            mislevel = (int)v;
        } else if (!strcmp(argv[i], "--second-rater") && !second) {
            second = 1;
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (second && mislevel >= 0) {
        fprintf(stderr, "viva simulate: --mislevel and --second-rater are separate experiments: "
                        "give one\n");
        return EXIT_USAGE;
    }
    ctx c = {""};
    int rc = EXIT_USAGE;
    char *text = NULL;
    size_t tlen;
    int rerr = file ? file_read(file, SPEC_MAX, &text, &tlen)
                    : file_read_stream(stdin, SPEC_MAX, &text, &tlen);
    if (rerr) {
        fprintf(stderr, "viva simulate: %s: %s\n", file ? file : "standard input",
                rerr == EFBIG ? "the spec is over 64 MiB" : strerror(rerr));
        return file ? EXIT_FAIL : EXIT_USAGE;
    }
    cJSON *spec = cJSON_Parse(text), *reply = NULL;
    cat_pool pool = {0};
    if (!spec || !cJSON_IsObject(spec)) {
        snprintf(c.err, sizeof c.err, "spec: not a JSON object");
        goto out;
    }
    double seed = 1;
    if (get_num(&c, spec, "", "seed", 0, 9007199254740992.0, &seed) ||
        parse_pool(&c, spec, &pool) != 0)
        goto out;
    rng r;
    rng_seed(&r, (uint64_t)seed);
    reply = cJSON_CreateObject();
    if (run_cat(&c, spec, &pool, &r, reply) ||
        (mislevel < 0 && !second && run_learning(&c, spec, &pool, &r, reply)) ||
        (mislevel >= 0 && run_mislevel(&c, spec, &pool, mislevel, (uint64_t)seed, reply)) ||
        (second && run_second_rater(&c, spec, &pool, (uint64_t)seed, reply)))
        goto out;
    if (!cJSON_GetObjectItem(reply, "summary") && !cJSON_GetObjectItem(reply, "learning") &&
        !cJSON_GetObjectItem(reply, "mislevel") && !cJSON_GetObjectItem(reply, "second_rater")) {
        snprintf(c.err, sizeof c.err,
                 "spec: nothing to run: give thetas, ability, responses "
                 "or learning (or --mislevel N)");
        goto out;
    }
    char *s = cJSON_PrintUnformatted(reply);
    printf("%s\n", s);
    free(s);
    rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
    if (rc == EXIT_USAGE)
        fprintf(stderr, "viva simulate: %s\n", c.err);
    cJSON_Delete(reply);
    cJSON_Delete(spec);
    if (pool.items)
        cat_pool_free(&pool);
    free(text);
    (void)app;
    return rc;
}
