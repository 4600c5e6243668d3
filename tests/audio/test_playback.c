/* test_playback.c: playback through real PortAudio streams into the virtual speaker of
 * virtual-audio.conf (a WAV file named by TEST_SPK_WAV, set here before each stream opens).
 * A spoken answer is captured from the virtual microphone into the LMDB store (the kiosk's
 * wiring: sink = store_rec_append, trim points from the VAD), read back and played; the WAV must
 * hold exactly the trimmed recording. Then speed (length scales, pitch stays), seek and
 * position reporting. */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio.h"
#include "audio_fixture.h"
#include "check.h"
#include "store.h"
#include "verr.h"

#define RATE AUDIO_RATE

static audio *A;
static char err[1024];

static int16_t *read_wav(const char *path, size_t *n, int *rate)
{
    SF_INFO info = {0};
    SNDFILE *f = sf_open(path, SFM_READ, &info);
    if (!f)
        return NULL;
    int16_t *x = malloc(((size_t)info.frames + 1) * sizeof *x * (size_t)info.channels);
    *n = (size_t)sf_readf_short(f, x, info.frames);
    *rate = info.samplerate;
    sf_close(f);
    return x;
}

/* Plays pcm into `wav` at `speed` from `from` and returns what the speaker got. */
static int16_t *play_into(const char *wav, const int16_t *pcm, size_t n, double speed,
                          int64_t from, size_t *got, int64_t *end_pos)
{
    setenv("TEST_SPK_WAV", wav, 1);
    unlink(wav);
    audio_player *p;
    int rc = audio_player_open(A, "test_spk", pcm, n, RATE, &p, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc)
        return NULL;
    CHECK(audio_player_position(p) == 0);
    CHECK(audio_player_length(p) == (int64_t)n);
    CHECK(!audio_player_playing(p));
    audio_player_set_speed(p, speed);
    if (from)
        audio_player_seek_to(p, from);
    CHECK(audio_player_position(p) == from);
    CHECK(audio_player_play(p) == 0);
    for (check_deadline d = check_deadline_in(8);
         !audio_player_finished(p) && !check_deadline_passed(d);)
        sleep_ms(2);
    CHECK(audio_player_finished(p));
    *end_pos = audio_player_position(p);
    audio_player_close(p);
    int rate = 0;
    int16_t *out = read_wav(wav, got, &rate);
    CHECK(out != NULL);
    CHECK(rate == RATE);
    return out;
}

/* Where `want` starts inside `got` (the device may have been primed with silence). */
static long find_start(const int16_t *got, size_t ng, const int16_t *want, size_t nw)
{
    for (size_t off = 0; off + nw <= ng && off < RATE; off++)
        if (memcmp(got + off, want, (nw < 2000 ? nw : 2000) * sizeof *want) == 0)
            return (long)off;
    return -1;
}

static int store_write(void *ctx, const int16_t *pcm, size_t frames)
{
    void **sr = ctx;
    return store_rec_append(sr[0], sr[1], pcm, frames);
}

static void test_stored_answer_plays_back(void)
{
    size_t n;
    int64_t s0, s1;
    int16_t *src = make_fixture("play_ans", "Garbage collection in Go is concurrent.", 1.0, 5.0,
                                0, &n, &s0, &s1);
    CHECK(src != NULL);
    if (!src)
        return;
    char dir[] = "play_store_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    store *st;
    int rc = store_open(dir, STORE_NOSYNC, &st, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc)
        return;
    uint32_t prof;
    CHECK(store_profile_add(st, "tester", 1000, &prof) == 0);
    store_rec *rec;
    CHECK(store_rec_begin(st, prof, RATE, 1000, &rec) == 0);
    uint64_t id = store_rec_id(rec);
    void *sr[2] = {st, rec};

    /* Capture the answer as the kiosk does: the store is the sink, the VAD ends it. */
    setenv("TEST_MIC_RAW", "play_ans.raw", 1);
    audio_capture_params p = {0};
    p.device = "test_mic";
    p.silence_seconds = 2.0;
    p.max_seconds = 30;
    p.sink = (audio_sink){sr, store_write};
    audio_capture *c;
    rc = audio_capture_start(A, &p, &c, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    audio_status stt = {0};
    for (check_deadline d = check_deadline_in(10);
         !rc && !stt.ended && !check_deadline_passed(d);) {
        audio_capture_status(c, &stt);
        sleep_ms(5);
    }
    audio_result res;
    CHECK(!rc && audio_capture_stop(c, &res) == 0);
    CHECK(res.reason == AUDIO_END_SILENCE);
    CHECK(store_rec_finish(st, rec, (uint64_t)res.trim_start, (uint64_t)res.trim_end) == 0);

    int16_t *pcm;
    size_t frames;
    int rate;
    CHECK(store_rec_read(st, id, &pcm, &frames, &rate) == 0);
    CHECK(rate == RATE);
    CHECK(frames == (size_t)(res.trim_end - res.trim_start));
    /* The stored, trimmed answer is the source between the trim points. */
    CHECK(ncc(pcm, src + res.trim_start, frames) >= 0.99);

    size_t ng;
    int64_t endpos;
    int16_t *got = play_into("play_ans.wav", pcm, frames, 1.0, 0, &ng, &endpos);
    if (got) {
        long off = find_start(got, ng, pcm, frames);
        CHECK_MSG(off >= 0, "played audio not found in the speaker's file");
        if (off >= 0) {
            CHECK(ng >= (size_t)off + frames);
            CHECK(memcmp(got + off, pcm, frames * sizeof *pcm) == 0);
            CHECK(ncc(got + off, pcm, frames) >= 0.99);
        }
        CHECK(endpos == (int64_t)frames);
    }
    free(got);
    free(pcm);
    free(src);
    store_close(st);
}

/* Zero crossings per second of x: twice the frequency of a tone. */
static double zc_rate(const int16_t *x, size_t n)
{
    size_t z = 0;
    for (size_t i = 1; i < n; i++)
        z += (x[i - 1] < 0) != (x[i] < 0);
    return (double)z * RATE / (double)n;
}

static void test_speed_keeps_pitch(void)
{
    size_t n = RATE * 4;
    int16_t *tone = malloc(n * sizeof *tone);
    for (size_t i = 0; i < n; i++)
        tone[i] = (int16_t)lrint(10000 * sin(2 * M_PI * 220 * (double)i / RATE));
    static const double speeds[] = {0.75, 1.5, 2.0};
    for (int k = 0; k < 3; k++) {
        size_t ng;
        int64_t endpos;
        int16_t *got = play_into("play_speed.wav", tone, n, speeds[k], 0, &ng, &endpos);
        if (!got)
            continue;
        /* Drop the silence the device was primed with and the tail of the last buffer. */
        size_t lead = 0;
        while (lead < ng && got[lead] == 0)
            lead++;
        while (ng > lead && got[ng - 1] == 0)
            ng--;
        memmove(got, got + lead, (ng - lead) * sizeof *got);
        ng -= lead;
        double want = (double)n / speeds[k];
        CHECK_MSG(fabs((double)ng - want) <= 0.03 * want, "speed %.2f: %zu samples, want %.0f",
                  speeds[k], ng, want);
        double f = zc_rate(got + RATE / 10, ng - RATE / 5) / 2;
        CHECK_MSG(fabs(f - 220) <= 220 * 0.03, "speed %.2f: %.1f Hz, want 220", speeds[k], f);
        CHECK(endpos == (int64_t)n);
        free(got);
    }
    free(tone);
}

static void test_seek_and_position(void)
{
    size_t n = RATE * 12;
    int16_t *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        x[i] = (int16_t)((i * 7) % 20000 - 10000);
    audio_player *p;
    setenv("TEST_SPK_WAV", "play_seek.wav", 1);
    CHECK(audio_player_open(A, "test_spk", x, n, RATE, &p, err, sizeof err) == 0);
    audio_player_seek(p, 5.0);
    CHECK(audio_player_position(p) == 5 * RATE);
    audio_player_seek(p, 5.0);
    CHECK(audio_player_position(p) == 10 * RATE);
    audio_player_seek(p, 5.0);
    CHECK(audio_player_position(p) == (int64_t)n); /* clamped to the end */
    audio_player_seek(p, -5.0);
    CHECK(audio_player_position(p) == (int64_t)n - 5 * RATE);
    audio_player_seek_to(p, -100);
    CHECK(audio_player_position(p) == 0);
    audio_player_close(p);

    /* Playing from 7 s: the speaker gets exactly the last 5 s. */
    size_t ng;
    int64_t endpos;
    int16_t *got = play_into("play_seek.wav", x, n, 1.0, 7 * RATE, &ng, &endpos);
    if (got) {
        long off = find_start(got, ng, x + 7 * RATE, 5 * RATE);
        CHECK(off >= 0);
        if (off >= 0)
            CHECK(memcmp(got + off, x + 7 * RATE, 5 * RATE * sizeof *x) == 0);
        CHECK(endpos == (int64_t)n);
    }
    free(got);
    free(x);
}

static void test_unknown_output(void)
{
    int16_t pcm[10] = {0};
    audio_player *p;
    CHECK(audio_player_open(A, "hdmi_out_nowhere", pcm, 10, RATE, &p, err, sizeof err) ==
          VIVA_ENODEV);
    CHECK(strstr(err, "\"hdmi_out_nowhere\"") && strstr(err, "\"test_spk\""));
}

int main(void)
{
    if (!getenv("ALSA_CONFIG_PATH") || !strstr(getenv("ALSA_CONFIG_PATH"), "virtual-audio")) {
        fprintf(stderr, "skipped: ALSA_CONFIG_PATH does not name virtual-audio.conf\n");
        return check_summary("playback");
    }
    if (!fixture_tools_ok()) {
        fprintf(stderr, "skipped: espeak-ng and sox are needed for the spoken fixtures\n");
        return check_summary("playback");
    }
    /* The virtual microphone is listed only if its raw file opens when PortAudio starts. */
    int16_t silence[160] = {0};
    write_raw("play_boot.raw", silence, 160);
    setenv("TEST_MIC_RAW", "play_boot.raw", 1);
    CHECK(audio_open(&A, err, sizeof err) == 0);
    if (!A)
        return check_summary("playback");
    RUN(test_stored_answer_plays_back);
    RUN(test_speed_keeps_pitch);
    RUN(test_seek_and_position);
    RUN(test_unknown_output);
    audio_close(A);
    return check_summary("playback");
}
