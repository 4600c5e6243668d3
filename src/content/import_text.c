/* import_text.c: the importer's text repair and clean-up.
 *
 * Mojibake: a UTF-8 document that was decoded as Windows-1252 (or its Turkish sibling 1254,
 * which differs in six letters) and saved again as UTF-8 turns every non-ASCII character into
 * two to four characters from the upper half of that code page ("Ø¯" for "د", "â†’" for "→").
 * The repair maps each such character back to its byte and, where a run of those bytes is
 * valid UTF-8, uses the decoded text instead. Windows-1252 has no character for 0xAD that
 * survives copying (it is the invisible soft hyphen), so a two-byte lead that lost its
 * continuation inside a run that otherwise decodes is completed with 0xAD (seen in Persian
 * text: "ح" is D8 AD). Runs that do not decode are left as they are, so genuine Latin-1
 * text ("naïve", "Øre") is never changed. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "import_int.h"
#include "utf8.h"

/* Windows-1252 0x80..0x9F; 0 marks the five unassigned bytes (read as the C1 control). */
static const unsigned short cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Windows-1254 letters that differ from 1252/Latin-1, with their bytes. */
static const struct {
    unsigned cp;
    unsigned char byte;
} cp1254_extra[] = {
    {0x011E, 0xD0}, {0x0130, 0xDD}, {0x015E, 0xDE}, {0x011F, 0xF0}, {0x0131, 0xFD}, {0x015F, 0xFE},
};

/* The byte a code point stands for in the mojibake code page, or -1. */
static int cp_to_byte(unsigned cp)
{
    if (cp >= 0x80 && cp <= 0xFF)
        return (int)cp; /* Latin-1 range, including C1 controls for unassigned 1252 bytes */
    for (int i = 0; i < 32; i++)
        if (cp1252_hi[i] == cp)
            return 0x80 + i;
    for (size_t i = 0; i < sizeof cp1254_extra / sizeof cp1254_extra[0]; i++)
        if (cp1254_extra[i].cp == cp)
            return cp1254_extra[i].byte;
    return -1;
}

void imp_cp1252_to_utf8(const char *s, size_t n, strbuf *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            sb_appendc(out, (char)c);
        else if (c < 0xA0)
            utf8_append(out, cp1252_hi[c - 0x80] ? cp1252_hi[c - 0x80] : 0xFFFD);
        else
            utf8_append(out, c);
    }
}

/* Decode the bytes of one run into `out`; `src` is the run's original text (used for the parts
 * that do not decode). Returns the number of characters repaired. */
static size_t repair_run(const unsigned char *bytes, const size_t *src_off, size_t nb,
                         const char *src, size_t src_end, strbuf *out)
{
    /* First pass: does any multi-byte sequence decode? Otherwise keep the run verbatim. */
    int any = 0;
    for (size_t i = 0; i < nb && !any; i++) {
        unsigned cp;
        size_t l = utf8_decode((const char *)bytes + i, nb - i, &cp);
        any = l >= 2;
    }
    if (!any) {
        sb_appendn(out, src + src_off[0], src_end - src_off[0]);
        return 0;
    }
    size_t fixed = 0;
    for (size_t i = 0; i < nb;) {
        unsigned cp;
        size_t l = utf8_decode((const char *)bytes + i, nb - i, &cp);
        if (l >= 2) {
            utf8_append(out, cp);
            fixed++;
            i += l;
            continue;
        }
        if (bytes[i] >= 0xC2 && bytes[i] <= 0xDF &&
            (i + 1 == nb || (bytes[i + 1] & 0xC0) != 0x80)) {
            /* A two-byte lead whose continuation was the invisible soft hyphen (0xAD). */
            unsigned char pair[2] = {bytes[i], 0xAD};
            if (utf8_decode((const char *)pair, 2, &cp) == 2) {
                utf8_append(out, cp);
                fixed++;
                i++;
                continue;
            }
        }
        size_t end = i + 1 < nb ? src_off[i + 1] : src_end;
        sb_appendn(out, src + src_off[i], end - src_off[i]);
        i++;
    }
    return fixed;
}

size_t import_repair_mojibake(char *s, size_t *n)
{
    size_t len = *n, fixed = 0;
    /* Quick exit: pure ASCII, or no character that could be mojibake. */
    int candidate = 0;
    for (size_t i = 0; i < len && !candidate; i++)
        candidate = (unsigned char)s[i] >= 0xC2 && (unsigned char)s[i] <= 0xC5;
    if (!candidate) {
        for (size_t i = 0; i + 2 < len && !candidate; i++)
            candidate = (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] <= 0x84;
        if (!candidate)
            return 0;
    }
    strbuf out = {0};
    unsigned char *bytes = xmalloc(len + 1);
    size_t *offs = xmalloc((len + 1) * sizeof *offs);
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t l = utf8_decode(s + i, len - i, &cp);
        int b = l >= 2 ? cp_to_byte(cp) : -1;
        if (b < 0) {
            sb_appendn(&out, s + i, l ? l : 1);
            i += l ? l : 1;
            continue;
        }
        size_t nb = 0, j = i;
        while (j < len) {
            l = utf8_decode(s + j, len - j, &cp);
            b = l >= 2 ? cp_to_byte(cp) : -1;
            if (b < 0)
                break;
            offs[nb] = j;
            bytes[nb++] = (unsigned char)b;
            j += l;
        }
        fixed += repair_run(bytes, offs, nb, s, j, &out);
        i = j;
    }
    free(bytes);
    free(offs);
    if (fixed && out.len <= len) {
        memcpy(s, sb_str(&out), out.len);
        *n = out.len;
        s[out.len] = '\0';
    } else {
        fixed = 0;
    }
    sb_free(&out);
    return fixed;
}

/* ---- markdown / HTML clean-up ----------------------------------------------------------- */

static const struct {
    const char *name;
    const char *text;
} entities[] = {
    {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"},
    {"&apos;", "'"}, {"&nbsp;", " "},
};

/* Length of an entity at s that we translate, or 0; its text in *text. */
static size_t entity_at(const char *s, size_t n, const char **text)
{
    for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
        size_t l = strlen(entities[i].name);
        if (l <= n && memcmp(s, entities[i].name, l) == 0) {
            *text = entities[i].text;
            return l;
        }
    }
    return 0;
}

/* If s starts an HTML tag ("<name ...>" or "</name>"), its length; 0 otherwise. */
static size_t tag_len(const char *s, size_t n)
{
    if (n < 3 || s[0] != '<')
        return 0;
    size_t i = 1;
    if (s[i] == '/')
        i++;
    if (i >= n || !isalpha((unsigned char)s[i]))
        return 0;
    while (i < n && s[i] != '>' && s[i] != '<' && s[i] != '\n')
        i++;
    return i < n && s[i] == '>' ? i + 1 : 0;
}

static int tag_is(const char *s, size_t n, const char *name)
{
    size_t i = 1, l = strlen(name);
    if (i < n && s[i] == '/')
        i++;
    return i + l <= n && imp_ncasecmp(s + i, name, l) == 0 &&
           (i + l == n || !isalnum((unsigned char)s[i + l]));
}

int imp_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = tolower((unsigned char)a[i]), cb = tolower((unsigned char)b[i]);
        if (ca != cb || !ca)
            return ca - cb;
    }
    return 0;
}

/* Append s, collapsing runs of white space to one space. */
static void put_collapsed(strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (out->len && out->s[out->len - 1] != ' ')
                sb_appendc(out, ' ');
        } else {
            sb_appendc(out, c);
        }
    }
}

char *imp_clean_inline(const char *s, size_t n)
{
    strbuf out = {0};
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        const char *et;
        size_t l;
        if (c == '<' && (l = tag_len(s + i, n - i))) {
            if (tag_is(s + i, l, "br"))
                put_collapsed(&out, " ", 1);
            i += l;
        } else if (c == '&' && (l = entity_at(s + i, n - i, &et))) {
            put_collapsed(&out, et, strlen(et));
            i += l;
        } else if ((c == '!' && i + 1 < n && s[i + 1] == '[') || c == '[') {
            /* [text](url) keeps the text; ![alt](url) is dropped; other brackets stay. */
            size_t start = i + (c == '!' ? 2 : 1), j = start;
            while (j < n && s[j] != ']' && s[j] != '\n')
                j++;
            if (j + 1 < n && s[j] == ']' && s[j + 1] == '(') {
                size_t k = j + 2;
                while (k < n && s[k] != ')' && s[k] != '\n')
                    k++;
                if (k < n && s[k] == ')') {
                    if (c == '[') {
                        char *inner = imp_clean_inline(s + start, j - start);
                        put_collapsed(&out, inner, strlen(inner));
                        free(inner);
                    }
                    i = k + 1;
                    continue;
                }
            }
            sb_appendc(&out, c);
            i++;
        } else if (c == '*' || c == '`' ||
                   (c == '_' && i + 1 < n && s[i + 1] == '_')) {
            /* Emphasis and code marks carry no words. Single '_' stays (snake_case). */
            i += c == '_' ? 2 : 1;
        } else {
            put_collapsed(&out, &c, 1);
            i++;
        }
    }
    char *r = sb_take(&out);
    size_t len = strlen(r);
    size_t a = 0;
    while (a < len && r[a] == ' ')
        a++;
    while (len > a && r[len - 1] == ' ')
        len--;
    memmove(r, r + a, len - a);
    r[len - a] = '\0';
    return r;
}

/* End the current output line (no trailing spaces; at most one empty line in a row). */
static void end_line(strbuf *out)
{
    while (out->len && out->s[out->len - 1] == ' ')
        out->s[--out->len] = '\0';
    if (out->len == 0)
        return;
    if (out->len >= 2 && out->s[out->len - 1] == '\n' && out->s[out->len - 2] == '\n')
        return;
    sb_appendc(out, '\n');
}

void imp_html_block(const char *s, size_t n, strbuf *out)
{
    size_t i = 0;
    int in_summary = 0;
    strbuf href = {0};
    while (i < n) {
        char c = s[i];
        const char *et;
        size_t l;
        if (c == '<' && (l = tag_len(s + i, n - i))) {
            int closing = s[i + 1] == '/';
            if (tag_is(s + i, l, "summary")) {
                in_summary = !closing;
            } else if (tag_is(s + i, l, "a")) {
                if (!closing) {
                    sb_clear(&href);
                    const char *h = NULL;
                    for (size_t k = i; k + 6 < i + l; k++)
                        if (imp_ncasecmp(s + k, "href=\"", 6) == 0) {
                            h = s + k + 6;
                            break;
                        }
                    if (h) {
                        const char *e = memchr(h, '"', (size_t)(s + i + l - h));
                        if (e)
                            sb_appendn(&href, h, (size_t)(e - h));
                    }
                } else if (href.len && !in_summary) {
                    sb_append(out, " (");
                    sb_appendn(out, href.s, href.len);
                    sb_appendc(out, ')');
                    sb_clear(&href);
                }
            } else if (tag_is(s + i, l, "br") || tag_is(s + i, l, "div") ||
                       tag_is(s + i, l, "p") || tag_is(s + i, l, "li") ||
                       tag_is(s + i, l, "details")) {
                end_line(out);
            }
            i += l;
            continue;
        }
        if (in_summary) {
            i++;
            continue;
        }
        if (c == '&' && (l = entity_at(s + i, n - i, &et))) {
            sb_append(out, et);
            i += l;
            continue;
        }
        if (c == '\n') {
            end_line(out);
        } else if (c == ' ' || c == '\t') {
            if (out->len && out->s[out->len - 1] != ' ' && out->s[out->len - 1] != '\n')
                sb_appendc(out, ' ');
        } else {
            sb_appendc(out, c);
        }
        i++;
    }
    sb_free(&href);
}

/* ---- matching ------------------------------------------------------------------------------ */

int imp_starts_ci(const char *s, const char *prefix)
{
    return imp_ncasecmp(s, prefix, strlen(prefix)) == 0;
}

static int is_word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

int imp_has_word_ci(const char *s, const char *needle)
{
    size_t nl = strlen(needle);
    int prefix = nl && needle[nl - 1] == '*';
    if (prefix)
        nl--;
    if (!nl)
        return 0;
    int first = tolower((unsigned char)needle[0]);
    for (const char *p = s; *p; p++) {
        if (tolower((unsigned char)*p) != first || imp_ncasecmp(p, needle, nl) != 0)
            continue;
        if (p > s && is_word_char((unsigned char)p[-1]) && is_word_char((unsigned char)needle[0]))
            continue;
        if (!prefix && is_word_char((unsigned char)p[nl]) &&
            is_word_char((unsigned char)needle[nl - 1]))
            continue;
        return 1;
    }
    return 0;
}

int imp_has_ci(const char *s, const char *needle)
{
    size_t nl = strlen(needle);
    for (const char *p = s; *p; p++)
        if (imp_ncasecmp(p, needle, nl) == 0)
            return 1;
    return 0;
}

size_t imp_word_count(const char *s)
{
    size_t n = 0;
    int in = 0;
    for (; *s; s++) {
        int w = !isspace((unsigned char)*s);
        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

void imp_cap(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    size_t cut = utf8_floor(s, n, max); /* never split a UTF-8 sequence */
    size_t sp = cut;
    while (sp > max / 2 && s[sp] != ' ')
        sp--;
    if (s[sp] == ' ')
        cut = sp;
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    s[cut] = '\0';
}

/* The first `max` bytes of cleaned text for a message, "..." when cut (never mid-character). */
const char *imp_excerpt(const char *raw, char *buf, size_t max)
{
    char *c = imp_clean_inline(raw, strlen(raw));
    size_t n = strlen(c);
    if (n > max) {
        n = utf8_floor(c, n, max);
        snprintf(buf, max + 4, "%.*s...", (int)n, c);
    } else {
        snprintf(buf, max + 4, "%s", c);
    }
    free(c);
    return buf;
}
