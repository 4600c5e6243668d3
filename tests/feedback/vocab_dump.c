/* vocab_dump.c: prints every distinct word (feedback_words) of the bank files given, one per
 * line, in first-seen order; with --keys, only the content words of key points and terms.
 * Used by tests/feedback/make_dict.sh to find the words the pronunciation dictionary needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "feedback.h"

typedef struct {
    char **w;
    size_t n, cap;
    int content_only;
} seen;

static void add(void *ctx, const char *word)
{
    seen *s = ctx;
    if (s->content_only && feedback_stopword(word))
        return;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->w[i], word) == 0)
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->w = xrealloc(s->w, s->cap * sizeof *s->w);
    }
    s->w[s->n++] = xstrdup(word);
    puts(word);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return sb_take(&sb);
}

int main(int argc, char **argv)
{
    seen s = {0};
    int keys_only = 0;
    bank *b = bank_new();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--keys") == 0) {
            keys_only = 1;
            continue;
        }
        size_t len;
        char *text = slurp(argv[i], &len);
        if (!text) {
            fprintf(stderr, "vocab_dump: cannot read %s\n", argv[i]);
            return 1;
        }
        bank_parse(b, argv[i], text, len, NULL, NULL);
        free(text);
    }
    s.content_only = keys_only;
    for (size_t i = 0; i < bank_count(b); i++) {
        const bank_item *it = bank_at(b, i);
        if (!keys_only)
            feedback_words(it->question, add, &s);
        for (int k = 0; k < it->nkeys; k++) {
            feedback_words(it->keys[k], add, &s);
            if (it->terms[k])
                feedback_words(it->terms[k], add, &s);
        }
        if (!keys_only && it->answer)
            feedback_words(it->answer, add, &s);
    }
    for (size_t i = 0; i < s.n; i++)
        free(s.w[i]);
    free(s.w);
    bank_free(b);
    return 0;
}
