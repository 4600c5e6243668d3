/* store_codec.h: the value and key encoding every table uses (bottom layer).
 *
 * Values are sequences of little-endian fields (u8, u32, u64, i64, IEEE-754 f64) and
 * length-prefixed strings (u32 length + bytes), written with enc_* into a strbuf and read back
 * with dec_* from a cursor that flags overruns instead of reading past the end. Keys are
 * big-endian so that LMDB's byte order is numeric order. */
#ifndef VIVA_STORE_CODEC_H
#define VIVA_STORE_CODEC_H

#include <lmdb.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

void enc_u8(strbuf *b, uint8_t v);
void enc_u32(strbuf *b, uint32_t v);
void enc_u64(strbuf *b, uint64_t v);
void enc_i64(strbuf *b, int64_t v);
void enc_f64(strbuf *b, double v);
void enc_str(strbuf *b, const char *s); /* NULL is written as length 0xffffffff */

typedef struct {
    const unsigned char *p, *end;
    int bad; /* set on overrun or malformed field */
} dec;

void dec_init(dec *d, const MDB_val *v);
uint8_t dec_u8(dec *d);
uint32_t dec_u32(dec *d);
uint64_t dec_u64(dec *d);
int64_t dec_i64(dec *d);
double dec_f64(dec *d);
/* malloc'd copy or NULL (for a NULL string or on error; check d->bad). */
char *dec_str(dec *d);
/* Copy into a fixed buffer (truncating never: too long sets bad). */
void dec_strbuf(dec *d, char *out, size_t cap);
/* 1 when every byte was consumed and nothing overran. */
int dec_done(const dec *d);

/* Big-endian key builders. */
void key_u32(unsigned char *p, uint32_t v);
void key_u64(unsigned char *p, uint64_t v);
uint32_t key_get_u32(const unsigned char *p);
uint64_t key_get_u64(const unsigned char *p);
uint64_t key_time(int64_t t_ms); /* order-preserving signed -> unsigned */

/* Names (profiles, banks): 1..64 bytes of UTF-8 without control characters. */
int codec_name_valid(const char *s);
/* Plain keys (item ids, setting keys): 1..max bytes. */
int codec_key_valid(const char *s, size_t max);

#endif
