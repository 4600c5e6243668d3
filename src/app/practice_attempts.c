/* practice_attempts.c: a question's attempts (practice.h: practice_attempts), read back from
 * the store: the answers to one question, numbered within their session in the order given,
 * with what their stored analyses say (key points covered, pace). Nothing new is stored for
 * this: an attempt is an answer, and its number is its place among its session's answers to
 * the same question. */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "practice_int.h"
#include "vlog.h"

typedef struct {
    const char *item_id;
    uint64_t session;
    practice_attempt_info *a;
    int n, cap, failed;
} attempt_walk;

static int on_response(void *ctx, const store_response *r)
{
    attempt_walk *w = ctx;
    if (strcmp(r->item_id, w->item_id) != 0 || (w->session && r->session != w->session))
        return 0;
    if (w->n == w->cap) {
        int cap = w->cap ? w->cap * 2 : 8;
        practice_attempt_info *a = realloc(w->a, (size_t)cap * sizeof *a);
        if (!a) {
            w->failed = 1;
            return 1;
        }
        w->a = a;
        w->cap = cap;
    }
    practice_attempt_info *x = &w->a[w->n];
    memset(x, 0, sizeof *x);
    x->response = r->id;
    x->session = r->session;
    x->t_ms = r->t_ms;
    x->grade = r->grade;
    x->recording = r->recording;
    x->seconds = r->duration_ms > 0 ? r->duration_ms / 1000.0 : 0;
    x->attempt = 1;
    for (int i = w->n - 1; i >= 0; i--) /* responses come in time order */
        if (w->a[i].session == r->session && r->session) {
            x->attempt = w->a[i].attempt + 1;
            break;
        }
    w->n++;
    return 0;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* The stored analysis of one attempt, if any. */
static void read_analysis(practice *p, practice_attempt_info *x)
{
    char *json = NULL;
    size_t len = 0;
    int found = 0;
    if (store_analysis_get(p->st, x->response, &json, &len, &found) != 0 || !found) {
        free(json);
        return;
    }
    cJSON *o = cJSON_ParseWithLength(json, len);
    free(json);
    if (!o)
        return;
    x->analysed = 1;
    x->words_per_minute = num(o, "words_per_minute");
    x->talk_seconds = num(o, "talk_seconds");
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(o, "key_points"))
    {
        int c = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "covered"));
        if (x->nkeys < BANK_MAX_KEYS)
            x->covered[x->nkeys] = c;
        x->nkeys++;
        x->ncovered += c;
    }
    if (x->nkeys > BANK_MAX_KEYS)
        x->nkeys = BANK_MAX_KEYS;
    cJSON_Delete(o);
}

int practice_attempts(practice *p, const char *item_id, uint64_t session_id,
                      practice_attempt_info **out)
{
    attempt_walk w = {.item_id = item_id ? item_id : "", .session = session_id};
    *out = NULL;
    if (!p->st || !item_id)
        return 0;
    if (store_response_iter(p->st, p->profile, on_response, &w) != 0 || w.failed) {
        VLOG_W("practice", "the attempts at %s could not be read", item_id);
        free(w.a);
        return 0;
    }
    for (int i = 0; i < w.n; i++)
        read_analysis(p, &w.a[i]);
    *out = w.a;
    return w.n;
}

uint64_t practice_session_id(const practice *p)
{
    return p->session_id;
}
