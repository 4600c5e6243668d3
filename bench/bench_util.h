/* bench_util.h: helpers shared by the speech benchmarks (bench_feedback.c, bench_heldout.c):
 * CPU time, resident memory, word lists and their word-level edit distance, the built-in banks.
 * Header-only (static inline functions): each benchmark is one program. */
#ifndef VIVA_BENCH_UTIL_H
#define VIVA_BENCH_UTIL_H

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "banks.h"
#include "feedback.h"
#include "verr.h"

static inline double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline long status_kib(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0)
            kib = atol(line + n);
    if (f)
        fclose(f);
    return kib;
}

/* Reset the peak resident set so VmHWM measures from now (Linux >= 4.0). */
static inline void reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}

typedef struct {
    char **w;
    int n, cap;
} wordlist;

static inline void wl_add(void *ctx, const char *w)
{
    wordlist *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->w = xrealloc(l->w, (size_t)l->cap * sizeof *l->w);
    }
    l->w[l->n++] = xstrdup(w);
}

static inline void wl_free(wordlist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->w[i]);
    free(l->w);
    memset(l, 0, sizeof *l);
}

/* Word-level Levenshtein distance. */
static inline int edit_distance(const wordlist *ref, const wordlist *hyp)
{
    int *prev = xcalloc((size_t)hyp->n + 1, sizeof *prev);
    int *cur = xcalloc((size_t)hyp->n + 1, sizeof *cur);
    for (int j = 0; j <= hyp->n; j++)
        prev[j] = j;
    for (int i = 1; i <= ref->n; i++) {
        cur[0] = i;
        for (int j = 1; j <= hyp->n; j++) {
            int sub = prev[j - 1] + (strcmp(ref->w[i - 1], hyp->w[j - 1]) != 0);
            int del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        int *t = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[hyp->n];
    free(prev);
    free(cur);
    return d;
}

static inline bank *load_builtin(const char *assets)
{
    bank *b = bank_new();
    char pattern[1100];
    snprintf(pattern, sizeof pattern, "%s/bank/*.bank", assets);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            banks_load_file(b, g.gl_pathv[i], 5);
        globfree(&g);
    }
    return b;
}

#endif
