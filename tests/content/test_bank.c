/* test_bank.c: the bank text format: parsing, every validation message, writing, round trip. */
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "utf8.h"
#include "check.h"

typedef struct {
    char msgs[32][256];
    int lines[32];
    int n;
} diags;

static void collect(void *ctx, const char *file, int line, const char *message)
{
    diags *d = ctx;
    (void)file;
    if (d->n < 32) {
        snprintf(d->msgs[d->n], sizeof d->msgs[0], "%s", message);
        d->lines[d->n++] = line;
    }
}

static int parse(bank *b, const char *text, diags *d)
{
    memset(d, 0, sizeof *d);
    return bank_parse(b, "t.bank", text, strlen(text), collect, d);
}

static int has_msg(const diags *d, int line, const char *part)
{
    for (int i = 0; i < d->n; i++)
        if (d->lines[i] == line && strstr(d->msgs[i], part))
            return 1;
    return 0;
}

static const char *good =
    "# a comment\n"
    "id: go.slices-1\n"
    "topic: go\n"
    "level: 2\n"
    "question: What does append do when the capacity\n"
    "  is exhausted?\n"
    "key: allocates a larger backing array\n"
    "key: copies the elements\n"
    "answer: It grows the array.\n"
    "  .\n"
    "      code line\n"
    "time: 90\n"
    "source: test\n"
    "\n"
    "id: go.maps-1\r\n"
    "topic: go\r\n"
    "level: 1\r\n"
    "question: Are maps safe for concurrent writes?\r\n"
    "key: no\r\n"
    "key: use a mutex or sync.Map\r\n";

static void test_parse_good(void)
{
    bank *b = bank_new();
    diags d;
    CHECK(parse(b, good, &d) == 0);
    CHECK(bank_count(b) == 2);
    const bank_item *it = bank_find(b, "go.slices-1");
    CHECK(it != NULL);
    if (!it)
        goto done;
    CHECK_STR(it->question, "What does append do when the capacity is exhausted?");
    CHECK(it->level == 2 && it->nkeys == 2 && it->time_s == 90);
    CHECK_STR(it->answer, "It grows the array.\n\n    code line");
    CHECK_STR(it->source, "test");
    CHECK(it->line == 2);
    it = bank_find(b, "go.maps-1");
    CHECK(it && it->answer == NULL && it->time_s == 0 && it->line == 15);
    CHECK(it && strcmp(it->keys[1], "use a mutex or sync.Map") == 0);
    CHECK(bank_find(b, "nope") == NULL);
done:
    bank_free(b);
}

static void test_problems_named(void)
{
    bank *b = bank_new();
    diags d;
    const char *text = "id: a1\n"
                       "topic: go\n"
                       "level: 7\n"
                       "question: q\n"
                       "key: k\n"
                       "\n"
                       "id: a2\n"
                       "topik: go\n"
                       "\n"
                       "id: Bad Id\n"
                       "topic: go\n"
                       "level: 3\n"
                       "question: q\n"
                       "key: a\n"
                       "key: b\n"
                       "\n"
                       "  stray continuation\n"
                       "\n"
                       "id: a3\n"
                       "topic: go\n"
                       "topic: sql\n"
                       "level: 1\n"
                       "question: q\n"
                       "key: a\n"
                       "key: b\n"
                       "time: 5\n";
    int n = parse(b, text, &d);
    CHECK(n >= 6);
    CHECK(bank_count(b) == 0);
    CHECK(has_msg(&d, 3, "level '7'"));
    CHECK(has_msg(&d, 8, "unknown field 'topik'"));
    CHECK(has_msg(&d, 10, "id 'Bad Id'"));
    CHECK(has_msg(&d, 17, "continues no field"));
    CHECK(has_msg(&d, 21, "given twice"));
    CHECK(has_msg(&d, 26, "time '5'"));
    bank_free(b);
}

static void test_missing_fields_and_keys(void)
{
    bank *b = bank_new();
    diags d;
    CHECK(parse(b, "id: x\ntopic: go\nkey: only one\n", &d) == 2);
    CHECK(has_msg(&d, 1, "missing field 'level'"));
    CHECK(has_msg(&d, 1, "missing field 'question'"));
    /* Key points are optional: without them a question gets delivery feedback only. */
    CHECK(parse(b, "id: nokeys\ntopic: go\nlevel: 2\nquestion: Why Go?\n", &d) == 0);
    CHECK(bank_find(b, "nokeys") && bank_find(b, "nokeys")->nkeys == 0);
    CHECK(parse(b, "id: onekey\ntopic: go\nlevel: 2\nquestion: Why?\nkey: speed\n", &d) == 0);
    const char *seven = "id: x\ntopic: go\nlevel: 1\nquestion: q\nkey: 1\nkey: 2\nkey: 3\nkey: 4\n"
                        "key: 5\nkey: 6\nkey: 7\n";
    CHECK(parse(b, seven, &d) == 1);
    CHECK(has_msg(&d, 11, "more than 6"));
    bank_free(b);
}

static void test_duplicates_across_files(void)
{
    bank *b = bank_new();
    diags d;
    const char *one = "id: dup\ntopic: go\nlevel: 1\nquestion: q\nkey: a\nkey: b\n";
    CHECK(parse(b, one, &d) == 0);
    CHECK(parse(b, "\n\n" "id: dup\ntopic: go\nlevel: 1\nquestion: q\nkey: a\nkey: b\n", &d) == 1);
    CHECK(has_msg(&d, 3, "duplicate id 'dup' (first defined at t.bank:1)"));
    CHECK(bank_count(b) == 1);
    bank_free(b);
}

static void test_binary_empty_utf8(void)
{
    bank *b = bank_new();
    diags d;
    CHECK(bank_parse(b, "t.bank", "", 0, collect, &d) == 1);
    memset(&d, 0, sizeof d);
    CHECK(bank_parse(b, "t.bank", "id: a\0b", 7, collect, &d) == 1);
    CHECK(strstr(d.msgs[0], "binary") != NULL);
    CHECK(parse(b, "id: a\ntopic: go\nlevel: 1\nquestion: caf\xC3\x28\nkey: a\nkey: b\n", &d) == 1);
    CHECK(has_msg(&d, 4, "invalid UTF-8 at byte 14"));
    CHECK(utf8_check("\xE2\x80\x93", 3, NULL));
    CHECK(!utf8_check("\xED\xA0\x80", 3, NULL)); /* surrogate */
    CHECK(!utf8_check("\xC0\xAF", 2, NULL));     /* overlong */
    bank_free(b);
}

static void test_long_line(void)
{
    size_t n = 1u << 20;
    char *text = malloc(n + 64);
    strcpy(text, "id: a\nquestion: ");
    size_t pos = strlen(text);
    memset(text + pos, 'x', n);
    strcpy(text + pos + n, "\n");
    bank *b = bank_new();
    diags d;
    CHECK(parse(b, text, &d) >= 1);
    CHECK(has_msg(&d, 2, "line is 1048586 bytes long"));
    bank_free(b);
    free(text);
}

static void test_round_trip(void)
{
    bank *b = bank_new();
    diags d;
    CHECK(parse(b, good, &d) == 0);
    strbuf out = {0};
    for (size_t i = 0; i < bank_count(b); i++)
        bank_format_item(bank_at(b, i), &out);
    bank *c = bank_new();
    CHECK(bank_parse(c, "t2.bank", out.s, out.len, collect, &d) == 0);
    CHECK(bank_count(c) == bank_count(b));
    strbuf again = {0};
    for (size_t i = 0; i < bank_count(c); i++)
        bank_format_item(bank_at(c, i), &again);
    CHECK_STR(sb_str(&again), sb_str(&out));
    sb_free(&out);
    sb_free(&again);
    bank_free(b);
    bank_free(c);
}

/* An empty field continued on the next line: the value is the continuation, with no leading
 * space (it used to keep one, so writing and parsing again gave a different bank). */
static void test_empty_field_continued(void)
{
    bank *b = bank_new();
    diags d;
    CHECK(parse(b, "id: a\ntopic: go\nlevel: 1\nquestion:\n  What is a channel?\nkey:\n\tone\n"
                   "key: two\nsource:\n  book\n", &d) == 0);
    const bank_item *it = bank_find(b, "a");
    CHECK(it && !strcmp(it->question, "What is a channel?") && !strcmp(it->keys[0], "one") &&
          !strcmp(it->source, "book"));
    bank_free(b);
}

/* A control character inside a field is refused with its line (the parser used to keep it). */
static void test_control_character(void)
{
    bank *b = bank_new();
    diags d;
    CHECK(parse(b, "id: a\ntopic: go\nlevel: 1\nquestion: a\x01 b\nkey: one\nkey: two\n", &d) == 1);
    CHECK(has_msg(&d, 4, "control character 0x01 at byte 12 of the line"));
    CHECK(bank_count(b) == 0);
    bank_free(b);
}

int main(void)
{
    RUN(test_parse_good);
    RUN(test_problems_named);
    RUN(test_missing_fields_and_keys);
    RUN(test_duplicates_across_files);
    RUN(test_binary_empty_utf8);
    RUN(test_long_line);
    RUN(test_round_trip);
    RUN(test_empty_field_continued);
    RUN(test_control_character);
    return check_summary("bank");
}
