/* similar.c: feature sets, Jaccard scores and an inverted index (see similar.h). */
#include "similar.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Words that carry no topic: function words and the verbs every interview question uses. */
static const char *stopwords[] = {
    "a",       "an",      "the",     "and",    "or",      "of",        "in",      "on",
    "to",      "is",      "are",     "was",    "be",      "it",        "its",     "for",
    "with",    "by",      "as",      "at",     "from",    "this",      "that",    "these",
    "those",   "what",    "how",     "why",    "when",    "where",     "which",   "who",
    "do",      "does",    "did",     "you",    "your",    "can",       "could",   "would",
    "should",  "will",    "between", "about",  "explain", "describe",  "discuss", "tell",
    "me",      "difference", "differences", "vs", "versus", "define",  "give",    "example",
    "examples", "provide", "some",   "any",    "use",     "used",      "using",   "there",
    "we",      "i",       "if",      "into",   "than",    "then",      "they",    "them",
};

static int is_stop(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof stopwords / sizeof stopwords[0]; i++)
        if (strlen(stopwords[i]) == n && memcmp(stopwords[i], w, n) == 0)
            return 1;
    return 0;
}

static uint32_t fnv(const char *s, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted, unique feature hashes of `text`; returns the count (*out malloc'd). */
static size_t features(const char *text, uint32_t **out)
{
    size_t cap = 32, n = 0;
    uint32_t *f = xmalloc(cap * sizeof *f);
    char word[64];
    uint32_t prev = 0;
    int have_prev = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        while (*p && !(isalnum(*p) || *p >= 0x80))
            p++;
        size_t wl = 0;
        while (*p && (isalnum(*p) || *p >= 0x80)) {
            if (wl < sizeof word)
                word[wl++] = (char)tolower(*p);
            p++;
        }
        if (!wl)
            break;
        if (wl > 3 && word[wl - 1] == 's' && word[wl - 2] != 's')
            wl--; /* plural */
        if (is_stop(word, wl))
            continue;
        uint32_t h = fnv(word, wl, 2166136261u);
        if (n + 2 > cap) {
            cap *= 2;
            f = xrealloc(f, cap * sizeof *f);
        }
        f[n++] = h | 1u; /* unigrams odd, bigrams even: the two kinds never collide */
        if (have_prev)
            f[n++] = ((prev * 31u) ^ h) & ~1u;
        prev = h;
        have_prev = 1;
    }
    if (n)
        qsort(f, n, sizeof *f, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || f[u - 1] != f[i])
            f[u++] = f[i];
    *out = f;
    return u;
}

static size_t intersect(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            i++;
        else if (a[i] > b[j])
            j++;
        else
            c++, i++, j++;
    }
    return c;
}

double similar_score(const char *a, const char *b)
{
    uint32_t *fa, *fb;
    size_t na = features(a, &fa), nb = features(b, &fb);
    size_t c = intersect(fa, na, fb, nb);
    free(fa);
    free(fb);
    size_t uni = na + nb - c;
    return uni ? (double)c / (double)uni : 1.0;
}

/* ---- index ---------------------------------------------------------------------------------- */

typedef struct {
    uint32_t feature;
    size_t *ids;
    size_t n, cap;
} posting;

struct similar_index {
    size_t *sizes; /* feature count per text */
    size_t count, cap;
    posting *slots; /* open addressing on feature; feature 0 never occurs (unigrams odd) */
    size_t nslots, used;
    size_t *shared, *touched; /* query scratch, `cap` long, `shared` all zero between queries */
};

similar_index *similar_new(void)
{
    similar_index *ix = xcalloc(1, sizeof *ix);
    ix->nslots = 256;
    ix->slots = xcalloc(ix->nslots, sizeof *ix->slots);
    return ix;
}

void similar_free(similar_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->nslots; i++)
        free(ix->slots[i].ids);
    free(ix->slots);
    free(ix->sizes);
    free(ix->shared);
    free(ix->touched);
    free(ix);
}

size_t similar_count(const similar_index *ix)
{
    return ix->count;
}

static posting *slot_find(posting *slots, size_t nslots, uint32_t f)
{
    size_t mask = nslots - 1;
    size_t h = (f * 2654435761u) & mask;
    while (slots[h].ids && slots[h].feature != f)
        h = (h + 1) & mask;
    return &slots[h];
}

static void grow(similar_index *ix)
{
    if ((ix->used + 1) * 2 <= ix->nslots)
        return;
    size_t nn = ix->nslots * 2;
    posting *ns = xcalloc(nn, sizeof *ns);
    for (size_t i = 0; i < ix->nslots; i++)
        if (ix->slots[i].ids)
            *slot_find(ns, nn, ix->slots[i].feature) = ix->slots[i];
    free(ix->slots);
    ix->slots = ns;
    ix->nslots = nn;
}

size_t similar_add(similar_index *ix, const char *text)
{
    uint32_t *f;
    size_t n = features(text, &f);
    if (ix->count == ix->cap) {
        ix->cap = ix->cap ? ix->cap * 2 : 64;
        ix->sizes = xrealloc(ix->sizes, ix->cap * sizeof *ix->sizes);
        free(ix->shared);
        free(ix->touched);
        ix->shared = xcalloc(ix->cap, sizeof *ix->shared);
        ix->touched = xmalloc(ix->cap * sizeof *ix->touched);
    }
    size_t id = ix->count++;
    ix->sizes[id] = n;
    for (size_t i = 0; i < n; i++) {
        grow(ix);
        posting *p = slot_find(ix->slots, ix->nslots, f[i]);
        if (!p->ids) {
            p->feature = f[i];
            p->cap = 4;
            p->ids = xmalloc(p->cap * sizeof *p->ids);
            ix->used++;
        }
        if (p->n == p->cap) {
            p->cap *= 2;
            p->ids = xrealloc(p->ids, p->cap * sizeof *p->ids);
        }
        p->ids[p->n++] = id;
    }
    free(f);
    return id;
}

long similar_best(similar_index *ix, const char *text, double threshold, double *score)
{
    uint32_t *f;
    size_t n = features(text, &f);
    long best = -1;
    double best_s = 0;
    if (n && ix->count) {
        /* Shared-feature counts per text; only texts that share something are touched. */
        size_t *shared = ix->shared, *touched = ix->touched;
        size_t nt = 0;
        for (size_t i = 0; i < n; i++) {
            const posting *p = slot_find(ix->slots, ix->nslots, f[i]);
            if (!p->ids || p->n > SIMILAR_POSTING_MAX)
                continue;
            for (size_t k = 0; k < p->n; k++) {
                size_t id = p->ids[k];
                if (shared[id]++ == 0)
                    touched[nt++] = id;
            }
        }
        for (size_t k = 0; k < nt; k++) {
            size_t id = touched[k];
            double s = (double)shared[id] / (double)(n + ix->sizes[id] - shared[id]);
            if (s > best_s || (s == best_s && (long)id < best)) {
                best_s = s;
                best = (long)id;
            }
            shared[id] = 0;
        }
    }
    free(f);
    if (score)
        *score = best_s;
    return best_s >= threshold ? best : -1;
}
