/* ability.h: a candidate's ability as it changes over time, overall and per topic, and its
 * history for the progress screen.
 *
 * The state is a normal belief N(theta, se^2) with the time of its last update. Each graded
 * answer is a Bayesian update: the belief is put on a grid of `grid` points spanning +-6 SE
 * around theta (within [-6, 6]), multiplied by the item's likelihood, and summarised again by
 * its mean and SD (EAP). Between answers the belief widens as a random walk, as in Glicko:
 *     se^2  <-  se^2 + drift_per_day^2 * days_elapsed,   capped at sd^2,
 * so after a break new answers weigh more and the estimate can follow real improvement
 * instead of freezing once many answers have been seen.
 *
 * Per-topic ability is the overall ability plus a topic deviation d_t with prior N(0, tau^2)
 * (ability_topic_defaults: tau = 0.5). Each answer in the topic updates d_t given the overall
 * estimate, so a topic with few answers stays close to the overall ability (shrinkage) and
 * moves away from it only as evidence in that topic accumulates. Pure; caller-owned data. */
#ifndef VIVA_ABILITY_H
#define VIVA_ABILITY_H

#include <stddef.h>
#include <stdint.h>

#include "irt.h"

#define ABILITY_NEVER INT64_MIN

typedef struct {
    double theta, se;
    int64_t last_ms; /* time of the last update, ABILITY_NEVER before the first */
    int n;           /* answers seen */
} ability;

typedef struct {
    double mean, sd;      /* starting belief, and the largest SE that drift can reach */
    double drift_per_day; /* random-walk SD per square-root day */
    int grid;             /* update grid points (61) */
} ability_params;

/* Overall ability: N(0, 1) start, drift 0.15 per sqrt(day), 61 points. */
ability_params ability_defaults(void);
/* Topic deviations: N(0, 0.5^2) start, drift 0.05 per sqrt(day), 61 points. */
ability_params ability_topic_defaults(void);

void ability_init(ability *a, const ability_params *p);

/* The belief as of now_ms: theta unchanged, se widened by the time since the last update.
 * Times before last_ms count as no time. */
ability ability_at(const ability *a, const ability_params *p, int64_t now_ms);

/* Fold in one answer: category `grade` on item `it` at now_ms (the drift up to now_ms is
 * applied first). grade must be in 0..it->ncat-1. */
void ability_update(ability *a, const ability_params *p, const irt_item *it, int grade,
                    int64_t now_ms);

/* Topic deviation update: `dev` is the topic's deviation, `overall` the overall ability
 * before this answer was folded in. */
void ability_topic_update(ability *dev, const ability_params *tp, const ability *overall,
                          const irt_item *it, int grade, int64_t now_ms);

/* The topic's ability as of now: overall theta + deviation, SE combining both. */
ability ability_topic_at(const ability *dev, const ability_params *tp, const ability *overall,
                         const ability_params *p, int64_t now_ms);

/* History of estimates (one point per answer), for plotting. Grows as needed (aborts on
 * OOM); free with ability_history_free. Zero-initialise before first use. */
typedef struct {
    int64_t t_ms;
    double theta, se;
    int n;
} ability_point;

typedef struct {
    ability_point *v;
    size_t n, cap;
} ability_history;

void ability_history_push(ability_history *h, const ability *a);
void ability_history_free(ability_history *h);

#endif
