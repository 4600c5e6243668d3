/* store_schema.c: the schema version and the migrations between versions.
 *
 * History (each version's layout is described in docs/readme/store.md):
 *   1  the tables: meta, banks, items, calibration, profiles, profile_names, sessions,
 *      responses, recordings, recording_chunks, ability, review, settings.
 *   2  adds the indexes responses_by_profile (profile, time, id) and recordings_by_profile
 *      (profile, id), so a profile's answers are read in time order without a full scan.
 *   3  adds the analysis table (response id -> JSON analysis of the answer) and stores review
 *      cards with the store's card codec (format 2) instead of the practice controller's raw
 *      struct bytes (format 1), which the migration rewrites.
 *   4  audio chunks carry a CRC32 of their key and samples (chunk format 1), and a recording's
 *      record ends with its chunk format. Records and chunks written before keep format 0
 *      (no checksum) and are read as they are: the migration rewrites nothing (rewriting every
 *      chunk would copy all the audio inside one transaction); it stops an older viva, which
 *      would take the checksum for samples, from opening the store.
 * A migration runs inside the opening write transaction: it either completes with the new
 * version number or leaves the file exactly as it was. */
#include "store_schema.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store_codec.h"
#include "store_rec.h"
#include "store_responses.h"
#include "store_reviews.h"
#include "verr.h"
#include "vlog.h"

static int put_version(store *st, MDB_txn *txn, uint32_t v)
{
    strbuf b = {0};
    enc_u32(&b, v);
    MDB_val k = {6, "schema"}, d = {b.len, b.s};
    int rc = mdb_put(txn, st->dbi[DB_META], &k, &d, 0);
    sb_free(&b);
    return rc;
}

static int migrate_1_2(store *st, MDB_txn *txn)
{
    MDB_cursor *c;
    MDB_val k, v, empty = {0, ""};
    int rc = mdb_cursor_open(txn, st->dbi[DB_RESPONSES], &c);
    if (rc)
        return rc;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        store_response r;
        if (k.mv_size != 8 || response_decode(&v, &r) != 0) {
            rc = MDB_CORRUPTED;
            break;
        }
        r.id = key_get_u64(k.mv_data);
        unsigned char key[20];
        response_index_key(key, &r);
        MDB_val ik = {sizeof key, key};
        rc = mdb_put(txn, st->dbi[DB_RESP_BY_PROF], &ik, &empty, 0);
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    rc = mdb_cursor_open(txn, st->dbi[DB_RECS], &c);
    if (rc)
        return rc;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        store_rec_info ri;
        if (k.mv_size != 8 || rec_info_decode(&v, &ri) != 0) {
            rc = MDB_CORRUPTED;
            break;
        }
        unsigned char key[12];
        key_u32(key, ri.profile);
        memcpy(key + 4, k.mv_data, 8);
        MDB_val ik = {sizeof key, key};
        rc = mdb_put(txn, st->dbi[DB_REC_BY_PROF], &ik, &empty, 0);
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

/* The analysis table was created (empty) with the others when the store was opened for
 * writing; what remains is the cards. */
static int migrate_2_3(store *st, MDB_txn *txn)
{
    uint64_t n = 0;
    int rc = reviews_upgrade_txn(st, txn, &n);
    if (rc == 0 && n)
        VLOG_I("store", "%s: %" PRIu64 " review card%s rewritten in the card format", st->dir,
               n, n == 1 ? "" : "s");
    return rc;
}

static int count_one(void *n, const MDB_val *k, const MDB_val *v)
{
    (void)k;
    (void)v;
    (*(uint64_t *)n)++;
    return 0;
}

static int migrate_3_4(store *st, MDB_txn *txn)
{
    uint64_t n = 0;
    int rc = tbl_walk(txn, st->dbi[DB_RECS], NULL, 0, 8, count_one, &n);
    if (rc == 0 && n)
        VLOG_I("store", "%s: %" PRIu64 " recording%s made before schema 4 keep%s audio without "
               "checksums; new recordings have a CRC32 per chunk", st->dir, n,
               n == 1 ? "" : "s", n == 1 ? "s its" : " their");
    return rc;
}

typedef int (*migration_fn)(store *st, MDB_txn *txn);

/* migrations[i] takes a store from version i + 1 to version i + 2. */
static const migration_fn migrations[] = {migrate_1_2, migrate_2_3, migrate_3_4};
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION - 1,
               "one migration per schema version");

int store_schema_apply(store *st, MDB_txn *txn, uint32_t found, char *err, size_t errlen)
{
    int rc = 0;
    if (found == 0) {
        rc = put_version(st, txn, STORE_SCHEMA_VERSION);
        if (rc)
            goto fail;
        VLOG_I("store", "%s: new store created (schema %d)", st->dir, STORE_SCHEMA_VERSION);
        return VIVA_OK;
    }
    if (found == STORE_SCHEMA_VERSION)
        return VIVA_OK;
    for (uint32_t v = found; v < STORE_SCHEMA_VERSION; v++) {
        rc = migrations[v - 1](st, txn);
        if (rc)
            goto fail;
        VLOG_I("store", "%s: migrated schema %" PRIu32 " -> %" PRIu32, st->dir, v, v + 1);
    }
    rc = put_version(st, txn, STORE_SCHEMA_VERSION);
    if (rc == 0)
        return VIVA_OK;
fail:
    snprintf(err, errlen, "store: %s: upgrading the schema from version %" PRIu32 " failed: %s; "
             "nothing was changed; fix: restore from a backup with 'viva restore DIR'",
             st->dir, found, mdb_strerror(rc));
    return store_mdb_err(rc);
}
