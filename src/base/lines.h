/* lines.h: the project's one line splitter. Walks a text buffer of known length (it need not
 * end in NUL and may contain none) line by line without copying:
 *
 *   lines it;
 *   lines_init(&it, text, len);
 *   const char *s; size_t n;
 *   while (lines_next(&it, &s, &n)) ... s[0..n) is line number it.no ...
 *
 * A line ends at '\n'; one '\r' before it (or at the end of the text) is not part of the line.
 * A last line without '\n' counts; text ending in '\n' has no empty line after it, so "" has no
 * lines and "\n" has one (empty). A UTF-8 byte-order mark at the very start is skipped. */
#ifndef VIVA_LINES_H
#define VIVA_LINES_H

#include <stddef.h>

typedef struct {
    const char *text;
    size_t len;
    size_t pos; /* where the next line starts */
    int no;     /* 1-based number of the line lines_next returned last; 0 before the first */
} lines;

void lines_init(lines *it, const char *text, size_t len);

/* The next line in *s and *n; returns 1, or 0 (and leaves *s, *n alone) after the last. */
int lines_next(lines *it, const char **s, size_t *n);

#endif
