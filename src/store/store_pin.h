/* store_pin.h: the profile PINs' records in the settings table (store_pin.c), for the writes
 * that span tables (store_cross.c removes a profile's PIN with the profile). */
#ifndef VIVA_STORE_PIN_H
#define VIVA_STORE_PIN_H

#include "store_txn.h"

/* Deletes the PIN record of `profile` (none: 0). */
int pin_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);

#endif
