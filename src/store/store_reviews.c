/* store_reviews.c: the review schedule: raw blobs (store_review_*) and typed cards
 * (store_card_*) in one table, with the card codec (store_reviews.h). */
#include "store_reviews.h"

#include <stdlib.h>
#include <string.h>

#include "store_blobs.h"
#include "store_codec.h"
#include "store_profiles.h"
#include "verr.h"

/* Format 1: the bytes of this struct as the practice controller kept it in memory (card_blob
 * with fsrs_card inside), in the layout of the machine that wrote it. */
typedef struct {
    int version; /* 1 */
    int last_grade;
    struct {
        double stability, difficulty;
        int64_t last_ms, due_ms;
        int reps, lapses;
    } card;
} legacy_card;

static size_t review_key(unsigned char *k, uint32_t profile, const char *item_id)
{
    key_u32(k, profile);
    size_t n = strlen(item_id);
    memcpy(k + 4, item_id, n);
    return 4 + n;
}

int card_valid(const store_card *c)
{
    return c->last_grade >= 0 && c->last_grade <= 3;
}

void card_encode(strbuf *b, const store_card *c)
{
    enc_u8(b, CARD_FORMAT);
    enc_u8(b, (uint8_t)c->last_grade);
    enc_f64(b, c->stability);
    enc_f64(b, c->difficulty);
    enc_i64(b, c->last_ms);
    enc_i64(b, c->due_ms);
    enc_u32(b, (uint32_t)c->reps);
    enc_u32(b, (uint32_t)c->lapses);
}

int card_decode(const MDB_val *v, store_card *c, int *legacy)
{
    memset(c, 0, sizeof *c);
    if (legacy)
        *legacy = 0;
    if (v->mv_size == CARD_BYTES && ((const unsigned char *)v->mv_data)[0] == CARD_FORMAT) {
        dec d;
        dec_init(&d, v);
        dec_u8(&d);
        c->last_grade = dec_u8(&d);
        c->stability = dec_f64(&d);
        c->difficulty = dec_f64(&d);
        c->last_ms = dec_i64(&d);
        c->due_ms = dec_i64(&d);
        c->reps = (int32_t)dec_u32(&d);
        c->lapses = (int32_t)dec_u32(&d);
        return dec_done(&d) && card_valid(c) ? 0 : -1;
    }
    if (v->mv_size == sizeof(legacy_card)) {
        legacy_card lc;
        memcpy(&lc, v->mv_data, sizeof lc);
        if (lc.version != 1)
            return -1;
        c->last_grade = lc.last_grade;
        c->stability = lc.card.stability;
        c->difficulty = lc.card.difficulty;
        c->last_ms = lc.card.last_ms;
        c->due_ms = lc.card.due_ms;
        c->reps = lc.card.reps;
        c->lapses = lc.card.lapses;
        if (legacy)
            *legacy = 1;
        return card_valid(c) ? 0 : -1;
    }
    return -1;
}

int card_put_txn(store *st, MDB_txn *txn, uint32_t profile, const char *item_id,
                 const store_card *c)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX) || !card_valid(c))
        return STORE_RC(VIVA_EINVAL);
    size_t kl = review_key(k, profile, item_id);
    strbuf b = {0};
    card_encode(&b, c);
    int rc = tbl_put_buf(txn, st->dbi[DB_REVIEW], k, kl, &b);
    sb_free(&b);
    return rc;
}

int reviews_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    unsigned char pk[4];
    key_u32(pk, profile);
    return tbl_del_prefix(txn, st->dbi[DB_REVIEW], pk, 4);
}

typedef struct {
    strbuf keys, vals;
    uint64_t n;
} legacy_walk;

static int collect_legacy(void *vctx, const MDB_val *k, const MDB_val *v)
{
    legacy_walk *w = vctx;
    store_card card;
    int legacy;
    if (card_decode(v, &card, &legacy) != 0 || !legacy || k->mv_size > 255)
        return 0;
    enc_u8(&w->keys, (uint8_t)k->mv_size);
    sb_appendn(&w->keys, k->mv_data, k->mv_size);
    card_encode(&w->vals, &card);
    w->n++;
    return 0;
}

int reviews_upgrade_txn(store *st, MDB_txn *txn, uint64_t *converted)
{
    *converted = 0;
    /* Collect first, write after: a value of another size moves the record, and the key that
     * the cursor handed out points into the page being rewritten. */
    legacy_walk w = {{0}, {0}, 0};
    int rc = tbl_walk(txn, st->dbi[DB_REVIEW], NULL, 0, 0, collect_legacy, &w);
    strbuf keys = w.keys, vals = w.vals;
    *converted = w.n;
    const unsigned char *kp = (const unsigned char *)keys.s;
    for (uint64_t i = 0; i < *converted && rc == 0; i++) {
        size_t kl = *kp++;
        rc = tbl_put_bytes(txn, st->dbi[DB_REVIEW], kp, kl, vals.s + i * CARD_BYTES, CARD_BYTES);
        kp += kl;
    }
    sb_free(&keys);
    sb_free(&vals);
    return rc;
}

/* ---- Raw blobs ----------------------------------------------------------------------------- */

int store_review_put(store *st, uint32_t profile, const char *item_id, const void *data,
                     size_t len)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_put(st, DB_REVIEW, k, review_key(k, profile, item_id), data, len);
}

int store_review_get(store *st, uint32_t profile, const char *item_id, void **data, size_t *len,
                     int *found)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_get(st, DB_REVIEW, k, review_key(k, profile, item_id), data, len, found);
}

int store_review_del(store *st, uint32_t profile, const char *item_id)
{
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    return blob_del(st, DB_REVIEW, k, review_key(k, profile, item_id));
}

int store_review_iter(store *st, uint32_t profile, store_blob_fn fn, void *ctx)
{
    unsigned char k[4];
    key_u32(k, profile);
    return blob_iter(st, DB_REVIEW, k, 4, fn, ctx);
}

/* ---- Cards --------------------------------------------------------------------------------- */

typedef struct {
    uint32_t profile;
    const char *item_id;
    const store_card *in;
    store_card *out;
    int found;
    store_card_fn fn;
    void *ctx;
    int result;
} card_ctx;

static int card_put_step(store *st, MDB_txn *txn, void *vctx)
{
    card_ctx *c = vctx;
    int rc = profiles_require(st, txn, c->profile);
    return rc ? rc : card_put_txn(st, txn, c->profile, c->item_id, c->in);
}

int store_card_put(store *st, uint32_t profile, const char *item_id, const store_card *card)
{
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX) || !card || !card_valid(card))
        return VIVA_EINVAL;
    card_ctx c = {.profile = profile, .item_id = item_id, .in = card};
    return store_write(st, "saving the review schedule", card_put_step, &c);
}

static int card_get_step(store *st, MDB_txn *txn, void *vctx)
{
    card_ctx *c = vctx;
    unsigned char k[4 + STORE_ITEM_ID_MAX];
    MDB_val kv = {review_key(k, c->profile, c->item_id), k}, v;
    int rc = mdb_get(txn, st->dbi[DB_REVIEW], &kv, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? 0 : rc;
    c->found = card_decode(&v, c->out, NULL) == 0;
    return 0;
}

int store_card_get(store *st, uint32_t profile, const char *item_id, store_card *out,
                   int *found)
{
    *found = 0;
    if (!codec_key_valid(item_id, STORE_ITEM_ID_MAX))
        return VIVA_EINVAL;
    card_ctx c = {.profile = profile, .item_id = item_id, .out = out};
    int e = store_read(st, "reading the review schedule", card_get_step, &c);
    *found = c.found;
    return e;
}

static int card_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
    card_ctx *c = vctx;
    char item[STORE_ITEM_ID_MAX + 1];
    size_t n = k->mv_size - 4;
    store_card card;
    if (n == 0 || n > STORE_ITEM_ID_MAX || card_decode(v, &card, NULL) != 0)
        return 0; /* not a card */
    memcpy(item, (const char *)k->mv_data + 4, n);
    item[n] = '\0';
    c->result = c->fn(c->ctx, item, &card);
    return c->result ? TBL_STOP : 0;
}

static int card_iter_step(store *st, MDB_txn *txn, void *vctx)
{
    card_ctx *c = vctx;
    unsigned char pk[4];
    key_u32(pk, c->profile);
    return tbl_walk(txn, st->dbi[DB_REVIEW], pk, 4, 0, card_one, c);
}

int store_card_iter(store *st, uint32_t profile, store_card_fn fn, void *ctx)
{
    card_ctx c = {.profile = profile, .fn = fn, .ctx = ctx};
    int e = store_read(st, "reading the review schedule", card_iter_step, &c);
    return e ? e : c.result;
}
