/* store_voice.c: a profile's voice adaptation (store.h), under the settings key
 * "voice:<profile id>": a version byte, the time it was made (8 bytes, little-endian), the
 * number of sentences it was estimated from (1 byte), then the transform's text. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_codec.h"
#include "store_profiles.h"
#include "store_voice.h"
#include "verr.h"

#define VOICE_VERSION 1
#define VOICE_HEAD 10

static void voice_key(uint32_t profile, char *key, size_t len)
{
    snprintf(key, len, "voice:%" PRIu32, profile);
}

typedef struct {
    uint32_t profile;
    const store_voice *in;
    store_voice *out;
    int found;
} voice_ctx;

static int put_txn(store *st, MDB_txn *txn, void *vctx)
{
    voice_ctx *c = vctx;
    int rc = profiles_require(st, txn, c->profile);
    if (rc)
        return rc;
    char key[32];
    voice_key(c->profile, key, sizeof key);
    size_t n = VOICE_HEAD + c->in->len;
    unsigned char *v = xmalloc(n);
    v[0] = VOICE_VERSION;
    for (int i = 0; i < 8; i++)
        v[1 + i] = (unsigned char)((uint64_t)c->in->made_ms >> (8 * i));
    v[9] = (unsigned char)(c->in->sentences > 255 ? 255 : c->in->sentences);
    memcpy(v + VOICE_HEAD, c->in->data, c->in->len);
    rc = tbl_put_bytes(txn, st->dbi[DB_SETTINGS], key, strlen(key), v, n);
    free(v);
    return rc;
}

static int get_txn(store *st, MDB_txn *txn, void *vctx)
{
    voice_ctx *c = vctx;
    char key[32];
    voice_key(c->profile, key, sizeof key);
    MDB_val k = {strlen(key), key}, v;
    int rc = mdb_get(txn, st->dbi[DB_SETTINGS], &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    const unsigned char *p = v.mv_data;
    if (v.mv_size < VOICE_HEAD || p[0] != VOICE_VERSION)
        return STORE_RC(VIVA_ECORRUPT);
    uint64_t t = 0;
    for (int i = 0; i < 8; i++)
        t |= (uint64_t)p[1 + i] << (8 * i);
    c->out->made_ms = (int64_t)t;
    c->out->sentences = p[9];
    c->out->len = v.mv_size - VOICE_HEAD;
    char *d = xmalloc(c->out->len + 1);
    memcpy(d, p + VOICE_HEAD, c->out->len);
    d[c->out->len] = '\0';
    c->out->data = d;
    c->found = 1;
    return 0;
}

int voice_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    char key[32];
    voice_key(profile, key, sizeof key);
    return tbl_del(txn, st->dbi[DB_SETTINGS], key, strlen(key));
}

static int del_txn(store *st, MDB_txn *txn, void *vctx)
{
    return voice_del_profile_txn(st, txn, ((voice_ctx *)vctx)->profile);
}

int store_voice_put(store *st, uint32_t profile, const store_voice *v)
{
    if (!v || !v->data || v->len == 0 || v->len > STORE_VOICE_MAX)
        return VIVA_EINVAL;
    voice_ctx c = {profile, v, NULL, 0};
    return store_write(st, "saving a voice adaptation", put_txn, &c);
}

int store_voice_get(store *st, uint32_t profile, store_voice *out, int *found)
{
    memset(out, 0, sizeof *out);
    voice_ctx c = {profile, NULL, out, 0};
    int e = store_read(st, "reading a voice adaptation", get_txn, &c);
    *found = e == 0 && c.found;
    return e;
}

int store_voice_clear(store *st, uint32_t profile)
{
    voice_ctx c = {profile, NULL, NULL, 0};
    return store_write(st, "removing a voice adaptation", del_txn, &c);
}

void store_voice_free(store_voice *v)
{
    free((void *)v->data);
    v->data = NULL;
    v->len = 0;
}
