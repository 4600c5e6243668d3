/* test_transcriber.c: the transcriber interface (transcriber.h). The pocketsphinx engine
 * through its function table on a real recording (pocketsphinx-testdata's goforward.raw, a man
 * saying "go forward ten meters"): the words, their times and confidences; feedback_open on a
 * named engine; and an engine written here (its words scripted, as a neural engine would give
 * its own) analysed by the unchanged feedback module, its confidences deciding "sure". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "transcriber.h"
#include "verr.h"

#ifndef GOFORWARD
#define GOFORWARD "/usr/share/pocketsphinx/test/data/goforward.raw"
#endif

static int16_t *pcm;
static size_t npcm;

/* goforward.raw: 16 kHz mono 16-bit little-endian samples without a header. */
static int read_raw(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    pcm = xmalloc((size_t)bytes);
    npcm = fread(pcm, sizeof *pcm, (size_t)bytes / sizeof *pcm, f);
    fclose(f);
    return npcm > 0 ? 0 : -1;
}

static void test_find(void)
{
    CHECK(transcriber_default() == &transcriber_pocketsphinx);
    CHECK(transcriber_find("pocketsphinx") == &transcriber_pocketsphinx);
    CHECK(transcriber_find("whisper") == NULL); /* not in this build */
    CHECK(transcriber_find(NULL) == NULL);
    const transcriber_engine *e = transcriber_default();
    CHECK(e->open && e->words && e->knows && e->adapt && e->close &&
          strcmp(e->name, "pocketsphinx") == 0);
}

static void test_pocketsphinx_table(void)
{
    if (!pcm)
        SKIP("no %s (install the Debian package pocketsphinx-testdata)", GOFORWARD);
    const transcriber_engine *e = transcriber_default();
    transcribe_params p = {0}; /* Debian's generic model, no banks */
    void *eng = NULL;
    char err[512];
    int rc = e->open(&p, &eng, err, sizeof err);
    if (rc == VIVA_ENOTFOUND)
        SKIP("%s", err);
    CHECK_MSG(rc == VIVA_OK && eng, "%s", err);
    if (!eng)
        return;
    CHECK(e->knows(eng, "forward") && !e->knows(eng, "zorblattic"));
    double first_start[8] = {0};
    /* three times: later utterances number their frames alike (Debian's pocketsphinx counts
     * segment frames from the first utterance; the words' times and the lattice lookup must
     * not drift from one answer to the next) */
    for (int pass = 0; pass < 3; pass++) {
        feedback_word *w = NULL;
        size_t n = 0;
        CHECK(e->words(eng, pcm, npcm, &w, &n) == VIVA_OK);
        char said[256] = "";
        double prev = -1, sum = 0;
        for (size_t i = 0; i < n; i++) {
            snprintf(said + strlen(said), sizeof said - strlen(said), "%s%s", i ? " " : "",
                     w[i].text);
            CHECK_MSG(w[i].conf >= 0 && w[i].conf <= 1, "%s: confidence %g", w[i].text,
                      w[i].conf);
            CHECK(w[i].start >= prev && w[i].end > w[i].start);
            CHECK(w[i].end <= (double)npcm / TRANSCRIBE_RATE + 0.05);
            prev = w[i].end;
            sum += w[i].conf;
            if (i < 8 && pass == 0)
                first_start[i] = w[i].start;
            else if (i < 8)
                CHECK_MSG(w[i].start > first_start[i] - 0.005 && w[i].start < first_start[i] + 0.005,
                          "pass %d: %s starts at %.2f s, at %.2f s the first time", pass,
                          w[i].text, w[i].start, first_start[i]);
        }
        CHECK_STR(said, "go forward ten meters");
        /* a clear recording: the lattice is sure of it (0.8 - 1.0 per word here) */
        CHECK_MSG(n && sum / (double)n > 0.7, "pass %d: mean confidence %.3f", pass,
                  n ? sum / (double)n : 0);
        free(w);
    }
    e->close(eng);
}

/* ---- an engine of this test's own: the words it "hears" are set by the test ---- */

static double scripted_conf;

static int scripted_open(const transcribe_params *p, void **out, char *err, size_t errlen)
{
    (void)p, (void)err, (void)errlen;
    *out = &scripted_conf;
    return VIVA_OK;
}

static int scripted_words(void *eng, const int16_t *x, size_t n, feedback_word **words,
                          size_t *nwords)
{
    static const char *const said[] = {"go", "forward", "ten", "meters"};
    (void)x;
    *words = xcalloc(4, sizeof **words);
    for (int i = 0; i < 4; i++) {
        snprintf((*words)[i].text, sizeof (*words)[i].text, "%s", said[i]);
        (*words)[i].start = 0.5 + 0.4 * i * ((double)n / TRANSCRIBE_RATE / 3);
        (*words)[i].end = (*words)[i].start + 0.3;
        (*words)[i].conf = *(double *)eng;
    }
    *nwords = 4;
    return VIVA_OK;
}

static int scripted_knows(void *eng, const char *word)
{
    (void)eng, (void)word;
    return 1;
}

static void scripted_close(void *eng)
{
    (void)eng;
}

/* No `adapt`: an engine that cannot adapt to a voice. */
static const transcriber_engine scripted = {.name = "scripted", .open = scripted_open,
                                            .words = scripted_words, .knows = scripted_knows,
                                            .close = scripted_close};

static void test_feedback_through_engines(void)
{
    if (!pcm)
        SKIP("no %s (install the Debian package pocketsphinx-testdata)", GOFORWARD);
    char err[512];
    feedback_ctx *fc = NULL;
    transcribe_params p = {.engine = &scripted};
    CHECK(feedback_open(&p, &fc, err, sizeof err) == VIVA_OK && fc);
    if (!fc)
        return;
    CHECK(feedback_engine(fc) == &scripted && feedback_knows(fc, "anything"));
    feedback_result r;
    scripted_conf = 0.95;
    CHECK(feedback_analyse(fc, NULL, pcm, npcm, &r) == VIVA_OK);
    CHECK(r.speech && r.words == 4 && r.sure);
    CHECK_NEAR(r.confidence, 0.95, 1e-9);
    CHECK_STR(r.transcript, "go forward ten meters");
    feedback_result_free(&r);
    scripted_conf = 0.2;
    CHECK(feedback_analyse(fc, NULL, pcm, npcm, &r) == VIVA_OK);
    CHECK(r.speech && !r.sure);
    feedback_result_free(&r);
    scripted_conf = -1; /* an engine that cannot tell: unknown, never sure */
    CHECK(feedback_analyse(fc, NULL, pcm, npcm, &r) == VIVA_OK);
    CHECK(r.speech && !r.sure && r.confidence < 0);
    feedback_result_free(&r);
    /* a profile's voice adaptation on an engine without `adapt`: said, nothing breaks */
    CHECK(feedback_adapt(fc, "1\n3\n", 4, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(strstr(err, "scripted engine cannot adapt") != NULL);
    feedback_close(fc);

    /* the pocketsphinx engine named explicitly, through feedback_recognise */
    transcribe_params q = {.engine = transcriber_find("pocketsphinx")};
    int rc = feedback_open(&q, &fc, err, sizeof err);
    if (rc == VIVA_ENOTFOUND)
        SKIP("%s", err);
    CHECK_MSG(rc == VIVA_OK, "%s", err);
    if (rc != VIVA_OK)
        return;
    CHECK(feedback_engine(fc) == &transcriber_pocketsphinx);
    feedback_word *w = NULL;
    size_t n = 0;
    CHECK(feedback_recognise(fc, pcm, npcm, &w, &n) == VIVA_OK && n == 4);
    free(w);
    CHECK(feedback_analyse(fc, NULL, pcm, npcm, &r) == VIVA_OK);
    CHECK(r.speech && r.words == 4 && r.confidence > 0.7);
    CHECK(r.sure == (r.confidence >= FEEDBACK_SURE_CONFIDENCE));
    feedback_result_free(&r);
    feedback_close(fc);
}

int main(void)
{
    const char *path = getenv("VIVA_GOFORWARD");
    if (read_raw(path && *path ? path : GOFORWARD) != 0)
        fprintf(stderr, "no recording %s\n", GOFORWARD);
    RUN(test_find);
    RUN(test_pocketsphinx_table);
    RUN(test_feedback_through_engines);
    free(pcm);
    return check_summary("transcriber");
}
