/* store_profiles.h: the profiles table and its name index (table layer). Other tables use
 * profiles_require() to refuse records of a profile that does not exist. */
#ifndef VIVA_STORE_PROFILES_H
#define VIVA_STORE_PROFILES_H

#include "store_txn.h"

/* Profile record: u32 key; value str name, i64 created_ms. */
int profile_decode(const MDB_val *k, const MDB_val *v, store_profile *p); /* 0 or -1 */
int profile_load(store *st, MDB_txn *txn, uint32_t id, store_profile *p); /* LMDB rc */
/* 0 if the profile exists, STORE_RC(VIVA_ENOTFOUND) if not, or an LMDB rc. */
int profiles_require(store *st, MDB_txn *txn, uint32_t id);
/* Deletes the profile record and its name entry (not the records that belong to it). */
int profiles_del_txn(store *st, MDB_txn *txn, const store_profile *p);

#endif
