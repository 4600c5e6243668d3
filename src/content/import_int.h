/* import_int.h: helpers shared by the importer's files (import*.c); not a public interface.
 *
 * import_text.c  text repair (mojibake, Windows-1252 lines), markdown/HTML clean-up, matching
 * import_rules.c the topic keyword table, framing/ordering detection and the level heuristics
 * import_keys.c  key points for a question (from its answer, its own parts, or generic)
 * import.c       input checks, line splitting, shape detection and the per-shape parsers */
#ifndef VIVA_IMPORT_INT_H
#define VIVA_IMPORT_INT_H

#include <stddef.h>

#include "import.h"
#include "strbuf.h"

/* ---- import_text.c ---- */
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
/* The topic for a question given the slugs of its section (and parent section). */
const char *imp_question_topic(const char *question, const char *const sec[], int nsec);
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
/* Derive 2..6 key points for q (q->question and q->answer must be set); sets q->keys,
 * q->nkeys and q->keys_generic. `term_definition` selects the definition splitter. */
void imp_make_keys(import_question *q, int term_definition);

#endif
