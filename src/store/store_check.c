/* store_check.c: the consistency check (maintenance layer): every record of every table is
 * decoded with its table's codec and the references between tables are followed. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_analysis.h"
#include "store_banks.h"
#include "store_codec.h"
#include "store_profiles.h"
#include "store_rec.h"
#include "store_responses.h"
#include "store_sessions.h"
#include "store_txn.h"
#include "verr.h"

/* ---- Check --------------------------------------------------------------------------------- */

static void problem(store_check_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(store_check_report *rep, const char *fmt, ...)
{
    if (rep->problems++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(rep->first_problem, sizeof rep->first_problem, fmt, ap);
        va_end(ap);
    }
}

static int exists(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, MDB_val *v)
{
    MDB_val key = {kl, (void *)k}, tmp;
    return mdb_get(txn, dbi, &key, v ? v : &tmp);
}

#define WALK(st, txn, db, cur, k, v, rc)                                                         \
    for (rc = mdb_cursor_open(txn, (st)->dbi[db], &cur),                                       \
        rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST);                                 \
         rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))

typedef struct {
    store_check_report *rep;
    const store_rec_info *ri;
    uint64_t frames;
    uint32_t n;
} chunk_check;

static int check_chunk(void *vctx, uint32_t index, const unsigned char *pcm, size_t len,
                       int intact)
{
    (void)pcm;
    chunk_check *c = vctx;
    if (index != c->n)
        problem(c->rep, "recording %" PRIu64 " has a gap before chunk %" PRIu32, c->ri->id,
                c->n);
    if (!intact) {
        c->rep->damaged_chunks++;
        problem(c->rep, "recording %" PRIu64 ", chunk %" PRIu32 ": the audio is damaged (its "
                "CRC32 does not match)", c->ri->id, index);
    }
    c->frames += len / 2;
    c->n++;
    return 0;
}

static int check_txn(store *st, MDB_txn *txn, void *vctx)
{
    store_check_report *rep = vctx;
    MDB_cursor *c = NULL;
    MDB_val k, v, x;
    int rc;
    unsigned char kb[STORE_NAME_MAX + 8];

    WALK(st, txn, DB_PROFILES, c, k, v, rc) {
        rep->profiles++;
        store_profile p;
        if (profile_decode(&k, &v, &p)) {
            problem(rep, "profile record cannot be decoded");
            continue;
        }
        const char *name = p.name;
        if (exists(txn, st->dbi[DB_PROFNAME], name, strlen(name), &x) || x.mv_size != 4 ||
            memcmp(x.mv_data, k.mv_data, 4) != 0)
            problem(rep, "profile '%s' has no name index entry", name);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_PROFNAME, c, k, v, rc) {
        if (v.mv_size != 4 || exists(txn, st->dbi[DB_PROFILES], v.mv_data, 4, NULL))
            problem(rep, "profile name '%.*s' points to no profile", (int)k.mv_size,
                    (const char *)k.mv_data);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_SESSIONS, c, k, v, rc) {
        rep->sessions++;
        store_session s;
        int bad = session_decode(&v, &s) != 0;
        uint32_t prof = s.profile;
        key_u32(kb, prof);
        if (bad || k.mv_size != 8)
            problem(rep, "session record cannot be decoded");
        else if (exists(txn, st->dbi[DB_PROFILES], kb, 4, NULL))
            problem(rep, "session %" PRIu64 " belongs to missing profile %" PRIu32,
                    key_get_u64(k.mv_data), prof);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_RESPONSES, c, k, v, rc) {
        rep->responses++;
        store_response r;
        if (k.mv_size != 8 || response_decode(&v, &r)) {
            problem(rep, "answer record cannot be decoded");
            continue;
        }
        r.id = key_get_u64(k.mv_data);
        key_u32(kb, r.profile);
        if (exists(txn, st->dbi[DB_PROFILES], kb, 4, NULL))
            problem(rep, "answer %" PRIu64 " belongs to missing profile %" PRIu32, r.id,
                    r.profile);
        if (r.session) {
            key_u64(kb, r.session);
            if (exists(txn, st->dbi[DB_SESSIONS], kb, 8, NULL))
                problem(rep, "answer %" PRIu64 " names missing session %" PRIu64, r.id,
                        r.session);
        }
        if (r.recording) {
            key_u64(kb, r.recording);
            store_rec_info ri;
            if (exists(txn, st->dbi[DB_RECS], kb, 8, &x) || rec_info_decode(&x, &ri))
                problem(rep, "answer %" PRIu64 " names missing recording %" PRIu64, r.id,
                        r.recording);
            else if (ri.profile != r.profile)
                problem(rep, "answer %" PRIu64 " and its recording belong to different "
                        "profiles", r.id);
        }
        response_index_key(kb, &r);
        if (exists(txn, st->dbi[DB_RESP_BY_PROF], kb, 20, NULL))
            problem(rep, "answer %" PRIu64 " is missing from the profile index", r.id);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_RESP_BY_PROF, c, k, v, rc) {
        store_response r;
        if (k.mv_size != 20 ||
            exists(txn, st->dbi[DB_RESPONSES], (const char *)k.mv_data + 12, 8, &x) ||
            response_decode(&x, &r) || r.profile != key_get_u32(k.mv_data) ||
            key_time(r.t_ms) != key_get_u64((const unsigned char *)k.mv_data + 4))
            problem(rep, "profile index entry points to no matching answer");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_RECS, c, k, v, rc) {
        rep->recordings++;
        store_rec_info ri;
        if (k.mv_size != 8 || rec_info_decode(&v, &ri)) {
            problem(rep, "recording record cannot be decoded");
            continue;
        }
        ri.id = key_get_u64(k.mv_data);
        key_u32(kb, ri.profile);
        if (exists(txn, st->dbi[DB_PROFILES], kb, 4, NULL))
            problem(rep, "recording %" PRIu64 " belongs to missing profile %" PRIu32, ri.id,
                    ri.profile);
        memcpy(kb + 4, k.mv_data, 8);
        if (exists(txn, st->dbi[DB_REC_BY_PROF], kb, 12, NULL))
            problem(rep, "recording %" PRIu64 " is missing from the profile index", ri.id);
        /* Chunks: contiguous indexes 0..chunks-1 whose sizes add up to frames, each matching
         * its CRC32. */
        chunk_check cc = {rep, &ri, 0, 0};
        int r2 = rec_chunk_walk(st, txn, &ri, check_chunk, &cc);
        if (r2 == MDB_CORRUPTED) {
            problem(rep, "recording %" PRIu64 ": a chunk cannot be decoded (its key or value "
                    "has the wrong size)", ri.id);
            continue;
        }
        if (r2)
            return r2;
        uint64_t frames = cc.frames;
        uint32_t n = cc.n;
        if (n != ri.chunks || frames != ri.frames)
            problem(rep, "recording %" PRIu64 ": %" PRIu32 " chunks / %" PRIu64 " frames "
                    "stored, %" PRIu32 " / %" PRIu64 " recorded", ri.id, n, frames, ri.chunks,
                    ri.frames);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    uint64_t last = 0;
    int have_last = 0;
    WALK(st, txn, DB_CHUNKS, c, k, v, rc) {
        rep->chunks++;
        if (k.mv_size != 12) {
            problem(rep, "chunk key has the wrong size");
            continue;
        }
        uint64_t id = key_get_u64(k.mv_data);
        if (have_last && id == last)
            continue;
        last = id;
        have_last = 1;
        if (exists(txn, st->dbi[DB_RECS], k.mv_data, 8, NULL))
            problem(rep, "orphaned audio: chunks of missing recording %" PRIu64, id);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_REC_BY_PROF, c, k, v, rc) {
        if (k.mv_size != 12 || exists(txn, st->dbi[DB_RECS], (const char *)k.mv_data + 4, 8,
                                      NULL))
            problem(rep, "recording index entry points to no recording");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_ABILITY, c, k, v, rc) {
        rep->ability++;
        if (k.mv_size < 21 || v.mv_size != 20 ||
            exists(txn, st->dbi[DB_PROFILES], k.mv_data, 4, NULL))
            problem(rep, "ability history entry is malformed or has no profile");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_REVIEW, c, k, v, rc) {
        if (k.mv_size < 5 || exists(txn, st->dbi[DB_PROFILES], k.mv_data, 4, NULL))
            problem(rep, "review entry has no profile");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_ANALYSIS, c, k, v, rc) {
        rep->analyses++;
        const char *json;
        size_t len;
        if (k.mv_size != 8 || analysis_decode(&v, &json, &len) ||
            !analysis_text_valid(json, len))
            problem(rep, "answer analysis cannot be decoded");
        else if (exists(txn, st->dbi[DB_RESPONSES], k.mv_data, 8, NULL))
            problem(rep, "analysis of missing answer %" PRIu64, key_get_u64(k.mv_data));
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_BANKS, c, k, v, rc) {
        rep->banks++;
        uint32_t count;
        if (bank_record_decode(&v, NULL, &count) || k.mv_size > STORE_NAME_MAX) {
            problem(rep, "bank record cannot be decoded");
            continue;
        }
        memcpy(kb, k.mv_data, k.mv_size);
        kb[k.mv_size] = 0;
        MDB_cursor *ic;
        int r2 = mdb_cursor_open(txn, st->dbi[DB_ITEMS], &ic);
        if (r2)
            return r2;
        MDB_val ik = {k.mv_size + 1, kb}, iv;
        uint32_t n = 0;
        for (r2 = mdb_cursor_get(ic, &ik, &iv, MDB_SET_RANGE); r2 == 0;
             r2 = mdb_cursor_get(ic, &ik, &iv, MDB_NEXT)) {
            if (ik.mv_size != k.mv_size + 5 || memcmp(ik.mv_data, kb, k.mv_size + 1) != 0)
                break;
            n++;
        }
        mdb_cursor_close(ic);
        if (r2 && r2 != MDB_NOTFOUND)
            return r2;
        if (n != count)
            problem(rep, "bank '%.*s' lists %" PRIu32 " items, %" PRIu32 " stored",
                    (int)k.mv_size, (const char *)k.mv_data, count, n);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_ITEMS, c, k, v, rc) {
        rep->items++;
        const unsigned char *z = memchr(k.mv_data, 0, k.mv_size);
        if (!z || exists(txn, st->dbi[DB_BANKS], k.mv_data,
                         (size_t)(z - (const unsigned char *)k.mv_data), NULL))
            problem(rep, "question item belongs to no bank");
        dec d;
        dec_init(&d, &v);
        free(dec_str(&d));
        if (d.bad)
            problem(rep, "question item cannot be decoded");
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int unnamed_txn(store *st, MDB_txn *txn, void *vctx)
{
    store_check_report *rep = vctx;
    tbl_ids ids = {0};
    int rc = rec_unnamed(st, txn, &ids);
    rep->unnamed = ids.n;
    tbl_ids_free(&ids);
    return rc;
}

int store_check(store *st, store_check_report *rep)
{
    memset(rep, 0, sizeof *rep);
    int e = store_read(st, "checking the store", check_txn, rep);
    return e ? e : store_read(st, "checking the store", unnamed_txn, rep);
}

