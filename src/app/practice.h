/* practice.h: one candidate's practice, wiring the engine (core), the store and the audio edge.
 * The UI loop drives it and draws from what it reports; it never touches SDL.
 *
 *   practice_open()            store, audio, bank, the profile's ability and review schedule
 *   practice_begin_session()   a new session
 *   practice_next()            choose the next question (engine), or report the session over
 *   practice_answer_start()    recording starts (if there is a microphone)
 *   practice_answer_end()      recording stops; the ungraded answer is saved durably
 *   practice_grade()           ability, review card and grade are committed durably together
 *   practice_end_session()     session closed, rotating backup made
 * Main thread only, except the audio notify callback, which runs on the audio writer thread. */
#ifndef VIVA_PRACTICE_H
#define VIVA_PRACTICE_H

#include <stdint.h>

#include "app.h"
#include "audio.h"
#include "bank.h"

typedef struct practice practice;

typedef struct {
    double theta, se; /* overall ability */
    int answered;     /* answers graded, all time */
} practice_ability;

typedef struct {
    int asked, graded;
    double theta_start, se_start, theta_now, se_now;
    int64_t talk_ms;
    int topics;              /* entries used below */
    const char *topic[8];    /* topics answered this session (display names) */
    double topic_theta[8], topic_se[8];
    int topic_n[8];
} practice_summary;

/* Opens everything for the profile `profile_name` (created if missing). Store or audio trouble
 * is not fatal: practice continues without saving or recording, and *notice says so in a
 * sentence for the screen. Returns 0, or -1 when there is nothing to practise (message in err);
 * *exit_code is set when the store refuses to open for a reason the user must fix (a second
 * viva, damaged data): then the caller shows err and exits with that code. */
int practice_open(viva_app *app, const char *profile_name, practice **out, char *notice,
                  size_t nlen, char *err, size_t elen, int *exit_code);
void practice_close(practice *p);

/* Seeds the question choice with `seed` instead of the clock (repeatable runs). */
void practice_set_seed(practice *p, uint64_t seed);
void practice_begin_session(practice *p, int64_t now_ms);
/* Chooses the next question; returns it, or NULL when the session is over. */
const bank_item *practice_next(practice *p, int64_t now_ms);
const bank_item *practice_current(const practice *p);
int practice_number(const practice *p);     /* 1-based number of the current question */
int practice_planned(const practice *p);    /* questions planned (0 = open-ended) */
int practice_is_review(const practice *p);  /* the current question is a due review */
int practice_answer_seconds(const practice *p);

/* Starts recording the answer (no-op without a microphone). `notify` is called on the audio
 * writer thread (see audio.h) and must only post an event. */
void practice_answer_start(practice *p, int64_t now_ms,
                           void (*notify)(void *ctx, const audio_status *st), void *ctx);
int practice_recording(const practice *p);
/* Level, VAD and end state of the running capture; ended = AUDIO_GOING while recording. */
void practice_answer_status(practice *p, audio_status *st);
/* Ask the recorder to end the answer (the caller then waits for the end notification). */
void practice_answer_request_end(practice *p);
/* Stops recording and saves the ungraded answer durably. */
void practice_answer_end(practice *p, int64_t now_ms);

/* Commits grade 0..3 (or -1: skipped, nothing learnt) with the new ability. */
void practice_grade(practice *p, int grade, int64_t now_ms);

/* Playback of the current answer: toggle play/pause, seek by seconds; position/length in s. */
int practice_has_recording(const practice *p);
void practice_play_toggle(practice *p);
void practice_seek(practice *p, double seconds);
void practice_play_position(practice *p, double *pos, double *len, int *playing);
/* Peak envelope of the answer in `n` bins (0..1) for the waveform; returns bins filled. */
int practice_waveform(practice *p, float *bins, int n);

void practice_end_session(practice *p, int64_t now_ms);
void practice_get_summary(const practice *p, practice_summary *s);
practice_ability practice_get_ability(const practice *p, int64_t now_ms);
/* A sentence about trouble that arose during the session (device lost, disk full), or NULL. */
const char *practice_notice(const practice *p);

#endif
