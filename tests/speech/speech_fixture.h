/* speech_fixture.h: helpers shared by the speech tests. Spoken fixtures are made at test time
 * with the flite command-line tool (several voices) and sox, as 16 kHz mono raw files in the
 * build directory (the format the virtual microphone of virtual-audio.conf reads); a capture
 * through real PortAudio feeds the command recogniser from its sink, as the kiosk will.
 * Header-only; each test includes it once. */
#ifndef VIVA_SPEECH_FIXTURE_H
#define VIVA_SPEECH_FIXTURE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "check.h"
#include "speech_cmd.h"

#define RATE 16000

static const char *const fixture_voices[] = {"slt", "rms", "awb", "kal16"};
#define N_VOICES 4

static inline int speech_tools_ok(void)
{
    return system("command -v flite >/dev/null 2>&1 && command -v sox >/dev/null 2>&1") == 0;
}

static inline int16_t *read_raw(const char *path, size_t *n)
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

/* Speaks `text` (no double quotes) with flite's `voice` at duration stretch `stretch` into
 * `raw` (16 kHz mono s16le) unless that file exists already (fixtures are reused between runs;
 * delete the build directory's *.raw to remake them). Returns the samples (malloc'd). */
static inline int16_t *flite_raw(const char *voice, const char *text, double stretch, const char *raw,
                          size_t *n)
{
    if (access(raw, R_OK) != 0) {
        char cmd[8192];
        snprintf(cmd, sizeof cmd,
                 "flite -voice %s --setf duration_stretch=%.2f -t \"%s\" -o %s.wav && "
                 "sox %s.wav -r 16000 -c 1 -b 16 -e signed-integer -t raw %s.tmp && "
                 "mv %s.tmp %s && rm -f %s.wav",
                 voice, stretch, text, raw, raw, raw, raw, raw, raw);
        if (system(cmd) != 0)
            return NULL;
    }
    return read_raw(raw, n);
}

/* Where the speech of x[0..n) lies: first and last sample above -40 dBFS. */
static inline void speech_bounds(const int16_t *x, size_t n, int64_t *s0, int64_t *s1)
{
    *s0 = -1;
    *s1 = -1;
    for (size_t i = 0; i < n; i++)
        if (abs(x[i]) > 328) {
            if (*s0 < 0)
                *s0 = (int64_t)i;
            *s1 = (int64_t)i + 1;
        }
}

/* A growable sample buffer. */
typedef struct {
    int16_t *x;
    size_t n, cap;
} pcm_buf;

static inline void buf_add(pcm_buf *b, const int16_t *x, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + RATE;
        b->x = realloc(b->x, b->cap * sizeof *b->x);
    }
    if (x)
        memcpy(b->x + b->n, x, n * sizeof *x);
    else
        memset(b->x + b->n, 0, n * sizeof *x);
    b->n += n;
}

/* Adds quiet white noise (amplitude `amp` of full scale) so that no stretch is digital
 * silence, as with a real microphone. */
static inline void buf_noise(pcm_buf *b, double amp, uint32_t seed)
{
    for (size_t i = 0; i < b->n; i++) {
        seed = seed * 1664525u + 1013904223u;
        double v = b->x[i] + ((seed >> 8) / 8388608.0 - 1.0) * amp * 32767;
        b->x[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

/* The sink of a capture: keeps the samples and feeds the recogniser (writer thread). */
typedef struct {
    speech_cmd *rec;
    pcm_buf got;
    speech_cmd_hit hits[256];
    int nhits;
} rec_sink;

static inline int rec_write(void *ctx, const int16_t *pcm, size_t frames)
{
    rec_sink *s = ctx;
    buf_add(&s->got, pcm, frames);
    if (s->rec && s->nhits < 256)
        s->nhits += speech_cmd_feed(s->rec, pcm, frames, s->hits + s->nhits, 256 - s->nhits);
    return 0;
}

static inline void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Captures `frames` samples of `raw` from the virtual microphone through PortAudio into `s`.
 * Returns 0 or the error of audio_capture_start (message in err). */
static inline int capture_file(audio *a, const char *raw, size_t frames, rec_sink *s, char *err,
                        size_t errlen)
{
    setenv("TEST_MIC_RAW", raw, 1);
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.max_seconds = (double)frames / RATE;
    p.ring_seconds = (double)frames / RATE + 5; /* the file device is not paced */
    p.sink = (audio_sink){s, rec_write};
    audio_capture *c;
    int rc = audio_capture_start(a, &p, &c, err, errlen);
    if (rc)
        return rc;
    audio_status st = {0};
    for (check_deadline d = check_deadline_in(120); !st.ended && !check_deadline_passed(d);) {
        audio_capture_status(c, &st);
        sleep_ms(2);
    }
    return audio_capture_stop(c, NULL);
}

#endif
