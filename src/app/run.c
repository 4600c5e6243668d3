/* run.c: `viva run`, the kiosk's driver: the SDL event loop that owns the window.
 *
 * Everything that happens - a key, a touch, a GPIO button, a gamepad, a spoken command, the
 * recorder ending the answer, viva finishing a sentence, playback stopping, the analysis
 * coming in - becomes a kiosk event (src/kiosk); the machine answers with actions, which this
 * file carries out on the practice controller, the voice service and the audio edge, feeding
 * any result straight back. The screens are drawn from the machine's model (run_view.c).
 *
 * The loop is event-driven: while a countdown runs it draws at the display's refresh rate;
 * when nothing moves it draws nothing and sleeps. A script (--script) injects timed input and
 * asks for screenshots (--screenshot DIR), so a whole run can be replayed on a machine without
 * a display using SDL's offscreen driver. SIGTERM and SIGINT end the loop cleanly. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <SDL.h>

#include "board_cfg.h"
#include "board_notify.h"
#include "file.h"
#include "hands_cfg.h"
#include "run.h"
#include "run_analysis.h"
#include "runner.h"
#include "script.h"
#include "vlog.h"

_Static_assert((int)KIOSK_KB_DELETE == (int)SCREEN_KB_DELETE &&
                   (int)KIOSK_KB_DONE == (int)SCREEN_KB_DONE &&
                   (int)KIOSK_KB_CANCEL == (int)SCREEN_KB_CANCEL,
               "the kiosk and the keyboard view name the special keys alike");
_Static_assert((int)KIOSK_PROGRESS_GRAPH == (int)SCREEN_PROGRESS_GRAPH &&
                   (int)KIOSK_PROGRESS_BACK == (int)SCREEN_PROGRESS_BACK,
               "the kiosk and the progress view name the targets alike");

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
static kiosk_key key_of_sym(SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
    case SDLK_PERIOD:
        return KIOSK_KEY_SELECT;
    case SDLK_RIGHT:
    case SDLK_PAGEDOWN:
    case SDLK_DOWN:
        return KIOSK_KEY_NEXT;
    case SDLK_LEFT:
    case SDLK_PAGEUP:
    case SDLK_UP:
        return KIOSK_KEY_PREV;
    case SDLK_ESCAPE:
    case SDLK_BACKSPACE:
        return KIOSK_KEY_BACK;
    case SDLK_p:
    case SDLK_b:
        return KIOSK_KEY_PLAY;
    case SDLK_LEFTBRACKET:
        return KIOSK_KEY_BACK5;
    case SDLK_RIGHTBRACKET:
        return KIOSK_KEY_FWD5;
    case SDLK_0:
        return KIOSK_KEY_GRADE0;
    case SDLK_1:
        return KIOSK_KEY_GRADE1;
    case SDLK_2:
        return KIOSK_KEY_GRADE2;
    case SDLK_3:
        return KIOSK_KEY_GRADE3;
    default:
        return KIOSK_KEY_NONE;
    }
}

/* Gamepads: A/Start = select, d-pad or shoulder buttons = previous/next, X = play, Y = back 5 s.
 * There is deliberately no quit button: on a kiosk a pad must not end the program. */
static kiosk_key key_of_pad(Uint8 button)
{
    switch (button) {
    case SDL_CONTROLLER_BUTTON_A:
    case SDL_CONTROLLER_BUTTON_START:
        return KIOSK_KEY_SELECT;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
    case SDL_CONTROLLER_BUTTON_LEFTSHOULDER:
        return KIOSK_KEY_PREV;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
    case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER:
        return KIOSK_KEY_NEXT;
    case SDL_CONTROLLER_BUTTON_X:
        return KIOSK_KEY_PLAY;
    case SDL_CONTROLLER_BUTTON_Y:
        return KIOSK_KEY_BACK5;
    default:
        return KIOSK_KEY_NONE;
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

/* ---- threads to events ---------------------------------------------------------------------- */

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

/* ---- speech ----------------------------------------------------------------------------------- */

static int can_listen(const run *r)
{
    return r->hf && hands_can_listen(r->hf);
}

static int can_speak(const run *r)
{
    return r->hf && hands_can_speak(r->hf);
}

static unsigned listen_mask(kiosk_listen l)
{
    switch (l) {
    case KIOSK_LISTEN_IDLE:
        return SPEECH_CTX_IDLE;
    case KIOSK_LISTEN_THINK:
        return SPEECH_CTX_THINK;
    case KIOSK_LISTEN_ANSWER:
        return SPEECH_CTX_ANSWER;
    case KIOSK_LISTEN_REVIEW:
        return SPEECH_CTX_REVIEW;
    default:
        return SPEECH_CTX_NONE;
    }
}

static void listen(run *r, kiosk_listen l)
{
    if (!can_listen(r))
        return;
    unsigned mask = listen_mask(l);
    if (!mask) {
        if (hands_listening(r->hf))
            hands_set_context(r->hf, SPEECH_CTX_NONE);
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

/* The recogniser's command ids are the kiosk's, one for one. */
static kiosk_cmd cmd_of(int id)
{
    return id > SPEECH_CMD_NONE && id < SPEECH_CMD_COUNT ? (kiosk_cmd)id : KIOSK_CMD_NONE;
}
_Static_assert((int)KIOSK_CMD_START == (int)SPEECH_CMD_START &&
                   (int)KIOSK_CMD_STOP == (int)SPEECH_CMD_STOP &&
                   (int)KIOSK_CMD_END_ANSWER == (int)SPEECH_CMD_END_ANSWER &&
                   (int)KIOSK_CMD_GRADE_MISSED == (int)SPEECH_CMD_GRADE_MISSED,
               "kiosk commands follow speech_cmd_id");

const char *run_voice_hint(const run *r, const char *keys_hint, const int *cmds, int n,
                           char *buf, size_t len)
{
    /* Commands are offered only while something really listens for them: a spotter whose
     * microphone could not be opened hears nothing, and the end phrase is heard only inside
     * a running recording. */
    int heard = r->k.screen == KIOSK_ANSWER ? can_listen(r) && r->k.recording
                                            : r->hf && hands_listening(r->hf);
    if (!heard || r->k.listening == KIOSK_LISTEN_OFF || n == 0)
        return keys_hint;
    size_t used = (size_t)snprintf(buf, len, "%s · Say:", keys_hint);
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s \"%s\"", i ? "," : "",
                                 hands_phrase(cmds[i]));
    return buf;
}

static void open_hands(run *r)
{
    if (!r->app->cfg.speech_enabled && !r->app->cfg.speech_commands)
        return;
    char err[320];
    hands_cfg hc;
    hands_cfg_from_config(&r->app->cfg, &hc);
    if (hands_open(&hc, practice_audio(r->pr), &r->hf, err, sizeof err) != 0) {
        VLOG_W("run", "%s", err); /* says "speech unavailable: ..." itself */
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
    r->was_speaking = 0;
}

static void say(run *r, const char *text)
{
    char err[256];
    if (!can_speak(r) || hands_say(r->hf, text, err, sizeof err) != 0) {
        if (can_speak(r))
            VLOG_W("run", "cannot speak: %s", err);
        kiosk_event done = {.type = KIOSK_EV_SPEECH_DONE, .now_ms = r->now};
        run_feed(r, &done);
        return;
    }
    r->was_speaking = 1;
}

/* What speech can do and the settings the flow depends on, told to the machine. */
static void tell_settings(run *r)
{
    const viva_config *c = &r->app->cfg;
    kiosk_event s = {.type = KIOSK_EV_SETTINGS,
                     .now_ms = r->now,
                     .i = (c->hands_free ? 1 : 0) | (c->speech_enabled ? 2 : 0) |
                          (run_analysis_enabled(r) ? 4 : 0),
                     .ms = (int64_t)c->grade_seconds * 1000};
    run_feed(r, &s);
}

static void tell_speech(run *r)
{
    kiosk_event s = {.type = KIOSK_EV_SPEECH,
                     .now_ms = r->now,
                     .i = (can_speak(r) ? 1 : 0) | (can_listen(r) ? 2 : 0)};
    run_feed(r, &s);
}

static void reopen_hands(run *r)
{
    close_hands(r);
    open_hands(r);
    tell_settings(r);
    tell_speech(r); /* the machine listens again for what its screen offers */
}

/* ---- carrying out the machine's actions ---------------------------------------------------- */

/* Reopen practice (store, audio, bank) for another profile; the spotter is reopened on the
 * new audio handle. Returns 0, or -1 with the reason in why (the old profile is back). */
static int switch_profile(run *r, const char *name, char *why, size_t wlen)
{
    close_hands(r);
    char old[STORE_NAME_MAX + 1], notice[320], err[512];
    snprintf(old, sizeof old, "%s", practice_profile_name(r->pr));
    run_analysis_stop(r);
    practice_close(r->pr); /* one store handle per process: close before opening again */
    r->pr = NULL;
    int exit_code, rc = 0;
    why[0] = '\0';
    if (practice_open(r->app, name, &r->pr, notice, sizeof notice, err, sizeof err,
                      &exit_code) != 0) {
        VLOG_W("run", "profile %s: %s", name, err);
        snprintf(why, wlen, "%.300s", err);
        rc = -1;
        if (practice_open(r->app, old, &r->pr, notice, sizeof notice, err, sizeof err,
                          &exit_code) != 0) {
            fprintf(stderr, "viva: %s\n", err);
            r->pr = NULL;
            return -2;
        }
    }
    snprintf(r->notice0, sizeof r->notice0, "%s", notice);
    if (!practice_can_save(r->pr) && !why[0])
        snprintf(why, wlen, "%s", notice);
    if (r->have_seed)
        practice_set_seed(r->pr, r->seed);
    if (rc == 0 && practice_can_save(r->pr))
        practice_save_setting(r->pr, "session.profile", name);
    open_hands(r);
    return rc;
}

static void load_profiles(run *r, kiosk_event *res)
{
    r->nprofiles = practice_profiles(r->pr, r->profiles, RUN_MAX_PROFILES);
    res->type = KIOSK_EV_PROFILES;
    res->n = r->nprofiles;
    res->i = -1;
    for (int i = 0; i < r->nprofiles; i++)
        if (strcmp(r->profiles[i], practice_profile_name(r->pr)) == 0)
            res->i = i;
}

/* The next value of `cur` in an ascending list of presets (wrapping round). */
static int next_preset(const int *v, int n, int cur)
{
    for (int i = 0; i < n; i++)
        if (v[i] > cur)
            return v[i];
    return v[0];
}

static int save_int(run *r, const char *key, int value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", value);
    return practice_save_setting(r->pr, key, buf);
}

static int next_topic(run *r)
{
    int n = practice_topic_count(r->pr), at = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(practice_topic_slug(r->pr, i), r->app->cfg.topic_focus) == 0)
            at = i;
    const char *next = at + 1 < n ? practice_topic_slug(r->pr, at + 1) : "";
    return practice_set_focus(r->pr, next);
}

/* The device after the configured one among the inputs (or outputs); "" (the system default)
 * comes before the first. Returns a sentence for the screen, or NULL. */
static const char *next_device(run *r, int input)
{
    audio *a = practice_audio(r->pr);
    const char *key = input ? "audio.input" : "audio.output";
    const char *cur = input ? r->app->cfg.audio_input : r->app->cfg.audio_output;
    audio_device_info *list = NULL;
    int n = a ? audio_devices(a, &list) : 0, pick = -1, seen_cur = cur[0] == '\0';
    for (int i = 0; i < n && pick < 0; i++) {
        if ((input ? list[i].max_input : list[i].max_output) <= 0)
            continue;
        if (seen_cur)
            pick = i;
        else if (strcmp(list[i].name, cur) == 0)
            seen_cur = 1;
    }
    const char *msg = NULL;
    if (practice_save_setting(r->pr, key, pick >= 0 ? list[pick].name : "") != 0)
        msg = "The device could not be changed";
    if (n == 0)
        msg = "No audio devices are connected";
    free(list);
    return msg;
}

/* Returns a sentence for the screen when the change could not be made, else NULL. */
static const char *change_setting(run *r, int item)
{
    const viva_config *c = &r->app->cfg;
    static const int think[] = {0, 5, 10, 20, 30, 60};
    static const int answer[] = {30, 60, 90, 120, 180, 300};
    static const int questions[] = {3, 5, 10, 15, 20, 30};
    const char *msg = NULL;
    switch (item) {
    case KIOSK_SET_THINK:
        if (save_int(r, "session.think_seconds", next_preset(think, 6, c->think_seconds)))
            msg = "session.think_seconds could not be changed";
        break;
    case KIOSK_SET_ANSWER:
        if (save_int(r, "session.answer_seconds", next_preset(answer, 6, c->answer_seconds)))
            msg = "session.answer_seconds could not be changed";
        break;
    case KIOSK_SET_QUESTIONS:
        if (save_int(r, "session.questions", next_preset(questions, 6, c->session_questions)))
            msg = "session.questions could not be changed";
        break;
    case KIOSK_SET_SPEAK:
        practice_save_setting(r->pr, "speech.enabled", c->speech_enabled ? "false" : "true");
        reopen_hands(r);
        break;
    case KIOSK_SET_COMMANDS:
        practice_save_setting(r->pr, "speech.commands", c->speech_commands ? "false" : "true");
        reopen_hands(r);
        break;
    case KIOSK_SET_HANDS_FREE:
        practice_save_setting(r->pr, "speech.hands_free", c->hands_free ? "false" : "true");
        tell_settings(r);
        break;
    case KIOSK_SET_MIC:
    case KIOSK_SET_SPEAKER:
        msg = next_device(r, item == KIOSK_SET_MIC);
        reopen_hands(r);
        break;
    default:
        break;
    }
    return msg;
}

static void start_capture(run *r, kiosk_event *res)
{
    if (can_listen(r)) {
        hands_answer_begin(r->hf, on_voice, r);
        practice_set_tap(r->pr, answer_tap, r->hf);
    } else {
        practice_set_tap(r->pr, NULL, NULL);
    }
    practice_answer_start(r->pr, run_wall_ms(), audio_notify, r);
    res->type = KIOSK_EV_RECORDING;
    res->i = practice_recording(r->pr);
}

static void save_answer(run *r)
{
    practice_answer_end(r->pr, run_wall_ms());
    if (can_listen(r))
        hands_answer_finish(r->hf);
    practice_set_tap(r->pr, NULL, NULL);
    r->nwave = practice_waveform(r->pr, r->wave, RUN_WAVE_BINS);
}

static void next_question(run *r, kiosk_event *res)
{
    const bank_item *it = practice_next(r->pr, run_wall_ms());
    res->type = KIOSK_EV_QUESTION;
    res->i = it != NULL;
    res->n = practice_number(r->pr);
    res->ms = (int64_t)r->app->cfg.think_seconds * 1000;
    res->ms2 = (int64_t)practice_answer_seconds(r->pr) * 1000;
    r->nwave = 0;
}

static void do_action(run *r, const kiosk_action *a, kiosk_event *res)
{
    char *why = r->why; /* a result's sentence lives until the next action's */
    res->type = (kiosk_event_type)-1;
    res->now_ms = r->now;
    switch (a->type) {
    case KIOSK_ACT_SHOW:
        if (a->i > KIOSK_ERROR && a->i < KIOSK_SUMMARY) /* one line per screen: the journal */
            VLOG_I("run", "screen: %s (question %d)", kiosk_screen_name((kiosk_screen)a->i),
                   practice_number(r->pr));
        else
            VLOG_I("run", "screen: %s", kiosk_screen_name((kiosk_screen)a->i));
        break;
    case KIOSK_ACT_LISTEN:
        listen(r, (kiosk_listen)a->i);
        break;
    case KIOSK_ACT_SAY_QUESTION:
        say(r, practice_current(r->pr)->question);
        break;
    case KIOSK_ACT_SAY_GRADE_PROMPT: {
        char text[256];
        run_analysis_prompt(r, a->i, text, sizeof text);
        say(r, text);
        break;
    }
    case KIOSK_ACT_SILENCE:
        if (r->hf)
            hands_silence(r->hf);
        r->was_speaking = 0;
        break;
    case KIOSK_ACT_CHECK_MIC:
        if (r->hf)
            hands_silence(r->hf); /* the device check restarts PortAudio */
        res->type = KIOSK_EV_MIC;
        res->i = practice_mic_present(r->pr, why, sizeof r->why);
        res->text = why;
        break;
    case KIOSK_ACT_BEGIN_SESSION:
        practice_begin_session(r->pr, run_wall_ms());
        run_analysis_session(r);
        break;
    case KIOSK_ACT_NEXT_QUESTION:
        next_question(r, res);
        break;
    case KIOSK_ACT_CAPTURE_START:
        start_capture(r, res);
        break;
    case KIOSK_ACT_CAPTURE_STOP:
        if (practice_recording(r->pr))
            practice_answer_request_end(r->pr);
        break;
    case KIOSK_ACT_CAPTURE_CUT:
        practice_answer_cut(r->pr, a->sample);
        break;
    case KIOSK_ACT_ANSWER_SAVE:
        save_answer(r);
        break;
    case KIOSK_ACT_ANALYSE:
        run_analysis_start(r);
        break;
    case KIOSK_ACT_GRADE:
        if (a->i < 0 && r->k.screen == KIOSK_REVIEW && r->k.hands_free)
            VLOG_I("run", "no grade given: the answer stays saved, ungraded");
        practice_grade(r->pr, a->i, run_wall_ms());
        if (practice_notice(r->pr)) {
            res->type = KIOSK_EV_STORED;
            res->i = practice_can_save(r->pr);
            res->text = practice_notice(r->pr);
        }
        break;
    case KIOSK_ACT_END_SESSION:
        practice_end_session(r->pr, run_wall_ms());
        break;
    case KIOSK_ACT_PLAY_TOGGLE:
        practice_play_toggle(r->pr);
        break;
    case KIOSK_ACT_SEEK:
        practice_seek(r->pr, a->i);
        break;
    case KIOSK_ACT_PLAY_ROW: {
        const practice_answer *ans = a->i >= 0 && a->i < r->nanswers ? &r->answers[a->i] : NULL;
        res->type = KIOSK_EV_NOTICE;
        if (!ans || !ans->recording)
            res->text = "That answer has no recording";
        else if (practice_play_recording(r->pr, ans->recording) != 0)
            res->text = practice_notice(r->pr) ? practice_notice(r->pr)
                                               : "That recording cannot be played";
        else
            res->type = (kiosk_event_type)-1;
        break;
    }
    case KIOSK_ACT_STOP_PLAYBACK:
        practice_stop_playback(r->pr);
        break;
    case KIOSK_ACT_CHANGE_SETTING: {
        const char *msg = change_setting(r, a->i);
        if (msg) {
            res->type = KIOSK_EV_NOTICE;
            res->text = msg;
        }
        break;
    }
    case KIOSK_ACT_NEXT_TOPIC:
        if (next_topic(r) != 0) {
            res->type = KIOSK_EV_NOTICE;
            res->text = "The topic could not be kept";
        }
        break;
    case KIOSK_ACT_LOAD_PROFILES:
        load_profiles(r, res);
        break;
    case KIOSK_ACT_SWITCH_PROFILE: {
        char name[STORE_NAME_MAX + 1];
        snprintf(name, sizeof name, "%s",
                 a->i >= 0 && a->i < r->nprofiles ? r->profiles[a->i]
                 : a->text[0]                     ? a->text
                                                  : practice_profile_name(r->pr));
        int rc = switch_profile(r, name, why, sizeof r->why);
        if (rc == -2) { /* neither profile opens: nothing can go on */
            r->k.running = 0;
            break;
        }
        res->type = KIOSK_EV_PROFILE;
        res->i = rc == 0;
        res->n = practice_can_save(r->pr);
        res->text = why;
        tell_settings(r);
        tell_speech(r);
        break;
    }
    case KIOSK_ACT_LOAD_PROGRESS:
        run_load_progress(r);
        res->type = KIOSK_EV_PROGRESS;
        res->n = r->nanswers;
        res->i = r->nseries;
        break;
    case KIOSK_ACT_TEXT_INPUT:
        if (a->i)
            SDL_StartTextInput();
        else
            SDL_StopTextInput();
        break;
    case KIOSK_ACT_NO_RECORDING:
        r->app->cfg.record = 0; /* this session only: the setting itself is left as it is */
        break;
    case KIOSK_ACT_QUIT:
    case KIOSK_ACT_COUNT:
        break;
    }
}

enum { QUEUE = 16 };

void run_feed(run *r, const kiosk_event *ev)
{
    /* Results are queued and fed after the actions of the event that asked for them, in the
     * order asked, as a trace would list them. */
    kiosk_event queue[QUEUE];
    int head = 0, tail = 0;
    queue[tail++] = *ev;
    while (head < tail) {
        kiosk_actions acts = {.n = 0};
        kiosk_event e = queue[head++];
        kiosk_step(&r->k, &e, &acts);
        for (int i = 0; i < acts.n; i++) {
            if (vlog_enabled(VLOG_DEBUG)) {
                char line[128];
                kiosk_action_format(&acts.a[i], line, sizeof line);
                VLOG_D("kiosk", "%s", line);
            }
            kiosk_event res;
            do_action(r, &acts.a[i], &res);
            if ((int)res.type >= 0 && tail < QUEUE)
                queue[tail++] = res;
        }
    }
}

/* ---- the loop ---------------------------------------------------------------------------------- */

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

static int load_script(const char *path, script *s)
{
    char *text;
    size_t len;
    int e = file_read(path, 1u << 20, &text, &len);
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

/* One SDL event as a kiosk event (type -1: nothing for the machine). */
static void translate(run *r, const SDL_Event *e, kiosk_event *k)
{
    memset(k, 0, sizeof *k);
    k->type = (kiosk_event_type)-1;
    k->now_ms = r->now;
    if (e->type == SDL_QUIT) {
        k->type = KIOSK_EV_KEY;
        k->i = KIOSK_KEY_QUIT;
    } else if (e->type == SDL_KEYDOWN) {
        SDL_Keycode sym = e->key.keysym.sym;
        int typing = r->k.screen == KIOSK_KEYBOARD;
        k->type = KIOSK_EV_KEY;
        k->i = key_of_sym(sym);
        if (typing && sym >= 32 && sym < 127) {
            k->type = (kiosk_event_type)-1; /* typed text arrives as SDL_TEXTINPUT */
        } else if (typing && sym == SDLK_BACKSPACE) {
            k->type = KIOSK_EV_TEXT;
            k->text = "\b";
        } else if (typing && r->k.typed_on_keyboard &&
                   (sym == SDLK_RETURN || sym == SDLK_KP_ENTER)) {
            k->i = KIOSK_KEY_ENTER_TYPED; /* typed on a keyboard: Enter means Done */
        }
    } else if (e->type == SDL_TEXTINPUT) {
        k->type = KIOSK_EV_TEXT;
        k->text = e->text.text;
    } else if (e->type == SDL_MOUSEBUTTONUP || e->type == SDL_FINGERUP) {
        int x = e->type == SDL_FINGERUP ? (int)(e->tfinger.x * ui_w(r->u)) : e->button.x;
        int y = e->type == SDL_FINGERUP ? (int)(e->tfinger.y * ui_h(r->u)) : e->button.y;
        k->type = KIOSK_EV_TOUCH;
        k->i = run_hit(r, x, y);
    } else if (e->type == r->audio_event) {
        k->type = KIOSK_EV_CAPTURE_END;
        k->i = e->user.code == AUDIO_END_DEVICE_LOST;
    } else if (e->type == r->voice_event) {
        VLOG_I("run", "voice command: %s", hands_phrase(e->user.code));
        k->type = KIOSK_EV_VOICE;
        k->i = cmd_of(e->user.code);
        k->sample = (int64_t)(intptr_t)e->user.data1;
    } else if (e->type == r->button_event) {
        k->type = KIOSK_EV_KEY;
        k->i = e->user.code == BOARD_BUTTON_PREV   ? KIOSK_KEY_PREV
               : e->user.code == BOARD_BUTTON_NEXT ? KIOSK_KEY_NEXT
                                                   : KIOSK_KEY_SELECT;
    } else if (e->type == SDL_CONTROLLERDEVICEADDED) {
        if (SDL_GameControllerOpen(e->cdevice.which))
            VLOG_I("run", "gamepad connected: %s",
                   SDL_GameControllerNameForIndex(e->cdevice.which));
    } else if (e->type == SDL_CONTROLLERBUTTONDOWN) {
        k->type = KIOSK_EV_KEY;
        k->i = key_of_pad(e->cbutton.button);
    } else if (run_analysis_event(r, e, k)) {
        /* the analysis worker is done: k is filled */
    }
}

/* Edges the machine hears about: speech ended, playback started or stopped. */
static void poll_edges(run *r)
{
    if (r->hf)
        hands_tick(r->hf);
    int speaking = r->hf && hands_speaking(r->hf);
    if (r->was_speaking && !speaking) {
        r->was_speaking = 0;
        kiosk_event done = {.type = KIOSK_EV_SPEECH_DONE, .now_ms = r->now};
        run_feed(r, &done);
    }
    double pos, len;
    int playing = 0;
    if (r->pr)
        practice_play_position(r->pr, &pos, &len, &playing);
    if (playing != r->was_playing) {
        r->was_playing = playing;
        kiosk_event pe = {.type = KIOSK_EV_PLAYBACK, .now_ms = r->now, .i = playing};
        run_feed(r, &pe);
    }
    kiosk_event tick = {.type = KIOSK_EV_TICK, .now_ms = r->now};
    run_feed(r, &tick);
}

int run_kiosk(viva_app *app, const run_options *opt)
{
    if (app->cfg.rotation % 90 != 0) {
        fprintf(stderr, "viva: display.rotation: %d is not 0, 90, 180 or 270\n",
                app->cfg.rotation);
        return EXIT_USAGE;
    }
    script scr = {0};
    if (opt->script_path && load_script(opt->script_path, &scr) != 0)
        return EXIT_USAGE;
    if (opt->shot_dir && mkdir(opt->shot_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "viva run: --screenshot %s: %s\n", opt->shot_dir, strerror(errno));
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
    char notice[320], err[512];
    int exit_code;
    if (practice_open(app, NULL, &r.pr, notice, sizeof notice, err, sizeof err,
                      &exit_code) != 0) {
        fprintf(stderr, "viva: %s\n", err);
        script_free(&scr);
        return exit_code ? exit_code : EXIT_FAIL;
    }
    snprintf(r.notice0, sizeof r.notice0, "%s", notice);
    r.have_seed = opt->have_seed;
    r.seed = opt->seed;
    if (opt->have_seed)
        practice_set_seed(r.pr, opt->seed);

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
    r.audio_event = SDL_RegisterEvents(4);
    r.button_event = r.audio_event + 1;
    r.voice_event = r.audio_event + 2;
    run_analysis_init(&r, r.audio_event + 3);
    board_gpio_config gc;
    app_gpio_config(&app->cfg, &gc);
    board_buttons *buttons = NULL;
    if (board_buttons_open(&gc, on_button, &r, &buttons, err, sizeof err) != 0) {
        /* Buttons are a convenience: keys, touch and the clicker still work. */
        VLOG_W("gpio", "%s", err);
        buttons = NULL;
    }

    kiosk_init(&r.k, screen_keyboard_nkeys(), screen_keyboard_key);
    Uint32 start = SDL_GetTicks();
    tell_settings(&r);
    /* Several candidates share the device: they choose who they are first. */
    char names[2][STORE_NAME_MAX + 1];
    static const char prefix[] = "Answers cannot be saved: ";
    kiosk_event st = {
        .type = KIOSK_EV_START,
        .i = practice_can_save(r.pr),
        .n = practice_can_save(r.pr) ? practice_profiles(r.pr, names, 2) : 0,
        .text = strncmp(r.notice0, prefix, sizeof prefix - 1) == 0 ? r.notice0 + sizeof prefix - 1
                                                                   : r.notice0,
    };
    run_feed(&r, &st);

    int shots = 0, first_frame_logged = 0, dirty = 1, hands_tried = 0, rc = EXIT_OK;
    const char *pending_shot = NULL;
    char shot_name[64];
    while (r.k.running && !stop_requested && r.pr) {
        r.now = SDL_GetTicks() - start;
        const script_event *ev;
        /* Script time starts at the first frame, so a slow start (qemu) shifts nothing. A
         * screenshot ends the batch: it is taken of this frame before later events apply. */
        while (first_frame_logged && !pending_shot && (ev = script_due(&scr, (Uint32)r.now))) {
            if (ev->kind == SCRIPT_SCREENSHOT) {
                snprintf(shot_name, sizeof shot_name, "%s", ev->name);
                pending_shot = shot_name;
            } else {
                inject(r.u, ev);
            }
        }
        kiosk_screen before = r.k.screen;
        if (first_frame_logged && !hands_tried) {
            /* The spotter's model takes about a second to load: after the first frame. */
            hands_tried = 1;
            open_hands(&r);
            tell_speech(&r);
        }
        poll_edges(&r);
        if (!r.k.running || !r.pr)
            break;
        int frame_ms = run_frame_ms(&r);
        if (r.k.screen != before)
            dirty = 1;
        board_watchdog_kick();
        if (buttons)
            board_buttons_set_led(buttons, r.k.screen == KIOSK_ANSWER && r.k.recording);
        /* Draw only when something changed: an idle screen costs no rendering at all. */
        if (!(dirty || frame_ms || pending_shot)) {
            int sw = script_wait_ms(&scr, SDL_GetTicks() - start);
            int64_t dl = kiosk_next_deadline(&r.k, r.now);
            int wait = sw >= 0 && sw < 250 ? sw : 250;
            if (dl >= 0 && dl < wait)
                wait = (int)dl;
            /* Only look: the event stays first in the queue (popping and pushing it back would
             * put it behind later ones) and is handled below, after a redraw. */
            if (wait_event(NULL, wait))
                dirty = 1;
            continue;
        }
        dirty = 0;
        run_draw(&r);
        if (pending_shot) {
            char path[PATH_MAX + 80];
            snprintf(path, sizeof path, "%s/%s.png", opt->shot_dir ? opt->shot_dir : ".",
                     pending_shot);
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
        int timeout = frame_ms ? frame_ms : 250;
        int sw = script_wait_ms(&scr, SDL_GetTicks() - start);
        if (sw >= 0 && sw < timeout)
            timeout = sw;
        SDL_Event e;
        int got = wait_event(&e, timeout);
        while (got && r.k.running && r.pr) {
            r.now = SDL_GetTicks() - start;
            dirty = 1;
            kiosk_event ke;
            translate(&r, &e, &ke);
            if ((int)ke.type >= 0)
                run_feed(&r, &ke);
            got = SDL_PollEvent(&e);
        }
    }
    board_notify_stopping();
    if (stop_requested)
        VLOG_I("run", "stopping on signal");
    if (opt->shot_dir)
        VLOG_I("run", "%d screenshot%s written to %s", shots, shots == 1 ? "" : "s",
               opt->shot_dir);
    /* A running answer is saved (ungraded) before the store closes. */
    close_hands(&r); /* no stream may outlive the practice's audio handle */
    run_analysis_stop(&r);
    if (r.pr) {
        if (r.k.screen == KIOSK_ANSWER)
            practice_answer_end(r.pr, run_wall_ms());
        practice_end_session(r.pr, run_wall_ms());
        run_free_progress(&r);
    } else {
        rc = EXIT_FAIL;
    }
    if (buttons)
        board_buttons_close(buttons);
    ui_close(r.u);
    practice_close(r.pr);
    script_free(&scr);
    return rc;
}
