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
 * questions asked.
 *
 * sim_recal_run: several such learners share one device whose bank has mis-levelled questions
 * (sim_mislevel): answers are drawn from the real difficulty (authored + offset), the engine
 * selects and estimates with the authored parameters, and, with recalibration on, after every
 * round of sessions (one session of each learner, the same day) every question's shift is
 * re-estimated from every answer on the device so far (calib_shifts, as practice does at a
 * session end) and the engine uses authored + shift from then on. Practice recalibrates after
 * each session; once a round keeps the simulation linear in the number of answers per round.
 * Pure; allocations are owned by the result and freed by the *_free call. */
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

/* sim_rater_run: the learning scenario with two raters of every answer. Each answer has a latent
 * quality c, drawn from the item's GRM at the true ability (what sim_learn_run grades with).
 * The candidate's self-grade is c with probability self_exact, otherwise one step up (share
 * self_up of those errors) or down; the coverage-suggested grade is c with probability
 * coverage_exact, otherwise one step up or down equally. Neither rater is ever more than one
 * step off. A step that would leave 0..ncat-1 is clipped (the grade stays c: at 0 and at the
 * top a rater is exact more often) or turned the other way (the exact rate holds at every c):
 * by default the self-grade clips (a candidate who overrates a top answer still says
 * "excellent") and the suggestion turns (its measured confusion, 75% exact and 25% one step
 * off, is the benchmark's over all grades). Two arms follow the same answers:
 *   self:  today's engine: ability_update with the self-grade (this arm also chooses the
 *          questions and drives the review cards, exactly as sim_learn_run does);
 *   both:  a second belief, updated at the same times with the same drift and grid, whose
 *          likelihood per answer is P(self)^(1-w) P(suggested)^w, w = coverage_weight: both
 *          grades as observations of the item, weighted so one answer still counts as one.
 * With coverage_weight 0 the two arms are identical. Each rater draws two uniforms per answer
 * whatever its rates, so changing one rater leaves the other rater's grades as they were. */
typedef struct {
    double self_exact;      /* P(self-grade = c) (0.65) */
    double self_up;         /* share of the self-grade's one-step errors that go up (0.5) */
    int self_turn;          /* 1: a step off the scale turns back; 0: clipped (0) */
    double coverage_exact;  /* P(suggested grade = c) (0.75) */
    int coverage_turn;      /* as self_turn, for the suggestion (1) */
    double coverage_weight; /* w, the suggested grade's share of an answer's weight (0.5) */
} sim_rater_opts;

sim_rater_opts sim_rater_defaults(void);

typedef struct {
    double true_theta;                       /* during the session */
    double self_theta, self_se;              /* arm self at the end of the session */
    double both_theta, both_se;              /* arm both at the end of the session */
    int answers, self_exact, coverage_exact; /* answers, and how many of each grade were = c */
} sim_rater_session;

/* Runs the scenario; out has o->sessions entries. */
void sim_rater_run(const cat_pool *pool, const sim_learn_opts *o, const sim_rater_opts *ro, rng *r,
                   sim_rater_session *out);

/* Marks `count` (<= n) distinct items chosen at random as mis-levelled: offset[i] is -2, -1,
 * +1 or +2 (equally likely) for those and 0 for the others (the true difficulty is the
 * authored one moved by offset[i]). */
void sim_mislevel(size_t n, int count, rng *r, double *offset);

typedef struct {
    sim_learn_opts learn; /* every learner's scenario; theta_start/end are the mean path */
    int candidates;       /* learners sharing the device; sessions interleave round-robin */
    double spread;        /* SD of a learner's constant offset from the mean path */
    int recalibrate;      /* 1: re-estimate shifts after every round of sessions */
    double prior_sd;      /* prior SD of a shift (<= 0: CALIB_PRIOR_SD) */
} sim_recal_opts;

typedef struct {
    double rmse, bias;       /* end-of-session estimate minus true ability, every session */
    double rmse_second_half; /* the same over the second half of the sessions */
    int answers;             /* graded answers on the device */
} sim_recal_result;

/* authored: the pool as the bank levels it; offset: n true offsets (NULL = none). shift and
 * answers (n each, may be NULL) receive each item's final shift (0 without recalibration) and
 * its number of answers. */
void sim_recal_run(const cat_pool *authored, const double *offset, const sim_recal_opts *o, rng *r,
                   double *shift, int *answers, sim_recal_result *out);

/* Helpers for reports and tests. */
double sim_spearman(const double *x, const double *y, size_t n);

#endif
