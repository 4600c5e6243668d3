/* practice.h: one candidate's practice, wiring the engine (core), the store and the audio edge.
 * The UI loop drives it and draws from what it reports; it never touches SDL.
 *
 *   practice_open()            store, audio, bank, the profile's ability and review schedule
 *   practice_begin_session()   a new session
 *   practice_next()            choose the next question (engine), or report the session over
 *   practice_answer_start()    recording starts (if there is a microphone)
 *   practice_answer_end()      recording stops; the ungraded answer is saved durably
 *   practice_grade()           ability, review card and grade are committed durably together
 *                              (one store transaction: store_grade_save)
 *   practice_save_analysis()   the analysis of the saved answer (answer feedback)
 *   practice_end_session()     session closed, rotating backup made
 * Main thread only, except the audio notify callback, which runs on the audio writer thread. */
#ifndef VIVA_PRACTICE_H
#define VIVA_PRACTICE_H

#include <stdint.h>

#include "app.h"
#include "audio.h"
#include "bank.h"
#include "store.h"

typedef struct practice practice;

typedef struct {
    double theta, se; /* overall ability */
    int answered;     /* answers graded, all time */
} practice_ability;

typedef struct {
    int asked, graded;
    int saved;            /* grades that are on disk (graded - saved were not saved) */
    const char *unsaved_why; /* why the last answer or grade was not saved ("the disk is
                                full"), or NULL when everything was */
    double theta_start, se_start, theta_now, se_now;
    int64_t talk_ms;
    int topics;              /* entries used below */
    const char *topic[8];    /* topics answered this session (display names) */
    double topic_theta[8], topic_se[8];
    int topic_n[8];
} practice_summary;

/* Opens everything for the profile `profile_name` (created if missing). Store or audio trouble
 * is not fatal: practice continues without saving or recording, and *notice says so in a
 * sentence for the screen. When the store refuses to open (a second viva, damaged, newer or
 * unreadable data) *exit_code is its STORE_EXIT_* code and err holds the store's message
 * (else *exit_code is 0). Returns 0, or -1 when there is nothing to practise (message in
 * err). */
int practice_open(viva_app *app, const char *profile_name, practice **out, char *notice,
                  size_t nlen, char *err, size_t elen, int *exit_code);
void practice_close(practice *p);

/* Seeds the question choice with `seed` instead of the clock (repeatable runs). */
void practice_set_seed(practice *p, uint64_t seed);
void practice_begin_session(practice *p, int64_t now_ms);
/* Chooses the next question; returns it, or NULL when the session is over. */
const bank_item *practice_next(practice *p, int64_t now_ms);
const bank_item *practice_current(const practice *p);
/* Asks the current question again as a new attempt in this session (the answer saved for the
 * attempt before stays as it is); NULL when no question is out. Only a question's first
 * attempt in a session moves the ability estimate and the review card: later attempts are
 * practice, their grades kept with them (practice_grade). */
const bank_item *practice_retry(practice *p, int64_t now_ms);
int practice_attempt(const practice *p); /* 1-based attempt at the current question */

/* The attempts at one question, for the compare screen and the progress screen. */
typedef struct {
    uint64_t response;  /* store id */
    uint64_t session;
    int attempt;        /* 1-based within its session */
    int64_t t_ms;
    int grade;          /* -1 ungraded */
    uint64_t recording; /* 0 none */
    double seconds;     /* the answer's length */
    int analysed;       /* an analysis is stored: the fields below are known */
    int nkeys, ncovered;
    int covered[BANK_MAX_KEYS];
    double words_per_minute, talk_seconds;
} practice_attempt_info;
/* Every answer of the profile to question `item_id` (session 0) or only those of one session,
 * oldest first, with their attempt numbers and stored analyses; *out malloc'd (NULL when
 * none). Returns how many. */
int practice_attempts(practice *p, const char *item_id, uint64_t session_id,
                      practice_attempt_info **out);
uint64_t practice_session_id(const practice *p); /* 0: none (no store) */
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

/* The response id of the current question's saved answer (set by practice_answer_end), 0 if
 * none yet (no answer ended, or it could not be saved). */
uint64_t practice_answer_id(const practice *p);
/* Keeps `json` (what `viva analyse --json` prints for the answer) as the analysis of answer
 * `response_id` in one synced transaction. 0 or a viva_err (VIVA_ENOTFOUND: no such answer,
 * VIVA_EINVAL: not UTF-8 JSON text of at most 64 KiB, VIVA_EIO: no store in this run, or the
 * store's error); each failure is logged once. A failure changes nothing else. */
int practice_save_analysis(practice *p, uint64_t response_id, const char *json);
/* A copy of the current answer's recording (16 kHz mono) for its analysis: *pcm malloc'd
 * (caller frees). Returns 0, or -1 when the answer has no recording. */
int practice_answer_pcm(practice *p, int16_t **pcm, size_t *frames);
/* The loaded questions (read-only; valid until practice_close). */
const bank *practice_bank(const practice *p);

/* The answer feedback of one session, summed from the analyses stored with its answers. */
typedef struct {
    uint64_t session;
    int answers;                  /* analysed answers in which speech was heard */
    int keys_covered, keys_total; /* key points covered / asked in those answers */
    int words, fillers;
    double talk_seconds;
} practice_feedback;
/* Every session of the profile with analysed answers, oldest first; *out is malloc'd (NULL
 * when none). Returns how many. */
int practice_feedback_sessions(practice *p, practice_feedback **out);
/* The profile's agreement with the sure suggested grades (trust_record.h; a zeroed record
 * without a store). Returns 0 or the store's error (the record then holds what was read). */
struct feedback_record_s;
int practice_feedback_record(practice *p, struct feedback_record_s *out);

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

/* The answer's samples are also handed to `tap` on the writer thread (the command spotter). */
void practice_set_tap(practice *p, void (*tap)(void *ctx, const int16_t *pcm, size_t frames),
                      void *ctx);
/* Main thread, before practice_answer_end: the recording ends at `sample` (a spoken end phrase
 * starts there), so the phrase is not kept as part of the answer. */
void practice_answer_cut(practice *p, int64_t sample);

/* Settings changed on the screen: applied now and kept in the store (see README). -1 if the
 * value is refused (logged). */
int practice_save_setting(practice *p, const char *key, const char *value);

const char *practice_profile_name(const practice *p);
/* The profile's voice adaptation (src/speech/adapt.h), malloc'd (caller frees), or NULL: none,
 * no store, or a damaged record (logged once per call). */
char *practice_voice(practice *p, size_t *len);
/* Profile PINs (practice_pin.c): the state of profile `name`'s PIN, and a check of `pin`
 * against it, recorded in the store (store_pin_status, store_pin_check). Without a store, or
 * for a profile that does not exist yet, there is no PIN. */
int practice_pin_state(practice *p, const char *name, int64_t now_ms, store_pin_state *out);
int practice_pin_check(practice *p, const char *name, const char *pin, int64_t now_ms,
                       int *result, store_pin_state *out);
int practice_can_save(const practice *p);
/* Names of the store's profiles, in creation order; returns how many (at most max). */
int practice_profiles(practice *p, char (*names)[STORE_NAME_MAX + 1], int max);
int practice_reviews_due(const practice *p, int64_t now_ms);
int practice_topic_count(const practice *p);
const char *practice_topic_slug(const practice *p, int i);
/* Focus the next sessions on topic `slug` ("" = all) and keep the choice; -1 if unknown. */
int practice_set_focus(practice *p, const char *slug);

typedef struct {
    int64_t t_ms;
    double theta, se;
} practice_point;
/* Ability history of `topic` (slug; "" = overall), oldest first; *out is malloc'd. */
int practice_history(practice *p, const char *topic, practice_point **out);

typedef struct {
    int64_t t_ms;
    const char *topic;    /* display name */
    const char *question; /* NULL if the question is no longer in the bank */
    int grade;            /* -1 = not graded */
    uint64_t recording;   /* 0 = none */
    uint64_t id, session; /* the response and its session (0 = none) */
    int attempt, attempts; /* this is answer `attempt` of `attempts` to its question (1 of 1
                            * when the question was answered once or is not known) */
    int analysed;          /* the analysis is stored: covered of nkeys key points were heard
                            * (nkeys 0: the question has no key points) */
    int covered, nkeys;
} practice_answer;
/* Every answer of the profile, newest first; *out is malloc'd, strings borrowed from the bank. */
int practice_answers(practice *p, practice_answer **out);
/* The answers of the session under way (or just ended), in the order they were given;
 * *out is malloc'd as by practice_answers. */
int practice_session_answers(practice *p, practice_answer **out);
/* "Practise next: ..." from what is due for review, else from what was missed or only partly
 * right among the last answers; "" (returns 0) when neither names a topic. */
int practice_suggest_next(practice *p, int64_t now_ms, char *buf, size_t len);
/* Play a past answer from the start (stopped by practice_stop_playback or the next question);
 * position and state through practice_play_position. */
int practice_play_recording(practice *p, uint64_t rec_id);
void practice_stop_playback(practice *p);
audio *practice_audio(practice *p);
/* 1 if the configured microphone is connected now (devices are looked at again), else 0 with
 * a sentence for the screen in msg. Always 1 when recording is turned off. */
int practice_mic_present(practice *p, char *msg, size_t len);

#endif
