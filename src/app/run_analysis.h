/* run_analysis.h: the answer's analysis in the kiosk (transcript, key points covered,
 * delivery, a suggested grade): started on a worker thread when an answer is saved, reported
 * to the main loop as an SDL user event that becomes KIOSK_EV_ANALYSIS, stored with the answer,
 * and shown on the review and summary screens. Main thread only, except the worker. */
#ifndef VIVA_RUN_ANALYSIS_H
#define VIVA_RUN_ANALYSIS_H

#include <SDL.h>

#include "run.h"

/* `event` is the registered SDL user event the worker posts when it is done. */
void run_analysis_init(run *r, uint32_t event);
/* 1 when answers are analysed (the models loaded); 0: feedback is off (logged once). */
int run_analysis_enabled(run *r);
void run_analysis_session(run *r);  /* a session begins: its totals start at zero */
void run_analysis_start(run *r);    /* analyse the answer just saved */
void run_analysis_stop(run *r);     /* wait for a running analysis and free everything */
/* If e is the worker's event, fills k (KIOSK_EV_ANALYSIS) and returns 1. */
int run_analysis_event(run *r, const SDL_Event *e, kiosk_event *k);
/* The spoken grade prompt, with the suggestion when there is one (suggested 0..3, or -1). */
void run_analysis_prompt(run *r, int suggested, char *buf, size_t len);
/* Fill the feedback fields of the review and summary views. */
void run_analysis_review(run *r, review_view *v);
void run_analysis_summary(run *r, summary_view *v);

#endif
