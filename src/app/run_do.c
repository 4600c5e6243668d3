/* run_do.c: the kiosk driver's hands (see run.h): what the machine's actions do to the
 * practice controller, the voice service, the audio edge and SDL's text input, and the
 * results fed back to it; the worker threads' callbacks that post SDL user events. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <SDL.h>

#include "board_notify.h"
#include "hands_cfg.h"
#include "run.h"
#include "speech_say.h"
#include "vlog.h"

/* Wall-clock milliseconds since the epoch: what the store and the engine keep. The loop's own
 * timing uses SDL's monotonic ticks. */
int64_t run_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- threads to events ---------------------------------------------------------------------- */

/* The answer capture's pause as last posted (written by its writer thread only; reset before
 * a capture starts). */
static _Atomic int answer_paused;

/* Audio writer thread: only post an event (never block, never touch SDL state): the answer's
 * end (code = the audio_end), or its pause starting or ending (code AUDIO_GOING, data1 = 1
 * paused / 0 speech again, data2 = milliseconds until the silence ends the answer). */
static void audio_notify(void *ctx, const audio_status *st)
{
    const run *r = ctx;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = r->audio_event;
    if (st->ended == AUDIO_GOING) {
        if (st->paused == atomic_load(&answer_paused))
            return;
        atomic_store(&answer_paused, st->paused);
        e.user.code = AUDIO_GOING;
        e.user.data1 = (void *)(intptr_t)st->paused;
        e.user.data2 = (void *)(intptr_t)(st->end_in * 1000 / AUDIO_RATE);
        SDL_PushEvent(&e);
        return;
    }
    e.user.code = (Sint32)st->ended;
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
kiosk_cmd run_cmd_of(int id)
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
    for (int i = 0; i < n && used + 4 < len; i++) {
        used += (size_t)snprintf(buf + used, len - used, "%s \"", i ? "," : "");
        /* A phrase never wraps inside: its spaces are no-break spaces (U+00A0). */
        for (const char *p = hands_phrase(cmds[i]); *p && used + 3 < len; p++) {
            if (*p == ' ') {
                buf[used++] = (char)0xC2;
                buf[used++] = (char)0xA0;
            } else {
                buf[used++] = *p;
            }
        }
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "\"");
    }
    return buf;
}

void run_open_hands(run *r)
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
    /* the profile's voice adaptation for its spoken commands too */
    size_t len = 0;
    char *voice = practice_voice(r->pr, &len);
    if (voice) {
        if (hands_adapt(r->hf, voice, len, err, sizeof err) == 0)
            VLOG_I("run", "spoken commands use the profile's voice adaptation");
        else if (hands_can_listen(r->hf))
            VLOG_W("run", "spoken commands use the generic model: %s", err);
        free(voice);
    }
}

void run_close_hands(run *r)
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
void run_tell_settings(run *r)
{
    const viva_config *c = &r->app->cfg;
    kiosk_event s = {.type = KIOSK_EV_SETTINGS,
                     .now_ms = r->now,
                     .i = (c->hands_free ? 1 : 0) | (c->speech_enabled ? 2 : 0) |
                          (run_analysis_enabled(r->an) ? 4 : 0),
                     .ms = (int64_t)c->grade_seconds * 1000};
    run_feed(r, &s);
}

void run_tell_speech(run *r)
{
    kiosk_event s = {.type = KIOSK_EV_SPEECH,
                     .now_ms = r->now,
                     .i = (can_speak(r) ? 1 : 0) | (can_listen(r) ? 2 : 0)};
    run_feed(r, &s);
}

void run_reopen_hands(run *r)
{
    run_close_hands(r);
    run_open_hands(r);
    run_tell_settings(r);
    run_tell_speech(r); /* the machine listens again for what its screen offers */
}

/* ---- carrying out the machine's actions ---------------------------------------------------- */

/* A name typed under "New profile" that an existing profile has (letter case aside: two
 * candidates called "Ada" and "ada" could not tell theirs apart): 1 with the reason in why. */
static int new_name_taken(run *r, const char *name, char *why, size_t wlen)
{
    char names[RUN_MAX_PROFILES][STORE_NAME_MAX + 1];
    int n = practice_profiles(r->pr, names, RUN_MAX_PROFILES);
    for (int i = 0; i < n; i++) {
        if (strcasecmp(names[i], name) == 0) {
            VLOG_I("run", "new profile '%s' refused: profile '%s' exists", name, names[i]);
            snprintf(why, wlen, "A profile named '%.200s' exists already: choose it in the list, "
                     "or type another name.", names[i]);
            return 1;
        }
    }
    return 0;
}

/* Reopen practice (store, audio, bank) for another profile; the spotter is reopened on the
 * new audio handle. Returns 0, or -1 with the reason in why (the old profile is back). */
static int switch_profile(run *r, const char *name, char *why, size_t wlen)
{
    run_close_hands(r);
    char old[STORE_NAME_MAX + 1], notice[320], err[512];
    snprintf(old, sizeof old, "%s", practice_profile_name(r->pr));
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
    run_open_hands(r);
    return rc;
}

/* ---- the store's refusal and the recovery screen's actions ---------------------------------- */

static kiosk_refusal refusal_of(int exit_code)
{
    switch (exit_code) {
    case STORE_EXIT_CORRUPT:
        return KIOSK_REFUSED_DAMAGED;
    case STORE_EXIT_VERSION:
        return KIOSK_REFUSED_NEWER;
    case STORE_EXIT_BUSY:
        return KIOSK_REFUSED_BUSY;
    default:
        return KIOSK_REFUSED_UNREADABLE;
    }
}

void run_backup_when(int64_t ms, char *buf, size_t len)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (ms <= 0 || !localtime_r(&t, &tm) || !strftime(buf, len, "%-d %b %Y at %H:%M", &tm))
        snprintf(buf, len, "an unknown time");
}

void run_store_outcome(run *r, int exit_code, const char *err, const char *done,
                       kiosk_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->now_ms = r->now;
    r->store_code = exit_code;
    if (!exit_code) {
        r->store_err[0] = '\0';
        ev->type = KIOSK_EV_STORE_OPENED;
        ev->n = practice_profiles(r->pr, r->profiles, RUN_MAX_PROFILES);
        ev->text = done;
        return;
    }
    snprintf(r->store_err, sizeof r->store_err, "%.590s", err);
    store_recover_backup(r->app->data_dir, r->backup_dir, sizeof r->backup_dir, &r->backup_ms);
    VLOG_W("run", "the store refused to open (exit code %d): showing the recovery screen%s",
           exit_code, r->backup_dir[0] ? "; the newest complete backup is there" : "");
    ev->type = KIOSK_EV_STORE_REFUSED;
    ev->i = (int)refusal_of(exit_code);
    ev->n = r->backup_dir[0] != '\0';
    ev->text = "";
}

/* Opens practice again on the same profile choice as at the start (the store's own
 * session.profile, else the configuration's). Returns 0, or -1 when nothing can go on. */
static int reopen_practice(run *r, int *exit_code, char *err, size_t elen)
{
    char notice[320];
    run_close_hands(r); /* no stream may outlive the practice's audio handle */
    run_free_progress(r);
    practice_close(r->pr);
    r->pr = NULL;
    if (practice_open(r->app, NULL, &r->pr, notice, sizeof notice, err, elen, exit_code) != 0) {
        fprintf(stderr, "viva: %s\n", err);
        r->pr = NULL;
        return -1;
    }
    snprintf(r->notice0, sizeof r->notice0, "%s", notice);
    if (r->have_seed)
        practice_set_seed(r->pr, r->seed);
    run_open_hands(r);
    return 0;
}

/* KIOSK_ACT_RESTORE_BACKUP (restore = 1) and KIOSK_ACT_REOPEN_STORE: the store is opened
 * again (after the restore) and the machine told how that went. */
static void recover_store(run *r, int restore, kiosk_event *res)
{
    char err[1024], done[400] = "";
    if (restore) {
        /* The screen says "Restoring..." while the backup is checked: draw it first. */
        run_draw(r);
        ui_present(r->u);
        board_watchdog_kick();
        char when[64];
        run_backup_when(r->backup_ms, when, sizeof when);
        int e = store_recover_restore(r->app->data_dir, run_wall_ms(), r->kept, sizeof r->kept,
                                      err, sizeof err);
        board_watchdog_kick();
        if (e) { /* nothing was changed: the same refusal, and why the restore failed */
            VLOG_E("run", "%s", err);
            snprintf(r->store_err, sizeof r->store_err, "%.590s", err);
            memset(res, 0, sizeof *res);
            res->type = KIOSK_EV_STORE_REFUSED;
            res->now_ms = r->now;
            res->i = (int)refusal_of(r->store_code);
            res->n = store_recover_backup(r->app->data_dir, r->backup_dir, sizeof r->backup_dir,
                                          &r->backup_ms);
            res->text = "The backup could not be restored and nothing was changed; Details "
                        "says why.";
            return;
        }
        const char *base = strrchr(r->kept, '/');
        snprintf(done, sizeof done, "The backup of %s is back.%s%.200s%s", when,
                 r->kept[0] ? " The damaged file is kept as " : "",
                 r->kept[0] ? (base ? base + 1 : r->kept) : "", r->kept[0] ? "." : "");
        VLOG_I("run", "restored %s (%s kept aside)", r->backup_dir,
               r->kept[0] ? r->kept : "no data file");
    }
    int exit_code = 0;
    char oerr[600] = "";
    if (reopen_practice(r, &exit_code, oerr, sizeof oerr) != 0) {
        r->k.running = 0; /* no questions at all: nothing can go on */
        return;
    }
    run_tell_settings(r);
    run_tell_speech(r);
    run_store_outcome(r, exit_code, oerr, "", res);
    if (exit_code)
        snprintf(r->why, sizeof r->why, "%s",
                 restore ? "The backup was restored, but the store still cannot be opened."
                         : "The saved answers still cannot be opened.");
    else
        snprintf(r->why, sizeof r->why, "%s", done);
    res->text = r->why;
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

static void start_capture(run *r, kiosk_event *res)
{
    if (can_listen(r)) {
        hands_answer_begin(r->hf, on_voice, r);
        practice_set_tap(r->pr, answer_tap, r->hf);
    } else {
        practice_set_tap(r->pr, NULL, NULL);
    }
    atomic_store(&answer_paused, 0);
    r->answer_end = 0;
    practice_answer_start(r->pr, run_wall_ms(), audio_notify, r);
    res->type = KIOSK_EV_RECORDING;
    res->i = practice_recording(r->pr);
}

/* KIOSK_ACT_RETRY: the same question again, as the next attempt (practice_retry). */
static void retry(run *r, kiosk_event *res)
{
    const bank_item *it = practice_retry(r->pr, run_wall_ms());
    res->type = KIOSK_EV_QUESTION;
    res->i = it != NULL;
    res->n = practice_number(r->pr);
    res->ms = (int64_t)r->app->cfg.think_seconds * 1000;
    res->ms2 = (int64_t)practice_answer_seconds(r->pr) * 1000;
    r->nwave = 0;
}

/* KIOSK_ACT_SAY_SUMMARY: the session in a few spoken sentences. */
static void say_summary(run *r)
{
    practice_summary s;
    summary_view sv;
    memset(&sv, 0, sizeof sv);
    practice_get_summary(r->pr, &s);
    run_analysis_summary(r->an, &sv);
    speech_summary_in in = {s.asked,     s.graded,     sv.keys_covered, sv.keys_total,
                            s.theta_start, s.theta_now, s.se_now,       s.unsaved_why};
    char text[512];
    speech_session_summary(&in, text, sizeof text);
    say(r, text);
}

static void save_answer(run *r)
{
    practice_answer_end(r->pr, run_wall_ms());
    if (can_listen(r))
        hands_answer_finish(r->hf);
    practice_set_tap(r->pr, NULL, NULL);
    r->nwave = practice_waveform(r->pr, r->wave, RUN_WAVE_BINS);
    run_review_reset(r);
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

/* Commits the grade; a grade the store refused is told to the machine (STORED i = 0), which
 * keeps the sentence for the next screens: the practice's own notice is replaced when the
 * next recording starts, at once when there is no thinking time. */
static void grade(run *r, int g, kiosk_event *res)
{
    if (g < 0 && r->k.screen == KIOSK_REVIEW && r->k.hands_free)
        VLOG_I("run", "no grade given: the answer stays saved, ungraded");
    practice_summary before, after;
    practice_get_summary(r->pr, &before);
    practice_grade(r->pr, g, run_wall_ms());
    practice_get_summary(r->pr, &after);
    int lost = practice_can_save(r->pr) && after.graded > before.graded &&
               after.saved == before.saved;
    if (lost || practice_notice(r->pr)) {
        res->type = KIOSK_EV_STORED;
        res->i = !lost && practice_can_save(r->pr);
        res->text = practice_notice(r->pr);
    }
}

static void do_action(run *r, const kiosk_action *a, kiosk_event *res)
{
    char *why = r->why; /* a result's sentence lives until the next action's */
    res->type = (kiosk_event_type)-1;
    res->now_ms = r->now;
    switch (a->type) {
    case KIOSK_ACT_SHOW:
        if (a->i == KIOSK_SUMMARY) {
            run_load_sessions(r); /* the trend of the answer feedback over sessions */
            practice_summary s;
            practice_get_summary(r->pr, &s);
            VLOG_I("run", "summary: %d questions, %d graded, %d saved%s%s", s.asked, s.graded,
                   s.saved, s.unsaved_why ? "; not saved: " : "",
                   s.unsaved_why ? s.unsaved_why : "");
        }
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
    case KIOSK_ACT_SAY_SUMMARY:
        say_summary(r);
        break;
    case KIOSK_ACT_RETRY:
        retry(r, res);
        break;
    case KIOSK_ACT_LOAD_COMPARE:
        practice_stop_playback(r->pr);
        run_compare_load(r);
        break;
    case KIOSK_ACT_PLAY_ATTEMPT:
        run_compare_play(r, a->i, res);
        break;
    case KIOSK_ACT_REVIEW_PAGE:
        run_review_page(r, a->i);
        break;
    case KIOSK_ACT_SAY_GRADE_PROMPT: {
        char text[512];
        run_analysis_prompt(r->an, a->i, text, sizeof text);
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
        run_analysis_session(r->an);
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
        run_analysis_start(r->an, r->pr);
        break;
    case KIOSK_ACT_GRADE:
        grade(r, a->i, res);
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
        r->rv.playing_side = -1;
        break;
    case KIOSK_ACT_CHANGE_SETTING: {
        const char *msg = run_change_setting(r, a->i);
        if (msg) {
            res->type = KIOSK_EV_NOTICE;
            res->text = msg;
        }
        break;
    }
    case KIOSK_ACT_NEXT_TOPIC:
        if (run_next_topic(r) != 0) {
            res->type = KIOSK_EV_NOTICE;
            res->text = "The topic could not be kept";
        }
        break;
    case KIOSK_ACT_LOAD_PROFILES:
        load_profiles(r, res);
        break;
    case KIOSK_ACT_SWITCH_PROFILE: {
        char name[STORE_NAME_MAX + 1];
        if (a->i < 0 && a->text[0] && new_name_taken(r, a->text, why, sizeof r->why)) {
            res->type = KIOSK_EV_PROFILE; /* "New profile" with a name in use: say so */
            res->i = 0;
            res->n = practice_can_save(r->pr);
            res->text = why;
            break;
        }
        snprintf(name, sizeof name, "%s",
                 a->i >= 0 && a->i < r->nprofiles ? r->profiles[a->i]
                 : a->text[0]                     ? a->text
                                                  : practice_profile_name(r->pr));
        if (run_pin_ask(r, a->i, name, res))
            break;
        int rc = switch_profile(r, name, why, sizeof r->why);
        if (rc == 0)
            run_pin_opened(r, name);
        if (rc == -2) { /* neither profile opens: nothing can go on */
            r->k.running = 0;
            break;
        }
        res->type = KIOSK_EV_PROFILE;
        res->i = rc == 0;
        res->n = practice_can_save(r->pr);
        res->text = why;
        run_tell_settings(r);
        run_tell_speech(r);
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
    case KIOSK_ACT_PIN_CHECK:
        run_pin_check(r, a, res);
        break;
    case KIOSK_ACT_RESTORE_BACKUP:
    case KIOSK_ACT_REOPEN_STORE:
        recover_store(r, a->type == KIOSK_ACT_RESTORE_BACKUP, res);
        break;
    case KIOSK_ACT_QUIT:
    case KIOSK_ACT_COUNT:
        break;
    }
}

double run_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The screen does not move while an action runs: one that holds the loop for longer than a
 * few frames is named in the log (the journal then says what froze the screen). */
#define SLOW_ACTION_S 0.25
static void log_slow_action(const kiosk_action *a, double seconds)
{
    if (seconds < SLOW_ACTION_S)
        return;
    char line[128];
    kiosk_action_format(a, line, sizeof line);
    VLOG_I("run", "action %s held the screen %.0f ms", line, seconds * 1000.0);
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
            double t0 = run_mono_s();
            do_action(r, &acts.a[i], &res);
            log_slow_action(&acts.a[i], run_mono_s() - t0);
            if ((int)res.type >= 0 && tail < QUEUE)
                queue[tail++] = res;
        }
    }
}

