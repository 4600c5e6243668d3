/* screens.h: drawing of each screen from a plain view struct. Screens only draw: they hold
 * no state and make no decisions (the app's session logic does). Main thread only. */
#ifndef VIVA_SCREENS_H
#define VIVA_SCREENS_H

#include "ui.h"

/* Draws s left-aligned in box at px; when it does not fit, cut after the last whole word that
 * does, with "...": never in the middle of a word (screen_text.c). */
void screen_text_words(ui *u, const char *s, SDL_Rect box, int px, SDL_Color c);

typedef enum { PHASE_SPEAK, PHASE_THINK, PHASE_ANSWER, PHASE_OVER } question_phase;

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
    /* The answer's pause: "Still thinking? ..." over the question's foot, the ring counting
     * down to the end the silence will make (pause_seconds 0: no countdown). NULL: none. */
    const char *pause_prompt;
    double pause_left, pause_seconds;
} question_view;

void screen_question(ui *u, const question_view *v);

/* What the review screen knows about the analysis of the spoken answer. */
enum {
    REVIEW_ANALYSIS_OFF = 0,      /* no analysis: key points listed, nothing marked */
    REVIEW_ANALYSIS_RUNNING = 1,  /* "Analysing your answer...": the screen fills in later */
    REVIEW_ANALYSIS_READY = 2,    /* key points marked heard / not heard */
    REVIEW_ANALYSIS_NO_SPEECH = 3 /* "No speech heard" */
};

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
    const char *hint;        /* drawn as given (the caller knows what listens) */
    /* The analysis (zero-initialised: none). */
    int analysis_state;           /* REVIEW_ANALYSIS_* */
    const int *key_covered;       /* READY: per key point 1 heard, 0 not heard; NULL: unmarked */
    const char *const *key_heard; /* READY: per key point the terms heard ("mutex, lock"), or
                                   * NULL (the array or an entry) */
    const char *delivery;         /* NULL or one line, shown in any state: "1 min 12 s · 128
                                   * words/min · 2 pauses over 2 s (longest 3.4 s) · ..." */
    int suggested;                /* the grade the analysis suggests, 0..3, or -1; marked
                                   * only in the READY and NO_SPEECH states */
    /* A review that teaches (all zero: left out). */
    int attempt;                  /* 1-based; "Attempt N" from 2 on */
    int unsure;                   /* READY but not confident: "(not sure)", nothing suggested */
    const char *const *words;     /* the transcript, word by word, and what each word is: */
    const unsigned char *word_kind; /* REVIEW_WORD_* */
    int nwords;
    int transcript_line;          /* first line shown (clamped by the screen) */
    const char *pace;             /* "a little fast: 175 words/min; 120-160 is easy to follow" */
    const char *pauses;           /* "2 long pauses (longest 3.4 s), marked on the waveform" */
    const double *pause_at, *pause_len; /* seconds into the recording */
    int npauses;
    const char *reference;        /* the bank's reference answer, NULL: none */
    int show_reference;           /* the reference answer replaces the key points */
    int reference_page;           /* its page shown when it needs more than one (clamped) */
    int has_earlier;              /* an earlier attempt: Compare is offered */
    const char *attempt_note;     /* NULL or a line about how this attempt counts */
} review_view;

enum { REVIEW_WORD_PLAIN, REVIEW_WORD_TERM, REVIEW_WORD_FILLER };

/* The review's touch targets besides the grades 0..3 (the kiosk's KIOSK_REVIEW_* order). */
enum { REVIEW_HIT_PLAY = 4, REVIEW_HIT_RETRY, REVIEW_HIT_COMPARE, REVIEW_HIT_REFERENCE,
       REVIEW_HIT_TRANSCRIPT };

/* The review (the layout of docs/readme/review.md): the question at the top; left, "What you
 * said" (the transcript with key-point terms highlighted and fillers marked, paged), the
 * waveform with long pauses marked and the pace in words; right, the key points in full,
 * ticked or not, under "Heard 3 of 5" (or the bank's reference answer); at the bottom the four
 * grade buttons (the suggested one tabbed) and Play, Try again, Compare. In portrait the two
 * columns stack and the buttons take two rows. The layout depends only on the window size, so
 * screen_review_hit() maps a touch without the view. */
void screen_review(ui *u, const review_view *v);
/* The target under (x, y): a grade 0..3, a REVIEW_HIT_*, or -1. */
int screen_review_hit(ui *u, int x, int y);
/* The transcript's lines: how many v has at the current size and how many show at once. */
void screen_review_lines(ui *u, const review_view *v, int *total, int *visible);
/* How many pages v's reference answer takes at this size (1 when it fits in full). */
int screen_review_reference_pages(ui *u, const review_view *v);
/* The review's boxes at this size (the layout tests check that none overlap and all are inside
 * the margin): up to max rectangles and their names. Returns how many. */
int screen_review_boxes(ui *u, SDL_Rect *out, const char **names, int max);

/* ---- compare (screen_compare.c) -------------------------------------------------------------- */

typedef struct {
    int attempt;           /* its number */
    const char *when;      /* "14:03" */
    int grade;             /* -1 ungraded */
    int analysed;          /* coverage known */
    const int *covered;    /* per key point */
    int ncovered;
    const char *pace;      /* NULL or "128 words/min" */
    double seconds;        /* recording length, 0 none */
} compare_side;

typedef struct {
    const char *question;
    const char *const *keys;
    int nkeys;
    compare_side side[2]; /* the earlier attempt, this one */
    int playing;           /* -1 none, 0 or 1: which side plays */
    double play_pos, play_len;
    int focus;             /* 0 "Play both", 1 "Back" */
    const char *notice;
    const char *hint;
} compare_view;

enum { COMPARE_HIT_PLAY, COMPARE_HIT_BACK };

/* Two attempts side by side: the key points as rows, a tick per attempt; under each column
 * its grade and pace; "Play both" (the earlier, then this one) and "Back". */
void screen_compare(ui *u, const compare_view *v);
int screen_compare_hit(ui *u, int x, int y);
int screen_compare_boxes(ui *u, SDL_Rect *out, const char **names, int max);

/* One session's spoken-answer figures, for trends over sessions. */
typedef struct {
    double coverage;        /* key points heard / key points asked, 0..1; < 0 unknown */
    double wpm;             /* average speaking rate, words per minute; <= 0 unknown */
    double fillers_per_min; /* fillers ("um", "er") per minute of speech; < 0 unknown */
} session_figures;

/* One question of the session on the summary. */
typedef struct {
    const char *question;  /* NULL: no longer in the bank */
    int grade;             /* -1 = not graded */
    int attempt;           /* > 1: the question was answered before */
    int analysed;          /* covered of nkeys key points were heard (nkeys 0: none asked) */
    int covered, nkeys;
} summary_question;

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
    /* The session's spoken-answer analysis (zero-initialised: none shown). */
    int keys_covered, keys_total; /* key points heard / asked; keys_total 0: no coverage line */
    double wpm;                   /* average words per minute; <= 0: no delivery line */
    double fillers_per_min;       /* shown with wpm when >= 0 */
    const session_figures *prev;  /* earlier sessions, oldest first (the last 3 are shown) */
    int nprev;
    /* What was not saved: NULL when every grade is on disk; else why ("the disk is full") and
     * `saved` of the `graded` grades are (the ability shown counts only those). */
    const char *unsaved_why;
    int saved;
    /* The session's questions in the order asked (zero-initialised: no list). */
    const summary_question *questions;
    int nquestions;
} summary_view;

/* Title, questions and talk time, a warning line when grades were not saved, then coverage ("Key points covered: 14 of 23 (61%) · last 3
 * sessions: 48%, 52%, 55%") and delivery lines when given, then ability bars, and the session's
 * questions (beside them in landscape, under them in portrait). */
void screen_summary(ui *u, const summary_view *v);
/* The ability change in words: "Ability: up a little (+0.12)", "Ability: about the same",
 * "Ability: down (-0.41)", "Ability: unchanged (nothing graded)"; never "-0.00". */
void screen_summary_change_text(int graded, double before, double after, char *buf, size_t len);
/* Where an ability likely lies: "likely -0.1 to +1.9" (theta -+ se; never "-0.0"). */
void screen_summary_range_text(double theta, double se, char *buf, size_t len);

/* A calm full-screen message with a title, a body and a hint line (errors, notices). */
void screen_message(ui *u, const char *title, const char *body, const char *hint);

/* ---- menus (screen_menu.c) ------------------------------------------------------------------ */

/* A title, an optional line under it, and a column of large items; the focused one is
 * highlighted (three-button navigation: previous/next move the focus, select takes it). The
 * list scrolls so the focused item is always visible. */
typedef struct {
    const char *title;
    const char *subtitle;     /* NULL or one line under the title */
    const char *body;         /* NULL or a paragraph under it (what an error screen says) */
    const char *const *items; /* e.g. "Start practice", "Topic: all topics" */
    int nitems;
    int focus;                /* 0..nitems-1 */
    const char *notice;       /* NULL or a sentence (shown in the warning colour) */
    const char *hint;
} menu_view;

void screen_menu(ui *u, const menu_view *v);
/* The item under (x, y) as last drawn by screen_menu for this view, or -1. */
int screen_menu_hit(ui *u, const menu_view *v, int x, int y);

/* ---- PIN keypad (screen_pin.c) ----------------------------------------------------------- */

/* A profile's PIN: a title, the digits typed so far as dots (never the digits), a sentence
 * (wrong PIN, the delay) and a keypad of SCREEN_PIN_KEYS keys in focus order: twelve in a
 * grid of three columns (1-9, then Delete, 0, OK as the driver labels them) and the last one
 * (Back) across under them. While a delay runs (`waiting`) the keys are drawn dim. */
enum { SCREEN_PIN_KEYS = 13 };
typedef struct {
    const char *title;
    const char *subtitle;
    int digits;                          /* typed so far */
    const char *labels[SCREEN_PIN_KEYS]; /* key labels in focus order */
    int focus;
    int waiting;
    const char *notice; /* NULL or a sentence (warning colour) */
    const char *hint;
} pin_view;

void screen_pin(ui *u, const pin_view *v);
int screen_pin_hit(ui *u, int x, int y); /* key index under (x, y), or -1 */

/* ---- recovery (screen_recover.c) ------------------------------------------------------------ */

/* The store refused to open: a calm title, what happened in one sentence (or the question of
 * a confirmation), on the details page label/value rows (the data folder, the commands for a
 * technician), and at most SCREEN_RECOVER_MAX big buttons: a row at the bottom in landscape,
 * a column in portrait. */
enum { SCREEN_RECOVER_MAX = 4 };
typedef struct {
    const char *title;
    const char *body;             /* NULL or the sentence under the title */
    const char *const *details;   /* ndetails pairs: label, value (NULL: none) */
    int ndetails;
    const char *const *items;     /* "Restore the newest backup", "Practise without saving" */
    int nitems;
    int focus;
    const char *notice;           /* NULL or a sentence in the warning colour */
    const char *hint;
} recover_view;

void screen_recover(ui *u, const recover_view *v);
/* The button under (x, y) for this view, or -1. */
int screen_recover_hit(ui *u, const recover_view *v, int x, int y);

/* ---- on-screen keyboard (screen_keyboard.c) ------------------------------------------------- */

/* Keys a-z, 0-9, space, '-', then Delete, Done and Cancel. */
enum { SCREEN_KB_DELETE = -1, SCREEN_KB_DONE = -2, SCREEN_KB_CANCEL = -3 };

typedef struct {
    const char *title; /* "New profile: type a name" */
    const char *text;  /* typed so far */
    int focus;         /* key index, 0..screen_keyboard_nkeys()-1 */
    const char *notice;
    const char *hint;
} keyboard_view;

void screen_keyboard(ui *u, const keyboard_view *v);
int screen_keyboard_hit(ui *u, int x, int y); /* key index under (x, y), or -1 */
/* The key `rows` rows below key i (above when rows < 0) whose centre is nearest across, as
 * laid out at this size; i itself at the top or bottom row. */
int screen_keyboard_step(ui *u, int i, int rows);
int screen_keyboard_nkeys(void);
/* The character of key i ('a'..'z', '0'..'9', ' ', '-'), or SCREEN_KB_DELETE/DONE/CANCEL. */
int screen_keyboard_key(int i);

/* ---- progress (screen_progress.c) ------------------------------------------------------------ */

typedef struct {
    double t;         /* time in days (any origin) */
    double theta, se;
} progress_point;

typedef struct {
    const char *name; /* "Overall", "Concurrency", ... */
    const progress_point *pts;
    int n;            /* 0: "no answers yet" */
} progress_series;

typedef struct {
    const char *when;     /* "12 Nov 14:03" */
    const char *topic;
    const char *question; /* NULL: no longer in the bank */
    int grade;            /* -1 = not graded */
    int has_recording;
    int attempt, attempts; /* answer `attempt` of `attempts` to this question (0: not known) */
    int analysed;          /* covered of nkeys key points were heard (nkeys 0: none asked) */
    int covered, nkeys;
} progress_row;

enum { SCREEN_PROGRESS_GRAPH = -2, SCREEN_PROGRESS_BACK = -3 };

typedef struct {
    const char *title;     /* "Progress: alex" */
    progress_series series;/* the series shown: ability over time with a +-SE band */
    const char *series_label; /* "Overall (1 of 5)": select on the graph shows the next one */
    const progress_row *rows; /* answers, newest first */
    int nrows;
    int focus;             /* SCREEN_PROGRESS_GRAPH, a row index, or SCREEN_PROGRESS_BACK */
    int playing_row;       /* -1 or the row being played */
    double play_pos, play_len;
    const char *notice;
    const char *hint;
    /* What the estimate means (each NULL: line left out); see describe.h for the wording. */
    const char *level_text;  /* "Answers level-3 questions solidly and level-4 in part" */
    const char *topics_text; /* "Strongest: Concurrency · weakest: SQL" */
    const char *next_text;   /* "Practise next: SQL, level-2 questions" */
    const session_figures *sessions; /* analysis per session, oldest first (last 5 shown) */
    int nsessions;
} progress_view;

/* Title and Back, the description lines under the title, then the graph on top (or left in
 * landscape) and the answer list below (or right) scrolled to the focus. */
void screen_progress(ui *u, const progress_view *v);
/* The time axis's end label for a span of `days`: "40 seconds later", "2 minutes later",
 * "3 hours later", "5 days later" (the largest whole unit, at least 1). */
void screen_progress_span_text(double days, char *buf, size_t len);
/* What is under (x, y): a row index, SCREEN_PROGRESS_GRAPH, SCREEN_PROGRESS_BACK, or -1. */
int screen_progress_hit(ui *u, const progress_view *v, int x, int y);

#endif
