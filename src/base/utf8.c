/* utf8.c: strict UTF-8 decoding and encoding (utf8.h). */
#include "utf8.h"

#define IS_CONT(c) (((unsigned char)(c) & 0xC0) == 0x80)

size_t utf8_decode(const char *s, size_t n, unsigned *cp)
{
    if (n == 0)
        return 0;
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    unsigned v = c & (0x7Fu >> len);
    for (size_t k = 1; k < len; k++) {
        if (!IS_CONT(p[k]))
            return 0;
        v = (v << 6) | (p[k] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

size_t utf8_encode(unsigned cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF)
        return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void utf8_append(strbuf *sb, unsigned cp)
{
    char b[4];
    size_t n = utf8_encode(cp, b);
    if (!n)
        n = utf8_encode(0xFFFD, b);
    sb_appendn(sb, b, n);
}

int utf8_check(const char *s, size_t n, size_t *bad_at)
{
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            if (bad_at)
                *bad_at = i;
            return 0;
        }
        i += l;
    }
    return 1;
}

size_t utf8_floor(const char *s, size_t len, size_t at)
{
    if (at >= len)
        return len;
    while (at > 0 && IS_CONT(s[at]))
        at--;
    return at;
}

size_t utf8_ceil(const char *s, size_t len, size_t at)
{
    while (at < len && IS_CONT(s[at]))
        at++;
    return at < len ? at : len;
}

size_t utf8_prev(const char *s, size_t len, size_t at)
{
    if (at > len)
        at = len;
    if (at == 0)
        return 0;
    at--;
    while (at > 0 && IS_CONT(s[at]))
        at--;
    return at;
}
