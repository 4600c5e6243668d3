/* audio_fixture.h: helpers shared by the audio tests: spoken fixtures made at test time with
 * espeak-ng and sox (16 kHz mono raw, the format the virtual microphone reads), a memory sink,
 * and normalised cross-correlation. Header-only; each test includes it once. */
#ifndef VIVA_AUDIO_FIXTURE_H
#define VIVA_AUDIO_FIXTURE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

static inline int fixture_tools_ok(void)
{
    return system("command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1") == 0;
}

static int16_t *read_raw(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    int16_t *x = malloc((size_t)bytes + 2);
    *n = fread(x, 2, (size_t)bytes / 2, f);
    fclose(f);
    return x;
}

static inline int write_raw(const char *path, const int16_t *x, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(x, 2, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

/* Speaks `text` into <name>.raw: `before` s of silence, the speech, `after` s of silence, and
 * white noise of amplitude `noise` (full scale 1) over all of it. Returns the samples (malloc'd)
 * and their count, and where the speech starts and ends (first/last sample above -40 dBFS). */
static int16_t *make_fixture(const char *name, const char *text, double before, double after,
                             double noise, size_t *n, int64_t *sp_start, int64_t *sp_end)
{
    char cmd[1024], raw[256];
    snprintf(raw, sizeof raw, "%s.raw", name);
    snprintf(cmd, sizeof cmd,
             "espeak-ng -s 165 -w %s.wav \"%s\" && sox %s.wav -r 16000 -c 1 -b 16 "
             "-e signed-integer -t raw %s pad %.3f %.3f",
             name, text, name, raw, before, after);
    if (system(cmd) != 0)
        return NULL;
    int16_t *x = read_raw(raw, n);
    if (!x)
        return NULL;
    *sp_start = -1;
    *sp_end = -1;
    for (size_t i = 0; i < *n; i++)
        if (abs(x[i]) > 328) {
            if (*sp_start < 0)
                *sp_start = (int64_t)i;
            *sp_end = (int64_t)i + 1;
        }
    uint32_t seed = 4242;
    for (size_t i = 0; noise > 0 && i < *n; i++) {
        seed = seed * 1664525u + 1013904223u;
        double v = x[i] + ((seed >> 8) / 8388608.0 - 1.0) * noise * 32767;
        x[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : lrint(v));
    }
    if (write_raw(raw, x, *n)) {
        free(x);
        return NULL;
    }
    return x;
}

/* Normalised cross-correlation of a[0..n) and b[0..n). */
static inline double ncc(const int16_t *a, const int16_t *b, size_t n)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        ab += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0.0;
}

/* A growable buffer of samples; write() runs on the capture's writer thread, the test reads it
 * after audio_capture_stop (which joins that thread). */
typedef struct {
    int16_t *x;
    size_t n, cap;
    size_t fail_after; /* 0 = never fail; else return an error once n would pass it */
} mem_sink;

static inline int mem_write(void *ctx, const int16_t *pcm, size_t frames)
{
    mem_sink *m = ctx;
    if (m->fail_after && m->n + frames > m->fail_after)
        return 2; /* VIVA_EIO */
    if (m->n + frames > m->cap) {
        m->cap = (m->n + frames) * 2;
        m->x = realloc(m->x, m->cap * sizeof *m->x);
    }
    memcpy(m->x + m->n, pcm, frames * sizeof *pcm);
    m->n += frames;
    return 0;
}

static inline void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

#endif
