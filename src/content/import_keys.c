/* import_keys.c: key points for imported questions.
 *
 * A bank question needs 2..6 key points (what a strong answer covers). Documents rarely list
 * them, so they are derived, in this order, stopping at the first rule that yields two:
 *   1. the bullets of an "Interview Insight" block in the answer (they name the concepts the
 *      interviewer listens for);
 *   2. the other bullet lines of the answer, in order;
 *   3. the answer's clauses (split at sentence ends and ';', two words or more), with
 *      reference lines ("Title (https://...)") left out; then the titles of those references
 *      when they name a concept (two words or more);
 *   4. the question's own parts: its sentences ("When to use defer? In what order does it
 *      run?") and the items of a trailing parenthesised hint ("(time.After, context)");
 *   5. otherwise none. A question without key points is practised with delivery feedback
 *      only (pace, fillers, pauses) and no suggested grade: a made-up point such as "what it
 *      is: a precise definition" is never heard in a correct answer, so it would suggest
 *      "missed" for it. A single derived point stays single (a key point list is not padded).
 * Every point is cleaned of markdown, capped at BANK_KEY_MAX bytes on a word boundary, and
 * duplicates are dropped. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "lines.h"

static void add_key(import_question *q, const char *s, size_t n)
{
    if (q->nkeys >= BANK_MAX_KEYS)
        return;
    char *k = imp_clean_inline(s, n);
    size_t len = strlen(k);
    while (len && (k[len - 1] == '.' || k[len - 1] == ':' || k[len - 1] == ',' ||
                   k[len - 1] == ';' || k[len - 1] == ' '))
        k[--len] = '\0';
    imp_cap(k, BANK_KEY_MAX);
    int letters = 0;
    for (const char *p = k; *p; p++)
        letters += isalnum((unsigned char)*p) != 0;
    for (int i = 0; i < q->nkeys && letters >= 2; i++)
        if (strcmp(q->keys[i], k) == 0)
            letters = 0;
    if (letters < 2) {
        free(k);
        return;
    }
    q->keys[q->nkeys++] = k;
}

static void clear_keys(import_question *q)
{
    for (int i = 0; i < q->nkeys; i++)
        free(q->keys[i]);
    q->nkeys = 0;
}

/* Bullet lines ("- x", "* x", "• x") of `text`. */
static void bullets(import_question *q, const char *text)
{
    lines it;
    lines_init(&it, text, strlen(text));
    const char *p;
    size_t n;
    while (q->nkeys < BANK_MAX_KEYS && lines_next(&it, &p, &n)) {
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i + 2 <= n && (p[i] == '-' || p[i] == '*') && p[i + 1] == ' ')
            add_key(q, p + i + 2, n - i - 2);
        else if (i + 4 <= n && memcmp(p + i, "\xE2\x80\xA2 ", 4) == 0)
            add_key(q, p + i + 4, n - i - 4);
    }
}

/* Split the first paragraph of `text` into clauses at sentence ends and ';' (outside
 * parentheses); clauses of fewer than two words are dropped ("Yes."). */
static void clauses(import_question *q, const char *text)
{
    const char *end = strstr(text, "\n\n");
    size_t n = end ? (size_t)(end - text) : strlen(text);
    size_t start = 0;
    int depth = 0;
    for (size_t i = 0; i <= n && q->nkeys < BANK_MAX_KEYS; i++) {
        char c = i < n ? text[i] : '\0';
        if (c == '(')
            depth++;
        else if (c == ')' && depth)
            depth--;
        int cut = i == n;
        if (!cut && !depth && (c == ';' || c == '.' || c == '?' || c == '!')) {
            /* A '.' only ends a sentence before white space ("e.g." and "sync.Mutex" stay). */
            cut = c == ';' || i + 1 == n || text[i + 1] == ' ' || text[i + 1] == '\n';
            if (c == '.' && i >= 3 && (imp_ncasecmp(text + i - 3, "e.g", 3) == 0 ||
                                       imp_ncasecmp(text + i - 3, "i.e", 3) == 0 ||
                                       imp_ncasecmp(text + i - 2, "vs", 2) == 0))
                cut = 0;
        }
        if (cut) {
            size_t l = i - start + (c == '?' ? 1 : 0);
            char *part = xstrndup(text + start, l);
            if (imp_word_count(part) >= 2)
                add_key(q, part, l);
            free(part);
            start = i + 1;
        }
    }
}

/* A reference line "Some title (https://...)": returns the title length, else 0. */
static size_t link_line(const char *s, size_t n)
{
    const char *u = NULL;
    for (size_t i = 0; i + 9 < n; i++)
        if (s[i] == '(' && (!strncmp(s + i + 1, "http://", 7) || !strncmp(s + i + 1, "https://", 8)))
            u = s + i;
    if (!u || s[n - 1] != ')' || memchr(u, ' ', (size_t)(s + n - u)))
        return 0;
    size_t tl = (size_t)(u - s);
    while (tl && s[tl - 1] == ' ')
        tl--;
    return tl ? tl : 1;
}

/* The answer without reference lines, and (in links) the titles of references that name a
 * concept (two words or more: "Transactional outbox", not "Wikipedia"). */
static void split_refs(const char *answer, strbuf *prose, strbuf *links)
{
    lines it;
    lines_init(&it, answer, strlen(answer));
    const char *p;
    size_t n;
    while (lines_next(&it, &p, &n)) {
        size_t tl = link_line(p, n);
        if (tl) {
            char *t = xstrndup(p, tl);
            if (imp_word_count(t) >= 2) {
                sb_append(links, t);
                sb_appendc(links, '\n');
            }
            free(t);
        } else {
            sb_appendn(prose, p, n);
            sb_appendc(prose, '\n');
        }
    }
}

/* A single key that is a list ("a, b, c and d") becomes its items (three or more). */
static void list_items(import_question *q)
{
    const char *k = q->keys[0];
    int depth = 0, commas = 0;
    for (const char *p = k; *p; p++) {
        depth += *p == '(' ? 1 : *p == ')' && depth ? -1 : 0;
        commas += !depth && *p == ',';
    }
    if (commas < 2)
        return;
    char *copy = xstrdup(k);
    clear_keys(q);
    size_t start = 0, n = strlen(copy);
    depth = 0;
    for (size_t i = 0; i <= n && q->nkeys < BANK_MAX_KEYS; i++) {
        char c = copy[i];
        depth += c == '(' ? 1 : c == ')' && depth ? -1 : 0;
        if (i == n || (!depth && c == ',')) {
            const char *s = copy + start;
            size_t l = i - start;
            while (l && *s == ' ')
                s++, l--;
            size_t skip = l > 4 && !strncmp(s, "and ", 4) ? 4 : l > 3 && !strncmp(s, "or ", 3) ? 3 : 0;
            s += skip;
            l -= skip;
            add_key(q, s, l);
            start = i + 1;
        }
    }
    free(copy);
}

/* Items of the last parenthesised hint of the question: "... (time.After, context)". */
static void hint_items(import_question *q, const char *question)
{
    const char *open = strrchr(question, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close - open < 4)
        return;
    /* Only a trailing hint: nothing but punctuation may follow it. */
    for (const char *p = close + 1; *p; p++)
        if (isalnum((unsigned char)*p))
            return;
    size_t start = (size_t)(open - question) + 1;
    for (size_t i = start; i <= (size_t)(close - question); i++) {
        if (question[i] == ',' || question[i] == ')') {
            add_key(q, question + start, i - start);
            start = i + 1;
        }
    }
}

void imp_make_keys(import_question *q, int term_definition)
{
    clear_keys(q);
    if (q->answer && !term_definition) {
        const char *ins = strstr(q->answer, "Interview Insight");
        if (ins)
            bullets(q, ins);
        if (q->nkeys < 2) {
            clear_keys(q);
            bullets(q, q->answer);
        }
    }
    if (q->answer && q->nkeys < 2) {
        clear_keys(q);
        strbuf prose = {0}, links = {0};
        split_refs(q->answer, &prose, &links);
        clauses(q, sb_str(&prose));
        lines it;
        lines_init(&it, links.s, links.len);
        const char *l;
        size_t n;
        while (q->nkeys < 2 && lines_next(&it, &l, &n))
            add_key(q, l, n);
        sb_free(&prose);
        sb_free(&links);
    }
    if (q->nkeys < 2 && !q->answer) {
        clear_keys(q);
        clauses(q, q->question);
        if (q->nkeys < 2) {
            /* One sentence: its hint items, or nothing (the question itself is no key). */
            clear_keys(q);
            hint_items(q, q->question);
            if (q->nkeys < 2)
                clear_keys(q);
        }
    }
    if (q->nkeys == 1)
        list_items(q);
}
