/* import_int.h: helpers shared by the importer's files (import*.c); not a public interface.
 *
 * import_text.c   text repair (mojibake, Windows-1252 lines), markdown/HTML clean-up, matching
 * import_rules.c  the topic keyword table, framing/ordering detection and the level heuristics
 * import_keys.c   key points for a question (from its answer or its own parts; none if neither)
 * import_parse.c  input checks, line preparation, adding questions, bank items and ids
 * import_shapes.c line classification, shape detection and the per-shape parsers
 * import_table.c  markdown table rows
 *
 * import.h is the interface only: no import.c, so that this header (which needs its types)
 * and the files implementing import.h form no include cycle. */
#ifndef VIVA_IMPORT_INT_H
#define VIVA_IMPORT_INT_H

#include <stddef.h>

#include "import.h"
#include "strbuf.h"

/* ---- import_parse.c ---- */
/* One prepared input line. */
typedef struct {
    const char *s; /* NUL-terminated, trailing white space removed */
    size_t n;
    int no;     /* 1-based line number in the input */
    int indent; /* leading spaces (a tab counts 4): a column, not a byte offset */
    int lead;   /* bytes of leading white space: s + lead is the line's first other byte */
} imp_line;

/* The text of `l` after at most `cols` columns of its leading white space (a tab counts 4),
 * never inside a character: where an answer line starts after the list's indentation. */
const char *imp_after_cols(const imp_line *l, int cols);

/* The state of one import_parse call. */
typedef struct {
    const char *file;
    import_diag_fn diag;
    void *ctx;
    import_doc *doc;
    char *buf; /* all prepared lines, NUL-separated */
    imp_line *lines;
    size_t nlines;
    strbuf intro; /* title, headings and text before the first question: framing cues */
} imp_ctx;

/* Add one question. `raw` is the question as written (markdown allowed); `answer` may be NULL
 * or empty; `pos` is the position in an ordered list or -1; `term` marks term definitions.
 * Returns the question or NULL when the text cleans to nothing. */
import_question *imp_add_question(imp_ctx *p, const char *section, const char *sub,
                                  const char *raw, size_t rawn, const char *answer, int lineno,
                                  double pos, int term);

/* Report a block that is not imported: "skipped: <why>" to diag, counted in doc->skipped. */
void imp_skip(imp_ctx *p, int lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- import_shapes.c ---- */
/* The document's shape from its prepared lines (IMPORT_SHAPE_NONE: none recognised). */
import_shape imp_detect_shape(const imp_ctx *p);
/* Run the parser for `shape`: adds the questions, sets the title, framing and order. */
void imp_parse_shape(imp_ctx *p, import_shape shape);

/* ---- import_table.c ---- */
/* 1 if l is a table row ("| a | b |", at most three columns of indentation). */
int imp_table_row(const imp_line *l);
/* The cells of a table row (a '|' after a backslash is text): offsets and lengths into s,
 * trimmed. Returns the count (at most max). */
int imp_table_cells(const char *s, size_t from[], size_t len[], int max);
/* Line i, a table row outside an answer: add it as a question, or report it as skipped (under
 * `skip_title` when not NULL: a part that holds no questions). */
void imp_parse_table_row(imp_ctx *p, size_t i, const char *section, const char *sub,
                         const char *skip_title);

/* ---- import_text.c ---- */
/* The first `max` bytes of cleaned text for a message, "..." when cut (never mid-character);
 * buf holds max + 4 bytes. */
#define IMP_EXCERPT 60
const char *imp_excerpt(const char *raw, char *buf, size_t max);
/* Append `n` bytes read as Windows-1252 to `out` as UTF-8. */
void imp_cp1252_to_utf8(const char *s, size_t n, strbuf *out);
/* Markdown/HTML inline text to plain text: emphasis and code marks, tags, links (text kept),
 * images (dropped), entities; whitespace collapsed and trimmed. Returns malloc'd text. */
char *imp_clean_inline(const char *s, size_t n);
/* HTML block text (a <details> body) to plain text: <br> and block tags end lines, links
 * become "text (url)", <summary> is dropped, lines trimmed, empty lines collapsed. Appends. */
void imp_html_block(const char *s, size_t n, strbuf *out);
/* Case-insensitive ASCII helpers. */
int imp_ncasecmp(const char *a, const char *b, size_t n);
int imp_starts_ci(const char *s, const char *prefix);
/* 1 if `needle` occurs in `s` at word boundaries; a needle ending in '*' only needs the
 * boundary on its left (a prefix match). */
int imp_has_word_ci(const char *s, const char *needle);
int imp_has_ci(const char *s, const char *needle); /* plain substring, case-insensitive */
size_t imp_word_count(const char *s);
/* Truncate a malloc'd string to at most `max` bytes at a word boundary (UTF-8 safe). */
void imp_cap(char *s, size_t max);

/* ---- import_rules.c ---- */
/* Slugs a section title names (table order, without duplicates); returns the count. */
int imp_section_topics(const char *title, const char *slugs[], int max);
/* The topic for a question given the slugs of its sub-section (nsub 0: none, or only Go) and
 * of its section. */
const char *imp_question_topic(const char *question, const char *const sub[], int nsub,
                               const char *const sec[], int nsec);
import_framing imp_detect_framing(const char *text);
int imp_detect_ordered(const char *text);
/* Level for a question. `pos` in [0,1] is its position in an ordered list (< 0: unordered). */
int imp_level(const char *question, import_framing f, double pos, int term, const char **rule);
/* 1 if the text reads as a question or an interview prompt ("Explain ...", "... ?"). */
int imp_is_question(const char *text);
/* 1 if the text is a closing remark rather than a question ("Any questions?"). */
int imp_is_closing_question(const char *text);
/* 1 if a section title marks a closing, metadata or navigation part (skipped). */
int imp_is_skip_section(const char *title);

/* ---- import_keys.c ---- */
/* Derive 0..6 key points for q (q->question and q->answer must be set); sets q->keys and
 * q->nkeys. `term_definition` selects the definition splitter. */
void imp_make_keys(import_question *q, int term_definition);

#endif
