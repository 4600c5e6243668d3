/* lines.c: line splitting without copies (lines.h). */
#include "lines.h"

#include <string.h>

void lines_init(lines *it, const char *text, size_t len)
{
    it->text = text;
    it->len = len;
    it->pos = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    it->no = 0;
}

int lines_next(lines *it, const char **s, size_t *n)
{
    if (it->pos >= it->len)
        return 0;
    const char *p = it->text + it->pos;
    size_t rest = it->len - it->pos;
    const char *nl = memchr(p, '\n', rest);
    size_t k = nl ? (size_t)(nl - p) : rest;
    it->pos += k + (nl ? 1 : 0);
    it->no++;
    if (k && p[k - 1] == '\r')
        k--;
    *s = p;
    *n = k;
    return 1;
}
