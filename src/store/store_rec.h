/* store_rec.h: recordings, their one-second PCM chunks and their per-profile index (table
 * layer, above responses: deleting a recording clears the answers that named it).
 *
 * Recording record: u32 profile, u32 sample_rate, u8 state, i64 t_ms, u64 frames, u32 chunks,
 * u64 trim_start, u64 trim_end, then (schema 4) u8 chunk format; a record without it has
 * format 0. Chunk: (u64 rec id, u32 index) -> format 0: little-endian int16 samples; format 1:
 * u32 little-endian CRC32 (zlib) of the chunk's 12-byte key and its samples, then the samples.
 * The key is in the sum so a chunk found under another recording or index does not pass. */
#ifndef VIVA_STORE_REC_H
#define VIVA_STORE_REC_H

#include "store_txn.h"

void rec_info_encode(strbuf *b, const store_rec_info *r);
int rec_info_decode(const MDB_val *v, store_rec_info *r); /* 0 or -1; r->id is not set */
/* Marks recordings left in STORE_REC_RECORDING by a crash as interrupted (at open). */
int store_rec_recover(store *st, MDB_txn *txn, uint64_t *fixed);
/* store_rec_recover, then an ungraded answer for each recording no answer names; counts in
 * *interrupted and *adopted. The search for those (a scan of every answer) runs when `full`
 * (store_repair; an open that migrated an older schema, whose viva could leave them) or when a
 * recording was found cut short (an open after a crash); an open otherwise stays cheap, as
 * this viva saves no recording without its answer. */
int store_rec_repair(store *st, MDB_txn *txn, int full, uint64_t *interrupted,
                     uint64_t *adopted);
/* The ids of the recordings that no answer names. */
int rec_unnamed(store *st, MDB_txn *txn, tbl_ids *out);
int rec_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);
/* Visits the chunks of recording `id` in index order (each returns 0, TBL_STOP or an rc, as
 * in tbl_walk). Every reader of chunks (playback, export, check) goes through it. */
typedef int (*rec_chunk_fn)(void *ctx, uint32_t index, const unsigned char *pcm, size_t len,
                            int intact);
/* pcm, len: the samples; intact 0 when the chunk's CRC32 does not match (always 1 for format
 * 0 chunks, which have none). A format 1 value shorter than its CRC is MDB_CORRUPTED. */
int rec_chunk_walk(store *st, MDB_txn *txn, const store_rec_info *ri, rec_chunk_fn fn,
                   void *ctx);

#endif
