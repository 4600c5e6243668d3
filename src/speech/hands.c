/* hands.c: the kiosk's voice and ears (hands.h). Speaking: hands_say hands the text to one
 * synthesis worker thread (flite takes about as long as a sentence lasts, far too long for a
 * UI frame); hands_tick picks the samples up on the main thread, which owns the audio handle,
 * and plays them on the configured output. A generation counter makes a replaced or silenced
 * text's late result harmless: the worker cannot be interrupted inside flite, so its result is
 * simply dropped. Listening: a capture on the configured microphone that never ends by itself
 * feeds the spotter from its writer thread; hands_tick restarts it a little after a lost
 * device. During an answer the answer's own capture feeds the spotter instead
 * (hands_answer_*), so both never run at once and positions are the answer's samples.
 * The engine behind the voice and the ears is a backend (hands_backend.h). */
#include "hands.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hands_backend.h"
#include "speech_cmd.h"
#include "utf8.h"
#include "verr.h"
#include "vlog.h"

#define RELISTEN_SECONDS 2.0 /* wait after a lost microphone before opening it again */
#define HITS_PER_FEED    8   /* more commands than this in one writer chunk cannot be said */
#define LOG_TEXT_BYTES   60  /* how much of a spoken text goes into the log line */

struct hands {
    const hands_backend *be;
    audio *a;
    void *tts; /* the backend's voice; NULL: none; used only by the worker once it runs */
    void *rec; /* the backend's ears; NULL: none; fed by one writer thread at a time */
    char input[HANDS_STR_MAX], output[HANDS_STR_MAX];

    /* Synthesis worker. `lock` guards the fields below it; the worker never holds it while
     * synthesising. */
    pthread_t worker;
    int worker_started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int quit;
    unsigned gen; /* bumped by every say and silence: older work is stale */
    char *job;    /* text waiting for the worker (owned), or NULL */
    unsigned job_gen;
    int res_ready; /* a result of generation res_gen waits for hands_tick */
    unsigned res_gen;
    int res_rc;
    int16_t *res_pcm;
    size_t res_frames;
    char res_err[256];

    /* Main thread only. */
    int pending; /* a say whose result has not been played or dropped yet */
    audio_player *player;
    int output_warned;  /* "cannot play" logged since the last successful open */
    audio_capture *cap; /* the listening capture, or NULL */
    unsigned listen_mask;
    int relisten; /* the microphone was lost: listen again at relisten_at */
    double relisten_at;
    int lost_logged;

    /* Callbacks read on writer threads. `cb_lock` is held while the listening callback runs,
     * so once hands_listen returns the previous fn/ctx are never called again; it is only ever
     * held for as long as a callback posts its event. The answer's fn/ctx need no lock: they
     * are set before the answer's capture starts and read only by its writer. */
    pthread_mutex_t cb_lock;
    hands_cmd_fn listen_fn;
    void *listen_ctx;
    hands_cmd_fn answer_fn;
    void *answer_ctx;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- speaking ---------------------------------------------------------------------------- */

static void drop_result(hands *h)
{
    free(h->res_pcm);
    h->res_pcm = NULL;
    h->res_frames = 0;
    h->res_ready = 0;
}

static void *worker_main(void *arg)
{
    hands *h = arg;
    pthread_mutex_lock(&h->lock);
    for (;;) {
        while (!h->quit && !h->job)
            pthread_cond_wait(&h->wake, &h->lock);
        if (h->quit)
            break;
        char *text = h->job;
        unsigned gen = h->job_gen;
        h->job = NULL;
        pthread_mutex_unlock(&h->lock);

        int16_t *pcm = NULL;
        size_t frames = 0;
        char err[256] = "";
        int rc = h->be->voice_say(h->tts, text, &pcm, &frames, err, sizeof err);
        free(text);

        pthread_mutex_lock(&h->lock);
        if (gen == h->gen) {
            drop_result(h);
            h->res_ready = 1;
            h->res_gen = gen;
            h->res_rc = rc;
            h->res_pcm = pcm;
            h->res_frames = frames;
            snprintf(h->res_err, sizeof h->res_err, "%s", err);
        } else {
            free(pcm); /* replaced or silenced while flite was busy */
        }
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* Forget whatever the worker is doing or has done: nothing of it will be played. */
static void cancel_synthesis(hands *h)
{
    pthread_mutex_lock(&h->lock);
    h->gen++;
    free(h->job);
    h->job = NULL;
    drop_result(h);
    pthread_mutex_unlock(&h->lock);
    h->pending = 0;
}

static void close_player(hands *h)
{
    if (h->player) {
        audio_player_close(h->player);
        h->player = NULL;
    }
}

static void warn_output(hands *h, const char *msg)
{
    if (!h->output_warned)
        VLOG_W("hands", "cannot read aloud: %s", msg);
    h->output_warned = 1;
}

/* Main thread: play the worker's result if it is for the current text. */
static void start_playback(hands *h)
{
    int16_t *pcm = NULL;
    size_t frames = 0;
    int rc = 0, ready = 0;
    char err[256] = "";
    pthread_mutex_lock(&h->lock);
    if (h->res_ready && h->res_gen == h->gen) {
        ready = 1;
        rc = h->res_rc;
        pcm = h->res_pcm;
        frames = h->res_frames;
        snprintf(err, sizeof err, "%s", h->res_err);
        h->res_pcm = NULL;
        h->res_ready = 0;
    }
    pthread_mutex_unlock(&h->lock);
    if (!ready)
        return;
    h->pending = 0;
    if (rc) {
        VLOG_W("hands", "%s", err);
    } else if (frames > 0) {
        rc = audio_player_open(h->a, h->output, pcm, frames, h->be->voice_rate, &h->player,
                               err, sizeof err);
        if (!rc) {
            rc = audio_player_play(h->player);
            if (rc) {
                snprintf(err, sizeof err, "the output device does not start (%s)",
                         viva_strerror(rc));
                close_player(h);
            }
        }
        /* No speaker must never hang a session: the text counts as said. */
        if (rc)
            warn_output(h, err);
        else
            h->output_warned = 0;
    }
    free(pcm);
}

/* The log line's excerpt of `text`: at most LOG_TEXT_BYTES, not cut inside a UTF-8 sequence. */
static int excerpt_len(const char *text)
{
    return (int)utf8_floor(text, strlen(text), LOG_TEXT_BYTES);
}

int hands_say(hands *h, const char *text, char *err, size_t errlen)
{
    if (!h || !h->tts) {
        snprintf(err, errlen, "speech unavailable: no voice is loaded");
        return VIVA_ENOTFOUND;
    }
    if (!text) {
        snprintf(err, errlen, "hands: nothing to say");
        return VIVA_EINVAL;
    }
    char *copy = strdup(text);
    if (!copy) {
        snprintf(err, errlen, "hands: out of memory");
        return VIVA_ENOMEM;
    }
    hands_listen_stop(h); /* the microphone must not hear the kiosk; the caller listens again */
    close_player(h);
    pthread_mutex_lock(&h->lock);
    h->gen++;
    free(h->job);
    drop_result(h);
    h->job = copy;
    h->job_gen = h->gen;
    pthread_cond_signal(&h->wake);
    pthread_mutex_unlock(&h->lock);
    h->pending = 1;
    VLOG_I("hands", "speaking: %.*s%s", excerpt_len(text), text,
           strlen(text) > LOG_TEXT_BYTES ? "..." : "");
    return VIVA_OK;
}

int hands_speaking(const hands *h)
{
    if (!h)
        return 0;
    return h->pending || (h->player && !audio_player_finished(h->player));
}

void hands_silence(hands *h)
{
    if (!h)
        return;
    if (h->tts)
        cancel_synthesis(h);
    close_player(h);
}

/* ---- listening --------------------------------------------------------------------------- */

static void report(const speech_cmd_hit *hits, int n, hands_cmd_fn fn, void *ctx)
{
    for (int i = 0; i < n; i++) {
        VLOG_I("hands", "command %s heard", speech_cmd_name(hits[i].cmd));
        if (fn) {
            hands_hit hit = {(int)hits[i].cmd, hits[i].start, hits[i].end};
            fn(ctx, &hit);
        }
    }
}

/* The listening capture's sink (its writer thread). */
static int listen_write(void *ctx, const int16_t *pcm, size_t frames)
{
    hands *h = ctx;
    speech_cmd_hit hits[HITS_PER_FEED];
    int n = h->be->ears_feed(h->rec, pcm, frames, hits, HITS_PER_FEED);
    if (n > 0) {
        pthread_mutex_lock(&h->cb_lock);
        report(hits, n, h->listen_fn, h->listen_ctx);
        pthread_mutex_unlock(&h->cb_lock);
    }
    return 0;
}

int hands_listen(hands *h, unsigned mask, hands_cmd_fn fn, void *ctx, char *err, size_t errlen)
{
    if (!h || !h->rec) {
        snprintf(err, errlen, "speech unavailable: spoken commands are not loaded");
        return VIVA_ENOTFOUND;
    }
    pthread_mutex_lock(&h->cb_lock);
    h->listen_fn = fn;
    h->listen_ctx = ctx;
    pthread_mutex_unlock(&h->cb_lock);
    h->listen_mask = mask;
    h->be->ears_set_context(h->rec, mask);
    if (h->cap)
        return VIVA_OK;

    /* No writer runs now (our capture is stopped and an answer's has finished), so the
     * spotter may be reset from here; the capture's thread start publishes it to the writer. */
    h->relisten = 0;
    h->be->ears_reset(h->rec);
    audio_capture_params p = {0};
    p.device = h->input;
    p.ring_seconds = 30; /* room for a stalled decoder; never ends by silence or length */
    /* Stopping must not decode the backlog: with a decoder behind (a loaded machine, or a
     * microphone faster than real time) that held the screen for seconds after each spoken
     * grade. What was not heard before the stop is not wanted. */
    p.discard_on_stop = 1;
    p.sink = (audio_sink){h, listen_write};
    int rc = audio_capture_start(h->a, &p, &h->cap, err, errlen);
    if (rc)
        h->cap = NULL;
    else
        h->lost_logged = 0;
    return rc;
}

void hands_set_context(hands *h, unsigned mask)
{
    if (!h || !h->rec)
        return;
    h->listen_mask = mask;
    h->be->ears_set_context(h->rec, mask);
}

int hands_adapt(hands *h, const char *data, size_t len, char *err, size_t errlen)
{
    if (!h || !h->rec || !h->be->ears_adapt) {
        snprintf(err, errlen, "no spoken commands to adapt");
        return VIVA_ENOTFOUND;
    }
    return h->be->ears_adapt(h->rec, data, len, err, errlen);
}

void hands_listen_stop(hands *h)
{
    if (!h)
        return;
    h->relisten = 0;
    if (h->cap) {
        audio_capture_stop(h->cap, NULL);
        h->cap = NULL;
    }
}

int hands_listening(const hands *h)
{
    return h && h->cap;
}

/* ---- the answer's capture ------------------------------------------------------------------ */

void hands_answer_begin(hands *h, hands_cmd_fn fn, void *ctx)
{
    if (!h || !h->rec)
        return;
    hands_listen_stop(h); /* in case the caller did not: two feeders would corrupt the spotter */
    h->answer_fn = fn;
    h->answer_ctx = ctx;
    h->be->ears_reset(h->rec);
    h->be->ears_set_context(h->rec, SPEECH_CTX_ANSWER);
}

void hands_answer_feed(hands *h, const int16_t *pcm, size_t frames)
{
    if (!h || !h->rec)
        return;
    speech_cmd_hit hits[HITS_PER_FEED];
    int n = h->be->ears_feed(h->rec, pcm, frames, hits, HITS_PER_FEED);
    report(hits, n, h->answer_fn, h->answer_ctx);
}

void hands_answer_finish(hands *h)
{
    if (!h || !h->rec)
        return;
    h->be->ears_set_context(h->rec, SPEECH_CTX_NONE);
    h->answer_fn = NULL;
    h->answer_ctx = NULL;
}

/* ---- the frame tick ------------------------------------------------------------------------ */

void hands_tick(hands *h)
{
    if (!h)
        return;
    if (h->pending)
        start_playback(h);
    if (h->player && audio_player_finished(h->player))
        close_player(h);

    if (h->cap) {
        audio_status st;
        audio_capture_status(h->cap, &st);
        if (st.ended != AUDIO_GOING) {
            audio_result res;
            audio_capture_stop(h->cap, &res);
            h->cap = NULL;
            if (!h->lost_logged)
                VLOG_W("hands", "stopped listening (%s): %s; trying again every %.0f s",
                       audio_end_name(res.reason), res.message, RELISTEN_SECONDS);
            h->lost_logged = 1;
            h->relisten = 1;
            h->relisten_at = now_s() + RELISTEN_SECONDS;
        }
    } else if (h->relisten && now_s() >= h->relisten_at) {
        char err[512];
        pthread_mutex_lock(&h->cb_lock);
        hands_cmd_fn fn = h->listen_fn;
        void *ctx = h->listen_ctx;
        pthread_mutex_unlock(&h->cb_lock);
        if (hands_listen(h, h->listen_mask, fn, ctx, err, sizeof err)) {
            h->relisten = 1; /* still gone: hands_listen logs nothing, lost_logged stays */
            h->relisten_at = now_s() + RELISTEN_SECONDS;
        } else {
            VLOG_I("hands", "listening again");
        }
    }
}

/* ---- open and close ------------------------------------------------------------------------- */

int hands_open_with(const hands_backend *be, const hands_cfg *cfg, audio *a, hands **out,
                    char *err, size_t errlen)
{
    *out = NULL;
    err[0] = 0;
    if (!cfg->speak && !cfg->listen) {
        snprintf(err, errlen, "speech is turned off (neither speaking nor listening was asked)");
        return VIVA_ENOTFOUND;
    }
    hands *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "hands: out of memory");
        return VIVA_ENOMEM;
    }
    h->be = be;
    h->a = a;
    snprintf(h->input, sizeof h->input, "%s", cfg->input);
    snprintf(h->output, sizeof h->output, "%s", cfg->output);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->wake, NULL);
    pthread_mutex_init(&h->cb_lock, NULL);

    char tts_err[512] = "", rec_err[512] = "";
    int tts_rc = 0, rec_rc = 0;
    if (cfg->speak) {
        tts_rc = be->voice_open(cfg, &h->tts, tts_err, sizeof tts_err);
        if (tts_rc)
            h->tts = NULL;
        if (!tts_rc && pthread_create(&h->worker, NULL, worker_main, h) != 0) {
            be->voice_close(h->tts);
            h->tts = NULL;
            tts_rc = VIVA_ENOMEM;
            snprintf(tts_err, sizeof tts_err, "hands: cannot start the speech thread");
        }
        h->worker_started = tts_rc == 0;
    }
    if (cfg->listen) {
        rec_rc = be->ears_open(cfg, &h->rec, rec_err, sizeof rec_err);
        if (rec_rc)
            h->rec = NULL;
    }

    if (!h->tts && !h->rec) {
        int rc = tts_rc ? tts_rc : rec_rc;
        /* One sentence when both halves failed for the same reason (no engine at all). */
        int same = !strcmp(tts_err, rec_err);
        snprintf(err, errlen, "%s%s%s", tts_err, *tts_err && *rec_err && !same ? "; " : "",
                 same ? "" : rec_err);
        hands_close(h);
        return rc;
    }
    if (tts_rc)
        snprintf(err, errlen, "Questions will not be read aloud: %s", tts_err);
    else if (rec_rc)
        snprintf(err, errlen, "Spoken commands are off: %s", rec_err);
    VLOG_I("hands", "speech backend %s:%s%s", be->name, h->tts ? " speaking" : "",
           h->rec ? " listening" : "");
    *out = h;
    return VIVA_OK;
}

int hands_open(const hands_cfg *cfg, audio *a, hands **out, char *err, size_t errlen)
{
    return hands_open_with(hands_backend_default(), cfg, a, out, err, errlen);
}

void hands_close(hands *h)
{
    if (!h)
        return;
    hands_listen_stop(h);
    close_player(h);
    if (h->worker_started) {
        /* A synthesis in progress cannot be interrupted: this waits for it to end. */
        pthread_mutex_lock(&h->lock);
        h->quit = 1;
        pthread_cond_signal(&h->wake);
        pthread_mutex_unlock(&h->lock);
        pthread_join(h->worker, NULL);
    }
    free(h->job);
    drop_result(h);
    if (h->tts)
        h->be->voice_close(h->tts);
    if (h->rec)
        h->be->ears_close(h->rec);
    pthread_mutex_destroy(&h->cb_lock);
    pthread_cond_destroy(&h->wake);
    pthread_mutex_destroy(&h->lock);
    free(h);
}

int hands_can_speak(const hands *h)
{
    return h && h->tts;
}

int hands_can_listen(const hands *h)
{
    return h && h->rec;
}

const char *hands_phrase(int cmd)
{
    return speech_cmd_phrase((speech_cmd_id)cmd);
}
