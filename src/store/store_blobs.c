/* store_blobs.c: keyed blobs the store does not interpret: item calibration (item id -> blob),
 * settings (key -> blob), and the generic helpers the review table builds on. */
#include "store_blobs.h"

#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "verr.h"

/* ---- Keyed blobs --------------------------------------------------------------------------- */

typedef struct {
    int db;
    const void *key;
    size_t klen;
    const void *data;
    size_t len;
    void *out;
    size_t outlen;
    int found;
    size_t prefix; /* iteration: bytes of key that must match; the rest is the name */
    store_blob_fn fn;
    void *ctx;
    int result;
} blob_ctx;

static int blob_put_txn(store *st, MDB_txn *txn, void *vctx)
{
    blob_ctx *c = vctx;
    return tbl_put_bytes(txn, st->dbi[c->db], c->key, c->klen, c->data, c->len);
}

static int blob_del_txn(store *st, MDB_txn *txn, void *vctx)
{
    blob_ctx *c = vctx;
    MDB_val k = {c->klen, (void *)c->key};
    int rc = mdb_del(txn, st->dbi[c->db], &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int blob_get_txn(store *st, MDB_txn *txn, void *vctx)
{
    blob_ctx *c = vctx;
    MDB_val k = {c->klen, (void *)c->key}, v;
    int rc = mdb_get(txn, st->dbi[c->db], &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    c->found = 1;
    c->out = xmalloc(v.mv_size + 1);
    memcpy(c->out, v.mv_data, v.mv_size);
    ((char *)c->out)[v.mv_size] = '\0';
    c->outlen = v.mv_size;
    return 0;
}

static int blob_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    blob_ctx *c = vctx;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, st->dbi[c->db], &cur);
    if (rc)
        return rc;
    MDB_val k = {c->prefix, (void *)c->key}, v;
    rc = mdb_cursor_get(cur, &k, &v, c->prefix ? MDB_SET_RANGE : MDB_FIRST);
    for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (!tbl_starts_with(&k, c->key, c->prefix))
            break;
        char name[512];
        size_t n = k.mv_size - c->prefix;
        if (n >= sizeof name) {
            rc = MDB_CORRUPTED;
            break;
        }
        memcpy(name, (const char *)k.mv_data + c->prefix, n);
        name[n] = '\0';
        c->result = c->fn(c->ctx, name, v.mv_data, v.mv_size);
        if (c->result)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int blob_put(store *st, int db, const void *k, size_t kl, const void *d, size_t dl)
{
    blob_ctx c = {.db = db, .key = k, .klen = kl, .data = d, .len = dl};
    return store_write(st, store_db_names[db], blob_put_txn, &c);
}

int blob_get(store *st, int db, const void *k, size_t kl, void **d, size_t *dl, int *found)
{
    blob_ctx c = {.db = db, .key = k, .klen = kl};
    int e = store_read(st, store_db_names[db], blob_get_txn, &c);
    *found = c.found;
    *d = c.out;
    if (dl)
        *dl = c.outlen;
    return e;
}

int blob_del(store *st, int db, const void *k, size_t kl)
{
    blob_ctx c = {.db = db, .key = k, .klen = kl};
    return store_write(st, store_db_names[db], blob_del_txn, &c);
}

int blob_iter(store *st, int db, const void *prefix, size_t plen, store_blob_fn fn,
                     void *ctx)
{
    blob_ctx c = {.db = db, .key = prefix, .prefix = plen, .fn = fn, .ctx = ctx};
    int e = store_read(st, store_db_names[db], blob_iter_txn, &c);
    return e ? e : c.result;
}

int store_calib_put(store *st, const char *item_id, const void *data, size_t len)
{
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_put(st, DB_CALIB, item_id, strlen(item_id), data, len);
}

int store_calib_get(store *st, const char *item_id, void **data, size_t *len, int *found)
{
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_get(st, DB_CALIB, item_id, strlen(item_id), data, len, found);
}

int store_calib_del(store *st, const char *item_id)
{
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_del(st, DB_CALIB, item_id, strlen(item_id));
}

int store_calib_iter(store *st, store_blob_fn fn, void *ctx)
{
    return blob_iter(st, DB_CALIB, "", 0, fn, ctx);
}

int store_setting_put(store *st, const char *key, const void *data, size_t len)
{
    if (!codec_key_valid(key, 255))
        return VIVA_EINVAL;
    return blob_put(st, DB_SETTINGS, key, strlen(key), data, len);
}

int store_setting_get(store *st, const char *key, void **data, size_t *len, int *found)
{
    if (!codec_key_valid(key, 255))
        return VIVA_EINVAL;
    return blob_get(st, DB_SETTINGS, key, strlen(key), data, len, found);
}

int store_setting_del(store *st, const char *key)
{
    if (!codec_key_valid(key, 255))
        return VIVA_EINVAL;
    return blob_del(st, DB_SETTINGS, key, strlen(key));
}

int store_setting_iter(store *st, store_blob_fn fn, void *ctx)
{
    return blob_iter(st, DB_SETTINGS, "", 0, fn, ctx);
}
