/* store_codec.c: the little-endian value codec and big-endian key helpers (store_codec.h). */
#include "utf8.h"
#include "store_codec.h"

#include <string.h>

#include "bank.h"
#include "store.h"

void enc_u8(strbuf *b, uint8_t v)
{
    sb_appendn(b, (const char *)&v, 1);
}

void enc_u32(strbuf *b, uint32_t v)
{
    unsigned char p[4];
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    sb_appendn(b, (const char *)p, 4);
}

void enc_u64(strbuf *b, uint64_t v)
{
    unsigned char p[8];
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    sb_appendn(b, (const char *)p, 8);
}

void enc_i64(strbuf *b, int64_t v)
{
    enc_u64(b, (uint64_t)v);
}

void enc_f64(strbuf *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    enc_u64(b, u);
}

void enc_str(strbuf *b, const char *s)
{
    if (!s) {
        enc_u32(b, 0xffffffffu);
        return;
    }
    size_t n = strlen(s);
    enc_u32(b, (uint32_t)n);
    sb_appendn(b, s, n);
}

void dec_init(dec *d, const MDB_val *v)
{
    d->p = v->mv_data;
    d->end = d->p + v->mv_size;
    d->bad = 0;
}

static int need(dec *d, size_t n)
{
    if (d->bad || (size_t)(d->end - d->p) < n) {
        d->bad = 1;
        return 0;
    }
    return 1;
}

uint8_t dec_u8(dec *d)
{
    if (!need(d, 1))
        return 0;
    return *d->p++;
}

uint32_t dec_u32(dec *d)
{
    if (!need(d, 4))
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)d->p[i] << (8 * i);
    d->p += 4;
    return v;
}

uint64_t dec_u64(dec *d)
{
    if (!need(d, 8))
        return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)d->p[i] << (8 * i);
    d->p += 8;
    return v;
}

int64_t dec_i64(dec *d)
{
    return (int64_t)dec_u64(d);
}

double dec_f64(dec *d)
{
    uint64_t u = dec_u64(d);
    double v;
    memcpy(&v, &u, 8);
    return v;
}

char *dec_str(dec *d)
{
    uint32_t n = dec_u32(d);
    if (d->bad || n == 0xffffffffu)
        return NULL;
    if (!need(d, n))
        return NULL;
    char *s = xstrndup((const char *)d->p, n);
    d->p += n;
    return s;
}

void dec_strbuf(dec *d, char *out, size_t cap)
{
    uint32_t n = dec_u32(d);
    out[0] = '\0';
    if (d->bad || n == 0xffffffffu)
        return;
    if (n >= cap || !need(d, n)) {
        d->bad = 1;
        return;
    }
    memcpy(out, d->p, n);
    out[n] = '\0';
    d->p += n;
}

void key_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (24 - 8 * i));
}

void key_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (56 - 8 * i));
}

uint32_t key_get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = v << 8 | p[i];
    return v;
}

uint64_t key_get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

uint64_t key_time(int64_t t_ms)
{
    return (uint64_t)t_ms ^ (1ull << 63);
}

int dec_done(const dec *d)
{
    return !d->bad && d->p == d->end;
}

int codec_name_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > STORE_NAME_MAX || !utf8_check(s, n, NULL))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

int codec_key_valid(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    return n > 0 && n <= max;
}
