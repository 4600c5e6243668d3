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

#ifndef VIVA_PS_MODEL_DIR
#define VIVA_PS_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#endif

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

/* ---- spelled pronunciations --------------------------------------------------------------- */

typedef struct {
    char word[FEEDBACK_WORD_MAX];
    char phones[160];
} dict_entry;

typedef struct {
    dict_entry *e;
    size_t n, cap;
} dict_list;

/* Reads "word PH ON ES" / "word(2) ..." lines (';' and '#' comments) of a dictionary file; the
 * alternative's number is dropped. With `only_letters`, keeps the single letters "a" .. "z". */
static int read_dict(const char *path, dict_list *d, int only_letters)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == ';' || line[0] == '#')
            continue;
        size_t wl = strcspn(line, " (");
        const char *ph = strchr(line, ' ');
        if (!ph || wl == 0 || wl >= FEEDBACK_WORD_MAX || (only_letters && wl != 1))
            continue;
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 1024;
            d->e = xrealloc(d->e, d->cap * sizeof *d->e);
        }
        snprintf(d->e[d->n].word, sizeof d->e[d->n].word, "%.*s", (int)wl, line);
        snprintf(d->e[d->n].phones, sizeof d->e[d->n].phones, "%s", ph + 1);
        d->n++;
    }
    fclose(f);
    return 0;
}

/* Can `phones` be read as the letters of `word` said one by one ("tcp" = T IY S IY P IY)? */
static int spelled(const dict_list *letters, const char *word, const char *phones)
{
    while (*phones == ' ')
        phones++;
    if (!*word)
        return *phones == '\0';
    for (size_t i = 0; i < letters->n; i++) {
        if (letters->e[i].word[0] != *word)
            continue;
        size_t k = strlen(letters->e[i].phones);
        if (strncmp(phones, letters->e[i].phones, k) == 0 && (phones[k] == ' ' || !phones[k]) &&
            spelled(letters, word + 1, phones + k))
            return 1;
    }
    return 0;
}

typedef struct {
    dict_list viva, letters;
    char *allowed; /* spelled.txt, one word a line, with '\n' around each */
    int checked, bad;
    const char *where;
} spell_probe;

static void check_not_spelled(void *ctx, const char *w)
{
    spell_probe *p = ctx;
    if (feedback_stopword(w))
        return;
    int entries = 0, words = 0;
    for (size_t i = 0; i < p->viva.n; i++) {
        if (strcmp(p->viva.e[i].word, w) != 0)
            continue;
        entries++;
        words += !spelled(&p->letters, w, p->viva.e[i].phones);
    }
    if (entries == 0)
        return; /* Debian's CMU dictionary has it: a human-made pronunciation */
    p->checked++;
    char key[FEEDBACK_WORD_MAX + 2];
    snprintf(key, sizeof key, "\n%s\n", w);
    if (words == 0 && !strstr(p->allowed, key)) {
        if (p->bad++ < 20)
            fprintf(stderr, "only spelled letter by letter: '%s' (%s)\n", w, p->where);
    }
}

/* Every key-point word viva.dict pronounces has a pronunciation that is not its spelling
 * ("bcrypt" = B IY K R IH P T, besides B IY S IY AA R ...), unless people only ever spell it
 * (assets/dict/spelled.txt: "tcp", "jwt"). */
static void test_key_words_not_only_spelled(void)
{
    char dict[1024], allowed[1024], cmu[1024];
    dict_path(dict, sizeof dict);
    const char *assets = getenv("VIVA_ASSET_DIR");
    snprintf(allowed, sizeof allowed, "%s/dict/spelled.txt", assets ? assets : "assets");
    snprintf(cmu, sizeof cmu, "%s/cmudict-en-us.dict", VIVA_PS_MODEL_DIR);
    spell_probe p = {0};
    CHECK(read_dict(dict, &p.viva, 0) == 0);
    CHECK(read_dict(cmu, &p.letters, 1) == 0);
    CHECK(p.letters.n >= 26);
    strbuf al = {0};
    sb_append(&al, "\n");
    FILE *f = fopen(allowed, "r");
    CHECK_MSG(f != NULL, "cannot read %s", allowed);
    char line[256];
    while (f && fgets(line, sizeof line, f))
        if (line[0] != '#')
            sb_append(&al, line);
    if (f)
        fclose(f);
    p.allowed = sb_take(&al);
    /* the check itself: a spelling is recognised, a word is not */
    CHECK(spelled(&p.letters, "tcp", "T IY S IY P IY"));
    CHECK(!spelled(&p.letters, "bcrypt", "B IY K R IH P T"));
    bank *b = builtin();
    char where[160];
    for (size_t i = 0; i < bank_count(b); i++) {
        const bank_item *it = bank_at(b, i);
        for (int k = 0; k < it->nkeys; k++) {
            snprintf(where, sizeof where, "%s key %d", it->id, k + 1);
            p.where = where;
            feedback_words(it->keys[k], check_not_spelled, &p);
            if (it->terms[k])
                feedback_words(it->terms[k], check_not_spelled, &p);
        }
    }
    fprintf(stderr, "%d key-point words from viva.dict checked, %d only spelled\n", p.checked,
            p.bad);
    CHECK(p.checked > 500);
    CHECK_MSG(p.bad == 0, "give them a spoken pronunciation in assets/dict/overrides.dict and "
              "run tests/feedback/make_dict.sh, or list them in %s", allowed);
    bank_free(b);
    free(p.allowed);
    free(p.viva.e);
    free(p.letters.e);
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
    RUN(test_key_words_not_only_spelled);
    RUN(test_runtime_rules);
    RUN(test_missing_files);
    return check_summary("feedback dictionary");
}
