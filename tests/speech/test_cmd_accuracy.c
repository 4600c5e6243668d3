/* test_cmd_accuracy.c: the command phrases, spoken by four flite voices at two speeds, go
 * through the virtual microphone (real PortAudio, virtual-audio.conf) into the recogniser with
 * every command active. At least 95% must be recognised as the right command at the right
 * place, and none as a wrong one. Prints the recognition rate and the latency from the end of
 * each phrase to its recognition, in audio time. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "speech_cmd.h"
#include "speech_fixture.h"
#include "verr.h"

static const double stretches[] = {1.0, 1.25};
#define N_STRETCH 2
#define N_TRIALS (N_VOICES * N_STRETCH * (SPEECH_CMD_COUNT - 1))

typedef struct {
    speech_cmd_id cmd;
    int64_t start, end; /* where the phrase lies in the stream */
    const char *voice;
    double stretch;
} trial;

static void test_accuracy(void)
{
    if (!speech_tools_ok())
        SKIP("flite or sox is not installed (Debian packages flite, sox)");
    static trial t[N_TRIALS];
    pcm_buf stream = {0};
    int nt = 0;
    /* Under emulation (qemu, 10-20 times slower) one speed only, to stay well inside the
     * timeout; still 44 phrases from 4 voices. */
    const char *emu = getenv("VIVA_EMU");
    int n_stretch = emu && *emu ? 1 : N_STRETCH;
    for (int v = 0; v < N_VOICES; v++)
        for (int s = 0; s < n_stretch; s++)
            for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
                char raw[256];
                snprintf(raw, sizeof raw, "cmd_%s_%d_%s.raw", fixture_voices[v], s,
                         speech_cmd_phrase((speech_cmd_id)c));
                for (char *q = raw; *q; q++)
                    *q = *q == ' ' ? '_' : *q;
                size_t n;
                int16_t *x = flite_raw(fixture_voices[v], speech_cmd_phrase((speech_cmd_id)c),
                                       stretches[s], raw, &n);
                CHECK_MSG(x != NULL, "flite/sox failed for %s", raw);
                if (!x)
                    return;
                int64_t s0, s1;
                speech_bounds(x, n, &s0, &s1);
                buf_add(&stream, NULL, RATE * 7 / 10);
                t[nt] = (trial){(speech_cmd_id)c, (int64_t)stream.n + s0, (int64_t)stream.n + s1,
                                fixture_voices[v], stretches[s]};
                nt++;
                buf_add(&stream, x, n);
                free(x);
            }
    buf_add(&stream, NULL, RATE);
    buf_noise(&stream, 0.003, 77);
    CHECK(write_raw("cmd_stream.raw", stream.x, stream.n) == 0);

    char err[1024];
    audio *a;
    setenv("TEST_MIC_RAW", "cmd_stream.raw", 1); /* PortAudio lists the device only if it opens */
    CHECK(audio_open(&a, err, sizeof err) == 0);
    speech_cmd_params pp = {0};
    pp.context = SPEECH_CTX_ALL;
    rec_sink sink = {0};
    int rc = speech_cmd_open(&pp, &sink.rec, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc) {
        audio_close(a);
        free(stream.x);
        return;
    }
    rc = capture_file(a, "cmd_stream.raw", stream.n, &sink, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    CHECK_MSG(sink.got.n + RATE / 10 >= stream.n, "captured %zu of %zu samples", sink.got.n,
              stream.n);

    int right = 0, wrong = 0, extra = 0;
    double lat_sum = 0, lat_max = 0;
    int used[256] = {0};
    for (int i = 0; i < nt; i++) {
        int found = 0;
        for (int h = 0; h < sink.nhits; h++) {
            const speech_cmd_hit *hit = &sink.hits[h];
            if (used[h] || hit->end < t[i].start || hit->start > t[i].end + RATE / 4)
                continue;
            used[h] = 1;
            if (hit->cmd == t[i].cmd && found) {
                extra++;
                fprintf(stderr, "  twice: %s x%.2f \"%s\"\n", t[i].voice, t[i].stretch,
                        speech_cmd_phrase(t[i].cmd));
            } else if (hit->cmd == t[i].cmd) {
                found = 1;
                double lat = (double)(hit->heard_at - t[i].end) / RATE * 1000;
                lat_sum += lat;
                lat_max = lat > lat_max ? lat : lat_max;
            } else {
                wrong++;
                fprintf(stderr, "  %s x%.2f \"%s\" heard as \"%s\"\n", t[i].voice, t[i].stretch,
                        speech_cmd_phrase(t[i].cmd), speech_cmd_phrase(hit->cmd));
            }
        }
        if (found)
            right++;
        else
            fprintf(stderr, "  missed: %s x%.2f \"%s\"\n", t[i].voice, t[i].stretch,
                    speech_cmd_phrase(t[i].cmd));
    }
    for (int h = 0; h < sink.nhits; h++)
        if (!used[h]) {
            extra++;
            fprintf(stderr, "  extra \"%s\" at %.2f s\n", speech_cmd_phrase(sink.hits[h].cmd),
                    (double)sink.hits[h].start / RATE);
        }
    double acc = 100.0 * right / nt;
    printf("accuracy: %d/%d = %.1f%% (%d voices x %d speeds x %d phrases), wrong %d, extra %d\n",
           right, nt, acc, N_VOICES, n_stretch, SPEECH_CMD_COUNT - 1, wrong, extra);
    if (right)
        printf("latency (end of phrase to recognition, audio time): mean %.0f ms, max %.0f ms\n",
               lat_sum / right, lat_max);
    CHECK_MSG(acc >= 95.0, "accuracy %.1f%%", acc);
    CHECK(wrong == 0);
    CHECK(extra == 0);
    speech_cmd_close(sink.rec);
    audio_close(a);
    free(sink.got.x);
    free(stream.x);
}

int main(void)
{
    RUN(test_accuracy);
    return check_summary("speech accuracy");
}
