/* audio_play.c: playback of an in-memory recording. The PortAudio callback does all the work
 * on buffers allocated at open: plain copy at 1x when the device takes the recording's rate
 * (bit-exact), WSOLA for other speeds, libsamplerate when the device needs another rate.
 * The main thread steers it through atomics (seek request, speed) and by starting/stopping the
 * stream (play/pause); the callback publishes the position and the end. */
#include <math.h>
#include <samplerate.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_int.h"
#include "verr.h"
#include "vlog.h"
#include "wsola.h"

#define STAGE 256 /* source-rate samples made per step on the converting path */

/* Positions shared with the callback are `long`, the native word, so their atomics are
 * lock-free on 32-bit ARM too (2^31 samples = 37 hours at 16 kHz). */
struct audio_player {
    audio *a;
    PaStream *stream;
    char device[128];
    int16_t *pcm;
    int64_t len;
    int rate;                  /* of the recording */
    int dev_rate, dev_channels;
    unsigned long block;       /* frames per callback */

    _Atomic long pos;     /* next source sample (callback writes while running) */
    _Atomic long seek_req; /* -1 = none */
    _Atomic int speed_milli;
    _Atomic int finished;

    /* callback-owned */
    wsola w;
    int wsola_on;
    float *stage;              /* source-rate floats waiting for the resampler */
    int stage_len, stage_pos;
    float *mono;               /* device-rate mono floats, one block */
    SRC_STATE *src;
};

/* Source-rate samples from the current position: plain copy at 1x, WSOLA otherwise.
 * Returns how many real samples were made (the rest of dst is zeros). */
static size_t make_source(audio_player *p, float *dst, size_t n, double speed)
{
    long long pos = atomic_load_explicit(&p->pos, memory_order_relaxed);
    if (speed == 1.0) {
        p->wsola_on = 0;
        long long left = pos >= p->len ? 0 : p->len - pos;
        size_t k = left < (long long)n ? (size_t)left : n;
        for (size_t i = 0; i < k; i++)
            dst[i] = p->pcm[pos + (long long)i] / 32768.0f;
        memset(dst + k, 0, (n - k) * sizeof *dst);
        atomic_store_explicit(&p->pos, pos + (long long)k, memory_order_relaxed);
        return k;
    }
    if (!p->wsola_on) {
        wsola_reset(&p->w, pos);
        p->wsola_on = 1;
    }
    if (pos >= p->len) {
        memset(dst, 0, n * sizeof *dst);
        return 0;
    }
    double ana = wsola_run(&p->w, p->pcm, p->len, speed, dst, n);
    long long np = (long long)ana;
    atomic_store_explicit(&p->pos, np > p->len ? p->len : np, memory_order_relaxed);
    return n;
}

static void to_int16(const float *src, int16_t *dst, size_t frames, int channels)
{
    for (size_t i = 0; i < frames; i++) {
        float v = src[i] * 32768.0f;
        int16_t s = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : lrintf(v));
        for (int c = 0; c < channels; c++)
            dst[i * (size_t)channels + (size_t)c] = s;
    }
}

static int play_cb(const void *in, void *out, unsigned long frames,
                   const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *ud)
{
    audio_player *p = ud;
    int16_t *o = out;
    (void)in, (void)ti, (void)flags;
    long long seek = atomic_exchange_explicit(&p->seek_req, -1, memory_order_acq_rel);
    if (seek >= 0) {
        atomic_store_explicit(&p->pos, seek, memory_order_relaxed);
        p->wsola_on = 0;
        p->stage_len = p->stage_pos = 0;
        if (p->src)
            src_reset(p->src);
    }
    double speed = atomic_load_explicit(&p->speed_milli, memory_order_relaxed) / 1000.0;
    int ch = p->dev_channels;
    long long pos = atomic_load_explicit(&p->pos, memory_order_relaxed);

    if (pos >= p->len) {
        memset(o, 0, frames * (size_t)ch * sizeof *o);
        atomic_store(&p->finished, 1);
        return paComplete;
    }
    if (speed == 1.0 && p->dev_rate == p->rate) {
        /* Bit-exact path. */
        size_t k = p->len - pos < (long long)frames ? (size_t)(p->len - pos) : frames;
        for (size_t i = 0; i < k; i++)
            for (int c = 0; c < ch; c++)
                o[i * (size_t)ch + (size_t)c] = p->pcm[pos + (long long)i];
        memset(o + k * (size_t)ch, 0, (frames - k) * (size_t)ch * sizeof *o);
        atomic_store_explicit(&p->pos, pos + (long long)k, memory_order_relaxed);
        p->wsola_on = 0;
        return paContinue;
    }
    if (p->dev_rate == p->rate) {
        make_source(p, p->mono, frames, speed);
        to_int16(p->mono, o, frames, ch);
        return paContinue;
    }
    /* Converting path: source-rate stage -> resampler -> device-rate block. */
    SRC_DATA d = {0};
    d.src_ratio = (double)p->dev_rate / p->rate;
    size_t made = 0;
    int guard = 64;
    while (made < frames && guard-- > 0) {
        if (p->stage_pos == p->stage_len) {
            make_source(p, p->stage, STAGE, speed);
            p->stage_len = STAGE;
            p->stage_pos = 0;
        }
        d.data_in = p->stage + p->stage_pos;
        d.input_frames = p->stage_len - p->stage_pos;
        d.data_out = p->mono + made;
        d.output_frames = (long)(frames - made);
        if (src_process(p->src, &d))
            break;
        p->stage_pos += (int)d.input_frames_used;
        made += (size_t)d.output_frames_gen;
    }
    if (made < frames)
        memset(p->mono + made, 0, (frames - made) * sizeof *p->mono);
    to_int16(p->mono, o, frames, ch);
    return paContinue;
}

static void player_free(audio_player *p)
{
    wsola_free(&p->w);
    free(p->pcm);
    free(p->stage);
    free(p->mono);
    if (p->src)
        src_delete(p->src);
    free(p);
}

int audio_player_open(audio *a, const char *device, const int16_t *pcm, size_t frames, int rate,
                      audio_player **out, char *err, size_t errlen)
{
    *out = NULL;
    if (rate < 1000 || rate > 192000) {
        snprintf(err, errlen, "audio: cannot play a recording at %d Hz", rate);
        return VIVA_EINVAL;
    }
    audio_rescan_if_needed(a);
    PaDeviceIndex idx;
    int rc = audio_find_device(a, device, 0, &idx, err, errlen);
    if (rc) {
        a->need_rescan = 1;
        return rc;
    }
    audio_player *p = calloc(1, sizeof *p);
    if (!p)
        return VIVA_ENOMEM;
    p->a = a;
    p->rate = rate;
    p->len = (int64_t)frames;
    p->pcm = malloc((frames ? frames : 1) * sizeof *pcm);
    if (!p->pcm) {
        free(p);
        return VIVA_ENOMEM;
    }
    if (frames)
        memcpy(p->pcm, pcm, frames * sizeof *pcm);
    atomic_init(&p->pos, 0);
    atomic_init(&p->seek_req, -1);
    atomic_init(&p->speed_milli, 1000);
    atomic_init(&p->finished, 0);
    const PaDeviceInfo *di = Pa_GetDeviceInfo(idx);
    snprintf(p->device, sizeof p->device, "%s", di->name);

    /* The recording's rate if the device takes it, else the device's own; mono, else stereo. */
    PaStreamParameters op = {idx, 1, paInt16, di->defaultHighOutputLatency, NULL};
    double rates[2] = {rate, di->defaultSampleRate};
    PaError pe = paInvalidSampleRate;
    for (int r = 0; r < 2 && pe != paFormatIsSupported; r++)
        for (int ch = 1; ch <= 2 && ch <= di->maxOutputChannels; ch++) {
            op.channelCount = ch;
            pe = Pa_IsFormatSupported(NULL, &op, rates[r]);
            if (pe == paFormatIsSupported) {
                p->dev_rate = (int)rates[r];
                p->dev_channels = ch;
                break;
            }
        }
    if (pe != paFormatIsSupported) {
        rc = pe == paDeviceUnavailable ? audio_pa_error(pe, "output", p->device, err, errlen)
                                       : VIVA_EINVAL;
        if (rc == VIVA_EINVAL)
            snprintf(err, errlen, "audio: output device \"%s\" supports neither %d Hz nor its "
                     "own %.0f Hz with 16-bit mono or stereo samples", p->device, rate,
                     di->defaultSampleRate);
        goto fail;
    }
    p->block = (unsigned long)(p->dev_rate / 100);
    p->mono = malloc(p->block * sizeof *p->mono);
    p->stage = malloc(STAGE * sizeof *p->stage);
    if (!p->mono || !p->stage || wsola_init(&p->w, rate)) {
        rc = VIVA_ENOMEM;
        goto fail;
    }
    if (p->dev_rate != rate) {
        int e = 0;
        p->src = src_new(SRC_SINC_FASTEST, 1, &e);
        if (!p->src) {
            rc = VIVA_ENOMEM;
            goto fail;
        }
    }
    pe = Pa_OpenStream(&p->stream, NULL, &op, p->dev_rate, p->block,
                       paClipOff | paPrimeOutputBuffersUsingStreamCallback, play_cb, p);
    if (pe != paNoError) {
        rc = audio_pa_error(pe, "output", p->device, err, errlen);
        goto fail;
    }
    a->open_streams++;
    *out = p;
    return VIVA_OK;
fail:
    if (rc == VIVA_EBUSY)
        a->need_rescan = 1;
    player_free(p);
    return rc;
}

int audio_player_play(audio_player *p)
{
    if (Pa_IsStreamActive(p->stream) == 1)
        return VIVA_OK;
    if (Pa_IsStreamStopped(p->stream) == 0)
        Pa_StopStream(p->stream); /* it completed by itself: reset before starting again */
    if (atomic_load(&p->finished) && atomic_load(&p->seek_req) < 0)
        atomic_store(&p->seek_req, 0);
    atomic_store(&p->finished, 0);
    PaError pe = Pa_StartStream(p->stream);
    if (pe != paNoError) {
        char err[256];
        int rc = audio_pa_error(pe, "output", p->device, err, sizeof err);
        VLOG_E("audio", "%s", err);
        p->a->need_rescan = 1;
        return rc;
    }
    return VIVA_OK;
}

void audio_player_pause(audio_player *p)
{
    if (Pa_IsStreamStopped(p->stream) == 0)
        Pa_StopStream(p->stream);
}

int audio_player_playing(audio_player *p)
{
    return Pa_IsStreamActive(p->stream) == 1;
}

int64_t audio_player_position(audio_player *p)
{
    long long s = atomic_load(&p->seek_req);
    return s >= 0 ? s : atomic_load(&p->pos);
}

int64_t audio_player_length(audio_player *p)
{
    return p->len;
}

void audio_player_seek_to(audio_player *p, int64_t frame)
{
    if (frame < 0)
        frame = 0;
    if (frame > p->len)
        frame = p->len;
    atomic_store(&p->seek_req, (long)frame);
    atomic_store(&p->finished, 0);
}

void audio_player_seek(audio_player *p, double seconds)
{
    audio_player_seek_to(p, audio_player_position(p) + (int64_t)llround(seconds * p->rate));
}

void audio_player_set_speed(audio_player *p, double speed)
{
    if (!(speed >= AUDIO_SPEED_MIN))
        speed = AUDIO_SPEED_MIN;
    if (speed > AUDIO_SPEED_MAX)
        speed = AUDIO_SPEED_MAX;
    atomic_store(&p->speed_milli, (int)lround(speed * 1000.0));
}

int audio_player_finished(audio_player *p)
{
    return atomic_load(&p->finished);
}

void audio_player_close(audio_player *p)
{
    if (!p)
        return;
    if (Pa_IsStreamStopped(p->stream) == 0)
        Pa_StopStream(p->stream);
    Pa_CloseStream(p->stream);
    p->a->open_streams--;
    player_free(p);
}
