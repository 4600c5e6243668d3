/* store_sessions.h: the sessions table (table layer). store_session_end, which also writes the
 * rotating backup, is in the maintenance layer on top of sessions_end(). */
#ifndef VIVA_STORE_SESSIONS_H
#define VIVA_STORE_SESSIONS_H

#include "store_txn.h"

int session_decode(const MDB_val *v, store_session *s); /* 0 or -1; s->id is not set */
/* Marks session `id` ended at now_ms (one synced txn); VIVA_ENOTFOUND if there is none. */
int sessions_end(store *st, uint64_t id, int64_t now_ms);
int sessions_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);

#endif
