/* store_analysis.c: the analysis of each answer as JSON text (store_analysis.h). */
#include "utf8.h"
#include "store_analysis.h"

#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "store_codec.h"
#include "store_responses.h"
#include "verr.h"

int analysis_text_valid(const char *json, size_t len)
{
    return json && len <= STORE_ANALYSIS_MAX && !memchr(json, 0, len) &&
           utf8_check(json, len, NULL);
}

void analysis_encode(strbuf *b, const char *json, size_t len)
{
    enc_u8(b, ANALYSIS_FORMAT);
    enc_u32(b, (uint32_t)len);
    sb_appendn(b, json, len);
}

int analysis_decode(const MDB_val *v, const char **json, size_t *len)
{
    dec d;
    dec_init(&d, v);
    uint8_t fmt = dec_u8(&d);
    uint32_t n = dec_u32(&d);
    if (d.bad || fmt != ANALYSIS_FORMAT || n > STORE_ANALYSIS_MAX ||
        (size_t)(d.end - d.p) != n)
        return -1;
    *json = (const char *)d.p;
    *len = n;
    return 0;
}

typedef struct {
    uint64_t id;
    uint32_t profile;
    const char *json;
    size_t len;
    char *out;
    size_t outlen;
    int found;
    store_analysis_fn fn;
    void *ctx;
    int result;
} analysis_ctx;

static int put_step(store *st, MDB_txn *txn, void *vctx)
{
    analysis_ctx *c = vctx;
    store_response r;
    int rc = response_load(st, txn, c->id, &r);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    unsigned char k[8];
    key_u64(k, c->id);
    strbuf b = {0};
    analysis_encode(&b, c->json, c->len);
    rc = tbl_put_buf(txn, st->dbi[DB_ANALYSIS], k, 8, &b);
    sb_free(&b);
    return rc;
}

int store_analysis_put(store *st, uint64_t response_id, const char *json, size_t len)
{
    if (response_id == 0 || !analysis_text_valid(json, len))
        return VIVA_EINVAL;
    analysis_ctx c = {.id = response_id, .json = json, .len = len};
    return store_write(st, "saving the analysis of an answer", put_step, &c);
}

static int get_step(store *st, MDB_txn *txn, void *vctx)
{
    analysis_ctx *c = vctx;
    unsigned char k[8];
    key_u64(k, c->id);
    MDB_val kv = {8, k}, v;
    int rc = mdb_get(txn, st->dbi[DB_ANALYSIS], &kv, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? 0 : rc;
    const char *json;
    size_t len;
    if (analysis_decode(&v, &json, &len))
        return MDB_CORRUPTED;
    c->out = xstrndup(json, len);
    c->outlen = len;
    c->found = 1;
    return 0;
}

int store_analysis_get(store *st, uint64_t response_id, char **json, size_t *len, int *found)
{
    analysis_ctx c = {.id = response_id};
    int e = store_read(st, "reading the analysis of an answer", get_step, &c);
    if (e) {
        free(c.out);
        c.out = NULL;
        c.found = 0;
        c.outlen = 0;
    }
    *json = c.out;
    if (len)
        *len = c.outlen;
    *found = c.found;
    return e;
}

/* The ids of the profile's answers in index order (time, then id). */
static int answer_ids(store *st, MDB_txn *txn, uint32_t profile, tbl_ids *ids)
{
    unsigned char pk[4];
    key_u32(pk, profile);
    return tbl_collect_ids(txn, st->dbi[DB_RESP_BY_PROF], pk, 4, 20, 12, ids);
}

static int iter_one(store *st, MDB_txn *txn, analysis_ctx *c, uint64_t id)
{
    unsigned char k[8];
    key_u64(k, id);
    MDB_val kv = {8, k}, v;
    int rc = mdb_get(txn, st->dbi[DB_ANALYSIS], &kv, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? 0 : rc;
    const char *json;
    size_t len;
    if (analysis_decode(&v, &json, &len))
        return MDB_CORRUPTED;
    /* The callback gets a NUL-terminated copy: the record's bytes are not terminated. */
    char *text = xstrndup(json, len);
    c->result = c->fn(c->ctx, id, text, len);
    free(text);
    return 0;
}

static int iter_step(store *st, MDB_txn *txn, void *vctx)
{
    analysis_ctx *c = vctx;
    tbl_ids ids = {0};
    int rc = answer_ids(st, txn, c->profile, &ids);
    for (size_t i = 0; i < ids.n && rc == 0 && c->result == 0; i++)
        rc = iter_one(st, txn, c, ids.v[i]);
    tbl_ids_free(&ids);
    return rc;
}

int store_analysis_iter(store *st, uint32_t profile, store_analysis_fn fn, void *ctx)
{
    analysis_ctx c = {.profile = profile, .fn = fn, .ctx = ctx};
    int e = store_read(st, "reading the analyses of answers", iter_step, &c);
    return e ? e : c.result;
}

int analysis_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    tbl_ids ids = {0};
    int rc = answer_ids(st, txn, profile, &ids);
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        unsigned char k[8];
        key_u64(k, ids.v[i]);
        MDB_val kv = {8, k};
        rc = mdb_del(txn, st->dbi[DB_ANALYSIS], &kv, NULL);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    tbl_ids_free(&ids);
    return rc;
}
