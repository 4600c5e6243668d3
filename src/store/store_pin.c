/* store_pin.c: profile PINs (see store.h). One record per profile in the settings table, key
 * "pin:<id>", value "v1 <failures> <delay end ms> <argon2id string>". The hash is libsodium's
 * crypto_pwhash_str (argon2id, a random salt, the parameters inside the string), compared with
 * crypto_pwhash_str_verify outside any transaction (it takes a fraction of a second); the
 * outcome is then recorded in a write transaction that reads the record again, so a PIN set
 * meanwhile is never overwritten by an old count. */
#include "store_pin.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_profiles.h"
#include "verr.h"
#include "vlog.h"

#define PIN_REC_VERSION "v1"

typedef struct {
    int failures;
    int64_t until_ms; /* the delay in force ends here (0 = none) */
    char hash[crypto_pwhash_STRBYTES];
} pin_rec;

static void pin_key(uint32_t profile, char *key, size_t len)
{
    snprintf(key, len, "pin:%" PRIu32, profile);
}

/* 0, or -1 when the bytes are not a record of ours. */
static int pin_decode(const void *data, size_t len, pin_rec *r)
{
    char text[crypto_pwhash_STRBYTES + 64];
    if (len >= sizeof text || memchr(data, 0, len))
        return -1;
    memcpy(text, data, len);
    text[len] = '\0';
    char ver[4];
    long long until;
    int used = 0;
    if (sscanf(text, "%3s %d %lld %n", ver, &r->failures, &until, &used) != 3 || used == 0 ||
        strcmp(ver, PIN_REC_VERSION) != 0 || r->failures < 0 || until < 0)
        return -1;
    const char *h = text + used;
    if (strncmp(h, "$argon2id$", 10) != 0 || strlen(h) >= sizeof r->hash)
        return -1;
    snprintf(r->hash, sizeof r->hash, "%s", h);
    r->until_ms = until;
    return 0;
}

static int pin_put(store *st, MDB_txn *txn, uint32_t profile, const pin_rec *r)
{
    char key[32], text[crypto_pwhash_STRBYTES + 64];
    pin_key(profile, key, sizeof key);
    int n = snprintf(text, sizeof text, PIN_REC_VERSION " %d %lld %s", r->failures,
                     (long long)r->until_ms, r->hash);
    return tbl_put_bytes(txn, st->dbi[DB_SETTINGS], key, strlen(key), text, (size_t)n);
}

/* Reads the record: 0 (found or not: *found), STORE_RC(VIVA_ECORRUPT), or an LMDB rc. */
static int pin_get(store *st, MDB_txn *txn, uint32_t profile, pin_rec *r, int *found)
{
    char key[32];
    pin_key(profile, key, sizeof key);
    MDB_val k = {strlen(key), key}, v;
    *found = 0;
    int rc = mdb_get(txn, st->dbi[DB_SETTINGS], &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return rc;
    *found = 1;
    if (pin_decode(v.mv_data, v.mv_size, r) != 0) {
        VLOG_E("store", "%s: the PIN record of profile %" PRIu32 " is damaged; no PIN opens "
               "it until it is set again ('viva profiles pin NAME')", st->dir, profile);
        return STORE_RC(VIVA_ECORRUPT);
    }
    return 0;
}

int pin_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    char key[32];
    pin_key(profile, key, sizeof key);
    return tbl_del(txn, st->dbi[DB_SETTINGS], key, strlen(key));
}

/* The delay that `failures` wrong PINs in a row earn (0 below STORE_PIN_TRIES). */
static int64_t delay_for(int failures)
{
    if (failures < STORE_PIN_TRIES)
        return 0;
    int shift = failures - STORE_PIN_TRIES;
    return shift >= 7 ? STORE_PIN_DELAY_MAX_MS : (int64_t)STORE_PIN_DELAY_MS << shift;
}

/* What is left of the delay at now_ms. A clock set back cannot stretch it beyond its length. */
static int64_t wait_left(const pin_rec *r, int64_t now_ms)
{
    if (r->until_ms <= now_ms)
        return 0;
    int64_t left = r->until_ms - now_ms, most = delay_for(r->failures);
    return left < most ? left : most;
}

int store_pin_valid(const char *pin)
{
    size_t n = pin ? strlen(pin) : 0;
    if (n < STORE_PIN_MIN || n > STORE_PIN_MAX)
        return 0;
    return strspn(pin, "0123456789") == n;
}

/* ---- set and clear ------------------------------------------------------------------------- */

typedef struct {
    uint32_t profile;
    const pin_rec *rec; /* NULL: clear */
} set_ctx;

static int set_txn(store *st, MDB_txn *txn, void *vctx)
{
    const set_ctx *c = vctx;
    if (!c->rec)
        return pin_del_profile_txn(st, txn, c->profile);
    int rc = profiles_require(st, txn, c->profile);
    return rc ? rc : pin_put(st, txn, c->profile, c->rec);
}

int store_pin_set(store *st, uint32_t profile, const char *pin)
{
    if (!store_pin_valid(pin))
        return VIVA_EINVAL;
    if (sodium_init() < 0)
        return VIVA_EIO;
    pin_rec r = {0, 0, ""};
    if (crypto_pwhash_str_alg(r.hash, pin, strlen(pin), STORE_PIN_OPSLIMIT, STORE_PIN_MEMLIMIT,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        VLOG_E("store", "hashing a PIN failed: not enough memory for %u MiB",
               STORE_PIN_MEMLIMIT >> 20);
        return VIVA_ENOMEM;
    }
    set_ctx c = {profile, &r};
    int e = store_write(st, "setting a PIN", set_txn, &c);
    sodium_memzero(r.hash, sizeof r.hash);
    return e;
}

int store_pin_clear(store *st, uint32_t profile)
{
    set_ctx c = {profile, NULL};
    return store_write(st, "clearing a PIN", set_txn, &c);
}

/* ---- status and check ---------------------------------------------------------------------- */

typedef struct {
    uint32_t profile;
    pin_rec rec;
    int found;
    int ok;              /* check: the PIN matched */
    const char *checked; /* check: the hash the PIN was compared with */
    int64_t now;
} pin_ctx;

static int read_txn(store *st, MDB_txn *txn, void *vctx)
{
    pin_ctx *c = vctx;
    return pin_get(st, txn, c->profile, &c->rec, &c->found);
}

static void state_of(const pin_ctx *c, int64_t now_ms, store_pin_state *out)
{
    if (!out)
        return;
    out->has_pin = c->found;
    out->failures = c->found ? c->rec.failures : 0;
    out->wait_ms = c->found ? wait_left(&c->rec, now_ms) : 0;
}

int store_pin_status(store *st, uint32_t profile, int64_t now_ms, store_pin_state *out)
{
    pin_ctx c = {.profile = profile};
    int e = store_read(st, "reading a PIN", read_txn, &c);
    if (e == VIVA_ECORRUPT) { /* fail closed: the guard stays, no PIN opens it */
        out->has_pin = 1;
        out->failures = 0;
        out->wait_ms = 0;
        return e;
    }
    state_of(&c, now_ms, out);
    return e;
}

static int record_txn(store *st, MDB_txn *txn, void *vctx)
{
    pin_ctx *c = vctx;
    pin_rec now;
    int found;
    int rc = pin_get(st, txn, c->profile, &now, &found);
    if (rc || !found || strcmp(now.hash, c->checked) != 0)
        return rc; /* cleared or set again meanwhile: the outcome belongs to no PIN */
    if (c->ok) {
        now.failures = 0;
        now.until_ms = 0;
    } else {
        now.failures = now.failures < 1000 ? now.failures + 1 : now.failures;
        int64_t d = delay_for(now.failures);
        now.until_ms = d ? c->now + d : 0;
    }
    c->rec = now;
    return pin_put(st, txn, c->profile, &now);
}

int store_pin_check(store *st, uint32_t profile, const char *pin, int64_t now_ms, int *result,
                    store_pin_state *out)
{
    pin_ctx c = {.profile = profile, .now = now_ms};
    *result = STORE_PIN_WRONG;
    int e = store_read(st, "reading a PIN", read_txn, &c);
    if (e) {
        if (e == VIVA_ECORRUPT && out)
            *out = (store_pin_state){1, 0, 0};
        return e;
    }
    if (!c.found) {
        *result = STORE_PIN_NONE;
        state_of(&c, now_ms, out);
        return 0;
    }
    if (wait_left(&c.rec, now_ms) > 0) {
        *result = STORE_PIN_LOCKED;
        state_of(&c, now_ms, out);
        return 0;
    }
    if (sodium_init() < 0)
        return VIVA_EIO;
    c.ok = pin && crypto_pwhash_str_verify(c.rec.hash, pin, strlen(pin)) == 0;
    char checked[sizeof c.rec.hash];
    memcpy(checked, c.rec.hash, sizeof checked);
    c.checked = checked;
    if (!(st->flags & STORE_READONLY))
        e = store_write(st, "recording a PIN attempt", record_txn, &c);
    else if (!c.ok) /* not recorded: count it here so the caller shows the same state */
        c.rec.failures++;
    *result = c.ok ? STORE_PIN_OK : STORE_PIN_WRONG;
    state_of(&c, now_ms, out);
    return e;
}
