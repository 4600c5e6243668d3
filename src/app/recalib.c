/* recalib.c: difficulty shifts from every profile's answers, kept in the store (see recalib.h).
 *
 * recalib_update reads every graded answer once (profiles, then each profile's responses),
 * groups the answers by question with a counting sort, and runs calib_shifts (the common
 * shift, then each question's shift relative to it).
 * Only records that changed are written (see same_record): each store_calib_put is its own
 * synced transaction, and after a session mostly the questions answered in it change, so a
 * session end costs about one small write per question asked. */
#include "recalib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "verr.h"
#include "vlog.h"

/* A graded answer before grouping. */
typedef struct {
    size_t item;
    calib_obs obs;
} answer;

typedef struct {
    const bank *b;
    answer *v;
    size_t n, cap;
} answer_list;

typedef struct {
    uint32_t *ids;
    size_t n, cap;
} id_list;

/* Stored records by bank index. */
typedef struct {
    const bank *b;
    calib_record *rec;
    unsigned char *has;
} record_map;

static size_t index_of(const bank *b, const bank_item *it)
{
    return (size_t)(it - bank_at(b, 0));
}

static int on_profile(void *ctx, const store_profile *p)
{
    id_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->ids = xrealloc(l->ids, l->cap * sizeof *l->ids);
    }
    l->ids[l->n++] = p->id;
    return 0;
}

static int on_response(void *ctx, const store_response *r)
{
    answer_list *l = ctx;
    if (r->grade < 0 || r->grade > 3 || !isfinite(r->theta_before) || !isfinite(r->se_before))
        return 0;
    const bank_item *it = bank_find(l->b, r->item_id);
    if (!it)
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (answer){index_of(l->b, it), {r->theta_before, r->se_before, r->grade}};
    return 0;
}

static int on_record(void *ctx, const char *key, const void *data, size_t len)
{
    record_map *m = ctx;
    const bank_item *it = bank_find(m->b, key);
    if (!it)
        return 0;
    calib_record rec;
    if (calib_record_decode(data, len, &rec) != 0) {
        VLOG_W("recalib",
               "calibration of question '%s' is not a version-%d record of %d bytes "
               "(%zu bytes): ignored, it is rewritten at the next session end",
               key, CALIB_RECORD_VERSION, CALIB_RECORD_SIZE, len);
        return 0;
    }
    size_t i = index_of(m->b, it);
    m->rec[i] = rec;
    m->has[i] = 1;
    return 0;
}

static int load_records(store *st, const bank *b, record_map *m)
{
    size_t n = bank_count(b);
    m->b = b;
    m->rec = xcalloc(n ? n : 1, sizeof *m->rec);
    m->has = xcalloc(n ? n : 1, 1);
    return store_calib_iter(st, on_record, m);
}

static void free_records(record_map *m)
{
    free(m->rec);
    free(m->has);
}

/* Level items moved by the records that apply; returns how many moved. */
static size_t apply(const bank *b, const record_map *m, cat_pool *pool)
{
    size_t moved = 0;
    for (size_t i = 0; i < pool->n; i++) {
        const bank_item *it = bank_at(b, i);
        irt_item base = calib_item_from_level(it->level, 0);
        if (m && m->has[i] && m->rec[i].level == it->level) {
            pool->items[i] = calib_apply(&base, m->rec[i].shift);
            moved++;
        } else {
            pool->items[i] = base;
        }
    }
    cat_pool_prepare(pool);
    return moved;
}

int recalib_load(store *st, const bank *b, cat_pool *pool, size_t *applied)
{
    if (pool->n != bank_count(b))
        return VIVA_EINVAL;
    if (!st) {
        size_t moved = apply(b, NULL, pool);
        if (applied)
            *applied = moved;
        return VIVA_OK;
    }
    record_map m;
    int rc = load_records(st, b, &m);
    size_t moved = apply(b, &m, pool);
    if (applied)
        *applied = moved;
    free_records(&m);
    return rc;
}

/* Every graded answer to a question of b, from every profile. */
static int read_answers(store *st, const bank *b, answer_list *out)
{
    id_list ids = {NULL, 0, 0};
    int rc = store_profile_list(st, on_profile, &ids);
    out->b = b;
    for (size_t i = 0; rc == VIVA_OK && i < ids.n; i++)
        rc = store_response_iter(st, ids.ids[i], on_response, out);
    free(ids.ids);
    return rc;
}

/* size_t is 32 bits on armhf, so the clamp takes a 64-bit value (no always-false warning). */
static uint32_t count32(uint64_t n)
{
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

/* A stored record is rewritten when its answer count or level changed or its shift moved by
 * RECORD_SLACK or more. The common shift moves a little with every session, and with it every
 * question's relative shift; rewriting them all would be one synced transaction per question
 * at each session end. The pool always gets the fresh shifts; a reopened practice may use one
 * up to RECORD_SLACK older (shown to 0.01 by `viva bank stats --calibrated`). */
#define RECORD_SLACK 0.005

static int same_record(const calib_record *a, const calib_record *b)
{
    return a->level == b->level && a->n == b->n && fabs(a->shift - b->shift) < RECORD_SLACK;
}

int recalib_update(store *st, const bank *b, cat_pool *pool, recalib_stats *stats)
{
    recalib_stats s;
    memset(&s, 0, sizeof s);
    size_t n = bank_count(b);
    if (pool->n != n)
        return VIVA_EINVAL;
    if (!st) {
        apply(b, NULL, pool);
        if (stats)
            *stats = s;
        return VIVA_OK;
    }
    answer_list al = {b, NULL, 0, 0};
    record_map m = {NULL, NULL, NULL};
    size_t *start = xcalloc(n + 1, sizeof *start);
    calib_obs *obs = NULL;
    int rc = load_records(st, b, &m);
    if (rc == VIVA_OK)
        rc = read_answers(st, b, &al);
    if (rc != VIVA_OK)
        goto out;

    /* Group by question: start[i] .. start[i + 1] are question i's answers in obs. */
    for (size_t k = 0; k < al.n; k++)
        start[al.v[k].item + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    obs = xmalloc((al.n ? al.n : 1) * sizeof *obs);
    {
        size_t *fill = xmalloc((n ? n : 1) * sizeof *fill);
        memcpy(fill, start, (n ? n : 1) * sizeof *fill);
        for (size_t k = 0; k < al.n; k++)
            obs[fill[al.v[k].item]++] = al.v[k].obs;
        free(fill);
    }
    s.answers = al.n;

    /* Questions with answers, their shifts (relative to the common shift, calib.h). */
    calib_group *groups = xmalloc((n ? n : 1) * sizeof *groups);
    size_t *gi = xmalloc((n ? n : 1) * sizeof *gi), ng = 0;
    irt_item *base = xmalloc((n ? n : 1) * sizeof *base);
    for (size_t i = 0; i < n; i++) {
        base[i] = calib_item_from_level(bank_at(b, i)->level, 0);
        if (start[i + 1] > start[i]) {
            groups[ng] = (calib_group){&base[i], obs + start[i], start[i + 1] - start[i]};
            gi[ng++] = i;
        }
    }
    double *shift = xmalloc((ng ? ng : 1) * sizeof *shift);
    double *se = xmalloc((ng ? ng : 1) * sizeof *se);
    calib_shifts(groups, ng, CALIB_PRIOR_SD, shift, se);
    s.items = ng;

    for (size_t i = 0, g = 0; i < n && rc == VIVA_OK; i++) {
        const bank_item *it = bank_at(b, i);
        if (g == ng || gi[g] != i) {
            if (m.has[i]) { /* the answers behind it were removed with their profile */
                rc = store_calib_del(st, it->id);
                m.has[i] = 0;
                s.removed += rc == VIVA_OK;
            }
            continue;
        }
        size_t cnt = groups[g].n;
        calib_record rec = {it->level, shift[g], se[g], count32(cnt)};
        g++;
        int unchanged = m.has[i] && same_record(&m.rec[i], &rec);
        m.rec[i] = rec; /* the pool gets the fresh shift in any case */
        m.has[i] = 1;
        if (unchanged)
            continue;
        unsigned char enc[CALIB_RECORD_SIZE];
        calib_record_encode(&rec, enc);
        rc = store_calib_put(st, it->id, enc, sizeof enc);
        s.written += rc == VIVA_OK;
    }
    free(groups);
    free(gi);
    free(base);
    free(shift);
    free(se);
    if (rc != VIVA_OK)
        VLOG_W("recalib", "question difficulties not updated: %s (the previous ones stay)",
               viva_strerror(rc));
out:
    s.applied = apply(b, m.rec ? &m : NULL, pool);
    if (stats)
        *stats = s;
    if (m.rec)
        free_records(&m);
    free(obs);
    free(start);
    free(al.v);
    return rc;
}

/* ---- listing ----------------------------------------------------------------------------- */

typedef struct {
    const bank *b;
    recalib_entry *v;
    size_t n, cap;
} entry_list;

static int on_entry(void *ctx, const char *key, const void *data, size_t len)
{
    entry_list *l = ctx;
    calib_record rec;
    if (calib_record_decode(data, len, &rec) != 0) {
        VLOG_W("recalib",
               "calibration of question '%s' is not a version-%d record of %d bytes "
               "(%zu bytes): skipped",
               key, CALIB_RECORD_VERSION, CALIB_RECORD_SIZE, len);
        return 0;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    recalib_entry *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    snprintf(e->id, sizeof e->id, "%s", key);
    e->item = l->b ? bank_find(l->b, key) : NULL;
    e->rec = rec;
    return 0;
}

static int by_abs_shift(const void *pa, const void *pb)
{
    const recalib_entry *a = pa, *b = pb;
    double x = fabs(a->rec.shift), y = fabs(b->rec.shift);
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(a->id, b->id);
}

int recalib_list(store *st, const bank *b, recalib_entry **out, size_t *n)
{
    entry_list l = {b, NULL, 0, 0};
    int rc = store_calib_iter(st, on_entry, &l);
    if (l.n > 1)
        qsort(l.v, l.n, sizeof *l.v, by_abs_shift);
    *out = l.v;
    *n = l.n;
    return rc;
}
