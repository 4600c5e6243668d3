/* store_responses.c: answers (u64 id -> response record) and their index by profile and time
 * (responses_by_profile: u32 profile, u64 biased t_ms, u64 id -> ""). */
#include "store_responses.h"

#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "store_profiles.h"
#include "verr.h"

/* ---- Responses ----------------------------------------------------------------------------- */

void response_encode(strbuf *b, const store_response *r)
{
    enc_u32(b, r->profile);
    enc_u64(b, r->session);
    enc_str(b, r->item_id);
    enc_str(b, r->topic);
    enc_i64(b, r->t_ms);
    enc_u8(b, (uint8_t)(r->grade + 1));
    enc_i64(b, r->graded_ms);
    enc_u32(b, (uint32_t)r->duration_ms);
    enc_u64(b, r->recording);
    enc_f64(b, r->theta_before);
    enc_f64(b, r->se_before);
    enc_f64(b, r->theta_after);
    enc_f64(b, r->se_after);
    enc_u32(b, (uint32_t)r->talk_ms);
    enc_u32(b, (uint32_t)r->longest_pause_ms);
    enc_u32(b, (uint32_t)r->first_word_ms);
}

int response_decode(const MDB_val *v, store_response *r)
{
    dec d;
    dec_init(&d, v);
    memset(r, 0, sizeof *r);
    r->profile = dec_u32(&d);
    r->session = dec_u64(&d);
    dec_strbuf(&d, r->item_id, sizeof r->item_id);
    dec_strbuf(&d, r->topic, sizeof r->topic);
    r->t_ms = dec_i64(&d);
    r->grade = (int)dec_u8(&d) - 1;
    r->graded_ms = dec_i64(&d);
    r->duration_ms = (int32_t)dec_u32(&d);
    r->recording = dec_u64(&d);
    r->theta_before = dec_f64(&d);
    r->se_before = dec_f64(&d);
    r->theta_after = dec_f64(&d);
    r->se_after = dec_f64(&d);
    r->talk_ms = (int32_t)dec_u32(&d);
    r->longest_pause_ms = (int32_t)dec_u32(&d);
    r->first_word_ms = (int32_t)dec_u32(&d);
    return d.bad || r->grade > 3 ? -1 : 0;
}

void response_index_key(unsigned char key[20], const store_response *r)
{
    key_u32(key, r->profile);
    key_u64(key + 4, key_time(r->t_ms));
    key_u64(key + 12, r->id);
}

int response_valid(const store_response *r)
{
    return r->grade >= -1 && r->grade <= 3 && r->profile != 0 &&
           memchr(r->item_id, 0, sizeof r->item_id) && memchr(r->topic, 0, sizeof r->topic);
}

int response_put_txn(store *st, MDB_txn *txn, store_response *r)
{
    MDB_val k, v, empty = {0, ""};
    unsigned char kb[8];
    int rc;
    rc = profiles_require(st, txn, r->profile);
    if (rc)
        return rc;
    if (r->id == 0) {
        rc = store_next_id(st, txn, "response", &r->id);
        if (rc)
            return rc;
    } else {
        /* Replacing: drop the old index entry (the time or profile may have changed). */
        key_u64(kb, r->id);
        k.mv_size = 8;
        k.mv_data = kb;
        rc = mdb_get(txn, st->dbi[DB_RESPONSES], &k, &v);
        if (rc)
            return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
        store_response old;
        if (response_decode(&v, &old))
            return MDB_CORRUPTED;
        old.id = r->id;
        unsigned char ik[20];
        response_index_key(ik, &old);
        MDB_val ikv = {20, ik};
        rc = mdb_del(txn, st->dbi[DB_RESP_BY_PROF], &ikv, NULL);
        if (rc && rc != MDB_NOTFOUND)
            return rc;
    }
    key_u64(kb, r->id);
    strbuf b = {0};
    response_encode(&b, r);
    rc = tbl_put_buf(txn, st->dbi[DB_RESPONSES], kb, 8, &b);
    sb_free(&b);
    if (rc)
        return rc;
    unsigned char ik[20];
    response_index_key(ik, r);
    MDB_val ikv = {20, ik};
    return mdb_put(txn, st->dbi[DB_RESP_BY_PROF], &ikv, &empty, 0);
}

typedef struct {
    store_response *r;
    uint64_t id;
    int grade;
    int64_t graded_ms;
    double theta, se;
    int found;
    store_response_fn fn;
    void *ctx;
    int result;
} resp_ctx;

int response_load(store *st, MDB_txn *txn, uint64_t id, store_response *r)
{
    unsigned char kb[8];
    key_u64(kb, id);
    MDB_val k = {8, kb}, v;
    int rc = mdb_get(txn, st->dbi[DB_RESPONSES], &k, &v);
    if (rc)
        return rc;
    if (response_decode(&v, r))
        return MDB_CORRUPTED;
    r->id = id;
    return 0;
}

static int response_grade_txn(store *st, MDB_txn *txn, void *vctx)
{
    resp_ctx *c = vctx;
    store_response r;
    int rc = response_load(st, txn, c->id, &r);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    r.grade = c->grade;
    r.graded_ms = c->graded_ms;
    r.theta_after = c->theta;
    r.se_after = c->se;
    unsigned char kb[8];
    key_u64(kb, r.id);
    strbuf b = {0};
    response_encode(&b, &r);
    rc = tbl_put_buf(txn, st->dbi[DB_RESPONSES], kb, 8, &b);
    sb_free(&b);
    return rc;
}

int store_response_grade(store *st, uint64_t id, int grade, int64_t graded_ms,
                         double theta_after, double se_after)
{
    if (grade < -1 || grade > 3)
        return VIVA_EINVAL;
    resp_ctx c = {.id = id, .grade = grade, .graded_ms = graded_ms, .theta = theta_after,
                  .se = se_after};
    return store_write(st, "saving a grade", response_grade_txn, &c);
}

static int response_get_txn(store *st, MDB_txn *txn, void *vctx)
{
    resp_ctx *c = vctx;
    int rc = response_load(st, txn, c->id, c->r);
    if (rc == 0)
        c->found = 1;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_response_get(store *st, uint64_t id, store_response *out, int *found)
{
    resp_ctx c = {.id = id, .r = out};
    int e = store_read(st, "reading an answer", response_get_txn, &c);
    *found = c.found;
    return e;
}

typedef struct {
    store *st;
    MDB_txn *txn;
    resp_ctx *c;
} iter_walk;

static int iter_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
    (void)v;
    iter_walk *w = vctx;
    store_response r;
    int rc = response_load(w->st, w->txn, key_get_u64((const unsigned char *)k->mv_data + 12), &r);
    if (rc)
        return rc == MDB_NOTFOUND ? MDB_CORRUPTED : rc;
    w->c->result = w->c->fn(w->c->ctx, &r);
    return w->c->result ? TBL_STOP : 0;
}

static int response_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    resp_ctx *c = vctx;
    unsigned char pk[4];
    key_u32(pk, (uint32_t)c->id);
    iter_walk w = {st, txn, c};
    return tbl_walk(txn, st->dbi[DB_RESP_BY_PROF], pk, 4, 20, iter_one, &w);
}

int store_response_iter(store *st, uint32_t profile, store_response_fn fn, void *ctx)
{
    resp_ctx c = {.id = profile, .fn = fn, .ctx = ctx};
    int e = store_read(st, "reading answers", response_iter_txn, &c);
    return e ? e : c.result;
}

int responses_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    unsigned char pk[4];
    key_u32(pk, profile);
    tbl_ids ids = {0};
    int rc = tbl_collect_ids(txn, st->dbi[DB_RESP_BY_PROF], pk, 4, 20, 12, &ids);
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        unsigned char rk[8];
        key_u64(rk, ids.v[i]);
        MDB_val rkv = {8, rk};
        rc = mdb_del(txn, st->dbi[DB_RESPONSES], &rkv, NULL);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    tbl_ids_free(&ids);
    return rc ? rc : tbl_del_prefix(txn, st->dbi[DB_RESP_BY_PROF], pk, 4);
}
