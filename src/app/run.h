/* run.h: the kiosk's driver, shared by the loop (run.c: SDL events -> kiosk events, kiosk
 * actions -> practice, speech, audio) and the views (run_view.c: the kiosk's model and the
 * practice's data -> screens). The flow itself is the pure state machine in src/kiosk.
 * Main thread only. */
#ifndef VIVA_RUN_H
#define VIVA_RUN_H

#include <stdint.h>

#include <SDL.h>

#include "app.h"
#include "hands.h"
#include "kiosk.h"
#include "practice.h"
#include "run_analysis.h"
#include "screens.h"
#include "store.h"
#include "ui.h"

enum { RUN_MAX_PROFILES = 32, RUN_MAX_SERIES = 16, RUN_WAVE_BINS = 256 };

/* What the driver keeps for the review and compare screens (run_review.c): the transcript
 * split into words for the view, the pace and pauses in words, the transcript's scroll
 * position, and the two attempts on the compare screen. */
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
    int ref_page;                           /* the reference answer's page shown */
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


typedef struct {
    viva_app *app;
    practice *pr;
    hands *hf; /* NULL: no speech (off, or this build has none) */
    run_analysis *an;
    ui *u;
    kiosk k;
    int64_t now; /* driver time, ms since the loop started */

    float wave[RUN_WAVE_BINS];
    int nwave;
    char notice0[320]; /* start-up notice (no microphone, no store) */
    uint32_t audio_event;  /* SDL user event posted by the audio writer thread */
    uint32_t button_event; /* ... by the GPIO button thread */
    uint32_t voice_event;  /* ... by the command spotter (code = speech_cmd_id, data1 = start) */
    int was_speaking, was_playing; /* edges become kiosk events */
    int answer_end;                /* how the recorder ended the last answer (audio_end; 0 =
                                      it did not: a key, a command, no recording) */
    char why[400];                 /* the sentence of the last result event */

    /* profiles */
    char profiles[RUN_MAX_PROFILES][STORE_NAME_MAX + 1];
    int nprofiles;
    char pin_ok[STORE_NAME_MAX + 1]; /* the profile whose PIN was given (or that has none) */
    /* progress */
    progress_point *pts[RUN_MAX_SERIES];
    int npts[RUN_MAX_SERIES];
    const char *series_name[RUN_MAX_SERIES];
    int nseries;
    practice_answer *answers;
    progress_row *rows;
    char (*row_when)[24];
    int nanswers;
    /* what the progress and summary screens say of the estimate and the feedback */
    char level_text[200], topics_text[240], next_text[200];
    session_figures *sessions; /* answer feedback per session, oldest first */
    int nsessions;
    unsigned long long seed; /* --seed, kept across profile switches */
    int have_seed;
    /* the store's refusal, for the recovery screen (run_do.c: run_store_outcome) */
    int store_code;            /* STORE_EXIT_* of the last refusal; 0: the store is open */
    char store_err[600];       /* what the store said */
    char backup_dir[PATH_MAX]; /* the newest complete backup, "" when there is none */
    int64_t backup_ms;         /* when it was written */
    char kept[PATH_MAX];       /* where the refused data file was kept aside, "" none */
    char shown_notice[900];    /* the session screens' last notice, logged once when it changes */
    run_review_state rv;       /* review and compare (run_review.c) */
} run;

/* run_do.c */
int64_t run_wall_ms(void);
/* Monotonic seconds: for measuring how long a step of the loop takes. */
double run_mono_s(void);
/* The voice service: opened after the first frame and again when a speech setting changes. */
void run_open_hands(run *r);
void run_close_hands(run *r);
/* Tell the machine the settings its flow depends on, and what speech can do now. */
void run_tell_settings(run *r);
void run_tell_speech(run *r);
/* Close and open the voice service again after a speech or device setting changed. */
void run_reopen_hands(run *r);
/* run_settings.c: the Settings screen's item `item` (KIOSK_SET_*) steps to its next value;
 * returns a sentence for the screen when the change could not be made, else NULL. */
const char *run_change_setting(run *r, int item);
/* The next topic of home's topic item ("" all topics, then each in turn); 0 or an error. */
int run_next_topic(run *r);
/* The kiosk command of a recogniser command id. */
kiosk_cmd run_cmd_of(int speech_cmd_id);
/* Feed one event to the machine and carry out its actions (and the results they produce). */
void run_feed(run *r, const kiosk_event *ev);
/* The hint line: the keys, and the spoken commands only while something listens for them. */
const char *run_voice_hint(const run *r, const char *keys_hint, const int *cmds, int n,
                           char *buf, size_t len);

/* run_pin.c: profile PINs */
/* After the start: the profile in use asks for its PIN when it has one. */
void run_pin_start(run *r);
/* Before KIOSK_ACT_SWITCH_PROFILE opens `name` (index among the loaded profiles, or -1): 1
 * and the result in *res when it must not (its PIN first), else 0. */
int run_pin_ask(run *r, int index, const char *name, kiosk_event *res);
void run_pin_opened(run *r, const char *name); /* a switch opened `name` */
void run_pin_check(run *r, const kiosk_action *a, kiosk_event *res);
/* The keyboard on the PIN screen: digits and Backspace as typed text, Enter after them as OK. */
void run_pin_key(const run *r, SDL_Keycode sym, kiosk_event *k);
void run_pin_draw(run *r);
/* Keeps what practice_open said of the store (exit_code 0: it opened) and fills *ev with the
 * event that tells the machine: STORE_REFUSED, or STORE_OPENED with `done` as its sentence. */
void run_store_outcome(run *r, int exit_code, const char *err, const char *done,
                       kiosk_event *ev);
/* A backup's time as the screens say it ("7 Dec 2026 at 01:20"). */
void run_backup_when(int64_t ms, char *buf, size_t len);

/* run_review.c: the review and compare screens, try again */
/* Fills the review view's teaching fields (transcript, pace, pauses, reference, attempt). */
void run_review_fill(run *r, review_view *v);
/* KIOSK_ACT_REVIEW_PAGE: scroll the transcript by `pages` (wrapping to the start at the end);
 * while a reference answer of several pages is shown, turn its pages instead. */
void run_review_page(run *r, int pages);
/* A new answer is on review: the transcript starts at its top. */
void run_review_reset(run *r);
/* KIOSK_ACT_LOAD_COMPARE and KIOSK_ACT_PLAY_ATTEMPT; the result event (a notice) in *res. */
void run_compare_load(run *r);
void run_compare_play(run *r, int side, kiosk_event *res);
void run_compare_draw(run *r);
/* A finger or mouse dragging the transcript: returns 1 when e was taken (scrolled, or the
 * release that ends a drag, which must not count as a tap). */
int run_review_drag(run *r, const SDL_Event *e);
void run_review_free(run *r);

/* run_view.c */
void run_draw(run *r);
/* The kiosk target under (x, y) of the current screen (list item, key, grade, ...), or -1. */
int run_hit(run *r, int x, int y);
/* Progress data for the progress screen (loaded on KIOSK_ACT_LOAD_PROGRESS). */
void run_load_progress(run *r);
void run_free_progress(run *r);
/* The answer feedback of past sessions from the store (progress and summary trends). */
void run_load_sessions(run *r);
/* How often the screen must be drawn while something moves: 16 ms for a countdown, 50 ms for
 * a playback position, 250 ms for the grade timeout; 0 when nothing moves. */
int run_frame_ms(run *r);

#endif
