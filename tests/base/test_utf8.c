/* test_utf8.c: utf8.h on hand-made vectors: every length, every kind of invalid sequence
 * (overlong, surrogate, above U+10FFFF, truncated, stray continuation, 0xF8..0xFF), the
 * encode/decode round trip over all scalar values, and the boundary helpers. */
#include <string.h>

#include "check.h"
#include "utf8.h"

static void test_decode_lengths(void)
{
    unsigned cp = 0;
    CHECK(utf8_decode("A", 1, &cp) == 1 && cp == 'A');
    CHECK(utf8_decode("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);            /* é */
    CHECK(utf8_decode("\xE2\x82\xAC", 3, &cp) == 3 && cp == 0x20AC);      /* € */
    CHECK(utf8_decode("\xF0\x9F\x98\x80", 4, &cp) == 4 && cp == 0x1F600); /* emoji */
    CHECK(utf8_decode("\xF4\x8F\xBF\xBF", 4, &cp) == 4 && cp == 0x10FFFF);
    CHECK(utf8_decode("", 0, &cp) == 0);
    CHECK(utf8_decode("\0", 1, &cp) == 1 && cp == 0);
}

static void test_decode_invalid(void)
{
    unsigned cp = 12345;
    static const char *bad[] = {
        "\xC0\xAF",         /* overlong '/' */
        "\xC1\xBF",         /* overlong */
        "\xE0\x80\xAF",     /* overlong 3-byte */
        "\xF0\x80\x80\xAF", /* overlong 4-byte */
        "\xED\xA0\x80",     /* surrogate U+D800 */
        "\xED\xBF\xBF",     /* surrogate U+DFFF */
        "\xF4\x90\x80\x80", /* U+110000 */
        "\x80",             /* stray continuation */
        "\xBF",
        "\xF8\x88\x80\x80\x80", /* 5-byte form */
        "\xFF",
        "\xC3\x28", /* continuation missing */
        "\xE2\x82\x28",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_MSG(utf8_decode(bad[i], strlen(bad[i]), &cp) == 0, "vector %zu", i);
        CHECK_MSG(!utf8_check(bad[i], strlen(bad[i]), NULL), "vector %zu", i);
    }
    CHECK(cp == 12345); /* never written on failure */
    /* Truncated: the bytes are right but fewer are available. */
    CHECK(utf8_decode("\xE2\x82\xAC", 2, &cp) == 0);
    CHECK(utf8_decode("\xF0\x9F\x98\x80", 3, &cp) == 0);
    CHECK(utf8_decode("\xC3\xA9", 1, &cp) == 0);
}

static void test_roundtrip_all(void)
{
    size_t bad = 0;
    for (unsigned cp = 0; cp <= 0x10FFFF; cp++) {
        char b[4];
        size_t n = utf8_encode(cp, b);
        int surrogate = cp >= 0xD800 && cp <= 0xDFFF;
        if (surrogate) {
            bad += n != 0;
            continue;
        }
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        unsigned back = 0;
        if (n != want || utf8_decode(b, n, &back) != n || back != cp)
            bad++;
    }
    CHECK_MSG(bad == 0, "%zu code points do not round-trip", bad);
    char b[4];
    CHECK(utf8_encode(0x110000, b) == 0);
}

static void test_append(void)
{
    strbuf sb = {0};
    utf8_append(&sb, 'x');
    utf8_append(&sb, 0xE9);
    utf8_append(&sb, 0xD800); /* no encoding: the replacement character */
    CHECK_STR(sb_str(&sb), "x\xC3\xA9\xEF\xBF\xBD");
    sb_free(&sb);
}

static void test_check(void)
{
    size_t at = 99;
    CHECK(utf8_check("", 0, &at) && at == 99);
    CHECK(utf8_check("caf\xC3\xA9 \xE2\x82\xAC", 9, NULL));
    CHECK(!utf8_check("ab\xC3\xA9\xFF z", 7, &at) && at == 4);
    CHECK(!utf8_check("abc\xE2\x82", 5, &at) && at == 3); /* truncated at the end */
    /* The length bounds the check: the bad byte after n does not count. */
    CHECK(utf8_check("ab\xFF", 2, NULL));
}

static void test_boundaries(void)
{
    const char *s = "a\xC3\xA9\xE2\x82\xAC"; /* a é € : offsets 0, 1, 3; length 6 */
    size_t len = strlen(s);
    CHECK(utf8_floor(s, len, 0) == 0);
    CHECK(utf8_floor(s, len, 2) == 1);
    CHECK(utf8_floor(s, len, 3) == 3);
    CHECK(utf8_floor(s, len, 5) == 3);
    CHECK(utf8_floor(s, len, 6) == 6);
    CHECK(utf8_floor(s, len, 100) == 6);
    CHECK(utf8_ceil(s, len, 2) == 3);
    CHECK(utf8_ceil(s, len, 4) == 6);
    CHECK(utf8_ceil(s, len, 1) == 1);
    CHECK(utf8_ceil(s, len, 100) == 6);
    CHECK(utf8_prev(s, len, 6) == 3);
    CHECK(utf8_prev(s, len, 3) == 1);
    CHECK(utf8_prev(s, len, 1) == 0);
    CHECK(utf8_prev(s, len, 0) == 0);
    CHECK(utf8_prev(s, len, 100) == 3);
    /* A string of continuation bytes only: floor and prev stop at 0, ceil at the end. */
    CHECK(utf8_floor("\x80\x80", 2, 1) == 0);
    CHECK(utf8_prev("\x80\x80", 2, 2) == 0);
    CHECK(utf8_ceil("\x80\x80", 2, 0) == 2);
}

int main(void)
{
    RUN(test_decode_lengths);
    RUN(test_decode_invalid);
    RUN(test_roundtrip_all);
    RUN(test_append);
    RUN(test_check);
    RUN(test_boundaries);
    return check_summary("utf8");
}
