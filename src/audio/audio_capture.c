/* audio_capture.c: one answer's capture. PortAudio callback -> SPSC ring -> writer thread
 * (rate conversion if needed, level meter, VAD, sink). The callback touches only the ring and
 * a few atomics. The writer ends the answer on the VAD rule, the time limit, a command, a sink
 * error, or when the device stops delivering (stream finished by itself, or no callback for
 * STALL_SECONDS), always after writing everything the ring held. */
#include <math.h>
#include <pthread.h>
#include <samplerate.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio_int.h"
#include "level.h"
#include "ring.h"
#include "vad.h"
#include "verr.h"
#include "vlog.h"

#define STALL_SECONDS 2.0   /* no callback for this long while running: the device is gone */
#define WRITER_SLEEP_MS 5   /* writer's nap when the ring is empty */
#define LEVEL_HZ 25.0       /* level readings (and notifications) per second of audio */
#define CHUNK_SECONDS 0.1   /* most device audio the writer takes from the ring at once */

struct audio_capture {
    audio *a;
    PaStream *stream;
    ring ring;
    int rate, channels;           /* device format */
    char device[128];
    audio_sink sink;
    int discard_on_stop;
    void (*notify)(void *, const audio_status *);
    void *notify_ctx;

    /* shared with the callback */
    _Atomic int cb_stop;          /* callback completes the stream */
    _Atomic int cb_fault;         /* callback aborts the stream (test hook) */
    _Atomic int finished;         /* PortAudio says the stream is over */
    _Atomic size_t callbacks;     /* callbacks so far (stall watchdog) */

    /* main/any thread -> writer */
    _Atomic int stop_req;
    _Atomic int end_req;

    /* writer -> anyone: the status snapshot */
    _Atomic int st_rms_centi, st_peak_centi, st_flags, st_ended;
    _Atomic long st_frames, st_overruns, st_end_in;

    /* writer-owned */
    pthread_t writer;
    int writer_started;
    int16_t *chunk;               /* device samples from the ring */
    size_t chunk_len;
    float *fin, *fout;            /* conversion buffers (mono float) */
    int16_t *conv;                /* converted 16 kHz samples */
    size_t conv_len;
    SRC_STATE *src;
    level_meter lm;
    vad v;
    int64_t delivered;
    audio_end reason;
    int err;
    char message[256];
};

enum { FLAG_CLIP = 1, FLAG_QUIET = 2, FLAG_SPEAKING = 4, FLAG_PAUSED = 8 };

/* ---- the real-time side ----------------------------------------------------------------- */

static int capture_cb(const void *in, void *out, unsigned long frames,
                      const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *ud)
{
    audio_capture *c = ud;
    (void)out, (void)ti, (void)flags;
    atomic_fetch_add_explicit(&c->callbacks, 1, memory_order_relaxed);
    if (atomic_load_explicit(&c->cb_fault, memory_order_relaxed))
        return paAbort;
    if (atomic_load_explicit(&c->cb_stop, memory_order_relaxed))
        return paComplete;
    size_t n = frames * (size_t)c->channels;
    if (in) {
        /* Whole buffers only, so channels never slip out of step after an overrun. */
        ring_write_all(&c->ring, in, n);
    }
    return paContinue;
}

static void finished_cb(void *ud)
{
    audio_capture *c = ud;
    atomic_store(&c->finished, 1);
}

/* ---- the writer thread -------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void publish(audio_capture *c, const level_reading *r)
{
    if (r) {
        atomic_store_explicit(&c->st_rms_centi, (int)lrintf(r->rms_dbfs * 100.0f),
                              memory_order_relaxed);
        atomic_store_explicit(&c->st_peak_centi, (int)lrintf(r->peak_dbfs * 100.0f),
                              memory_order_relaxed);
        atomic_store_explicit(&c->st_flags,
                              (r->clipping ? FLAG_CLIP : 0) | (r->too_quiet ? FLAG_QUIET : 0) |
                                  (vad_speaking(&c->v) ? FLAG_SPEAKING : 0) |
                                  (vad_paused(&c->v) ? FLAG_PAUSED : 0),
                              memory_order_relaxed);
        int64_t end_in = vad_paused(&c->v) && !c->v.ended && c->v.p.silence_end > 0
                             ? c->v.p.silence_end - vad_silence(&c->v)
                             : 0;
        atomic_store_explicit(&c->st_end_in, (long)(end_in > 0 ? end_in : 0),
                              memory_order_relaxed);
    }
    atomic_store_explicit(&c->st_frames, (long)c->delivered, memory_order_relaxed);
    atomic_store_explicit(&c->st_overruns, (long)ring_overruns(&c->ring),
                          memory_order_relaxed);
    atomic_store_explicit(&c->st_ended, (int)c->reason, memory_order_release);
    if (c->notify) {
        audio_status st;
        audio_capture_status(c, &st);
        c->notify(c->notify_ctx, &st);
    }
}

/* Hand 16 kHz samples to the VAD, the level meter and the sink, stopping at the end point. */
static void deliver(audio_capture *c, const int16_t *pcm, size_t n)
{
    if (c->reason)
        return;
    vad_end e = vad_feed(&c->v, pcm, n);
    size_t take = n;
    if (e) {
        int64_t keep = vad_end_frame(&c->v) - c->delivered;
        take = keep < 0 ? 0 : (keep < (int64_t)n ? (size_t)keep : n);
    }
    if (take && c->sink.write) {
        int rc = c->sink.write(c->sink.ctx, pcm, take);
        if (rc) {
            c->err = rc;
            c->reason = AUDIO_END_SINK_FAILED;
            snprintf(c->message, sizeof c->message, "audio: writing the recording failed: %s",
                     viva_strerror(rc));
            return;
        }
    }
    /* Feed the meter window by window so every reading is published. */
    size_t i = 0;
    while (i < take) {
        size_t piece = (size_t)(c->lm.window - c->lm.filled);
        if (piece > take - i)
            piece = take - i;
        level_reading r;
        int done = level_meter_feed(&c->lm, pcm + i, piece, &r);
        i += piece;
        c->delivered += (int64_t)piece;
        if (done)
            publish(c, &r);
    }
    if (e)
        c->reason = e == VAD_END_SILENCE ? AUDIO_END_SILENCE : AUDIO_END_LIMIT;
}

/* Device samples -> 16 kHz mono. */
static void process(audio_capture *c, const int16_t *dev, size_t n)
{
    if (c->rate == AUDIO_RATE && c->channels == 1) {
        deliver(c, dev, n);
        return;
    }
    size_t frames = n / (size_t)c->channels;
    for (size_t f = 0; f < frames; f++) {
        float s = 0.0f;
        for (int ch = 0; ch < c->channels; ch++)
            s += dev[f * (size_t)c->channels + (size_t)ch];
        c->fin[f] = s / (32768.0f * (float)c->channels);
    }
    SRC_DATA d = {0};
    d.data_in = c->fin;
    d.input_frames = (long)frames;
    d.src_ratio = (double)AUDIO_RATE / c->rate;
    while (d.input_frames > 0 && !c->reason) {
        d.data_out = c->fout;
        d.output_frames = (long)c->conv_len;
        int e = src_process(c->src, &d);
        if (e) {
            VLOG_E("audio", "rate conversion failed: %s", src_strerror(e));
            break;
        }
        for (long i = 0; i < d.output_frames_gen; i++) {
            float v = c->fout[i] * 32768.0f;
            c->conv[i] = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : lrintf(v));
        }
        deliver(c, c->conv, (size_t)d.output_frames_gen);
        d.data_in += d.input_frames_used;
        d.input_frames -= d.input_frames_used;
        if (d.input_frames_used == 0 && d.output_frames_gen == 0)
            break;
    }
}

static void nap(void)
{
    struct timespec ts = {0, WRITER_SLEEP_MS * 1000000L};
    nanosleep(&ts, NULL);
}

static void *writer_main(void *arg)
{
    audio_capture *c = arg;
    size_t last_cb = 0;
    double last_cb_time = now_s();
    size_t end_budget = 0; /* after a command: ring samples still to write */
    int ending = 0;
    while (!c->reason) {
        if (c->discard_on_stop && atomic_load(&c->stop_req)) {
            c->reason = AUDIO_END_COMMAND; /* the backlog is not wanted: leave it */
            break;
        }
        if (!ending && atomic_load(&c->end_req)) {
            ending = 1;
            end_budget = ring_available(&c->ring);
        }
        size_t want = c->chunk_len;
        if (ending && end_budget < want)
            want = end_budget;
        size_t n = ring_read(&c->ring, c->chunk, want);
        if (n) {
            process(c, c->chunk, n);
            if (ending)
                end_budget -= n;
            continue;
        }
        if (ending || atomic_load(&c->stop_req)) {
            if (!c->reason)
                c->reason = AUDIO_END_COMMAND;
            break;
        }
        size_t cbs = atomic_load_explicit(&c->callbacks, memory_order_relaxed);
        double t = now_s();
        if (cbs != last_cb) {
            last_cb = cbs;
            last_cb_time = t;
        }
        if (atomic_load(&c->finished) || t - last_cb_time > STALL_SECONDS) {
            /* Everything the device delivered has been written (the ring is empty). */
            c->reason = AUDIO_END_DEVICE_LOST;
            c->err = VIVA_ENODEV;
            snprintf(c->message, sizeof c->message,
                     "audio: input device \"%s\" stopped delivering sound (unplugged?); "
                     "kept the first %.1f s",
                     c->device, (double)c->delivered / AUDIO_RATE);
            break;
        }
        nap();
    }
    vad_finish(&c->v);
    atomic_store(&c->cb_stop, 1);
    publish(c, NULL);
    return NULL;
}

/* ---- main-thread API -------------------------------------------------------------------- */

static void capture_free(audio_capture *c)
{
    ring_free(&c->ring);
    free(c->chunk);
    free(c->fin);
    free(c->fout);
    free(c->conv);
    if (c->src)
        src_delete(c->src);
    free(c);
}

/* Choose the device format: 16 kHz mono if it takes it, else its default rate, mono or
 * stereo. */
static int choose_format(audio_capture *c, PaStreamParameters *ip, const PaDeviceInfo *di,
                         int want_rate, char *err, size_t errlen)
{
    static const int channel_choices[] = {1, 2};
    double rates[3] = {want_rate > 0 ? want_rate : AUDIO_RATE, AUDIO_RATE, di->defaultSampleRate};
    PaError last = paNoError;
    for (int r = 0; r < 3; r++) {
        for (int k = 0; k < 2; k++) {
            if (channel_choices[k] > di->maxInputChannels)
                continue;
            ip->channelCount = channel_choices[k];
            last = Pa_IsFormatSupported(ip, NULL, rates[r]);
            if (last == paFormatIsSupported) {
                c->rate = (int)rates[r];
                c->channels = ip->channelCount;
                return VIVA_OK;
            }
            if (last == paDeviceUnavailable)
                return audio_pa_error(last, "input", c->device, err, errlen);
        }
    }
    if (last != paInvalidSampleRate && last != paSampleFormatNotSupported &&
        last != paInvalidChannelCount) {
        /* Not a format problem: the device is listed but does not open (gone, broken). */
        int rc = audio_pa_error(last, "input", c->device, err, errlen);
        return rc == VIVA_EIO ? VIVA_ENODEV : rc;
    }
    snprintf(err, errlen, "audio: input device \"%s\" supports neither 16000 Hz nor its own "
             "%.0f Hz with 16-bit mono or stereo samples (%s)", c->device,
             di->defaultSampleRate, Pa_GetErrorText(last));
    return VIVA_EINVAL;
}

int audio_capture_start(audio *a, const audio_capture_params *p, audio_capture **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    audio_rescan_if_needed(a);
    PaDeviceIndex idx;
    int rc = audio_find_device(a, p->device, 1, &idx, err, errlen);
    if (rc) {
        a->need_rescan = 1; /* perhaps it is plugged in before the next try */
        return rc;
    }
    audio_capture *c = calloc(1, sizeof *c);
    if (!c)
        return VIVA_ENOMEM;
    c->a = a;
    c->sink = p->sink;
    c->discard_on_stop = p->discard_on_stop;
    c->notify = p->notify;
    c->notify_ctx = p->notify_ctx;
    const PaDeviceInfo *di = Pa_GetDeviceInfo(idx);
    snprintf(c->device, sizeof c->device, "%s", di->name);
    PaStreamParameters ip = {idx, 1, paInt16, di->defaultHighInputLatency, NULL};
    rc = choose_format(c, &ip, di, p->device_rate, err, errlen);
    if (rc)
        goto fail;

    double ring_s = p->ring_seconds > 0 ? p->ring_seconds : 16.0;
    size_t frames_chunk = (size_t)(CHUNK_SECONDS * c->rate);
    c->chunk_len = frames_chunk * (size_t)c->channels;
    c->chunk = malloc(c->chunk_len * sizeof *c->chunk);
    if (ring_init(&c->ring, (size_t)(ring_s * c->rate) * (size_t)c->channels) || !c->chunk) {
        rc = VIVA_ENOMEM;
        goto fail;
    }
    if (c->rate != AUDIO_RATE || c->channels != 1) {
        int e = 0;
        c->conv_len = frames_chunk + 256;
        c->fin = malloc(frames_chunk * sizeof *c->fin);
        c->fout = malloc(c->conv_len * sizeof *c->fout);
        c->conv = malloc(c->conv_len * sizeof *c->conv);
        c->src = src_new(SRC_SINC_FASTEST, 1, &e);
        if (!c->fin || !c->fout || !c->conv || !c->src) {
            rc = VIVA_ENOMEM;
            goto fail;
        }
        VLOG_I("audio", "\"%s\" does not take 16 kHz mono; capturing %d Hz x%d and converting",
               c->device, c->rate, c->channels);
    }
    level_meter_init(&c->lm, AUDIO_RATE, LEVEL_HZ, p->quiet_dbfs < 0 ? p->quiet_dbfs
                                                                     : LEVEL_QUIET_DBFS);
    vad_params vp;
    vad_params_default(&vp, AUDIO_RATE, p->silence_seconds);
    if (p->pause_seconds > 0)
        vp.pause_prompt = (int64_t)llround(p->pause_seconds * AUDIO_RATE);
    if (p->max_seconds > 0)
        vp.max_len = (int64_t)llround(p->max_seconds * AUDIO_RATE);
    vad_init(&c->v, &vp);
    atomic_store(&c->st_rms_centi, (int)(LEVEL_FLOOR_DBFS * 100));
    atomic_store(&c->st_peak_centi, (int)(LEVEL_FLOOR_DBFS * 100));

    PaError pe = Pa_OpenStream(&c->stream, &ip, NULL, c->rate, (unsigned long)(c->rate / 50),
                               paClipOff, capture_cb, c);
    if (pe != paNoError) {
        c->stream = NULL;
        rc = audio_pa_error(pe, "input", c->device, err, errlen);
        goto fail;
    }
    a->open_streams++;
    Pa_SetStreamFinishedCallback(c->stream, finished_cb);
    if (pthread_create(&c->writer, NULL, writer_main, c) != 0) {
        snprintf(err, errlen, "audio: cannot start the writer thread");
        rc = VIVA_ENOMEM;
        goto fail_stream;
    }
    c->writer_started = 1;
    pe = Pa_StartStream(c->stream);
    if (pe != paNoError) {
        rc = audio_pa_error(pe, "input", c->device, err, errlen);
        atomic_store(&c->stop_req, 1);
        pthread_join(c->writer, NULL);
        goto fail_stream;
    }
    VLOG_D("audio", "capturing from \"%s\" at %d Hz x%d", c->device, c->rate, c->channels);
    *out = c;
    return VIVA_OK;

fail_stream:
    Pa_CloseStream(c->stream);
    a->open_streams--;
fail:
    if (rc == VIVA_ENODEV || rc == VIVA_EBUSY || rc == VIVA_EIO)
        a->need_rescan = 1;
    capture_free(c);
    return rc;
}

void audio_capture_status(audio_capture *c, audio_status *st)
{
    st->ended = (audio_end)atomic_load_explicit(&c->st_ended, memory_order_acquire);
    st->rms_dbfs = atomic_load_explicit(&c->st_rms_centi, memory_order_relaxed) / 100.0f;
    st->peak_dbfs = atomic_load_explicit(&c->st_peak_centi, memory_order_relaxed) / 100.0f;
    int f = atomic_load_explicit(&c->st_flags, memory_order_relaxed);
    st->clipping = !!(f & FLAG_CLIP);
    st->too_quiet = !!(f & FLAG_QUIET);
    st->speaking = !!(f & FLAG_SPEAKING);
    st->paused = !!(f & FLAG_PAUSED) && st->ended == AUDIO_GOING;
    st->end_in = atomic_load_explicit(&c->st_end_in, memory_order_relaxed);
    st->frames = atomic_load_explicit(&c->st_frames, memory_order_relaxed);
    st->overruns = atomic_load_explicit(&c->st_overruns, memory_order_relaxed);
}

void audio_capture_request_end(audio_capture *c)
{
    atomic_store(&c->end_req, 1);
}

void audio_capture_inject_fault(audio_capture *c)
{
    atomic_store(&c->cb_fault, 1);
}

int audio_capture_stop(audio_capture *c, audio_result *res)
{
    if (!c)
        return VIVA_EINVAL;
    audio *a = c->a;
    if (c->discard_on_stop)
        atomic_store(&c->stop_req, 1); /* nothing more is wanted: the writer leaves at once */
    /* Stop the producer first, so the writer can empty the ring and finish. */
    atomic_store(&c->cb_stop, 1);
    PaError pe = Pa_IsStreamStopped(c->stream) == 1 ? paNoError : Pa_StopStream(c->stream);
    if (pe != paNoError && pe != paStreamIsStopped)
        VLOG_W("audio", "stopping \"%s\": %s", c->device, Pa_GetErrorText(pe));
    atomic_store(&c->stop_req, 1);
    pthread_join(c->writer, NULL);
    Pa_CloseStream(c->stream);
    a->open_streams--;

    if (c->reason == AUDIO_END_DEVICE_LOST) {
        a->need_rescan = 1;
        VLOG_W("audio", "%s", c->message);
    } else if (c->reason == AUDIO_END_SINK_FAILED) {
        VLOG_E("audio", "%s", c->message);
    }
    if (res) {
        const vad_timeline *tl = vad_get_timeline(&c->v);
        res->reason = c->reason;
        res->frames = c->delivered;
        res->timeline = *tl;
        vad_trim(tl, c->delivered, (int64_t)llround(VAD_MARGIN_SECONDS * AUDIO_RATE),
                 &res->trim_start, &res->trim_end);
        vad_timeline_stats(tl, AUDIO_RATE, &res->stats);
        res->overruns = (int64_t)ring_overruns(&c->ring);
        res->device_rate = c->rate;
        res->device_channels = c->channels;
        snprintf(res->device, sizeof res->device, "%s", c->device);
        snprintf(res->message, sizeof res->message, "%s", c->message);
    }
    int rc = c->err;
    capture_free(c);
    return rc;
}
