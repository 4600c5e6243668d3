/* test_feedback_dict.c: every content word of every key point (and terms line) of every
 * built-in bank can be heard: it has a pronunciation in Debian's CMU dictionary or in the
 * shipped assets/dict/viva.dict, without flite's run-time rules (a new bank word fails here
 * until tests/feedback/make_dict.sh BUILD/tests/feedback/vocab_dump is run). Also: flite's
 * rules cover words of other banks at open, and a missing model or dictionary is one clear
 * error. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "banks.h"
#include "check.h"
#include "transcribe.h"
#include "verr.h"

typedef struct {
    transcriber *t;
    int words, missing;
    const char *where;
} probe;

static void check_word(void *ctx, const char *w)
{
    probe *p = ctx;
    if (feedback_stopword(w))
        return;
    p->words++;
    if (!transcribe_knows(p->t, w)) {
        if (p->missing++ < 20)
            fprintf(stderr, "not pronounceable: '%s' (%s)\n", w, p->where);
    }
}

static bank *builtin(void)
{
    const char *assets = getenv("VIVA_ASSET_DIR");
    char pattern[1024];
    snprintf(pattern, sizeof pattern, "%s/bank/*.bank", assets ? assets : "assets");
    bank *b = bank_new();
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            CHECK(banks_load_file(b, g.gl_pathv[i], 5) == 0);
        globfree(&g);
    }
    return b;
}

static void dict_path(char *out, size_t len)
{
    const char *assets = getenv("VIVA_ASSET_DIR");
    snprintf(out, len, "%s/dict/viva.dict", assets ? assets : "assets");
}

static void test_builtin_keys_pronounceable(void)
{
    char dict[1024], err[512];
    dict_path(dict, sizeof dict);
    bank *b = builtin();
    CHECK(bank_count(b) > 400);
    transcriber *t = NULL;
    /* no bank: only the two dictionaries, no run-time letter-to-sound, no cut vocabulary */
    transcribe_params p = {.dict = dict, .generic_words = -1};
    int rc = transcribe_open(&p, &t, err, sizeof err);
    CHECK_MSG(rc == VIVA_OK, "%s", err);
    if (rc == VIVA_OK) {
        probe pr = {t, 0, 0, NULL};
        char where[160];
        for (size_t i = 0; i < bank_count(b); i++) {
            const bank_item *it = bank_at(b, i);
            for (int k = 0; k < it->nkeys; k++) {
                snprintf(where, sizeof where, "%s key %d", it->id, k + 1);
                pr.where = where;
                feedback_words(it->keys[k], check_word, &pr);
                if (it->terms[k])
                    feedback_words(it->terms[k], check_word, &pr);
            }
        }
        fprintf(stderr, "%d key-point words checked, %d not pronounceable\n", pr.words,
                pr.missing);
        CHECK(pr.words > 5000);
        CHECK_MSG(pr.missing == 0, "run tests/feedback/make_dict.sh to add them");
        CHECK(transcribe_knows(t, "goroutine"));
        CHECK(transcribe_knows(t, "kubernetes"));
        CHECK(!transcribe_knows(t, "zorblattic"));
        transcribe_close(t);
    }
    bank_free(b);
}

static void test_runtime_rules(void)
{
    const char *text = "id: t.new\ntopic: go\nlevel: 1\nquestion: What is a zorblattic "
                       "frobnitz?\nkey: the zorblattic frobnitz quantles\nkey: XQZ is spelled\n";
    bank *b = bank_new();
    CHECK(bank_parse(b, "t.bank", text, strlen(text), NULL, NULL) == 0);
    transcriber *t = NULL;
    char err[512];
    transcribe_params p = {.bank = b};
    int rc = transcribe_open(&p, &t, err, sizeof err);
    CHECK_MSG(rc == VIVA_OK, "%s", err);
    if (rc == VIVA_OK) {
        CHECK(transcribe_knows(t, "zorblattic"));
        CHECK(transcribe_knows(t, "frobnitz"));
        CHECK(transcribe_knows(t, "quantles"));
        CHECK(transcribe_knows(t, "xqz"));
        transcribe_close(t);
    }
    bank_free(b);
}

static void test_missing_files(void)
{
    transcriber *t = NULL;
    feedback_ctx *fc = NULL;
    char err[512] = "";
    transcribe_params p = {.model_dir = "/nonexistent/model"};
    CHECK(transcribe_open(&p, &t, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(t == NULL);
    CHECK(strstr(err, "/nonexistent/model") && strstr(err, "pocketsphinx-en-us"));
    transcribe_params q = {.dict = "/nonexistent/viva.dict"};
    err[0] = '\0';
    CHECK(feedback_open(&q, &fc, err, sizeof err) == VIVA_ENOTFOUND);
    CHECK(fc == NULL);
    CHECK(strstr(err, "/nonexistent/viva.dict") != NULL);
}

int main(void)
{
    RUN(test_builtin_keys_pronounceable);
    RUN(test_runtime_rules);
    RUN(test_missing_files);
    return check_summary("feedback dictionary");
}
