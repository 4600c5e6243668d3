/* trust_record.c: see trust_record.h. Two walks in the same order (the profile's answers, then
 * their analyses, both in response order): the grades are collected first, then each analysis
 * is matched to its answer by id. */
#include "trust_record.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Only the analyses of the last TRUST_RECENT graded answers are parsed: the record needs the
 * last FEEDBACK_AGREE_WINDOW sure ones, and this bounds the walk's cost (it runs on the main
 * thread when an analysis comes in) for a profile with thousands of answers. */
#define TRUST_RECENT 200

void trust_analysis_parse(const char *json, size_t len, int *suggested, double *confidence,
                          int *sure)
{
    *suggested = -1;
    *confidence = -1;
    *sure = 0;
    cJSON *o = json ? cJSON_ParseWithLength(json, len) : NULL;
    if (cJSON_IsObject(o)) {
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(o, "suggested_grade");
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "confidence");
        if (cJSON_IsNumber(g) && g->valueint >= 0 && g->valueint <= 3)
            *suggested = g->valueint;
        if (cJSON_IsNumber(c) && c->valuedouble >= 0 && c->valuedouble <= 1)
            *confidence = c->valuedouble;
        /* sure only with a known confidence: an old or damaged record is never trusted */
        *sure = *confidence >= 0 && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "sure"));
    }
    cJSON_Delete(o);
}

typedef struct {
    uint64_t *id;
    int *grade;
    size_t n, cap, at, from; /* from: analyses of older answers are not parsed */
    feedback_record *rec;
} walk;

static int on_response(void *ctx, const store_response *r)
{
    walk *w = ctx;
    if (r->grade < 0)
        return 0;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->id = xrealloc(w->id, w->cap * sizeof *w->id);
        w->grade = xrealloc(w->grade, w->cap * sizeof *w->grade);
    }
    w->id[w->n] = r->id;
    w->grade[w->n++] = r->grade;
    return 0;
}

static int on_analysis(void *ctx, uint64_t response_id, const char *json, size_t len)
{
    walk *w = ctx;
    size_t i = w->at;
    while (i < w->n && w->id[i] != response_id)
        i++;
    if (i == w->n) /* an ungraded answer */
        return 0;
    w->at = i + 1;
    if (i < w->from)
        return 0;
    int suggested, sure;
    double confidence;
    trust_analysis_parse(json, len, &suggested, &confidence, &sure);
    feedback_record_add(w->rec, suggested, sure, w->grade[i]);
    return 0;
}

int trust_record_load(store *st, uint32_t profile, feedback_record *out)
{
    memset(out, 0, sizeof *out);
    walk w = {.rec = out};
    int e = store_response_iter(st, profile, on_response, &w);
    w.from = w.n > TRUST_RECENT ? w.n - TRUST_RECENT : 0;
    if (!e && w.n)
        e = store_analysis_iter(st, profile, on_analysis, &w);
    free(w.id);
    free(w.grade);
    return e;
}
