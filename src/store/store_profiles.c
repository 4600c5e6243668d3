/* store_profiles.c: profiles (u32 id -> name, created) and profile_names (name -> u32 id). */
#include "store_profiles.h"

#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "verr.h"

/* ---- Profiles ------------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    int64_t now_ms;
    uint32_t id;
    store_profile *out;
    int found;
    store_profile_fn fn;
    void *ctx;
    int result;
} profile_ctx;

int profile_decode(const MDB_val *k, const MDB_val *v, store_profile *p)
{
    if (k->mv_size != 4)
        return -1;
    dec d;
    dec_init(&d, v);
    p->id = key_get_u32(k->mv_data);
    dec_strbuf(&d, p->name, sizeof p->name);
    p->created_ms = dec_i64(&d);
    return d.bad ? -1 : 0;
}

int profile_load(store *st, MDB_txn *txn, uint32_t id, store_profile *p)
{
    unsigned char kb[4];
    key_u32(kb, id);
    MDB_val k = {4, kb}, v;
    int rc = mdb_get(txn, st->dbi[DB_PROFILES], &k, &v);
    if (rc)
        return rc;
    return profile_decode(&k, &v, p) ? MDB_CORRUPTED : 0;
}

static int profile_write(store *st, MDB_txn *txn, uint32_t id, const char *name, int64_t created)
{
    unsigned char k[4];
    key_u32(k, id);
    strbuf b = {0};
    enc_str(&b, name);
    enc_i64(&b, created);
    int rc = tbl_put_buf(txn, st->dbi[DB_PROFILES], k, 4, &b);
    sb_free(&b);
    if (rc == 0)
        rc = tbl_put_bytes(txn, st->dbi[DB_PROFNAME], name, strlen(name), k, 4);
    return rc;
}

static int profile_add_txn(store *st, MDB_txn *txn, void *vctx)
{
    profile_ctx *c = vctx;
    MDB_val k = {strlen(c->name), (void *)c->name}, v;
    int rc = mdb_get(txn, st->dbi[DB_PROFNAME], &k, &v);
    if (rc == 0)
        return STORE_RC(VIVA_EBUSY);
    if (rc != MDB_NOTFOUND)
        return rc;
    uint64_t id;
    rc = store_next_id(st, txn, "profile", &id);
    if (rc)
        return rc;
    if (id > UINT32_MAX)
        return STORE_RC(VIVA_ELIMIT);
    c->id = (uint32_t)id;
    return profile_write(st, txn, c->id, c->name, c->now_ms);
}

int store_profile_add(store *st, const char *name, int64_t now_ms, uint32_t *id)
{
    if (!codec_name_valid(name))
        return VIVA_EINVAL;
    profile_ctx c = {.name = name, .now_ms = now_ms};
    int e = store_write(st, "adding a profile", profile_add_txn, &c);
    if (e == 0 && id)
        *id = c.id;
    return e;
}

static int profile_rename_txn(store *st, MDB_txn *txn, void *vctx)
{
    profile_ctx *c = vctx;
    store_profile p;
    int rc = profile_load(st, txn, c->id, &p);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    if (strcmp(p.name, c->name) == 0)
        return 0;
    MDB_val k = {strlen(c->name), (void *)c->name}, v;
    rc = mdb_get(txn, st->dbi[DB_PROFNAME], &k, &v);
    if (rc == 0)
        return STORE_RC(VIVA_EBUSY);
    if (rc != MDB_NOTFOUND)
        return rc;
    MDB_val old = {strlen(p.name), p.name};
    rc = mdb_del(txn, st->dbi[DB_PROFNAME], &old, NULL);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    return profile_write(st, txn, p.id, c->name, p.created_ms);
}

int store_profile_rename(store *st, uint32_t id, const char *new_name)
{
    if (!codec_name_valid(new_name))
        return VIVA_EINVAL;
    profile_ctx c = {.name = new_name, .id = id};
    return store_write(st, "renaming a profile", profile_rename_txn, &c);
}

static int profile_find_txn(store *st, MDB_txn *txn, void *vctx)
{
    profile_ctx *c = vctx;
    uint32_t id = c->id;
    if (c->name) {
        MDB_val k = {strlen(c->name), (void *)c->name}, v;
        int rc = mdb_get(txn, st->dbi[DB_PROFNAME], &k, &v);
        if (rc == MDB_NOTFOUND)
            return 0;
        if (rc)
            return rc;
        if (v.mv_size != 4)
            return MDB_CORRUPTED;
        id = key_get_u32(v.mv_data);
    }
    int rc = profile_load(st, txn, id, c->out);
    if (rc == MDB_NOTFOUND)
        return c->name ? MDB_CORRUPTED : 0; /* a name pointing nowhere is damage */
    if (rc == 0)
        c->found = 1;
    return rc;
}

int store_profile_find(store *st, const char *name, store_profile *out, int *found)
{
    *found = 0;
    if (!codec_name_valid(name))
        return VIVA_OK;
    profile_ctx c = {.name = name, .out = out};
    int e = store_read(st, "finding a profile", profile_find_txn, &c);
    *found = c.found;
    return e;
}

int store_profile_get(store *st, uint32_t id, store_profile *out, int *found)
{
    profile_ctx c = {.id = id, .out = out};
    int e = store_read(st, "reading a profile", profile_find_txn, &c);
    *found = c.found;
    return e;
}

static int profile_list_txn(store *st, MDB_txn *txn, void *vctx)
{
    profile_ctx *c = vctx;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, st->dbi[DB_PROFILES], &cur);
    if (rc)
        return rc;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        store_profile p;
        if (profile_decode(&k, &v, &p)) {
            rc = MDB_CORRUPTED;
            break;
        }
        c->result = c->fn(c->ctx, &p);
        if (c->result)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_profile_list(store *st, store_profile_fn fn, void *ctx)
{
    profile_ctx c = {.fn = fn, .ctx = ctx};
    int e = store_read(st, "listing profiles", profile_list_txn, &c);
    return e ? e : c.result;
}

int profiles_require(store *st, MDB_txn *txn, uint32_t id)
{
    store_profile p;
    int rc = profile_load(st, txn, id, &p);
    return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
}

int profiles_del_txn(store *st, MDB_txn *txn, const store_profile *p)
{
    unsigned char pk[4];
    key_u32(pk, p->id);
    MDB_val nk = {strlen(p->name), (void *)p->name}, kk = {4, pk};
    int rc = mdb_del(txn, st->dbi[DB_PROFNAME], &nk, NULL);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    return mdb_del(txn, st->dbi[DB_PROFILES], &kk, NULL);
}
