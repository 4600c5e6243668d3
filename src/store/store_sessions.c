/* store_sessions.c: sessions (u64 id -> u32 profile, i64 begin_ms, i64 end_ms). */
#include "store_sessions.h"

#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "store_profiles.h"
#include "verr.h"

/* ---- Sessions ------------------------------------------------------------------------------ */

typedef struct {
    store_session s;
    int found;
} session_ctx;

static int session_write(store *st, MDB_txn *txn, const store_session *s)
{
    unsigned char k[8];
    key_u64(k, s->id);
    strbuf b = {0};
    enc_u32(&b, s->profile);
    enc_i64(&b, s->begin_ms);
    enc_i64(&b, s->end_ms);
    int rc = tbl_put_buf(txn, st->dbi[DB_SESSIONS], k, 8, &b);
    sb_free(&b);
    return rc;
}

int session_decode(const MDB_val *v, store_session *s)
{
    dec d;
    dec_init(&d, v);
    s->profile = dec_u32(&d);
    s->begin_ms = dec_i64(&d);
    s->end_ms = dec_i64(&d);
    return d.bad ? -1 : 0;
}

static int session_read(store *st, MDB_txn *txn, uint64_t id, store_session *s)
{
    unsigned char kb[8];
    key_u64(kb, id);
    MDB_val k = {8, kb}, v;
    int rc = mdb_get(txn, st->dbi[DB_SESSIONS], &k, &v);
    if (rc)
        return rc;
    s->id = id;
    return session_decode(&v, s) ? MDB_CORRUPTED : 0;
}

static int session_begin_txn(store *st, MDB_txn *txn, void *vctx)
{
    session_ctx *c = vctx;
    int rc = profiles_require(st, txn, c->s.profile);
    if (rc)
        return rc;
    rc = store_next_id(st, txn, "session", &c->s.id);
    return rc ? rc : session_write(st, txn, &c->s);
}

int store_session_begin(store *st, uint32_t profile, int64_t now_ms, uint64_t *id)
{
    session_ctx c = {{0, profile, now_ms, 0}, 0};
    int e = store_write(st, "starting a session", session_begin_txn, &c);
    if (e == 0)
        *id = c.s.id;
    return e;
}

static int session_end_txn(store *st, MDB_txn *txn, void *vctx)
{
    session_ctx *c = vctx;
    store_session s;
    int rc = session_read(st, txn, c->s.id, &s);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    s.end_ms = c->s.end_ms;
    return session_write(st, txn, &s);
}

int sessions_end(store *st, uint64_t id, int64_t now_ms)
{
    session_ctx c = {{id, 0, 0, now_ms}, 0};
    return store_write(st, "ending a session", session_end_txn, &c);
}

static int session_get_txn(store *st, MDB_txn *txn, void *vctx)
{
    session_ctx *c = vctx;
    int rc = session_read(st, txn, c->s.id, &c->s);
    if (rc == 0)
        c->found = 1;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_session_get(store *st, uint64_t id, store_session *out, int *found)
{
    session_ctx c = {{id, 0, 0, 0}, 0};
    int e = store_read(st, "reading a session", session_get_txn, &c);
    *found = c.found;
    if (c.found)
        *out = c.s;
    return e;
}

typedef struct {
    uint32_t profile;
    tbl_ids ids;
} prof_sessions;

static int collect_session(void *vctx, const MDB_val *k, const MDB_val *v)
{
    prof_sessions *c = vctx;
    store_session s;
    if (session_decode(v, &s))
        return MDB_CORRUPTED;
    if (s.profile == c->profile)
        tbl_ids_add(&c->ids, key_get_u64(k->mv_data));
    return 0;
}

int sessions_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    /* Sessions have no per-profile index: they are few, scan them, then delete by key. */
    prof_sessions c = {profile, {0}};
    int rc = tbl_walk(txn, st->dbi[DB_SESSIONS], NULL, 0, 8, collect_session, &c);
    for (size_t i = 0; i < c.ids.n && rc == 0; i++) {
        unsigned char sk[8];
        key_u64(sk, c.ids.v[i]);
        MDB_val skv = {8, sk};
        rc = mdb_del(txn, st->dbi[DB_SESSIONS], &skv, NULL);
    }
    tbl_ids_free(&c.ids);
    return rc;
}
