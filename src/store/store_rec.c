/* store_rec.c: recordings as one-second chunks of 16-bit PCM in LMDB.
 *
 * Why chunks in LMDB rather than FLAC/Opus files beside it: a chunk and the recording's frame
 * count are committed in the same synced transaction, so after a power cut the index and the
 * audio always agree, there is no half-written file or orphan to clean up, and backup, restore,
 * compaction and profile removal cover the audio for free. The cost is size (raw PCM, 1.9 MB
 * per minute at 16 kHz); docs/readme/store.md has the measured comparison.
 *
 * Every chunk written since schema 4 carries a CRC32 (store_rec.h): LMDB checks no data pages,
 * so without it bit rot in the audio (most of the file) would play back unnoticed.
 *
 * A store_rec handle buffers up to one second of frames (allocated once at begin) and belongs
 * to the thread that appends to it. Chunks are little-endian int16 on disk. */
#include "store_rec.h"

#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

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
    enc_u8(b, (uint8_t)(r->checksummed ? 1 : 0));
}

/* CRC32 of a chunk: its key, then its samples. */
static uint32_t chunk_crc(const unsigned char key[12], const unsigned char *pcm, size_t len)
{
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, key, 12);
    while (len > 0) {
        uInt n = len > 1u << 30 ? 1u << 30 : (uInt)len;
        c = crc32(c, pcm, n);
        pcm += n;
        len -= n;
    }
    return (uint32_t)c;
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
    if (!d.bad && d.p < d.end) {
        uint8_t fmt = dec_u8(&d);
        if (fmt > 1)
            return -1;
        r->checksummed = fmt;
    }
    return d.bad || !dec_done(&d) || r->state > STORE_REC_INTERRUPTED || r->sample_rate <= 0
               ? -1
               : 0;
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
    ri->checksummed = 1;
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
    MDB_val kv = {12, k}, vv = {4 + r->nbuf * 2, NULL};
    /* Reserve the space in the page and write the CRC and little-endian samples straight into
     * it. */
    int rc = mdb_put(txn, st->dbi[DB_CHUNKS], &kv, &vv, MDB_RESERVE);
    if (rc)
        return rc;
    unsigned char *p = (unsigned char *)vv.mv_data + 4;
    for (size_t i = 0; i < r->nbuf; i++) {
        uint16_t s = (uint16_t)r->buf[i];
        p[2 * i] = (unsigned char)(s & 0xff);
        p[2 * i + 1] = (unsigned char)(s >> 8);
    }
    uint32_t crc = chunk_crc(k, p, r->nbuf * 2);
    for (int i = 0; i < 4; i++)
        ((unsigned char *)vv.mv_data)[i] = (unsigned char)(crc >> (8 * i));
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

static int collect_recording(void *ids, const MDB_val *k, const MDB_val *v)
{
    store_rec_info ri;
    if (rec_info_decode(v, &ri))
        return MDB_CORRUPTED;
    if (ri.state == STORE_REC_RECORDING)
        tbl_ids_add(ids, key_get_u64(k->mv_data));
    return 0;
}

/* ---- Recording and answer together ------------------------------------------------------- */

typedef struct {
    store_rec *r;
    store_response *resp;
    uint64_t resp_id0;
    finish_ctx fin;
} answer_ctx;

static int begin_answer_txn(store *st, MDB_txn *txn, void *vctx)
{
    answer_ctx *c = vctx;
    c->resp->id = c->resp_id0; /* a retried txn starts again from the caller's answer */
    int rc = rec_begin_txn(st, txn, c->r);
    if (rc)
        return rc;
    c->resp->recording = c->r->id;
    return response_put_txn(st, txn, c->resp);
}

int store_rec_begin_answer(store *st, store_response *r, int sample_rate, int64_t now_ms,
                           store_rec **out)
{
    *out = NULL;
    if (!r || !response_valid(r) || sample_rate < 1000 || sample_rate > 192000)
        return VIVA_EINVAL;
    store_rec *rec = xcalloc(1, sizeof *rec);
    rec->profile = r->profile;
    rec->rate = sample_rate;
    rec->t_ms = now_ms;
    rec->cap = (size_t)sample_rate;
    rec->buf = xmalloc(rec->cap * sizeof *rec->buf);
    answer_ctx c = {rec, r, r->id, {0}};
    uint64_t old_recording = r->recording;
    int e = store_write(st, "starting a recording", begin_answer_txn, &c);
    if (e) {
        r->id = c.resp_id0;
        r->recording = old_recording;
        free(rec->buf);
        free(rec);
        return e;
    }
    *out = rec;
    return VIVA_OK;
}

static int finish_answer_txn(store *st, MDB_txn *txn, void *vctx)
{
    answer_ctx *c = vctx;
    c->resp->id = c->resp_id0;
    int rc = finish_txn(st, txn, &c->fin);
    if (rc)
        return rc;
    c->resp->recording = c->r->id;
    return response_put_txn(st, txn, c->resp);
}

int store_rec_finish_answer(store *st, store_rec *rec, uint64_t trim_start, uint64_t trim_end,
                            store_response *r)
{
    if (!r || !response_valid(r)) {
        int e = store_rec_finish(st, rec, trim_start, trim_end);
        return e ? e : VIVA_EINVAL;
    }
    int e = store_rec_flush(st, rec);
    answer_ctx c = {rec, r, r->id, {rec, trim_start, trim_end,
                                    e ? STORE_REC_INTERRUPTED : STORE_REC_DONE}};
    if (c.fin.trim_end > rec->frames)
        c.fin.trim_end = rec->frames;
    if (c.fin.trim_start > rec->frames)
        c.fin.trim_start = rec->frames;
    int e2 = store_write(st, "finishing a recording and its answer", finish_answer_txn, &c);
    if (e2)
        r->id = c.resp_id0;
    free(rec->buf);
    free(rec);
    return e ? e : e2;
}

/* ---- Repair -------------------------------------------------------------------------------- */

static int collect_named(void *ids, const MDB_val *k, const MDB_val *v)
{
    (void)k;
    store_response r;
    if (response_decode(v, &r))
        return MDB_CORRUPTED;
    if (r.recording)
        tbl_ids_add(ids, r.recording);
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The answer a recording gets when none names it: ungraded, no question, at its time. */
static int adopt(store *st, MDB_txn *txn, uint64_t id)
{
    store_rec_info ri;
    int rc = info_get(st, txn, id, &ri);
    if (rc)
        return rc;
    store_response r;
    memset(&r, 0, sizeof r);
    r.profile = ri.profile;
    r.t_ms = ri.t_ms;
    r.grade = -1;
    r.duration_ms = (int32_t)(ri.frames * 1000 / (uint64_t)ri.sample_rate);
    r.recording = id;
    r.talk_ms = r.longest_pause_ms = r.first_word_ms = -1;
    rc = response_put_txn(st, txn, &r);
    if (rc == 0)
        VLOG_W("store", "%s: recording %llu (%.1f s, profile %u) had no answer: it is now an "
               "ungraded answer the candidate can play", st->dir, (unsigned long long)id,
               (double)ri.frames / ri.sample_rate, (unsigned)ri.profile);
    return rc;
}

int rec_unnamed(store *st, MDB_txn *txn, tbl_ids *out)
{
    tbl_ids named = {0}, recs = {0};
    int rc = tbl_walk(txn, st->dbi[DB_RESPONSES], NULL, 0, 8, collect_named, &named);
    if (rc == 0)
        rc = tbl_collect_ids(txn, st->dbi[DB_RECS], NULL, 0, 8, 0, &recs);
    if (named.n)
        qsort(named.v, named.n, sizeof *named.v, cmp_u64);
    for (size_t i = 0; i < recs.n && rc == 0; i++)
        if (!named.n || !bsearch(&recs.v[i], named.v, named.n, sizeof *named.v, cmp_u64))
            tbl_ids_add(out, recs.v[i]);
    tbl_ids_free(&named);
    tbl_ids_free(&recs);
    return rc;
}

int store_rec_repair(store *st, MDB_txn *txn, int full, uint64_t *interrupted,
                     uint64_t *adopted)
{
    *adopted = 0;
    int rc = store_rec_recover(st, txn, interrupted);
    tbl_ids unnamed = {0};
    if (rc == 0 && (full || *interrupted))
        rc = rec_unnamed(st, txn, &unnamed);
    for (size_t i = 0; i < unnamed.n && rc == 0; i++) {
        rc = adopt(st, txn, unnamed.v[i]);
        if (rc == MDB_NOTFOUND || rc == STORE_RC(VIVA_ENOTFOUND))
            rc = 0; /* its profile is gone: store_check reports it */
        else if (rc == 0)
            (*adopted)++;
    }
    tbl_ids_free(&unnamed);
    return rc;
}

typedef struct {
    uint64_t interrupted, adopted;
} repair_ctx;

static int repair_txn(store *st, MDB_txn *txn, void *vctx)
{
    repair_ctx *c = vctx;
    return store_rec_repair(st, txn, 1, &c->interrupted, &c->adopted);
}

int store_repair(store *st, store_repair_report *rep)
{
    memset(rep, 0, sizeof *rep);
    repair_ctx c = {0, 0};
    int e = store_write(st, "repairing recordings", repair_txn, &c);
    rep->interrupted = st->rec_interrupted + (e ? 0 : c.interrupted);
    rep->adopted = st->rec_adopted + (e ? 0 : c.adopted);
    return e;
}

int store_rec_recover(store *st, MDB_txn *txn, uint64_t *fixed)
{
    *fixed = 0;
    tbl_ids ids = {0};
    int rc = tbl_walk(txn, st->dbi[DB_RECS], NULL, 0, 8, collect_recording, &ids);
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        store_rec_info ri;
        rc = info_get(st, txn, ids.v[i], &ri);
        if (rc == 0) {
            ri.state = STORE_REC_INTERRUPTED;
            rc = info_put(st, txn, &ri);
        }
    }
    if (rc == 0)
        *fixed = ids.n;
    tbl_ids_free(&ids);
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

typedef struct {
    rec_chunk_fn fn;
    void *ctx;
    int checksummed;
} chunk_walk;

static int chunk_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
    chunk_walk *w = vctx;
    const unsigned char *key = k->mv_data, *data = v->mv_data;
    uint32_t index = key_get_u32(key + 8);
    if (!w->checksummed)
        return w->fn(w->ctx, index, data, v->mv_size, 1);
    if (v->mv_size < 4)
        return MDB_CORRUPTED;
    uint32_t want = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
                    (uint32_t)data[3] << 24;
    size_t len = v->mv_size - 4;
    return w->fn(w->ctx, index, data + 4, len, chunk_crc(key, data + 4, len) == want);
}

int rec_chunk_walk(store *st, MDB_txn *txn, const store_rec_info *ri, rec_chunk_fn fn,
                   void *ctx)
{
    unsigned char pk[8];
    key_u64(pk, ri->id);
    chunk_walk w = {fn, ctx, ri->checksummed};
    return tbl_walk(txn, st->dbi[DB_CHUNKS], pk, 8, 12, chunk_one, &w);
}

typedef struct {
    store *st;
    const store_rec_info *ri;
    int16_t *pcm;
    uint64_t got, total;
} chunk_read;

static int read_chunk(void *vctx, uint32_t index, const unsigned char *p, size_t len,
                      int intact)
{
    chunk_read *c = vctx;
    size_t n = len / 2;
    if (len % 2 || c->got + n > c->total)
        return MDB_CORRUPTED;
    if (!intact) {
        /* Bit rot: silence in its place, and say where. */
        VLOG_W("store", "%s: recording %llu, chunk %u (%.1f s to %.1f s): the audio is damaged "
               "(its CRC32 does not match) and plays as silence; fix: restore a backup made "
               "before the damage ('viva restore'), or check the disk",
               c->st->dir, (unsigned long long)c->ri->id, (unsigned)index,
               (double)c->got / c->ri->sample_rate, (double)(c->got + n) / c->ri->sample_rate);
        memset(c->pcm + c->got, 0, n * sizeof *c->pcm);
        c->got += n;
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        c->pcm[c->got + i] = (int16_t)(uint16_t)(p[2 * i] | (unsigned)p[2 * i + 1] << 8);
    c->got += n;
    return 0;
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
    chunk_read cr = {st, &c->info, xmalloc(total ? (size_t)total * 2 : 2), 0, total};
    rc = rec_chunk_walk(st, txn, &c->info, read_chunk, &cr);
    if (rc == 0 && cr.got != total)
        rc = MDB_CORRUPTED;
    if (rc) {
        free(cr.pcm);
        return rc;
    }
    int16_t *pcm = cr.pcm;
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

typedef struct {
    store *st;
    MDB_txn *txn;
    read_ctx *c;
} iter_walk;

static int iter_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
    (void)v;
    iter_walk *w = vctx;
    store_rec_info ri;
    int rc = info_get(w->st, w->txn, key_get_u64((const unsigned char *)k->mv_data + 4), &ri);
    if (rc)
        return rc == MDB_NOTFOUND ? MDB_CORRUPTED : rc;
    w->c->result = w->c->fn(w->c->ctx, &ri);
    return w->c->result ? TBL_STOP : 0;
}

static int rec_iter_txn(store *st, MDB_txn *txn, void *vctx)
{
    read_ctx *c = vctx;
    unsigned char pk[4];
    key_u32(pk, (uint32_t)c->id);
    iter_walk w = {st, txn, c};
    return tbl_walk(txn, st->dbi[DB_REC_BY_PROF], pk, 4, 12, iter_one, &w);
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
    unsigned char k[8];
    key_u64(k, c->id);
    rc = tbl_del_prefix(txn, st->dbi[DB_CHUNKS], k, 8);
    if (rc)
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
    tbl_ids ids = {0};
    rc = tbl_collect_ids(txn, st->dbi[DB_RESP_BY_PROF], pk, 4, 20, 12, &ids);
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        store_response r;
        rc = response_load(st, txn, ids.v[i], &r);
        if (rc == 0 && r.recording == c->id) {
            r.recording = 0;
            rc = response_put_txn(st, txn, &r);
        }
    }
    tbl_ids_free(&ids);
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
    tbl_ids ids = {0};
    int rc = tbl_collect_ids(txn, st->dbi[DB_REC_BY_PROF], pk, 4, 12, 4, &ids);
    for (size_t i = 0; i < ids.n && rc == 0; i++) {
        unsigned char rk[8];
        key_u64(rk, ids.v[i]);
        rc = tbl_del_prefix(txn, st->dbi[DB_CHUNKS], rk, 8);
        MDB_val rkv = {8, rk};
        if (rc == 0)
            rc = mdb_del(txn, st->dbi[DB_RECS], &rkv, NULL);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    tbl_ids_free(&ids);
    return rc ? rc : tbl_del_prefix(txn, st->dbi[DB_REC_BY_PROF], pk, 4);
}
