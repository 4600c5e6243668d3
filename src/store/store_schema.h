/* store_schema.h: the schema version and the migrations (above the tables, whose codecs the
 * migrations use). */
#ifndef VIVA_STORE_SCHEMA_H
#define VIVA_STORE_SCHEMA_H

#include "store_txn.h"

/* Creates (found == 0) or migrates (found < STORE_SCHEMA_VERSION) inside the opening write
 * txn: all or nothing. */
int store_schema_apply(store *st, MDB_txn *txn, uint32_t found, char *err, size_t errlen);

#endif
