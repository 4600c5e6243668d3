/* store_data.c: banks and items, keyed blobs (calibration, review schedule, settings),
 * profiles, sessions, responses and ability history. Each public call is one short
 * transaction run through store_write/store_read (store.c), which handle map growth and
 * syncing; the *_txn helpers here only touch the transaction they are given. */
#include "store_int.h"

#include <stdlib.h>
#include <string.h>

#include "verr.h"
#include "vlog.h"

/* ---- Small helpers ------------------------------------------------------------------------- */

static int put_buf(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const strbuf *b)
{
    MDB_val key = {kl, (void *)k}, val = {b->len, b->len ? b->s : ""};
    return mdb_put(txn, dbi, &key, &val, 0);
}

static int put_bytes(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const void *d,
                     size_t dl)
{
    MDB_val key = {kl, (void *)k}, val = {dl, dl ? (void *)d : ""};
    return mdb_put(txn, dbi, &key, &val, 0);
}

static int starts_with(const MDB_val *k, const void *prefix, size_t plen)
{
    return k->mv_size >= plen && memcmp(k->mv_data, prefix, plen) == 0;
}

/* Delete every record whose key starts with prefix. */
static int del_prefix(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, dbi, &c);
    if (rc)
        return rc;
    for (;;) {
        MDB_val k = {plen, (void *)prefix}, v;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        if (rc || !starts_with(&k, prefix, plen))
            break;
        rc = mdb_cursor_del(c, 0);
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > STORE_NAME_MAX || !utf8_valid(s, n, NULL))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

static int key_valid(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max;
}

/* ---- Banks and items ----------------------------------------------------------------------- */

static void item_encode(strbuf *b, const bank_item *it)
{
    enc_str(b, it->id);
    enc_str(b, it->topic);
    enc_u32(b, (uint32_t)it->level);
    enc_str(b, it->question);
    enc_u32(b, (uint32_t)it->nkeys);
    for (int i = 0; i < it->nkeys; i++)
        enc_str(b, it->keys[i]);
    enc_str(b, it->answer);
    enc_u32(b, (uint32_t)it->time_s);
    enc_str(b, it->source);
    enc_str(b, it->file);
    enc_u32(b, (uint32_t)it->line);
}

static void item_free_fields(bank_item *it)
{
    free(it->id);
    free(it->topic);
    free(it->question);
    for (int i = 0; i < it->nkeys && i < BANK_MAX_KEYS; i++)
        free(it->keys[i]);
    free(it->answer);
    free(it->source);
    free(it->file);
    memset(it, 0, sizeof *it);
}

static int item_decode(const MDB_val *v, bank_item *it)
{
    dec d;
    dec_init(&d, v);
    memset(it, 0, sizeof *it);
    it->id = dec_str(&d);
    it->topic = dec_str(&d);
    it->level = (int)dec_u32(&d);
    it->question = dec_str(&d);
    uint32_t nk = dec_u32(&d);
    if (nk > BANK_MAX_KEYS)
        d.bad = 1;
    for (uint32_t i = 0; i < nk && !d.bad; i++)
        it->keys[it->nkeys++] = dec_str(&d);
    it->answer = dec_str(&d);
    it->time_s = (int)dec_u32(&d);
    it->source = dec_str(&d);
    it->file = dec_str(&d);
    it->line = (int)dec_u32(&d);
    if (d.bad || !it->id || !it->topic || !it->question) {
        item_free_fields(it);
        return -1;
    }
    return 0;
}

static size_t item_prefix(unsigned char *out, const char *bank_name)
{
    size_t n = strlen(bank_name);
    memcpy(out, bank_name, n);
    out[n] = 0;
    return n + 1;
}

typedef struct {
    const char *name;
    const bank *b;
    int enabled;
} bank_put_ctx;

static int bank_put_txn(store *st, MDB_txn *txn, void *vctx)
{
    bank_put_ctx *c = vctx;
    unsigned char key[STORE_NAME_MAX + 8];
    size_t plen = item_prefix(key, c->name);
    int rc = del_prefix(txn, st->dbi[DB_ITEMS], key, plen);
    if (rc)
        return rc;
    size_t n = bank_count(c->b);
    strbuf b = {0};
    for (size_t i = 0; i < n && rc == 0; i++) {
        sb_clear(&b);
        item_encode(&b, bank_at(c->b, i));
        key_u32(key + plen, (uint32_t)i);
        rc = put_buf(txn, st->dbi[DB_ITEMS], key, plen + 4, &b);
    }
    if (rc == 0) {
        sb_clear(&b);
        enc_u8(&b, (uint8_t)(c->enabled != 0));
        enc_u32(&b, (uint32_t)n);
        rc = put_buf(txn, st->dbi[DB_BANKS], c->name, strlen(c->name), &b);
    }
    sb_free(&b);
    return rc;
}

int store_bank_put(store *st, const char *name, const bank *b, int enabled)
{
    if (!name_valid(name) || !b)
        return VIVA_EINVAL;
    bank_put_ctx c = {name, b, enabled};
    return store_write(st, "saving a question bank", bank_put_txn, &c);
}

static int bank_enable_txn(store *st, MDB_txn *txn, void *vctx)
{
    bank_put_ctx *c = vctx;
    MDB_val k = {strlen(c->name), (void *)c->name}, v;
    int rc = mdb_get(txn, st->dbi[DB_BANKS], &k, &v);
    if (rc)
        return rc;
    dec d;
    dec_init(&d, &v);
    dec_u8(&d);
    uint32_t count = dec_u32(&d);
    if (d.bad)
        return MDB_CORRUPTED;
    strbuf b = {0};
    enc_u8(&b, (uint8_t)(c->enabled != 0));
    enc_u32(&b, count);
    rc = put_buf(txn, st->dbi[DB_BANKS], c->name, strlen(c->name), &b);
    sb_free(&b);
    return rc;
}

int store_bank_set_enabled(store *st, const char *name, int on)
{
    if (!name_valid(name))
        return VIVA_EINVAL;
    bank_put_ctx c = {name, NULL, on};
    return store_write(st, "enabling a question bank", bank_enable_txn, &c);
}

static int bank_remove_txn(store *st, MDB_txn *txn, void *vctx)
{
    const char *name = vctx;
    unsigned char key[STORE_NAME_MAX + 8];
    size_t plen = item_prefix(key, name);
    int rc = del_prefix(txn, st->dbi[DB_ITEMS], key, plen);
    MDB_val k = {strlen(name), (void *)name};
    if (rc == 0)
        rc = mdb_del(txn, st->dbi[DB_BANKS], &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_bank_remove(store *st, const char *name)
{
    if (!name_valid(name))
        return VIVA_EINVAL;
    return store_write(st, "removing a question bank", bank_remove_txn, (void *)name);
}

typedef struct {
    store_bank_fn fn;
    void *ctx;
    int result;
} bank_list_ctx;

static int bank_list_txn(store *st, MDB_txn *txn, void *vctx)
{
    bank_list_ctx *c = vctx;
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, st->dbi[DB_BANKS], &cur);
    if (rc)
        return rc;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        char name[STORE_NAME_MAX + 1];
        if (k.mv_size > STORE_NAME_MAX) {
            rc = MDB_CORRUPTED;
            break;
        }
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = '\0';
        dec d;
        dec_init(&d, &v);
        int en = dec_u8(&d);
        uint32_t count = dec_u32(&d);
        if (d.bad) {
            rc = MDB_CORRUPTED;
            break;
        }
        c->result = c->fn(c->ctx, name, count, en);
        if (c->result)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_bank_list(store *st, store_bank_fn fn, void *ctx)
{
    bank_list_ctx c = {fn, ctx, 0};
    int e = store_read(st, "listing question banks", bank_list_txn, &c);
    return e ? e : c.result;
}

typedef struct {
    const char *name;
    bank *into;
    size_t skipped;
} bank_load_ctx;

static int load_items(store *st, MDB_txn *txn, const char *name, bank_load_ctx *c)
{
    unsigned char key[STORE_NAME_MAX + 8];
    size_t plen = item_prefix(key, name);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, st->dbi[DB_ITEMS], &cur);
    if (rc)
        return rc;
    MDB_val k = {plen, key}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (!starts_with(&k, key, plen))
            break;
        bank_item it;
        if (item_decode(&v, &it) != 0) {
            rc = MDB_CORRUPTED;
            break;
        }
        if (bank_add(c->into, &it, NULL, NULL) != 0)
            c->skipped++;
        item_free_fields(&it);
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int bank_load_txn(store *st, MDB_txn *txn, void *vctx)
{
    bank_load_ctx *c = vctx;
    if (c->name) {
        MDB_val k = {strlen(c->name), (void *)c->name}, v;
        int rc = mdb_get(txn, st->dbi[DB_BANKS], &k, &v);
        return rc ? rc : load_items(st, txn, c->name, c);
    }
    MDB_cursor *cur;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, st->dbi[DB_BANKS], &cur);
    if (rc)
        return rc;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        char name[STORE_NAME_MAX + 1];
        if (k.mv_size > STORE_NAME_MAX || v.mv_size < 1) {
            rc = MDB_CORRUPTED;
            break;
        }
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = '\0';
        if (!((const unsigned char *)v.mv_data)[0])
            continue;
        rc = load_items(st, txn, name, c);
        if (rc)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_bank_load(store *st, const char *name, bank *into, size_t *skipped)
{
    bank_load_ctx c = {name, into, 0};
    int e = store_read(st, "loading question banks", bank_load_txn, &c);
    if (skipped)
        *skipped = c.skipped;
    return e;
}

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
    return put_bytes(txn, st->dbi[c->db], c->key, c->klen, c->data, c->len);
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
        if (!starts_with(&k, c->key, c->prefix))
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

static int blob_put(store *st, int db, const void *k, size_t kl, const void *d, size_t dl)
{
    blob_ctx c = {.db = db, .key = k, .klen = kl, .data = d, .len = dl};
    return store_write(st, store_db_names[db], blob_put_txn, &c);
}

static int blob_get(store *st, int db, const void *k, size_t kl, void **d, size_t *dl, int *found)
{
    blob_ctx c = {.db = db, .key = k, .klen = kl};
    int e = store_read(st, store_db_names[db], blob_get_txn, &c);
    *found = c.found;
    *d = c.out;
    if (dl)
        *dl = c.outlen;
    return e;
}

static int blob_del(store *st, int db, const void *k, size_t kl)
{
    blob_ctx c = {.db = db, .key = k, .klen = kl};
    return store_write(st, store_db_names[db], blob_del_txn, &c);
}

static int blob_iter(store *st, int db, const void *prefix, size_t plen, store_blob_fn fn,
                     void *ctx)
{
    blob_ctx c = {.db = db, .key = prefix, .prefix = plen, .fn = fn, .ctx = ctx};
    int e = store_read(st, store_db_names[db], blob_iter_txn, &c);
    return e ? e : c.result;
}

int store_calib_put(store *st, const char *item_id, const void *data, size_t len)
{
    if (!key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_put(st, DB_CALIB, item_id, strlen(item_id), data, len);
}

int store_calib_get(store *st, const char *item_id, void **data, size_t *len, int *found)
{
    if (!key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_get(st, DB_CALIB, item_id, strlen(item_id), data, len, found);
}

int store_calib_del(store *st, const char *item_id)
{
    if (!key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_del(st, DB_CALIB, item_id, strlen(item_id));
}

int store_calib_iter(store *st, store_blob_fn fn, void *ctx)
{
    return blob_iter(st, DB_CALIB, "", 0, fn, ctx);
}

static size_t review_key(unsigned char *k, uint32_t profile, const char *item_id)
{
    key_u32(k, profile);
    size_t n = strlen(item_id);
    memcpy(k + 4, item_id, n);
    return 4 + n;
}

int store_review_put(store *st, uint32_t profile, const char *item_id, const void *data,
                     size_t len)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_put(st, DB_REVIEW, k, review_key(k, profile, item_id), data, len);
}

int store_review_get(store *st, uint32_t profile, const char *item_id, void **data, size_t *len,
                     int *found)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_get(st, DB_REVIEW, k, review_key(k, profile, item_id), data, len, found);
}

int store_review_del(store *st, uint32_t profile, const char *item_id)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_del(st, DB_REVIEW, k, review_key(k, profile, item_id));
}

int store_review_iter(store *st, uint32_t profile, store_blob_fn fn, void *ctx)
{
    unsigned char k[4];
    key_u32(k, profile);
    return blob_iter(st, DB_REVIEW, k, 4, fn, ctx);
}

int store_setting_put(store *st, const char *key, const void *data, size_t len)
{
    if (!key_valid(key, 255))
        return VIVA_EINVAL;
    return blob_put(st, DB_SETTINGS, key, strlen(key), data, len);
}

int store_setting_get(store *st, const char *key, void **data, size_t *len, int *found)
{
    if (!key_valid(key, 255))
        return VIVA_EINVAL;
    return blob_get(st, DB_SETTINGS, key, strlen(key), data, len, found);
}

int store_setting_del(store *st, const char *key)
{
    if (!key_valid(key, 255))
        return VIVA_EINVAL;
    return blob_del(st, DB_SETTINGS, key, strlen(key));
}

int store_setting_iter(store *st, store_blob_fn fn, void *ctx)
{
    return blob_iter(st, DB_SETTINGS, "", 0, fn, ctx);
}

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

static int profile_decode(const MDB_val *k, const MDB_val *v, store_profile *p)
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

static int profile_write(store *st, MDB_txn *txn, uint32_t id, const char *name, int64_t created)
{
    unsigned char k[4];
    key_u32(k, id);
    strbuf b = {0};
    enc_str(&b, name);
    enc_i64(&b, created);
    int rc = put_buf(txn, st->dbi[DB_PROFILES], k, 4, &b);
    sb_free(&b);
    if (rc == 0)
        rc = put_bytes(txn, st->dbi[DB_PROFNAME], name, strlen(name), k, 4);
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
    if (!name_valid(name))
        return VIVA_EINVAL;
    profile_ctx c = {.name = name, .now_ms = now_ms};
    int e = store_write(st, "adding a profile", profile_add_txn, &c);
    if (e == 0 && id)
        *id = c.id;
    return e;
}

static int profile_load(store *st, MDB_txn *txn, uint32_t id, store_profile *p)
{
    unsigned char kb[4];
    key_u32(kb, id);
    MDB_val k = {4, kb}, v;
    int rc = mdb_get(txn, st->dbi[DB_PROFILES], &k, &v);
    if (rc)
        return rc;
    return profile_decode(&k, &v, p) ? MDB_CORRUPTED : 0;
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
    if (!name_valid(new_name))
        return VIVA_EINVAL;
    profile_ctx c = {.name = new_name, .id = id};
    return store_write(st, "renaming a profile", profile_rename_txn, &c);
}

static int profile_remove_txn(store *st, MDB_txn *txn, void *vctx)
{
    profile_ctx *c = vctx;
    store_profile p;
    int rc = profile_load(st, txn, c->id, &p);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    unsigned char pk[4];
    key_u32(pk, c->id);
    MDB_cursor *cur;
    MDB_val k, v;

    /* Responses through the index. */
    for (;;) {
        k.mv_size = 4;
        k.mv_data = pk;
        rc = mdb_cursor_open(txn, st->dbi[DB_RESP_BY_PROF], &cur);
        if (rc)
            return rc;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        if (rc == 0 && !starts_with(&k, pk, 4))
            rc = MDB_NOTFOUND;
        unsigned char ik[20];
        if (rc == 0 && k.mv_size == 20)
            memcpy(ik, k.mv_data, 20);
        else if (rc == 0)
            rc = MDB_CORRUPTED;
        mdb_cursor_close(cur);
        if (rc)
            break;
        MDB_val rk = {8, ik + 12}, ikv = {20, ik};
        rc = mdb_del(txn, st->dbi[DB_RESPONSES], &rk, NULL);
        if (rc && rc != MDB_NOTFOUND)
            return rc;
        rc = mdb_del(txn, st->dbi[DB_RESP_BY_PROF], &ikv, NULL);
        if (rc)
            return rc;
    }
    if (rc != MDB_NOTFOUND)
        return rc;

    /* Recordings and their chunks. */
    for (;;) {
        k.mv_size = 4;
        k.mv_data = pk;
        rc = mdb_cursor_open(txn, st->dbi[DB_REC_BY_PROF], &cur);
        if (rc)
            return rc;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        if (rc == 0 && !starts_with(&k, pk, 4))
            rc = MDB_NOTFOUND;
        unsigned char ik[12];
        if (rc == 0 && k.mv_size == 12)
            memcpy(ik, k.mv_data, 12);
        else if (rc == 0)
            rc = MDB_CORRUPTED;
        mdb_cursor_close(cur);
        if (rc)
            break;
        rc = del_prefix(txn, st->dbi[DB_CHUNKS], ik + 4, 8);
        if (rc)
            return rc;
        MDB_val rk = {8, ik + 4}, ikv = {12, ik};
        rc = mdb_del(txn, st->dbi[DB_RECS], &rk, NULL);
        if (rc && rc != MDB_NOTFOUND)
            return rc;
        rc = mdb_del(txn, st->dbi[DB_REC_BY_PROF], &ikv, NULL);
        if (rc)
            return rc;
    }
    if (rc != MDB_NOTFOUND)
        return rc;

    /* Sessions have no per-profile index: they are few, scan them, then delete by key. */
    rc = mdb_cursor_open(txn, st->dbi[DB_SESSIONS], &cur);
    if (rc)
        return rc;
    uint64_t *ids = NULL;
    size_t nids = 0, capids = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        dec d;
        dec_init(&d, &v);
        uint32_t prof = dec_u32(&d);
        if (d.bad || k.mv_size != 8) {
            rc = MDB_CORRUPTED;
            break;
        }
        if (prof != c->id)
            continue;
        if (nids == capids) {
            capids = capids ? capids * 2 : 16;
            ids = xrealloc(ids, capids * sizeof *ids);
        }
        ids[nids++] = key_get_u64(k.mv_data);
    }
    mdb_cursor_close(cur);
    if (rc == MDB_NOTFOUND)
        rc = 0;
    for (size_t i = 0; i < nids && rc == 0; i++) {
        unsigned char sk[8];
        key_u64(sk, ids[i]);
        MDB_val skv = {8, sk};
        rc = mdb_del(txn, st->dbi[DB_SESSIONS], &skv, NULL);
    }
    free(ids);
    if (rc)
        return rc;

    rc = del_prefix(txn, st->dbi[DB_ABILITY], pk, 4);
    if (rc == 0)
        rc = del_prefix(txn, st->dbi[DB_REVIEW], pk, 4);
    if (rc)
        return rc;
    MDB_val nk = {strlen(p.name), p.name}, kk = {4, pk};
    rc = mdb_del(txn, st->dbi[DB_PROFNAME], &nk, NULL);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    return mdb_del(txn, st->dbi[DB_PROFILES], &kk, NULL);
}

int store_profile_remove(store *st, uint32_t id)
{
    profile_ctx c = {.id = id};
    return store_write(st, "removing a profile", profile_remove_txn, &c);
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
    if (!name_valid(name))
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
    int rc = put_buf(txn, st->dbi[DB_SESSIONS], k, 8, &b);
    sb_free(&b);
    return rc;
}

static int session_read(store *st, MDB_txn *txn, uint64_t id, store_session *s)
{
    unsigned char kb[8];
    key_u64(kb, id);
    MDB_val k = {8, kb}, v;
    int rc = mdb_get(txn, st->dbi[DB_SESSIONS], &k, &v);
    if (rc)
        return rc;
    dec d;
    dec_init(&d, &v);
    s->id = id;
    s->profile = dec_u32(&d);
    s->begin_ms = dec_i64(&d);
    s->end_ms = dec_i64(&d);
    return d.bad ? MDB_CORRUPTED : 0;
}

static int session_begin_txn(store *st, MDB_txn *txn, void *vctx)
{
    session_ctx *c = vctx;
    store_profile p;
    int rc = profile_load(st, txn, c->s.profile, &p);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
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

int store_session_end(store *st, uint64_t id, int64_t now_ms)
{
    session_ctx c = {{id, 0, 0, now_ms}, 0};
    int e = store_write(st, "ending a session", session_end_txn, &c);
    if (e)
        return e;
    if (st->backup_keep > 0)
        return store_backup_rotate(st, now_ms, id);
    return VIVA_OK;
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

static int response_valid(const store_response *r)
{
    return r->grade >= -1 && r->grade <= 3 && r->profile != 0 &&
           memchr(r->item_id, 0, sizeof r->item_id) && memchr(r->topic, 0, sizeof r->topic);
}

int store_put_response_txn(store *st, MDB_txn *txn, store_response *r)
{
    MDB_val k, v, empty = {0, ""};
    unsigned char kb[8];
    int rc;
    store_profile p;
    rc = profile_load(st, txn, r->profile, &p);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
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
    rc = put_buf(txn, st->dbi[DB_RESPONSES], kb, 8, &b);
    sb_free(&b);
    if (rc)
        return rc;
    unsigned char ik[20];
    response_index_key(ik, r);
    MDB_val ikv = {20, ik};
    return mdb_put(txn, st->dbi[DB_RESP_BY_PROF], &ikv, &empty, 0);
}

static int ability_put_txn(store *st, MDB_txn *txn, const store_ability *a)
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
    rc = put_buf(txn, st->dbi[DB_ABILITY], k, 21 + tl, &b);
    sb_free(&b);
    return rc;
}

typedef struct {
    store_response *r;
    const store_ability *pts;
    size_t n;
    uint64_t id;
    int grade;
    int64_t graded_ms;
    double theta, se;
    int found;
    store_response_fn fn;
    store_ability_fn afn;
    const char *topic;
    void *ctx;
    int result;
} resp_ctx;

static int grade_commit_txn(store *st, MDB_txn *txn, void *vctx)
{
    resp_ctx *c = vctx;
    uint64_t id0 = c->r->id;
    int rc = store_put_response_txn(st, txn, c->r);
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        if (c->pts[i].profile != c->r->profile)
            rc = STORE_RC(VIVA_EINVAL);
        else
            rc = ability_put_txn(st, txn, &c->pts[i]);
    }
    if (rc)
        c->r->id = id0; /* the txn is aborted (and may be retried): forget the new id */
    return rc;
}

int store_grade_commit(store *st, store_response *r, const store_ability *points, size_t n)
{
    if (!response_valid(r))
        return VIVA_EINVAL;
    resp_ctx c = {.r = r, .pts = points, .n = n};
    return store_write(st, "saving an answer", grade_commit_txn, &c);
}

int store_response_put(store *st, store_response *r)
{
    return store_grade_commit(st, r, NULL, 0);
}

static int response_load(store *st, MDB_txn *txn, uint64_t id, store_response *r)
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
    rc = put_buf(txn, st->dbi[DB_RESPONSES], kb, 8, &b);
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

static int response_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    resp_ctx *c = vctx;
    unsigned char pk[4];
    key_u32(pk, (uint32_t)c->id);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, st->dbi[DB_RESP_BY_PROF], &cur);
    if (rc)
        return rc;
    MDB_val k = {4, pk}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (!starts_with(&k, pk, 4))
            break;
        if (k.mv_size != 20) {
            rc = MDB_CORRUPTED;
            break;
        }
        store_response r;
        rc = response_load(st, txn, key_get_u64((const unsigned char *)k.mv_data + 12), &r);
        if (rc) {
            rc = rc == MDB_NOTFOUND ? MDB_CORRUPTED : rc;
            break;
        }
        c->result = c->fn(c->ctx, &r);
        if (c->result)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_response_iter(store *st, uint32_t profile, store_response_fn fn, void *ctx)
{
    resp_ctx c = {.id = profile, .fn = fn, .ctx = ctx};
    int e = store_read(st, "reading answers", response_iter_txn, &c);
    return e ? e : c.result;
}

/* ---- Ability history ----------------------------------------------------------------------- */

static int ability_append_txn(store *st, MDB_txn *txn, void *vctx)
{
    const store_ability *a = vctx;
    store_profile p;
    int rc = profile_load(st, txn, a->profile, &p);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    return ability_put_txn(st, txn, a);
}

int store_ability_append(store *st, const store_ability *a)
{
    if (!memchr(a->topic, 0, sizeof a->topic))
        return VIVA_EINVAL;
    return store_write(st, "saving the ability history", ability_append_txn, (void *)a);
}

static int ability_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    resp_ctx *c = vctx;
    unsigned char pk[4 + STORE_TOPIC_MAX + 1];
    key_u32(pk, (uint32_t)c->id);
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
        if (!starts_with(&k, pk, plen))
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
    resp_ctx c = {.id = profile, .topic = topic, .afn = fn, .ctx = ctx};
    int e = store_read(st, "reading the ability history", ability_iter_txn, &c);
    return e ? e : c.result;
}
