/* bank.c: parse, validate and write the bank text format (see bank.h).
 *
 * The parser works line by line on a buffer it does not own, builds one block at a time in a
 * scratch item, and adds the block only when it validates. Ids are indexed in an open-addressing
 * hash table so that duplicate detection stays linear for large imported banks. */
#include "bank.h"
#include "lines.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topic.h"

struct bank {
    bank_item *items;
    size_t count, cap;
    size_t *slots; /* hash of ids: index + 1, 0 = empty */
    size_t nslots;
};

bank *bank_new(void)
{
    return xcalloc(1, sizeof(bank));
}

static void item_free(bank_item *it)
{
    free(it->id);
    free(it->topic);
    free(it->question);
    for (int i = 0; i < it->nkeys; i++) {
        free(it->keys[i]);
        free(it->terms[i]);
    }
    free(it->answer);
    free(it->source);
    free(it->file);
    memset(it, 0, sizeof *it);
}

void bank_free(bank *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->count; i++)
        item_free(&b->items[i]);
    free(b->items);
    free(b->slots);
    free(b);
}

size_t bank_count(const bank *b)
{
    return b->count;
}

const bank_item *bank_at(const bank *b, size_t i)
{
    return i < b->count ? &b->items[i] : NULL;
}

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a, 64-bit on every target */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static void index_insert(bank *b, size_t idx)
{
    size_t mask = b->nslots - 1;
    size_t h = hash_str(b->items[idx].id) & mask;
    while (b->slots[h])
        h = (h + 1) & mask;
    b->slots[h] = idx + 1;
}

static void index_grow(bank *b)
{
    if (b->nslots && (b->count + 1) * 2 <= b->nslots)
        return;
    free(b->slots);
    b->nslots = b->nslots ? b->nslots * 2 : 64;
    b->slots = xcalloc(b->nslots, sizeof(size_t));
    for (size_t i = 0; i < b->count; i++)
        index_insert(b, i);
}

const bank_item *bank_find(const bank *b, const char *id)
{
    if (!b->nslots)
        return NULL;
    size_t mask = b->nslots - 1;
    for (size_t h = hash_str(id) & mask; b->slots[h]; h = (h + 1) & mask) {
        const bank_item *it = &b->items[b->slots[h] - 1];
        if (strcmp(it->id, id) == 0)
            return it;
    }
    return NULL;
}

/* ---- validation ---------------------------------------------------------------------------- */

typedef struct {
    bank_diag_fn fn;
    void *ctx;
    const char *file;
    int problems;
} diag_sink;

static void report(diag_sink *d, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static void report(diag_sink *d, int line, const char *fmt, ...)
{
    d->problems++;
    if (!d->fn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->fn(d->ctx, d->file, line, msg);
}

static int id_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > BANK_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return 0;
    }
    return 1;
}

/* A `terms` value: groups separated by ',', alternatives by '|', each alternative one or more
 * words of letters, digits, '-', '.', '\'' or spaces; no empty group or alternative. */
static int terms_valid(const char *s, char *why, size_t len)
{
    size_t n = strlen(s);
    if (n > BANK_TERMS_MAX) {
        snprintf(why, len, "%zu bytes long; the limit is %d", n, BANK_TERMS_MAX);
        return 0;
    }
    int letters = 0;
    for (size_t i = 0; i <= n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == '|' || c == '\0') {
            if (!letters) {
                snprintf(why, len, "empty %s in '%.80s' (write groups as \"a, b|c\")",
                         c == '|' || (i > 0 && s[i - 1] == '|') ? "alternative" : "group", s);
                return 0;
            }
            letters = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c >= 0x80) {
            letters = 1;
        } else if (c != ' ' && c != '-' && c != '.' && c != '\'') {
            snprintf(why, len, "character '%c' in '%.80s'; use words separated by ',' (groups) "
                     "and '|' (alternatives)", c, s);
            return 0;
        }
    }
    return 1;
}

/* Why the text of a one-line field cannot be stored and read back exactly, or NULL: it must be
 * UTF-8 without control characters (a tab inside is fine) and without white space at either
 * end (the parser trims it). */
static const char *line_text_problem(const char *s, char *why, size_t len)
{
    size_t n = strlen(s), bad;
    if (!utf8_check(s, n, &bad)) {
        snprintf(why, len, "invalid UTF-8 at byte %zu", bad + 1);
        return why;
    }
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f) {
            snprintf(why, len, "control character 0x%02x at byte %zu", (unsigned char)s[i], i + 1);
            return why;
        }
    if (n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')) {
        snprintf(why, len, "white space at its %s", s[0] == ' ' || s[0] == '\t' ? "start" : "end");
        return why;
    }
    return NULL;
}

/* The same for the answer, line by line: the first line as a one-line field, the others
 * without white space at their end, not longer than BANK_LINE_MAX, and not just "." (which the
 * format reads as an empty line). */
static const char *answer_text_problem(const char *s, char *why, size_t len)
{
    size_t bad;
    if (!utf8_check(s, strlen(s), &bad)) {
        snprintf(why, len, "invalid UTF-8 at byte %zu", bad + 1);
        return why;
    }
    int no = 1;
    for (const char *p = s;; no++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[64];
        snprintf(line, sizeof line, "line %d of the answer", no);
        for (size_t i = 0; i < n; i++)
            if (((unsigned char)p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f) {
                snprintf(why, len, "%s: control character 0x%02x", line, (unsigned char)p[i]);
                return why;
            }
        size_t lead = 0;
        while (lead < n && (p[lead] == ' ' || p[lead] == '\t'))
            lead++;
        if (n > BANK_LINE_MAX)
            snprintf(why, len, "%s is %zu bytes long; the limit is %d", line, n, BANK_LINE_MAX);
        else if (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            snprintf(why, len, "%s ends with white space", line);
        else if (no == 1 && lead)
            snprintf(why, len, "%s starts with white space", line);
        else if (no > 1 && n - lead == 1 && p[lead] == '.')
            snprintf(why, len, "%s is only '.', which the format reads as an empty line", line);
        else
            why[0] = '\0';
        if (why[0])
            return why;
        if (!nl)
            return NULL;
        p = nl + 1;
    }
}

/* Every text field of `it` as the writer would write it and the parser read it back. */
static void validate_text(const bank_item *it, diag_sink *d)
{
    char why[160];
    struct {
        const char *name;
        const char *v;
    } f[3 + 2 * BANK_MAX_KEYS];
    int nf = 0;
    f[nf].name = "question", f[nf++].v = it->question;
    f[nf].name = "source", f[nf++].v = it->source;
    for (int k = 0; k < it->nkeys && k < BANK_MAX_KEYS; k++) {
        f[nf].name = "key", f[nf++].v = it->keys[k];
        f[nf].name = "terms", f[nf++].v = it->terms[k];
    }
    for (int i = 0; i < nf; i++)
        if (f[i].v && line_text_problem(f[i].v, why, sizeof why))
            report(d, it->line, "%s '%.60s': %s", f[i].name, f[i].v, why);
    if (it->answer && answer_text_problem(it->answer, why, sizeof why))
        report(d, it->line, "answer: %s", why);
}

/* Checks one block; `b` is consulted for duplicate ids. Returns the number of problems. */
static int validate(const bank *b, const bank_item *it, diag_sink *d)
{
    int before = d->problems;
    int line = it->line;
    if (!it->id)
        report(d, line, "missing field 'id'");
    else if (!id_valid(it->id))
        report(d, line, "id '%.80s': use 1-%d characters of a-z, 0-9, '.', '_' or '-', starting "
               "with a letter or digit", it->id, BANK_ID_MAX);
    else {
        const bank_item *other = bank_find(b, it->id);
        if (other)
            report(d, line, "duplicate id '%s' (first defined at %s:%d)", it->id, other->file,
                   other->line);
    }
    if (!it->topic)
        report(d, line, "missing field 'topic'");
    else if (!topic_slug_valid(it->topic))
        report(d, line, "topic '%.80s': use 1-32 characters of a-z, 0-9 or '-', starting with a "
               "letter", it->topic);
    if (it->level == 0)
        report(d, line, "missing field 'level'");
    else if (it->level < 1 || it->level > 5)
        report(d, line, "level %d: must be a whole number from 1 to 5", it->level);
    if (it->time_s && (it->time_s < 10 || it->time_s > 900))
        report(d, line, "time %d: must be whole seconds from 10 to 900", it->time_s);
    if (it->source && strlen(it->source) > BANK_SOURCE_MAX)
        report(d, line, "source is %zu bytes long; the limit is %d", strlen(it->source),
               BANK_SOURCE_MAX);
    if (!it->question || !it->question[0])
        report(d, line, "missing field 'question'");
    else if (strlen(it->question) > BANK_QUESTION_MAX)
        report(d, line, "question is %zu bytes long; the limit is %d", strlen(it->question),
               BANK_QUESTION_MAX);
    for (int k = 0; k < it->nkeys; k++) {
        if (!it->keys[k][0])
            report(d, line, "key point %d is empty", k + 1);
        else if (strlen(it->keys[k]) > BANK_KEY_MAX)
            report(d, line, "key point %d is %zu bytes long; the limit is %d", k + 1,
                   strlen(it->keys[k]), BANK_KEY_MAX);
        if (it->terms[k]) {
            char why[160];
            if (!terms_valid(it->terms[k], why, sizeof why))
                report(d, line, "terms of key point %d: %s", k + 1, why);
        }
    }
    if (it->answer && strlen(it->answer) > BANK_ANSWER_MAX)
        report(d, line, "answer is longer than %d bytes", BANK_ANSWER_MAX);
    validate_text(it, d);
    return d->problems - before;
}

static void item_copy(bank_item *dst, const bank_item *src, const char *file)
{
    memset(dst, 0, sizeof *dst);
    dst->id = xstrdup(src->id);
    dst->topic = xstrdup(src->topic);
    dst->level = src->level;
    dst->question = xstrdup(src->question);
    for (int k = 0; k < src->nkeys; k++) {
        dst->keys[k] = xstrdup(src->keys[k]);
        dst->terms[k] = src->terms[k] ? xstrdup(src->terms[k]) : NULL;
    }
    dst->nkeys = src->nkeys;
    dst->answer = src->answer ? xstrdup(src->answer) : NULL;
    dst->time_s = src->time_s;
    dst->source = src->source ? xstrdup(src->source) : NULL;
    dst->file = xstrdup(file ? file : "");
    dst->line = src->line;
}

static void append_item(bank *b, const bank_item *it, const char *file)
{
    if (b->count == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 64;
        b->items = xrealloc(b->items, b->cap * sizeof *b->items);
    }
    index_grow(b);
    item_copy(&b->items[b->count], it, file);
    index_insert(b, b->count);
    b->count++;
}

/* ---- tidying: white space the format cannot keep ------------------------------------------ */

static int is_ws(char c)
{
    return c == ' ' || c == '\t';
}

/* A one-line value without white space at either end (malloc'd; NULL stays NULL). */
static char *tidy_line(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    while (n && is_ws(*s))
        s++, n--;
    while (n && is_ws(s[n - 1]))
        n--;
    return xstrndup(s, n);
}

/* An answer as the parser would give it back: no white space at the end of a line or the
 * start of the first, and a later line of just "." (with any indent) empty. */
static char *tidy_answer(const char *s)
{
    if (!s)
        return NULL;
    strbuf out = {0};
    sb_append(&out, "");
    for (int first = 1;; first = 0) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        while (n && is_ws(s[n - 1]))
            n--;
        size_t lead = 0;
        while (lead < n && is_ws(s[lead]))
            lead++;
        if (first)
            s += lead, n -= lead;
        else if (n - lead == 1 && s[lead] == '.')
            n = 0;
        sb_appendn(&out, s, n);
        if (!nl)
            break;
        sb_appendc(&out, '\n');
        s = nl + 1;
    }
    return sb_take(&out);
}

int bank_add(bank *b, const bank_item *it, bank_diag_fn diag, void *ctx)
{
    /* Values that differ only in white space the format cannot keep are stored as the parser
     * would read them back (an item imported or stored by an older viva stays usable); text
     * that is not valid (UTF-8, control characters, lengths) is refused by validate(). */
    bank_item t = *it;
    t.question = tidy_line(it->question);
    t.source = tidy_line(it->source);
    t.answer = tidy_answer(it->answer);
    for (int k = 0; k < it->nkeys && k < BANK_MAX_KEYS; k++) {
        t.keys[k] = tidy_line(it->keys[k]);
        t.terms[k] = tidy_line(it->terms[k]);
    }
    diag_sink d = {diag, ctx, it->file ? it->file : "", 0};
    if (validate(b, &t, &d) == 0)
        append_item(b, &t, d.file);
    free(t.question);
    free(t.source);
    free(t.answer);
    for (int k = 0; k < it->nkeys && k < BANK_MAX_KEYS; k++) {
        free(t.keys[k]);
        free(t.terms[k]);
    }
    return d.problems;
}

/* ---- parsing ------------------------------------------------------------------------------- */

enum field {
    F_NONE, F_ID, F_TOPIC, F_LEVEL, F_QUESTION, F_KEY, F_TERMS, F_ANSWER, F_TIME, F_SOURCE
};

static const struct {
    const char *name;
    enum field f;
} fields[] = {
    {"id", F_ID},         {"topic", F_TOPIC}, {"level", F_LEVEL}, {"question", F_QUESTION},
    {"key", F_KEY},       {"terms", F_TERMS}, {"answer", F_ANSWER}, {"time", F_TIME},
    {"source", F_SOURCE},
};

typedef struct {
    bank_item it;     /* strings owned here until the block is added (copied) and reset */
    strbuf cur;       /* value of the field being read (continuations are appended) */
    enum field field; /* field in `cur`, F_NONE between fields */
    enum field last_field; /* the field finished last (a `terms` line must follow a `key`) */
    int field_line;
    int open;         /* a block has started */
    int bad;          /* the block already has a problem */
} block;

static void block_reset(block *bl)
{
    item_free(&bl->it);
    sb_clear(&bl->cur);
    bl->field = F_NONE;
    bl->last_field = F_NONE;
    bl->open = 0;
    bl->bad = 0;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!*s)
        return 0;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

static char **slot_for(block *bl, enum field f)
{
    switch (f) {
    case F_ID:
        return &bl->it.id;
    case F_TOPIC:
        return &bl->it.topic;
    case F_QUESTION:
        return &bl->it.question;
    case F_ANSWER:
        return &bl->it.answer;
    case F_SOURCE:
        return &bl->it.source;
    default:
        return NULL;
    }
}

/* Moves the finished field value from bl->cur into the item. */
static void finish_field(block *bl, diag_sink *d)
{
    if (bl->field == F_NONE)
        return;
    bl->last_field = bl->field;
    const char *v = sb_str(&bl->cur);
    long n;
    switch (bl->field) {
    case F_LEVEL:
        if (!parse_int(v, 1, 5, &n)) {
            report(d, bl->field_line, "level '%.40s': must be a whole number from 1 to 5", v);
            bl->bad = 1;
        } else {
            bl->it.level = (int)n;
        }
        break;
    case F_TIME:
        if (!parse_int(v, 10, 900, &n)) {
            report(d, bl->field_line, "time '%.40s': must be whole seconds from 10 to 900", v);
            bl->bad = 1;
        } else {
            bl->it.time_s = (int)n;
        }
        break;
    case F_KEY:
        if (bl->it.nkeys >= BANK_MAX_KEYS) {
            report(d, bl->field_line, "more than %d key points", BANK_MAX_KEYS);
            bl->bad = 1;
        } else {
            bl->it.keys[bl->it.nkeys++] = sb_take(&bl->cur);
        }
        break;
    case F_TERMS:
        /* parse_line checked that a key without terms comes before */
        bl->it.terms[bl->it.nkeys - 1] = sb_take(&bl->cur);
        break;
    default: {
        char **slot = slot_for(bl, bl->field);
        *slot = sb_take(&bl->cur);
        break;
    }
    }
    sb_clear(&bl->cur);
    bl->field = F_NONE;
}

static void finish_block(bank *b, block *bl, diag_sink *d)
{
    if (!bl->open)
        return;
    finish_field(bl, d);
    if (!bl->bad && validate(b, &bl->it, d) == 0)
        append_item(b, &bl->it, d->file);
    block_reset(bl);
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static void parse_line(bank *b, block *bl, diag_sink *d, const char *s, size_t n, int lineno)
{
    if (n && s[0] == '#')
        return;
    if (is_blank(s, n)) {
        finish_block(b, bl, d);
        return;
    }
    if (s[0] == ' ' || s[0] == '\t') {
        if (bl->field == F_NONE) {
            report(d, lineno, "indented line continues no field (fields start in column 1)");
            bl->bad = 1;
            bl->open = 1;
            return;
        }
        if (bl->field == F_ANSWER) {
            /* Keep indentation beyond the two-space continuation marker (code in answers). */
            size_t strip = (n >= 2 && s[0] == ' ' && s[1] == ' ') ? 2 : 1;
            s += strip, n -= strip;
            while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                n--;
            size_t lead = 0;
            while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
                lead++;
            sb_appendc(&bl->cur, '\n');
            if (!(n - lead == 1 && s[lead] == '.'))
                sb_appendn(&bl->cur, s, n);
            return;
        }
        trim(&s, &n);
        if (bl->cur.len) /* an empty field continued on the next line gets no leading space */
            sb_appendc(&bl->cur, ' ');
        sb_appendn(&bl->cur, s, n);
        return;
    }
    finish_field(bl, d);
    if (!bl->open) {
        bl->open = 1;
        bl->it.line = lineno;
    }
    const char *colon = memchr(s, ':', n);
    if (!colon) {
        report(d, lineno, "expected 'field: value', found '%.60s'", s);
        bl->bad = 1;
        return;
    }
    size_t namelen = (size_t)(colon - s);
    enum field f = F_NONE;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strlen(fields[i].name) == namelen && memcmp(fields[i].name, s, namelen) == 0)
            f = fields[i].f;
    if (f == F_NONE) {
        report(d, lineno, "unknown field '%.*s' (known: id, topic, level, question, key, terms, "
               "answer, time, source)", (int)(namelen > 40 ? 40 : namelen), s);
        bl->bad = 1;
        return;
    }
    if (f == F_TERMS && (bl->it.nkeys == 0 || bl->last_field != F_KEY ||
                         bl->it.terms[bl->it.nkeys - 1])) {
        report(d, lineno, "'terms' must follow the 'key' line it belongs to (at most once per "
               "key)");
        bl->bad = 1;
        return;
    }
    int seen = (f == F_LEVEL && bl->it.level) || (f == F_TIME && bl->it.time_s) ||
               (slot_for(bl, f) && *slot_for(bl, f));
    if (seen) {
        report(d, lineno, "field '%.*s' given twice in one question", (int)namelen, s);
        bl->bad = 1;
        return;
    }
    const char *v = colon + 1;
    size_t vn = n - namelen - 1;
    trim(&v, &vn);
    bl->field = f;
    bl->field_line = lineno;
    sb_clear(&bl->cur);
    sb_appendn(&bl->cur, v, vn);
}

int bank_parse(bank *b, const char *file, const char *text, size_t len, bank_diag_fn diag,
               void *ctx)
{
    diag_sink d = {diag, ctx, file, 0};
    if (len == 0) {
        report(&d, 0, "the file is empty");
        return d.problems;
    }
    if (memchr(text, '\0', len)) {
        report(&d, 0, "the file contains NUL bytes: it is binary, not a bank text file");
        return d.problems;
    }
    block bl;
    memset(&bl, 0, sizeof bl);
    lines it; /* skips a byte-order mark, drops the \r of CRLF, counts lines */
    lines_init(&it, text, len);
    const char *s;
    size_t n;
    while (lines_next(&it, &s, &n)) {
        int lineno = it.no;
        size_t bad;
        if (!utf8_check(s, n, &bad)) {
            report(&d, lineno, "invalid UTF-8 at byte %zu of the line", bad + 1);
            bl.bad = 1;
            bl.open = 1;
            continue;
        }
        size_t ctl = 0;
        while (ctl < n && !(((unsigned char)s[ctl] < 0x20 && s[ctl] != '\t') || s[ctl] == 0x7f))
            ctl++;
        if (ctl < n) { /* named here, at its own line (validate() would name the block's) */
            report(&d, lineno, "control character 0x%02x at byte %zu of the line",
                   (unsigned char)s[ctl], ctl + 1);
            bl.bad = 1;
            bl.open = 1;
            continue;
        }
        if (n > BANK_LINE_MAX + BANK_LINE_PREFIX) {
            report(&d, lineno, "line is %zu bytes long; the limit is %d", n,
                   BANK_LINE_MAX + BANK_LINE_PREFIX);
            bl.bad = 1;
            bl.open = 1;
            continue;
        }
        parse_line(b, &bl, &d, s, n, lineno);
    }
    finish_block(b, &bl, &d);
    block_reset(&bl);
    sb_free(&bl.cur);
    return d.problems;
}

/* ---- writing ------------------------------------------------------------------------------- */

static void put_field(strbuf *out, const char *name, const char *v)
{
    sb_appendf(out, "%s: %s\n", name, v);
}

void bank_format_item(const bank_item *it, strbuf *out)
{
    put_field(out, "id", it->id);
    put_field(out, "topic", it->topic);
    sb_appendf(out, "level: %d\n", it->level);
    put_field(out, "question", it->question);
    for (int k = 0; k < it->nkeys; k++) {
        put_field(out, "key", it->keys[k]);
        if (it->terms[k])
            put_field(out, "terms", it->terms[k]);
    }
    if (it->answer) {
        /* First line after "answer:", the rest as indented continuation lines; an empty
         * line is written as " ." so that it does not end the block. */
        sb_append(out, "answer:");
        const char *p = it->answer;
        int first = 1;
        for (;;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) : strlen(p);
            if (first)
                sb_append(out, n ? " " : "");
            else
                sb_append(out, n ? "  " : "  .");
            sb_appendn(out, p, n);
            sb_appendc(out, '\n');
            first = 0;
            if (!nl)
                break;
            p = nl + 1;
        }
    }
    if (it->time_s)
        sb_appendf(out, "time: %d\n", it->time_s);
    if (it->source)
        put_field(out, "source", it->source);
    sb_appendc(out, '\n');
}
