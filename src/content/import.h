/* import.h: turn interview-question documents (markdown or plain text) into bank questions.
 *
 * Pure: the caller reads the file and passes the bytes; nothing here touches the disk.
 * import_parse() checks the input (size, binary, encoding), repairs text that was UTF-8 decoded
 * as Windows-1252 and encoded again ("mojibake"), detects which of the known document shapes
 * it is, and returns one import_question per question with its section, topic slug, prior
 * level (1..5), question text, answer text (when the document has one) and key points.
 * The shapes, the counting rules, the topic keyword table and the level heuristics are
 * documented in docs/readme/import.md and next to the code that applies them.
 *
 * Memory: bounded by the input. Files above IMPORT_FILE_MAX are refused, lines above
 * IMPORT_LINE_MAX are skipped with a message, no parser recurses, and every string kept is
 * capped at the bank format's limits. Not thread-safe per document; separate documents may be
 * parsed on separate threads. */
#ifndef VIVA_IMPORT_H
#define VIVA_IMPORT_H

#include <stddef.h>

#include "bank.h"

#define IMPORT_FILE_MAX (16u << 20) /* larger inputs are refused (VIVA_ELIMIT) */
#define IMPORT_LINE_MAX 16384       /* longer lines are skipped with a message */

typedef enum {
    IMPORT_SHAPE_NONE = 0, /* nothing recognised */
    IMPORT_SHAPE_BULLETS,  /* markdown headings with bullet (or numbered) lists of questions */
    IMPORT_SHAPE_TERMS,    /* "Term – definition" lines under bare section lines */
    IMPORT_SHAPE_NUMBERED, /* numbered questions, each followed by its answer body */
    IMPORT_SHAPE_OUTLINE,  /* table of contents, numbered sections, sub-headings, questions */
    IMPORT_SHAPE_REPORT,   /* markdown interview report with <details> answer blocks */
    IMPORT_SHAPE_PLAIN,    /* plain lines ending in '?', optionally under bare section lines */
    IMPORT_SHAPE_BANK      /* viva's own bank format (handled by bank_parse, not here) */
} import_shape;

/* What the document says about the seniority it targets. */
typedef enum {
    IMPORT_FRAMING_NONE = 0,
    IMPORT_FRAMING_JUNIOR,
    IMPORT_FRAMING_MID,
    IMPORT_FRAMING_SENIOR
} import_framing;

typedef struct {
    char *section;    /* top-level section as written ("" when the document has none) */
    char *subsection; /* sub-heading inside the section ("" when none) */
    char *topic;      /* topic slug (topic.h) from the keyword table */
    int level;        /* prior level 1..5 */
    const char *level_rule; /* static text naming the heuristic that decided the level */
    char *question;   /* one line of text, <= BANK_QUESTION_MAX bytes */
    char *answer;     /* NULL when the document gives none; line breaks kept */
    char *keys[BANK_MAX_KEYS];
    int nkeys;        /* 0..BANK_MAX_KEYS; 0 when the document gives nothing to derive them
                       * from: the question then gets delivery feedback only, no grade */
    int line;         /* line of the question in the input (1-based) */
} import_question;

typedef struct {
    import_shape shape;
    import_framing framing;
    int ordered;      /* the document says its lists go from warm-up to deep */
    char *title;      /* "" when none was found */
    size_t repaired;  /* characters repaired from mojibake or read as Windows-1252 */
    int warnings;     /* line-level problems reported (lines skipped or re-read) */
    int skipped;      /* blocks not imported, each reported to diag as "skipped: ..." */
    import_question *q;
    size_t count, cap;
} import_doc;

/* Called once per problem and once per skipped block (a list item, table row, heading or line
 * that is not imported; the message starts "skipped: " and says why); `line` is 0 for a
 * problem about the whole input. */
typedef void (*import_diag_fn)(void *ctx, const char *file, int line, const char *message);

/* Parse `len` bytes of `text` (need not be NUL-terminated) read from `file` into `out` (which
 * need not be initialised; free it with import_doc_free, also on error). Returns VIVA_OK, or
 * VIVA_ELIMIT (too large), VIVA_EPARSE (empty, binary, or no question found): the reason goes
 * to `diag` (may be NULL). Line-level problems go to `diag` too and do not fail the parse. */
int import_parse(const char *file, const char *text, size_t len, import_doc *out,
                 import_diag_fn diag, void *ctx);
void import_doc_free(import_doc *d);

const char *import_shape_name(import_shape s);
const char *import_framing_name(import_framing f);

/* 1 when `text` looks like viva's bank format (its first field line is "id: ..."). */
int import_looks_like_bank(const char *text, size_t len);

/* The topic slug for a piece of text by the documented keyword table, or NULL. */
const char *import_topic_of(const char *text);

/* Repair mojibake in place: runs of characters from the Windows-1252/1254 upper half whose
 * bytes form valid UTF-8 are replaced by that UTF-8 text. Returns the number of characters
 * repaired. The result is never longer than the input; s[*n] is set to NUL. */
size_t import_repair_mojibake(char *s, size_t *n);

/* Fill `out` (strings borrowed from q and the arguments; do not free) as a bank item with the
 * given id and source. */
void import_to_item(const import_question *q, const char *id, const char *source,
                    bank_item *out);

/* A stable id for q in bank `bank_name`: "<bank-slug>.<topic>.<8 hex digits of a hash of the
 * normalised question>". `buf` must hold BANK_ID_MAX + 1 bytes. */
void import_make_id(const char *bank_name, const import_question *q, char *buf);

#endif
