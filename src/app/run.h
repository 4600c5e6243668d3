/* run.h: the kiosk's screens and their state, shared by the loop (cmd_run.c: the practice
 * screens, input, voice, scripts) and the menus (run_menus.c: profiles, keyboard, home,
 * settings, progress, error screens). Main thread only. */
#ifndef VIVA_RUN_H
#define VIVA_RUN_H

#include <SDL.h>

#include "app.h"
#include "hands.h"
#include "practice.h"
#include "screens.h"
#include "store.h"
#include "ui.h"

typedef enum { ACT_NONE, ACT_NEXT, ACT_PREV, ACT_SELECT, ACT_QUIT, ACT_PLAY, ACT_BACK5,
               ACT_FWD5, ACT_GRADE0, ACT_GRADE1, ACT_GRADE2, ACT_GRADE3, ACT_BACK } action;

typedef enum {
    ST_PROFILES, /* choose or create a profile */
    ST_KEYBOARD, /* type a new profile's name */
    ST_HOME,     /* start, topic focus, reviews due, last ability */
    ST_SETTINGS,
    ST_PROGRESS, /* ability over time, answer history, replay */
    ST_ERROR,    /* no microphone / storage trouble, with ways on */
    ST_SPEAK,    /* viva reads the question aloud */
    ST_THINK,
    ST_ANSWER,
    ST_REVIEW,
    ST_SUMMARY
} run_state;

enum { RUN_MAX_PROFILES = 32, RUN_MAX_SERIES = 16 };
typedef enum { ERR_NO_MIC, ERR_STORAGE } run_error;

typedef struct {
    viva_app *app;
    practice *pr;
    hands *hf; /* NULL: no speech (off, or this build has none) */
    ui *u;
    run_state state;
    Uint32 phase_start; /* ms since start */
    double phase_len;   /* s */
    int selected;       /* highlighted grade on the review screen */
    int end_requested;
    const char *end_reason;
    float wave[256];
    int nwave;
    char notice0[320]; /* start-up notice (no microphone, no store) */
    Uint32 audio_event;  /* SDL user event posted by the audio writer thread */
    Uint32 button_event; /* ... by the GPIO button thread */
    Uint32 voice_event;  /* ... by the command spotter (code = speech_cmd_id, data1 = start) */
    int think_s;
    int running;
    int after_speech;    /* ST_THINK or ST_REVIEW: where ST_SPEAK goes when it is done */

    /* menus */
    int focus;
    char profiles[RUN_MAX_PROFILES][STORE_NAME_MAX + 1];
    int nprofiles;
    char typed[STORE_NAME_MAX + 1];
    int typed_on_keyboard; /* text came from a real keyboard: its Enter means Done */
    char menu_notice[320];
    run_error error;
    char error_body[400];
    /* progress */
    progress_point *pts[RUN_MAX_SERIES];
    int npts[RUN_MAX_SERIES];
    const char *series_name[RUN_MAX_SERIES];
    int nseries, shown;
    practice_answer *answers;
    progress_row *rows;
    char (*row_when)[24];
    int nanswers;
    int playing_row;
    run_state back_to; /* where the settings screen returns (home, or the error screen) */
    unsigned long long seed; /* --seed, kept across profile switches */
    int have_seed;
} run;

/* cmd_run.c */
int64_t run_wall_ms(void);
void run_begin_session(run *r, Uint32 now);      /* checks the microphone first */
void run_start_questions(run *r, Uint32 now);    /* no more checks */
int run_switch_profile(run *r, const char *name); /* reopens practice for `name` */
void run_listen(run *r, unsigned mask);          /* commands for this moment (0 = none) */
void run_hands_reopen(run *r);                   /* after a speech or device setting changed */
const char *run_voice_hint(const run *r, const char *keys_hint, const int *cmds, int n,
                           char *buf, size_t len);

/* run_menus.c */
void menus_enter(run *r, run_state s);
void menus_act(run *r, action a, Uint32 now);
void menus_draw(run *r, Uint32 now);
/* A touch at (x, y) on a menu screen: focuses what is there and returns ACT_SELECT, or
 * ACT_NONE. */
action menus_touch(run *r, int x, int y);
void menus_voice(run *r, int cmd, Uint32 now);
/* Text typed on a physical keyboard ("\b" = delete) while the name keyboard is shown. */
void menus_type(run *r, const char *text);
void menus_free(run *r);
int menus_animating(run *r); /* playback running on the progress screen */

#endif
