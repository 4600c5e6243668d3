/* test_adapt.c: speaker adaptation (adapt.h) with Debian's real tools and model. The
 * enrolment script is spoken by flite's awb voice (a Scottish man, a voice the fixtures do
 * not use); adapt_estimate runs sphinx_fe, bw and mllr_solve on it; the transform is applied
 * to the pocketsphinx transcriber, switched off again, and a damaged one is refused while the
 * one in force stays. Skips visibly when sphinxtrain or the model is not installed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adapt.h"
#include "check.h"
#include "speech_cmd.h"
#include "speech_tts.h"
#include "strbuf.h"
#include "transcribe.h"
#include "verr.h"

#ifndef VIVA_ASSET_DIR
#define VIVA_ASSET_DIR "assets"
#endif
#define SENDUMP "/usr/share/pocketsphinx/model/en-us/en-us/sendump"

static void test_script(void)
{
    CHECK(adapt_script_count() >= 10);
    size_t words = 0;
    for (size_t i = 0; i < adapt_script_count(); i++) {
        const char *s = adapt_script(i);
        CHECK(s && strlen(s) > 40);
        for (const char *p = s; *p; p++)
            words += *p == ' ';
    }
    CHECK_MSG(words >= 200, "%zu words", words); /* about 100 s read aloud */
    CHECK(adapt_script(adapt_script_count()) == NULL);
}

/* A transform with `diag` on the matrices' diagonals, `h` as every variance scale and `b` as
 * every offset, in the layout of adapt_identity(). */
static char *make_transform(int diag, int h, const char *b)
{
    strbuf s = {0};
    sb_append(&s, "1\n3\n");
    for (int f = 0; f < 3; f++) {
        sb_append(&s, "13\n");
        for (int r = 0; r < 13; r++)
            for (int c = 0; c < 13; c++)
                sb_appendf(&s, "%d%s", r == c ? diag : 0, c == 12 ? "\n" : " ");
        for (int c = 0; c < 13; c++)
            sb_appendf(&s, "%s%s", b, c == 12 ? "\n" : " ");
        for (int c = 0; c < 13; c++)
            sb_appendf(&s, "%d%s", h, c == 12 ? "\n" : " ");
    }
    return sb_take(&s);
}

static void test_check_transform(void)
{
    char err[300];
    const char *id = adapt_identity();
    CHECK_MSG(adapt_check_transform(id, strlen(id), err, sizeof err) == 0, "%s", err);
    CHECK(adapt_check_transform(id, strlen(id) / 2, err, sizeof err) != 0);
    CHECK(strstr(err, "missing") != NULL);
    CHECK(adapt_check_transform("", 0, err, sizeof err) != 0);
    CHECK(adapt_check_transform("2\n3\n", 4, err, sizeof err) != 0 && strstr(err, "classes"));
    /* a matrix of zeros, a zero variance scale, a NaN */
    char *t = make_transform(1, 1, "0");
    CHECK_MSG(adapt_check_transform(t, strlen(t), err, sizeof err) == 0, "%s", err);
    CHECK_STR(t, id);
    free(t);
    t = make_transform(0, 1, "0");
    CHECK(adapt_check_transform(t, strlen(t), err, sizeof err) != 0 && strstr(err, "degenerate"));
    free(t);
    t = make_transform(1, 0, "0");
    CHECK(adapt_check_transform(t, strlen(t), err, sizeof err) != 0 &&
          strstr(err, "not positive"));
    free(t);
    t = make_transform(1, 1, "nan");
    CHECK(adapt_check_transform(t, strlen(t), err, sizeof err) != 0 &&
          strstr(err, "out of range"));
    free(t);
    char trailing[4096];
    snprintf(trailing, sizeof trailing, "%sjunk\n", id);
    CHECK(adapt_check_transform(trailing, strlen(trailing), err, sizeof err) != 0);
}

static void test_mixture_weights(void)
{
    struct stat sb;
    if (stat(SENDUMP, &sb) != 0)
        SKIP("no %s (install the Debian package pocketsphinx-en-us)", SENDUMP);
    char out[512], err[300];
    const char *tmp = getenv("TMPDIR");
    snprintf(out, sizeof out, "%s/viva-test-mixw-%d", tmp && *tmp ? tmp : "/tmp", (int)getpid());
    CHECK_MSG(adapt_write_mixw(SENDUMP, out, err, sizeof err) == 0, "%s", err);
    FILE *f = fopen(out, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    char head[64];
    CHECK(fread(head, 1, 22, f) == 22 && memcmp(head, "s3\nversion 1.0\nendhdr\n", 22) == 0);
    uint32_t dims[5];
    CHECK(fread(dims, 4, 5, f) == 5 && dims[0] == 0x11223344);
    CHECK(dims[2] == 3 && dims[4] == dims[1] * dims[2] * dims[3]);
    /* each senone's weights over one stream's codewords sum to about 1 (8-bit quantised) */
    float *w = xmalloc((size_t)dims[3] * sizeof *w);
    int bad = 0;
    for (uint32_t s = 0; s < dims[1] && !bad; s += 97) {
        fseek(f, 22 + 20 + (long)s * dims[2] * dims[3] * 4, SEEK_SET);
        double sum = 0;
        bad = fread(w, sizeof *w, dims[3], f) != dims[3];
        for (uint32_t c = 0; c < dims[3] && !bad; c++)
            sum += w[c];
        CHECK_MSG(bad || (sum > 0.8 && sum < 1.2), "senone %u sums to %g", s, sum);
    }
    CHECK(!bad);
    free(w);
    fclose(f);
    remove(out);
    CHECK(adapt_write_mixw("/nonexistent/sendump", out, err, sizeof err) != 0 &&
          strstr(err, "/nonexistent/sendump"));
    CHECK(adapt_write_mixw("/etc/hostname", out, err, sizeof err) != 0 &&
          strstr(err, "not a sendump"));
}

/* The script spoken by flite's awb voice. */
typedef struct {
    int16_t *pcm[32];
    size_t n[32];
    adapt_sentence s[32];
    size_t count;
} spoken;

static int speak_script(spoken *sp, char *err, size_t errlen)
{
    speech_tts *t;
    speech_tts_params tp = {.voice = "awb", .rate = 1.0, .volume = 1.0};
    memset(sp, 0, sizeof *sp);
    if (speech_tts_open(&tp, &t, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < adapt_script_count() && i < 32; i++) {
        if (speech_tts_say(t, adapt_script(i), &sp->pcm[i], &sp->n[i], err, errlen) != 0)
            break;
        sp->s[i] = (adapt_sentence){sp->pcm[i], sp->n[i], adapt_script(i)};
        sp->count++;
    }
    speech_tts_close(t);
    return sp->count == adapt_script_count() ? 0 : -1;
}

static void spoken_free(spoken *sp)
{
    for (size_t i = 0; i < sp->count; i++)
        free(sp->pcm[i]);
}

/* What the estimation tests share: the tools (else skip), the script spoken once, viva.dict. */
static spoken script_sp;
static int script_state; /* 0 not tried, 1 spoken, -1 failed */
static char script_why[600];

static spoken *script_spoken(char *dict, size_t len)
{
    snprintf(dict, len, "%s/dict/viva.dict", VIVA_ASSET_DIR);
    if (script_state == 0) {
        script_state = adapt_check(NULL, script_why, sizeof script_why) == 0 &&
                               speak_script(&script_sp, script_why, sizeof script_why) == 0
                           ? 1
                           : -1;
    }
    return script_state == 1 ? &script_sp : NULL;
}

static char *words_text(transcriber *t, const int16_t *pcm, size_t n)
{
    feedback_word *w = NULL;
    size_t nw = 0;
    strbuf b = {0};
    if (transcribe_pcm(t, pcm, n, &w, &nw) == 0)
        for (size_t i = 0; i < nw; i++)
            sb_appendf(&b, "%s%s", i ? " " : "", w[i].text);
    free(w);
    return b.s ? sb_take(&b) : xstrdup("");
}

/* Each command phrase spoken by `tts` between half-second silences: how many were heard as
 * themselves. */
static int count_commands(speech_cmd *r, speech_tts *tts)
{
    int16_t silence[8000] = {0};
    int ok = 0;
    char err[300];
    for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
        int16_t *x = NULL;
        size_t nx = 0;
        if (speech_tts_say(tts, speech_cmd_phrase((speech_cmd_id)c), &x, &nx, err,
                           sizeof err) != 0)
            continue;
        speech_cmd_hit h[4];
        speech_cmd_reset(r);
        int got = speech_cmd_feed(r, silence, 8000, h, 4);
        got += speech_cmd_feed(r, x, nx, h + got, 4 - got);
        got += speech_cmd_feed(r, silence, 8000, h + got, 4 - got);
        ok += got >= 1 && h[0].cmd == (speech_cmd_id)c;
        free(x);
    }
    return ok;
}

static void test_estimate_and_apply(void)
{
    char err[600], dict[512];
    spoken *spp = script_spoken(dict, sizeof dict);
    if (!spp)
        SKIP("%s", script_why);
    const spoken sp = *spp;
    char *mllr = NULL;
    size_t len = 0;
    adapt_report rep;
    int rc = adapt_estimate(sp.s, sp.count, NULL, dict, &mllr, &len, &rep, err, sizeof err);
    CHECK_MSG(rc == 0 && mllr && len > 1000, "%s", err);
    CHECK_MSG(rep.used == sp.count && rep.aligned >= sp.count - 1 && rep.seconds > 40,
              "used %zu aligned %zu of %zu, %.1f s", rep.used, rep.aligned, sp.count,
              rep.seconds);
    CHECK(rep.cpu_s > 0);
    fprintf(stderr, "adapt: %zu sentences, %.1f s of speech, %.2f s CPU in the tools\n",
            rep.used, rep.seconds, rep.cpu_s);
    if (!mllr)
        return;
    CHECK(adapt_check_transform(mllr, len, err, sizeof err) == 0);
    CHECK_MSG(strcmp(mllr, adapt_identity()) != 0, "the transform is the identity");

    /* Applied, taken off again, and a damaged one refused while the one in force stays. The
     * test clip is the last sentence, which the first estimate below never sees. */
    char *mllr9 = NULL;
    size_t len9 = 0;
    rc = adapt_estimate(sp.s, sp.count - 1, NULL, dict, &mllr9, &len9, &rep, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    transcribe_params p = {.dict = dict};
    transcriber *t = NULL;
    rc = transcribe_open(&p, &t, err, sizeof err);
    CHECK_MSG(rc == 0 && t, "%s", err);
    if (t && mllr9) {
        const int16_t *clip = sp.pcm[sp.count - 1];
        size_t n = sp.n[sp.count - 1];
        char *base = words_text(t, clip, n);
        CHECK_MSG(transcribe_adapt(t, mllr9, len9, err, sizeof err) == 0, "%s", err);
        char *adapted = words_text(t, clip, n);
        CHECK(transcribe_adapt(t, "1\n3\n13\n", 8, err, sizeof err) == VIVA_EPARSE);
        CHECK(strstr(err, "damaged") != NULL);
        char *still = words_text(t, clip, n);
        CHECK_STR(still, adapted);
        char *far = make_transform(1, 1, "40"); /* every mean far away: nothing sounds right */
        CHECK(transcribe_adapt(t, far, strlen(far), err, sizeof err) == 0);
        char *deaf = words_text(t, clip, n);
        CHECK_MSG(strcmp(deaf, base) != 0, "a far-off transform changed nothing: %s", deaf);
        free(far);
        free(deaf);
        CHECK_MSG(transcribe_adapt(t, NULL, 0, err, sizeof err) == 0, "%s", err);
        char *back = words_text(t, clip, n);
        CHECK_STR(back, base);
        fprintf(stderr, "said:    %s\ngeneric: %s\nadapted: %s\n", adapt_script(sp.count - 1),
                base, adapted);
        free(base);
        free(adapted);
        free(still);
        free(back);
    }
    transcribe_close(t);

    /* The command spotter with the same voice's adaptation, handed over as the kiosk does
     * (put in force by the feeding thread at its next feed): awb's phrases still recognised;
     * a damaged transform refused at once. */
    speech_cmd_params cp = {.context = SPEECH_CTX_ALL};
    speech_cmd *r = NULL;
    speech_tts *tts = NULL;
    speech_tts_params tp = {.voice = "awb", .rate = 1.0, .volume = 1.0};
    rc = speech_cmd_open(&cp, &r, err, sizeof err);
    CHECK_MSG(rc == 0, "%s", err);
    if (r && mllr && speech_tts_open(&tp, &tts, err, sizeof err) == 0) {
        CHECK(speech_cmd_adapt(r, "2\n", 2, err, sizeof err) == VIVA_EPARSE);
        CHECK_MSG(speech_cmd_adapt(r, mllr, len, err, sizeof err) == VIVA_OK, "%s", err);
        int ok = count_commands(r, tts);
        fprintf(stderr, "commands, adapted to awb: %d of %d recognised\n", ok,
                SPEECH_CMD_COUNT - 1);
        CHECK_MSG(ok >= SPEECH_CMD_COUNT - 4, "%d of %d commands recognised", ok,
                  SPEECH_CMD_COUNT - 1);
        /* proof that a transform is put in force: one that shifts every mean far away
         * deafens the spotter, and the generic model brings it back */
        char *far = make_transform(1, 1, "40");
        CHECK(speech_cmd_adapt(r, far, strlen(far), err, sizeof err) == VIVA_OK);
        int deaf = count_commands(r, tts);
        CHECK_MSG(deaf <= 2, "%d commands recognised through a far-off transform", deaf);
        free(far);
        CHECK(speech_cmd_adapt(r, NULL, 0, err, sizeof err) == VIVA_OK);
        int back = count_commands(r, tts);
        CHECK_MSG(back >= SPEECH_CMD_COUNT - 4, "%d commands after the generic model is back",
                  back);
    }
    speech_tts_close(tts);
    speech_cmd_close(r);
    free(mllr);
    free(mllr9);
}

static void test_estimate_refuses(void)
{
    char err[600], dict[512];
    spoken *spp = script_spoken(dict, sizeof dict);
    if (!spp)
        SKIP("%s", script_why);
    const spoken sp = *spp;
    char *mllr = NULL;
    size_t len = 0;
    adapt_report rep;
    /* two sentences are too few */
    CHECK(adapt_estimate(sp.s, 2, NULL, dict, &mllr, &len, &rep, err, sizeof err) ==
          VIVA_EINVAL);
    CHECK_MSG(strstr(err, "at least 3 sentences") && rep.used == 2, "%s", err);
    CHECK(mllr == NULL && len == 0);
    /* a sentence with a word no dictionary has is left out, the rest are used */
    adapt_sentence s[4] = {sp.s[0], sp.s[1], sp.s[2], sp.s[3]};
    s[1].text = "zorblattic frumious";
    int rc = adapt_estimate(s, 4, NULL, dict, &mllr, &len, &rep, err, sizeof err);
    CHECK_MSG(rc == 0 && rep.used == 3, "%s (used %zu)", err, rep.used);
    free(mllr);
    /* silence read as sentences: nothing to align */
    int16_t *quiet = xcalloc(16000 * 8, sizeof *quiet);
    adapt_sentence z[4];
    for (int i = 0; i < 4; i++)
        z[i] = (adapt_sentence){quiet, 16000 * 8, adapt_script((size_t)i)};
    mllr = NULL;
    rc = adapt_estimate(z, 4, NULL, dict, &mllr, &len, &rep, err, sizeof err);
    CHECK_MSG(rc == VIVA_EINVAL && mllr == NULL && rep.used == 0, "silence gave a transform");
    fprintf(stderr, "silence: %s\n", err);
    free(quiet);
}

int main(void)
{
    RUN(test_script);
    RUN(test_check_transform);
    RUN(test_mixture_weights);
    RUN(test_estimate_and_apply);
    RUN(test_estimate_refuses);
    spoken_free(&script_sp);
    return check_summary("adapt");
}
