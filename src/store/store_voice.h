/* store_voice.h: the profiles' voice adaptations in the settings table (store_voice.c), for
 * the writes that span tables (store_cross.c removes a profile's adaptation with the
 * profile). */
#ifndef VIVA_STORE_VOICE_H
#define VIVA_STORE_VOICE_H

#include "store_txn.h"

/* Deletes the voice adaptation of `profile` (none: 0). */
int voice_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);

#endif
