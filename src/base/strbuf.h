/* strbuf.h: a growable, always NUL-terminated byte string. Allocation failure aborts (the
 * project treats out-of-memory as fatal; see STYLE). A zeroed strbuf is a valid empty one. */
#ifndef VIVA_STRBUF_H
#define VIVA_STRBUF_H

#include <stddef.h>

typedef struct {
    char *s;    /* NUL-terminated; NULL until the first append */
    size_t len; /* bytes before the NUL */
    size_t cap;
} strbuf;

void sb_append(strbuf *sb, const char *s);
void sb_appendn(strbuf *sb, const char *s, size_t n);
void sb_appendc(strbuf *sb, char c);
void sb_appendf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents ("" when empty); valid until the next append or sb_free. */
const char *sb_str(const strbuf *sb);
void sb_clear(strbuf *sb);
void sb_free(strbuf *sb);
/* Hand the buffer to the caller (who frees it); the strbuf is left empty. Never NULL. */
char *sb_take(strbuf *sb);

/* xmalloc family: abort with a message on allocation failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
