/* fsrs.h: when a missed or partly answered question comes back: the FSRS-4.5 spaced-repetition
 * schedule (Free Spaced Repetition Scheduler, open-spaced-repetition project) with its
 * published default weights.
 *
 * viva grades map to FSRS ratings: 0 missed -> Again, 1 partial -> Hard, 2 solid -> Good,
 * 3 excellent -> Easy. A card has a stability S (days until recall probability falls to 90%)
 * and a difficulty D (1..10). Recall probability after t days: R = (1 + 19/81 t / S)^-0.5.
 * The next review is due when R falls to the requested retention (0.9: after S days), never
 * later than max_interval_days and never sooner than min_interval_days. Intervals are
 * fractional days (no rounding to whole days), since a missed question may come back in the
 * next session on the same day. The app creates a card when a question is first graded 0 or
 * 1, and reviews it on every later answer. Pure; caller-owned data. */
#ifndef VIVA_FSRS_H
#define VIVA_FSRS_H

#include <stdint.h>

typedef struct {
    double w[17];             /* FSRS-4.5 weights */
    double retention;         /* requested recall probability at the review (0.9) */
    double max_interval_days; /* 36500 */
    double min_interval_days; /* 0.01 (about 15 minutes) */
} fsrs_params;

typedef struct {
    double stability;  /* days */
    double difficulty; /* 1..10 */
    int64_t last_ms;   /* last review */
    int64_t due_ms;    /* next review */
    int reps, lapses;  /* reviews so far; of which graded 0 (missed) */
} fsrs_card;

void fsrs_defaults(fsrs_params *p);
/* A card that has never been reviewed (reps = 0). */
void fsrs_card_new(fsrs_card *c);
/* Record a review graded 0..3 at now_ms and schedule the next one. */
void fsrs_review(fsrs_card *c, const fsrs_params *p, int grade, int64_t now_ms);
/* Probability of recall at now_ms (1 for a new card). */
double fsrs_retrievability(const fsrs_card *c, int64_t now_ms);
/* Days until recall probability falls to p->retention for a given stability. */
double fsrs_interval_days(const fsrs_params *p, double stability);

#endif
