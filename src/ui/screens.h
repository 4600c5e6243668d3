/* screens.h: drawing of each screen from a plain view struct. Screens only draw: they hold
 * no state and make no decisions (the app's session logic does). Main thread only. */
#ifndef VIVA_SCREENS_H
#define VIVA_SCREENS_H

#include "ui.h"

typedef enum { PHASE_THINK, PHASE_ANSWER, PHASE_OVER } question_phase;

typedef struct {
    const char *topic;    /* display name */
    int level;            /* 1..5 */
    const char *question;
    question_phase phase;
    double seconds_left;  /* of the current phase */
    double phase_seconds; /* length of the current phase */
    int number, total;    /* "Question 2 of 10"; total 0 = open-ended */
    int recording;        /* show the recording indicator */
    double level_db;      /* microphone level, dBFS (-90 .. 0); NAN when no microphone */
    const char *notice;   /* one line under the question (e.g. "No microphone"), or NULL */
    const char *hint;     /* key/command hints at the bottom */
} question_view;

void screen_question(ui *u, const question_view *v);

typedef struct {
    const char *topic;
    int level;
    const char *question;
    const char *const *keys; /* key points */
    int nkeys;
    int selected;            /* highlighted grade button 0..3 (three-button navigation) */
    int has_recording;
    const float *wave;       /* peak envelope 0..1, `nwave` bins; NULL without a recording */
    int nwave;
    double play_pos, play_len; /* seconds */
    int playing;
    const char *notice;
    const char *hint;
} review_view;

/* Key points, the answer's waveform with the play position, and four big grade buttons.
 * Buttons are laid out so that ui_review_hit() can map a touch to a grade. */
void screen_review(ui *u, const review_view *v);
/* The grade (0..3) under point (x, y) of the review screen, or -1. */
int screen_review_hit(ui *u, int x, int y);

typedef struct {
    int asked, graded;
    double theta_start, se_start, theta_now, se_now;
    double talk_s;
    int ntopics;
    const char *const *topic;
    const double *topic_theta, *topic_se;
    const int *topic_n;
    const char *reason; /* why the session ended */
    const char *hint;
} summary_view;

void screen_summary(ui *u, const summary_view *v);

/* A calm full-screen message with a title, a body and a hint line (errors, notices). */
void screen_message(ui *u, const char *title, const char *body, const char *hint);

#endif
