/* store_reviews.h: the review table: (u32 profile, item id) -> review card (table layer).
 *
 * Card codec (schema 3): u8 format = 2, u8 last_grade, f64 stability, f64 difficulty,
 * i64 last_ms, i64 due_ms, u32 reps, u32 lapses: 42 bytes, little-endian. Format 1 is what
 * viva wrote before schema 3: the practice controller's struct {int version = 1; int
 * last_grade; fsrs_card} as raw bytes in the machine's own layout; it is still decoded, and the
 * 2 -> 3 migration rewrites it as format 2. Anything else in the table (store_review_put blobs)
 * is not a card. */
#ifndef VIVA_STORE_REVIEWS_H
#define VIVA_STORE_REVIEWS_H

#include "store_txn.h"

#define CARD_FORMAT 2
#define CARD_BYTES 42

void card_encode(strbuf *b, const store_card *c);
/* 0 and *c filled (with *legacy = 1 for format 1, may be NULL), or -1: not a card. */
int card_decode(const MDB_val *v, store_card *c, int *legacy);
int card_valid(const store_card *c);
/* Writes the card of (profile, item_id) in txn (the caller checked the profile). */
int card_put_txn(store *st, MDB_txn *txn, uint32_t profile, const char *item_id,
                 const store_card *c);
int reviews_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);
/* Rewrites every format-1 card as format 2; *converted counts them. */
int reviews_upgrade_txn(store *st, MDB_txn *txn, uint64_t *converted);

#endif
