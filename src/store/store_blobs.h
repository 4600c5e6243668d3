/* store_blobs.h: keyed blob tables (calibration, settings, the raw side of review): one synced
 * write or one read per call, on table `db` (a DB_* id). */
#ifndef VIVA_STORE_BLOBS_H
#define VIVA_STORE_BLOBS_H

#include "store_txn.h"

int blob_put(store *st, int db, const void *k, size_t kl, const void *d, size_t dl);
int blob_get(store *st, int db, const void *k, size_t kl, void **d, size_t *dl, int *found);
int blob_del(store *st, int db, const void *k, size_t kl);
/* fn gets the key without the first plen bytes as a string. */
int blob_iter(store *st, int db, const void *prefix, size_t plen, store_blob_fn fn, void *ctx);

#endif
