/* fuzz_bank_roundtrip.c: libFuzzer target for the bank writer and parser together
 * (content/bank.h). The input is cut into items: two bytes of flags and level, then
 * NUL-separated strings for the question, the key points, the terms of the first key, the
 * answer and the source. Each item is offered to bank_add, which must refuse any value the
 * format cannot hold exactly; the items it accepts are written with bank_format_item and parsed
 * again, which must give the same items field by field without a single problem. (fuzz_bank
 * starts from bank text instead.) See fuzz/README.md for the build and run commands. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"

/* The next NUL-terminated string of the input (the rest when there is no NUL); NULL at the end. */
static char *next_str(const uint8_t **p, const uint8_t *end)
{
    if (*p >= end)
        return NULL;
    const uint8_t *nul = memchr(*p, 0, (size_t)(end - *p));
    size_t n = nul ? (size_t)(nul - *p) : (size_t)(end - *p);
    char *s = malloc(n + 1);
    memcpy(s, *p, n);
    s[n] = '\0';
    *p += n + (nul ? 1 : 0);
    return s;
}

static int same_opt(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int same(const bank_item *a, const bank_item *b)
{
    if (strcmp(a->id, b->id) || strcmp(a->topic, b->topic) || a->level != b->level ||
        strcmp(a->question, b->question) || a->nkeys != b->nkeys || a->time_s != b->time_s ||
        !same_opt(a->answer, b->answer) || !same_opt(a->source, b->source))
        return 0;
    for (int k = 0; k < a->nkeys; k++)
        if (strcmp(a->keys[k], b->keys[k]) || !same_opt(a->terms[k], b->terms[k]))
            return 0;
    return 1;
}

static void free_strs(bank_item *it)
{
    free(it->question);
    for (int k = 0; k < it->nkeys; k++) {
        free(it->keys[k]);
        free(it->terms[k]);
    }
    free(it->answer);
    free(it->source);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data, *end = data + size;
    bank *b = bank_new();
    for (int i = 0; end - p >= 2 && i < 64; i++) {
        uint8_t flags = p[0], level = p[1];
        p += 2;
        bank_item it;
        memset(&it, 0, sizeof it);
        char id[16];
        snprintf(id, sizeof id, "f%d", i);
        it.id = id;
        it.topic = "go";
        it.level = level % 7; /* 0 and 6 must be refused */
        it.time_s = flags & 4 ? (int)level * 4 : 0;
        it.question = next_str(&p, end);
        int nkeys = 2 + (flags >> 3) % 5;
        for (int k = 0; k < nkeys; k++) {
            char *key = next_str(&p, end);
            if (key)
                it.keys[it.nkeys++] = key;
        }
        if (flags & 64 && it.nkeys)
            it.terms[0] = next_str(&p, end);
        if (flags & 1)
            it.answer = next_str(&p, end);
        if (flags & 2)
            it.source = next_str(&p, end);
        it.file = "fuzz";
        it.line = i + 1;
        if (it.question)
            bank_add(b, &it, NULL, NULL);
        free_strs(&it);
    }
    strbuf out = {0};
    for (size_t i = 0; i < bank_count(b); i++)
        bank_format_item(bank_at(b, i), &out);
    if (bank_count(b)) {
        bank *again = bank_new();
        if (bank_parse(again, "again", out.s, out.len, NULL, NULL) != 0 ||
            bank_count(again) != bank_count(b))
            abort();
        for (size_t i = 0; i < bank_count(b); i++)
            if (!same(bank_at(b, i), bank_at(again, i)))
                abort();
        bank_free(again);
    }
    sb_free(&out);
    bank_free(b);
    return 0;
}
