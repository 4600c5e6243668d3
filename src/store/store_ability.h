/* store_ability.h: the ability history table (table layer). */
#ifndef VIVA_STORE_ABILITY_H
#define VIVA_STORE_ABILITY_H

#include "store_txn.h"

/* Appends point a in txn (the caller checked the profile). */
int ability_put_txn(store *st, MDB_txn *txn, const store_ability *a);
int ability_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);

#endif
