/* import_table.c: markdown table rows as questions (see import_int.h): a row whose cell reads
 * as a question is one, the cells after it its answer; the header and the |---| row are the
 * table's frame; other rows are reported as skipped. Split from import_shapes.c. */
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* A table row: "| a | b |" (at most three columns of indentation). */
int imp_table_row(const imp_line *l)
{
    return l->indent < 4 && l->s[l->lead] == '|';
}

/* A table's separator row: only '|', '-', ':' and white space, with at least one '-'. */
static int table_rule(const imp_line *l)
{
    int dash = 0;
    for (const char *c = l->s + l->lead; *c; c++) {
        if (*c == '-')
            dash = 1;
        else if (*c != '|' && *c != ':' && *c != ' ' && *c != '\t')
            return 0;
    }
    return dash;
}

/* The cells of a table row (a '|' after a backslash is text): offsets and lengths into s,
 * trimmed. Returns the count (at most max). */
int imp_table_cells(const char *s, size_t from[], size_t len[], int max)
{
    int n = 0;
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (s[i] == '|')
        i++;
    while (s[i] && n < max) {
        size_t a = i;
        while (s[i] && !(s[i] == '|' && (i == 0 || s[i - 1] != '\\')))
            i++;
        size_t b = i;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        if (!s[i] && a == b)
            break; /* nothing after the closing '|' */
        from[n] = a, len[n] = b - a;
        n++;
        if (s[i])
            i++;
    }
    return n;
}

/* Counting rule for a table row outside an answer: the header row (the one above the
 * separator) and the separator are the table's frame; any other row counts once when one of
 * its cells reads as a question (imp_is_question): that cell is the question, the cells after
 * it its answer (one line each). Other rows are reported as skipped. */
void imp_parse_table_row(imp_ctx *p, size_t i, const char *section, const char *sub,
                            const char *skip_title)
{
    const imp_line *l = &p->lines[i];
    if (table_rule(l) || (i + 1 < p->nlines && imp_table_row(&p->lines[i + 1]) &&
                          table_rule(&p->lines[i + 1])))
        return;
    char buf[IMP_EXCERPT + 4];
    if (skip_title) {
        imp_skip(p, l->no, "table row '%s' is under '%s', a part that holds no questions",
                 imp_excerpt(l->s + l->lead, buf, IMP_EXCERPT), skip_title);
        return;
    }
    size_t from[16], len[16];
    int n = imp_table_cells(l->s, from, len, 16), qc = -1;
    for (int c = 0; c < n && qc < 0; c++) {
        char *t = imp_clean_inline(l->s + from[c], len[c]);
        if (imp_is_question(t) && !imp_is_closing_question(t))
            qc = c;
        free(t);
    }
    if (qc < 0) {
        imp_skip(p, l->no, "table row '%s' has no cell that reads as a question",
                 imp_excerpt(l->s + l->lead, buf, IMP_EXCERPT));
        return;
    }
    strbuf ans = {0};
    for (int c = qc + 1; c < n; c++) {
        if (!len[c])
            continue;
        if (ans.len)
            sb_appendc(&ans, '\n');
        sb_appendn(&ans, l->s + from[c], len[c]);
    }
    imp_add_question(p, section, sub, l->s + from[qc], len[qc], ans.len ? ans.s : NULL, l->no,
                     -1, 0);
    sb_free(&ans);
}
