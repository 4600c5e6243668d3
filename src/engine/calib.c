/* calib.c: level priors, MAP recalibration of an item's difficulty shift, and the stored form
 * of a shift. */
#include "calib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#define PI_OVER_8 0.39269908169872414

double calib_level_location(int level)
{
    if (level < 1)
        level = 1;
    if (level > 5)
        level = 5;
    return level - 3.0;
}

irt_item calib_item_from_level(int level, double a)
{
    irt_item it = {IRT_GRM, 4, a > 0 ? a : CALIB_DEFAULT_A, {0}};
    double loc = calib_level_location(level);
    for (int k = 0; k < 3; k++)
        it.b[k] = loc + (k - 1) * CALIB_STEP;
    return it;
}

irt_item calib_apply(const irt_item *authored, double shift)
{
    irt_item it = *authored;
    for (int k = 0; k < it.ncat - 1; k++)
        it.b[k] += shift;
    return it;
}

/* Adds to *g the derivative in s of the log-likelihood of one item's answers when its
 * thresholds move by s, and to *info the Fisher information. Moving the thresholds by s is
 * moving theta by -s, so the score in s is minus the score in theta at theta - s. Each answer
 * is scored with the discrimination attenuated by the uncertainty of its theta (calib.h). */
static void lik(const irt_item *it, const calib_obs *obs, size_t n, double s, double *g,
                double *info)
{
    irt_item att = *it;
    for (size_t i = 0; i < n; i++) {
        int k = obs[i].grade;
        if (k < 0 || k >= it->ncat)
            continue;
        double v = obs[i].se > 0 ? obs[i].se * obs[i].se : 0;
        att.a = it->a / sqrt(1.0 + PI_OVER_8 * it->a * it->a * v);
        double p[IRT_MAX_CAT], dp[IRT_MAX_CAT];
        irt_probs(&att, obs[i].theta - s, p, dp, NULL);
        *g -= dp[k] / (p[k] > IRT_PROB_FLOOR ? p[k] : IRT_PROB_FLOOR);
        for (int c = 0; c < it->ncat; c++)
            if (p[c] > IRT_PROB_FLOOR)
                *info += dp[c] * dp[c] / p[c];
    }
}

/* What is being estimated: one item's answers, or several items' answers sharing s. */
typedef struct {
    const calib_group *groups;
    size_t ng;
} target;

/* Derivative of the log posterior at s (prior N(0, sd^2)) and the posterior information. */
static double post(const target *t, double sd, double s, double *info)
{
    double g = 0, in = 0;
    for (size_t i = 0; i < t->ng; i++)
        lik(t->groups[i].item, t->groups[i].obs, t->groups[i].n, s, &g, &in);
    *info = in + 1.0 / (sd * sd);
    return g - s / (sd * sd);
}

/* The root of the score within +-CALIB_MAX_SHIFT. The posterior is log-concave (GRM, GPCM and
 * 2PL likelihoods are log-concave in theta, the prior is normal), so the score decreases in s:
 * Fisher scoring steps, kept inside a bracket that shrinks with every evaluation (bisection
 * when a step would leave it). About five evaluations instead of bisection's forty. */
static double solve(const target *t, double sd, double *se)
{
    double lo = -CALIB_MAX_SHIFT, hi = CALIB_MAX_SHIFT, s = 0, info;
    for (int it = 0; it < 100; it++) {
        double g = post(t, sd, s, &info);
        if (g > 0)
            lo = s;
        else
            hi = s;
        double next = s + g / info;
        if (!(next > lo && next < hi))
            next = 0.5 * (lo + hi);
        double step = fabs(next - s);
        s = next;
        if (step < 1e-10 || hi - lo < 1e-10)
            break;
    }
    if (s > CALIB_MAX_SHIFT)
        s = CALIB_MAX_SHIFT;
    if (s < -CALIB_MAX_SHIFT)
        s = -CALIB_MAX_SHIFT;
    if (se) {
        post(t, sd, s, &info);
        *se = 1.0 / sqrt(info);
    }
    return s;
}

double calib_shift(const irt_item *authored, const calib_obs *obs, size_t n, double prior_sd,
                   double *se)
{
    double sd = prior_sd > 0 ? prior_sd : CALIB_PRIOR_SD;
    if (n == 0) {
        if (se)
            *se = sd;
        return 0;
    }
    calib_group g = {authored, obs, n};
    target t = {&g, 1};
    return solve(&t, sd, se);
}

double calib_common_shift(const calib_group *groups, size_t ng, double prior_sd, double *se)
{
    double sd = prior_sd > 0 ? prior_sd : CALIB_COMMON_SD;
    size_t n = 0;
    for (size_t i = 0; i < ng; i++)
        n += groups[i].n;
    if (n == 0) {
        if (se)
            *se = sd;
        return 0;
    }
    target t = {groups, ng};
    return solve(&t, sd, se);
}

double calib_shifts(const calib_group *groups, size_t ng, double prior_sd, double *shift,
                    double *se)
{
    double common = calib_common_shift(groups, ng, 0, NULL);
    for (size_t i = 0; i < ng; i++) {
        irt_item anchored = calib_apply(groups[i].item, common);
        shift[i] = calib_shift(&anchored, groups[i].obs, groups[i].n, prior_sd, se ? &se[i] : NULL);
    }
    /* Mis-levelled items are what we look for, so they must not set the common shift: once
     * more without the items that moved by CALIB_TRIM or more. */
    calib_group *kept = xmalloc((ng ? ng : 1) * sizeof *kept);
    size_t nk = 0;
    for (size_t i = 0; i < ng; i++)
        if (fabs(shift[i]) < CALIB_TRIM)
            kept[nk++] = groups[i];
    if (nk < ng) {
        common = calib_common_shift(kept, nk, 0, NULL);
        for (size_t i = 0; i < ng; i++) {
            irt_item anchored = calib_apply(groups[i].item, common);
            shift[i] =
                calib_shift(&anchored, groups[i].obs, groups[i].n, prior_sd, se ? &se[i] : NULL);
        }
    }
    free(kept);
    return common;
}

/* Little-endian fields, so a record written on one machine reads the same on another. */
static void put_u64(unsigned char *o, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        o[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64(const unsigned char *in)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)in[i] << (8 * i);
    return v;
}

static void put_f64(unsigned char *o, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(o, v);
}

static double get_f64(const unsigned char *in)
{
    uint64_t v = get_u64(in);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

void calib_record_encode(const calib_record *r, unsigned char out[CALIB_RECORD_SIZE])
{
    out[0] = CALIB_RECORD_VERSION;
    out[1] = (unsigned char)r->level;
    put_f64(out + 2, r->shift);
    put_f64(out + 10, r->se);
    for (int i = 0; i < 4; i++)
        out[18 + i] = (unsigned char)(r->n >> (8 * i));
}

int calib_record_decode(const void *data, size_t len, calib_record *out)
{
    const unsigned char *in = data;
    if (!in || len != CALIB_RECORD_SIZE || in[0] != CALIB_RECORD_VERSION)
        return -1;
    calib_record r;
    r.level = in[1];
    r.shift = get_f64(in + 2);
    r.se = get_f64(in + 10);
    r.n =
        (uint32_t)in[18] | (uint32_t)in[19] << 8 | (uint32_t)in[20] << 16 | (uint32_t)in[21] << 24;
    if (r.level < 1 || r.level > 5 || !isfinite(r.shift) || fabs(r.shift) > CALIB_MAX_SHIFT ||
        !isfinite(r.se) || r.se <= 0)
        return -1;
    *out = r;
    return 0;
}
