/* run_analysis.h: the answer's analysis in the kiosk (transcript, key points covered,
 * delivery, a suggested grade): started on a worker thread when an answer is saved, reported
 * to the main loop as an SDL user event that becomes KIOSK_EV_ANALYSIS, stored with the answer,
 * and shown on the review and summary screens. Main thread only, except the worker. */
#ifndef VIVA_RUN_ANALYSIS_H
#define VIVA_RUN_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "app.h"
#include "kiosk.h"
#include "practice.h"
#include "feedback.h"
#include "screens.h"

typedef struct run_analysis run_analysis;

/* Starts the analysis worker, which loads the recogniser in the background, with its own copy
 * of `questions`; `event` is the registered SDL user event it posts. Never fails: with
 * feedback.enabled off, or once the models turn out to be missing, feedback is off (one log
 * line says why) and run_analysis_enabled() is 0. */
void run_analysis_open(const viva_app *app, const bank *questions, uint32_t event,
                       run_analysis **out);
/* Before closing: waits up to max_ms for the answers handed over so far to be analysed, and
 * stores their results (a candidate who quits right after an answer keeps its feedback). */
void run_analysis_drain(run_analysis *a, practice *pr, int max_ms);
/* Stops the worker (waiting at most 3 s) and frees everything; NULL is ignored. */
void run_analysis_close(run_analysis *a);
int run_analysis_enabled(const run_analysis *a);
void run_analysis_session(run_analysis *a); /* a session begins: its totals start at zero */
/* Analyse the answer just saved (practice_answer_id, the current question, the recording). */
void run_analysis_start(run_analysis *a, practice *pr);
/* If e is the worker's event: stores the result with its answer, fills k (KIOSK_EV_ANALYSIS)
 * and returns 1; else 0. k->type is -1 when the event says the models did not load (feedback
 * is off from now on: tell the kiosk's settings again). */
int run_analysis_event(run_analysis *a, practice *pr, const SDL_Event *e, kiosk_event *k);
/* The spoken grade prompt, with the suggestion when there is one (suggested 0..3, or -1). */
void run_analysis_prompt(const run_analysis *a, int suggested, char *buf, size_t len);
/* The trust of the answer on the review screen (feedback_preselect, decided when its analysis
 * came in): returns the grade preselected and said (0..3), or -1: ask without a verdict (no
 * analysis yet, no suggestion, not sure, or the profile keeps disagreeing). *sure (may be
 * NULL): the analysis was confident ("heard 2 of 5 (not sure)" when 0); *disagrees: the
 * profile's grades keep differing from the sure suggestions. */
int run_analysis_trust(const run_analysis *a, int *sure, int *disagrees);
/* The analysis of the answer on the review screen, or NULL (none yet, or feedback is off). */
const feedback_result *run_analysis_current(const run_analysis *a);
/* Fill the feedback fields of the review and summary views (valid until the next call). */
void run_analysis_review(run_analysis *a, review_view *v);
void run_analysis_summary(run_analysis *a, summary_view *v);

#endif
