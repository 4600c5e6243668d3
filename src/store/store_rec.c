/* store_rec.c: recordings as one-second chunks of 16-bit PCM in LMDB.
 *
 * Why chunks in LMDB rather than FLAC/Opus files beside it: a chunk and the recording's frame
 * count are committed in the same synced transaction, so after a power cut the index and the
 * audio always agree, there is no half-written file or orphan to clean up, and backup, restore,
 * compaction and profile removal cover the audio for free. The cost is size (raw PCM, 1.9 MB
 * per minute at 16 kHz); docs/readme/store.md has the measured comparison.
 *
 * A store_rec handle buffers up to one second of frames (allocated once at begin) and belongs
 * to the thread that appends to it. Chunks are little-endian int16 on disk. */
#include "store_rec.h"

#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_codec.h"
#include "store_os.h"
#include "store_profiles.h"
#include "store_responses.h"
#include "verr.h"
#include "vlog.h"

struct store_rec {
    uint64_t id;
    uint32_t profile;
    int rate;
    int64_t t_ms;
    int16_t *buf;
    size_t nbuf, cap;
    uint32_t chunks;
    uint64_t frames;
    int failed; /* viva_err that stopped the recording, or 0 */
};

void rec_info_encode(strbuf *b, const store_rec_info *r)
{
    enc_u32(b, r->profile);
    enc_u32(b, (uint32_t)r->sample_rate);
    enc_u8(b, (uint8_t)r->state);
    enc_i64(b, r->t_ms);
    enc_u64(b, r->frames);
    enc_u32(b, r->chunks);
    enc_u64(b, r->trim_start);
    enc_u64(b, r->trim_end);
}

int rec_info_decode(const MDB_val *v, store_rec_info *r)
{
    dec d;
    dec_init(&d, v);
    memset(r, 0, sizeof *r);
    r->profile = dec_u32(&d);
    r->sample_rate = (int)dec_u32(&d);
    r->state = dec_u8(&d);
    r->t_ms = dec_i64(&d);
    r->frames = dec_u64(&d);
    r->chunks = dec_u32(&d);
    r->trim_start = dec_u64(&d);
    r->trim_end = dec_u64(&d);
    return d.bad || r->state > STORE_REC_INTERRUPTED || r->sample_rate <= 0 ? -1 : 0;
}

static int info_put(store *st, MDB_txn *txn, const store_rec_info *ri)
{
    unsigned char k[8];
    key_u64(k, ri->id);
    strbuf b = {0};
    rec_info_encode(&b, ri);
    MDB_val kv = {8, k}, vv = {b.len, b.s};
    int rc = mdb_put(txn, st->dbi[DB_RECS], &kv, &vv, 0);
    sb_free(&b);
    return rc;
}

static int info_get(store *st, MDB_txn *txn, uint64_t id, store_rec_info *ri)
{
    unsigned char k[8];
    key_u64(k, id);
    MDB_val kv = {8, k}, vv;
    int rc = mdb_get(txn, st->dbi[DB_RECS], &kv, &vv);
    if (rc)
        return rc;
    if (rec_info_decode(&vv, ri))
        return MDB_CORRUPTED;
    ri->id = id;
    return 0;
}

static void handle_info(const store_rec *r, int state, store_rec_info *ri)
{
    memset(ri, 0, sizeof *ri);
    ri->id = r->id;
    ri->profile = r->profile;
    ri->sample_rate = r->rate;
    ri->state = state;
    ri->t_ms = r->t_ms;
    ri->frames = r->frames;
    ri->chunks = r->chunks;
}

static int rec_begin_txn(store *st, MDB_txn *txn, void *vctx)
{
    store_rec *r = vctx;
    unsigned char pk[4];
    key_u32(pk, r->profile);
    MDB_val empty = {0, ""};
    int rc = profiles_require(st, txn, r->profile);
    if (rc)
        return rc;
    rc = store_next_id(st, txn, "recording", &r->id);
    if (rc)
        return rc;
    store_rec_info ri;
    handle_info(r, STORE_REC_RECORDING, &ri);
    rc = info_put(st, txn, &ri);
    if (rc)
        return rc;
    unsigned char ik[12];
    memcpy(ik, pk, 4);
    key_u64(ik + 4, r->id);
    MDB_val ikv = {12, ik};
    return mdb_put(txn, st->dbi[DB_REC_BY_PROF], &ikv, &empty, 0);
}

int store_rec_begin(store *st, uint32_t profile, int sample_rate, int64_t now_ms,
                    store_rec **out)
{
    *out = NULL;
    if (sample_rate < 1000 || sample_rate > 192000)
        return VIVA_EINVAL;
    store_rec *r = xcalloc(1, sizeof *r);
    r->profile = profile;
    r->rate = sample_rate;
    r->t_ms = now_ms;
    r->cap = (size_t)sample_rate; /* one second per chunk */
    r->buf = xmalloc(r->cap * sizeof *r->buf);
    int e = store_write(st, "starting a recording", rec_begin_txn, r);
    if (e) {
        free(r->buf);
        free(r);
        return e;
    }
    *out = r;
    return VIVA_OK;
}

uint64_t store_rec_id(const store_rec *rec)
{
    return rec->id;
}

uint64_t store_rec_committed(const store_rec *rec)
{
    return rec->frames;
}

static int chunk_txn(store *st, MDB_txn *txn, void *vctx)
{
    store_rec *r = vctx;
    unsigned char k[12];
    key_u64(k, r->id);
    key_u32(k + 8, r->chunks);
    MDB_val kv = {12, k}, vv = {r->nbuf * 2, NULL};
    /* Reserve the space in the page and write little-endian samples straight into it. */
    int rc = mdb_put(txn, st->dbi[DB_CHUNKS], &kv, &vv, MDB_RESERVE);
    if (rc)
        return rc;
    unsigned char *p = vv.mv_data;
    for (size_t i = 0; i < r->nbuf; i++) {
        uint16_t s = (uint16_t)r->buf[i];
        p[2 * i] = (unsigned char)(s & 0xff);
        p[2 * i + 1] = (unsigned char)(s >> 8);
    }
    store_rec_info ri;
    handle_info(r, STORE_REC_RECORDING, &ri);
    ri.frames += r->nbuf;
    ri.chunks += 1;
    return info_put(st, txn, &ri);
}

int store_rec_flush(store *st, store_rec *rec)
{
    if (rec->failed)
        return rec->failed;
    if (rec->nbuf == 0)
        return VIVA_OK;
    int e = store_write(st, "saving recorded audio", chunk_txn, rec);
    if (e) {
        rec->failed = e;
        if (e == VIVA_ENOSPC)
            VLOG_E("store", "%s: the disk is full: recording %llu stopped after %.1f s; the "
                   "answers saved before are kept; fix: free space on the disk",
                   st->dir, (unsigned long long)rec->id, (double)rec->frames / rec->rate);
        rec->nbuf = 0;
        return e;
    }
    rec->frames += rec->nbuf;
    rec->chunks++;
    rec->nbuf = 0;
    return VIVA_OK;
}

int store_rec_append(store *st, store_rec *rec, const int16_t *pcm, size_t frames)
{
    if (!rec)
        return VIVA_EINVAL;
    if (rec->failed)
        return rec->failed;
    while (frames > 0) {
        size_t n = rec->cap - rec->nbuf;
        if (n > frames)
            n = frames;
        memcpy(rec->buf + rec->nbuf, pcm, n * sizeof *pcm);
        rec->nbuf += n;
        pcm += n;
        frames -= n;
        if (rec->nbuf == rec->cap) {
            int e = store_rec_flush(st, rec);
            if (e)
                return e;
        }
    }
    return VIVA_OK;
}

typedef struct {
    store_rec *r;
    uint64_t trim_start, trim_end;
    int state;
} finish_ctx;

static int finish_txn(store *st, MDB_txn *txn, void *vctx)
{
    finish_ctx *c = vctx;
    store_rec_info ri;
    handle_info(c->r, c->state, &ri);
    ri.trim_start = c->trim_start;
    ri.trim_end = c->trim_end;
    return info_put(st, txn, &ri);
}

int store_rec_finish(store *st, store_rec *rec, uint64_t trim_start, uint64_t trim_end)
{
    int e = store_rec_flush(st, rec);
    finish_ctx c = {rec, trim_start, trim_end, e ? STORE_REC_INTERRUPTED : STORE_REC_DONE};
    if (c.trim_end > rec->frames)
        c.trim_end = rec->frames;
    if (c.trim_start > rec->frames)
        c.trim_start = rec->frames;
    /* Even after a failed flush, try to mark the recording finished (it may fit); if that
     * fails too, the next open marks it interrupted. */
    int e2 = store_write(st, "finishing a recording", finish_txn, &c);
    free(rec->buf);
    free(rec);
    return e ? e : e2;
}

int store_rec_recover(store *st, MDB_txn *txn, uint64_t *fixed)
{
    *fixed = 0;
    MDB_cursor *c;
    MDB_val k, v;
    int rc = mdb_cursor_open(txn, st->dbi[DB_RECS], &c);
    if (rc)
        return rc;
    uint64_t *ids = NULL;
    size_t n = 0, cap = 0;
    for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        store_rec_info ri;
        if (k.mv_size != 8 || rec_info_decode(&v, &ri)) {
            rc = MDB_CORRUPTED;
            break;
        }
        if (ri.state != STORE_REC_RECORDING)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            ids = xrealloc(ids, cap * sizeof *ids);
        }
        ids[n++] = key_get_u64(k.mv_data);
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        store_rec_info ri;
        rc = info_get(st, txn, ids[i], &ri);
        if (rc == 0) {
            ri.state = STORE_REC_INTERRUPTED;
            rc = info_put(st, txn, &ri);
        }
    }
    free(ids);
    if (rc == 0)
        *fixed = n;
    return rc;
}

typedef struct {
    uint64_t id;
    store_rec_info info;
    int found;
    int16_t *pcm;
    size_t frames;
    store_rec_fn fn;
    void *ctx;
    int result;
} read_ctx;

static int info_get_txn(store *st, MDB_txn *txn, void *vctx)
{
    read_ctx *c = vctx;
    int rc = info_get(st, txn, c->id, &c->info);
    if (rc == 0)
        c->found = 1;
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_rec_info_get(store *st, uint64_t id, store_rec_info *out, int *found)
{
    read_ctx c = {.id = id};
    int e = store_read(st, "reading a recording", info_get_txn, &c);
    *found = c.found;
    if (c.found)
        *out = c.info;
    return e;
}

static int read_txn(store *st, MDB_txn *txn, void *vctx)
{
    read_ctx *c = vctx;
    int rc = info_get(st, txn, c->id, &c->info);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    uint64_t total = c->info.frames;
    if (total > SIZE_MAX / 2)
        return STORE_RC(VIVA_ELIMIT);
    int16_t *pcm = xmalloc(total ? (size_t)total * 2 : 2);
    uint64_t got = 0;
    unsigned char pk[8];
    key_u64(pk, c->id);
    MDB_cursor *cur;
    rc = mdb_cursor_open(txn, st->dbi[DB_CHUNKS], &cur);
    if (rc) {
        free(pcm);
        return rc;
    }
    MDB_val k = {8, pk}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 12 || memcmp(k.mv_data, pk, 8) != 0)
            break;
        size_t n = v.mv_size / 2;
        if (v.mv_size % 2 || got + n > total) {
            rc = MDB_CORRUPTED;
            break;
        }
        const unsigned char *p = v.mv_data;
        for (size_t i = 0; i < n; i++)
            pcm[got + i] = (int16_t)(uint16_t)(p[2 * i] | (unsigned)p[2 * i + 1] << 8);
        got += n;
    }
    mdb_cursor_close(cur);
    if (rc == MDB_NOTFOUND || rc == 0)
        rc = got == total ? 0 : MDB_CORRUPTED;
    if (rc) {
        free(pcm);
        return rc;
    }
    uint64_t a = c->info.trim_start, b = c->info.trim_end ? c->info.trim_end : total;
    if (b > total)
        b = total;
    if (a > b)
        a = b;
    if (a)
        memmove(pcm, pcm + a, (size_t)(b - a) * 2);
    c->pcm = pcm;
    c->frames = (size_t)(b - a);
    return 0;
}

int store_rec_read(store *st, uint64_t id, int16_t **pcm, size_t *frames, int *rate)
{
    read_ctx c = {.id = id};
    int e = store_read(st, "reading a recording", read_txn, &c);
    if (e)
        return e;
    *pcm = c.pcm;
    *frames = c.frames;
    if (rate)
        *rate = c.info.sample_rate;
    return VIVA_OK;
}

int store_rec_export(store *st, uint64_t id, const char *path)
{
    const char *dot = strrchr(path, '.');
    int fmt;
    if (dot && !strcasecmp(dot, ".wav"))
        fmt = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    else if (dot && !strcasecmp(dot, ".flac"))
        fmt = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    else if (dot && (!strcasecmp(dot, ".ogg") || !strcasecmp(dot, ".opus")))
        fmt = SF_FORMAT_OGG | SF_FORMAT_OPUS;
    else {
        VLOG_E("store", "%s: unknown audio file type (use .wav, .flac or .ogg)", path);
        return VIVA_EINVAL;
    }
    int16_t *pcm;
    size_t frames;
    int rate;
    int e = store_rec_read(st, id, &pcm, &frames, &rate);
    if (e)
        return e;
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = rate;
    info.channels = 1;
    info.format = fmt;
    int f = store_fault(st, "export");
    SNDFILE *sf = f ? NULL : sf_open(path, SFM_WRITE, &info);
    if (!sf) {
        VLOG_E("store", "%s: cannot write the recording: %s", path,
               f ? strerror(f) : sf_strerror(NULL));
        free(pcm);
        return f ? verr_from_errno(f) : VIVA_EIO;
    }
    sf_count_t w = sf_write_short(sf, pcm, (sf_count_t)frames);
    int bad = w != (sf_count_t)frames;
    if (bad)
        VLOG_E("store", "%s: writing the recording failed: %s", path, sf_strerror(sf));
    if (sf_close(sf) != 0)
        bad = 1;
    free(pcm);
    return bad ? VIVA_EIO : VIVA_OK;
}

static int rec_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    read_ctx *c = vctx;
    unsigned char pk[4];
    key_u32(pk, (uint32_t)c->id);
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, st->dbi[DB_REC_BY_PROF], &cur);
    if (rc)
        return rc;
    MDB_val k = {4, pk}, v;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (k.mv_size != 12 || memcmp(k.mv_data, pk, 4) != 0)
            break;
        store_rec_info ri;
        rc = info_get(st, txn, key_get_u64((const unsigned char *)k.mv_data + 4), &ri);
        if (rc) {
            rc = rc == MDB_NOTFOUND ? MDB_CORRUPTED : rc;
            break;
        }
        c->result = c->fn(c->ctx, &ri);
        if (c->result)
            break;
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_rec_iter(store *st, uint32_t profile, store_rec_fn fn, void *ctx)
{
    read_ctx c = {.id = profile, .fn = fn, .ctx = ctx};
    int e = store_read(st, "listing recordings", rec_iter_txn, &c);
    return e ? e : c.result;
}

static int rec_delete_txn(store *st, MDB_txn *txn, void *vctx)
{
    read_ctx *c = vctx;
    store_rec_info ri;
    int rc = info_get(st, txn, c->id, &ri);
    if (rc)
        return rc == MDB_NOTFOUND ? 0 : rc;
    unsigned char k[12];
    key_u64(k, c->id);
    /* Chunks. */
    MDB_cursor *cur;
    rc = mdb_cursor_open(txn, st->dbi[DB_CHUNKS], &cur);
    if (rc)
        return rc;
    for (;;) {
        MDB_val kv = {8, k}, vv;
        rc = mdb_cursor_get(cur, &kv, &vv, MDB_SET_RANGE);
        if (rc || kv.mv_size < 8 || memcmp(kv.mv_data, k, 8) != 0)
            break;
        rc = mdb_cursor_del(cur, 0);
        if (rc)
            break;
    }
    mdb_cursor_close(cur);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    MDB_val kv = {8, k};
    rc = mdb_del(txn, st->dbi[DB_RECS], &kv, NULL);
    if (rc)
        return rc;
    unsigned char ik[12];
    key_u32(ik, ri.profile);
    memcpy(ik + 4, k, 8);
    MDB_val ikv = {12, ik};
    rc = mdb_del(txn, st->dbi[DB_REC_BY_PROF], &ikv, NULL);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    /* Answers that pointed at it now have no recording. */
    unsigned char pk[4];
    key_u32(pk, ri.profile);
    rc = mdb_cursor_open(txn, st->dbi[DB_RESP_BY_PROF], &cur);
    if (rc)
        return rc;
    MDB_val rk = {4, pk}, rv;
    uint64_t *ids = NULL;
    size_t n = 0, cap = 0;
    for (rc = mdb_cursor_get(cur, &rk, &rv, MDB_SET_RANGE); rc == 0;
         rc = mdb_cursor_get(cur, &rk, &rv, MDB_NEXT)) {
        if (rk.mv_size != 20 || memcmp(rk.mv_data, pk, 4) != 0)
            break;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            ids = xrealloc(ids, cap * sizeof *ids);
        }
        ids[n++] = key_get_u64((const unsigned char *)rk.mv_data + 12);
    }
    mdb_cursor_close(cur);
    rc = rc == MDB_NOTFOUND ? 0 : rc;
    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char rkb[8];
        key_u64(rkb, ids[i]);
        MDB_val a = {8, rkb}, b;
        store_response r;
        rc = mdb_get(txn, st->dbi[DB_RESPONSES], &a, &b);
        if (rc == 0 && response_decode(&b, &r))
            rc = MDB_CORRUPTED;
        if (rc == 0 && r.recording == c->id) {
            r.recording = 0;
            strbuf sb = {0};
            response_encode(&sb, &r);
            MDB_val nv = {sb.len, sb.s};
            rc = mdb_put(txn, st->dbi[DB_RESPONSES], &a, &nv, 0);
            sb_free(&sb);
        }
    }
    free(ids);
    return rc;
}

int store_rec_delete(store *st, uint64_t id)
{
    read_ctx c = {.id = id};
    return store_write(st, "deleting a recording", rec_delete_txn, &c);
}

int rec_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile)
{
    unsigned char pk[4];
    key_u32(pk, profile);
    MDB_cursor *cur;
    MDB_val k, v;
    int rc;
    /* Recordings and their chunks. */
    for (;;) {
        k.mv_size = 4;
        k.mv_data = pk;
        rc = mdb_cursor_open(txn, st->dbi[DB_REC_BY_PROF], &cur);
        if (rc)
            return rc;
        rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
        if (rc == 0 && !tbl_starts_with(&k, pk, 4))
            rc = MDB_NOTFOUND;
        unsigned char ik[12];
        if (rc == 0 && k.mv_size == 12)
            memcpy(ik, k.mv_data, 12);
        else if (rc == 0)
            rc = MDB_CORRUPTED;
        mdb_cursor_close(cur);
        if (rc)
            break;
        rc = tbl_del_prefix(txn, st->dbi[DB_CHUNKS], ik + 4, 8);
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
    return rc == MDB_NOTFOUND ? 0 : rc;
}
