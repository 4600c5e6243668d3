/* cmd_run.c: `viva run`, the practice program: the event loop that owns the window.
 *
 * The loop is event-driven: while a countdown runs it draws at the display's refresh rate
 * (vsync, or a 16 ms wait where the driver has none); when nothing moves it draws nothing and
 * sleeps (wait_event). A script (--script) injects timed input and asks for screenshots
 * (--screenshot DIR), so a whole run can be replayed on a machine without a display using
 * SDL's offscreen driver. SIGTERM and SIGINT end the loop cleanly. The menus (profiles, home,
 * settings, progress, error screens) are in run_menus.c; speech goes through hands.h. */
#include <errno.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app.h"
#include "board_cfg.h"
#include "board_notify.h"
#include "hands_cfg.h"
#include "practice.h"
#include "run.h"
#include "runner.h"
#include "paths.h"
#include "screens.h"
#include "script.h"
#include "topic.h"
#include "ui.h"
#include "vlog.h"

/* Set by the signal handler, read by the loop: the one flag a handler may touch. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Three buttons are enough: previous (Left/PageUp/GPIO), next (Right/PageDown/GPIO) and select
 * (Enter/Space/GPIO). Presentation clickers send PageUp/PageDown/B/period. Esc goes back: out
 * of a session to its summary, out of a menu to home, and from home quits. */
static action key_action(SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
    case SDLK_PERIOD:
        return ACT_SELECT;
    case SDLK_RIGHT:
    case SDLK_PAGEDOWN:
    case SDLK_DOWN:
        return ACT_NEXT;
    case SDLK_LEFT:
    case SDLK_PAGEUP:
    case SDLK_UP:
        return ACT_PREV;
    case SDLK_ESCAPE:
    case SDLK_BACKSPACE:
        return ACT_BACK;
    case SDLK_p:
    case SDLK_b:
        return ACT_PLAY;
    case SDLK_LEFTBRACKET:
        return ACT_BACK5;
    case SDLK_RIGHTBRACKET:
        return ACT_FWD5;
    case SDLK_0:
        return ACT_GRADE0;
    case SDLK_1:
        return ACT_GRADE1;
    case SDLK_2:
        return ACT_GRADE2;
    case SDLK_3:
        return ACT_GRADE3;
    default:
        return ACT_NONE;
    }
}

/* Gamepads: A/Start = select, d-pad or shoulder buttons = previous/next, X = play, Y = back 5 s.
 * There is deliberately no quit button: on a kiosk a pad must not end the program. */
static action pad_action(Uint8 button)
{
    switch (button) {
    case SDL_CONTROLLER_BUTTON_A:
    case SDL_CONTROLLER_BUTTON_START:
        return ACT_SELECT;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
    case SDL_CONTROLLER_BUTTON_LEFTSHOULDER:
        return ACT_PREV;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
    case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER:
        return ACT_NEXT;
    case SDL_CONTROLLER_BUTTON_X:
        return ACT_PLAY;
    case SDL_CONTROLLER_BUTTON_Y:
        return ACT_BACK5;
    default:
        return ACT_NONE;
    }
}

/* Wall-clock milliseconds since the epoch: what the store and the engine keep. The loop's own
 * timing uses SDL's monotonic ticks. */
int64_t run_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Audio writer thread: only post an event (never block, never touch SDL state). */
static void audio_notify(void *ctx, const audio_status *st)
{
    if (st->ended == AUDIO_GOING)
        return;
    const run *r = ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = r->audio_event;
    e.user.code = (Sint32)st->ended;
    SDL_PushEvent(&e);
}

/* GPIO thread: a button press becomes the same action as its key, through the event queue. */
static void on_button(void *ctx, int button, int pressed)
{
    const run *r = ctx;
    if (!pressed)
        return;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = r->button_event;
    e.user.code = button;
    SDL_PushEvent(&e);
}

/* Command spotter (an audio writer thread): the command and where it started, as an event. */
static void on_voice(void *ctx, const hands_hit *hit)
{
    const run *r = ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = r->voice_event;
    e.user.code = hit->cmd;
    e.user.data1 = (void *)(intptr_t)hit->start;
    SDL_PushEvent(&e);
}

/* The answer capture's writer thread: the spotter hears the answer too (for the end phrase). */
static void answer_tap(void *ctx, const int16_t *pcm, size_t frames)
{
    hands_answer_feed(ctx, pcm, frames);
}

static int can_listen(const run *r)
{
    return r->hf && hands_can_listen(r->hf);
}

static int can_speak(const run *r)
{
    return r->hf && hands_can_speak(r->hf) && r->app->cfg.speech_enabled;
}

void run_listen(run *r, unsigned mask)
{
    if (!can_listen(r))
        return;
    if (!mask) {
        hands_listen_stop(r->hf);
        return;
    }
    if (hands_listening(r->hf)) {
        hands_set_context(r->hf, mask);
        return;
    }
    char err[256];
    if (hands_listen(r->hf, mask, on_voice, r, err, sizeof err) != 0)
        VLOG_W("run", "not listening for commands: %s", err);
}

/* "<keys>  ·  Say: "a", "b"" when commands are heard, else the keys alone. */
const char *run_voice_hint(const run *r, const char *keys_hint, const int *cmds, int n,
                           char *buf, size_t len)
{
    if (!can_listen(r) || n == 0)
        return keys_hint;
    size_t used = (size_t)snprintf(buf, len, "%s · Say:", keys_hint);
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s \"%s\"", i ? "," : "",
                                 hands_phrase(cmds[i]));
    return buf;
}

static const char *state_name(run_state s)
{
    static const char *const names[] = {"profiles", "keyboard", "home",  "settings",
                                        "progress", "error",    "speak", "think",
                                        "answer",   "review",   "summary"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static void set_state(run *r, run_state s, Uint32 now)
{
    r->state = s;
    r->phase_start = now;
    r->phase_len = 0;
    if (s == ST_THINK)
        r->phase_len = r->app->cfg.think_seconds;
    else if (s == ST_ANSWER)
        r->phase_len = practice_answer_seconds(r->pr);
    else if (s == ST_REVIEW && r->app->cfg.hands_free)
        r->phase_len = r->app->cfg.grade_seconds;
}

static void next_question(run *r, Uint32 now);

static void start_answer(run *r, Uint32 now)
{
    run_listen(r, 0); /* the microphone is the answer's now */
    set_state(r, ST_ANSWER, now);
    r->end_requested = 0;
    if (can_listen(r)) {
        hands_answer_begin(r->hf, on_voice, r);
        practice_set_tap(r->pr, answer_tap, r->hf);
    } else {
        practice_set_tap(r->pr, NULL, NULL);
    }
    practice_answer_start(r->pr, run_wall_ms(), audio_notify, r);
}

static void enter_think(run *r, Uint32 now)
{
    set_state(r, ST_THINK, now);
    if (r->phase_len <= 0) {
        start_answer(r, now);
        return;
    }
    run_listen(r, SPEECH_CTX_THINK);
}

/* Read `text` aloud, then go on to `then` (ST_THINK, or ST_REVIEW's listening). Nothing is
 * recorded or heard while viva speaks. */
static int speak(run *r, const char *text, Uint32 now)
{
    if (!can_speak(r))
        return -1;
    char err[256];
    if (hands_say(r->hf, text, err, sizeof err) != 0) {
        VLOG_W("run", "cannot speak: %s", err);
        return -1;
    }
    (void)now;
    return 0;
}

static void ask_question(run *r, Uint32 now)
{
    const bank_item *it = practice_current(r->pr);
    if (speak(r, it->question, now) == 0) {
        r->after_speech = ST_THINK;
        set_state(r, ST_SPEAK, now);
    } else {
        enter_think(r, now);
    }
}

static void end_answer(run *r, Uint32 now)
{
    practice_answer_end(r->pr, run_wall_ms());
    if (can_listen(r))
        hands_answer_finish(r->hf);
    practice_set_tap(r->pr, NULL, NULL);
    r->nwave = practice_waveform(r->pr, r->wave, (int)(sizeof r->wave / sizeof r->wave[0]));
    r->selected = -1; /* nothing highlighted: a stray Enter must not grade the answer */
    set_state(r, ST_REVIEW, now);
    /* Hands-free: ask for the grade aloud, then listen; the grade timeout starts after. */
    if (r->app->cfg.hands_free &&
        speak(r, "How did that go? Say missed entirely, partly right, pretty solid, or "
                 "absolutely excellent.",
              now) == 0) {
        r->after_speech = ST_REVIEW;
        return;
    }
    r->after_speech = ST_THINK;
    run_listen(r, SPEECH_CTX_REVIEW);
}

static void show_summary(run *r, Uint32 now)
{
    practice_end_session(r->pr, run_wall_ms());
    set_state(r, ST_SUMMARY, now);
    run_listen(r, SPEECH_CTX_IDLE);
}

static void grade(run *r, int g, Uint32 now)
{
    practice_grade(r->pr, g, run_wall_ms());
    next_question(r, now);
}

static void next_question(run *r, Uint32 now)
{
    if (!practice_next(r->pr, run_wall_ms())) {
        r->end_reason = practice_number(r->pr) == 0 ? "no question is available" : NULL;
        show_summary(r, now);
        return;
    }
    ask_question(r, now);
}

void run_start_questions(run *r, Uint32 now)
{
    r->end_reason = NULL;
    practice_begin_session(r->pr, run_wall_ms());
    next_question(r, now);
}

void run_begin_session(run *r, Uint32 now)
{
    /* The device check restarts PortAudio: no stream of ours may be open. */
    run_listen(r, 0);
    if (r->hf)
        hands_silence(r->hf);
    char msg[256];
    if (!practice_mic_present(r->pr, msg, sizeof msg)) {
        r->error = ERR_NO_MIC;
        snprintf(r->error_body, sizeof r->error_body,
                 "%s Plug one in and choose Try again, pick another one in Settings, or "
                 "practise without recording.", msg);
        menus_enter(r, ST_ERROR);
        return;
    }
    run_start_questions(r, now);
}

/* Stop the session where it is: a running answer is saved (ungraded), then the summary. */
static void stop_session(run *r, Uint32 now)
{
    if (r->state == ST_SPEAK && r->hf)
        hands_silence(r->hf);
    if (r->state == ST_ANSWER) {
        if (practice_recording(r->pr))
            practice_answer_request_end(r->pr);
        end_answer(r, now);
        if (r->hf)
            hands_silence(r->hf);
    }
    r->end_reason = "you stopped the session";
    show_summary(r, now);
}

static void end_answer_now(run *r, Uint32 now)
{
    if (practice_recording(r->pr) && !r->end_requested) {
        r->end_requested = 1; /* the recorder writes what it has, then reports */
        practice_answer_request_end(r->pr);
    } else if (!practice_recording(r->pr)) {
        end_answer(r, now);
    }
}

static void act(run *r, action a, Uint32 now)
{
    if (a == ACT_QUIT) {
        r->running = 0;
        return;
    }
    if (r->state <= ST_ERROR) {
        menus_act(r, a, now);
        return;
    }
    if (a == ACT_BACK && r->state != ST_SUMMARY) {
        stop_session(r, now);
        return;
    }
    switch (r->state) {
    case ST_SPEAK:
        if (a == ACT_SELECT || a == ACT_NEXT) { /* heard enough: think now */
            hands_silence(r->hf);
            enter_think(r, now);
        }
        break;
    case ST_THINK:
        if (a == ACT_SELECT || a == ACT_NEXT)
            start_answer(r, now);
        break;
    case ST_ANSWER:
        if (a == ACT_SELECT || a == ACT_NEXT)
            end_answer_now(r, now);
        break;
    case ST_REVIEW:
        if (a == ACT_NEXT)
            r->selected = r->selected < 3 ? r->selected + 1 : 3;
        else if (a == ACT_PREV)
            r->selected = r->selected < 0 ? 3 : r->selected > 0 ? r->selected - 1 : 0;
        else if (a == ACT_SELECT && r->selected >= 0)
            grade(r, r->selected, now);
        else if (a == ACT_SELECT)
            practice_play_toggle(r->pr); /* select with no grade chosen: hear the answer */
        else if (a >= ACT_GRADE0 && a <= ACT_GRADE3)
            grade(r, (int)(a - ACT_GRADE0), now);
        else if (a == ACT_PLAY)
            practice_play_toggle(r->pr);
        else if (a == ACT_BACK5)
            practice_seek(r->pr, -5);
        else if (a == ACT_FWD5)
            practice_seek(r->pr, 5);
        if (r->hf && a != ACT_NONE)
            hands_silence(r->hf); /* a key during the spoken prompt: the candidate is here */
        r->phase_start = now;     /* any input restarts the grade timeout */
        break;
    case ST_SUMMARY:
        if (a == ACT_SELECT || a == ACT_BACK)
            menus_enter(r, ST_HOME);
        break;
    default:
        break;
    }
}

/* A spoken command, in the state it was heard in (the context mask already filtered it). */
static void voice(run *r, int cmd, int64_t start, Uint32 now)
{
    VLOG_I("run", "voice command: %s", hands_phrase(cmd));
    if (r->state <= ST_ERROR) {
        menus_voice(r, cmd, now);
        return;
    }
    if (cmd == SPEECH_CMD_STOP) {
        if (r->state == ST_SUMMARY)
            menus_enter(r, ST_HOME);
        else
            stop_session(r, now);
        return;
    }
    switch (r->state) {
    case ST_THINK:
        if (cmd == SPEECH_CMD_REPEAT) {
            ask_question(r, now);
        } else if (cmd == SPEECH_CMD_SKIP) {
            practice_grade(r->pr, -1, run_wall_ms());
            next_question(r, now);
        }
        break;
    case ST_ANSWER:
        if (cmd == SPEECH_CMD_END_ANSWER) {
            practice_answer_cut(r->pr, start);
            end_answer_now(r, now);
        }
        break;
    case ST_REVIEW:
        if (cmd >= SPEECH_CMD_GRADE_MISSED && cmd <= SPEECH_CMD_GRADE_EXCELLENT)
            grade(r, cmd - SPEECH_CMD_GRADE_MISSED, now);
        else if (cmd == SPEECH_CMD_PLAY)
            practice_play_toggle(r->pr);
        else if (cmd == SPEECH_CMD_NEXT)
            grade(r, -1, now);
        else if (cmd == SPEECH_CMD_REPEAT && speak(r, practice_current(r->pr)->question, now) == 0)
            r->after_speech = ST_REVIEW;
        break;
    case ST_SUMMARY:
        if (cmd == SPEECH_CMD_START)
            run_begin_session(r, now);
        break;
    default:
        break;
    }
}

static void tick(run *r, Uint32 now)
{
    if (r->hf)
        hands_tick(r->hf);
    if (r->state == ST_REVIEW && r->after_speech != ST_REVIEW && can_listen(r) &&
        hands_listening(r->hf)) {
        /* While the answer plays back the microphone hears it: a phrase the candidate said in
         * the answer must not grade or skip it, so nothing counts until playback stops. */
        double pos, len;
        int playing;
        practice_play_position(r->pr, &pos, &len, &playing);
        hands_set_context(r->hf, playing ? SPEECH_CTX_NONE : SPEECH_CTX_REVIEW); /* atomic */
    }
    double elapsed = (now - r->phase_start) / 1000.0;
    if (r->state == ST_SPEAK && !hands_speaking(r->hf)) {
        enter_think(r, now);
    } else if (r->state == ST_THINK && elapsed >= r->phase_len) {
        start_answer(r, now);
    } else if (r->state == ST_ANSWER) {
        if (!practice_recording(r->pr)) {
            if (elapsed >= r->phase_len)
                end_answer(r, now);
        } else if (elapsed >= r->phase_len + 2.0 && !r->end_requested) {
            /* The recorder counts the limit in samples; this only guards a stalled device. */
            r->end_requested = 1;
            practice_answer_request_end(r->pr);
        }
    } else if (r->state == ST_REVIEW && r->after_speech == ST_REVIEW) {
        if (!hands_speaking(r->hf)) { /* the grade prompt is over: listen, time from now */
            r->after_speech = ST_THINK;
            r->phase_start = now;
            run_listen(r, SPEECH_CTX_REVIEW);
        }
    } else if (r->state == ST_REVIEW && r->phase_len > 0 && elapsed >= r->phase_len) {
        double pos, len;
        int playing;
        practice_play_position(r->pr, &pos, &len, &playing);
        if (playing) {
            r->phase_start = now;
        } else {
            VLOG_I("run", "no grade after %.0f s: the answer stays saved, ungraded",
                   r->phase_len);
            grade(r, -1, now);
        }
    }
}

static void draw(run *r, Uint32 now)
{
    if (r->state <= ST_ERROR) {
        menus_draw(r, now);
        return;
    }
    const bank_item *it = practice_current(r->pr);
    const char *notice = practice_notice(r->pr) ? practice_notice(r->pr)
                         : r->notice0[0]        ? r->notice0
                                                : NULL;
    char hint[320];
    if (r->state == ST_SPEAK || r->state == ST_THINK || r->state == ST_ANSWER) {
        double left = r->phase_len - (now - r->phase_start) / 1000.0;
        audio_status st;
        practice_answer_status(r->pr, &st);
        static const int think_cmds[] = {SPEECH_CMD_REPEAT, SPEECH_CMD_SKIP, SPEECH_CMD_STOP};
        static const int answer_cmds[] = {SPEECH_CMD_END_ANSWER};
        const char *h = r->state == ST_SPEAK ? "Enter: skip the reading · Esc: stop"
                        : r->state == ST_THINK
                            ? run_voice_hint(r, "Enter: answer now · Esc: stop", think_cmds, 3,
                                             hint, sizeof hint)
                            : run_voice_hint(r, "Enter: end the answer · Esc: stop",
                                             answer_cmds, 1, hint, sizeof hint);
        question_view v = {
            .topic = topic_name(it->topic),
            .level = it->level,
            .question = it->question,
            .phase = r->state == ST_SPEAK   ? PHASE_SPEAK
                     : r->state == ST_THINK ? PHASE_THINK
                                            : PHASE_ANSWER,
            .seconds_left = r->state == ST_SPEAK ? 1 : left > 0 ? left : 0,
            .phase_seconds = r->state == ST_SPEAK ? 1 : r->phase_len,
            .number = practice_number(r->pr),
            .total = practice_planned(r->pr),
            .recording = r->state == ST_ANSWER && practice_recording(r->pr),
            .level_db = st.rms_dbfs,
            .notice = st.too_quiet && r->state == ST_ANSWER ? "Speak up: the microphone hears "
                                                              "very little"
                                                            : notice,
            .hint = h,
        };
        screen_question(r->u, &v);
    } else if (r->state == ST_REVIEW) {
        double pos, len;
        int playing;
        practice_play_position(r->pr, &pos, &len, &playing);
        static const int review_cmds[] = {SPEECH_CMD_GRADE_MISSED, SPEECH_CMD_GRADE_PARTIAL,
                                          SPEECH_CMD_GRADE_SOLID, SPEECH_CMD_GRADE_EXCELLENT,
                                          SPEECH_CMD_PLAY, SPEECH_CMD_NEXT};
        const char *keys = r->selected < 0
                               ? "Left/Right: choose a grade, then Enter · 0-3: grade · P: play"
                               : "Enter: save this grade · Left/Right: change · P: play";
        review_view v = {
            .topic = topic_name(it->topic),
            .level = it->level,
            .question = it->question,
            .keys = (const char *const *)it->keys,
            .nkeys = it->nkeys,
            .selected = r->selected,
            .has_recording = practice_has_recording(r->pr),
            .wave = r->nwave ? r->wave : NULL,
            .nwave = r->nwave,
            .play_pos = pos,
            .play_len = len,
            .playing = playing,
            .notice = notice,
            .hint = run_voice_hint(r, keys, review_cmds, 6, hint, sizeof hint),
        };
        screen_review(r->u, &v);
    } else {
        practice_summary s;
        practice_get_summary(r->pr, &s);
        static const int summary_cmds[] = {SPEECH_CMD_START};
        summary_view v = {
            .asked = s.asked,
            .graded = s.graded,
            .theta_start = s.theta_start,
            .se_start = s.se_start,
            .theta_now = s.theta_now,
            .se_now = s.se_now,
            .talk_s = s.talk_ms / 1000.0,
            .ntopics = s.topics,
            .topic = s.topic,
            .topic_theta = s.topic_theta,
            .topic_se = s.topic_se,
            .topic_n = s.topic_n,
            .reason = r->end_reason,
            .hint = run_voice_hint(r, "Enter: home", summary_cmds, 1, hint, sizeof hint),
        };
        screen_summary(r->u, &v);
    }
}

static void open_hands(run *r);
static void close_hands(run *r);

void run_hands_reopen(run *r)
{
    close_hands(r);
    open_hands(r);
    menus_enter(r, r->state); /* listen again for what this screen offers */
}

static void open_hands(run *r)
{
    if (!r->app->cfg.speech_enabled && !r->app->cfg.speech_commands)
        return;
    char err[320];
    hands_cfg hc;
    hands_cfg_from_config(&r->app->cfg, &hc);
    if (hands_open(&hc, practice_audio(r->pr), &r->hf, err, sizeof err) != 0) {
        VLOG_W("run", "speech is unavailable: %s", err);
        r->hf = NULL;
        return;
    }
    if (err[0])
        VLOG_W("run", "%s", err);
}

static void close_hands(run *r)
{
    if (r->hf)
        hands_close(r->hf);
    r->hf = NULL;
}

/* Reopen practice (store, audio, bank) for another profile; the spotter is reopened on the
 * new audio handle. */
int run_switch_profile(run *r, const char *name)
{
    close_hands(r);
    char old[STORE_NAME_MAX + 1], notice[320], err[512];
    snprintf(old, sizeof old, "%s", practice_profile_name(r->pr));
    practice_close(r->pr); /* one store handle per process: close before opening again */
    r->pr = NULL;
    int exit_code, rc = 0;
    if (practice_open(r->app, name, &r->pr, notice, sizeof notice, err, sizeof err,
                      &exit_code) != 0) {
        VLOG_W("run", "profile %s: %s", name, err);
        snprintf(r->menu_notice, sizeof r->menu_notice, "%.300s", err);
        rc = -1;
        if (practice_open(r->app, old, &r->pr, notice, sizeof notice, err, sizeof err,
                          &exit_code) != 0) {
            fprintf(stderr, "viva: %s\n", err);
            r->pr = NULL;
            r->running = 0;
            return -1;
        }
    }
    snprintf(r->notice0, sizeof r->notice0, "%s", notice);
    if (r->have_seed)
        practice_set_seed(r->pr, r->seed);
    if (rc == 0 && practice_can_save(r->pr))
        practice_save_setting(r->pr, "session.profile", name);
    open_hands(r);
    return rc;
}

/* Waits for an event and takes it into *e, or with e == NULL only reports that one is
 * queued. SDL_WaitEventTimeout spins in 1 ms steps when the joystick subsystem is on (gamepads) or
 * the video driver cannot block, which costs a few percent of a core on an idle screen.
 * Waiting in 10 ms sleeps keeps input latency under 10 ms at a fraction of the cost. */
static int wait_event(SDL_Event *e, int timeout_ms)
{
    for (int waited = 0;; waited += 10) {
        if (SDL_PollEvent(e))
            return 1;
        if (waited >= timeout_ms || stop_requested)
            return 0;
        int step = timeout_ms - waited < 10 ? timeout_ms - waited : 10;
        SDL_Delay((Uint32)(step > 0 ? step : 1));
    }
}

/* The on-screen keyboard's Done key. */
static int done_key(void)
{
    for (int i = 0; i < screen_keyboard_nkeys(); i++)
        if (screen_keyboard_key(i) == SCREEN_KB_DONE)
            return i;
    return 0;
}

static int load_script(const char *path, script *s)
{
    char *text;
    size_t len;
    int e = paths_read_file(path, 1u << 20, &text, &len);
    if (e) {
        fprintf(stderr, "viva run: %s: cannot read: %s\n", path, strerror(e));
        return -1;
    }
    char err[512];
    int rc = script_parse(s, path, text, err, sizeof err);
    free(text);
    if (rc != 0)
        fprintf(stderr, "viva run: %s\n", err);
    return rc;
}

static void inject(ui *u, const script_event *ev)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    if (ev->kind == SCRIPT_KEY) {
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = ev->key;
        e.key.state = SDL_PRESSED;
        SDL_PushEvent(&e);
        e.type = SDL_KEYUP;
        e.key.state = SDL_RELEASED;
        SDL_PushEvent(&e);
    } else if (ev->kind == SCRIPT_TYPE) {
        e.type = SDL_TEXTINPUT;
        snprintf(e.text.text, sizeof e.text.text, "%.31s", ev->name);
        SDL_PushEvent(&e);
    } else if (ev->kind == SCRIPT_TAP) {
        e.type = SDL_MOUSEBUTTONUP;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = (Sint32)(ev->x * ui_w(u));
        e.button.y = (Sint32)(ev->y * ui_h(u));
        SDL_PushEvent(&e);
    } else if (ev->kind == SCRIPT_QUIT) {
        e.type = SDL_QUIT;
        SDL_PushEvent(&e);
    }
}

int run_kiosk(viva_app *app, const run_options *opt)
{
    run_options a = *opt;
    int rc;
    if (app->cfg.rotation % 90 != 0) {
        fprintf(stderr, "viva: display.rotation: %d is not 0, 90, 180 or 270\n",
                app->cfg.rotation);
        return EXIT_USAGE;
    }

    script scr = {0};
    if (a.script_path && load_script(a.script_path, &scr) != 0)
        return EXIT_USAGE;
    if (a.shot_dir && mkdir(a.shot_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "viva run: --screenshot %s: %s\n", a.shot_dir, strerror(errno));
        script_free(&scr);
        return EXIT_USAGE;
    }

    /* From here on SIGTERM/SIGINT end the run cleanly (the loop checks the flag). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    run r;
    memset(&r, 0, sizeof r);
    r.app = app;
    r.running = 1;
    char notice[320], err[512];
    int exit_code;
    if (practice_open(app, NULL, &r.pr, notice, sizeof notice, err, sizeof err,
                      &exit_code) != 0) {
        fprintf(stderr, "viva: %s\n", err);
        script_free(&scr);
        return exit_code ? exit_code : EXIT_FAIL;
    }
    snprintf(r.notice0, sizeof r.notice0, "%s", notice);
    r.have_seed = a.have_seed;
    r.seed = a.seed;
    if (a.have_seed)
        practice_set_seed(r.pr, a.seed);

    ui_options uo = {
        .width = app->cfg.display_width,
        .height = app->cfg.display_height,
        .fullscreen = app->cfg.fullscreen,
        .rotation = app->cfg.rotation,
        .video_driver = app->cfg.video_driver,
        .font_path = app->cfg.font,
        .high_contrast = app->cfg.high_contrast,
        .title = "viva",
    };
    int no_display;
    if (ui_open(&uo, &r.u, &no_display, err, sizeof err) != 0) {
        fprintf(stderr, "viva: %s\n", err);
        practice_close(r.pr);
        script_free(&scr);
        return no_display ? EXIT_NODISPLAY : EXIT_FAIL;
    }
    r.audio_event = SDL_RegisterEvents(3);
    r.button_event = r.audio_event + 1;
    r.voice_event = r.audio_event + 2;
    board_gpio_config gc;
    app_gpio_config(&app->cfg, &gc);
    board_buttons *buttons = NULL;
    if (board_buttons_open(&gc, on_button, &r, &buttons, err, sizeof err) != 0) {
        /* Buttons are a convenience: keys, touch and the clicker still work. */
        VLOG_W("gpio", "%s", err);
        buttons = NULL;
    }

    Uint32 start = SDL_GetTicks();
    /* Several candidates share the device: they choose who they are first. */
    menus_enter(&r, ST_HOME);
    if (practice_can_save(r.pr)) {
        char names[2][STORE_NAME_MAX + 1];
        if (practice_profiles(r.pr, names, 2) > 1)
            menus_enter(&r, ST_PROFILES);
    } else {
        r.error = ERR_STORAGE;
        static const char prefix[] = "Answers cannot be saved: ";
        const char *why = strncmp(r.notice0, prefix, sizeof prefix - 1) == 0
                              ? r.notice0 + sizeof prefix - 1
                              : r.notice0;
        snprintf(r.error_body, sizeof r.error_body,
                 "You can practise, but nothing will be saved until this is fixed. %.300s", why);
        menus_enter(&r, ST_ERROR);
    }
    int shots = 0, first_frame_logged = 0, dirty = 1, hands_tried = 0;
    run_state logged = (run_state)-1;
    const char *pending_shot = NULL;
    char shot_name[64];
    rc = EXIT_OK;
    while (r.running && !stop_requested) {
        Uint32 now = SDL_GetTicks() - start;
        if (r.state != logged) { /* one line per screen change: the kiosk's journal, tests */
            logged = r.state;
            if (r.state > ST_ERROR && r.state < ST_SUMMARY)
                VLOG_I("run", "screen: %s (question %d)", state_name(r.state),
                       practice_number(r.pr));
            else
                VLOG_I("run", "screen: %s", state_name(r.state));
        }
        const script_event *ev;
        /* Script time starts at the first frame, so a slow start (qemu) shifts nothing. A
         * screenshot ends the batch: it is taken of this frame before later events apply. */
        while (first_frame_logged && !pending_shot && (ev = script_due(&scr, now))) {
            if (ev->kind == SCRIPT_SCREENSHOT) {
                snprintf(shot_name, sizeof shot_name, "%s", ev->name);
                pending_shot = shot_name;
            } else {
                inject(r.u, ev);
            }
        }
        run_state before = r.state;
        if (first_frame_logged && !hands_tried) {
            /* The spotter's model takes about a second to load: after the first frame. */
            hands_tried = 1;
            open_hands(&r);
            menus_enter(&r, r.state); /* listen for what this screen offers */
        }
        tick(&r, now);
        int animating = r.state == ST_THINK || r.state == ST_ANSWER || r.state == ST_SPEAK ||
                        (r.state == ST_REVIEW && r.phase_len > 0);
        double pos, len;
        int playing = 0;
        if (r.state == ST_REVIEW)
            practice_play_position(r.pr, &pos, &len, &playing);
        else if (r.state == ST_PROGRESS)
            playing = menus_animating(&r);
        if (r.state != before)
            dirty = 1;
        board_watchdog_kick();
        if (buttons)
            board_buttons_set_led(buttons, r.state == ST_ANSWER && practice_recording(r.pr));
        /* Draw only when something changed: an idle screen costs no rendering at all. */
        if (!(dirty || animating || playing || pending_shot)) {
            int sw = script_wait_ms(&scr, SDL_GetTicks() - start);
            /* Only look: the event stays first in the queue (popping and pushing it back would
             * put it behind later ones) and is handled below, after a redraw. */
            if (wait_event(NULL, sw >= 0 && sw < 250 ? sw : 250))
                dirty = 1;
            continue;
        }
        dirty = 0;
        draw(&r, now);
        if (pending_shot) {
            char path[PATH_MAX + 80];
            snprintf(path, sizeof path, "%s/%s.png", a.shot_dir ? a.shot_dir : ".", pending_shot);
            if (ui_screenshot(r.u, path, err, sizeof err) != 0) {
                fprintf(stderr, "viva: %s\n", err);
                rc = EXIT_FAIL;
            } else {
                shots++;
                VLOG_I("run", "screenshot %s", path);
            }
            pending_shot = NULL;
        }
        ui_present(r.u);
        if (!first_frame_logged) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            VLOG_I("run", "first frame %.1f ms after start",
                   (ts.tv_sec + ts.tv_nsec / 1e9 - app->start_s) * 1000.0);
            first_frame_logged = 1;
            board_notify_ready();
            start = SDL_GetTicks();
        }

        /* Sleep until input, the next script event, or the next countdown frame. */
        int timeout = r.state == ST_REVIEW && !playing ? 250 : animating ? 16 : playing ? 50 : 250;
        int sw = script_wait_ms(&scr, SDL_GetTicks() - start);
        if (sw >= 0 && sw < timeout)
            timeout = sw;
        SDL_Event e;
        int got = wait_event(&e, timeout);
        while (got) {
            Uint32 t = SDL_GetTicks() - start;
            action ac = ACT_NONE;
            dirty = 1;
            if (e.type == SDL_QUIT) {
                ac = ACT_QUIT;
            } else if (e.type == SDL_KEYDOWN) {
                SDL_Keycode sym = e.key.keysym.sym;
                ac = key_action(sym);
                if (r.state == ST_KEYBOARD && sym >= 32 && sym < 127)
                    ac = ACT_NONE; /* typed text arrives as SDL_TEXTINPUT */
                else if (r.state == ST_KEYBOARD && sym == SDLK_BACKSPACE)
                    ac = ACT_NONE, menus_type(&r, "\b");
                else if (r.state == ST_KEYBOARD && r.typed_on_keyboard &&
                         (sym == SDLK_RETURN || sym == SDLK_KP_ENTER))
                    ac = ACT_SELECT, r.focus = done_key(); /* typed on a keyboard: Enter = Done */
            } else if (e.type == SDL_TEXTINPUT && r.state == ST_KEYBOARD) {
                menus_type(&r, e.text.text);
                r.typed_on_keyboard = 1;
            } else if (e.type == SDL_MOUSEBUTTONUP || e.type == SDL_FINGERUP) {
                int x = e.type == SDL_FINGERUP ? (int)(e.tfinger.x * ui_w(r.u)) : e.button.x;
                int y = e.type == SDL_FINGERUP ? (int)(e.tfinger.y * ui_h(r.u)) : e.button.y;
                if (r.state <= ST_ERROR) {
                    ac = menus_touch(&r, x, y);
                } else if (r.state == ST_REVIEW) {
                    int g = screen_review_hit(r.u, x, y);
                    ac = g >= 0 ? (action)(ACT_GRADE0 + g) : ACT_PLAY;
                } else {
                    ac = ACT_SELECT;
                }
            } else if (e.type == r.audio_event && r.state == ST_ANSWER) {
                end_answer(&r, t);
            } else if (e.type == r.voice_event) {
                voice(&r, e.user.code, (int64_t)(intptr_t)e.user.data1, t);
            } else if (e.type == r.button_event) {
                ac = e.user.code == BOARD_BUTTON_PREV   ? ACT_PREV
                     : e.user.code == BOARD_BUTTON_NEXT ? ACT_NEXT
                                                        : ACT_SELECT;
            } else if (e.type == SDL_CONTROLLERDEVICEADDED) {
                if (SDL_GameControllerOpen(e.cdevice.which))
                    VLOG_I("run", "gamepad connected: %s", SDL_GameControllerNameForIndex(
                                                                e.cdevice.which));
            } else if (e.type == SDL_CONTROLLERBUTTONDOWN) {
                ac = pad_action(e.cbutton.button);
            } else if (e.type == SDL_WINDOWEVENT) {
                ac = ACT_NONE; /* exposed or resized: redrawn above */
            }
            act(&r, ac, t);
            got = SDL_PollEvent(&e);
        }
    }
    board_notify_stopping();
    if (stop_requested)
        VLOG_I("run", "stopping on signal");
    if (a.shot_dir)
        VLOG_I("run", "%d screenshot%s written to %s", shots, shots == 1 ? "" : "s", a.shot_dir);
    /* A running answer is saved (ungraded) before the store closes. */
    close_hands(&r); /* no stream may outlive the practice's audio handle */
    if (r.pr) {
        if (r.state == ST_ANSWER)
            practice_answer_end(r.pr, run_wall_ms());
        practice_end_session(r.pr, run_wall_ms());
    }
    menus_free(&r);
    if (buttons)
        board_buttons_close(buttons);
    ui_close(r.u);
    practice_close(r.pr);
    script_free(&scr);
    return rc;
}
