/* test_capture.c: capture through real PortAudio streams on the virtual microphone of
 * virtual-audio.conf (ALSA_CONFIG_PATH is set by ctest; TEST_MIC_RAW is set here before each
 * stream opens). Spoken fixtures are made with espeak-ng + sox in the build directory.
 * The virtual device is not paced: seconds of audio arrive in milliseconds, and after the end
 * of the file it keeps repeating its last (silent) buffer; every check counts samples. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "audio_fixture.h"
#include "check.h"
#include "verr.h"

#define RATE AUDIO_RATE

static audio *A;
static char err[1024];

/* Runs a capture to its end (or requests the end after `wall_ms` of waiting). */
static int run_capture(audio_capture_params *p, audio_result *res, int *start_rc)
{
    audio_capture *c;
    *start_rc = audio_capture_start(A, p, &c, err, sizeof err);
    if (*start_rc) {
        fprintf(stderr, "start: %s\n", err);
        return -1;
    }
    audio_status st;
    check_deadline d = check_deadline_in(10);
    for (;;) {
        audio_capture_status(c, &st);
        if (st.ended || check_deadline_passed(d))
            break;
        sleep_ms(5);
    }
    return audio_capture_stop(c, res);
}

static void test_record_matches_source(void)
{
    size_t n;
    int64_t s0, s1;
    int16_t *src = make_fixture("cap_match", "A goroutine is a lightweight thread managed by the "
                                "Go runtime.", 0.3, 0.5, 0, &n, &s0, &s1);
    CHECK(src != NULL);
    if (!src)
        return;
    setenv("TEST_MIC_RAW", "cap_match.raw", 1);
    mem_sink m = {0};
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.max_seconds = (double)n / RATE;
    p.sink = (audio_sink){&m, mem_write};
    audio_result res;
    int src_rc;
    int rc = run_capture(&p, &res, &src_rc);
    CHECK(src_rc == 0);
    CHECK(rc == 0);
    CHECK(res.reason == AUDIO_END_LIMIT);
    CHECK_STR(res.device, "test_mic");
    CHECK(res.device_rate == RATE && res.device_channels == 1);
    CHECK(res.frames == (int64_t)m.n);
    CHECK_MSG(fabs((double)m.n - (double)n) <= 0.01 * n, "recorded %zu samples, source %zu",
              m.n, n);
    double r = ncc(m.x, src, m.n < n ? m.n : n);
    CHECK_MSG(r >= 0.99, "ncc %.5f", r);
    free(m.x);
    free(src);
}

typedef struct {
    _Atomic int calls, ended_calls;
    _Atomic long long last_frames;
} notify_count;

static void count_notify(void *ctx, const audio_status *st)
{
    notify_count *nc = ctx;
    atomic_fetch_add(&nc->calls, 1);
    if (st->ended)
        atomic_fetch_add(&nc->ended_calls, 1);
    atomic_store(&nc->last_frames, st->frames);
}

static void eoa_case(double silence, double noise)
{
    size_t n;
    int64_t s0, s1;
    int16_t *src = make_fixture("cap_eoa", "Channels let goroutines talk. A buffered channel "
                                "holds values until a receiver is ready.",
                                0.8, silence + 3.0, noise, &n, &s0, &s1);
    CHECK(src != NULL);
    if (!src)
        return;
    setenv("TEST_MIC_RAW", "cap_eoa.raw", 1);
    mem_sink m = {0};
    notify_count nc = {0};
    audio_capture_params p = {0};
    p.silence_seconds = silence; /* default device: the virtual microphone */
    p.max_seconds = 60;
    p.sink = (audio_sink){&m, mem_write};
    p.notify = count_notify;
    p.notify_ctx = &nc;
    audio_result res;
    int src_rc;
    int rc = run_capture(&p, &res, &src_rc);
    CHECK(rc == 0);
    CHECK(res.reason == AUDIO_END_SILENCE);
    double after = (double)(res.frames - s1) / RATE;
    CHECK_MSG(fabs(after - silence) <= 0.5,
              "silence %.1f noise %g: ended %.3f s after the speech", silence, noise, after);
    /* Trimming keeps 0.3 s before the first and after the last word. */
    CHECK_MSG(fabs((double)(s0 - res.trim_start) / RATE - 0.3) <= 0.1, "trim start %.3f s before",
              (double)(s0 - res.trim_start) / RATE);
    CHECK_MSG(fabs((double)(res.trim_end - s1) / RATE - 0.3) <= 0.15, "trim end %.3f s after",
              (double)(res.trim_end - s1) / RATE);
    CHECK_NEAR(res.stats.first_word_ms, s0 * 1000.0 / RATE, 100);
    CHECK(res.stats.talk_ms > 1000 && res.stats.talk_ms <= (s1 - s0) * 1000 / RATE + 100);
    CHECK(res.stats.longest_pause_ms < 1000);
    /* The level meter reported at least 20 times per second of audio, and the end once. */
    CHECK_MSG(atomic_load(&nc.calls) >= (int)(20.0 * res.frames / RATE), "%d notifications",
              atomic_load(&nc.calls));
    CHECK(atomic_load(&nc.ended_calls) == 1);
    CHECK(atomic_load(&nc.last_frames) == res.frames);
    /* What was kept is what was said. */
    size_t k = m.n < n ? m.n : n;
    CHECK(ncc(m.x, src, k) >= 0.99);
    free(m.x);
    free(src);
}

static void test_end_of_answer_default(void)
{
    eoa_case(4.0, 0.0);
}

static void test_end_of_answer_noisy(void)
{
    eoa_case(2.0, 0.003);
}

/* The device opened at 48 kHz: ALSA's plug converts the 16 kHz file up, viva's writer converts
 * back down with libsamplerate. The virtual device is not sample-exact at 48 kHz through
 * PortAudio (about 2% off in pitch even without viva), so this checks level and pitch of a tone,
 * not the waveform. */
static void test_converting_path(void)
{
    size_t n = RATE * 2;
    int16_t *tone = malloc(n * sizeof *tone);
    for (size_t i = 0; i < n; i++)
        tone[i] = (int16_t)lrint(16384 * sin(2 * M_PI * 440 * (double)i / RATE));
    CHECK(write_raw("cap_conv.raw", tone, n) == 0);
    setenv("TEST_MIC_RAW", "cap_conv.raw", 1);
    mem_sink m = {0};
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.device_rate = 48000;
    p.max_seconds = 1.5;
    p.sink = (audio_sink){&m, mem_write};
    audio_result res;
    int src_rc;
    int rc = run_capture(&p, &res, &src_rc);
    CHECK(rc == 0 && src_rc == 0);
    CHECK(res.device_rate == 48000);
    CHECK(m.n == (size_t)(1.5 * RATE));
    if (m.n > (size_t)RATE) {
        size_t z = 0;
        double sq = 0;
        for (size_t i = RATE / 10 + 1; i < m.n; i++) {
            z += (m.x[i - 1] < 0) != (m.x[i] < 0);
            sq += (double)m.x[i] * m.x[i];
        }
        double secs = (double)(m.n - RATE / 10) / RATE;
        double f = z / secs / 2, rms = sqrt(sq / (m.n - RATE / 10)) / 32768;
        CHECK_MSG(fabs(f - 440) <= 440 * 0.05, "tone at %.1f Hz after conversion", f);
        CHECK_MSG(fabs(20 * log10(rms / (0.5 / sqrt(2)))) <= 1.0, "rms %.4f", rms);
    }
    free(m.x);
    free(tone);
}

/* Injects the fault from the writer thread once 2 s of audio have been written. */
typedef struct {
    _Atomic(audio_capture *) c; /* set by the main thread once start returns */
    _Atomic int fired;
} fault_ctx;

static void fault_notify(void *ctx, const audio_status *st)
{
    fault_ctx *f = ctx;
    audio_capture *c = atomic_load(&f->c);
    if (c && st->frames >= 2 * RATE && !atomic_exchange(&f->fired, 1))
        audio_capture_inject_fault(c);
}

static void test_device_lost_keeps_audio(void)
{
    size_t n;
    int64_t s0, s1;
    int16_t *src = make_fixture("cap_lost", "Interfaces in Go are satisfied implicitly. Any type "
                                "with the right methods implements the interface.",
                                0.2, 1.0, 0, &n, &s0, &s1);
    CHECK(src != NULL);
    if (!src)
        return;
    setenv("TEST_MIC_RAW", "cap_lost.raw", 1);
    mem_sink m = {0};
    fault_ctx f = {0};
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.sink = (audio_sink){&m, mem_write};
    p.notify = fault_notify;
    p.notify_ctx = &f;
    audio_capture *c = NULL;
    int rc = audio_capture_start(A, &p, &c, err, sizeof err);
    CHECK(rc == 0);
    if (rc)
        return;
    atomic_store(&f.c, c); /* the writer may already be notifying: it waits for this */
    audio_status st = {0};
    for (check_deadline d = check_deadline_in(10); !st.ended && !check_deadline_passed(d);) {
        audio_capture_status(c, &st);
        sleep_ms(5);
    }
    CHECK(st.ended == AUDIO_END_DEVICE_LOST);
    audio_result res;
    rc = audio_capture_stop(c, &res);
    CHECK(rc == VIVA_ENODEV);
    CHECK(res.reason == AUDIO_END_DEVICE_LOST);
    CHECK(strstr(res.message, "test_mic") != NULL);
    CHECK(m.n >= (size_t)(2 * RATE));
    CHECK(ncc(m.x, src, m.n < n ? m.n : n) >= 0.99);
    free(m.x);

    /* A later question records again (PortAudio is restarted first). */
    mem_sink m2 = {0};
    audio_capture_params p2 = {0};
    p2.device = "test_mic";
    p2.max_seconds = 1.0;
    p2.sink = (audio_sink){&m2, mem_write};
    int src_rc;
    rc = run_capture(&p2, &res, &src_rc);
    CHECK(src_rc == 0 && rc == 0);
    CHECK(res.reason == AUDIO_END_LIMIT);
    CHECK(m2.n == RATE);
    CHECK(ncc(m2.x, src, RATE) >= 0.99);
    free(m2.x);
    free(src);
}

static void test_raw_file_missing_then_back(void)
{
    unlink("cap_gone.raw");
    setenv("TEST_MIC_RAW", "cap_gone.raw", 1);
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.max_seconds = 0.5;
    audio_capture *c;
    int rc = audio_capture_start(A, &p, &c, err, sizeof err);
    CHECK(rc != 0);
    CHECK_MSG(strstr(err, "test_mic") != NULL, "message: %s", err);
    fprintf(stderr, "(expected) %s\n", err);
    if (rc == 0)
        audio_capture_stop(c, NULL);
    /* The "device" comes back. */
    int16_t tone[RATE];
    for (int i = 0; i < RATE; i++)
        tone[i] = (int16_t)lrint(9000 * sin(2 * M_PI * 330 * i / RATE));
    CHECK(write_raw("cap_gone.raw", tone, RATE) == 0);
    mem_sink m = {0};
    p.sink = (audio_sink){&m, mem_write};
    audio_result res;
    int src_rc;
    rc = run_capture(&p, &res, &src_rc);
    CHECK(src_rc == 0 && rc == 0);
    CHECK(m.n == RATE / 2);
    CHECK(m.n && ncc(m.x, tone, m.n) >= 0.99);
    free(m.x);
}

static void test_unknown_device(void)
{
    audio_capture_params p = {0};
    p.device = "no_such_mic";
    audio_capture *c;
    int rc = audio_capture_start(A, &p, &c, err, sizeof err);
    CHECK(rc == VIVA_ENODEV);
    CHECK(strstr(err, "\"no_such_mic\"") != NULL);
    CHECK(strstr(err, "\"test_mic\"") != NULL);
    fprintf(stderr, "(expected) %s\n", err);
}

static void test_exact_name_before_substring(void)
{
    setenv("TEST_MIC_RAW", "cap_match.raw", 1);
    static const char *const ask[] = {"test_mic", "mic_fi", "TEST_MIC_F"};
    static const char *const want[] = {"test_mic", "test_mic_file", "test_mic_file"};
    for (int i = 0; i < 3; i++) {
        audio_capture_params p = {0};
        p.device = ask[i];
        p.max_seconds = 0.1;
        audio_result res;
        int src_rc;
        int rc = run_capture(&p, &res, &src_rc);
        CHECK(src_rc == 0 && rc == 0);
        if (!src_rc)
            CHECK_STR(res.device, want[i]);
    }
}

static void test_command_and_sink_failure(void)
{
    setenv("TEST_MIC_RAW", "cap_match.raw", 1);
    /* A sink that fails after 0.5 s: the capture ends, what was written stays written. */
    mem_sink m = {0};
    m.fail_after = RATE / 2;
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.sink = (audio_sink){&m, mem_write};
    audio_result res;
    int src_rc;
    int rc = run_capture(&p, &res, &src_rc);
    CHECK(src_rc == 0);
    CHECK(rc != 0);
    CHECK(res.reason == AUDIO_END_SINK_FAILED);
    CHECK(m.n <= (size_t)RATE / 2 && m.n > 0);
    free(m.x);

    /* A command ends the answer. */
    audio_capture_params p2 = {0};
    p2.device = "test_mic";
    audio_capture *c;
    rc = audio_capture_start(A, &p2, &c, err, sizeof err);
    CHECK(rc == 0);
    if (rc)
        return;
    audio_status st;
    do {
        audio_capture_status(c, &st);
        sleep_ms(1);
    } while (st.frames < RATE && !st.ended);
    audio_capture_request_end(c);
    for (check_deadline d = check_deadline_in(10); !st.ended && !check_deadline_passed(d);) {
        audio_capture_status(c, &st);
        sleep_ms(5);
    }
    CHECK(st.ended == AUDIO_END_COMMAND);
    CHECK(audio_capture_stop(c, &res) == 0);
    CHECK(res.reason == AUDIO_END_COMMAND);
    CHECK(res.frames >= RATE);
}

/* ---- the answer's pause ------------------------------------------------------------------ */

typedef struct {
    _Atomic int pauses, resumes, last;
    _Atomic long long first_end_in; /* st->end_in at the first paused notification, -1 none */
} pause_log;

static void pause_notify(void *ctx, const audio_status *st)
{
    pause_log *pl = ctx;
    if (st->ended)
        return;
    if (st->paused && !atomic_load(&pl->last)) {
        if (atomic_fetch_add(&pl->pauses, 1) == 0)
            atomic_store(&pl->first_end_in, st->end_in);
    } else if (!st->paused && atomic_load(&pl->last)) {
        atomic_fetch_add(&pl->resumes, 1);
    }
    atomic_store(&pl->last, st->paused);
}

/* Speech, 2.3 s of silence, speech, silence. With a pause after 1 s and the end after 3 s of
 * silence: the status says "paused" in the gap (with the samples left until the end), speech
 * takes it back, the one capture holds both halves, and only the silence after the second
 * half ends it. */
static void test_pause_and_resume(void)
{
    size_t n;
    int64_t s0, s1;
    int16_t *half = make_fixture("cap_half", "Channels let goroutines talk.", 0.3, 2.0, 0, &n,
                                 &s0, &s1);
    CHECK(half != NULL);
    if (!half)
        return;
    int16_t *both = malloc(2 * n * sizeof *both);
    memcpy(both, half, n * sizeof *both);
    memcpy(both + n, half, n * sizeof *both);
    CHECK(write_raw("cap_pause.raw", both, 2 * n) == 0);
    setenv("TEST_MIC_RAW", "cap_pause.raw", 1);
    mem_sink m = {0};
    pause_log pl = {0};
    atomic_store(&pl.first_end_in, -1);
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.pause_seconds = 1.0;
    p.silence_seconds = 3.0;
    p.max_seconds = 60;
    p.sink = (audio_sink){&m, mem_write};
    p.notify = pause_notify;
    p.notify_ctx = &pl;
    audio_result res;
    int src_rc;
    int rc = run_capture(&p, &res, &src_rc);
    CHECK(src_rc == 0 && rc == 0);
    CHECK(res.reason == AUDIO_END_SILENCE);
    CHECK_MSG(atomic_load(&pl.pauses) == 2 && atomic_load(&pl.resumes) == 1,
              "%d pauses, %d resumes; want 2 and 1", atomic_load(&pl.pauses),
              atomic_load(&pl.resumes));
    CHECK_MSG(llabs(atomic_load(&pl.first_end_in) - 2 * RATE) <= RATE / 10,
              "at the pause %lld samples were left, want %d", atomic_load(&pl.first_end_in),
              2 * RATE);
    double gap = (double)(n - s1 + s0) / RATE;
    CHECK_MSG(fabs(res.stats.longest_pause_ms / 1000.0 - gap) <= 0.3,
              "longest pause %.2f s, the gap is %.2f s", res.stats.longest_pause_ms / 1000.0, gap);
    double after = (double)(res.frames - (int64_t)n - s1) / RATE;
    CHECK_MSG(fabs(after - 3.0) <= 0.5, "ended %.2f s after the second half", after);
    CHECK((int64_t)m.n == res.frames && res.frames > (int64_t)(2 * n) - RATE);
    free(m.x);
    free(both);
    free(half);
}

/* ---- stopping a listening capture -------------------------------------------------------- */

/* A sink that takes 3 ms per call (a decoder running at about 30 times real time), and counts
 * what it is handed once the test has begun to stop the capture. */
typedef struct {
    _Atomic int stopping;
    _Atomic long long after_stop;
} slow_sink;

static int slow_write(void *ctx, const int16_t *pcm, size_t frames)
{
    slow_sink *s = ctx;
    (void)pcm;
    if (atomic_load(&s->stopping))
        atomic_fetch_add(&s->after_stop, (long long)frames);
    sleep_ms(3);
    return 0;
}

static double stop_ms[2]; /* how long audio_capture_stop took: [0] keeping, [1] discarding */

static long long stop_with_backlog(int discard)
{
    setenv("TEST_MIC_RAW", "cap_match.raw", 1);
    slow_sink s = {0};
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.discard_on_stop = discard;
    p.sink = (audio_sink){&s, slow_write};
    audio_capture *c;
    int rc = audio_capture_start(A, &p, &c, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc)
        return -1;
    sleep_ms(300); /* the device, faster than real time, fills the ring meanwhile */
    atomic_store(&s.stopping, 1);
    audio_result res;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    audio_capture_stop(c, &res);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    stop_ms[discard ? 1 : 0] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    return atomic_load(&s.after_stop);
}

/* Listening for commands stops without decoding the ring's backlog (it held the kiosk's
 * screen for seconds after each spoken grade, issue 19); an answer's capture still writes
 * all of it. */
static void test_stop_discards_backlog(void)
{
    long long dropped = stop_with_backlog(1), kept = stop_with_backlog(0);
    printf("written after the stop: %lld samples in %.0f ms when discarding, %lld in %.0f ms "
           "when keeping\n", dropped, stop_ms[1], kept, stop_ms[0]);
    CHECK_MSG(dropped >= 0 && dropped <= RATE / 5, "%lld samples written after the stop",
              dropped); /* at most the chunk being written (0.1 s), and one more */
    CHECK_MSG(kept >= RATE, "only %lld samples of the backlog written", kept);
}

int main(void)
{
    if (!getenv("ALSA_CONFIG_PATH") || !strstr(getenv("ALSA_CONFIG_PATH"), "virtual-audio")) {
        fprintf(stderr, "skipped: ALSA_CONFIG_PATH does not name virtual-audio.conf (run "
                        "through ctest)\n");
        return check_summary("capture");
    }
    if (!fixture_tools_ok()) {
        fprintf(stderr, "skipped: espeak-ng and sox are needed to make the spoken fixtures "
                        "(scripts/deps/test.txt)\n");
        return check_summary("capture");
    }
    /* The virtual microphone is listed only if its raw file opens when PortAudio starts. */
    int16_t silence[160] = {0};
    write_raw("cap_boot.raw", silence, 160);
    setenv("TEST_MIC_RAW", "cap_boot.raw", 1);
    CHECK(audio_open(&A, err, sizeof err) == 0);
    if (!A)
        return check_summary("capture");
    RUN(test_record_matches_source);
    RUN(test_end_of_answer_default);
    RUN(test_end_of_answer_noisy);
    RUN(test_converting_path);
    RUN(test_device_lost_keeps_audio);
    RUN(test_raw_file_missing_then_back);
    RUN(test_unknown_device);
    RUN(test_exact_name_before_substring);
    RUN(test_command_and_sink_failure);
    RUN(test_pause_and_resume);
    RUN(test_stop_discards_backlog);
    audio_close(A);
    return check_summary("capture");
}
