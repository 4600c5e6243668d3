/* fuzz_import.c: libFuzzer target for the importer (content/import.h). Each input is parsed as a
 * document; every question must come back within the bank format's limits and turn into an
 * item that bank_add accepts (so: valid UTF-8 the bank format holds) and that reads back from
 * its export without a problem, and the mojibake repair must never grow its input. See
 * fuzz/README.md for the build and run commands. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "import.h"
#include "utf8.h"

static int valid(const char *s)
{
    return !s || utf8_check(s, strlen(s), NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    import_doc doc = {0};
    import_parse("fuzz", (const char *)data, size, &doc, NULL, NULL);
    bank *b = bank_new();
    for (size_t i = 0; i < doc.count; i++) {
        const import_question *q = &doc.q[i];
        if (strlen(q->question) > BANK_QUESTION_MAX || q->nkeys < BANK_MIN_KEYS ||
            q->nkeys > BANK_MAX_KEYS || q->level < 1 || q->level > 5 || !valid(q->question) ||
            !valid(q->answer) || !valid(q->section) || !valid(q->subsection))
            abort();
        for (int k = 0; k < q->nkeys; k++)
            if (!valid(q->keys[k]))
                abort();
        char id[BANK_ID_MAX + 1];
        char idx[32];
        import_make_id("fuzz", q, id);
        bank_item it;
        import_to_item(q, id, "fuzz", &it);
        snprintf(idx, sizeof idx, "fuzz.%zu", i);
        it.id = idx; /* identical questions share an id; the index keeps them apart */
        if (bank_add(b, &it, NULL, NULL) != 0)
            abort();
    }
    /* What the importer stores, exported and read back: no problem, the same count. */
    strbuf out = {0};
    for (size_t i = 0; i < bank_count(b); i++)
        bank_format_item(bank_at(b, i), &out);
    if (bank_count(b)) {
        bank *again = bank_new();
        if (bank_parse(again, "again", out.s, out.len, NULL, NULL) != 0 ||
            bank_count(again) != bank_count(b))
            abort();
        bank_free(again);
    }
    sb_free(&out);
    bank_free(b);
    import_doc_free(&doc);

    char *copy = malloc(size + 1);
    memcpy(copy, data, size);
    copy[size] = '\0';
    size_t n = size;
    if (utf8_check(copy, n, NULL)) {
        import_repair_mojibake(copy, &n);
        if (n > size || !utf8_check(copy, n, NULL))
            abort();
    }
    free(copy);
    return 0;
}
