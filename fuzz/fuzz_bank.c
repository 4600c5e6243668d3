/* fuzz_bank.c: libFuzzer target for the bank format parser (content/bank.h). Each input is
 * parsed; every accepted item is written back with bank_format_item and parsed again, which
 * must give the same items without a single problem (the writer and the parser agree).
 * See fuzz/README.md for the build and run commands. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"

static int same(const bank_item *a, const bank_item *b)
{
    if (strcmp(a->id, b->id) || strcmp(a->topic, b->topic) || a->level != b->level ||
        strcmp(a->question, b->question) || a->nkeys != b->nkeys || a->time_s != b->time_s)
        return 0;
    for (int k = 0; k < a->nkeys; k++)
        if (strcmp(a->keys[k], b->keys[k]) || !a->terms[k] != !b->terms[k] ||
            (a->terms[k] && strcmp(a->terms[k], b->terms[k])))
            return 0;
    if (!a->answer != !b->answer || (a->answer && strcmp(a->answer, b->answer)))
        return 0;
    if (!a->source != !b->source || (a->source && strcmp(a->source, b->source)))
        return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bank *b = bank_new();
    bank_parse(b, "fuzz", (const char *)data, size, NULL, NULL);
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
