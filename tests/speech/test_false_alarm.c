/* test_false_alarm.c: ordinary technical speech must not trigger commands. The paragraphs of
 * fixtures/talk.txt, spoken by the flite voices named in SPEECH_TALK_VOICES (made by
 * make_talk.sh), go through the virtual microphone (real PortAudio) into the recogniser with
 * every command active. At most one false command per five minutes of speech is allowed, and
 * the end-of-answer phrase (the only one active while answering) must never fire. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "speech_cmd.h"
#include "speech_fixture.h"
#include "verr.h"

static int n_voices;
static char *voices[8];

static void test_false_alarms(void)
{
    const char *emu = getenv("VIVA_EMU");
    if (emu && *emu)
        SKIP("under emulation (%s): decoding 7 minutes of speech would take several minutes; "
             "the native run covers the same code", emu);
    char err[1024];
    double seconds = 0;
    int falses = 0, ends = 0;
    audio *a = NULL;
    speech_cmd *rec = NULL;
    speech_cmd_params pp = {0};
    pp.context = SPEECH_CTX_ALL;
    int rc = speech_cmd_open(&pp, &rec, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (rc)
        return;
    for (int v = 0; v < n_voices; v++) {
        char raw[256];
        snprintf(raw, sizeof raw, "talk_%s.raw", voices[v]);
        size_t n = 0;
        int16_t *x = read_raw(raw, &n);
        if (!x) {
            speech_cmd_close(rec);
            if (a)
                audio_close(a);
            SKIP("no %s: make_talk.sh made no fixtures (flite or sox missing?)", raw);
        }
        free(x);
        setenv("TEST_MIC_RAW", raw, 1); /* PortAudio lists the device only if it opens */
        if (!a)
            CHECK(audio_open(&a, err, sizeof err) == 0);
        rec_sink sink = {0};
        sink.rec = rec;
        speech_cmd_reset(rec);
        rc = capture_file(a, raw, n, &sink, err, sizeof err);
        CHECK_MSG(rc == 0, "%s", err);
        CHECK_MSG(sink.got.n + RATE / 10 >= n, "captured %zu of %zu samples", sink.got.n, n);
        for (int h = 0; h < sink.nhits; h++) {
            fprintf(stderr, "  %s: \"%s\" at %.2f s\n", voices[v],
                    speech_cmd_phrase(sink.hits[h].cmd), (double)sink.hits[h].start / RATE);
            ends += sink.hits[h].cmd == SPEECH_CMD_END_ANSWER;
        }
        falses += sink.nhits;
        seconds += (double)sink.got.n / RATE;
        free(sink.got.x);
    }
    double per5 = seconds > 0 ? falses / (seconds / 300.0) : 0;
    printf("false commands: %d in %.1f min of speech (%.2f per 5 min); end phrase: %d\n", falses,
           seconds / 60, per5, ends);
    CHECK(seconds >= 60 * n_voices);
    CHECK_MSG(per5 <= 1.0, "%.2f false commands per 5 minutes", per5);
    CHECK(ends == 0);
    speech_cmd_close(rec);
    audio_close(a);
}

int main(void)
{
    static char list[256];
    const char *env = getenv("SPEECH_TALK_VOICES");
    snprintf(list, sizeof list, "%s", env && *env ? env : "slt rms awb kal16");
    for (char *save = NULL, *v = strtok_r(list, " ", &save); v && n_voices < 8;
         v = strtok_r(NULL, " ", &save))
        voices[n_voices++] = v;
    RUN(test_false_alarms);
    return check_summary("speech false alarms");
}
