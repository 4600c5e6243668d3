/* kiosk.h: the kiosk's flow as a pure state machine.
 *
 * The machine knows which screen is up, what has the focus, which countdown runs and what the
 * candidate may say; it knows nothing of SDL, PortAudio, LMDB or threads. The driver (the SDL
 * loop in src/app/run.c) turns everything that happens into events - input, a tick with the
 * time, the recorder ending the answer, viva finishing a sentence, the analysis being ready,
 * the outcome of a store write - and feeds them to kiosk_step(), which answers with actions for
 * the driver to carry out in order: show a screen, start or stop the capture, speak, listen
 * for commands, commit a grade, and so on. Some actions ask a question of the outside world
 * (is a microphone there? which question is next?); the driver answers with the matching
 * result event (KIOSK_EV_MIC, KIOSK_EV_QUESTION, ...) before the next input.
 *
 * Time is the `now_ms` of each event (the driver's monotonic milliseconds), so a trace of
 * events replays to the same actions on any machine (tests/kiosk). One thread only. */
#ifndef VIVA_KIOSK_H
#define VIVA_KIOSK_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    KIOSK_PROFILES, /* choose or create a profile */
    KIOSK_KEYBOARD, /* type a new profile's name */
    KIOSK_PIN,      /* type the PIN of a profile that has one (kiosk_pin.c) */
    KIOSK_HOME,     /* start, topic focus, progress, settings, profile, quit */
    KIOSK_SETTINGS,
    KIOSK_PROGRESS, /* ability over time, answer history, replay */
    KIOSK_ERROR,    /* no microphone / storage trouble, with ways on */
    KIOSK_SPEAK,    /* viva reads the question aloud */
    KIOSK_THINK,
    KIOSK_ANSWER,
    KIOSK_REVIEW,
    KIOSK_SUMMARY,
    KIOSK_RECOVER,  /* the store refused to open: what happened and the ways on */
    KIOSK_COMPARE,  /* two attempts of the question side by side (kiosk_review.c) */
    KIOSK_SCREEN_COUNT
} kiosk_screen;

typedef enum { KIOSK_ERR_NO_MIC, KIOSK_ERR_STORAGE } kiosk_error;

/* Why the store refused to open (KIOSK_EV_STORE_REFUSED). */
typedef enum {
    KIOSK_REFUSED_DAMAGED,    /* the data file is damaged or truncated */
    KIOSK_REFUSED_NEWER,      /* written by a newer viva */
    KIOSK_REFUSED_BUSY,       /* another viva holds the data folder */
    KIOSK_REFUSED_UNREADABLE, /* permission denied, an I/O error, a full disk */
    KIOSK_REFUSED_COUNT
} kiosk_refusal;

/* The recovery screen's pages and the choices they offer (kiosk_recover_choices). */
typedef enum {
    KIOSK_RECOVER_CHOOSE,  /* what happened, and the ways on */
    KIOSK_RECOVER_CONFIRM, /* restore the newest backup? */
    KIOSK_RECOVER_WORKING, /* restoring (no input) */
    KIOSK_RECOVER_DETAILS  /* the data path and the commands for a technician */
} kiosk_recover_page;
typedef enum {
    KIOSK_RC_RESTORE,  /* restore the newest backup (asks first) */
    KIOSK_RC_RETRY,    /* open the store again (locked or unreadable: it may pass) */
    KIOSK_RC_PRACTISE, /* practise without saving */
    KIOSK_RC_DETAILS,
    KIOSK_RC_CONFIRM,  /* confirm page: restore now */
    KIOSK_RC_BACK      /* confirm and details pages: back to the choices */
} kiosk_recover_choice;
enum { KIOSK_RC_MAX = 4 };

/* What a key, button, pad or touch means (the driver maps devices to these). */
typedef enum {
    KIOSK_KEY_NONE,
    KIOSK_KEY_NEXT,
    KIOSK_KEY_PREV,
    KIOSK_KEY_SELECT,
    KIOSK_KEY_QUIT, /* the window was closed */
    KIOSK_KEY_PLAY,
    KIOSK_KEY_BACK5,
    KIOSK_KEY_FWD5,
    KIOSK_KEY_GRADE0,
    KIOSK_KEY_GRADE1,
    KIOSK_KEY_GRADE2,
    KIOSK_KEY_GRADE3,
    KIOSK_KEY_BACK,
    KIOSK_KEY_ENTER_TYPED, /* Enter on a real keyboard after typing a name: means Done */
    KIOSK_KEY_UP,   /* arrow keys up/down: a row up/down on the on-screen keyboard, else */
    KIOSK_KEY_DOWN, /* the same as previous/next */
    /* review and compare (kiosk_review.c) */
    KIOSK_KEY_RETRY,     /* try the question again */
    KIOSK_KEY_COMPARE,   /* compare this attempt with the one before */
    KIOSK_KEY_REFERENCE, /* show or hide the bank's reference answer */
    KIOSK_KEY_PAGE_UP,   /* the transcript: one page back */
    KIOSK_KEY_PAGE_DOWN  /* the transcript: one page on */
} kiosk_key;

/* Spoken commands (the driver maps its recogniser's ids to these). */
typedef enum {
    KIOSK_CMD_NONE,
    KIOSK_CMD_START,
    KIOSK_CMD_REPEAT,
    KIOSK_CMD_SKIP,
    KIOSK_CMD_END_ANSWER,
    KIOSK_CMD_PLAY,
    KIOSK_CMD_GRADE_MISSED, /* .. GRADE_EXCELLENT: grades 0..3 in order */
    KIOSK_CMD_GRADE_PARTIAL,
    KIOSK_CMD_GRADE_SOLID,
    KIOSK_CMD_GRADE_EXCELLENT,
    KIOSK_CMD_NEXT,
    KIOSK_CMD_STOP
} kiosk_cmd;

/* What may be said at a moment (the argument of KIOSK_ACT_LISTEN). */
typedef enum {
    KIOSK_LISTEN_OFF,    /* nothing: the microphone is free (or the answer plays back) */
    KIOSK_LISTEN_IDLE,   /* "start practice" */
    KIOSK_LISTEN_THINK,  /* repeat, skip, stop */
    KIOSK_LISTEN_ANSWER, /* the end phrase alone (heard inside the answer's own stream) */
    KIOSK_LISTEN_REVIEW  /* the grades, play, next, repeat, stop */
} kiosk_listen;

/* Items of the list screens, in order. */
enum { KIOSK_HOME_START, KIOSK_HOME_TOPIC, KIOSK_HOME_PROGRESS, KIOSK_HOME_SETTINGS,
       KIOSK_HOME_PROFILE, KIOSK_HOME_QUIT, KIOSK_HOME_ITEMS };
enum { KIOSK_SET_THINK, KIOSK_SET_ANSWER,
       KIOSK_SET_PAUSE, /* a long pause: when "Still thinking?" comes, when the answer ends */
       KIOSK_SET_QUESTIONS, KIOSK_SET_TOPIC, KIOSK_SET_SPEAK,
       KIOSK_SET_COMMANDS, KIOSK_SET_HANDS_FREE, KIOSK_SET_MIC, KIOSK_SET_SPEAKER,
       KIOSK_SET_BACK, KIOSK_SET_ITEMS };
/* Review focus (`selected`): the grades 0..3, then the other buttons in this order; Compare is
 * skipped while the question has no earlier attempt (kiosk_review.c). */
enum { KIOSK_REVIEW_PLAY = 4, KIOSK_REVIEW_RETRY, KIOSK_REVIEW_COMPARE, KIOSK_REVIEW_REFERENCE,
       KIOSK_REVIEW_TRANSCRIPT, KIOSK_REVIEW_ITEMS };
/* Compare focus. */
enum { KIOSK_COMPARE_PLAY, KIOSK_COMPARE_BACK, KIOSK_COMPARE_ITEMS };
/* Progress focus besides row indices 0..n-1. */
enum { KIOSK_PROGRESS_GRAPH = -2, KIOSK_PROGRESS_BACK = -3 };
/* On-screen keyboard keys besides characters. */
enum { KIOSK_KB_DELETE = -1, KIOSK_KB_DONE = -2, KIOSK_KB_CANCEL = -3 };
/* The PIN screen's keypad: KIOSK_PIN_KEYS keys in focus order, 1-9, Delete, 0, OK
 * (KIOSK_KB_DONE), Back (KIOSK_KB_CANCEL); see kiosk_pin_key(). A PIN is 4 to 8 digits. */
enum { KIOSK_PIN_KEYS = 13, KIOSK_PIN_MIN = 4, KIOSK_PIN_MAX = 8 };
typedef enum { KIOSK_PIN_NEEDED, KIOSK_PIN_OK, KIOSK_PIN_WRONG, KIOSK_PIN_LOCKED } kiosk_pin_result;

/* The state of the answer's analysis (transcript, key points, delivery). */
typedef enum {
    KIOSK_ANALYSIS_OFF,     /* no analysis for this answer (off, or nothing recorded) */
    KIOSK_ANALYSIS_RUNNING,
    KIOSK_ANALYSIS_READY,
    KIOSK_ANALYSIS_NO_SPEECH,
    KIOSK_ANALYSIS_FAILED
} kiosk_analysis;

enum { KIOSK_NAME_MAX = 64, KIOSK_TEXT_MAX = 320 };

typedef enum {
    KIOSK_EV_START,        /* first event: i = 1 when answers can be saved, n = profiles */
    KIOSK_EV_TICK,         /* time passes */
    KIOSK_EV_KEY,          /* i = kiosk_key */
    KIOSK_EV_TOUCH,        /* i = the item under the finger (a list index, a keyboard key
                              index, a progress target, a grade 0..3 on review, or -1) */
    KIOSK_EV_TEXT,         /* text typed on a keyboard ("\b" deletes one character) */
    KIOSK_EV_VOICE,        /* i = kiosk_cmd, sample = where the phrase started */
    KIOSK_EV_SPEECH_DONE,  /* viva has finished (or been stopped) speaking */
    KIOSK_EV_RECORDING,    /* result of KIOSK_ACT_CAPTURE_START: i = 1 a recording runs (0:
                              no microphone or recording off: the answer runs on time alone) */
    KIOSK_EV_CAPTURE_END,  /* the recorder ended the answer; i = 1 when the device was lost */
    KIOSK_EV_MIC,          /* result of KIOSK_ACT_CHECK_MIC: i = 1 present; text = why not */
    KIOSK_EV_QUESTION,     /* result of KIOSK_ACT_NEXT_QUESTION: i = 1 there is one,
                              n = its number (1-based), ms = its think time, ms2 = answer
                              time; i = 0: the session is over (n = questions asked) */
    KIOSK_EV_PLAYBACK,     /* playback started (i = 1) or stopped (i = 0) */
    KIOSK_EV_ANALYSIS,     /* i = kiosk_analysis (READY/NO_SPEECH/FAILED), n = the suggested
                              grade to preselect and say, 0..3, or -1 (none, or not trusted:
                              feedback_preselect) */
    KIOSK_EV_STORED,       /* outcome of a write (grade, answer, setting): i = 1 ok, text = why */
    KIOSK_EV_PROFILE,      /* outcome of KIOSK_ACT_SWITCH_PROFILE: i = 1 ok; n = 1 when the
                              new profile's answers can be saved; text = why not */
    KIOSK_EV_PROFILES,     /* result of KIOSK_ACT_LOAD_PROFILES: n = profiles, i = index of the
                              current one */
    KIOSK_EV_PROGRESS,     /* result of KIOSK_ACT_LOAD_PROGRESS: n = answer rows */
    KIOSK_EV_NOTICE,       /* a sentence for the current screen (text; "" clears) */
    KIOSK_EV_SPEECH,       /* what speech can do now: i bit 0 = can speak, bit 1 = can listen */
    KIOSK_EV_STORE_REFUSED, /* the store refused to open: before START (then START with i = 0
                              shows the recovery screen), or the result of RESTORE_BACKUP or
                              REOPEN_STORE; i = kiosk_refusal, n = 1 when a backup can be
                              restored, text = why the last attempt failed ("" or NULL) */
    KIOSK_EV_STORE_OPENED, /* result of RESTORE_BACKUP or REOPEN_STORE: the store is open;
                              n = profiles, text = a sentence for home (what was done) */
    KIOSK_EV_SETTINGS,     /* the settings the flow depends on changed: i bit 0 = hands-free,
                              bit 1 = read questions aloud, bit 2 = answers are analysed;
                              ms = grade timeout */
    KIOSK_EV_PIN,          /* i = kiosk_pin_result: NEEDED answers KIOSK_ACT_SWITCH_PROFILE
                              (instead of KIOSK_EV_PROFILE) or comes after START for the
                              profile in use, n = the profile's index, -1 = the one in use;
                              OK/WRONG/LOCKED answer KIOSK_ACT_PIN_CHECK. ms = the delay left
                              after too many wrong PINs (0 = none); text = why (or NULL) */
    KIOSK_EV_PAUSE,        /* the recorder heard silence after speech for audio.silence_seconds
                              (i = 1: "Still thinking?", ms = the countdown until the silence
                              ends the answer, 0 = none) or speech again (i = 0: the same
                              answer goes on) */
} kiosk_event_type;

typedef struct {
    kiosk_event_type type;
    int64_t now_ms;
    int i, n;
    int64_t ms, ms2, sample;
    const char *text;
} kiosk_event;

typedef enum {
    KIOSK_ACT_SHOW,          /* i = kiosk_screen: the screen changed (draw from the model) */
    KIOSK_ACT_LISTEN,        /* i = kiosk_listen */
    KIOSK_ACT_SAY_QUESTION,  /* read the current question aloud; SPEECH_DONE follows */
    KIOSK_ACT_SAY_GRADE_PROMPT, /* ask for the grade aloud (with the suggestion, if any) */
    KIOSK_ACT_SILENCE,       /* stop speaking now */
    KIOSK_ACT_CHECK_MIC,     /* answer with KIOSK_EV_MIC */
    KIOSK_ACT_BEGIN_SESSION,
    KIOSK_ACT_NEXT_QUESTION, /* answer with KIOSK_EV_QUESTION */
    KIOSK_ACT_CAPTURE_START, /* record the answer; the command spotter hears it when listening */
    KIOSK_ACT_CAPTURE_STOP,  /* ask the recorder to end; CAPTURE_END follows */
    KIOSK_ACT_CAPTURE_CUT,   /* the answer ends at `sample` (a spoken end phrase starts there) */
    KIOSK_ACT_ANSWER_SAVE,   /* the recording is over: keep the ungraded answer durably */
    KIOSK_ACT_ANALYSE,       /* analyse the saved answer on a worker; ANALYSIS follows */
    KIOSK_ACT_GRADE,         /* commit grade i (0..3, or -1: skipped/ungraded) durably */
    KIOSK_ACT_END_SESSION,
    KIOSK_ACT_PLAY_TOGGLE,   /* play or pause the current answer */
    KIOSK_ACT_SEEK,          /* i = seconds (negative: back) */
    KIOSK_ACT_PLAY_ROW,      /* progress: play answer row i from the start */
    KIOSK_ACT_STOP_PLAYBACK,
    KIOSK_ACT_CHANGE_SETTING, /* i = KIOSK_SET_* item to step to its next value */
    KIOSK_ACT_NEXT_TOPIC,    /* focus the next topic (home and settings) */
    KIOSK_ACT_LOAD_PROFILES, /* answer with KIOSK_EV_PROFILES */
    KIOSK_ACT_SWITCH_PROFILE, /* i = index among the loaded profiles, or -1 and text = the
                                 name ("" = the current profile again, e.g. to retry the
                                 store); answer with KIOSK_EV_PROFILE */
    KIOSK_ACT_LOAD_PROGRESS, /* answer with KIOSK_EV_PROGRESS */
    KIOSK_ACT_TEXT_INPUT,    /* i = 1: a physical keyboard types into the name; 0: stop */
    KIOSK_ACT_NO_RECORDING,  /* this session practises without recording */
    KIOSK_ACT_QUIT,
    KIOSK_ACT_PIN_CHECK,     /* check PIN `text` of profile i (index, -1 = the one in use);
                                answer with KIOSK_EV_PIN */
    KIOSK_ACT_RESTORE_BACKUP, /* keep the data file aside, restore the newest backup, open the
                                 store again; answer with STORE_OPENED or STORE_REFUSED */
    KIOSK_ACT_REOPEN_STORE,   /* open the store again; answer as RESTORE_BACKUP */
    /* review and compare (kiosk_review.c) */
    KIOSK_ACT_RETRY,         /* ask the current question again as a new attempt (the one on
                                review stays saved as it is); answer with KIOSK_EV_QUESTION */
    KIOSK_ACT_LOAD_COMPARE,  /* load this attempt and the one before for the compare screen */
    KIOSK_ACT_PLAY_ATTEMPT,  /* compare: play attempt i (0 = the earlier, 1 = this one) */
    KIOSK_ACT_REVIEW_PAGE,   /* review: scroll the transcript by i pages (wraps at the end) */
    KIOSK_ACT_SAY_SUMMARY,   /* hands-free: say the session's summary; SPEECH_DONE follows */
    KIOSK_ACT_COUNT
} kiosk_action_type;

typedef struct {
    kiosk_action_type type;
    int i;
    int64_t sample;
    char text[KIOSK_NAME_MAX + 1];
} kiosk_action;

enum { KIOSK_MAX_ACTIONS = 16 };
typedef struct {
    kiosk_action a[KIOSK_MAX_ACTIONS];
    int n;
} kiosk_actions;

/* The model the views draw from; read it, never write it. */
typedef struct {
    kiosk_screen screen;
    int64_t phase_start_ms; /* when the current countdown (think, answer, grade) started */
    int64_t phase_ms;       /* its length; 0 = none */
    int focus;              /* list item, keyboard key, progress target */
    int selected;           /* review: highlighted grade, -1 = none */
    int suggested;          /* review: the analysis' suggested grade, -1 = none */
    kiosk_analysis analysis;
    int number;             /* 1-based number of the current question */
    int playing;            /* playback running (review, progress) */
    int playing_row;        /* progress: the row being played, -1 = none */
    int nprofiles;          /* profiles screen: rows before "New profile..." */
    int nrows;              /* progress: answer rows */
    kiosk_error error;
    int can_save;
    int can_speak, can_listen, hands_free, read_aloud, analyse;
    int listening;          /* the kiosk_listen context in force */
    int speaking;           /* an utterance of ours is running */
    int recording;          /* a capture is running */
    int typed_on_keyboard;
    char typed[KIOSK_NAME_MAX + 1];
    char notice[KIOSK_TEXT_MAX];
    char error_body[KIOSK_TEXT_MAX];
    const char *end_reason; /* summary: why the session ended (static text) or NULL */
    int end_requested;      /* the recorder was asked to end the answer */
    int after_speech;       /* the screen the running utterance leads to */
    int prompt_pending;     /* hands-free: the grade prompt waits for the analysis */
    int64_t think_ms, answer_ms, grade_ms;
    int running;            /* 0 once the kiosk has quit */
    int series, nseries;    /* progress: the graph's series shown, of how many */
    int current_profile;    /* index of the profile in use among nprofiles, -1 unknown */
    int back_to;            /* where settings go back to: home, or the error screen */
    int switch_from;        /* the screen that asked for the running profile switch */
    int pin_locked;         /* the profile in use has a PIN not given yet: no home, progress
                               or practice until it is */
    int pin_target;         /* PIN screen: the profile it opens (index, -1 = the one in use) */
    char pin[KIOSK_PIN_MAX + 1]; /* PIN screen: the digits typed (shown as dots) */
    int nkeys;              /* on-screen keyboard keys, and what each one is: */
    int (*key_of)(int index); /* a character, or KIOSK_KB_DELETE/DONE/CANCEL */
    /* The on-screen keyboard key one row below (rows > 0) or above `index`, as drawn, or
     * `index` at the edge; NULL: up/down move like previous/next. Set by the driver. */
    int (*key_step)(void *ctx, int index, int rows);
    void *key_step_ctx;
    /* recovery (kiosk_recover.c) */
    int refused;            /* the store refused to open and is still not open */
    kiosk_refusal refusal;
    int can_restore;        /* a complete backup is there to restore */
    kiosk_recover_page recover_page;
    /* the answer's pause (KIOSK_EV_PAUSE): asked "Still thinking?", counting down */
    int paused;
    int64_t pause_start_ms, pause_ms; /* the countdown: since when, how long (0 = none) */
    /* home's quit confirmation (Esc on home): 1 while it is up; its own focus, 0 = Stay (where
     * it starts), 1 = Quit; home's focus stays as it was */
    int confirm_quit, confirm_focus;
    /* review and compare (kiosk_review.c) */
    int attempt;            /* 1-based attempt at the current question */
    int retrying;           /* KIOSK_ACT_RETRY asked: the next question is the same one */
    int reference;          /* review: the reference answer replaces the key points */
    int compare_step;       /* compare: 0 idle, 1 the earlier attempt plays, 2 this one */
} kiosk;

/* A new machine: the first event must be KIOSK_EV_START. Keyboard keys are counted by the
 * driver's keyboard view: `nkeys` keys whose meaning kiosk_key_char() asks of `key_of`. */
void kiosk_init(kiosk *k, int nkeys, int (*key_of)(int index));

/* Feeds one event; the actions to carry out, in order, are appended to *out (which the caller
 * empties). Returns the number appended. */
int kiosk_step(kiosk *k, const kiosk_event *ev, kiosk_actions *out);

/* What PIN keypad key `index` is: '0'..'9', KIOSK_KB_DELETE, KIOSK_KB_DONE (OK) or
 * KIOSK_KB_CANCEL (Back); 0 when there is no such key. */
int kiosk_pin_key(int index);

/* Milliseconds until the machine needs a tick (a countdown ends), -1 if none is running. */
int64_t kiosk_next_deadline(const kiosk *k, int64_t now_ms);

/* The choices of the recovery screen's current page, in order (at most KIOSK_RC_MAX); the
 * focus is an index into them. Returns how many. */
int kiosk_recover_choices(const kiosk *k, kiosk_recover_choice *out);

/* Names for logs and traces. */
const char *kiosk_screen_name(kiosk_screen s);
const char *kiosk_action_name(kiosk_action_type t);
const char *kiosk_listen_name(kiosk_listen l);
/* One action as a line of text ("show review", "grade 2", "switch-profile Ada"). */
void kiosk_action_format(const kiosk_action *a, char *buf, size_t len);

#endif
