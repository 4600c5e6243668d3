/* cat.c: eligibility, review interleaving, Kingsbury-Zara content balancing and randomesque
 * maximum-information selection, with a vectorisable single-precision prefilter. */
#include "cat.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

cat_options cat_defaults(void)
{
    cat_options o = {5, 1, NULL, -1, 0.0, 3 * 86400000LL, 0.3};
    return o;
}

void cat_pool_init(cat_pool *p, size_t n, int ntopics)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    p->ntopics = ntopics > 0 ? ntopics : 1;
    size_t m = n ? n : 1, padded = (n + 7) / 8 * 8 + 8;
    p->items = xcalloc(m, sizeof *p->items);
    p->topic = xcalloc(m, sizeof *p->topic);
    p->fa = xcalloc(padded, sizeof *p->fa);
    p->fe = xcalloc(3 * padded, sizeof *p->fe);
    p->fast = xcalloc(m, 1);
    p->approx = xcalloc(padded, sizeof *p->approx);
    p->cand = xcalloc(m, sizeof *p->cand);
    p->pairs = xcalloc(2 * m, sizeof *p->pairs);
    p->count = xcalloc((size_t)p->ntopics, sizeof *p->count);
}

void cat_pool_free(cat_pool *p)
{
    free(p->items);
    free(p->topic);
    free(p->fa);
    free(p->fe);
    free(p->fast);
    free(p->approx);
    free(p->cand);
    free(p->pairs);
    free(p->count);
    memset(p, 0, sizeof *p);
}

/* The single-precision arrays are padded to whole blocks of 8 (see info_approx). */
static size_t stride(size_t n)
{
    return (n + 7) / 8 * 8 + 8;
}

void cat_pool_prepare(cat_pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const irt_item *it = &p->items[i];
        int m = it->ncat - 1;
        int ok = it->model != IRT_GPCM && m >= 1 && m <= 3 && it->a > 0 && it->a <= 4.5;
        for (int k = 0; k < m && ok; k++)
            ok = fabs(it->b[k]) <= 10;
        p->fast[i] = (unsigned char)ok;
        p->fa[i] = ok ? (float)it->a : 0.0f;
        /* Missing thresholds sit at +infinity: their boundary curve is 0 everywhere. */
        for (int k = 0; k < 3; k++)
            p->fe[(size_t)k * stride(p->n) + i] =
                ok ? (k < m ? (float)exp(it->a * it->b[k]) : INFINITY) : 1.0f;
    }
}

/* The prefilter works on W floats at a time: GCC/Clang vector extensions (4 lanes: SSE on
 * x86-64, NEON on ARM, plain code elsewhere), or single floats with other compilers. Written
 * out rather than left to the auto-vectoriser, which GCC's -O2 cost model declines here. */
#if defined(__GNUC__)
typedef float vf __attribute__((vector_size(16)));
typedef int32_t vi __attribute__((vector_size(16)));
#define W        4
#define TO_VI(x) __builtin_convertvector((x), vi)
#else
typedef float vf;
typedef int32_t vi;
#define W        1
#define TO_VI(x) ((vi)(x))
#endif

/* exp(x) for |x| <= 80 in single precision, branch-free: x log2(e) = n + f with n an integer
 * (rounded by the 1.5 * 2^23 trick, which needs IEEE single rounding, not x87 excess
 * precision) and |f| <= 1/2; 2^f from its degree-6 Taylor polynomial (relative error
 * < 2e-7); 2^n added into the exponent bits. */
static inline vf exp_approx(vf x)
{
    vf t = x * 1.44269504f;
    vf n = (t + 12582912.0f) - 12582912.0f;
    vf f = t - n;
    vf y = 1.0f + f * (0.693147182f +
                       f * (0.240226507f +
                            f * (0.0555041087f +
                                 f * (0.00961812911f + f * (0.00133335581f + f * 0.000154035f)))));
    vi bits;
    memcpy(&bits, &y, sizeof bits);
    bits += TO_VI(n) * (1 << 23);
    memcpy(&y, &bits, sizeof y);
    return y;
}

static inline vf load(const float *p)
{
    vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Approximate GRM information of every item at theta into out[] (arrays padded to a
 * multiple of 8). With boundary curves P*_k = 1 / (1 + exp(-a theta) exp(a b_k)) and
 * W_k = P*_k (1 - P*_k): I = a^2 sum_k (W_k - W_{k+1})^2 / (P*_k - P*_{k+1}). */
static void info_approx(const float *fa, const float *e1, const float *e2, const float *e3,
                        size_t n, float theta, float *out)
{
    for (size_t i = 0; i < n; i += W) {
        vf a = load(fa + i);
        vf e = exp_approx(-a * theta);
        vf p1 = 1.0f / (1.0f + e * load(e1 + i));
        vf p2 = 1.0f / (1.0f + e * load(e2 + i));
        vf p3 = 1.0f / (1.0f + e * load(e3 + i));
        vf w1 = p1 * (1.0f - p1), w2 = p2 * (1.0f - p2), w3 = p3 * (1.0f - p3);
        vf d1 = w1 - w2, d2 = w2 - w3;
        vf s = w1 * w1 / (1.0f - p1 + 1e-30f) + d1 * d1 / (p1 - p2 + 1e-30f) +
               d2 * d2 / (p2 - p3 + 1e-30f) + w3 * w3 / (p3 + 1e-30f);
        s = a * a * s;
        memcpy(out + i, &s, sizeof s);
    }
}

static inline int eligible_now(const cat_state *st, const cat_options *opt, size_t i, int64_t now,
                               int use_recency)
{
    if (st->asked && st->asked[i])
        return 0;
    if (use_recency && opt->recent_ms > 0 && st->last_ms && st->last_ms[i] != CAT_NEVER &&
        now - st->last_ms[i] < opt->recent_ms && !(st->due_ms && st->due_ms[i] <= now))
        return 0;
    return 1;
}

/* Content balancing: the topic furthest below its target share, among topics with eligible
 * items (count[] > 0). Returns -1 for "no restriction". */
static int pick_topic(const cat_pool *pool, const cat_state *st, const cat_options *opt,
                      const int *count, rng *r)
{
    int nt = pool->ntopics;
    if (!opt->balance && opt->focus < 0)
        return -1;
    if (opt->focus >= 0 && opt->focus < nt && opt->focus_share >= 1.0)
        return count[opt->focus] > 0 ? opt->focus : -1;
    double rest = 0, best = -INFINITY;
    int nbest = 0, chosen = -1;
    for (int t = 0; t < nt; t++)
        if (count[t] > 0 && t != opt->focus)
            rest += opt->target ? opt->target[t] : 1.0;
    int have_focus = opt->focus >= 0 && opt->focus < nt && count[opt->focus] > 0;
    for (int t = 0; t < nt; t++) {
        if (count[t] <= 0)
            continue;
        double base = opt->target ? opt->target[t] : 1.0;
        double target;
        if (t == opt->focus)
            target = rest > 0 ? opt->focus_share : 1.0;
        else
            target = rest > 0 ? base / rest * (have_focus ? 1.0 - opt->focus_share : 1.0) : 0;
        double seen =
            st->topic_asked && st->n_asked > 0 ? (double)st->topic_asked[t] / st->n_asked : 0.0;
        double gap = target - seen;
        if (gap > best + 1e-12) {
            best = gap;
            chosen = t;
            nbest = 1;
        } else if (gap > best - 1e-12 && rng_below(r, (uint32_t)++nbest) == 0) {
            chosen = t; /* reservoir choice among tied topics */
        }
    }
    return chosen;
}

static int by_info_desc(const void *a, const void *b)
{
    const double *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? 1 : -1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Top-k of the approximate information among eligible items of `topic` (-1: any), and every
 * item that may belong to the exact top k, into pool->cand. Returns the candidate count (0:
 * nothing eligible). Candidates are collected against the running k-th best, which only
 * rises, and filtered against the final one afterwards. */
static size_t candidates(const cat_pool *pool, const cat_state *st, const cat_options *opt,
                         int topic, int use_recency, int k, double theta, int64_t now_ms)
{
    float top[64];
    int ntop = 0;
    size_t nc = 0;
    double floor_v = -1;
    for (size_t i = 0; i < pool->n; i++) {
        if ((topic >= 0 && pool->topic[i] != topic) ||
            !eligible_now(st, opt, i, now_ms, use_recency))
            continue;
        if (!pool->fast[i])
            pool->approx[i] = (float)irt_info(&pool->items[i], theta);
        float v = pool->approx[i];
        if (v < floor_v)
            continue;
        pool->cand[nc++] = (int)i;
        if (ntop == k && v <= top[k - 1])
            continue;
        int j = ntop < k ? ntop++ : k - 1;
        while (j > 0 && top[j - 1] < v) {
            top[j] = top[j - 1];
            j--;
        }
        top[j] = v;
        /* The prefilter's error is far below this margin (single precision, exp to 2e-7). */
        if (ntop == k)
            floor_v = top[k - 1] - (1e-3 * top[k - 1] + 1e-4);
    }
    if (ntop == 0)
        return 0;
    floor_v = top[ntop - 1] - (1e-3 * top[ntop - 1] + 1e-4);
    size_t kept = 0;
    for (size_t c = 0; c < nc; c++)
        if (pool->approx[pool->cand[c]] >= floor_v)
            pool->cand[kept++] = pool->cand[c];
    return kept;
}

int cat_select(const cat_pool *pool, const cat_state *st, const cat_options *opt, rng *r,
               int64_t now_ms, cat_choice *out)
{
    cat_choice none = {-1, -1, 0, 0.0};
    *out = none;
    int nt = pool->ntopics, use_recency = 1, topic = -1;
    int focus_only = opt->focus >= 0 && opt->focus < nt && opt->focus_share >= 1.0;
    int want_review = st->due_ms && opt->review_share > 0 &&
                      st->n_reviews < opt->review_share * (st->n_asked + 1);
    if (pool->n == 0)
        return -1;

    if (opt->balance || opt->focus >= 0 || want_review) {
        /* Eligible items per topic (recency relaxed if it leaves nothing). */
        int *count = pool->count;
        size_t neligible = 0;
        for (int pass = 0; pass < 2 && neligible == 0; pass++) {
            use_recency = pass == 0;
            memset(count, 0, (size_t)nt * sizeof *count);
            for (size_t i = 0; i < pool->n; i++) {
                if (eligible_now(st, opt, i, now_ms, use_recency) &&
                    (!focus_only || pool->topic[i] == opt->focus)) {
                    count[pool->topic[i]]++;
                    neligible++;
                }
            }
        }
        if (neligible == 0)
            return -1;
        /* 2. A due review, if reviews are behind their share: the most overdue. */
        if (want_review) {
            int best = -1;
            for (size_t i = 0; i < pool->n; i++) {
                if (st->due_ms[i] <= now_ms && eligible_now(st, opt, i, now_ms, use_recency) &&
                    (!focus_only || pool->topic[i] == opt->focus) &&
                    (best < 0 || st->due_ms[i] < st->due_ms[best]))
                    best = (int)i;
            }
            if (best >= 0) {
                out->item = best;
                out->topic = pool->topic[best];
                out->review = 1;
                out->info = irt_info(&pool->items[best], st->theta);
                return best;
            }
        }
        /* 3. The topic furthest below its share. */
        topic = pick_topic(pool, st, opt, count, r);
    }

    /* 4. Randomesque maximum information. */
    double theta = st->theta < -6 ? -6 : (st->theta > 6 ? 6 : st->theta);
    size_t stride_n = stride(pool->n);
    info_approx(pool->fa, pool->fe, pool->fe + stride_n, pool->fe + 2 * stride_n, pool->n,
                (float)theta, pool->approx);
    int k = opt->randomesque < 1 ? 1 : (opt->randomesque > 64 ? 64 : opt->randomesque);
    size_t nc = candidates(pool, st, opt, topic, use_recency, k, theta, now_ms);
    if (nc == 0 && use_recency) {
        use_recency = 0;
        nc = candidates(pool, st, opt, topic, use_recency, k, theta, now_ms);
    }
    if (nc == 0)
        return -1;
    /* Rank candidates by exact information, ties by index, so the order is deterministic. */
    double *pairs = pool->pairs;
    for (size_t c = 0; c < nc; c++) {
        pairs[2 * c] = irt_info(&pool->items[pool->cand[c]], theta);
        pairs[2 * c + 1] = pool->cand[c];
    }
    qsort(pairs, nc, 2 * sizeof *pairs, by_info_desc);
    size_t kk = (size_t)k < nc ? (size_t)k : nc;
    double kth = pairs[2 * (kk - 1)];
    size_t ntie = kk;
    while (ntie < nc && pairs[2 * ntie] >= kth - 1e-12 * (1 + kth))
        ntie++;
    size_t pick = rng_below(r, (uint32_t)ntie);
    out->item = (int)pairs[2 * pick + 1];
    out->topic = pool->topic[out->item];
    out->info = pairs[2 * pick];
    return out->item;
}
