/* recalib.h: live recalibration of question difficulty on the device.
 *
 * The engine selects questions and estimates ability with each question's IRT item: the one its
 * bank level gives (calib_item_from_level) with every threshold moved by the question's
 * difficulty shift kept in the store (calibration table, key = question id, value = a
 * calib_record in its 22-byte encoding, calib.h). recalib_update re-estimates every shift from
 * the graded answers of every profile (each answer with the profile's ability and SE before it;
 * MAP with the shrinkage prior N(0, 0.35^2) and the anchoring of calib.h), writes the records that
 * changed and deletes those whose answers are gone; practice calls it when a session ends and
 * recalib_load when it opens. A record made for another level (the question was re-levelled
 * since) is not applied and is replaced at the next update; records of questions that are not in
 * `b` (a disabled bank) are left alone.
 *
 * `pool` must hold one item per question of `b`, in bank order (pool->items[i] is
 * bank_at(b, i)); both calls overwrite its items and run cat_pool_prepare. st == NULL (no
 * store) leaves the level items. Returns 0, VIVA_EINVAL when pool->n != bank_count(b), or the
 * store's error (logged by the store, module "store"), which leaves the pool usable with
 * whatever shifts were applied. Main thread. */
#ifndef VIVA_RECALIB_H
#define VIVA_RECALIB_H

#include <stddef.h>

#include "bank.h"
#include "calib.h"
#include "cat.h"
#include "store.h"

typedef struct {
    size_t answers; /* graded answers read (all profiles, questions of the bank) */
    size_t items;   /* questions with at least one graded answer */
    size_t written; /* records written: answer count, level or shift (by >= 0.005) changed */
    size_t removed; /* records deleted: their question has no graded answer any more */
    size_t applied; /* pool items moved by a shift */
} recalib_stats;

/* Level items plus stored shifts into pool. *applied (may be NULL): items moved. */
int recalib_load(store *st, const bank *b, cat_pool *pool, size_t *applied);

/* Re-estimate, store and apply (see above). stats may be NULL. */
int recalib_update(store *st, const bank *b, cat_pool *pool, recalib_stats *stats);

typedef struct {
    char id[STORE_ITEM_ID_MAX + 1];
    const bank_item *item; /* the question in `b`, or NULL when `b` does not have it */
    calib_record rec;
} recalib_entry;

/* Every stored record that decodes (others are logged and skipped), sorted by |shift|,
 * largest first, then by id. *out is malloc'd (caller frees), *n its length. */
int recalib_list(store *st, const bank *b, recalib_entry **out, size_t *n);

#endif
