/* test_hands_null.c: the voice service with its null backend (hands_backend_null.c), in every
 * build. Opening fails with VIVA_ENOTFOUND and one sentence starting "speech unavailable",
 * whichever half is asked for; every hands_* call on the NULL handle that results is harmless
 * and says the same; the phrases are there anyway. In a build without flite/pocketsphinx the
 * default backend is the null one and hands_open behaves exactly so. A real PortAudio handle is
 * passed, as the kiosk does (the null backend never touches it). */
#include <stdio.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "hands.h"
#include "hands_backend.h"
#include "speech_cmd.h"
#include "verr.h"

#define UNAVAILABLE "speech unavailable"

static audio *a;

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void test_table(void)
{
    const hands_backend *be = &hands_backend_null;
    CHECK_STR(be->name, "null");
    char err[256] = "";
    void *v = (void *)1;
    CHECK(be->voice_open(NULL, &v, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(v == NULL && starts(err, UNAVAILABLE));
    char err2[256] = "";
    void *e = (void *)1;
    CHECK(be->ears_open(NULL, &e, err2, sizeof err2) == VIVA_ENOTFOUND);
    CHECK(e == NULL);
    CHECK_STR(err2, err); /* the same sentence for both halves */
    int16_t *pcm = (int16_t *)1;
    size_t frames = 7;
    CHECK(be->voice_say(NULL, "hello", &pcm, &frames, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(pcm == NULL && frames == 0);
    int16_t silence[160] = {0};
    speech_cmd_hit hits[4];
    CHECK(be->ears_feed(NULL, silence, 160, hits, 4) == 0);
    be->ears_set_context(NULL, SPEECH_CTX_ALL);
    be->ears_reset(NULL);
    be->voice_close(NULL);
    be->ears_close(NULL);
}

/* hands_open_with the null backend for each combination of halves. */
static void test_open(void)
{
    const int want[3][2] = {{1, 1}, {1, 0}, {0, 1}};
    for (int i = 0; i < 3; i++) {
        hands_cfg cfg = {0};
        cfg.speak = want[i][0];
        cfg.listen = want[i][1];
        snprintf(cfg.voice, sizeof cfg.voice, "slt");
        hands *h = (hands *)1;
        char err[512] = "";
        CHECK_MSG(hands_open_with(&hands_backend_null, &cfg, a, &h, err, sizeof err) ==
                      VIVA_ENOTFOUND,
                  "speak %d listen %d", cfg.speak, cfg.listen);
        CHECK(h == NULL);
        CHECK_MSG(starts(err, UNAVAILABLE) && !strstr(err, "; "), "one sentence: %s", err);
    }
    hands_cfg off = {0};
    hands *h = (hands *)1;
    char err[512] = "";
    CHECK(hands_open_with(&hands_backend_null, &off, a, &h, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(h == NULL && strstr(err, "turned off"));
}

/* What the kiosk does with the handle it got (NULL): nothing crashes, nothing is possible. */
static void test_null_handle(void)
{
    hands *h = NULL;
    char err[256] = "";
    CHECK(!hands_can_speak(h) && !hands_can_listen(h));
    CHECK(hands_say(h, "Explain a hash table.", err, sizeof err) == VIVA_ENOTFOUND);
    CHECK_MSG(starts(err, UNAVAILABLE), "%s", err);
    CHECK(!hands_speaking(h));
    err[0] = 0;
    CHECK(hands_listen(h, SPEECH_CTX_ALL, NULL, NULL, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK_MSG(starts(err, UNAVAILABLE), "%s", err);
    CHECK(!hands_listening(h));
    hands_set_context(h, SPEECH_CTX_IDLE);
    hands_tick(h);
    hands_silence(h);
    hands_listen_stop(h);
    int16_t pcm[160] = {0};
    hands_answer_begin(h, NULL, NULL);
    hands_answer_feed(h, pcm, 160);
    hands_answer_finish(h);
    hands_close(h);
}

static void test_phrases(void)
{
    CHECK_STR(hands_phrase(SPEECH_CMD_NONE), "");
    for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
        CHECK_MSG(hands_phrase(c)[0] != 0, "command %d has no phrase", c);
        for (int d = 1; d < c; d++)
            CHECK(strcmp(hands_phrase(c), hands_phrase(d)) != 0);
    }
    CHECK_STR(hands_phrase(SPEECH_CMD_NEXT), speech_cmd_phrase(SPEECH_CMD_NEXT));
}

/* This build's default backend, and hands_open through it. */
static void test_default(void)
{
    const hands_backend *be = hands_backend_default();
#ifdef VIVA_HAVE_SPEECH
    CHECK_STR(be->name, "flite+pocketsphinx");
#else
    CHECK(be == &hands_backend_null);
    hands_cfg cfg = {0};
    cfg.speak = cfg.listen = 1;
    hands *h = (hands *)1;
    char err[512] = "";
    CHECK(hands_open(&cfg, a, &h, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(h == NULL && starts(err, UNAVAILABLE));
#endif
    printf("default speech backend: %s\n", be->name);
}

int main(void)
{
    char err[256];
    if (audio_open(&a, err, sizeof err)) {
        fprintf(stderr, "audio_open: %s\n", err);
        return 1;
    }
    RUN(test_table);
    RUN(test_open);
    RUN(test_null_handle);
    RUN(test_phrases);
    RUN(test_default);
    audio_close(a);
    return check_summary("hands_null");
}
