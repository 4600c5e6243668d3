/* feedback_lm.c: a trigram language model of the banks' own text, as ARPA text (feedback.h).
 *
 * The recogniser interpolates it with its generic English model so that "goroutine", "mutex"
 * or "idempotent" become likely where a question makes them likely. Estimation: maximum
 * likelihood unigrams; bigrams and trigrams with absolute discounting D = n1 / (n1 + 2 n2)
 * (Ney's estimate from the counts of counts) and back-off weights that make every history's
 * distribution sum to one. Sentences are the question, each key point, each terms line and the
 * sentences of the reference answer; words come from feedback_words(), the same tokeniser the
 * dictionary and scoring use. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"

typedef struct {
    int32_t w[3];   /* word ids; unused slots -1 */
    uint32_t count;
    uint32_t hist_total, hist_types; /* as the history of the next order */
    double follow_p;                 /* sum of lower-order probabilities of its followers */
} gram;

typedef struct {
    gram *g;
    size_t n, cap; /* slots in use / capacity (a power of two) */
} gram_table;

typedef struct {
    char **word;
    size_t n, cap;
    int32_t *slot;  /* string hash -> id + 1 */
    size_t nslots;
} vocab;

static uint64_t hash_ids(const int32_t *w)
{
    uint64_t h = 1469598103934665603u;
    for (int i = 0; i < 3; i++)
        h = (h ^ (uint32_t)w[i]) * 1099511628211u;
    return h;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static gram *table_find(gram_table *t, const int32_t *w, int create)
{
    if (create && (t->n + 1) * 2 > t->cap) {
        gram *old = t->g;
        size_t oldcap = t->cap;
        t->cap = oldcap ? oldcap * 2 : 4096;
        t->g = xcalloc(t->cap, sizeof *t->g);
        for (size_t i = 0; i < t->cap; i++)
            t->g[i].w[0] = -2;
        for (size_t i = 0; i < oldcap; i++) {
            if (old[i].w[0] == -2)
                continue;
            size_t h = hash_ids(old[i].w) & (t->cap - 1);
            while (t->g[h].w[0] != -2)
                h = (h + 1) & (t->cap - 1);
            t->g[h] = old[i];
        }
        free(old);
    }
    if (!t->cap)
        return NULL;
    for (size_t h = hash_ids(w) & (t->cap - 1);; h = (h + 1) & (t->cap - 1)) {
        gram *g = &t->g[h];
        if (g->w[0] == -2) {
            if (!create)
                return NULL;
            memset(g, 0, sizeof *g);
            memcpy(g->w, w, sizeof g->w);
            t->n++;
            return g;
        }
        if (memcmp(g->w, w, sizeof g->w) == 0)
            return g;
    }
}

static int32_t vocab_id(vocab *v, const char *word)
{
    if ((v->n + 1) * 2 > v->nslots) {
        free(v->slot);
        v->nslots = v->nslots ? v->nslots * 2 : 4096;
        v->slot = xcalloc(v->nslots, sizeof *v->slot);
        for (size_t i = 0; i < v->n; i++) {
            size_t h = hash_str(v->word[i]) & (v->nslots - 1);
            while (v->slot[h])
                h = (h + 1) & (v->nslots - 1);
            v->slot[h] = (int32_t)i + 1;
        }
    }
    size_t h = hash_str(word) & (v->nslots - 1);
    for (; v->slot[h]; h = (h + 1) & (v->nslots - 1))
        if (strcmp(v->word[v->slot[h] - 1], word) == 0)
            return v->slot[h] - 1;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 1024;
        v->word = xrealloc(v->word, v->cap * sizeof *v->word);
    }
    v->word[v->n] = xstrdup(word);
    v->slot[h] = (int32_t)v->n + 1;
    return (int32_t)v->n++;
}

typedef struct {
    vocab v;
    gram_table t[3]; /* unigrams, bigrams, trigrams */
    int32_t *sent;
    size_t nsent, capsent;
} lm_build;

static void add_word(void *ctx, const char *word)
{
    lm_build *b = ctx;
    if (b->nsent == b->capsent) {
        b->capsent = b->capsent ? b->capsent * 2 : 256;
        b->sent = xrealloc(b->sent, b->capsent * sizeof *b->sent);
    }
    b->sent[b->nsent++] = vocab_id(&b->v, word);
}

static void count_sentence(lm_build *b, const char *s, size_t n)
{
    char *text = xstrndup(s, n);
    b->nsent = 0;
    add_word(b, "<s>");
    feedback_words(text, add_word, b);
    free(text);
    if (b->nsent < 2)
        return;
    add_word(b, "</s>");
    for (size_t i = 0; i < b->nsent; i++) {
        for (int order = 0; order < 3 && (size_t)order <= i; order++) {
            int32_t w[3] = {-1, -1, -1};
            for (int k = 0; k <= order; k++)
                w[k] = b->sent[i - (size_t)order + (size_t)k];
            if (order == 0 && w[0] == 0)
                continue; /* <s> is never predicted */
            table_find(&b->t[order], w, 1)->count++;
        }
    }
}

/* Splits `text` into sentences at ? ! ; : line breaks, ',' and '|' (terms) and at a '.' followed
 * by white space or the end ("sync.Mutex" stays one). */
static void count_text(lm_build *b, const char *text)
{
    const char *start = text;
    for (const char *p = text;; p++) {
        int end = !*p || *p == '?' || *p == '!' || *p == ';' || *p == ':' || *p == '\n' ||
                  *p == '|' || (*p == '.' && (p[1] == ' ' || p[1] == '\n' || !p[1]));
        if (end) {
            count_sentence(b, start, (size_t)(p - start));
            start = p + 1;
        }
        if (!*p)
            break;
    }
}

static double discount(const gram_table *t)
{
    double n1 = 0, n2 = 0;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->g[i].w[0] == -2)
            continue;
        n1 += t->g[i].count == 1;
        n2 += t->g[i].count == 2;
    }
    double d = n1 + 2 * n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
    return d < 0.1 ? 0.1 : d > 0.9 ? 0.9 : d;
}

static gram *lower(lm_build *b, const gram *g, int order, int from)
{
    int32_t w[3] = {-1, -1, -1};
    for (int k = 0; k < order; k++)
        w[k] = g->w[from + k];
    return table_find(&b->t[order - 1], w, 0);
}

static double log10c(double p)
{
    return p > 1e-99 ? log10(p) : -99.0;
}

size_t feedback_lm_arpa(const bank *bk, strbuf *out)
{
    lm_build b;
    memset(&b, 0, sizeof b);
    vocab_id(&b.v, "<s>"); /* id 0 */
    vocab_id(&b.v, "</s>");
    for (size_t i = 0; bk && i < bank_count(bk); i++) {
        const bank_item *it = bank_at(bk, i);
        count_text(&b, it->question);
        for (int k = 0; k < it->nkeys; k++) {
            count_text(&b, it->keys[k]);
            if (it->terms[k]) {
                count_text(&b, it->terms[k]);
            }
        }
        if (it->answer)
            count_text(&b, it->answer);
    }
    size_t vsize = b.v.n;
    if (b.t[0].n == 0) {
        vsize = 0;
        goto done;
    }

    double total = 0;
    for (size_t i = 0; i < b.t[0].cap; i++)
        if (b.t[0].g[i].w[0] != -2)
            total += b.t[0].g[i].count;
    double d2 = discount(&b.t[1]), d3 = discount(&b.t[2]);

    /* history statistics: totals, types and the lower-order mass of the followers */
    for (int order = 1; order <= 2; order++) {
        gram_table *t = &b.t[order];
        for (size_t i = 0; i < t->cap; i++) {
            gram *g = &t->g[i];
            if (g->w[0] == -2)
                continue;
            int32_t hw[3] = {-1, -1, -1};
            memcpy(hw, g->w, (size_t)order * sizeof *hw);
            /* created for <s>, which is a history but never predicted (count 0) */
            gram *h = table_find(&b.t[order - 1], hw, 1);
            h->hist_total += g->count;
            h->hist_types++;
            gram *lo = lower(&b, g, order, 1);
            if (order == 1)
                h->follow_p += lo ? lo->count / total : 0;
            else if (lo)
                h->follow_p += (lo->count - d2) /
                               (double)table_find(&b.t[0], (int32_t[3]){lo->w[0], -1, -1}, 0)
                                   ->hist_total;
        }
    }

    sb_appendf(out, "\\data\\\nngram 1=%zu\nngram 2=%zu\nngram 3=%zu\n\n\\1-grams:\n", b.v.n,
               b.t[1].n, b.t[2].n);
    for (size_t id = 0; id < b.v.n; id++) {
        int32_t w[3] = {(int32_t)id, -1, -1};
        gram *g = table_find(&b.t[0], w, 0);
        double p = id == 0 || !g ? 0 : g->count / total;
        double bo = 1;
        if (g && g->hist_types) {
            double left = d2 * g->hist_types / g->hist_total;
            double denom = 1 - g->follow_p;
            bo = left / (denom > 1e-6 ? denom : 1e-6);
        }
        sb_appendf(out, "%.4f %s %.4f\n", log10c(p), b.v.word[id], log10c(bo));
    }
    for (int order = 1; order <= 2; order++) {
        sb_appendf(out, "\n\\%d-grams:\n", order + 1);
        gram_table *t = &b.t[order];
        double d = order == 1 ? d2 : d3;
        for (size_t i = 0; i < t->cap; i++) {
            gram *g = &t->g[i];
            if (g->w[0] == -2)
                continue;
            int32_t hw[3] = {-1, -1, -1};
            memcpy(hw, g->w, (size_t)order * sizeof *hw);
            const gram *h = table_find(&b.t[order - 1], hw, 0);
            double p = (g->count - d) / h->hist_total;
            sb_appendf(out, "%.4f", log10c(p));
            for (int k = 0; k <= order; k++)
                sb_appendf(out, " %s", b.v.word[g->w[k]]);
            if (order == 1 && g->hist_types) {
                double left = d3 * g->hist_types / g->hist_total;
                double denom = 1 - g->follow_p;
                sb_appendf(out, " %.4f", log10c(left / (denom > 1e-6 ? denom : 1e-6)));
            }
            sb_appendc(out, '\n');
        }
    }
    sb_append(out, "\n\\end\\\n");

done:
    for (size_t i = 0; i < b.v.n; i++)
        free(b.v.word[i]);
    free(b.v.word);
    free(b.v.slot);
    for (int o = 0; o < 3; o++)
        free(b.t[o].g);
    free(b.sent);
    return vsize;
}
