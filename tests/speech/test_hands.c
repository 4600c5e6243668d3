/* test_hands.c: hands.h (src/speech) with its flite+pocketsphinx backend through real
 * PortAudio on the virtual devices (virtual-audio.conf). A question is read aloud into the virtual speaker's WAV; spoken commands on the virtual
 * microphone reach the callback with their positions, only when their bit is in the mask; the
 * answer path spots the end phrase and nothing else; silencing and replacing speech work; and
 * closing in the middle of listening or synthesis is clean. Wall-clock times (synthesis,
 * silence, close) are printed, never asserted; every wait is for an event, its guard scaled by
 * the suite's time scale (check_seconds: more under qemu or on a loaded machine). */
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "check.h"
#include "hands.h"
#include "speech_cmd.h"
#include "speech_fixture.h"
#include "speech_tts.h"
#include "verr.h"
#include "vlog.h"

/* About 30 words, as long as a real question. */
static const char *question =
    "Explain how a hash table handles collisions, compare separate chaining with open "
    "addressing, and describe what happens to lookups as the load factor grows toward one, "
    "and why resizing helps.";

static char err[1024];
static audio *a;
static hands_cfg cfg;
static hands *h;
/* Reference lengths, synthesised before the shared handle opens: flite keeps one object per
 * voice, so a second handle of the same voice must not be closed while another is in use
 * (the secondary handles below use other voices for that reason). */
static const char *second = "Second thoughts.";
static size_t question_frames, second_frames;
static double synth_seconds;

static void log_stderr(vlog_level level, const char *module, const char *message)
{
    fprintf(stderr, "%s %s: %s\n", vlog_level_name(level), module, message);
}

static double now_s(void)
{
    return check_now();
}

static long wav_frames(const char *path)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f)
        return -1;
    sf_close(f);
    return info.samplerate == RATE && info.channels == 1 ? (long)info.frames : -2;
}

/* Ticks like the kiosk's frame loop until the speech is over; returns the seconds it took or
 * -1 after `guard` seconds (scaled). The tick comes first: it closes a finished player, which is when
 * the virtual speaker completes its WAV. */
static double tick_until_quiet(hands *x, double guard)
{
    double t0 = now_s();
    check_deadline d = check_deadline_in(guard);
    for (;;) {
        hands_tick(x);
        if (!hands_speaking(x))
            return now_s() - t0;
        if (check_deadline_passed(d))
            return -1;
        sleep_ms(10);
    }
}

/* Samples flite makes for `text` with the configured voice. */
static size_t reference_frames(speech_tts *t, const char *text, double *seconds)
{
    int16_t *x = NULL;
    size_t n = 0;
    double t0 = now_s();
    speech_tts_say(t, text, &x, &n, err, sizeof err);
    if (seconds)
        *seconds = now_s() - t0;
    free(x);
    return n;
}

/* What the command callback saw (it runs on a capture's writer thread). */
typedef struct {
    pthread_mutex_t m;
    hands_hit hits[32];
    int n;
} collector;

static collector col = {PTHREAD_MUTEX_INITIALIZER, {{0}}, 0};

static void collect(void *ctx, const hands_hit *hit)
{
    collector *c = ctx;
    pthread_mutex_lock(&c->m);
    if (c->n < 32)
        c->hits[c->n++] = *hit;
    pthread_mutex_unlock(&c->m);
}

static void collector_clear(collector *c)
{
    pthread_mutex_lock(&c->m);
    c->n = 0;
    pthread_mutex_unlock(&c->m);
}

/* The first hit for `cmd`, copied into *out; 0 if none. */
static int collector_find(collector *c, int cmd, hands_hit *out)
{
    int found = 0;
    pthread_mutex_lock(&c->m);
    for (int i = 0; i < c->n && !found; i++)
        if (c->hits[i].cmd == cmd) {
            *out = c->hits[i];
            found = 1;
        }
    pthread_mutex_unlock(&c->m);
    return found;
}

static void test_open(void)
{
    hands_cfg off = cfg;
    off.speak = 0;
    off.listen = 0;
    hands *x = (hands *)1;
    CHECK(hands_open(&off, a, &x, err, sizeof err) != 0);
    CHECK(x == NULL && err[0]);

    /* One half failing leaves the other working, with a sentence about it. */
    hands_cfg bad = cfg;
    snprintf(bad.voice, sizeof bad.voice, "hal9000");
    CHECK(hands_open(&bad, a, &x, err, sizeof err) == 0);
    CHECK_MSG(strstr(err, "hal9000") != NULL, "%s", err);
    CHECK(!hands_can_speak(x) && hands_can_listen(x));
    char e2[256];
    CHECK(hands_say(x, "hello", e2, sizeof e2) != 0);
    CHECK(!hands_speaking(x));
    hands_close(x);

    bad.listen = 0;
    CHECK(hands_open(&bad, a, &x, err, sizeof err) == VIVA_EINVAL);
    CHECK(x == NULL);

    CHECK_STR(hands_phrase(SPEECH_CMD_NEXT), speech_cmd_phrase(SPEECH_CMD_NEXT));
    CHECK_STR(hands_phrase(SPEECH_CMD_NONE), "");
}

static void test_say(void)
{
    size_t ref = question_frames;
    CHECK(ref > 2 * RATE);
    setenv("TEST_SPK_WAV", "hands_say.wav", 1);
    unlink("hands_say.wav");
    CHECK(hands_say(h, question, err, sizeof err) == 0);
    CHECK(hands_speaking(h));
    double t = tick_until_quiet(h, 20);
    CHECK_MSG(t >= 0, "still speaking after %.0f s", check_seconds(20));
    long n = wav_frames("hands_say.wav");
    CHECK_MSG(n > RATE, "the speaker got %ld samples", n);
    /* flite varies by a few samples between runs, the player may round to its block */
    CHECK_MSG(labs(n - (long)ref) < RATE / 5, "the speaker got %ld samples, flite made %zu", n,
              ref);
    printf("a %zu-character question: %.2f s of speech, synthesised in %.2f s; say to silence "
           "took %.2f s\n",
           strlen(question), (double)ref / RATE, synth_seconds, t);

    /* Empty text is said at once. */
    CHECK(hands_say(h, "", err, sizeof err) == 0);
    CHECK(tick_until_quiet(h, 20) >= 0);
}

/* Speech with silence around it on the virtual microphone: "moving on", then "skip ahead". */
static pcm_buf mic;
static int64_t next_s0, next_s1, skip_s0;

static int make_mic(void)
{
    size_t n1, n2;
    int16_t *x1 = flite_raw("slt", speech_cmd_phrase(SPEECH_CMD_NEXT), 1.0, "hands_next.raw", &n1);
    int16_t *x2 = flite_raw("slt", speech_cmd_phrase(SPEECH_CMD_SKIP), 1.0, "hands_skip.raw", &n2);
    if (!x1 || !x2) {
        free(x1);
        free(x2);
        return -1;
    }
    int64_t s0, s1;
    buf_add(&mic, NULL, RATE);
    speech_bounds(x1, n1, &s0, &s1);
    next_s0 = (int64_t)mic.n + s0;
    next_s1 = (int64_t)mic.n + s1;
    buf_add(&mic, x1, n1);
    buf_add(&mic, NULL, RATE);
    speech_bounds(x2, n2, &s0, &s1);
    skip_s0 = (int64_t)mic.n + s0;
    buf_add(&mic, x2, n2);
    buf_add(&mic, NULL, RATE * 3 / 2);
    buf_noise(&mic, 0.003, 11);
    free(x1);
    free(x2);
    return write_raw("hands_mic.raw", mic.x, mic.n);
}

/* Ticks until the collector holds `cmd` or `guard` seconds (scaled) pass. */
static int wait_for(int cmd, double guard, hands_hit *hit)
{
    check_deadline d = check_deadline_in(guard);
    while (!collector_find(&col, cmd, hit)) {
        if (check_deadline_passed(d))
            return 0;
        hands_tick(h);
        sleep_ms(10);
    }
    return 1;
}

static void test_listen(void)
{
    if (!speech_tools_ok())
        SKIP("flite or sox is not installed (Debian packages flite, sox)");
    CHECK(make_mic() == 0);
    setenv("TEST_MIC_RAW", "hands_mic.raw", 1);

    collector_clear(&col);
    int rc = hands_listen(h, SPEECH_MASK(SPEECH_CMD_NEXT), collect, &col, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    CHECK(hands_listening(h));
    hands_hit hit;
    CHECK_MSG(wait_for(SPEECH_CMD_NEXT, 20, &hit), "\"%s\" not heard",
              speech_cmd_phrase(SPEECH_CMD_NEXT));
    if (collector_find(&col, SPEECH_CMD_NEXT, &hit)) {
        CHECK_MSG(llabs(hit.start - next_s0) < RATE / 2 && llabs(hit.end - next_s1) < RATE / 2 &&
                      hit.start < hit.end,
                  "heard at %lld-%lld, said at %lld-%lld", (long long)hit.start, (long long)hit.end,
                  (long long)next_s0, (long long)next_s1);
    }
    /* While listening, a new mask takes effect without a new capture. */
    CHECK(hands_listen(h, SPEECH_CTX_REVIEW, collect, &col, err, sizeof err) == 0);
    CHECK(hands_listening(h));
    hands_listen_stop(h);
    CHECK(!hands_listening(h));

    /* "moving on" comes first in the file: with only "skip ahead" in the mask, it must be gone
     * by the time "skip ahead" is reported. */
    collector_clear(&col);
    CHECK(hands_listen(h, SPEECH_MASK(SPEECH_CMD_SKIP), collect, &col, err, sizeof err) == 0);
    CHECK_MSG(wait_for(SPEECH_CMD_SKIP, 20, &hit), "\"%s\" not heard",
              speech_cmd_phrase(SPEECH_CMD_SKIP));
    CHECK_MSG(llabs(hit.start - skip_s0) < RATE / 2, "skip heard at %lld, said at %lld",
              (long long)hit.start, (long long)skip_s0);
    CHECK(!collector_find(&col, SPEECH_CMD_NEXT, &hit));
    /* A context change while listening: nothing more in the file, nothing more reported. */
    hands_set_context(h, SPEECH_CTX_NONE);
    CHECK(hands_listening(h));

    /* Saying something stops listening (the caller listens again afterwards). */
    CHECK(hands_say(h, "Next question.", err, sizeof err) == 0);
    CHECK(!hands_listening(h));
    CHECK(tick_until_quiet(h, 20) >= 0);
}

static void test_answer(void)
{
    if (!speech_tools_ok())
        SKIP("flite or sox is not installed (Debian packages flite, sox)");
    size_t n1, n2;
    int16_t *x1 =
        flite_raw("rms", speech_cmd_phrase(SPEECH_CMD_NEXT), 1.0, "hands_a_next.raw", &n1);
    int16_t *x2 =
        flite_raw("rms", speech_cmd_phrase(SPEECH_CMD_END_ANSWER), 1.0, "hands_a_end.raw", &n2);
    CHECK(x1 && x2);
    if (!x1 || !x2) {
        free(x1);
        free(x2);
        return;
    }
    pcm_buf ans = {0};
    int64_t s0, s1;
    buf_add(&ans, NULL, RATE);
    buf_add(&ans, x1, n1);
    buf_add(&ans, NULL, RATE * 8 / 10);
    speech_bounds(x2, n2, &s0, &s1);
    int64_t end_s0 = (int64_t)ans.n + s0;
    buf_add(&ans, x2, n2);
    buf_add(&ans, NULL, RATE);
    buf_noise(&ans, 0.003, 5);

    collector_clear(&col);
    hands_answer_begin(h, collect, &col);
    for (size_t off = 0; off < ans.n; off += RATE / 10) {
        size_t k = ans.n - off < RATE / 10 ? ans.n - off : RATE / 10;
        hands_answer_feed(h, ans.x + off, k);
    }
    hands_answer_finish(h);
    hands_hit hit;
    CHECK(collector_find(&col, SPEECH_CMD_END_ANSWER, &hit));
    if (collector_find(&col, SPEECH_CMD_END_ANSWER, &hit))
        CHECK_MSG(llabs(hit.start - end_s0) < RATE / 2, "end heard at %lld, said at %lld",
                  (long long)hit.start, (long long)end_s0);
    CHECK(!collector_find(&col, SPEECH_CMD_NEXT, &hit));
    CHECK(col.n == 1);

    /* After the answer the spotter reports nothing until told otherwise. */
    collector_clear(&col);
    hands_answer_begin(h, collect, &col);
    hands_answer_finish(h);
    hands_answer_feed(h, ans.x, ans.n);
    CHECK(col.n == 0);
    free(ans.x);
    free(x1);
    free(x2);
}

static void test_silence_replace(void)
{
    /* Silenced while synthesising: the late result is dropped and nothing is played. */
    setenv("TEST_SPK_WAV", "hands_silenced.wav", 1);
    unlink("hands_silenced.wav");
    CHECK(hands_say(h, question, err, sizeof err) == 0);
    double t0 = now_s();
    hands_silence(h);
    double t_silence = now_s() - t0;
    CHECK(!hands_speaking(h));
    int spoke = 0;
    while (now_s() - t0 < 2 * synth_seconds + 0.5) {
        hands_tick(h);
        spoke |= hands_speaking(h);
        sleep_ms(10);
    }
    CHECK(!spoke);
    CHECK(access("hands_silenced.wav", F_OK) != 0);

    /* Silenced once playing has started. The virtual speaker takes the whole recording at
     * once, so only that silence returns at once and ends the speech is checked here, not
     * that the sound is cut. */
    setenv("TEST_SPK_WAV", "hands_cut.wav", 1);
    unlink("hands_cut.wav");
    CHECK(hands_say(h, question, err, sizeof err) == 0);
    check_deadline started = check_deadline_in(20);
    while (access("hands_cut.wav", F_OK) != 0 && !check_deadline_passed(started)) {
        hands_tick(h);
        sleep_ms(10);
    }
    CHECK(access("hands_cut.wav", F_OK) == 0);
    t0 = now_s();
    hands_silence(h);
    double t_cut = now_s() - t0;
    CHECK(!hands_speaking(h));
    printf("hands_silence took %.1f ms while synthesising, %.1f ms while playing\n",
           t_silence * 1000, t_cut * 1000);

    /* A second say replaces the first: only the second is heard. */
    size_t ref = second_frames;
    setenv("TEST_SPK_WAV", "hands_replaced.wav", 1);
    unlink("hands_replaced.wav");
    CHECK(hands_say(h, question, err, sizeof err) == 0);
    CHECK(hands_say(h, second, err, sizeof err) == 0);
    CHECK(tick_until_quiet(h, 20) >= 0);
    long n = wav_frames("hands_replaced.wav");
    CHECK_MSG(labs(n - (long)ref) < RATE / 5, "the speaker got %ld samples, \"%s\" is %zu", n,
              second, ref);

    /* No speaker: the speech counts as said, nothing hangs. */
    hands_cfg nospk = cfg;
    nospk.listen = 0;
    snprintf(nospk.voice, sizeof nospk.voice, "rms");
    snprintf(nospk.output, sizeof nospk.output, "no such speaker");
    hands *x;
    CHECK(hands_open(&nospk, a, &x, err, sizeof err) == 0);
    CHECK(hands_say(x, "Is anybody there?", err, sizeof err) == 0);
    CHECK(tick_until_quiet(x, 20) >= 0);
    CHECK(hands_say(x, "Still nobody?", err, sizeof err) == 0);
    CHECK(tick_until_quiet(x, 20) >= 0);
    hands_close(x);
}

static void test_close(void)
{
    /* While synthesising: waits for flite, frees everything. */
    hands_cfg c = cfg;
    c.listen = 0;
    snprintf(c.voice, sizeof c.voice, "awb");
    hands *x;
    CHECK(hands_open(&c, a, &x, err, sizeof err) == 0);
    CHECK(hands_say(x, question, err, sizeof err) == 0);
    double t0 = now_s();
    hands_close(x);
    double t_synth = now_s() - t0;

    /* While listening (the shared handle, opened with both halves). */
    if (speech_tools_ok()) {
        setenv("TEST_MIC_RAW", "hands_mic.raw", 1);
        CHECK(hands_listen(h, SPEECH_CTX_ALL, collect, &col, err, sizeof err) == 0);
        sleep_ms(50);
        hands_tick(h);
    }
    t0 = now_s();
    hands_close(h);
    h = NULL;
    printf("hands_close took %.0f ms while synthesising, %.0f ms while listening\n", t_synth * 1000,
           (now_s() - t0) * 1000);
}

int main(void)
{
    vlog_set_sink(log_stderr, VLOG_INFO);
    setenv("TEST_MIC_RAW", "hands_none.raw", 1);
    setenv("TEST_SPK_WAV", "hands_none.wav", 1);
    write_raw("hands_none.raw", (const int16_t[RATE]){0}, RATE);
    if (audio_open(&a, err, sizeof err)) {
        fprintf(stderr, "audio_open: %s\n", err);
        return 1;
    }
    /* viva's defaults (src/app/config.def): voice slt at its own speed and volume. */
    snprintf(cfg.voice, sizeof cfg.voice, "slt");
    cfg.rate = 1.0;
    cfg.volume = 1.0;
    cfg.kws_end = SPEECH_CMD_END_THRESHOLD;
    snprintf(cfg.input, sizeof cfg.input, "test_mic");
    snprintf(cfg.output, sizeof cfg.output, "test_spk");
    cfg.speak = 1;
    cfg.listen = 1;
    speech_tts_params tp = {cfg.voice, cfg.rate, cfg.volume};
    speech_tts *t;
    if (speech_tts_open(&tp, &t, err, sizeof err)) {
        fprintf(stderr, "speech_tts_open: %s\n", err);
        return 1;
    }
    question_frames = reference_frames(t, question, &synth_seconds);
    second_frames = reference_frames(t, second, NULL);
    speech_tts_close(t);
    int rc = hands_open(&cfg, a, &h, err, sizeof err);
    if (rc || err[0]) {
        fprintf(stderr, "hands_open: %s\n", err);
        return 1;
    }
    RUN(test_open);
    RUN(test_say);
    /* The spotter adapts to what it has heard (a reset restarts positions, not that), and how
     * much of the virtual microphone's endless tail a capture feeds depends on timing; the
     * answer therefore comes first, on the freshly opened spotter, so every run is alike. */
    RUN(test_answer);
    RUN(test_listen);
    RUN(test_silence_replace);
    RUN(test_close);
    hands_close(h);
    audio_close(a);
    free(mic.x);
    return check_summary("hands");
}
