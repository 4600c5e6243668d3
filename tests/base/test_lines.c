/* test_lines.c: lines.h: endings (LF, CRLF, none at the end, a lone CR inside a line), empty
 * lines, the byte-order mark, embedded NUL bytes and line numbers. */
#include <string.h>

#include "check.h"
#include "lines.h"

/* All lines of text joined with '|', and how many there were. */
static int join(const char *text, size_t len, char *out, size_t outlen)
{
    lines it;
    lines_init(&it, text, len);
    const char *s;
    size_t n;
    size_t o = 0;
    int count = 0;
    out[0] = 0;
    while (lines_next(&it, &s, &n)) {
        count++;
        if (it.no != count)
            return -1;
        if (o + n + 2 > outlen)
            return -2;
        if (count > 1)
            out[o++] = '|';
        memcpy(out + o, s, n);
        o += n;
        out[o] = 0;
    }
    return count;
}

static void test_endings(void)
{
    char b[128];
    CHECK(join("", 0, b, sizeof b) == 0);
    CHECK(join("\n", 1, b, sizeof b) == 1 && !strcmp(b, ""));
    CHECK(join("a", 1, b, sizeof b) == 1 && !strcmp(b, "a"));
    CHECK(join("a\nb", 3, b, sizeof b) == 2 && !strcmp(b, "a|b"));
    CHECK(join("a\nb\n", 4, b, sizeof b) == 2 && !strcmp(b, "a|b"));
    CHECK(join("a\r\nb\r\n", 6, b, sizeof b) == 2 && !strcmp(b, "a|b"));
    CHECK(join("a\r\n\r\nb", 7, b, sizeof b) == 3 && !strcmp(b, "a||b"));
    CHECK(join("a\rb\n", 4, b, sizeof b) == 1 && !strcmp(b, "a\rb"));
    CHECK(join("last\r", 5, b, sizeof b) == 1 && !strcmp(b, "last"));
    CHECK(join("\n\n\n", 3, b, sizeof b) == 3 && !strcmp(b, "||"));
}

static void test_bom_and_length(void)
{
    char b[128];
    CHECK(join("\xEF\xBB\xBFid: x\n", 9, b, sizeof b) == 1 && !strcmp(b, "id: x"));
    /* Only at the start. */
    CHECK(join("a\n\xEF\xBB\xBF", 5, b, sizeof b) == 2 && !strcmp(b, "a|\xEF\xBB\xBF"));
    /* The length bounds the walk, not a NUL: bytes after len are never read as lines. */
    CHECK(join("a\nb\nc", 3, b, sizeof b) == 2 && !strcmp(b, "a|b"));
    /* A NUL inside a line stays in it. */
    lines it;
    lines_init(&it, "x\0y\nz", 5);
    const char *s;
    size_t n;
    CHECK(lines_next(&it, &s, &n) && n == 3 && s[1] == 0 && s[2] == 'y');
    CHECK(lines_next(&it, &s, &n) && n == 1 && *s == 'z' && it.no == 2);
    const char *keep = s;
    CHECK(!lines_next(&it, &s, &n) && s == keep);
    CHECK(!lines_next(&it, &s, &n)); /* stays at the end */
}

int main(void)
{
    RUN(test_endings);
    RUN(test_bom_and_length);
    return check_summary("lines");
}
