/* test_tts.c: text to speech and the answer around it, through real PortAudio on the virtual
 * devices. The voices speak, speed and volume act; a question spoken through the virtual
 * speaker lands in its WAV exactly; then the answer is captured from the virtual microphone
 * with only the end phrase active, the end phrase ends it and is cut from the saved recording,
 * and the saved answer holds nothing of the spoken question. Built a second time with
 * SPEECH_NO_PORTAUDIO (test_speech_units): the same checks without any audio device, so that
 * the sanitizer build can look for leaks in viva's code (ALSA's dlopen'ed plugins leak at load
 * time, which is why the PortAudio tests run with leak detection off there). */
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "speech_cmd.h"
#include "speech_fixture.h"
#include "speech_tts.h"
#include "verr.h"

static const char *question = "What is a goroutine, and how is it different from a thread?";
static char err[1024];

static int peak(const int16_t *x, size_t n)
{
    int p = 0;
    for (size_t i = 0; i < n; i++)
        p = abs(x[i]) > p ? abs(x[i]) : p;
    return p;
}

static void test_voices(void)
{
    for (int v = 0; v < N_VOICES; v++) {
        speech_tts_params tp = {fixture_voices[v], 1.0, 1.0};
        speech_tts *t;
        int rc = speech_tts_open(&tp, &t, err, sizeof err);
        CHECK_MSG(rc == 0, "%s", err);
        if (rc)
            continue;
        int16_t *x;
        size_t n;
        CHECK(speech_tts_say(t, question, &x, &n, err, sizeof err) == 0);
        CHECK_MSG(n > 2 * SPEECH_TTS_RATE && n < 10 * SPEECH_TTS_RATE, "%s: %zu samples",
                  fixture_voices[v], n);
        CHECK(peak(x, n) > 3000);
        free(x);
        CHECK(speech_tts_say(t, "  ", &x, &n, err, sizeof err) == 0);
        CHECK(n == 0 && x == NULL);
        speech_tts_close(t);
    }
    speech_tts_params bad = {"hal9000", 1, 1};
    speech_tts *t = NULL;
    CHECK(speech_tts_open(&bad, &t, err, sizeof err) == VIVA_EINVAL);
    CHECK(strstr(err, "hal9000") && strstr(err, "slt"));
}

static void test_rate_volume(void)
{
    int16_t *x[3];
    size_t n[3];
    const speech_tts_params tp[3] = {{"slt", 1.0, 1.0}, {"slt", 1.6, 1.0}, {"slt", 1.0, 0.5}};
    for (int i = 0; i < 3; i++) {
        speech_tts *t;
        CHECK(speech_tts_open(&tp[i], &t, err, sizeof err) == 0);
        CHECK(speech_tts_say(t, question, &x[i], &n[i], err, sizeof err) == 0);
        speech_tts_close(t);
    }
    CHECK_MSG(n[1] < 0.8 * n[0], "rate 1.6: %zu samples, rate 1: %zu", n[1], n[0]);
    CHECK(n[2] == n[0]);
    /* flite's output varies by a few samples between runs; the gain is what is checked. */
    CHECK_NEAR(peak(x[2], n[2]), peak(x[0], n[0]) / 2.0, 0.02 * peak(x[0], n[0]));
    for (int i = 0; i < 3; i++)
        free(x[i]);
}

/* The recogniser understands viva's own voice: a loop check of both halves. */
static void test_tts_recognised(void)
{
    speech_tts_params tp = {"slt", 1.0, 1.0};
    speech_tts *t;
    CHECK(speech_tts_open(&tp, &t, err, sizeof err) == 0);
    speech_cmd_params pp = {0};
    pp.context = SPEECH_CTX_ALL;
    speech_cmd *r;
    int rc = speech_cmd_open(&pp, &r, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc) {
        speech_tts_close(t);
        return;
    }
    int16_t silence[RATE / 2] = {0};
    int ok = 0;
    for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
        int16_t *x;
        size_t n;
        CHECK(speech_tts_say(t, speech_cmd_phrase((speech_cmd_id)c), &x, &n, err, sizeof err) ==
              0);
        speech_cmd_hit h[4];
        int got = speech_cmd_feed(r, silence, RATE / 2, h, 4);
        got += speech_cmd_feed(r, x, n, h + got, 4 - got);
        got += speech_cmd_feed(r, silence, RATE / 2, h + got, 4 - got);
        ok += got == 1 && h[0].cmd == (speech_cmd_id)c;
        free(x);
    }
    CHECK_MSG(ok >= SPEECH_CMD_COUNT - 2, "%d of %d phrases spoken by viva recognised", ok,
              SPEECH_CMD_COUNT - 1);
    speech_cmd_close(r);
    speech_tts_close(t);
}

/* During an answer only the end phrase counts, and positions restart at 0 after a reset. */
static void test_context(void)
{
    speech_tts_params tp = {"slt", 1.0, 1.0};
    speech_tts *t;
    CHECK(speech_tts_open(&tp, &t, err, sizeof err) == 0);
    speech_cmd_params pp = {0};
    pp.context = SPEECH_CTX_ANSWER;
    speech_cmd *r;
    int rc = speech_cmd_open(&pp, &r, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc) {
        speech_tts_close(t);
        return;
    }
    CHECK(speech_cmd_context(r) == SPEECH_CTX_ANSWER);
    int16_t *nx, *ex;
    size_t nn, ne;
    CHECK(speech_tts_say(t, speech_cmd_phrase(SPEECH_CMD_NEXT), &nx, &nn, err, sizeof err) == 0);
    CHECK(speech_tts_say(t, speech_cmd_phrase(SPEECH_CMD_END_ANSWER), &ex, &ne, err,
                         sizeof err) == 0);
    int16_t silence[RATE / 2] = {0};
    speech_cmd_hit h[4];
    int got = speech_cmd_feed(r, silence, RATE / 2, h, 4);
    got += speech_cmd_feed(r, nx, nn, h + got, 4 - got);
    got += speech_cmd_feed(r, silence, RATE / 2, h + got, 4 - got);
    CHECK_MSG(got == 0, "\"%s\" heard while answering", speech_cmd_phrase(SPEECH_CMD_NEXT));
    speech_cmd_reset(r);
    got = speech_cmd_feed(r, silence, RATE / 2, h, 4);
    got += speech_cmd_feed(r, ex, ne, h + got, 4 - got);
    got += speech_cmd_feed(r, silence, RATE / 2, h + got, 4 - got);
    CHECK(got == 1 && h[0].cmd == SPEECH_CMD_END_ANSWER);
    if (got == 1) { /* the phrase lies in [0.5 s, 0.5 s + ne) of the stream since the reset */
        CHECK_MSG(h[0].start >= RATE / 2 - RATE / 10 && h[0].end <= (int64_t)(RATE / 2 + ne) +
                  RATE / 10, "%lld-%lld", (long long)h[0].start, (long long)h[0].end);
        CHECK(h[0].heard_at >= h[0].end);
    }
    speech_cmd_set_context(r, SPEECH_CTX_NONE);
    got = speech_cmd_feed(r, ex, ne, h, 4);
    got += speech_cmd_feed(r, silence, RATE / 2, h + got, 4 - got);
    CHECK(got == 0);
    free(nx);
    free(ex);
    speech_cmd_close(r);
    speech_tts_close(t);
}

#ifndef SPEECH_NO_PORTAUDIO
static int16_t *read_wav(const char *path, size_t *n)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f)
        return NULL;
    int16_t *x = malloc(((size_t)info.frames + 1) * sizeof *x);
    *n = (size_t)sf_readf_short(f, x, info.frames);
    sf_close(f);
    return info.samplerate == RATE && info.channels == 1 ? x : (free(x), NULL);
}

static long find_exact(const int16_t *hay, size_t nh, const int16_t *needle, size_t nn)
{
    for (size_t off = 0; off + nn <= nh; off++)
        if (memcmp(hay + off, needle, nn * sizeof *needle) == 0)
            return (long)off;
    return -1;
}

/* Largest normalised correlation of `probe` against any stretch of `x` (step 1 sample). */
static double best_ncc(const int16_t *x, size_t n, const int16_t *probe, size_t np)
{
    double pp = 0, best = 0;
    for (size_t i = 0; i < np; i++)
        pp += (double)probe[i] * probe[i];
    for (size_t off = 0; off + np <= n; off += 1) {
        double xp = 0, xx = 0;
        for (size_t i = 0; i < np; i += 4) {
            xp += (double)x[off + i] * probe[i];
            xx += (double)x[off + i] * x[off + i];
        }
        double r = xx > 0 ? xp / sqrt(xx * pp / 4) : 0;
        best = r > best ? r : best;
    }
    return best;
}

/* The writer-thread sink of the answer: keeps samples, ends the answer on the end phrase. */
typedef struct {
    rec_sink base;
    audio_capture *cap;
} answer_sink;

static int answer_write(void *ctx, const int16_t *pcm, size_t frames)
{
    answer_sink *s = ctx;
    int before = s->base.nhits;
    rec_write(&s->base, pcm, frames);
    if (s->base.nhits > before && s->cap)
        audio_capture_request_end(s->cap);
    return 0;
}

static void test_question_then_answer(void)
{
    if (!speech_tools_ok())
        SKIP("flite or sox is not installed (Debian packages flite, sox)");
    /* The answer: speech, a pause, the end phrase, then more talk that must not be kept. */
    size_t na, ne, nt;
    int16_t *ans = flite_raw("rms", "A goroutine is a function that the Go runtime schedules "
                             "on a few operating system threads. It starts with a small stack.",
                             1.0, "ans_body.raw", &na);
    int16_t *end = flite_raw("rms", "finish answer", 1.0, "ans_end.raw", &ne);
    int16_t *tail = flite_raw("rms", "And channels connect them.", 1.0, "ans_tail.raw", &nt);
    CHECK(ans && end && tail);
    if (!ans || !end || !tail) {
        free(ans), free(end), free(tail);
        return;
    }
    int64_t b0, b1, e0, e1;
    speech_bounds(ans, na, &b0, &b1);
    speech_bounds(end, ne, &e0, &e1);
    pcm_buf mic = {0};
    buf_add(&mic, NULL, RATE / 2);
    int64_t body_end = (int64_t)mic.n + b1;
    buf_add(&mic, ans, na);
    buf_add(&mic, NULL, RATE / 2);
    int64_t end_start = (int64_t)mic.n + e0;
    buf_add(&mic, end, ne);
    buf_add(&mic, tail, nt);
    buf_add(&mic, NULL, RATE);
    buf_noise(&mic, 0.003, 99);
    CHECK(write_raw("answer_mic.raw", mic.x, mic.n) == 0);
    setenv("TEST_MIC_RAW", "answer_mic.raw", 1);

    audio *a;
    CHECK(audio_open(&a, err, sizeof err) == 0);
    /* 1. viva speaks the question; the microphone is not open. */
    speech_tts_params tp = {"slt", 1.0, 1.0};
    speech_tts *t;
    CHECK(speech_tts_open(&tp, &t, err, sizeof err) == 0);
    int16_t *q;
    size_t nq;
    CHECK(speech_tts_say(t, question, &q, &nq, err, sizeof err) == 0);
    speech_tts_close(t);
    setenv("TEST_SPK_WAV", "question_spk.wav", 1);
    unlink("question_spk.wav");
    audio_player *p;
    int rc = audio_player_open(a, "test_spk", q, nq, SPEECH_TTS_RATE, &p, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc == 0) {
        CHECK(audio_player_play(p) == 0);
        for (check_deadline d = check_deadline_in(10);
             !audio_player_finished(p) && !check_deadline_passed(d);)
            sleep_ms(2);
        CHECK(audio_player_finished(p));
        audio_player_close(p);
    }
    size_t ns = 0;
    int16_t *spk = read_wav("question_spk.wav", &ns);
    CHECK(spk != NULL);
    CHECK_MSG(spk && find_exact(spk, ns, q, nq) >= 0, "the question is not in the speaker's WAV");

    /* 2. then the answer, with only the end phrase active. */
    speech_cmd_params pp = {0};
    pp.context = SPEECH_CTX_ANSWER;
    answer_sink s = {0};
    rc = speech_cmd_open(&pp, &s.base.rec, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    audio_capture_params cp = {0};
    cp.device = "test_mic";
    cp.max_seconds = (double)mic.n / RATE;
    cp.ring_seconds = cp.max_seconds + 5;
    cp.sink = (audio_sink){&s, answer_write};
    audio_capture *c = NULL;
    /* The sink reads s.cap only after a hit, long after this store; the start call returns
     * before the writer has decoded the first second of audio (it is loading nothing). */
    rc = rc ? rc : audio_capture_start(a, &cp, &c, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc == 0) {
        s.cap = c;
        audio_status st = {0};
        for (check_deadline d = check_deadline_in(40); !st.ended && !check_deadline_passed(d);) {
            audio_capture_status(c, &st);
            sleep_ms(2);
        }
        audio_result res;
        CHECK(audio_capture_stop(c, &res) == 0);
        CHECK_MSG(s.base.nhits == 1 && s.base.hits[0].cmd == SPEECH_CMD_END_ANSWER,
                  "%d commands heard", s.base.nhits);
        if (s.base.nhits >= 1) {
            int64_t cut = s.base.hits[0].start;
            printf("end phrase at %.3f s (spoken at %.3f s); cut at %.3f s; answer speech ends "
                   "at %.3f s; recognised %.0f ms after the phrase\n",
                   (double)s.base.hits[0].start / RATE, (double)end_start / RATE,
                   (double)cut / RATE, (double)body_end / RATE,
                   (double)(s.base.hits[0].heard_at - s.base.hits[0].end) * 1000 / RATE);
            /* The cut keeps the whole answer and drops (nearly) all of the phrase. */
            CHECK(cut >= body_end);
            CHECK_MSG(cut <= end_start + RATE / 10, "cut %.3f s, phrase starts %.3f s",
                      (double)cut / RATE, (double)end_start / RATE);
            size_t saved = (size_t)cut < s.base.got.n ? (size_t)cut : s.base.got.n;
            /* The end phrase ended the capture. The file device hands over the whole file at
             * once, so the capture may have reached its limit before the request. */
            CHECK(res.reason == AUDIO_END_COMMAND || res.reason == AUDIO_END_LIMIT);
            /* Nothing of viva's voice in the saved answer: the question's loudest half second
             * correlates with no stretch of it. */
            size_t probe = RATE / 2, at = 0;
            double e_best = 0;
            for (size_t i = 0; i + probe <= nq; i += probe / 2) {
                double e = 0;
                for (size_t k = 0; k < probe; k++)
                    e += (double)q[i + k] * q[i + k];
                if (e > e_best) {
                    e_best = e;
                    at = i;
                }
            }
            double r = best_ncc(s.base.got.x, saved, q + at, probe);
            printf("question vs saved answer: best correlation %.3f\n", r);
            CHECK(r < 0.6);
            /* ...while the answer's own speech is there. */
            CHECK(best_ncc(s.base.got.x, saved, ans + b0, probe) > 0.95);
        }
    }
    speech_cmd_close(s.base.rec);
    audio_close(a);
    free(s.base.got.x);
    free(spk);
    free(q);
    free(mic.x);
    free(ans), free(end), free(tail);
}

#endif

int main(void)
{
    RUN(test_voices);
    RUN(test_rate_volume);
    RUN(test_tts_recognised);
    RUN(test_context);
#ifndef SPEECH_NO_PORTAUDIO
    RUN(test_question_then_answer);
#endif
    return check_summary("speech tts");
}
