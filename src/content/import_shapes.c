/* import_shapes.c: the shapes of document the importer recognises (markdown headings with
 * bullets, <details> reports, term - definition lists, numbered questions, a numbered outline,
 * plain lines ending in '?'): line classification, shape detection from counts of line kinds,
 * and one parser per shape (see import_int.h; import_parse.c prepares the lines).
 *
 * Every parser is a single forward pass over the prepared lines with a little state (current
 * section, the open question, an HTML nesting counter); nothing recurses, so nesting depth in
 * the input costs nothing. Counting rules (what becomes a question) are stated at each parser
 * and collected in docs/readme/import.md. Table rows are read by import_table.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* ---- line classification ---------------------------------------------------------------- */

static const char *skip_ws(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* "## Title" -> level 2 and *text = "Title"; 0 if not a heading. */
static int md_heading(const char *s, const char **text)
{
    int lv = 0;
    while (s[lv] == '#')
        lv++;
    if (lv < 1 || lv > 6 || (s[lv] != ' ' && s[lv] != '\t'))
        return 0;
    *text = skip_ws(s + lv);
    return **text ? lv : 0;
}

/* "- x", "* x", "+ x", "• x" -> *text = "x" (after indentation); 0 if not a bullet. */
static int md_bullet(const char *s, const char **text)
{
    s = skip_ws(s);
    if ((s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t')) {
        *text = skip_ws(s + 2);
        return **text != '\0';
    }
    if (memcmp(s, "\xE2\x80\xA2", 3) == 0 && (s[3] == ' ' || s[3] == '\t')) {
        *text = skip_ws(s + 4);
        return **text != '\0';
    }
    return 0;
}

/* "12. x" or "12) x" (after indentation and optional '*' marks) -> number, *text = "x";
 * *stars = number of leading '*'. -1 if not numbered. */
static long numbered(const char *s, const char **text, int *stars)
{
    s = skip_ws(s);
    int st = 0;
    while (*s == '*' && st < 8)
        s++, st++;
    s = skip_ws(s);
    if (!isdigit((unsigned char)*s))
        return -1;
    long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*s) && digits < 5)
        v = v * 10 + (*s++ - '0'), digits++;
    if (isdigit((unsigned char)*s) || (*s != '.' && *s != ')') || (s[1] != ' ' && s[1] != '\t'))
        return -1;
    *text = skip_ws(s + 1);
    if (stars)
        *stars = st;
    return **text ? v : -1;
}

static int is_fence(const char *s)
{
    s = skip_ws(s);
    return strncmp(s, "```", 3) == 0 || strncmp(s, "~~~", 3) == 0;
}

/* "Term – definition": the term is 1..10 words and at most 80 bytes, no sentence end. */
static int term_line(const imp_line *l, size_t *term_len, const char **def)
{
    if (l->indent || !l->n)
        return 0;
    static const char *dashes[] = {" \xE2\x80\x93 ", " \xE2\x80\x94 ", " - "};
    const char *best = NULL;
    size_t dl = 0;
    for (int i = 0; i < 3; i++) {
        const char *d = strstr(l->s, dashes[i]);
        if (d && (!best || d < best))
            best = d, dl = strlen(dashes[i]);
    }
    if (!best || best == l->s || best - l->s > 80)
        return 0;
    size_t tl = (size_t)(best - l->s);
    int words = 1;
    for (size_t i = 0; i < tl; i++) {
        if (l->s[i] == ' ')
            words++;
        if (l->s[i] == '?' || l->s[i] == '!')
            return 0;
    }
    if (words > 10 || md_bullet(l->s, def) || l->s[0] == '#')
        return 0;
    *term_len = tl;
    *def = skip_ws(best + dl);
    return **def != '\0';
}

/* A bare line that can be a section title: short, no sentence end, not a list item. */
static int bare_title(const imp_line *l, size_t max_words)
{
    const char *t;
    int st;
    if (!l->n || l->indent || md_bullet(l->s, &t) || numbered(l->s, &t, &st) >= 0)
        return 0;
    char last = l->s[l->n - 1];
    if (last == '.' || last == '?' || last == '!' || last == ',' || last == ';')
        return 0;
    return imp_word_count(l->s) <= max_words;
}

static int is_nav_line(const char *s)
{
    return imp_ncasecmp(s, "skip to content", 16) == 0 ||
           imp_ncasecmp(s, "skip to main content", 21) == 0;
}

/* The <details> nesting after line s, from `depth` before it: opens count, then closes (never
 * below 0). */
static int details_depth(const char *s, int depth)
{
    for (const char *q = s; (q = strstr(q, "<details")) != NULL; q += 8)
        depth++;
    for (const char *q = s; depth > 0 && (q = strstr(q, "</details>")) != NULL; q += 10)
        depth--;
    return depth;
}

static void intro_add(imp_ctx *p, const char *s)
{
    if (p->intro.len < 8192) {
        sb_append(&p->intro, s);
        sb_appendc(&p->intro, '\n');
    }
}


/* A heading that is itself a question ("### What does GOMAXPROCS set?"): its text ends in '?'
 * (a closing "Any questions?" is not one). */
static int heading_question(const char *t)
{
    char *c = imp_clean_inline(t, strlen(t));
    size_t n = strlen(c);
    while (n && (c[n - 1] == ' ' || c[n - 1] == ')' || c[n - 1] == '"' || c[n - 1] == '*'))
        n--;
    int q = n && c[n - 1] == '?' && !imp_is_closing_question(c);
    free(c);
    return q;
}

/* ---- shape: markdown bullets / interview report ----------------------------------------------
 * Counting rule: a bullet or numbered list item (at any indentation that is not inside an
 * open question) under a heading whose text reads as a question or prompt (imp_is_question)
 * counts once; a following line with no blank line between continues it (a wrapped bullet).
 * Not counted: items in skipped sections (contents, dates, process, score, closing words),
 * items that are not question-like (dates, names), closing questions ("Any questions?"),
 * anything inside fenced code outside a question. Lines indented two or more columns deeper
 * than an open question, and its <details> blocks, are its answer.
 * A heading of any level whose text ends in '?' is a question too, and everything up to the
 * next heading (prose, lists, code, tables) is its answer; such headings are not sections.
 * Table rows count by parse_table_row's rule. Every list item, heading question and table row
 * that does not count is reported (imp_skip) with the reason. */
static void parse_markdown(imp_ctx *p)
{
    /* Section level: the shallowest heading level used more than once. */
    int count[7] = {0};
    const char *t;
    int in_code = 0; /* a "# comment" in fenced code is no heading */
    for (size_t i = 0; i < p->nlines; i++) {
        in_code ^= is_fence(p->lines[i].s);
        int lv = in_code ? 0 : md_heading(p->lines[i].s, &t);
        if (lv && !heading_question(t))
            count[lv]++;
    }
    int sec_level = 0, deepest = 0;
    for (int lv = 1; lv <= 6; lv++) {
        if (count[lv] > 1 && !sec_level)
            sec_level = lv;
        if (count[lv])
            deepest = lv;
    }
    if (!sec_level)
        sec_level = deepest;
    char *section = xstrdup(""), *sub = xstrdup("");
    int skip = 0;
    int in_front = p->nlines && !strcmp(p->lines[0].s, "---");
    int fence = 0;      /* inside a fenced block that is not part of an answer */
    int html = 0;       /* <details> depth of the open answer */
    int hq = 0;         /* the open question is a heading: its answer runs to the next one */
    int afence = 0;     /* inside a fenced block of a heading question's answer */
    char why[IMP_EXCERPT + 4];
    import_question *open = NULL;
    int open_indent = 0, can_continue = 0;
    strbuf qtext = {0}, ans = {0};
    int qline = 0;
    size_t first_q = (size_t)-1;

#define FLUSH()                                                                               \
    do {                                                                                      \
        if (qline) {                                                                          \
            char *cq = imp_clean_inline(qtext.s ? qtext.s : "", qtext.len);                   \
            if (skip) {                                                                       \
                imp_skip(p, qline, "'%s' is under '%s', a part that holds no questions",      \
                         imp_excerpt(cq, why, IMP_EXCERPT),                                           \
                         imp_is_skip_section(section) ? section : sub);                       \
            } else if (!imp_is_question(cq)) {                                                \
                imp_skip(p, qline, "'%s' does not read as a question or prompt",              \
                         imp_excerpt(cq, why, IMP_EXCERPT));                                          \
            } else if (imp_is_closing_question(cq)) {                                         \
                imp_skip(p, qline, "'%s' is a closing question", imp_excerpt(cq, why, IMP_EXCERPT));  \
            } else {                                                                          \
                if (first_q == (size_t)-1)                                                    \
                    first_q = (size_t)qline;                                                  \
                imp_add_question(p, section, sub, qtext.s, qtext.len, ans.len ? ans.s : NULL, \
                                 qline, -1, 0);                                               \
            }                                                                                 \
            free(cq);                                                                         \
        }                                                                                     \
        qline = 0;                                                                            \
        hq = afence = 0;                                                                      \
        sb_clear(&qtext);                                                                     \
        sb_clear(&ans);                                                                       \
        open = NULL;                                                                          \
        html = 0;                                                                             \
    } while (0)

    /* Framing is decided before questions are added, so collect the intro first: everything
     * before the first list item plus every heading. */
    for (size_t i = 0; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        if (md_heading(l->s, &t))
            intro_add(p, t);
    }
    for (size_t i = 0; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        int st;
        if (md_bullet(l->s, &t) || numbered(l->s, &t, &st) >= 0)
            break;
        intro_add(p, l->s);
    }
    p->doc->framing = imp_detect_framing(sb_str(&p->intro));
    p->doc->ordered = imp_detect_ordered(sb_str(&p->intro));

    for (size_t i = 0; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        const char *s = l->s;
        if (in_front) {
            if (i > 0 && !strcmp(s, "---"))
                in_front = 0;
            else if (imp_starts_ci(s, "title:") && !p->doc->title)
                p->doc->title = imp_clean_inline(skip_ws(s + 6), strlen(skip_ws(s + 6)));
            continue;
        }
        if (html) {
            /* Inside a <details> answer: count nesting without recursion. */
            html = details_depth(s, html);
            if (html > 64)
                html = 64; /* pathological nesting: still ends at the matching closes */
            imp_html_block(s, l->n, &ans);
            sb_appendc(&ans, '\n');
            continue;
        }
        if (hq && (afence || is_fence(s))) {
            /* Code in a heading question's answer: kept, and its '#' lines are no headings. */
            afence ^= is_fence(s);
            sb_append(&ans, s);
            sb_appendc(&ans, '\n');
            continue;
        }
        if (fence) {
            if (is_fence(s))
                fence = 0;
            continue;
        }
        if (!l->n) {
            can_continue = 0;
            if (hq && ans.len && !(ans.len >= 2 && ans.s[ans.len - 2] == '\n'))
                sb_appendc(&ans, '\n'); /* a paragraph break in the answer */
            continue;
        }
        int lv = md_heading(s, &t);
        if (lv && heading_question(t)) {
            FLUSH();
            qline = l->no;
            sb_append(&qtext, t);
            hq = 1;
            open_indent = -2; /* every line up to the next heading is its answer */
            can_continue = 0;
            continue;
        }
        if (lv) {
            FLUSH();
            char *h = imp_clean_inline(t, strlen(t));
            if (!p->doc->title && lv < sec_level) {
                p->doc->title = h;
            } else if (lv <= sec_level) {
                free(section);
                section = h;
                sub[0] = '\0';
                skip = imp_is_skip_section(section);
            } else {
                free(sub);
                sub = h;
                skip = imp_is_skip_section(section) || imp_is_skip_section(sub);
            }
            can_continue = 0;
            continue;
        }
        int st;
        int bullet = md_bullet(s, &t) || numbered(s, &t, &st) >= 0;
        if (qline && l->indent >= open_indent + 2) {
            /* Belongs to the open question: its answer. */
            if (strstr(s, "<details")) {
                html = details_depth(s, 0);
                imp_html_block(s, l->n, &ans);
                sb_appendc(&ans, '\n');
            } else if (can_continue && !bullet && s[l->lead] != '<') {
                sb_appendc(&qtext, ' ');
                sb_append(&qtext, s + l->lead);
            } else if (s[l->lead] == '<') {
                imp_html_block(s, l->n, &ans);
                sb_appendc(&ans, '\n');
            } else {
                sb_append(&ans, imp_after_cols(l, open_indent + 2));
                sb_appendc(&ans, '\n');
            }
            if (!can_continue || bullet)
                can_continue = 0;
            continue;
        }
        if (imp_table_row(l)) {
            FLUSH();
            can_continue = 0;
            imp_parse_table_row(p, i, section, sub,
                            !skip ? NULL : imp_is_skip_section(section) ? section : sub);
            continue;
        }
        if (bullet) {
            FLUSH();
            qline = l->no;
            open_indent = l->indent;
            sb_append(&qtext, t);
            can_continue = 1;
            continue;
        }
        if (is_fence(s)) {
            FLUSH();
            fence = 1;
            continue;
        }
        if (qline && can_continue && s[0] != '<') {
            /* A wrapped bullet: the next line with no blank line between. */
            sb_appendc(&qtext, ' ');
            sb_append(&qtext, s + l->lead);
            continue;
        }
        if (qline && s[0] == '<' && strstr(s, "<details")) {
            const char *q = s;
            while ((q = strstr(q, "<details")) != NULL)
                html++, q += 8;
            imp_html_block(s, l->n, &ans);
            sb_appendc(&ans, '\n');
            continue;
        }
        FLUSH();
        can_continue = 0;
        if (s[l->n - 1] == '?' && !skip && !imp_is_closing_question(s + l->lead))
            imp_skip(p, l->no, "'%s' ends in '?' but is no list item, heading or table row",
                     imp_excerpt(s + l->lead, why, IMP_EXCERPT));
    }
    FLUSH();
#undef FLUSH
    (void)open;
    (void)first_q;
    free(section);
    free(sub);
    sb_free(&qtext);
    sb_free(&ans);
}

/* ---- shape: term - definition -----------------------------------------------------------------
 * Counting rule: every "Term – definition" line (en dash, em dash or " - "; term of 1-10 words)
 * counts once, under the last bare section line (a short line with no sentence end). The
 * first line is the title. Section lines with no term lines under them (footers such as a
 * blog's "about" box or comment counter) produce nothing. The question reads
 * "Explain: <term> (<section>)" and the definition is its answer. */
static void parse_terms(imp_ctx *p)
{
    char *section = xstrdup("");
    size_t i = 0;
    while (i < p->nlines && !p->lines[i].n)
        i++;
    if (i < p->nlines) {
        size_t tl;
        const char *def;
        if (!term_line(&p->lines[i], &tl, &def)) {
            p->doc->title = imp_clean_inline(p->lines[i].s, p->lines[i].n);
            intro_add(p, p->lines[i].s);
            i++;
        }
    }
    for (size_t k = i; k < p->nlines; k++) {
        size_t tl;
        const char *def;
        if (term_line(&p->lines[k], &tl, &def))
            break;
        intro_add(p, p->lines[k].s);
    }
    p->doc->framing = imp_detect_framing(sb_str(&p->intro));
    p->doc->ordered = imp_detect_ordered(sb_str(&p->intro));
    int skip = 0;
    for (; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        size_t tl;
        const char *def;
        if (!l->n)
            continue;
        if (term_line(l, &tl, &def)) {
            if (skip) {
                char why[IMP_EXCERPT + 4];
                imp_skip(p, l->no, "'%s' is under '%s', a part that holds no questions",
                         imp_excerpt(l->s, why, IMP_EXCERPT), section);
                continue;
            }
            char *term = imp_clean_inline(l->s, tl);
            strbuf q = {0};
            if (section[0])
                sb_appendf(&q, "Explain: %s (%s)", term, section);
            else
                sb_appendf(&q, "Explain: %s", term);
            imp_add_question(p, section, "", q.s, q.len, def, l->no, -1, 1);
            sb_free(&q);
            free(term);
        } else if (bare_title(l, 8)) {
            free(section);
            section = imp_clean_inline(l->s, l->n);
            skip = imp_is_skip_section(section);
        }
    }
    free(section);
}

/* ---- shape: numbered questions with answer bodies ---------------------------------------------
 * Counting rule: a line at column 0 of the form "N. text" (optionally after '*' marks, as in
 * "***12. What is ...") counts when N is the next number in the sequence and the text reads as
 * a question, or carries the same '*' marks as the first question. Everything up to the next
 * counted line is its answer (numbered sub-points inside an answer break the sequence and so
 * stay in the answer). Markdown headings ("# Part") start sections. */
static void parse_numbered(imp_ctx *p)
{
    char *section = xstrdup("");
    long expect = -1;
    int want_stars = -1;
    strbuf ans = {0};
    const imp_line *qline = NULL;
    const char *qtext = NULL;
    /* Intro: lines before the first question. */
    for (size_t i = 0; i < p->nlines; i++) {
        const char *t;
        int st;
        long v = numbered(p->lines[i].s, &t, &st);
        if (v >= 0 && p->lines[i].indent == 0 && (st || imp_is_question(t)))
            break;
        intro_add(p, p->lines[i].s);
        if (!p->doc->title && p->lines[i].n) {
            const char *h;
            const char *s = md_heading(p->lines[i].s, &h) ? h : p->lines[i].s;
            p->doc->title = imp_clean_inline(s, strlen(s));
        }
    }
    p->doc->framing = imp_detect_framing(sb_str(&p->intro));
    p->doc->ordered = imp_detect_ordered(sb_str(&p->intro));
    for (size_t i = 0; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        const char *t, *h;
        int st = 0;
        long v = l->indent == 0 ? numbered(l->s, &t, &st) : -1;
        /* With '*' marks a "1." also restarts the sequence (documents joined together). */
        int is_q = v >= 0 && (expect < 0 || v == expect || (v == 1 && want_stars > 0 && st)) &&
                   (want_stars > 0 ? st > 0 : (st > 0 || imp_is_question(t)));
        int heading = md_heading(l->s, &h) != 0;
        if (is_q || heading) {
            if (qline)
                imp_add_question(p, section, "", qtext, strlen(qtext), sb_str(&ans), qline->no,
                             -1, 0);
            qline = NULL;
            sb_clear(&ans);
        }
        if (heading) {
            free(section);
            section = imp_clean_inline(h, strlen(h));
            continue;
        }
        if (is_q) {
            if (want_stars < 0)
                want_stars = st;
            expect = v + 1;
            qline = l;
            qtext = t;
            continue;
        }
        if (qline) {
            if (!l->n && ans.len && ans.s[ans.len - 1] == '\n' && ans.len >= 2 &&
                ans.s[ans.len - 2] == '\n')
                continue;
            sb_append(&ans, l->s);
            sb_appendc(&ans, '\n');
        }
    }
    if (qline)
        imp_add_question(p, section, "", qtext, strlen(qtext), sb_str(&ans), qline->no, -1, 0);
    free(section);
    sb_free(&ans);
}

/* ---- shape: outline with a table of contents -------------------------------------------------
 * Counting rule: every indented numbered item ("  3. text") under a numbered section counts
 * once, whatever its wording (the document presents them all as questions or prompts). The
 * table of contents, prose paragraphs, bullet lists ("•" checklists) and sections or
 * sub-headings named as checklists or closing parts are not counted. A list is the run of
 * items under one sub-heading; its numbering restarting at 1 also starts a new list. */
static void parse_outline(imp_ctx *p)
{
    size_t i = 0, toc = (size_t)-1;
    for (size_t k = 0; k < p->nlines; k++) {
        const char *s = skip_ws(p->lines[k].s);
        if (!imp_ncasecmp(s, "table of contents", 18) || !imp_ncasecmp(s, "contents", 9)) {
            toc = k;
            break;
        }
    }
    size_t body = 0;
    if (toc != (size_t)-1) {
        body = toc + 1;
        while (body < p->nlines) {
            const char *t;
            int st;
            if (p->lines[body].n && !(p->lines[body].indent && numbered(p->lines[body].s, &t,
                                                                         &st) >= 0))
                break;
            body++;
        }
    }
    /* Title and intro: before the TOC (or before the first numbered section). */
    for (i = 0; i < (toc != (size_t)-1 ? toc : p->nlines); i++) {
        const imp_line *l = &p->lines[i];
        const char *t;
        int st;
        if (toc == (size_t)-1 && !l->indent && numbered(l->s, &t, &st) >= 0)
            break;
        if (!l->n || is_nav_line(l->s))
            continue;
        if (!p->doc->title) {
            const char *h;
            const char *s = md_heading(l->s, &h) ? h : l->s;
            p->doc->title = imp_clean_inline(s, strlen(s));
        }
        intro_add(p, l->s);
    }
    if (toc == (size_t)-1)
        body = i;
    p->doc->framing = imp_detect_framing(sb_str(&p->intro));
    p->doc->ordered = imp_detect_ordered(sb_str(&p->intro));

    char *section = xstrdup(""), *sub = xstrdup("");
    int skip = 0;
    size_t list_start = p->doc->count; /* first question of the current list */
    long last_num = 0;
    import_question *last = NULL;
    int last_indent = 0;
    /* Close a list: give its questions their positions and (if ordered) levels. */
#define CLOSE_LIST()                                                                          \
    do {                                                                                      \
        size_t n_ = p->doc->count - list_start;                                               \
        for (size_t k_ = list_start; k_ < p->doc->count && p->doc->ordered; k_++) {           \
            double pos_ = n_ > 1 ? (double)(k_ - list_start) / (double)(n_ - 1) : 0.5;        \
            import_question *q_ = &p->doc->q[k_];                                             \
            q_->level = imp_level(q_->question, p->doc->framing, pos_, 0, &q_->level_rule);   \
        }                                                                                     \
        list_start = p->doc->count;                                                           \
        last = NULL;                                                                          \
        last_num = 0;                                                                         \
    } while (0)

    for (i = body; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        const char *t;
        int st;
        if (!l->n)
            continue;
        long v = numbered(l->s, &t, &st);
        if (v >= 0 && l->indent == 0) {
            CLOSE_LIST();
            free(section);
            section = imp_clean_inline(t, strlen(t));
            sub[0] = '\0';
            skip = imp_is_skip_section(section);
            continue;
        }
        if (v >= 0) {
            if (v <= last_num)
                CLOSE_LIST();
            last_num = v;
            last = NULL;
            if (skip) {
                char why[IMP_EXCERPT + 4];
                imp_skip(p, l->no, "'%s' is under '%s', a part that holds no questions",
                         imp_excerpt(t, why, IMP_EXCERPT), imp_is_skip_section(section) ? section : sub);
                continue;
            }
            last = imp_add_question(p, section, sub, t, strlen(t), NULL, l->no, -1, 0);
            last_indent = l->indent;
            continue;
        }
        const char *bt;
        if (last && l->indent > last_indent && !md_bullet(l->s, &bt)) {
            /* A wrapped question: rebuild it with the continuation. */
            strbuf q = {0};
            sb_append(&q, last->question);
            sb_appendc(&q, ' ');
            sb_append(&q, skip_ws(l->s));
            char *c = imp_clean_inline(q.s, q.len);
            imp_cap(c, BANK_QUESTION_MAX);
            free(last->question);
            last->question = c;
            imp_make_keys(last, 0);
            sb_free(&q);
            continue;
        }
        last = NULL;
        if (md_bullet(l->s, &bt) || l->s[l->n - 1] == '?') {
            char why[IMP_EXCERPT + 4];
            imp_skip(p, l->no, "'%s' is %s, not a numbered item of a section", imp_excerpt(l->s, why,
                     IMP_EXCERPT), md_bullet(l->s, &bt) ? "a bullet" : "a line of prose");
        } else if (bare_title(l, 12)) {
            CLOSE_LIST();
            free(sub);
            sub = imp_clean_inline(l->s, l->n);
            skip = imp_is_skip_section(section) || imp_is_skip_section(sub);
        }
    }
    CLOSE_LIST();
#undef CLOSE_LIST
    free(section);
    free(sub);
}

/* ---- shape: plain lines ------------------------------------------------------------------------
 * Counting rule: every unindented line that ends in '?' counts once; a short bare line
 * (at most 8 words, no sentence end) starts a section. The first line is the title when it is
 * not a question. */
static void parse_plain(imp_ctx *p)
{
    char *section = xstrdup("");
    int skip = 0;
    size_t i = 0;
    while (i < p->nlines && !p->lines[i].n)
        i++;
    if (i < p->nlines && p->lines[i].s[p->lines[i].n - 1] != '?') {
        p->doc->title = imp_clean_inline(p->lines[i].s, p->lines[i].n);
        intro_add(p, p->lines[i].s);
        i++;
    }
    p->doc->framing = imp_detect_framing(sb_str(&p->intro));
    for (; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        if (!l->n)
            continue;
        const char *s = skip_ws(l->s);
        char why[IMP_EXCERPT + 4];
        if (l->s[l->n - 1] == '?') {
            if (skip)
                imp_skip(p, l->no, "'%s' is under '%s', a part that holds no questions",
                         imp_excerpt(s, why, IMP_EXCERPT), section);
            else if (imp_is_closing_question(s))
                imp_skip(p, l->no, "'%s' is a closing question", imp_excerpt(s, why, IMP_EXCERPT));
            else
                imp_add_question(p, section, "", s, strlen(s), NULL, l->no, -1, 0);
        } else if (!bare_title(l, 8)) {
            imp_skip(p, l->no, "'%s' does not end in '?'", imp_excerpt(s, why, IMP_EXCERPT));
        } else {
            free(section);
            section = imp_clean_inline(l->s, l->n);
            skip = imp_is_skip_section(section);
        }
    }
    free(section);
}

import_shape imp_detect_shape(const imp_ctx *p)
{
    int headings = 0, bullets = 0, details = 0, starred = 0, numq0 = 0, numind = 0, terms = 0,
        qmark = 0, toc = 0, hqs = 0, tqs = 0;
    for (size_t i = 0; i < p->nlines; i++) {
        const imp_line *l = &p->lines[i];
        const char *t;
        int st;
        size_t tl;
        if (!l->n)
            continue;
        if (md_heading(l->s, &t)) {
            headings++;
            hqs += heading_question(t);
        } else if (imp_table_row(l)) {
            size_t from[16], len[16];
            int n = imp_table_cells(l->s, from, len, 16);
            for (int c = 0; c < n; c++) {
                char *cell = imp_clean_inline(l->s + from[c], len[c]);
                int q = imp_is_question(cell);
                free(cell);
                if (q) {
                    tqs++;
                    break;
                }
            }
        } else if (md_bullet(l->s, &t))
            bullets++;
        else if (numbered(l->s, &t, &st) >= 0) {
            if (l->indent)
                numind++;
            else if (st)
                starred++;
            else if (imp_is_question(t))
                numq0++;
        } else if (term_line(l, &tl, &t))
            terms++;
        else if (l->s[l->n - 1] == '?')
            qmark++;
        if (strstr(l->s, "<details"))
            details++;
        const char *s = skip_ws(l->s);
        if (!imp_ncasecmp(s, "table of contents", 18))
            toc++;
    }
    if (details && (headings || bullets))
        return IMPORT_SHAPE_REPORT;
    if (numind >= 3 && (toc || numind > numq0 + starred))
        return IMPORT_SHAPE_OUTLINE;
    if (starred >= 2 || (numq0 >= 2 && numq0 >= bullets))
        return IMPORT_SHAPE_NUMBERED;
    if (bullets >= 2 && bullets >= terms)
        return IMPORT_SHAPE_BULLETS;
    if (hqs + tqs >= 2 && hqs + tqs >= terms)
        return IMPORT_SHAPE_BULLETS; /* questions as headings or in tables */
    if (terms >= 3)
        return IMPORT_SHAPE_TERMS;
    if (bullets >= 1 || hqs + tqs >= 1)
        return IMPORT_SHAPE_BULLETS;
    if (qmark >= 1)
        return IMPORT_SHAPE_PLAIN;
    return IMPORT_SHAPE_NONE;
}

void imp_parse_shape(imp_ctx *p, import_shape shape)
{
    switch (shape) {
    case IMPORT_SHAPE_BULLETS:
    case IMPORT_SHAPE_REPORT:
        parse_markdown(p);
        break;
    case IMPORT_SHAPE_TERMS:
        parse_terms(p);
        break;
    case IMPORT_SHAPE_NUMBERED:
        parse_numbered(p);
        break;
    case IMPORT_SHAPE_OUTLINE:
        parse_outline(p);
        break;
    case IMPORT_SHAPE_PLAIN:
        parse_plain(p);
        break;
    default:
        break;
    }
}
