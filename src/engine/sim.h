/* sim.h: simulated candidates, for checking the engine end to end (tests, `viva simulate`,
 * benchmarks).
 *
 * sim_cat_run: one adaptive test. Items are chosen by maximum information at the current
 * estimate (randomesque k, no content balancing), the answer is drawn from the model at the
 * true ability (or read from a response row: post-hoc replay), the estimate is updated, and
 * the test stops when SE <= se_stop or after max_items items.
 *
 * sim_learn_run: a candidate who improves. True ability rises linearly from theta_start (first
 * session) to theta_end (last); each session asks per_session questions through the full
 * engine (cat_select with content balancing and reviews, ability_update with drift, FSRS cards
 * for missed and partial answers); sessions are days_between days apart. Reports per session
 * the true ability, the estimate at the end of the session, and the mean location of the
 * questions asked. Pure; allocations are owned by the result and freed by the *_free call. */
#ifndef VIVA_SIM_H
#define VIVA_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "ability.h"
#include "cat.h"
#include "estimate.h"

typedef enum { SIM_EAP, SIM_MAP, SIM_ML, SIM_WLE } sim_estimator;

/* "eap", "map", "ml", "wle" <-> estimator; parse returns 0 or -1. */
const char *sim_estimator_name(sim_estimator e);
int sim_estimator_parse(const char *s, sim_estimator *out);

typedef struct {
    sim_estimator estimator;
    est_opts est;    /* grid, prior and bracket */
    int randomesque; /* k >= 1 */
    double se_stop;  /* stop at SE <= se_stop; 0 = never */
    int max_items;   /* stop after this many (<= pool size) */
} sim_cat_opts;

typedef struct {
    double true_theta, theta, se;
    int length;
    int *items;     /* length item indices, in order */
    int *responses; /* length categories */
} sim_cat_result;

/* One simulated test. resp_row: NULL to draw answers from the model at true_theta, or a row of
 * pool->n categories for post-hoc replay (a negative entry marks an item not answered, which
 * is then never chosen). */
void sim_cat_run(const cat_pool *pool, const sim_cat_opts *o, double true_theta,
                 const int *resp_row, rng *r, sim_cat_result *out);
void sim_cat_result_free(sim_cat_result *res);

/* Draw a category for item `it` at theta. */
int sim_draw(const irt_item *it, double theta, rng *r);

typedef struct {
    double theta_start, theta_end;
    int sessions, per_session;
    double days_between;    /* days from one session to the next */
    double minutes_per_q;   /* time between questions within a session */
    ability_params ability; /* drift_per_day = 0 switches drift off */
    cat_options select;
} sim_learn_opts;

typedef struct {
    double true_theta;    /* during the session */
    double theta, se;     /* estimate at the end of the session */
    double mean_location; /* mean location (irt_location) of the questions asked */
    int reviews;          /* questions that were due reviews */
} sim_learn_session;

/* Runs the scenario; out has o->sessions entries. */
void sim_learn_run(const cat_pool *pool, const sim_learn_opts *o, rng *r, sim_learn_session *out);

/* Helpers for reports and tests. */
double sim_spearman(const double *x, const double *y, size_t n);

#endif
