/* store_analysis.h: the analysis table: u64 response id -> analysis record (schema 3; table
 * layer, above responses, whose ids it refers to).
 *
 * Analysis record: u8 format = 1, u32 length, that many bytes of UTF-8 JSON (no NUL), at most
 * STORE_ANALYSIS_MAX bytes. */
#ifndef VIVA_STORE_ANALYSIS_H
#define VIVA_STORE_ANALYSIS_H

#include "store_txn.h"

#define ANALYSIS_FORMAT 1

int analysis_text_valid(const char *json, size_t len);
void analysis_encode(strbuf *b, const char *json, size_t len);
/* 0 with *json pointing into v (not NUL-terminated) and *len, or -1. */
int analysis_decode(const MDB_val *v, const char **json, size_t *len);
/* Deletes the analyses of every answer of the profile (call before the answers go). */
int analysis_del_profile_txn(store *st, MDB_txn *txn, uint32_t profile);

#endif
