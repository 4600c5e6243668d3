/* run_review.h: what the driver keeps for the review and compare screens (run_review.c): the
 * transcript split into words for the view, the pace and pauses in words, the transcript's
 * scroll position, and the two attempts on the compare screen. Main thread only. */
#ifndef VIVA_RUN_REVIEW_H
#define VIVA_RUN_REVIEW_H

#include "practice.h"

enum { RUN_REVIEW_WORDS = 2000, RUN_REVIEW_PAUSES = 64 };

typedef struct {
    /* review */
    char *text;                             /* malloc'd copy of the transcript, split in place */
    const char *words[RUN_REVIEW_WORDS];
    unsigned char kind[RUN_REVIEW_WORDS];   /* REVIEW_WORD_* */
    int nwords;
    char pace[200], pauses[200], note[200];
    double pause_at[RUN_REVIEW_PAUSES], pause_len[RUN_REVIEW_PAUSES];
    int npauses;
    int line;                               /* the transcript's first line shown */
    int drag_y, dragging, dragged;          /* a finger or mouse scrolling the transcript */
    /* compare */
    practice_attempt_info att[2];           /* the earlier attempt, this one */
    int natt;
    char when[2][16], att_pace[2][48];
    int playing_side;                       /* -1, 0 or 1 */
} run_review_state;

/* The pace of an answer against the band that is easy to follow, in words: "a little fast:
 * 175 words/min; 120-160 is easy to follow" (docs/readme/review.md has the sources). */
void run_pace_words(double wpm, char *buf, size_t len);

#endif
