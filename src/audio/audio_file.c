/* audio_file.c: audio files through libsndfile: a sink that writes 16 kHz mono WAV or FLAC
 * (used by `viva audio record`), and loading any file as 16 kHz mono (used by `viva audio
 * play`), converting with libsamplerate. */
#include <math.h>
#include <samplerate.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "verr.h"

struct audio_file_sink {
    SNDFILE *f;
    char path[512];
    int failed;
    char why[160];
};

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

int audio_file_sink_open(const char *path, audio_file_sink **out, char *err, size_t errlen)
{
    SF_INFO info = {0};
    info.samplerate = AUDIO_RATE;
    info.channels = 1;
    info.format = (ends_with(path, ".flac") ? SF_FORMAT_FLAC : SF_FORMAT_WAV) | SF_FORMAT_PCM_16;
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    if (!f) {
        snprintf(err, errlen, "audio: cannot create %s: %s", path, sf_strerror(NULL));
        return VIVA_EIO;
    }
    audio_file_sink *fs = calloc(1, sizeof *fs);
    if (!fs) {
        sf_close(f);
        return VIVA_ENOMEM;
    }
    fs->f = f;
    snprintf(fs->path, sizeof fs->path, "%s", path);
    *out = fs;
    return VIVA_OK;
}

static int sink_write(void *ctx, const int16_t *pcm, size_t frames)
{
    audio_file_sink *fs = ctx;
    sf_count_t n = sf_write_short(fs->f, pcm, (sf_count_t)frames);
    if (n != (sf_count_t)frames) {
        fs->failed = 1;
        snprintf(fs->why, sizeof fs->why, "%s", sf_strerror(fs->f));
        return VIVA_EIO;
    }
    return VIVA_OK;
}

audio_sink audio_file_sink_get(audio_file_sink *fs)
{
    return (audio_sink){fs, sink_write};
}

int audio_file_sink_close(audio_file_sink *fs, char *err, size_t errlen)
{
    if (!fs)
        return VIVA_OK;
    int rc = VIVA_OK;
    if (fs->failed) {
        snprintf(err, errlen, "audio: writing %s failed: %s", fs->path, fs->why);
        rc = VIVA_EIO;
    }
    if (sf_close(fs->f) != 0 && rc == VIVA_OK) {
        snprintf(err, errlen, "audio: finishing %s failed", fs->path);
        rc = VIVA_EIO;
    }
    free(fs);
    return rc;
}

int audio_file_load(const char *path, int16_t **pcm, size_t *frames, char *err, size_t errlen)
{
    SF_INFO info = {0};
    *pcm = NULL;
    *frames = 0;
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f) {
        snprintf(err, errlen, "audio: cannot read %s: %s", path, sf_strerror(NULL));
        return VIVA_EIO;
    }
    int rc = VIVA_OK;
    size_t n = (size_t)info.frames, ch = (size_t)info.channels;
    float *all = malloc((n ? n : 1) * ch * sizeof *all);
    float *mono = malloc((n ? n : 1) * sizeof *mono);
    float *conv = NULL;
    if (!all || !mono) {
        rc = VIVA_ENOMEM;
        goto out;
    }
    sf_count_t got = sf_readf_float(f, all, (sf_count_t)n);
    n = got > 0 ? (size_t)got : 0;
    for (size_t i = 0; i < n; i++) {
        float s = 0.0f;
        for (size_t c = 0; c < ch; c++)
            s += all[i * ch + c];
        mono[i] = s / (float)ch;
    }
    const float *src = mono;
    size_t out_n = n;
    if (info.samplerate != AUDIO_RATE && n > 0) {
        double ratio = (double)AUDIO_RATE / info.samplerate;
        size_t cap = (size_t)(n * ratio) + 64;
        conv = malloc(cap * sizeof *conv);
        if (!conv) {
            rc = VIVA_ENOMEM;
            goto out;
        }
        SRC_DATA d = {mono, conv, (long)n, (long)cap, 0, 0, 1, ratio};
        int e = src_simple(&d, SRC_SINC_MEDIUM_QUALITY, 1);
        if (e) {
            snprintf(err, errlen, "audio: converting %s from %d Hz failed: %s", path,
                     info.samplerate, src_strerror(e));
            rc = VIVA_EIO;
            goto out;
        }
        src = conv;
        out_n = (size_t)d.output_frames_gen;
    }
    *pcm = malloc((out_n ? out_n : 1) * sizeof **pcm);
    if (!*pcm) {
        rc = VIVA_ENOMEM;
        goto out;
    }
    /* libsndfile reads 16-bit PCM as s / 32768, so this gives back the exact samples. */
    for (size_t i = 0; i < out_n; i++) {
        float v = src[i] * 32768.0f;
        (*pcm)[i] = (int16_t)(v > 32767.0f ? 32767 : v < -32768.0f ? -32768 : lrintf(v));
    }
    *frames = out_n;
out:
    free(conv);
    free(mono);
    free(all);
    sf_close(f);
    return rc;
}
