/* test_bank_roundtrip.c: the property that writing a bank and parsing it again gives the same
 * bank, field by field, on random banks made with the project's seedable rng (base/rng.h).
 *
 * Each case builds a bank of random items through bank_add (text with multi-byte characters,
 * tabs, '#', ':', '|', optional fields, multi-line answers with empty and indented lines), then
 *   1. writes it with bank_format_item and parses the text: same items, no problem;
 *   2. writes it by hand with every one-line field wrapped onto continuation lines at random
 *      single spaces, sometimes with nothing after "field:" (the case that used to keep a
 *      leading space), and parses that: same items again;
 *   3. offers invalid text (control characters, invalid UTF-8) to bank_add, which must refuse
 *      it with file:line, and white space the format cannot keep (at an end, an answer line of
 *      just "."), which bank_add stores as the parser reads it back.
 * A failing case prints its seed; rerun one with VIVA_SEED=N. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "check.h"
#include "rng.h"
#include "strbuf.h"

#define CASES 400

static const char *const words[] = {
    "goroutine", "channel", "a", "é", "naïve", "日本語", "—", "x:y", "#tag", "a|b", "sync.Mutex",
    "100%", "\"quoted\"", "tab\there", "back\\slash", "id:", "key:", "->", "ü", "🙂", ".", "..",
};
#define NWORDS (sizeof words / sizeof words[0])

/* Words separated by single spaces (and, rarely, a double space inside). */
static void put_words(rng *r, strbuf *sb, int lo, int hi)
{
    int n = lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
    for (int i = 0; i < n; i++) {
        if (i)
            sb_append(sb, rng_below(r, 20) ? " " : "  ");
        sb_append(sb, words[rng_below(r, NWORDS)]);
    }
}

static char *gen_line(rng *r, int lo, int hi)
{
    strbuf sb = {0};
    if (rng_below(r, 10) == 0)
        sb_append(&sb, rng_below(r, 2) ? " " : "\t"); /* dropped by bank_add, as by the parser */
    put_words(r, &sb, lo, hi);
    return sb_take(&sb);
}

static char *gen_terms(rng *r)
{
    static const char *const t[] = {"block", "wait", "unbuffered", "receiver", "naïve", "x-y",
                                    "it's", "v1.2"};
    strbuf sb = {0};
    int groups = 1 + (int)rng_below(r, 3);
    for (int g = 0; g < groups; g++) {
        if (g)
            sb_append(&sb, ", ");
        int alts = 1 + (int)rng_below(r, 3);
        for (int a = 0; a < alts; a++) {
            if (a)
                sb_append(&sb, "|");
            sb_append(&sb, t[rng_below(r, 8)]);
        }
    }
    return sb_take(&sb);
}

/* A multi-line answer: the first line without leading white space, then lines that may be
 * empty, indented (code) or start with '#'. */
static char *gen_answer(rng *r)
{
    strbuf sb = {0};
    int n = 1 + (int)rng_below(r, 6);
    for (int i = 0; i < n; i++) {
        if (i)
            sb_appendc(&sb, '\n');
        uint32_t kind = rng_below(r, 6);
        if (i == 0 && kind == 0)
            continue; /* an empty first line */
        if (i > 0 && kind == 1)
            continue; /* an empty line inside */
        if (i > 0 && kind == 2)
            sb_append(&sb, rng_below(r, 2) ? "    " : "\t");
        if (kind == 3)
            sb_append(&sb, "# ");
        put_words(r, &sb, 1, 8);
        if (rng_below(r, 8) == 0)
            sb_append(&sb, " "); /* white space the format drops: bank_add drops it too */
    }
    return sb_take(&sb);
}

static void gen_item(rng *r, int idx, bank_item *it)
{
    memset(it, 0, sizeof *it);
    char id[32];
    snprintf(id, sizeof id, "t%d.q-%u", idx, (unsigned)rng_below(r, 1000));
    it->id = xstrdup(id);
    it->topic = xstrdup(rng_below(r, 2) ? "go" : "my-topic");
    it->level = 1 + (int)rng_below(r, 5);
    it->question = gen_line(r, 1, 30);
    it->nkeys = (int)rng_below(r, BANK_MAX_KEYS + 1);
    for (int k = 0; k < it->nkeys; k++) {
        it->keys[k] = gen_line(r, 1, 10);
        if (rng_below(r, 3) == 0)
            it->terms[k] = gen_terms(r);
    }
    if (rng_below(r, 2))
        it->answer = gen_answer(r);
    if (rng_below(r, 2))
        it->time_s = 10 + (int)rng_below(r, 891);
    if (rng_below(r, 2))
        it->source = gen_line(r, 1, 6);
    it->file = xstrdup("gen");
    it->line = idx + 1;
}

static void free_item(bank_item *it)
{
    free(it->id);
    free(it->topic);
    free(it->question);
    for (int k = 0; k < it->nkeys; k++) {
        free(it->keys[k]);
        free(it->terms[k]);
    }
    free(it->answer);
    free(it->source);
    free(it->file);
}

static int same_opt(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Field by field; prints the first difference. */
static int same_item(const bank_item *a, const bank_item *b, uint64_t seed)
{
    const char *what = NULL;
    if (strcmp(a->id, b->id))
        what = "id";
    else if (strcmp(a->topic, b->topic))
        what = "topic";
    else if (a->level != b->level)
        what = "level";
    else if (strcmp(a->question, b->question))
        what = "question";
    else if (a->nkeys != b->nkeys)
        what = "number of keys";
    else if (a->time_s != b->time_s)
        what = "time";
    else if (!same_opt(a->answer, b->answer))
        what = "answer";
    else if (!same_opt(a->source, b->source))
        what = "source";
    for (int k = 0; !what && k < a->nkeys; k++)
        if (strcmp(a->keys[k], b->keys[k]))
            what = "key";
        else if (!same_opt(a->terms[k], b->terms[k]))
            what = "terms";
    if (what)
        fprintf(stderr, "seed %llu: item '%s': %s differs after the round trip\n",
                (unsigned long long)seed, a->id, what);
    return what == NULL;
}

static void print_diag(void *ctx, const char *file, int line, const char *message)
{
    fprintf(stderr, "seed %llu: %s:%d: %s\n", (unsigned long long)*(uint64_t *)ctx, file, line,
            message);
}

/* A one-line field wrapped at random single spaces onto continuation lines. */
static void put_wrapped(rng *r, strbuf *out, const char *name, const char *v)
{
    sb_appendf(out, "%s:", name);
    int on_field_line = rng_below(r, 3) != 0; /* else the value starts on the next line */
    sb_append(out, on_field_line ? " " : "\n  ");
    size_t n = strlen(v);
    for (size_t i = 0; i < n; i++) {
        int single = v[i] == ' ' && i > 0 && i + 1 < n && v[i - 1] != ' ' && v[i + 1] != ' ' &&
                     v[i - 1] != '\t' && v[i + 1] != '\t';
        if (single && rng_below(r, 4) == 0)
            sb_append(out, rng_below(r, 2) ? "\n  " : "\n\t ");
        else
            sb_appendc(out, v[i]);
    }
    sb_appendc(out, '\n');
}

static void format_wrapped(rng *r, const bank_item *it, strbuf *out)
{
    put_wrapped(r, out, "id", it->id);
    put_wrapped(r, out, "topic", it->topic);
    sb_appendf(out, "level: %d\n", it->level);
    put_wrapped(r, out, "question", it->question);
    for (int k = 0; k < it->nkeys; k++) {
        put_wrapped(r, out, "key", it->keys[k]);
        if (it->terms[k])
            put_wrapped(r, out, "terms", it->terms[k]);
    }
    if (it->source)
        put_wrapped(r, out, "source", it->source);
    if (it->time_s)
        sb_appendf(out, "time: %d\n", it->time_s);
    if (it->answer) { /* the writer's own answer lines, last, so that they end the block */
        strbuf tmp = {0};
        bank_format_item(it, &tmp);
        const char *a = strstr(tmp.s, "\nanswer:") + 1;
        const char *end = strstr(a, "\ntime:");
        if (!end)
            end = strstr(a, "\nsource:");
        if (!end)
            end = strstr(a, "\n\n");
        sb_appendn(out, a, (size_t)(end - a) + 1);
        sb_free(&tmp);
    }
    sb_appendc(out, '\n');
}

static int same_banks(const bank *a, const bank *b, uint64_t seed)
{
    if (bank_count(a) != bank_count(b)) {
        fprintf(stderr, "seed %llu: %zu items became %zu\n", (unsigned long long)seed,
                bank_count(a), bank_count(b));
        return 0;
    }
    for (size_t i = 0; i < bank_count(a); i++)
        if (!same_item(bank_at(a, i), bank_at(b, i), seed))
            return 0;
    return 1;
}

static int one_case(uint64_t seed)
{
    rng r;
    rng_seed(&r, seed);
    bank *b = bank_new();
    int n = 1 + (int)rng_below(&r, 8);
    for (int i = 0; i < n; i++) {
        bank_item it;
        gen_item(&r, i, &it);
        CHECK_MSG(bank_add(b, &it, print_diag, &seed) == 0, "seed %llu: a generated item was "
                  "refused", (unsigned long long)seed);
        free_item(&it);
    }
    int ok = 1;
    strbuf out = {0};
    for (size_t i = 0; i < bank_count(b); i++)
        bank_format_item(bank_at(b, i), &out);
    bank *again = bank_new();
    ok &= bank_parse(again, "again", out.s, out.len, print_diag, &seed) == 0;
    ok &= same_banks(b, again, seed);

    strbuf wrapped = {0};
    for (size_t i = 0; i < bank_count(b); i++)
        format_wrapped(&r, bank_at(b, i), &wrapped);
    bank *third = bank_new();
    ok &= bank_parse(third, "wrapped", wrapped.s, wrapped.len, print_diag, &seed) == 0;
    ok &= same_banks(b, third, seed);
    if (!ok)
        fprintf(stderr, "seed %llu: the text written was:\n%s\n-- wrapped:\n%s\n",
                (unsigned long long)seed, sb_str(&out), sb_str(&wrapped));
    sb_free(&out);
    sb_free(&wrapped);
    bank_free(again);
    bank_free(third);
    bank_free(b);
    return ok;
}

static void test_random_banks(void)
{
    const char *env = getenv("VIVA_SEED");
    if (env && *env) {
        CHECK(one_case(strtoull(env, NULL, 10)));
        return;
    }
    int failed = 0;
    for (uint64_t seed = 1; seed <= CASES && failed < 3; seed++)
        failed += !one_case(seed);
    CHECK_MSG(failed == 0, "%d of the random banks did not survive the round trip", failed);
}

static void keep_message(void *ctx, const char *file, int line, const char *message)
{
    char *msg = ctx;
    if (!msg[0])
        snprintf(msg, 256, "%s:%d: %s", file, line, message);
}

static bank_item base_item(const char *question, const char *answer, const char *source)
{
    bank_item it = {0};
    it.id = "x";
    it.topic = "go";
    it.level = 2;
    it.question = (char *)question;
    it.keys[0] = "one key";
    it.keys[1] = "two keys";
    it.nkeys = 2;
    it.answer = (char *)answer;
    it.source = (char *)source;
    it.file = "t.bank";
    it.line = 7;
    return it;
}

/* Text that is not valid is refused, each with a message naming the file and line. */
static void test_invalid_text_refused(void)
{
    static const struct {
        const char *question, *answer, *source, *why;
    } bad[] = {
        {"a\rb", NULL, NULL, "control character 0x0d"},
        {"two\nlines", NULL, NULL, "control character 0x0a"},
        {"caf\xC3\x28", NULL, NULL, "invalid UTF-8 at byte 4"},
        {"ok", "a\n\xFF", NULL, "invalid UTF-8"},
        {"ok", "a\n\x1b[1m", NULL, "line 2 of the answer: control character 0x1b"},
        {"ok", NULL, "src\x01", "control character 0x01"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bank *b = bank_new();
        bank_item it = base_item(bad[i].question, bad[i].answer, bad[i].source);
        char msg[256] = "";
        CHECK_MSG(bank_add(b, &it, keep_message, msg) > 0 && bank_count(b) == 0, "case %zu", i);
        CHECK_MSG(strstr(msg, bad[i].why) && strstr(msg, "t.bank:7:"), "case %zu: '%s'", i,
                  msg);
        bank_free(b);
    }
}

/* White space the format cannot keep is stored as the parser reads it back, so the stored
 * bank is exactly what a round trip gives (and an older store's items stay usable). */
static void test_white_space_tidied(void)
{
    static const struct {
        const char *question, *answer, *want_q, *want_a;
    } cases[] = {
        {" leading space", NULL, "leading space", NULL},
        {"trailing tab\t", NULL, "trailing tab", NULL},
        {"ok", "first\n.\nlast", "ok", "first\n\nlast"},
        {"ok", "first\n  .", "ok", "first\n"},
        {"ok", "first \nlast\t", "ok", "first\nlast"},
        {"ok", "  code first\n    code next", "ok", "code first\n    code next"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bank *b = bank_new();
        bank_item it = base_item(cases[i].question, cases[i].answer, NULL);
        CHECK_MSG(bank_add(b, &it, NULL, NULL) == 0, "case %zu", i);
        const bank_item *got = bank_find(b, "x");
        CHECK_MSG(got && !strcmp(got->question, cases[i].want_q) &&
                      same_opt(got->answer, cases[i].want_a), "case %zu", i);
        strbuf out = {0};
        if (got)
            bank_format_item(got, &out);
        bank *again = bank_new();
        uint64_t seed = 0;
        CHECK(bank_parse(again, "again", out.s, out.len, print_diag, &seed) == 0);
        CHECK(same_banks(b, again, 0));
        sb_free(&out);
        bank_free(again);
        bank_free(b);
    }
}

int main(void)
{
    RUN(test_random_banks);
    RUN(test_invalid_text_refused);
    RUN(test_white_space_tidied);
    return check_summary("bank round trip");
}
