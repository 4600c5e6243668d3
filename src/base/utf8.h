/* utf8.h: the project's one UTF-8 decoder and encoder, and the boundary helpers that keep a cut
 * from splitting a character. Strict decoding: overlong forms, surrogates (U+D800..U+DFFF),
 * values above U+10FFFF and truncated sequences are invalid.
 *
 * Pure functions over (pointer, length); nothing is allocated except by utf8_append. */
#ifndef VIVA_UTF8_H
#define VIVA_UTF8_H

#include <stddef.h>

#include "strbuf.h"

/* Decode the sequence at s (n bytes available) into *cp. Returns its length (1..4), or 0 when
 * the bytes there are not a valid sequence (or n == 0); *cp is left alone then. */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);

/* Encode cp into out (up to 4 bytes, no NUL). Returns the length, or 0 for a value that has
 * no encoding (a surrogate or above U+10FFFF). */
size_t utf8_encode(unsigned cp, char out[4]);

/* Append cp encoded to sb; a value with no encoding appends U+FFFD instead. */
void utf8_append(strbuf *sb, unsigned cp);

/* 1 if the n bytes at s are valid UTF-8; otherwise 0 and, if bad_at is not NULL, the offset of
 * the first byte of the first invalid sequence in *bad_at. */
int utf8_check(const char *s, size_t n, size_t *bad_at);

/* Boundaries in a string of len bytes. A boundary is 0, len, or an offset whose byte is not a
 * continuation byte (10xxxxxx). Offsets past len are taken as len.
 * utf8_floor: the last boundary <= at (cut at `at` or before it without splitting).
 * utf8_ceil:  the first boundary >= at (start at `at` or after it on a character).
 * utf8_prev:  the start of the character that ends at `at` (at > 0), 0 for at == 0: where to
 *             cut to drop the last character of s[0..at). */
size_t utf8_floor(const char *s, size_t len, size_t at);
size_t utf8_ceil(const char *s, size_t len, size_t at);
size_t utf8_prev(const char *s, size_t len, size_t at);

#endif
