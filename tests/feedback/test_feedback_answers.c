/* test_feedback_answers.c: feedback_analyse on spoken answers (flite and espeak-ng renderings
 * of the written answers in answers/, made here by make_answers.sh) with the built-in bank:
 *   - answers written to cover 3 of 5 key points are marked on exactly those (one miss
 *     allowed, no false one) and get a grade at most one step from the intended one (decoded
 *     end to end, which also checks word times across the utterance cut),
 *   - silence and quiet noise: no speech heard, no suggested grade,
 *   - a question without key points: delivery only. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "answer_fixture.h"
#include "banks.h"
#include "check.h"
#include "rng.h"
#include "transcribe.h" /* pocketsphinx's search settings; recognition goes through transcriber.h */
#include "verr.h"

static const char *const three_of_five[] = {"a2-rwmutex-three", "f2-sql-three", "m2-stack-three"};

static feedback_ctx *fc;
static bank *bk;
static answer_fixture *fx;
static int nfx;

static const answer_fixture *fixture(const char *name)
{
    for (int i = 0; i < nfx; i++)
        if (strcmp(fx[i].name, name) == 0)
            return &fx[i];
    return NULL;
}

static int analyse_wav(const char *wav, const bank_item *it, feedback_result *r)
{
    int16_t *pcm;
    size_t n;
    char err[512];
    if (transcribe_read_file(wav, &pcm, &n, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    int rc = feedback_analyse(fc, it, pcm, n, r);
    free(pcm);
    return rc;
}

static void test_off_topic(void)
{
    if (!fc || nfx <= 0)
        SKIP("no recogniser or fixtures");
    const answer_fixture *a = fixture("a4-rwmutex-offtopic");
    CHECK(a != NULL);
    if (!a)
        return;
    feedback_result r;
    CHECK(analyse_wav(a->wav, bank_find(bk, a->question), &r) == VIVA_OK);
    CHECK(r.speech);
    CHECK_MSG(r.ncovered == 0 && r.suggested_grade == 0, "%d covered", r.ncovered);
    feedback_result_free(&r);
}

static void test_silence(void)
{
    if (!fc)
        SKIP("no recogniser");
    const bank_item *it = bank_find(bk, "concurrency.mutex-vs-rwmutex");
    size_t n = 10 * TRANSCRIBE_RATE;
    int16_t *pcm = xcalloc(n, sizeof *pcm);
    feedback_result r;
    CHECK(feedback_analyse(fc, it, pcm, n, &r) == VIVA_OK);
    CHECK(!r.speech && r.words == 0 && r.suggested_grade == -1 && r.nkeys == 5);
    strbuf sb = {0};
    feedback_result_json(&r, &sb);
    CHECK(strstr(sb_str(&sb), "\"suggested_grade\":null") != NULL);
    sb_free(&sb);
    feedback_result_free(&r);
    /* a quiet room: noise around -60 dBFS */
    rng g;
    rng_seed(&g, 7);
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)((rng_uniform(&g) - 0.5) * 60);
    CHECK(feedback_analyse(fc, it, pcm, n, &r) == VIVA_OK);
    CHECK(!r.speech && r.suggested_grade == -1);
    feedback_result_free(&r);
    /* nothing at all */
    CHECK(feedback_analyse(fc, it, pcm, 0, &r) == VIVA_OK);
    CHECK(!r.speech && r.suggested_grade == -1);
    feedback_result_free(&r);
    free(pcm);
}

/* The three answers written to cover 3 of 5 key points, one after the other with 1 s between
 * them, decoded once: longer than one decoding utterance, so the word times must be right
 * across the cut; each answer's words (by time) are then scored against its question. */
static void test_three_of_five_and_long(void)
{
    if (!fc || nfx <= 0)
        SKIP("no recogniser or fixtures (see above)");
    enum { N = sizeof three_of_five / sizeof three_of_five[0] };
    int16_t *pcm = NULL;
    size_t n = 0, starts[N + 1] = {0};
    int nwords = 0;
    char err[512];
    const answer_fixture *fa[N];
    for (size_t i = 0; i < N; i++) {
        const answer_fixture *a = fa[i] = fixture(three_of_five[i]);
        int16_t *x;
        size_t nx;
        CHECK(a && transcribe_read_file(a->wav, &x, &nx, err, sizeof err) == 0);
        if (!a)
            return;
        starts[i] = n;
        pcm = xrealloc(pcm, (n + nx + TRANSCRIBE_RATE) * sizeof *pcm);
        memcpy(pcm + n, x, nx * sizeof *x);
        memset(pcm + n + nx, 0, TRANSCRIBE_RATE * sizeof *pcm);
        n += nx + TRANSCRIBE_RATE;
        nwords += a->nwords;
        free(x);
    }
    starts[N] = n;
    CHECK(n > (size_t)TRANSCRIBE_UTT_SECONDS * TRANSCRIBE_RATE);
    feedback_word *w = NULL;
    size_t nw = 0;
    CHECK(feedback_recognise(fc, pcm, n, &w, &nw) == VIVA_OK);
    CHECK_MSG(nw > (size_t)nwords * 7 / 10, "%zu words heard of %d", nw, nwords);
    for (size_t i = 1; i < nw; i++)
        CHECK_MSG(w[i].start >= w[i - 1].end - 1e-9 && w[i].end > w[i].start,
                  "word %zu '%s' %.2f-%.2f after '%s' %.2f-%.2f", i, w[i].text, w[i].start,
                  w[i].end, w[i - 1].text, w[i - 1].start, w[i - 1].end);
    if (nw)
        CHECK_MSG(w[nw - 1].end > (double)starts[N - 1] / TRANSCRIBE_RATE &&
                      w[nw - 1].end <= (double)n / TRANSCRIBE_RATE,
                  "last word ends at %.2f s; the last answer is %.2f-%.2f s", w[nw - 1].end,
                  (double)starts[N - 1] / TRANSCRIBE_RATE, (double)n / TRANSCRIBE_RATE);

    /* no question: delivery only */
    feedback_result r;
    feedback_score(NULL, NULL, w, nw, &r);
    CHECK(r.speech && r.nkeys == 0 && r.suggested_grade == -1);
    CHECK(r.words > 60 && r.talk_seconds > 30);
    feedback_result_free(&r);

    /* each answer: exactly its 3 key points, one miss allowed, no false one */
    size_t from = 0;
    for (size_t i = 0; i < N; i++) {
        const answer_fixture *a = fa[i];
        size_t to = from;
        while (to < nw && w[to].start < (double)starts[i + 1] / TRANSCRIBE_RATE)
            to++;
        const bank_item *it = bank_find(bk, a->question);
        CHECK(it && it->nkeys == 5 && __builtin_popcount(a->covered) == 3);
        if (!it)
            continue;
        feedback_score(feedback_model_of(fc), it, w + from, to - from, &r);
        int hit = 0, false_hits = 0;
        for (int k = 0; k < r.nkeys; k++) {
            int want = (a->covered >> k) & 1;
            hit += want && r.keys[k].covered;
            false_hits += !want && r.keys[k].covered;
            CHECK(!r.keys[k].covered || r.keys[k].nheard > 0);
        }
        fprintf(stderr, "%s (%s, %s): %d of 3 intended key points, %d others; grade %d "
                "(intended %d)\n  %s\n", a->name, a->voice, a->speed, hit, false_hits,
                r.suggested_grade, a->grade, r.transcript);
        CHECK_MSG(hit >= 2 && false_hits == 0, "%s: %d hit, %d false", a->name, hit, false_hits);
        CHECK(r.suggested_grade >= a->grade - 1 && r.suggested_grade <= a->grade + 1);
        CHECK(r.speech && r.words > 20 && r.words_per_minute > 100);
        feedback_result_free(&r);
        from = to;
    }
    free(w);
    free(pcm);
}

int main(void)
{
    const char *src = getenv("VIVA_SOURCE_DIR"), *assets = getenv("VIVA_ASSET_DIR");
    if (!src || !assets) {
        fprintf(stderr, "set VIVA_SOURCE_DIR and VIVA_ASSET_DIR (ctest does)\n");
        return 1;
    }
    bk = bank_new();
    char pattern[1100], dict[1100], err[512];
    snprintf(pattern, sizeof pattern, "%s/bank/*.bank", assets);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            banks_load_file(bk, g.gl_pathv[i], 5);
        globfree(&g);
    }
    nfx = answer_render(src, "feedback-answers", "a2-rwmutex-three a4-rwmutex-offtopic "
                        "f2-sql-three m2-stack-three", &fx);
    snprintf(dict, sizeof dict, "%s/dict/viva.dict", assets);
    transcribe_params p = {.dict = dict, .bank = bk};
    if (nfx <= 0)
        fprintf(stderr, "no spoken fixtures (flite, espeak-ng or sox missing)\n");
    if (feedback_open(&p, &fc, err, sizeof err) != VIVA_OK) {
        fprintf(stderr, "FAIL: %s\n", err);
        check_failures_++;
    }
    RUN(test_three_of_five_and_long);
    RUN(test_off_topic);
    RUN(test_silence);
    feedback_close(fc);
    if (nfx > 0)
        answer_free_list(fx, nfx);
    bank_free(bk);
    return check_summary("feedback answers");
}
