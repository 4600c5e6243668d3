/* cmd_run.c: `viva run [--script FILE] [--screenshot DIR] [--seed N]`: the options of the
 * practice program; the kiosk itself is started through runner.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "runner.h"

static int parse_args(int argc, char **argv, run_options *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if ((!strcmp(o, "--script") || !strcmp(o, "--screenshot") || !strcmp(o, "--seed")) &&
            i + 1 >= argc) {
            fprintf(stderr, "viva run: %s needs a value\n", o);
            return -1;
        }
        if (!strcmp(o, "--script")) {
            a->script_path = argv[++i];
        } else if (!strcmp(o, "--screenshot")) {
            a->shot_dir = argv[++i];
        } else if (!strcmp(o, "--seed")) {
            char *end;
            a->seed = strtoull(argv[++i], &end, 10);
            if (*end) {
                fprintf(stderr, "viva run: --seed %s: not a whole number\n", argv[i]);
                return -1;
            }
            a->have_seed = 1;
        } else if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            printf("usage: viva run [--script FILE] [--screenshot DIR] [--seed N]\n"
                   "  --script FILE     replay timed input from FILE (see README, Scripts)\n"
                   "  --screenshot DIR  write the screenshots the script asks for into DIR\n"
                   "  --seed N          seed the question choice (for repeatable runs)\n"
                   "Keys (as in README.md and man viva):\n"
                   "  previous  Left, Up, PageUp          next  Right, Down, PageDown\n"
                   "  select    Enter, Space, period      back  Esc, Backspace (a session to "
                   "its summary,\n"
                   "            another screen to home, home towards quitting: it asks first;\n"
                   "            while a question is read or thought about, it skips it)\n"
                   "  0-3 grade an answer, P or B play it, [ and ] seek 5 s; on the review T "
                   "tries again,\n"
                   "  C compares two attempts, R shows the reference answer, Up and Down scroll "
                   "the transcript;\n"
                   "  on the on-screen keyboard Up and Down move a row. Touch, mouse and "
                   "gamepads work too.\n");
            return 1;
        } else {
            fprintf(stderr, "viva run: unknown option '%s'; see 'viva run --help'\n", o);
            return -1;
        }
    }
    return 0;
}

int cmd_run(viva_app *app, int argc, char **argv)
{
    run_options a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    return run_kiosk(app, &a);
}
