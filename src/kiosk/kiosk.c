/* kiosk.c: the kiosk's flow (see kiosk.h): events, time and the session. A session runs
 * speak -> think -> answer -> review for each question, then the summary; hands-free, viva
 * reads each question, listens for the end phrase and asks for the grade aloud (with the
 * analysis' suggestion when it comes in time). The screens outside a session are in
 * kiosk_menus.c. Nothing here blocks or touches a device: the actions say what the driver
 * must do. */
#include <stdio.h>
#include <string.h>

#include "kiosk_int.h"

/* After the answer, a hands-free prompt waits this long for the analysis (to say the
 * suggested grade) before it asks without one. */
#define ANALYSIS_WAIT_MS 12000
/* The recorder counts the answer limit in samples; this guards a stalled device only. */
#define STALL_GRACE_MS 2000

void kiosk_emit(kiosk_ctx *c, kiosk_action_type t, int i)
{
    if (c->out->n >= KIOSK_MAX_ACTIONS)
        return; /* cannot happen: no event emits more than a handful */
    kiosk_action *a = &c->out->a[c->out->n++];
    memset(a, 0, sizeof *a);
    a->type = t;
    a->i = i;
}

void kiosk_emit_text(kiosk_ctx *c, kiosk_action_type t, int i, const char *text)
{
    kiosk_emit(c, t, i);
    snprintf(c->out->a[c->out->n - 1].text, KIOSK_NAME_MAX + 1, "%s", text);
}

void kiosk_listen_to(kiosk_ctx *c, kiosk_listen l)
{
    kiosk *k = c->k;
    if (!k->can_listen) {
        k->listening = KIOSK_LISTEN_OFF;
        return;
    }
    if ((int)l == k->listening)
        return;
    k->listening = (int)l;
    kiosk_emit(c, KIOSK_ACT_LISTEN, (int)l);
}

static void silence(kiosk_ctx *c)
{
    if (!c->k->speaking)
        return;
    c->k->speaking = 0;
    kiosk_emit(c, KIOSK_ACT_SILENCE, 0);
}

void kiosk_show(kiosk_ctx *c, kiosk_screen s, int64_t phase_ms)
{
    kiosk *k = c->k;
    k->screen = s;
    k->phase_start_ms = c->now;
    k->phase_ms = phase_ms;
    kiosk_emit(c, KIOSK_ACT_SHOW, (int)s);
}

int kiosk_is_menu(kiosk_screen s)
{
    return s <= KIOSK_ERROR;
}



void kiosk_set_notice(kiosk *k, const char *text)
{
    snprintf(k->notice, sizeof k->notice, "%s", text ? text : "");
}


/* ---- the session ------------------------------------------------------------------------- */

static void next_question(kiosk_ctx *c);
static void relisten(kiosk_ctx *c);

static void show_summary(kiosk_ctx *c)
{
    kiosk *k = c->k;
    k->recording = 0;
    kiosk_emit(c, KIOSK_ACT_END_SESSION, 0);
    kiosk_show(c, KIOSK_SUMMARY, 0);
    if (k->hands_free && k->can_speak) {
        /* Hands-free: the summary is said; "start practice" is heard once it has been. */
        kiosk_listen_to(c, KIOSK_LISTEN_OFF);
        k->speaking = 1;
        k->after_speech = KIOSK_SUMMARY;
        kiosk_emit(c, KIOSK_ACT_SAY_SUMMARY, 0);
        return;
    }
    kiosk_listen_to(c, KIOSK_LISTEN_IDLE);
}

void kiosk_start_questions(kiosk_ctx *c)
{
    c->k->end_reason = NULL;
    c->k->notice[0] = '\0';
    kiosk_emit(c, KIOSK_ACT_BEGIN_SESSION, 0);
    next_question(c);
}

void kiosk_begin_session(kiosk_ctx *c)
{
    /* The device check restarts the audio system: no stream of ours may be open. */
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
    silence(c);
    kiosk_emit(c, KIOSK_ACT_CHECK_MIC, 0);
}

static void start_answer(kiosk_ctx *c)
{
    kiosk *k = c->k;
    kiosk_listen_to(c, KIOSK_LISTEN_OFF); /* the microphone is the answer's now */
    kiosk_show(c, KIOSK_ANSWER, k->answer_ms);
    k->end_requested = 0;
    k->paused = 0;
    k->recording = 0; /* until KIOSK_EV_RECORDING says a recording runs */
    kiosk_emit(c, KIOSK_ACT_CAPTURE_START, 0);
    /* The spotter hears the answer's own stream for the end phrase (no second stream). */
    if (k->can_listen)
        k->listening = KIOSK_LISTEN_ANSWER;
}

static void enter_think(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->think_ms <= 0) { /* no thinking time: straight to the answer */
        start_answer(c);
        return;
    }
    kiosk_show(c, KIOSK_THINK, k->think_ms);
    kiosk_listen_to(c, KIOSK_LISTEN_THINK);
}

static void ask_question(kiosk_ctx *c, kiosk_screen then)
{
    kiosk *k = c->k;
    if (k->can_speak && k->read_aloud) {
        kiosk_listen_to(c, KIOSK_LISTEN_OFF);
        k->speaking = 1;
        k->after_speech = (int)then;
        kiosk_emit(c, KIOSK_ACT_SAY_QUESTION, 0);
        if (then == KIOSK_THINK)
            kiosk_show(c, KIOSK_SPEAK, 0);
    } else if (then == KIOSK_THINK) {
        enter_think(c);
    }
}

static void next_question(kiosk_ctx *c)
{
    kiosk_emit(c, KIOSK_ACT_NEXT_QUESTION, 0);
}

static void say_grade_prompt(kiosk_ctx *c)
{
    kiosk *k = c->k;
    k->prompt_pending = 0;
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
    k->speaking = 1;
    k->after_speech = KIOSK_REVIEW;
    kiosk_emit(c, KIOSK_ACT_SAY_GRADE_PROMPT, k->suggested);
}

static void end_answer(kiosk_ctx *c)
{
    kiosk *k = c->k;
    int analysed = k->recording && k->analyse;
    k->recording = 0;
    k->end_requested = 0;
    k->paused = 0;
    if (k->listening == KIOSK_LISTEN_ANSWER)
        k->listening = KIOSK_LISTEN_OFF; /* the spotter leaves with the answer's stream */
    kiosk_emit(c, KIOSK_ACT_ANSWER_SAVE, 0);
    k->selected = -1; /* nothing highlighted: a stray Enter must not grade the answer */
    k->suggested = -1;
    k->playing = 0;
    k->after_speech = KIOSK_THINK;
    k->analysis = analysed ? KIOSK_ANALYSIS_RUNNING : KIOSK_ANALYSIS_OFF;
    kiosk_show(c, KIOSK_REVIEW, k->hands_free ? k->grade_ms : 0);
    if (analysed)
        kiosk_emit(c, KIOSK_ACT_ANALYSE, 0);
    if (k->hands_free && k->can_speak) {
        if (analysed) {
            /* Say it with the suggestion once the analysis is in (the screen says it is
             * running; keys work meanwhile). Nothing is heard until the prompt has been
             * said, as after any prompt. */
            k->prompt_pending = 1;
        } else {
            say_grade_prompt(c);
        }
        return;
    }
    kiosk_listen_to(c, KIOSK_LISTEN_REVIEW);
}

/* End the answer now: the recorder writes what it has, then reports (KIOSK_EV_CAPTURE_END). */
static void end_answer_now(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->recording && !k->end_requested) {
        k->end_requested = 1;
        kiosk_emit(c, KIOSK_ACT_CAPTURE_STOP, 0);
    } else if (!k->recording) {
        end_answer(c);
    }
}

static void grade(kiosk_ctx *c, int g)
{
    c->k->prompt_pending = 0;
    silence(c);
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
    kiosk_emit(c, KIOSK_ACT_GRADE, g);
    next_question(c);
}

/* Stop where we are: a running answer is saved (ungraded), then the summary. */
static void stop_session(kiosk_ctx *c)
{
    kiosk *k = c->k;
    silence(c);
    if (k->screen == KIOSK_ANSWER) {
        int analysed = k->recording && k->analyse;
        if (k->recording)
            kiosk_emit(c, KIOSK_ACT_CAPTURE_STOP, 0);
        kiosk_emit(c, KIOSK_ACT_ANSWER_SAVE, 0);
        if (analysed)
            kiosk_emit(c, KIOSK_ACT_ANALYSE, 0); /* stored with the answer for later */
        if (k->listening == KIOSK_LISTEN_ANSWER)
            k->listening = KIOSK_LISTEN_OFF;
        k->paused = 0;
    }
    k->prompt_pending = 0;
    k->end_reason = "you stopped the session";
    show_summary(c);
}

/* Skip the question before answering it (Esc or "skip question" while it is read or
 * thought about): it stays ungraded and the next one comes; the session goes on. */
static void skip_question(kiosk_ctx *c)
{
    silence(c);
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
    kiosk_emit(c, KIOSK_ACT_GRADE, -1);
    next_question(c);
}

/* ---- input ------------------------------------------------------------------------------- */

static void session_key(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    if (k->screen == KIOSK_COMPARE) {
        kiosk_compare_key(c, key);
        return;
    }
    if (key == KIOSK_KEY_BACK && (k->screen == KIOSK_THINK || k->screen == KIOSK_SPEAK)) {
        skip_question(c);
        return;
    }
    if (key == KIOSK_KEY_BACK && k->screen != KIOSK_SUMMARY) {
        stop_session(c);
        return;
    }
    int go = key == KIOSK_KEY_SELECT || key == KIOSK_KEY_NEXT || key == KIOSK_KEY_ENTER_TYPED;
    switch (k->screen) {
    case KIOSK_SPEAK:
        if (go) { /* heard enough: think now */
            silence(c);
            enter_think(c);
        }
        break;
    case KIOSK_THINK:
        if (go)
            start_answer(c);
        break;
    case KIOSK_ANSWER:
        if (go)
            end_answer_now(c);
        break;
    case KIOSK_REVIEW:
        if (key == KIOSK_KEY_NONE)
            break;
        silence(c); /* a key during the spoken prompt: the candidate is here */
        if (k->prompt_pending) { /* no prompt needed now: listen for the grade instead */
            k->prompt_pending = 0;
            relisten(c);
        }
        k->phase_start_ms = c->now; /* any input restarts the grade timeout */
        if (kiosk_review_key(c, key)) {
            /* Play, Try again, Compare, the reference answer, the transcript's pages */
        } else if ((key == KIOSK_KEY_SELECT || key == KIOSK_KEY_ENTER_TYPED) &&
                   k->selected >= 0) {
            grade(c, k->selected);
        } else if (key == KIOSK_KEY_SELECT || key == KIOSK_KEY_ENTER_TYPED ||
                   key == KIOSK_KEY_PLAY) {
            kiosk_emit(c, KIOSK_ACT_PLAY_TOGGLE, 0); /* select with no grade chosen: hear it */
        } else if (key >= KIOSK_KEY_GRADE0 && key <= KIOSK_KEY_GRADE3) {
            grade(c, (int)(key - KIOSK_KEY_GRADE0));
        } else if (key == KIOSK_KEY_BACK5 || key == KIOSK_KEY_FWD5) {
            kiosk_emit(c, KIOSK_ACT_SEEK, key == KIOSK_KEY_BACK5 ? -5 : 5);
        }
        break;
    case KIOSK_SUMMARY:
        if (key == KIOSK_KEY_SELECT || key == KIOSK_KEY_BACK || key == KIOSK_KEY_ENTER_TYPED)
            kiosk_enter_menu(c, KIOSK_HOME);
        break;
    default:
        break;
    }
}

static void on_key(kiosk_ctx *c, kiosk_key key)
{
    if (key == KIOSK_KEY_UP || key == KIOSK_KEY_DOWN) {
        kiosk *k = c->k;
        if (k->screen == KIOSK_KEYBOARD && k->key_step) { /* a row, as on any keyboard */
            k->focus = k->key_step(k->key_step_ctx, k->focus, key == KIOSK_KEY_DOWN ? 1 : -1);
            return;
        }
        key = key == KIOSK_KEY_DOWN ? KIOSK_KEY_NEXT : KIOSK_KEY_PREV;
    }
    if (key == KIOSK_KEY_QUIT) {
        c->k->running = 0;
        kiosk_emit(c, KIOSK_ACT_QUIT, 0);
        return;
    }
    if (c->k->screen == KIOSK_RECOVER)
        kiosk_recover_key(c, key);
    else if (kiosk_is_menu(c->k->screen))
        kiosk_menu_key(c, key);
    else
        session_key(c, key);
}

static void on_touch(kiosk_ctx *c, int item)
{
    kiosk *k = c->k;
    if (k->screen == KIOSK_RECOVER) {
        kiosk_recover_touch(c, item);
    } else if (k->confirm_quit) {
        kiosk_confirm_touch(c, item);
    } else if (kiosk_is_menu(k->screen)) {
        if (item == -1)
            return;
        k->focus = item;
        kiosk_menu_key(c, KIOSK_KEY_SELECT);
    } else if (k->screen == KIOSK_REVIEW) {
        if (item == KIOSK_REVIEW_COMPARE && k->attempt <= 1)
            return; /* not offered before a second attempt */
        if (item >= KIOSK_REVIEW_PLAY && item < KIOSK_REVIEW_ITEMS) {
            k->selected = item; /* the button touched, as if chosen and selected */
            session_key(c, KIOSK_KEY_SELECT);
            return;
        }
        session_key(c, item >= 0 && item <= 3 ? (kiosk_key)(KIOSK_KEY_GRADE0 + item)
                                              : KIOSK_KEY_PLAY);
    } else if (k->screen == KIOSK_COMPARE) {
        kiosk_compare_touch(c, item);
    } else {
        session_key(c, KIOSK_KEY_SELECT);
    }
}

static void on_voice(kiosk_ctx *c, kiosk_cmd cmd, int64_t sample)
{
    kiosk *k = c->k;
    if (k->screen == KIOSK_RECOVER)
        return; /* nothing is listened for: a choice about the data is made by hand */
    if (kiosk_is_menu(k->screen)) {
        if (cmd != KIOSK_CMD_START)
            return;
        if (k->screen == KIOSK_HOME) {
            k->confirm_quit = 0; /* "start practice" answers the question too: stay */
            kiosk_begin_session(c);
        } else if (k->screen == KIOSK_ERROR) {
            k->focus = 0;
            kiosk_menu_select(c);
        }
        return;
    }
    if (cmd == KIOSK_CMD_STOP) {
        if (k->screen == KIOSK_SUMMARY)
            kiosk_enter_menu(c, KIOSK_HOME);
        else
            stop_session(c);
        return;
    }
    switch (k->screen) {
    case KIOSK_THINK:
        if (cmd == KIOSK_CMD_REPEAT) {
            ask_question(c, KIOSK_THINK);
        } else if (cmd == KIOSK_CMD_SKIP) {
            skip_question(c);
        }
        break;
    case KIOSK_ANSWER:
        if (cmd == KIOSK_CMD_END_ANSWER) {
            kiosk_emit(c, KIOSK_ACT_CAPTURE_CUT, 0);
            if (c->out->n > 0)
                c->out->a[c->out->n - 1].sample = sample;
            end_answer_now(c);
        }
        break;
    case KIOSK_REVIEW:
        if (cmd >= KIOSK_CMD_GRADE_MISSED && cmd <= KIOSK_CMD_GRADE_EXCELLENT)
            grade(c, (int)(cmd - KIOSK_CMD_GRADE_MISSED));
        else if (cmd == KIOSK_CMD_PLAY)
            kiosk_emit(c, KIOSK_ACT_PLAY_TOGGLE, 0);
        else if (cmd == KIOSK_CMD_NEXT)
            grade(c, -1);
        else if (cmd == KIOSK_CMD_REPEAT)
            ask_question(c, KIOSK_REVIEW);
        break;
    case KIOSK_SUMMARY:
        if (cmd == KIOSK_CMD_START)
            kiosk_begin_session(c);
        break;
    case KIOSK_COMPARE:
        if (cmd == KIOSK_CMD_PLAY)
            kiosk_compare_key(c, KIOSK_KEY_PLAY);
        break;
    default:
        break;
    }
}

/* ---- results and time -------------------------------------------------------------------- */

/* Listen again for what the current screen offers (after speech was reopened or ended). */
static void relisten(kiosk_ctx *c)
{
    kiosk *k = c->k;
    switch (k->screen) {
    case KIOSK_HOME:
    case KIOSK_ERROR:
        kiosk_listen_to(c, KIOSK_LISTEN_IDLE);
        break;
    case KIOSK_SUMMARY:
        if (!k->speaking) /* hands-free: after the spoken summary */
            kiosk_listen_to(c, KIOSK_LISTEN_IDLE);
        break;
    case KIOSK_THINK:
        kiosk_listen_to(c, KIOSK_LISTEN_THINK);
        break;
    case KIOSK_REVIEW:
        /* While the answer plays back the microphone hears it: a phrase said in the answer
         * must not grade or skip it, so nothing counts until playback stops. */
        if (!k->speaking)
            kiosk_listen_to(c, k->playing ? KIOSK_LISTEN_OFF : KIOSK_LISTEN_REVIEW);
        break;
    case KIOSK_ANSWER:
    case KIOSK_SPEAK:
        break;
    default:
        kiosk_listen_to(c, KIOSK_LISTEN_OFF);
        break;
    }
}

static void on_tick(kiosk_ctx *c)
{
    kiosk *k = c->k;
    int64_t elapsed = c->now - k->phase_start_ms;
    switch (k->screen) {
    case KIOSK_THINK:
        if (elapsed >= k->phase_ms)
            start_answer(c);
        break;
    case KIOSK_ANSWER:
        if (!k->recording) {
            if (elapsed >= k->phase_ms)
                end_answer(c);
        } else if (elapsed >= k->phase_ms + STALL_GRACE_MS && !k->end_requested) {
            k->end_requested = 1;
            kiosk_emit(c, KIOSK_ACT_CAPTURE_STOP, 0);
        }
        break;
    case KIOSK_REVIEW:
        if (k->prompt_pending) {
            if (elapsed >= ANALYSIS_WAIT_MS)
                say_grade_prompt(c);
        } else if (k->phase_ms > 0 && !k->speaking && k->after_speech != KIOSK_REVIEW &&
                   elapsed >= k->phase_ms) {
            if (k->playing)
                k->phase_start_ms = c->now;
            else
                grade(c, -1); /* no grade in time: the answer stays saved, ungraded */
        }
        break;
    case KIOSK_PIN:
        kiosk_pin_tick(c);
        break;
    default:
        break;
    }
}

static void on_question(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    if (!ev->i) {
        k->end_reason = ev->n == 0 ? "no question is available" : NULL;
        show_summary(c);
        return;
    }
    k->number = ev->n;
    kiosk_review_question(k);
    k->think_ms = ev->ms;
    k->answer_ms = ev->ms2;
    ask_question(c, KIOSK_THINK);
}

static void on_mic(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    if (ev->i) {
        kiosk_start_questions(c);
        return;
    }
    k->error = KIOSK_ERR_NO_MIC;
    snprintf(k->error_body, sizeof k->error_body,
             "%.200s Plug one in and choose Try again, pick another one in Settings, or "
             "practise without recording.",
             ev->text ? ev->text : "No microphone was found.");
    kiosk_enter_menu(c, KIOSK_ERROR);
}



/* The recorder's pause: silence after speech shows "Still thinking?" with the countdown to the
 * end the recorder will make (in samples); speech again takes it away. Nothing ends here:
 * select or "finish answer" end the answer as always, and the same recording goes on. */
static void on_pause(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    if (k->screen != KIOSK_ANSWER || !k->recording || k->end_requested)
        return; /* late news of an answer that is over or ending */
    if (ev->i && !k->paused) {
        k->paused = 1;
        k->pause_start_ms = c->now;
        k->pause_ms = ev->ms > 0 ? ev->ms : 0;
    } else if (!ev->i) {
        k->paused = 0;
    }
}

static void on_analysis(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    if (k->screen != KIOSK_REVIEW || k->analysis != KIOSK_ANALYSIS_RUNNING)
        return; /* an analysis of an answer that is no longer on the screen: stored only */
    k->analysis = (kiosk_analysis)ev->i;
    k->suggested = ev->i == KIOSK_ANALYSIS_READY && ev->n >= 0 && ev->n <= 3 ? ev->n : -1;
    if (k->selected < 0 && k->suggested >= 0)
        k->selected = k->suggested; /* preselected: the candidate confirms or changes it */
    if (k->prompt_pending)
        say_grade_prompt(c);
}

int kiosk_step(kiosk *k, const kiosk_event *ev, kiosk_actions *out)
{
    kiosk_ctx c = {k, out, ev->now_ms};
    int before = out->n;
    /* Before the start (and after quitting) only what the set-up can do is taken in. */
    if (!k->running && ev->type != KIOSK_EV_START && ev->type != KIOSK_EV_SETTINGS &&
        ev->type != KIOSK_EV_SPEECH && ev->type != KIOSK_EV_STORE_REFUSED)
        return 0;
    switch (ev->type) {
    case KIOSK_EV_START:
        k->running = 1;
        if (k->refused && !ev->i) {
            k->can_save = 0;
            kiosk_recover_enter(&c, KIOSK_RECOVER_CHOOSE);
        } else {
            kiosk_on_start(&c, ev);
        }
        break;
    case KIOSK_EV_TICK:
        on_tick(&c);
        break;
    case KIOSK_EV_KEY:
        on_key(&c, (kiosk_key)ev->i);
        break;
    case KIOSK_EV_TOUCH:
        on_touch(&c, ev->i);
        break;
    case KIOSK_EV_TEXT:
        if (k->screen == KIOSK_KEYBOARD && ev->text) {
            kiosk_type_text(k, ev->text);
            if (strcmp(ev->text, "\b") != 0)
                k->typed_on_keyboard = 1;
        } else if (k->screen == KIOSK_PIN && ev->text) {
            kiosk_pin_text(&c, ev->text);
        }
        break;
    case KIOSK_EV_VOICE:
        on_voice(&c, (kiosk_cmd)ev->i, ev->sample);
        break;
    case KIOSK_EV_SPEECH_DONE:
        if (!k->speaking)
            break;
        k->speaking = 0;
        if (k->screen == KIOSK_SPEAK) {
            enter_think(&c);
        } else if (k->screen == KIOSK_REVIEW) {
            k->after_speech = KIOSK_THINK;
            k->phase_start_ms = c.now; /* the grade timeout runs from the end of the prompt */
            relisten(&c);
        } else if (k->screen == KIOSK_SUMMARY) {
            k->after_speech = KIOSK_THINK;
            relisten(&c);
        }
        break;
    case KIOSK_EV_CAPTURE_END:
        if (k->screen == KIOSK_ANSWER)
            end_answer(&c);
        break;
    case KIOSK_EV_RECORDING:
        if (k->screen == KIOSK_ANSWER)
            k->recording = ev->i;
        break;
    case KIOSK_EV_MIC:
        on_mic(&c, ev);
        break;
    case KIOSK_EV_QUESTION:
        on_question(&c, ev);
        break;
    case KIOSK_EV_PLAYBACK:
        k->playing = ev->i;
        if (!ev->i)
            k->playing_row = -1;
        if (k->screen == KIOSK_REVIEW)
            relisten(&c);
        else if (k->screen == KIOSK_COMPARE)
            kiosk_compare_playback(&c, ev->i);
        break;
    case KIOSK_EV_ANALYSIS:
        on_analysis(&c, ev);
        break;
    case KIOSK_EV_STORED:
        if (!ev->i)
            kiosk_set_notice(k, ev->text);
        break;
    case KIOSK_EV_PROFILE:
        if (ev->i)
            k->pin_locked = 0; /* opened: its PIN, if it has one, was given */
        kiosk_on_profile(&c, ev);
        break;
    case KIOSK_EV_PROFILES:
        k->nprofiles = ev->n;
        k->current_profile = ev->i;
        if (k->screen == KIOSK_PROFILES && ev->i >= 0 && ev->i < ev->n)
            k->focus = ev->i;
        break;
    case KIOSK_EV_PROGRESS:
        k->nrows = ev->n;
        k->nseries = ev->i;
        break;
    case KIOSK_EV_NOTICE:
        kiosk_set_notice(k, ev->text);
        break;
    case KIOSK_EV_SPEECH:
        k->can_speak = ev->i & 1;
        k->can_listen = (ev->i >> 1) & 1;
        k->listening = KIOSK_LISTEN_OFF; /* the service was (re)opened: nothing listens yet */
        relisten(&c);
        break;
    case KIOSK_EV_STORE_REFUSED:
    case KIOSK_EV_STORE_OPENED:
        kiosk_recover_result(&c, ev);
        break;
    case KIOSK_EV_SETTINGS:
        k->hands_free = ev->i & 1;
        k->read_aloud = (ev->i >> 1) & 1;
        k->analyse = (ev->i >> 2) & 1;
        k->grade_ms = ev->ms;
        break;
    case KIOSK_EV_PIN:
        kiosk_pin_on_event(&c, ev);
        break;
    case KIOSK_EV_PAUSE:
        on_pause(&c, ev);
        break;
    }
    return out->n - before;
}

void kiosk_init(kiosk *k, int nkeys, int (*key_of)(int index))
{
    memset(k, 0, sizeof *k);
    k->screen = KIOSK_HOME;
    k->selected = -1;
    k->suggested = -1;
    k->playing_row = -1;
    k->after_speech = KIOSK_THINK;
    k->current_profile = -1;
    k->back_to = KIOSK_HOME;
    k->nkeys = nkeys;
    k->key_of = key_of;
}

int64_t kiosk_next_deadline(const kiosk *k, int64_t now_ms)
{
    int64_t end;
    switch (k->screen) {
    case KIOSK_THINK:
        end = k->phase_start_ms + k->phase_ms;
        break;
    case KIOSK_ANSWER:
        end = k->phase_start_ms + k->phase_ms + (k->recording ? STALL_GRACE_MS : 0);
        break;
    case KIOSK_REVIEW:
        if (k->prompt_pending)
            end = k->phase_start_ms + ANALYSIS_WAIT_MS;
        else if (k->phase_ms > 0 && !k->speaking)
            end = k->phase_start_ms + k->phase_ms;
        else
            return -1;
        break;
    case KIOSK_PIN:
        return kiosk_pin_deadline(k, now_ms);
    default:
        return -1;
    }
    return end > now_ms ? end - now_ms : 0;
}
