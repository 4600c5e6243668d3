/* store_banks.c: question banks (name -> enabled, item count) and their items (bank name, 0,
 * u32 seq -> item record: id, topic, level, question, keys, answer, time, source, file, line,
 * then the key points' `terms` lines: u32 count and one string (or NULL) per key point; records
 * written before terms existed end after `line` and read with no terms). */
#include "store_banks.h"

#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "verr.h"

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
    enc_u32(b, (uint32_t)it->nkeys);
    for (int i = 0; i < it->nkeys; i++)
        enc_str(b, it->terms[i]);
}

static void item_free_fields(bank_item *it)
{
    free(it->id);
    free(it->topic);
    free(it->question);
    for (int i = 0; i < it->nkeys && i < BANK_MAX_KEYS; i++) {
        free(it->keys[i]);
        free(it->terms[i]);
    }
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
    if (!d.bad && d.p < d.end) { /* the terms trailer (absent in older records) */
        uint32_t nt = dec_u32(&d);
        if (nt != (uint32_t)it->nkeys)
            d.bad = 1;
        for (uint32_t i = 0; i < nt && !d.bad; i++)
            it->terms[i] = dec_str(&d);
    }
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
    int rc = tbl_del_prefix(txn, st->dbi[DB_ITEMS], key, plen);
    if (rc)
        return rc;
    size_t n = bank_count(c->b);
    strbuf b = {0};
    for (size_t i = 0; i < n && rc == 0; i++) {
        sb_clear(&b);
        item_encode(&b, bank_at(c->b, i));
        key_u32(key + plen, (uint32_t)i);
        rc = tbl_put_buf(txn, st->dbi[DB_ITEMS], key, plen + 4, &b);
    }
    if (rc == 0) {
        sb_clear(&b);
        enc_u8(&b, (uint8_t)(c->enabled != 0));
        enc_u32(&b, (uint32_t)n);
        rc = tbl_put_buf(txn, st->dbi[DB_BANKS], c->name, strlen(c->name), &b);
    }
    sb_free(&b);
    return rc;
}

int store_bank_put(store *st, const char *name, const bank *b, int enabled)
{
    if (!codec_name_valid(name) || !b)
        return VIVA_EINVAL;
    bank_put_ctx c = {name, b, enabled};
    return store_write(st, "saving a question bank", bank_put_txn, &c);
}

int bank_record_decode(const MDB_val *v, int *enabled, uint32_t *count)
{
    dec d;
    dec_init(&d, v);
    int en = dec_u8(&d);
    uint32_t n = dec_u32(&d);
    if (d.bad)
        return -1;
    if (enabled)
        *enabled = en;
    if (count)
        *count = n;
    return 0;
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
    rc = tbl_put_buf(txn, st->dbi[DB_BANKS], c->name, strlen(c->name), &b);
    sb_free(&b);
    return rc;
}

int store_bank_set_enabled(store *st, const char *name, int on)
{
    if (!codec_name_valid(name))
        return VIVA_EINVAL;
    bank_put_ctx c = {name, NULL, on};
    return store_write(st, "enabling a question bank", bank_enable_txn, &c);
}

static int bank_remove_txn(store *st, MDB_txn *txn, void *vctx)
{
    const char *name = vctx;
    unsigned char key[STORE_NAME_MAX + 8];
    size_t plen = item_prefix(key, name);
    int rc = tbl_del_prefix(txn, st->dbi[DB_ITEMS], key, plen);
    MDB_val k = {strlen(name), (void *)name};
    if (rc == 0)
        rc = mdb_del(txn, st->dbi[DB_BANKS], &k, NULL);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_bank_remove(store *st, const char *name)
{
    if (!codec_name_valid(name))
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
        if (!tbl_starts_with(&k, key, plen))
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
