/* cmd_store.c: the store's subcommands.
 *   viva backup DIR                       hot, compacting copy of the store into DIR
 *   viva restore DIR                      replace the store with the backup in DIR
 *   (viva export is in cmd_export.c)
 *   viva profiles [list | add NAME | rename OLD NEW | remove NAME | pin NAME [--clear]]
 *   viva store check [--repair]           the consistency check; --repair also gives every
 *                                         recording without an answer an ungraded answer
 * backup opens the store read-only, so it works while the kiosk is running; restore
 * and profile changes need the single-instance lock. Exit codes for a store that cannot be
 * opened are STORE_EXIT_* (store.h, README "Store exit codes"). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_pin.h"
#include "cli_store.h"
#include "store.h"
#include "verr.h"

int cli_open_store(viva_app *app, unsigned flags, store **st, const char *cmd)
{
    char err[1024];
    int e = store_open(app->data_dir, flags, st, err, sizeof err);
    if (e) {
        fprintf(stderr, "viva %s: %s\n", cmd, err);
        return store_exit_code(e);
    }
    return EXIT_OK;
}

void cli_iso_time(int64_t ms, char *out, size_t len)
{
    if (ms <= 0) {
        out[0] = '\0';
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        out[0] = '\0';
        return;
    }
    size_t n = strftime(out, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, len - n, ".%03dZ", (int)(ms % 1000));
}

int cli_want_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

/* ---- backup / restore ---------------------------------------------------------------------- */

int cmd_backup(viva_app *app, int argc, char **argv)
{
    if (cli_want_help(argc, argv) || argc != 2) {
        fprintf(argc == 2 ? stdout : stderr,
                "usage: viva backup DIR\n"
                "Writes a compacted copy of the store (%s) to DIR/data.mdb. Safe while viva "
                "runs.\nRestore it with 'viva restore DIR'.\n", app->data_dir);
        return argc == 2 ? EXIT_OK : EXIT_USAGE;
    }
    store *st;
    int rc = cli_open_store(app, STORE_READONLY, &st, "backup");
    if (rc)
        return rc;
    char err[1024];
    int e = store_backup(st, argv[1], err, sizeof err);
    store_close(st);
    if (e) {
        fprintf(stderr, "viva %s\n", err);
        return e == VIVA_EBUSY ? EXIT_USAGE : store_exit_code(e);
    }
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/data.mdb", argv[1]);
    printf("backup written: %s (%.1f MiB)\n", path, (double)store_file_size(path) / 1048576.0);
    return EXIT_OK;
}

int cmd_restore(viva_app *app, int argc, char **argv)
{
    if (cli_want_help(argc, argv) || argc != 2) {
        char newest[PATH_MAX];
        store_newest_backup(app->data_dir, newest, sizeof newest);
        fprintf(argc == 2 ? stdout : stderr,
                "usage: viva restore DIR\n"
                "Replaces the store in %s with the backup in DIR (a directory holding data.mdb,\n"
                "made by 'viva backup' or found under %s/backups; newest: %s).\n"
                "The backup is checked first; the current data.mdb is kept as "
                "data.mdb.before-restore.\nStop viva first.\n",
                app->data_dir, app->data_dir, newest[0] ? newest : "none");
        return argc == 2 ? EXIT_OK : EXIT_USAGE;
    }
    char err[1024];
    int e = store_restore(app->data_dir, argv[1], err, sizeof err);
    if (e) {
        fprintf(stderr, "viva %s\n", err);
        return store_exit_code(e);
    }
    printf("restored %s from %s (the previous store is %s/data.mdb.before-restore)\n",
           app->data_dir, argv[1], app->data_dir);
    return EXIT_OK;
}

/* ---- profiles ------------------------------------------------------------------------------ */

typedef struct {
    store *st;
    int n;
} list_ctx;

static int count_resp(void *ctx, const store_response *r)
{
    (*(size_t *)ctx)++;
    return 0;
}

static int print_profile(void *vctx, const store_profile *p)
{
    list_ctx *c = vctx;
    size_t n = 0;
    store_response_iter(c->st, p->id, count_resp, &n);
    char when[40];
    cli_iso_time(p->created_ms, when, sizeof when);
    printf("%-24s %6zu answers   created %s\n", p->name, n, when[0] ? when : "-");
    c->n++;
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int profile_error(const char *what, const char *name, int e)
{
    if (e == VIVA_EBUSY)
        fprintf(stderr, "viva profiles: a profile named '%s' already exists\n", name);
    else if (e == VIVA_EINVAL)
        fprintf(stderr, "viva profiles: '%s' is not a valid name (1-64 characters, no control "
                "characters)\n", name);
    else
        fprintf(stderr, "viva profiles: %s '%s' failed: %s\n", what, name, viva_strerror(e));
    return e == VIVA_EBUSY || e == VIVA_EINVAL ? EXIT_USAGE : store_exit_code(e);
}

int cmd_profiles(viva_app *app, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "list";
    int clear_pin = !strcmp(sub, "pin") && argc == 4 && !strcmp(argv[3], "--clear");
    int nargs = !strcmp(sub, "list") ? 0
                : !strcmp(sub, "add") || !strcmp(sub, "remove") || !strcmp(sub, "pin") ? 1
                : !strcmp(sub, "rename") ? 2
                                         : -1;
    nargs += clear_pin;
    if (cli_want_help(argc, argv) || nargs < 0 || argc != (argc > 1 ? 2 : 1) + nargs) {
        int help = cli_want_help(argc, argv);
        fprintf(help ? stdout : stderr,
                "usage: viva profiles [list]          list profiles with their answer counts\n"
                "       viva profiles add NAME        add a profile\n"
                "       viva profiles rename OLD NEW  rename a profile\n"
                "       viva profiles remove NAME     delete a profile with all its answers and "
                "recordings\n"
                "                                    (the store is compacted so the bytes are "
                "gone;\n"
                "                                    older backups still hold them)\n"
                "       viva profiles pin NAME [--clear]  set NAME's PIN (4-8 digits, read "
                "twice from stdin)\n"
                "                                    or remove it; the kiosk and export ask "
                "for it\n");
        return help ? EXIT_OK : EXIT_USAGE;
    }
    store *st;
    /* Listing only reads: read-only media and a running viva do not stop it. */
    int rc = cli_open_store(app, !strcmp(sub, "list") ? STORE_READS : 0, &st, "profiles");
    if (rc)
        return rc;
    store_set_backup_keep(st, 0);
    store_profile p;
    int found = 0, e = 0;
    if (!strcmp(sub, "list")) {
        list_ctx c = {st, 0};
        e = store_profile_list(st, print_profile, &c);
        if (!e && c.n == 0)
            printf("no profiles yet; add one with 'viva profiles add NAME'\n");
        rc = e ? store_exit_code(e) : EXIT_OK;
    } else if (!strcmp(sub, "add")) {
        uint32_t id;
        e = store_profile_add(st, argv[2], now_ms(), &id);
        rc = e ? profile_error("adding", argv[2], e) : EXIT_OK;
        if (!e)
            printf("added profile '%s'\n", argv[2]);
    } else {
        e = store_profile_find(st, argv[2], &p, &found);
        if (e || !found) {
            fprintf(stderr, "viva profiles: no profile named '%s'\n", argv[2]);
            rc = e ? store_exit_code(e) : EXIT_USAGE;
        } else if (!strcmp(sub, "pin")) {
            rc = cli_profiles_pin(st, &p, clear_pin);
        } else if (!strcmp(sub, "rename")) {
            e = store_profile_rename(st, p.id, argv[3]);
            rc = e ? profile_error("renaming", argv[3], e) : EXIT_OK;
            if (!e)
                printf("renamed '%s' to '%s'\n", argv[2], argv[3]);
        } else {
            e = store_profile_remove(st, p.id);
            char err[1024];
            if (!e && store_compact(st, err, sizeof err) != 0)
                fprintf(stderr, "viva profiles: removed, but compacting failed: %s\n", err);
            rc = e ? profile_error("removing", argv[2], e) : EXIT_OK;
            if (!e)
                printf("removed profile '%s' with its answers and recordings\n", argv[2]);
        }
    }
    store_close(st);
    return rc;
}

/* ---- store check --------------------------------------------------------------------------- */

int cmd_store(viva_app *app, int argc, char **argv)
{
    int repair = argc == 3 && !strcmp(argv[2], "--repair");
    if (cli_want_help(argc, argv) || argc < 2 || strcmp(argv[1], "check") != 0 ||
        (argc == 3 && !repair) || argc > 3) {
        int help = cli_want_help(argc, argv);
        fprintf(help ? stdout : stderr,
                "usage: viva store check [--repair]\n"
                "Reads every record of the store (%s), follows the references between them and "
                "checks the checksum of every audio chunk.\n"
                "--repair: recordings cut short by a crash are marked interrupted and every "
                "recording that no answer names becomes an ungraded answer (needs the store to "
                "itself: stop viva first).\n", app->data_dir);
        return help ? EXIT_OK : EXIT_USAGE;
    }
    store *st;
    int rc = cli_open_store(app, repair ? STORE_NOCREATE : STORE_READONLY, &st, "store check");
    if (rc)
        return rc;
    int e = 0;
    if (repair) {
        store_repair_report rr;
        e = store_repair(st, &rr);
        if (e)
            fprintf(stderr, "viva store check: the repair failed: %s\n", viva_strerror(e));
        else
            printf("repair: %" PRIu64 " interrupted recording%s marked, %" PRIu64
                   " recording%s without an answer given an ungraded answer\n",
                   rr.interrupted, rr.interrupted == 1 ? "" : "s", rr.adopted,
                   rr.adopted == 1 ? "" : "s");
    }
    store_check_report rep;
    int c = e ? e : store_check(st, &rep);
    if (!e) {
        printf("%" PRIu64 " profiles, %" PRIu64 " sessions, %" PRIu64 " answers, %" PRIu64
               " recordings (%" PRIu64 " audio chunks), %" PRIu64 " analyses, %" PRIu64
               " banks, %" PRIu64 " items\n", rep.profiles, rep.sessions, rep.responses,
               rep.recordings, rep.chunks, rep.analyses, rep.banks, rep.items);
        if (rep.unnamed)
            printf("%" PRIu64 " recording%s that no answer names (viva store check --repair "
                   "gives %s an ungraded answer)\n", rep.unnamed, rep.unnamed == 1 ? "" : "s",
                   rep.unnamed == 1 ? "it" : "each");
        if (c)
            fprintf(stderr, "viva store check: %s: %s\n", store_dir(st), viva_strerror(c));
        else if (rep.problems)
            printf("%" PRIu64 " problem%s; the first: %s\n", rep.problems,
                   rep.problems == 1 ? "" : "s", rep.first_problem);
        else
            printf("consistent\n");
    }
    store_close(st);
    if (e || c)
        return store_exit_code(e ? e : c);
    return rep.problems ? STORE_EXIT_CORRUPT : EXIT_OK;
}
