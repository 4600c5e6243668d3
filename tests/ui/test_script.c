/* test_script.c: the timed input script parser: valid scripts, and every error names the line. */
#include <string.h>

#include "check.h"
#include "script.h"

static void test_valid(void)
{
    script s;
    char err[256] = "";
    const char *text = "# demo\n100 screenshot home\n\n200 key Return  # next\n300 tap 0.5 0.25\n"
                       "300 quit\n300 type alex\n";
    CHECK(script_parse(&s, "demo.txt", text, err, sizeof err) == 0);
    CHECK(s.count == 5);
    CHECK(s.events[4].kind == SCRIPT_TYPE && strcmp(s.events[4].name, "alex") == 0);
    CHECK(s.events[0].kind == SCRIPT_SCREENSHOT && strcmp(s.events[0].name, "home") == 0);
    CHECK(s.events[1].kind == SCRIPT_KEY && s.events[1].key == SDLK_RETURN);
    CHECK(s.events[2].kind == SCRIPT_TAP && s.events[2].y == 0.25f);
    CHECK(script_wait_ms(&s, 50) == 50);
    CHECK(script_due(&s, 99) == NULL);
    CHECK(script_due(&s, 150) == &s.events[0]);
    CHECK(script_due(&s, 150) == NULL);
    CHECK(script_due(&s, 400) == &s.events[1]);
    CHECK(script_due(&s, 400) == &s.events[2]);
    CHECK(script_due(&s, 400) == &s.events[3]);
    CHECK(script_due(&s, 400) == &s.events[4]);
    CHECK(script_wait_ms(&s, 400) == -1);
    script_free(&s);
}

static void expect_error(const char *text, const char *part)
{
    script s;
    char err[256] = "";
    CHECK(script_parse(&s, "x.txt", text, err, sizeof err) == -1);
    CHECK_MSG(strstr(err, part) != NULL, "message '%s' lacks '%s'", err, part);
}

static void test_errors(void)
{
    expect_error("100 key Return\n50 key Return\n", "x.txt:2: time 50 is before");
    expect_error("100 key NoSuchKey\n", "x.txt:1: unknown key name 'NoSuchKey'");
    expect_error("100 jump\n", "x.txt:1: unknown action 'jump'");
    expect_error("100 tap 2 0.5\n", "x.txt:1: tap needs x and y");
    expect_error("100 screenshot ../etc\n", "x.txt:1: screenshot needs a name");
    expect_error("soon key Return\n", "x.txt:1: expected '<ms> <action>");
    expect_error("100\n", "x.txt:1: missing action");
    expect_error("100 type\n", "x.txt:1: type needs a word");
    expect_error("100 type abcdefghijklmnopqrstuvwxyz0123456789\n", "x.txt:1: type needs a word");
}

int main(void)
{
    RUN(test_valid);
    RUN(test_errors);
    return check_summary("script");
}
