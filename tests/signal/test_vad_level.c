/* test_vad_level.c: the pure maths of src/core/level.h and vad.h on synthetic signals: dBFS
 * golden values, clipping and too-quiet flags, the adaptive floor in noise, the end-of-answer
 * rule (in samples), the time limit, trimming margins and the timeline statistics. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "level.h"
#include "vad.h"

#define RATE 16000

static uint32_t rng_state = 12345;
static double urand(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (rng_state >> 8) / 16777216.0;
}

/* Adds a tone burst of `amp` (full scale = 1) at [t0, t1) seconds; a crude voiced sound
 * (200 Hz with harmonics, 4 Hz syllable envelope). */
static void add_speech(int16_t *x, double t0, double t1, double amp)
{
    for (int64_t i = (int64_t)(t0 * RATE); i < (int64_t)(t1 * RATE); i++) {
        double t = (double)i / RATE;
        double env = 0.6 + 0.4 * sin(2 * M_PI * 4 * t);
        double v = sin(2 * M_PI * 200 * t) + 0.5 * sin(2 * M_PI * 400 * t) +
                   0.3 * sin(2 * M_PI * 600 * t);
        x[i] = (int16_t)lrint(x[i] + amp * env * v / 1.8 * 32767);
    }
}

static void add_noise(int16_t *x, size_t n, double amp)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (int16_t)lrint(x[i] + (urand() * 2 - 1) * amp * 32767);
}

static void test_level_golden(void)
{
    int16_t x[1600];
    for (int i = 0; i < 1600; i++)
        x[i] = (int16_t)lrint(16384 * sin(2 * M_PI * 1000 * i / RATE));
    double rms, peak;
    int clip;
    level_measure(x, 1600, &rms, &peak, &clip);
    /* A sine of amplitude 0.5: RMS = 0.5/sqrt(2) -> -9.03 dBFS, peak -6.02 dBFS. */
    CHECK_NEAR(rms, 20 * log10(0.5 / sqrt(2.0)), 0.01);
    CHECK_NEAR(peak, 20 * log10(16384 / 32768.0), 0.01);
    CHECK(!clip);
    int16_t zero[100] = {0};
    level_measure(zero, 100, &rms, &peak, &clip);
    CHECK_NEAR(rms, LEVEL_FLOOR_DBFS, 1e-9);
    CHECK_NEAR(peak, LEVEL_FLOOR_DBFS, 1e-9);
    int16_t full[4] = {32767, -32768, 0, 0};
    level_measure(full, 4, &rms, &peak, &clip);
    CHECK(clip);
    CHECK_NEAR(peak, 0.0, 0.001);
}

static void test_meter_flags(void)
{
    level_meter m;
    level_meter_init(&m, RATE, 25.0, -40.0);
    CHECK(m.window == 640);
    int16_t *x = calloc(RATE * 4, sizeof *x);
    /* 2 s at -50 dBFS, then one clipped sample, then loud. */
    add_noise(x, RATE * 2, 0.005);
    x[RATE * 2 + 10] = 32767;
    for (int i = RATE * 2 + 11; i < RATE * 4; i++)
        x[i] = (int16_t)lrint(8000 * sin(2 * M_PI * 300 * i / RATE));
    level_reading r;
    CHECK(level_meter_feed(&m, x, RATE * 2, &r) == 50);
    CHECK(r.too_quiet);
    CHECK(!r.clipping);
    CHECK(r.rms_dbfs < -45 && r.rms_dbfs > -60);
    CHECK(r.frame == RATE * 2);
    CHECK(level_meter_feed(&m, x + RATE * 2, 640, &r) == 1);
    CHECK(r.clipping);
    /* Held for a second, then gone; too-quiet clears as soon as a loud window arrives. */
    CHECK(level_meter_feed(&m, x + RATE * 2 + 640, 640 * 20, &r) == 20);
    CHECK(r.clipping);
    CHECK(!r.too_quiet);
    CHECK(level_meter_feed(&m, x + RATE * 2 + 640 * 21, 640 * 5, &r) == 5);
    CHECK(!r.clipping);
    /* Partial windows carry over. */
    level_meter m2;
    level_meter_init(&m2, RATE, 25.0, -40.0);
    CHECK(level_meter_feed(&m2, x, 600, &r) == 0);
    CHECK(level_meter_feed(&m2, x + 600, 100, &r) == 1);
    CHECK(r.frame == 640);
    free(x);
}

/* speech at [1, 3) and [3.8, 6) s, quiet noise everywhere; answer ends `silence` s after 6.0. */
static void run_vad_case(double noise_amp, double silence)
{
    size_t n = RATE * 14;
    int16_t *x = calloc(n, sizeof *x);
    add_noise(x, n, noise_amp);
    add_speech(x, 1.0, 3.0, 0.3);
    add_speech(x, 3.8, 6.0, 0.3);
    vad_params p;
    vad_params_default(&p, RATE, silence);
    vad v;
    vad_init(&v, &p);
    vad_end e = VAD_GOING;
    /* Feed in odd-sized pieces: the result must not depend on how the input is cut. */
    for (size_t i = 0; i < n && !e; i += 777)
        e = vad_feed(&v, x + i, i + 777 <= n ? 777 : n - i);
    CHECK(e == VAD_END_SILENCE);
    double end_s = (double)vad_end_frame(&v) / RATE;
    CHECK_MSG(fabs(end_s - (6.0 + silence)) <= 0.5, "noise %g: ended at %.3f s, want %.3f",
              noise_amp, end_s, 6.0 + silence);
    const vad_timeline *tl = vad_get_timeline(&v);
    CHECK(tl->nseg_total == 2);
    CHECK_NEAR((double)tl->first_speech / RATE, 1.0, 0.06);
    CHECK_NEAR((double)tl->last_speech_end / RATE, 6.0, 0.06);
    vad_stats st;
    vad_timeline_stats(tl, RATE, &st);
    CHECK_NEAR(st.talk_ms, 4200, 120);
    CHECK_NEAR(st.longest_pause_ms, 800, 80);
    CHECK_NEAR(st.first_word_ms, 1000, 60);
    CHECK(st.segments == 2);
    int64_t ts, te;
    vad_trim(tl, vad_end_frame(&v), (int64_t)(VAD_MARGIN_SECONDS * RATE), &ts, &te);
    CHECK_NEAR((double)ts / RATE, 0.7, 0.06);
    CHECK_NEAR((double)te / RATE, 6.3, 0.06);
    free(x);
}

static void test_vad_end_clean(void)
{
    run_vad_case(0.0, 4.0);
    run_vad_case(0.0, 2.0);
}

static void test_vad_end_noisy(void)
{
    run_vad_case(0.003, 4.0); /* about -50 dBFS of hiss */
    run_vad_case(0.02, 2.5);  /* about -34 dBFS: the floor must follow it */
}

static void test_vad_limit_and_nospeech(void)
{
    size_t n = RATE * 3;
    int16_t *x = calloc(n, sizeof *x);
    add_noise(x, n, 0.003);
    vad_params p;
    vad_params_default(&p, RATE, 1.0);
    p.max_len = RATE * 2;
    vad v;
    vad_init(&v, &p);
    CHECK(vad_feed(&v, x, n) == VAD_END_LIMIT);
    CHECK(vad_end_frame(&v) == RATE * 2);
    /* Silence alone never ends an answer by the silence rule: speech must come first. */
    const vad_timeline *tl = vad_get_timeline(&v);
    CHECK(tl->first_speech == -1);
    int64_t ts, te;
    vad_trim(tl, RATE * 2, RATE * 3 / 10, &ts, &te);
    CHECK(ts == 0 && te == RATE * 2);
    vad_stats st;
    vad_timeline_stats(tl, RATE, &st);
    CHECK(st.first_word_ms == -1 && st.talk_ms == 0 && st.segments == 0);
    free(x);
}

static void test_trim_clamps(void)
{
    vad_timeline tl = {0};
    tl.first_speech = 1000;
    tl.last_speech_end = 9000;
    int64_t s, e;
    vad_trim(&tl, 9500, 4800, &s, &e);
    CHECK(s == 0 && e == 9500);
    vad_trim(&tl, 20000, 800, &s, &e);
    CHECK(s == 200 && e == 9800);
}

/* A thinking pause: speech [1, 3), 7 s of silence, speech [10, 12). With the pause asked about
 * after 3 s and the answer ending 12 s after speech, the pause shows from 6 s to the second
 * half's start, does not end the answer, and the timeline holds both halves. */
static void test_vad_pause_resumes(void)
{
    size_t n = RATE * 30;
    int16_t *x = calloc(n, sizeof *x);
    add_noise(x, n, 0.003);
    add_speech(x, 1.0, 3.0, 0.3);
    add_speech(x, 10.0, 12.0, 0.3);
    vad_params p;
    vad_params_default(&p, RATE, 15.0);
    p.pause_prompt = 3 * RATE;
    vad v;
    vad_init(&v, &p);
    int64_t pause_on = -1, pause_off = -1;
    vad_end e = VAD_GOING;
    for (size_t i = 0; i + 320 <= n && !e; i += 320) {
        e = vad_feed(&v, x + i, 320);
        int64_t t = (int64_t)(i + 320);
        if (vad_paused(&v) && pause_on < 0)
            pause_on = t;
        if (!vad_paused(&v) && pause_on >= 0 && pause_off < 0)
            pause_off = t;
    }
    CHECK_MSG(pause_on >= 0 && fabs((double)pause_on / RATE - 6.0) <= 0.3,
              "pause shown at %.2f s, want 6.0", (double)pause_on / RATE);
    CHECK_MSG(pause_off >= 0 && fabs((double)pause_off / RATE - 10.0) <= 0.3,
              "pause over at %.2f s, want 10.0", (double)pause_off / RATE);
    CHECK(e == VAD_END_SILENCE);
    CHECK_NEAR((double)vad_end_frame(&v) / RATE, 27.0, 0.3);
    CHECK(vad_paused(&v)); /* the pause ran out into the end: never "speech again" */
    const vad_timeline *tl = vad_get_timeline(&v);
    CHECK(tl->nseg_total == 2);
    CHECK_NEAR((double)tl->longest_pause / RATE, 7.0, 0.1);
    free(x);
}

/* level_normalise: a recording with peaks near -46 dBFS is amplified (its loud parts reach
 * about -6 dBFS) and flagged quiet; a normal one and digital silence are left alone; a quiet
 * steady hiss with no speech is not amplified; a clipping one is flagged, not changed. */
static void test_normalise(void)
{
    enum { N = 4 * RATE };
    int16_t *x = calloc(N, sizeof *x), *y = calloc(N, sizeof *y);
    level_norm m;
    /* quiet speech: bursts at 0.005 of full scale (-46 dBFS) between silences */
    add_speech(x, 0.5, 1.5, 0.005);
    add_speech(x, 2.0, 3.2, 0.005);
    CHECK(level_normalise(x, N, &m) == 1);
    CHECK(m.quiet && !m.clipped);
    CHECK_MSG(m.loud_dbfs < -40 && m.loud_dbfs > -52, "loud parts at %.1f dBFS", m.loud_dbfs);
    double rms, peak;
    int clipped;
    level_measure(x, N, &rms, &peak, &clipped);
    CHECK_MSG(peak > -9 && peak < -3, "peak after normalising %.1f dBFS", peak);
    CHECK(!clipped);

    /* the same at a normal level: nothing to do */
    for (size_t i = 0; i < N; i++)
        y[i] = 0;
    add_speech(y, 0.5, 1.5, 0.3);
    add_speech(y, 2.0, 3.2, 0.3);
    CHECK(level_normalise(y, N, &m) == 0);
    CHECK(!m.quiet && !m.clipped && m.gain_db == 0);

    /* digital silence, and a steady hiss at -50 dBFS: nothing to amplify */
    for (size_t i = 0; i < N; i++)
        y[i] = 0;
    CHECK(level_normalise(y, N, &m) == 0 && !m.quiet);
    add_noise(y, N, 0.003);
    CHECK(level_normalise(y, N, &m) == 0);
    CHECK_MSG(!m.quiet, "a hiss was taken for quiet speech (%.1f dBFS)", m.loud_dbfs);

    /* a hot microphone: 20 dB too loud, clipped */
    for (size_t i = 0; i < N; i++)
        y[i] = 0;
    add_speech(y, 0.5, 3.5, 0.9);
    for (size_t i = 0; i < N; i++) {
        double v = y[i] * 10.0;
        y[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
    int16_t before = y[RATE];
    CHECK(level_normalise(y, N, &m) == 0);
    CHECK(m.clipped && !m.quiet);
    CHECK(y[RATE] == before);
    free(x);
    free(y);
}

int main(void)
{
    RUN(test_level_golden);
    RUN(test_meter_flags);
    RUN(test_vad_end_clean);
    RUN(test_vad_end_noisy);
    RUN(test_vad_limit_and_nospeech);
    RUN(test_trim_clamps);
    RUN(test_vad_pause_resumes);
    RUN(test_normalise);
    return check_summary("vad_level");
}
