/* store_responses.h: the responses table and its per-profile index (table layer).
 *
 * Response record: u32 profile, u64 session, str item_id, str topic, i64 t_ms, u8 grade + 1,
 * i64 graded_ms, u32 duration_ms, u64 recording, f64 theta_before, se_before, theta_after,
 * se_after, u32 talk_ms, longest_pause_ms, first_word_ms. */
#ifndef VIVA_STORE_RESPONSES_H
#define VIVA_STORE_RESPONSES_H

#include "store_txn.h"

void response_encode(strbuf *b, const store_response *r);
int response_decode(const MDB_val *v, store_response *r); /* 0 or -1; r->id is not set */
void response_index_key(unsigned char key[20], const store_response *r);
int response_valid(const store_response *r);
/* Loads response `id` (LMDB rc; MDB_NOTFOUND when absent). */
int response_load(store *st, MDB_txn *txn, uint64_t id, store_response *r);
/* Writes r in txn: new when r->id == 0 (the id is assigned), else replaces it. */
int response_put_txn(store *st, MDB_txn *txn, store_response *r);
int responses_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);

#endif
