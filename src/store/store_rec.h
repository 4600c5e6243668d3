/* store_rec.h: recordings, their one-second PCM chunks and their per-profile index (table
 * layer, above responses: deleting a recording clears the answers that named it).
 *
 * Recording record: u32 profile, u32 sample_rate, u8 state, i64 t_ms, u64 frames, u32 chunks,
 * u64 trim_start, u64 trim_end. Chunk: (u64 rec id, u32 index) -> little-endian int16. */
#ifndef VIVA_STORE_REC_H
#define VIVA_STORE_REC_H

#include "store_txn.h"

void rec_info_encode(strbuf *b, const store_rec_info *r);
int rec_info_decode(const MDB_val *v, store_rec_info *r); /* 0 or -1; r->id is not set */
/* Marks recordings left in STORE_REC_RECORDING by a crash as interrupted (at open). */
int store_rec_recover(store *st, MDB_txn *txn, uint64_t *fixed);
/* store_rec_recover, then an ungraded answer for each recording no answer names (at open and
 * by store_repair); counts in *interrupted and *adopted. */
int store_rec_repair(store *st, MDB_txn *txn, uint64_t *interrupted, uint64_t *adopted);
/* The ids of the recordings that no answer names. */
int rec_unnamed(store *st, MDB_txn *txn, tbl_ids *out);
int rec_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);
/* Visits the chunks of recording `id` in index order (each returns 0, TBL_STOP or an rc, as
 * in tbl_walk). Every reader of chunks (playback, export, check) goes through it. */
typedef int (*rec_chunk_fn)(void *ctx, uint32_t index, const void *data, size_t len);
int rec_chunk_walk(store *st, MDB_txn *txn, uint64_t id, rec_chunk_fn fn, void *ctx);

#endif
