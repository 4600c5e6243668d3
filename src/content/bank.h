/* bank.h: the question bank: its text format, parser, validator and writer.
 *
 * Format (UTF-8 text; documented in README.md, "Bank format"): blocks separated by blank lines,
 * one question per block, "field: value" lines. A line starting with '#' is a comment. A line
 * starting with a space or tab continues the previous field; in `answer` a continuation line of
 * just "." (after the indent) is an empty line and line breaks are kept, elsewhere continuation
 * lines are joined with one space. Fields:
 *   id        required; stable key that links answers to the question: [a-z0-9][a-z0-9._-]*, <= 64
 *   topic     required; a topic slug (see topic.h)
 *   level     required; 1 (warm-up) .. 5 (staff-level)
 *   question  required; <= 1000 bytes
 *   key       0..6 times; one key point a strong answer covers, <= 200 bytes. A question
 *             without key points gets delivery feedback only and no suggested grade
 *   terms     optional, at most once after each `key`: the words that show the key point was
 *             covered in a spoken answer (src/feedback), <= 200 bytes: groups separated by
 *             ',', alternatives within a group by '|', e.g. "unbuffered, block|wait, receiver"
 *   answer    optional reference answer, <= 64 KiB
 *   time      optional answer time in seconds, 10..900
 *   source    optional free text naming where the question came from, <= 1000 bytes
 * Text is UTF-8 without control characters (tabs are fine), no line over BANK_LINE_MAX bytes;
 * bank_parse and bank_add refuse anything else with a message. Every stored value is one the
 * writer writes and the parser reads back exactly: bank_add stores a value as the parser would
 * read it back (no white space at either end of a one-line field, at the end of an answer line
 * or the start of its first line; an answer line of just "." empty).
 * Not thread-safe; a bank is owned by one thread at a time. */
#ifndef VIVA_BANK_H
#define VIVA_BANK_H

#include <stddef.h>

#include "strbuf.h"

#define BANK_MAX_KEYS 6
#define BANK_ID_MAX 64
#define BANK_QUESTION_MAX 1000
#define BANK_KEY_MAX 200
#define BANK_TERMS_MAX 200
#define BANK_ANSWER_MAX 65536
#define BANK_SOURCE_MAX 1000
#define BANK_LINE_MAX 16384   /* of a line of text in a field (an answer line) */
#define BANK_LINE_PREFIX 16   /* a line of the file may be this much longer ("question: ") */

typedef struct {
    char *id;
    char *topic;
    int level; /* 1..5 */
    char *question;
    char *keys[BANK_MAX_KEYS];
    char *terms[BANK_MAX_KEYS]; /* terms of keys[k] (see `terms` above); NULL when absent */
    int nkeys;
    char *answer; /* NULL when absent */
    int time_s;   /* 0 when absent: the configured default applies */
    char *source; /* NULL when absent */
    char *file;   /* where the block was read from ("" for items built in code) */
    int line;     /* first line of the block */
} bank_item;

typedef struct bank bank;

/* Called once per problem found; `line` is 0 for a problem that concerns the whole file. */
typedef void (*bank_diag_fn)(void *ctx, const char *file, int line, const char *message);

bank *bank_new(void);
void bank_free(bank *b);

/* Parse `len` bytes of `text` (need not be NUL-terminated) read from `file`, adding every valid
 * block to `b`. Every problem is passed to `diag` (may be NULL); a block with a problem is not
 * added. Returns the number of problems (0: the whole text was valid). */
int bank_parse(bank *b, const char *file, const char *text, size_t len, bank_diag_fn diag,
               void *ctx);

/* Add a copy of `it`, its white space tidied as above, after validating it as bank_parse
 * would. Returns the number of problems. */
int bank_add(bank *b, const bank_item *it, bank_diag_fn diag, void *ctx);

size_t bank_count(const bank *b);
/* The i-th item (in load order); valid until the bank is changed or freed. */
const bank_item *bank_at(const bank *b, size_t i);
/* The item with this id, or NULL. */
const bank_item *bank_find(const bank *b, const char *id);

/* Append `it` in the bank format (one block, ending with a blank line) to `out`. */
void bank_format_item(const bank_item *it, strbuf *out);

#endif
