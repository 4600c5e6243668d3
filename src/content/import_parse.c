/* import_parse.c: the importer's entry points (see import.h): input checks, line preparation
 * (repairing encodings, one prepared line per input line), adding questions with their topic,
 * level and key points, and turning questions into bank items with stable ids. The shapes of
 * document it recognises and their parsers are in import_shapes.c; the rules it applies are in
 * import_rules.c and import_keys.c. */
#include "import.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"
#include "lines.h"
#include "topic.h"
#include "utf8.h"
#include "verr.h"

static void vdiag(imp_ctx *p, int lineno, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void vdiag(imp_ctx *p, int lineno, const char *fmt, va_list ap)
{
    if (!p->diag)
        return;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    p->diag(p->ctx, p->file, lineno, msg);
}

static void diag(imp_ctx *p, int lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void diag(imp_ctx *p, int lineno, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vdiag(p, lineno, fmt, ap);
    va_end(ap);
}

static void warn(imp_ctx *p, int lineno, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void warn(imp_ctx *p, int lineno, const char *fmt, ...)
{
    p->doc->warnings++;
    va_list ap;
    va_start(ap, fmt);
    vdiag(p, lineno, fmt, ap);
    va_end(ap);
}

void imp_skip(imp_ctx *p, int lineno, const char *fmt, ...)
{
    p->doc->skipped++;
    if (!p->diag)
        return;
    char msg[512];
    int n = snprintf(msg, sizeof msg, "skipped: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    p->diag(p->ctx, p->file, lineno, msg);
}

const char *import_shape_name(import_shape s)
{
    switch (s) {
    case IMPORT_SHAPE_BULLETS:
        return "markdown headings with bullet lists";
    case IMPORT_SHAPE_TERMS:
        return "term - definition lists under section lines";
    case IMPORT_SHAPE_NUMBERED:
        return "numbered questions with answers";
    case IMPORT_SHAPE_OUTLINE:
        return "table of contents with numbered sections and questions";
    case IMPORT_SHAPE_REPORT:
        return "interview report with <details> answers";
    case IMPORT_SHAPE_PLAIN:
        return "plain lines ending in '?'";
    case IMPORT_SHAPE_BANK:
        return "viva bank format";
    default:
        return "unrecognised";
    }
}

const char *import_framing_name(import_framing f)
{
    static const char *names[] = {"none", "junior", "mid-level", "senior"};
    return (unsigned)f < 4 ? names[f] : "none";
}

void import_doc_free(import_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->count; i++) {
        import_question *q = &d->q[i];
        free(q->section);
        free(q->subsection);
        free(q->topic);
        free(q->question);
        free(q->answer);
        for (int k = 0; k < q->nkeys; k++)
            free(q->keys[k]);
    }
    free(d->q);
    free(d->title);
    memset(d, 0, sizeof *d);
}

/* ---- adding questions ------------------------------------------------------------------- */

/* Make an answer one the bank format writes and reads back exactly (bank.h): no white space at
 * the end of a line or the start of the first, no line that is only "." (it reads as an empty
 * line: it becomes one), no line over BANK_LINE_MAX bytes (it is broken at a character). */
static char *tidy_answer(const char *a, size_t n)
{
    strbuf out = {0};
    lines it;
    lines_init(&it, a, n);
    const char *s;
    size_t ln;
    while (lines_next(&it, &s, &ln)) {
        if (it.no > 1)
            sb_appendc(&out, '\n');
        while (ln && (s[ln - 1] == ' ' || s[ln - 1] == '\t'))
            ln--;
        size_t lead = 0;
        while (lead < ln && (s[lead] == ' ' || s[lead] == '\t'))
            lead++;
        if (it.no == 1 || ln - lead == 1) /* the first line's indent; a lone "." */
            s += lead, ln -= lead;
        if (ln == 1 && s[0] == '.' && it.no > 1)
            ln = 0;
        while (ln > BANK_LINE_MAX) {
            size_t cut = utf8_floor(s, ln, BANK_LINE_MAX);
            while (cut && s[cut - 1] == ' ')
                cut--;
            if (!cut)
                cut = utf8_floor(s, ln, BANK_LINE_MAX);
            sb_appendn(&out, s, cut);
            sb_appendc(&out, '\n');
            s += cut, ln -= cut;
            while (ln && s[0] == ' ')
                s++, ln--;
        }
        sb_appendn(&out, s, ln);
    }
    return sb_take(&out);
}

/* The name of a field of q that is not valid UTF-8, or NULL (the last guard before a question
 * leaves the importer: whatever the parsers did, no invalid text is stored). */
static const char *invalid_field(const import_question *q)
{
    const char *names[] = {"section", "sub-section", "question", "answer"};
    const char *v[] = {q->section, q->subsection, q->question, q->answer};
    for (int i = 0; i < 4; i++)
        if (v[i] && !utf8_check(v[i], strlen(v[i]), NULL))
            return names[i];
    for (int k = 0; k < q->nkeys; k++)
        if (!utf8_check(q->keys[k], strlen(q->keys[k]), NULL))
            return "key point";
    return NULL;
}

import_question *imp_add_question(imp_ctx *p, const char *section, const char *sub,
                                  const char *raw, size_t rawn, const char *answer, int lineno,
                                  double pos, int term)
{
    char *text = imp_clean_inline(raw, rawn);
    if (!text[0]) {
        free(text);
        return NULL;
    }
    if (strlen(text) > BANK_QUESTION_MAX) {
        warn(p, lineno, "question is %zu bytes long; cut to the bank's limit of %d",
             strlen(text), BANK_QUESTION_MAX);
        imp_cap(text, BANK_QUESTION_MAX);
    }
    import_doc *d = p->doc;
    if (d->count == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->q = xrealloc(d->q, d->cap * sizeof *d->q);
    }
    import_question *q = &d->q[d->count++];
    memset(q, 0, sizeof *q);
    q->section = xstrdup(section ? section : "");
    q->subsection = xstrdup(sub ? sub : "");
    q->question = text;
    q->line = lineno;
    if (answer) {
        size_t an = strlen(answer);
        while (an && (answer[an - 1] == '\n' || answer[an - 1] == ' '))
            an--;
        size_t a0 = 0;
        while (a0 < an && (answer[a0] == '\n' || answer[a0] == ' '))
            a0++;
        if (an > a0) {
            char *a = xstrndup(answer + a0, an - a0);
            if (strlen(a) > BANK_ANSWER_MAX) {
                warn(p, lineno, "answer is longer than %d bytes; cut", BANK_ANSWER_MAX);
                imp_cap(a, BANK_ANSWER_MAX);
            }
            q->answer = tidy_answer(a, strlen(a));
            free(a);
        }
    }
    /* The sub-section's topics, then its section's (import_rules.c): under "Transactions,
     * locks" (sql) in "Databases (PostgreSQL & SQL)" a question that names Postgres is a
     * PostgreSQL question. A sub-section that names no topic (or only Go) leaves the choice to
     * the section. */
    const char *subs[8], *sec[8];
    int nsub = imp_section_topics(q->subsection, subs, 8);
    if (nsub == 1 && !strcmp(subs[0], "go"))
        nsub = 0;
    int nsec = imp_section_topics(q->section, sec, 8);
    q->topic = xstrdup(imp_question_topic(q->question, subs, nsub, sec, nsec));
    q->level = imp_level(q->question, d->framing, pos, term, &q->level_rule);
    imp_make_keys(q, term);
    const char *bad = invalid_field(q);
    if (bad) {
        warn(p, lineno, "the question's %s is not valid UTF-8 after clean-up; the question is "
             "skipped", bad);
        free(q->section);
        free(q->subsection);
        free(q->topic);
        free(q->question);
        free(q->answer);
        for (int k = 0; k < q->nkeys; k++)
            free(q->keys[k]);
        d->count--;
        return NULL;
    }
    return q;
}

/* ---- line preparation ------------------------------------------------------------------- */

static int prepare(imp_ctx *p, const char *text, size_t len)
{
    strbuf all = {0};
    size_t cap = 256, n = 0;
    size_t *offs = xmalloc(cap * sizeof *offs);
    int *nos = xmalloc(cap * sizeof *nos);
    strbuf tmp = {0};
    lines it;
    lines_init(&it, text, len);
    const char *s;
    size_t ln;
    while (lines_next(&it, &s, &ln)) {
        int lineno = it.no;
        sb_clear(&tmp);
        size_t bad;
        if (ln > IMPORT_LINE_MAX) {
            warn(p, lineno, "line is %zu bytes long; lines over %d bytes are skipped", ln,
                 IMPORT_LINE_MAX);
        } else if (!utf8_check(s, ln, &bad)) {
            warn(p, lineno, "invalid UTF-8 at byte %zu; the line is read as Windows-1252",
                 bad + 1);
            imp_cp1252_to_utf8(s, ln, &tmp);
            p->doc->repaired++;
        } else {
            sb_appendn(&tmp, s, ln);
            size_t tn = tmp.len;
            if (tn) {
                p->doc->repaired += import_repair_mojibake(tmp.s, &tn);
                tmp.len = tn;
            }
        }
        /* Control characters (DEL too) other than tab become spaces; trailing space goes. */
        for (size_t i = 0; i < tmp.len; i++)
            if (((unsigned char)tmp.s[i] < 0x20 && tmp.s[i] != '\t') || tmp.s[i] == 0x7f)
                tmp.s[i] = ' ';
        while (tmp.len && (tmp.s[tmp.len - 1] == ' ' || tmp.s[tmp.len - 1] == '\t'))
            tmp.s[--tmp.len] = '\0';
        if (n == cap) {
            cap *= 2;
            offs = xrealloc(offs, cap * sizeof *offs);
            nos = xrealloc(nos, cap * sizeof *nos);
        }
        offs[n] = all.len;
        nos[n++] = lineno;
        sb_appendn(&all, sb_str(&tmp), tmp.len);
        sb_appendc(&all, '\0');
    }
    sb_free(&tmp);
    p->buf = sb_take(&all);
    p->lines = xmalloc((n ? n : 1) * sizeof *p->lines);
    for (size_t i = 0; i < n; i++) {
        imp_line *l = &p->lines[i];
        l->s = p->buf + offs[i];
        l->n = strlen(l->s);
        l->no = nos[i];
        int ind = 0, lead = 0;
        for (size_t k = 0; k < l->n && (l->s[k] == ' ' || l->s[k] == '\t'); k++, lead++)
            ind += l->s[k] == '\t' ? 4 : 1;
        l->indent = ind;
        l->lead = lead;
    }
    p->nlines = n;
    free(offs);
    free(nos);
    return 0;
}

const char *imp_after_cols(const imp_line *l, int cols)
{
    int col = 0, k = 0;
    while (k < l->lead) {
        int w = l->s[k] == '\t' ? 4 : 1;
        if (col + w > cols)
            break;
        col += w;
        k++;
    }
    return l->s + k;
}

/* ---- detection ------------------------------------------------------------------------------ */

int import_looks_like_bank(const char *text, size_t len)
{
    lines it;
    lines_init(&it, text, len);
    const char *s;
    size_t n;
    while (lines_next(&it, &s, &n)) {
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
            n--;
        if (n == 0 || s[0] == '#')
            continue;
        return n >= 3 && memcmp(s, "id:", 3) == 0;
    }
    return 0;
}

int import_parse(const char *file, const char *text, size_t len, import_doc *out,
                 import_diag_fn diagfn, void *ctx)
{
    memset(out, 0, sizeof *out);
    imp_ctx p = {file ? file : "", diagfn, ctx, out, NULL, NULL, 0, {0}};
    int rc = VIVA_OK;
    if (len > IMPORT_FILE_MAX) {
        diag(&p, 0, "%zu bytes; the importer reads at most %u MiB: split the file", len,
             IMPORT_FILE_MAX >> 20);
        return VIVA_ELIMIT;
    }
    if (len == 0) {
        diag(&p, 0, "the file is empty");
        return VIVA_EPARSE;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        size_t off = (size_t)(nul - text);
        int lineno = 1;
        for (size_t k = 0; k < off; k++)
            lineno += text[k] == '\n';
        diag(&p, lineno, "NUL byte at offset %zu: this is a binary file, not a text document",
             off);
        return VIVA_EPARSE;
    }
    size_t ctl = 0, sample = len < 65536 ? len : 65536;
    for (size_t k = 0; k < sample; k++) {
        unsigned char c = (unsigned char)text[k];
        ctl += c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
    }
    if (ctl * 100 > sample) {
        diag(&p, 0, "%zu control bytes in the first %zu: this is a binary file, not a text "
             "document", ctl, sample);
        return VIVA_EPARSE;
    }
    prepare(&p, text, len);
    int blank = 1;
    for (size_t k = 0; k < p.nlines && blank; k++)
        blank = p.lines[k].n == 0;
    if (blank) {
        diag(&p, 0, "the file holds only white space");
        rc = VIVA_EPARSE;
        goto done;
    }
    out->shape = imp_detect_shape(&p);
    imp_parse_shape(&p, out->shape);
    if (!out->title)
        out->title = xstrdup("");
    if (out->count == 0) {
        diag(&p, 0, "no questions found (looked for: markdown headings with bullet lists, "
             "'Term - definition' lines, numbered questions, a numbered outline, <details> "
             "reports, lines ending in '?')");
        rc = VIVA_EPARSE;
    }
done:
    free(p.buf);
    free(p.lines);
    sb_free(&p.intro);
    if (!out->title)
        out->title = xstrdup("");
    return rc;
}

/* ---- bank items ---------------------------------------------------------------------------- */

void import_to_item(const import_question *q, const char *id, const char *source,
                    bank_item *out)
{
    memset(out, 0, sizeof *out);
    out->id = (char *)id;
    out->topic = q->topic;
    out->level = q->level;
    out->question = q->question;
    for (int k = 0; k < q->nkeys; k++)
        out->keys[k] = q->keys[k];
    out->nkeys = q->nkeys;
    out->answer = q->answer;
    out->source = (char *)source;
    out->line = q->line;
}

void import_make_id(const char *bank_name, const import_question *q, char *buf)
{
    char slug[25];
    size_t n = 0;
    for (const char *s = bank_name; *s && n < 24; s++) {
        char c = (char)tolower((unsigned char)*s);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
            slug[n++] = c;
        else if (n && slug[n - 1] != '-')
            slug[n++] = '-';
    }
    while (n && (slug[n - 1] == '-' || slug[n - 1] == '_'))
        n--;
    slug[n] = '\0';
    if (!n || slug[0] == '_')
        strcpy(slug, "import");
    uint32_t h = 2166136261u;
    for (const char *s = q->question; *s; s++) {
        unsigned char c = (unsigned char)tolower((unsigned char)*s);
        if (isalnum(c) || c >= 0x80)
            h = (h ^ c) * 16777619u;
    }
    char topic[21];
    snprintf(topic, sizeof topic, "%s", q->topic);
    snprintf(buf, BANK_ID_MAX + 1, "%s.%s.%08x", slug, topic, (unsigned)h);
}
