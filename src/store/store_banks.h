/* store_banks.h: the banks and items tables (table layer). */
#ifndef VIVA_STORE_BANKS_H
#define VIVA_STORE_BANKS_H

#include "store_txn.h"

/* Bank record: u8 enabled, u32 item count. 0 or -1. */
int bank_record_decode(const MDB_val *v, int *enabled, uint32_t *count);

#endif
