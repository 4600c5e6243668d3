/* store_open.h: opening a store (above the schema layer). store_open_ex and store_close are
 * public (store.h); the maintenance layer reopens after compaction with store_reopen. */
#ifndef VIVA_STORE_OPEN_H
#define VIVA_STORE_OPEN_H

#include "store_txn.h"

/* Opens st->env again on the same directory (after the file was replaced) with its tables,
 * migrating and recovering like a first open. The caller holds st->rw exclusively. */
int store_reopen(store *st, char *err, size_t errlen);

#endif
