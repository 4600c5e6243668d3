/* store_ability.c: the ability history (u32 profile, topic, 0, u64 biased t_ms, u64 seq ->
 * f64 theta, f64 se, u32 n_answers), one point per graded answer and topic ("" = overall). */
#include "store_ability.h"

#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "store_profiles.h"
#include "verr.h"

typedef struct {
    uint32_t profile;
    const char *topic;
    store_ability_fn afn;
    void *ctx;
    int result;
} ability_ctx;

int ability_put_txn(store *st, MDB_txn *txn, const store_ability *a)
{
    size_t tl = strlen(a->topic);
    if (tl > STORE_TOPIC_MAX || memchr(a->topic, 0, tl))
        return STORE_RC(VIVA_EINVAL);
    uint64_t seq;
    int rc = store_next_id(st, txn, "ability", &seq);
    if (rc)
        return rc;
    unsigned char k[4 + STORE_TOPIC_MAX + 1 + 16];
    key_u32(k, a->profile);
    memcpy(k + 4, a->topic, tl);
    k[4 + tl] = 0;
    key_u64(k + 5 + tl, key_time(a->t_ms));
    key_u64(k + 13 + tl, seq);
    strbuf b = {0};
    enc_f64(&b, a->theta);
    enc_f64(&b, a->se);
    enc_u32(&b, a->n_answers);
    rc = tbl_put_buf(txn, st->dbi[DB_ABILITY], k, 21 + tl, &b);
    sb_free(&b);
    return rc;
}

/* ---- Ability history ----------------------------------------------------------------------- */

static int ability_append_txn(store *st, MDB_txn *txn, void *vctx)
{
    const store_ability *a = vctx;
    int rc = profiles_require(st, txn, a->profile);
    return rc ? rc : ability_put_txn(st, txn, a);
}

int store_ability_append(store *st, const store_ability *a)
{
    if (!memchr(a->topic, 0, sizeof a->topic))
        return VIVA_EINVAL;
    return store_write(st, "saving the ability history", ability_append_txn, (void *)a);
}

static int ability_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    ability_ctx *c = vctx;
    unsigned char pk[4 + STORE_TOPIC_MAX + 1];
    key_u32(pk, c->profile);
    size_t plen = 4;
    if (c->topic) {
        size_t tl = strlen(c->topic);
        memcpy(pk + 4, c->topic, tl);
        pk[4 + tl] = 0;
        plen = 5 + tl;
    }
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, st->dbi[DB_ABILITY], &cur);
    if (rc)
        return rc;
    MDB_val k = {plen, pk}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (!tbl_starts_with(&k, pk, plen))
            break;
        const unsigned char *kp = k.mv_data;
        const unsigned char *z = k.mv_size > 4 ? memchr(kp + 4, 0, k.mv_size - 4) : NULL;
        size_t tl = z ? (size_t)(z - (kp + 4)) : 0;
        if (!z || tl > STORE_TOPIC_MAX || k.mv_size != 21 + tl) {
            rc = MDB_CORRUPTED;
            break;
        }
        store_ability a;
        memset(&a, 0, sizeof a);
        a.profile = key_get_u32(kp);
        memcpy(a.topic, kp + 4, tl);
        a.t_ms = (int64_t)(key_get_u64(kp + 5 + tl) ^ (1ull << 63));
        dec d;
        dec_init(&d, &v);
        a.theta = dec_f64(&d);
        a.se = dec_f64(&d);
        a.n_answers = dec_u32(&d);
        if (d.bad) {
            rc = MDB_CORRUPTED;
            break;
        }
        c->result = c->afn(c->ctx, &a);
        if (c->result)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_ability_iter(store *st, uint32_t profile, const char *topic, store_ability_fn fn,
                       void *ctx)
{
    if (topic && strlen(topic) > STORE_TOPIC_MAX)
        return VIVA_EINVAL;
    ability_ctx c = {.profile = profile, .topic = topic, .afn = fn, .ctx = ctx};
    int e = store_read(st, "reading the ability history", ability_iter_txn, &c);
    return e ? e : c.result;
}

int ability_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    unsigned char pk[4];
    key_u32(pk, profile);
    return tbl_del_prefix(txn, st->dbi[DB_ABILITY], pk, 4);
}
