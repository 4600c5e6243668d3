/* ability.c: Gaussian-belief ability with random-walk drift, updated answer by answer on an
 * adaptive grid (centred on the current belief, so its resolution follows the SE however
 * small the SE gets), topic deviations, and the history. */
#include "ability.h"

#include <math.h>
#include <stdlib.h>

#include "estimate.h"
#include "strbuf.h"

ability_params ability_defaults(void)
{
    ability_params p = {0.0, 1.0, 0.15, 61};
    return p;
}

ability_params ability_topic_defaults(void)
{
    ability_params p = {0.0, 0.5, 0.05, 61};
    return p;
}

void ability_init(ability *a, const ability_params *p)
{
    a->theta = p->mean;
    a->se = p->sd;
    a->last_ms = ABILITY_NEVER;
    a->n = 0;
}

ability ability_at(const ability *a, const ability_params *p, int64_t now_ms)
{
    ability r = *a;
    if (a->last_ms != ABILITY_NEVER && now_ms > a->last_ms) {
        double days = (double)(now_ms - a->last_ms) / 86400000.0;
        double var = a->se * a->se + p->drift_per_day * p->drift_per_day * days;
        double cap = p->sd * p->sd;
        r.se = sqrt(var < cap ? var : (a->se > p->sd ? a->se * a->se : cap));
    }
    return r;
}

/* Posterior of N(m, s^2) times the likelihood of `grade` on `it`, summarised by EAP. */
static void update(ability *a, const ability_params *p, const irt_item *it, int grade,
                   int64_t now_ms)
{
    ability b = ability_at(a, p, now_ms);
    double m = b.theta < -6 ? -6 : (b.theta > 6 ? 6 : b.theta);
    double s = b.se > 1e-6 ? b.se : 1e-6;
    est_opts o = {p->grid, m - 6 * s, m + 6 * s, m, s};
    if (o.lo < -6)
        o.lo = -6;
    if (o.hi > 6)
        o.hi = 6;
    est_post post;
    est_post_init(&post, &o);
    est_post_add(&post, it, grade);
    est_post_eap(&post, &a->theta, &a->se);
    if (now_ms > a->last_ms)
        a->last_ms = now_ms;
    a->n++;
}

void ability_update(ability *a, const ability_params *p, const irt_item *it, int grade,
                    int64_t now_ms)
{
    update(a, p, it, grade, now_ms);
}

void ability_topic_update(ability *dev, const ability_params *tp, const ability *overall,
                          const irt_item *it, int grade, int64_t now_ms)
{
    /* P(grade | overall + d) on item `it` is P(grade | d) on the item shifted by -overall. */
    irt_item shifted = *it;
    for (int k = 0; k < it->ncat - 1; k++)
        shifted.b[k] -= overall->theta;
    update(dev, tp, &shifted, grade, now_ms);
}

ability ability_topic_at(const ability *dev, const ability_params *tp, const ability *overall,
                         const ability_params *p, int64_t now_ms)
{
    ability o = ability_at(overall, p, now_ms), d = ability_at(dev, tp, now_ms);
    ability r = o;
    r.theta = o.theta + d.theta;
    r.se = sqrt(o.se * o.se + d.se * d.se);
    r.n = dev->n;
    return r;
}

void ability_history_push(ability_history *h, const ability *a)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->v = xrealloc(h->v, h->cap * sizeof *h->v);
    }
    ability_point pt = {a->last_ms, a->theta, a->se, a->n};
    h->v[h->n++] = pt;
}

void ability_history_free(ability_history *h)
{
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}
