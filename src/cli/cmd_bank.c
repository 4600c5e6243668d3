/* cmd_bank.c: `viva bank check|stats [FILE...]` on bank files, `viva bank stats --calibrated`
 * (the questions whose difficulty recalibration moved, from the store), and the banks in the
 * store: `viva bank list`, `enable NAME`, `disable NAME`, `export NAME [--out FILE]`,
 * `remove NAME`.
 *
 * check reports every problem as file:line: message and exits 2 when there is one. export
 * writes the bank text format (bank_format_item), so `viva import` of the exported file gives
 * back the same bank (the round trip tests/import checks). Exit codes: 0 ok, 1 store failure,
 * 2 usage or invalid bank, 3 no such bank in the store (BANK_EXIT_NOTFOUND), 10-16 the store
 * could not be opened (store.h, STORE_EXIT_*). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "banks.h"
#include "recalib.h"
#include "store.h"
#include "topic.h"
#include "verr.h"

enum { BANK_EXIT_NOTFOUND = 3 };

static void bank_usage(FILE *out)
{
    fprintf(out, "usage: viva bank check [FILE...]   validate bank files (default: the built-in "
                 "bank)\n"
                 "       viva bank stats [FILE...]   count questions per topic and level\n"
                 "       viva bank stats --calibrated  questions whose difficulty moved with "
                 "the answers\n"
                 "       viva bank list              banks in the store: questions, enabled\n"
                 "       viva bank enable NAME       use the bank's questions in practice\n"
                 "       viva bank disable NAME      keep the bank but do not ask from it\n"
                 "       viva bank export NAME [--out FILE]  write the bank in the bank format\n"
                 "       viva bank remove NAME       delete the bank from the store\n");
}

/* 1 if `path` names the same file as one of the n paths in `list`. */
static int same_file_in(const char *path, char **list, int n)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(path, a))
        return 0;
    for (int i = 0; i < n; i++)
        if (realpath(list[i], b) && !strcmp(a, b))
            return 1;
    return 0;
}

/* The built-in bank's files that are not among the files named (no messages: `viva bank
 * check` without files checks the built-in bank itself). Returns the questions loaded. */
static size_t load_builtin_quietly(viva_app *app, bank *b, int argc, char **argv)
{
    char **files;
    size_t n = banks_builtin_files(app, &files);
    for (size_t i = 0; i < n; i++)
        if (!same_file_in(files[i], argv, argc))
            banks_load_file(b, files[i], -1);
    banks_free_list(files, n);
    return bank_count(b);
}

/* Loads the named files, or the built-in bank when none are named. */
static int load(viva_app *app, bank *b, int argc, char **argv, int *nfiles)
{
    int problems = 0;
    *nfiles = 0;
    if (argc == 0) {
        char **files;
        size_t n = banks_builtin_files(app, &files);
        if (n == 0) {
            fprintf(stderr, "viva bank: no built-in bank under %s/bank\n", app->asset_dir);
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            problems += banks_load_file(b, files[i], 0);
        *nfiles = (int)n;
        banks_free_list(files, n);
        return problems;
    }
    for (int i = 0; i < argc; i++)
        problems += banks_load_file(b, argv[i], 0);
    *nfiles = argc;
    return problems;
}

static void stats(const bank *b)
{
    size_t n = bank_count(b);
    int by_level[6] = {0};
    printf("%zu questions\n\n%-30s %5s  %4s %4s %4s %4s %4s\n", n, "topic", "total", "L1", "L2",
           "L3", "L4", "L5");
    /* Known topics in table order, then any others in order of first appearance. */
    const char *seen[256];
    int nseen = 0;
    for (size_t t = 0; t <= topic_count(); t++) {
        for (size_t i = 0; i < n; i++) {
            const bank_item *it = bank_at(b, i);
            const char *slug = t < topic_count() ? topic_at(t)->slug : it->topic;
            if (strcmp(it->topic, slug) != 0)
                continue;
            if (t == topic_count()) {
                int dup = topic_find(slug) != NULL;
                for (int k = 0; k < nseen && !dup; k++)
                    dup = strcmp(seen[k], slug) == 0;
                if (dup || nseen == 256)
                    continue;
                seen[nseen++] = slug;
            }
            int lv[6] = {0}, total = 0;
            for (size_t j = 0; j < n; j++) {
                const bank_item *o = bank_at(b, j);
                if (strcmp(o->topic, slug) == 0)
                    lv[o->level]++, total++;
            }
            printf("%-30s %5d  %4d %4d %4d %4d %4d\n", topic_name(slug), total, lv[1], lv[2],
                   lv[3], lv[4], lv[5]);
            break;
        }
    }
    for (size_t i = 0; i < n; i++)
        by_level[bank_at(b, i)->level]++;
    printf("%-30s %5zu  %4d %4d %4d %4d %4d\n", "all", n, by_level[1], by_level[2], by_level[3],
           by_level[4], by_level[5]);
}

/* ---- banks in the store ------------------------------------------------------------------ */

static int open_store(viva_app *app, unsigned flags, store **st, int quiet_if_none)
{
    char err[512];
    int e = store_open(app->data_dir, flags, st, err, sizeof err);
    if (e) {
        if (!(quiet_if_none && e == VIVA_ENOTFOUND))
            fprintf(stderr, "viva bank: %s\n", err);
        return store_exit_code(e);
    }
    return EXIT_OK;
}

static int print_bank(void *ctx, const char *name, uint32_t count, int enabled)
{
    int *n = ctx;
    if ((*n)++ == 0)
        printf("%-40s %9s  %s\n", "bank", "questions", "enabled");
    printf("%-40s %9u  %s\n", name, count, enabled ? "yes" : "no");
    return 0;
}

static int store_cmd(viva_app *app, int argc, char **argv)
{
    const char *sub = argv[1];
    int list = !strcmp(sub, "list");
    const char *name = argc > 2 ? argv[2] : NULL;
    const char *out_path = NULL;
    if (!strcmp(sub, "export") && argc == 5 && !strcmp(argv[3], "--out"))
        out_path = argv[4];
    else if (!strcmp(sub, "export") && argc == 5 && !strcmp(argv[2], "--out"))
        out_path = argv[3], name = argv[4];
    else if ((list && argc != 2) || (!list && argc != 3)) {
        bank_usage(stderr);
        return EXIT_USAGE;
    }
    int ro = list || !strcmp(sub, "export");
    store *st = NULL;
    int rc = open_store(app, ro ? STORE_READONLY | STORE_NOCREATE : 0, &st, list);
    if (rc != EXIT_OK) {
        if (list && rc == STORE_EXIT_NOSTORE) {
            printf("no banks: the store in %s does not exist yet\n", app->data_dir);
            return EXIT_OK;
        }
        return rc;
    }
    int e = VIVA_OK;
    if (list) {
        int n = 0;
        e = store_bank_list(st, print_bank, &n);
        if (!e && n == 0)
            printf("no banks in the store (add one with 'viva import FILE')\n");
    } else if (!strcmp(sub, "enable") || !strcmp(sub, "disable")) {
        e = store_bank_set_enabled(st, name, !strcmp(sub, "enable"));
        if (!e)
            printf("bank '%s' %sd\n", name, sub);
    } else if (!strcmp(sub, "remove")) {
        bank *b = bank_new();
        e = store_bank_load(st, name, b, NULL);
        size_t n = bank_count(b);
        bank_free(b);
        if (!e)
            e = store_bank_remove(st, name);
        if (!e)
            printf("bank '%s' removed (%zu questions)\n", name, n);
    } else {
        bank *b = bank_new();
        size_t skipped = 0;
        e = store_bank_load(st, name, b, &skipped);
        if (!e && skipped) {
            /* Stored by an older viva with text the bank format refuses (invalid UTF-8, a
             * control character): say so rather than drop them unseen. */
            fprintf(stderr, "viva bank export: %zu question%s of bank '%s' left out: %s text "
                            "that is not valid in a bank (re-import the source document)\n",
                    skipped, skipped == 1 ? "" : "s", name, skipped == 1 ? "its" : "their");
            rc = EXIT_USAGE;
        }
        if (!e) {
            strbuf sb = {0};
            for (size_t i = 0; i < bank_count(b); i++)
                bank_format_item(bank_at(b, i), &sb);
            FILE *f = out_path ? fopen(out_path, "wb") : stdout;
            if (!f) {
                fprintf(stderr, "viva bank export: cannot write %s: %s\n", out_path,
                        strerror(errno));
                rc = EXIT_FAIL;
            } else {
                size_t w = fwrite(sb_str(&sb), 1, sb.len, f);
                int bad = w != sb.len || fflush(f) != 0;
                if (out_path)
                    bad |= fclose(f) != 0;
                if (bad) {
                    fprintf(stderr, "viva bank export: writing %s failed: %s\n",
                            out_path ? out_path : "standard output", strerror(errno));
                    rc = EXIT_FAIL;
                } else if (out_path) {
                    printf("exported %zu questions of bank '%s' to %s\n", bank_count(b), name,
                           out_path);
                }
            }
            sb_free(&sb);
        }
        bank_free(b);
    }
    if (e == VIVA_ENOTFOUND) {
        fprintf(stderr, "viva bank %s: there is no bank '%s' in %s (see 'viva bank list')\n", sub,
                name, app->data_dir);
        rc = BANK_EXIT_NOTFOUND;
    } else if (e == VIVA_EINVAL) {
        fprintf(stderr, "viva bank %s: '%s' is not a valid bank name\n", sub, name);
        rc = EXIT_USAGE;
    } else if (e) {
        fprintf(stderr, "viva bank %s: %s\n", sub, viva_strerror(e));
        rc = EXIT_FAIL;
    }
    store_close(st);
    return rc;
}

/* ---- recalibrated difficulty ------------------------------------------------------------ */

#define MOVED_MIN 0.01 /* a shift this large (in levels) counts as moved; shown to 0.01 */

/* `viva bank stats --calibrated`: the stored shifts that apply to the questions practice asks
 * (built-in and configured banks, enabled banks of the store), largest |shift| first. */
static int calibrated(viva_app *app)
{
    store *st = NULL;
    int rc = open_store(app, STORE_READONLY | STORE_NOCREATE, &st, 1);
    if (rc == STORE_EXIT_NOSTORE) {
        printf("no recalibration: there is no store in %s yet (no answers)\n", app->data_dir);
        return EXIT_OK;
    }
    if (rc != EXIT_OK)
        return rc;
    bank *b = bank_new();
    banks_load_configured(app, b);
    store_bank_load(st, NULL, b, NULL);
    recalib_entry *e = NULL;
    size_t n = 0, moved = 0, stale = 0, absent = 0;
    int err = recalib_list(st, b, &e, &n);
    if (err) {
        fprintf(stderr, "viva bank stats: reading the calibration in %s failed: %s\n",
                app->data_dir, viva_strerror(err));
        rc = EXIT_FAIL;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (!e[i].item) {
            absent++;
            continue;
        }
        if (e[i].item->level != e[i].rec.level) {
            stale++;
            continue;
        }
        if (fabs(e[i].rec.shift) < MOVED_MIN)
            continue;
        if (moved++ == 0)
            printf("%-32s %-26s %5s %7s %8s\n", "question", "topic", "level", "shift", "answers");
        printf("%-32s %-26s %5d %+7.2f %8u\n", e[i].id, topic_name(e[i].item->topic),
               e[i].item->level, e[i].rec.shift, (unsigned)e[i].rec.n);
    }
    if (moved)
        printf("\n%zu of %zu questions moved (shift in levels: + = harder than its level says, "
               "- = easier)\n",
               moved, bank_count(b));
    else if (n - absent - stale == 0)
        printf("no question has moved: no graded answers to the %zu questions yet\n",
               bank_count(b));
    else
        printf("no question has moved: %zu questions have answers, none moved by %.2f level or "
               "more\n",
               n - absent - stale, MOVED_MIN);
    if (stale)
        printf("%zu question%s re-levelled since: recalibrated again at the next session end\n",
               stale, stale == 1 ? " was" : "s were");
out:
    free(e);
    bank_free(b);
    store_close(st);
    return rc;
}

int cmd_bank(viva_app *app, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        bank_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    static const char *store_subs[] = {"list", "enable", "disable", "export", "remove"};
    for (size_t i = 0; i < sizeof store_subs / sizeof store_subs[0]; i++)
        if (!strcmp(sub, store_subs[i]))
            return store_cmd(app, argc, argv);
    if (!strcmp(sub, "stats") && argc >= 3 && !strcmp(argv[2], "--calibrated")) {
        if (argc != 3) {
            bank_usage(stderr);
            return EXIT_USAGE;
        }
        return calibrated(app);
    }
    if (strcmp(sub, "check") != 0 && strcmp(sub, "stats") != 0) {
        fprintf(stderr, "viva bank: unknown subcommand '%s'\n", sub);
        bank_usage(stderr);
        return EXIT_USAGE;
    }
    bank *b = bank_new();
    int nfiles;
    /* Checking files: with the built-in bank loaded first (when it is on), so that an id the
     * files repeat is named with both files, as it would be skipped when viva runs. */
    size_t base = !strcmp(sub, "check") && argc > 2 && app->cfg.bank_builtin
                      ? load_builtin_quietly(app, b, argc - 2, argv + 2)
                      : 0;
    int problems = load(app, b, argc - 2, argv + 2, &nfiles);
    if (!strcmp(sub, "stats"))
        stats(b);
    if (problems)
        fprintf(stderr, "viva bank: %d problem%s in %d file%s\n", problems,
                problems == 1 ? "" : "s", nfiles, nfiles == 1 ? "" : "s");
    else if (!strcmp(sub, "check"))
        printf("ok: %zu questions in %d file%s%s\n", bank_count(b) - base, nfiles,
               nfiles == 1 ? "" : "s", base ? " (no id repeats the built-in bank)" : "");
    bank_free(b);
    return problems ? EXIT_USAGE : EXIT_OK;
}
