/* banks.c: reading bank files from disk and reporting their problems. */
#include "banks.h"
#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "store.h"
#include "verr.h"
#include "vlog.h"

typedef struct {
    int shown, max;
} diag_state;

static void print_diag(void *ctx, const char *file, int line, const char *message)
{
    diag_state *st = ctx;
    if (st->max < 0 || (st->max && st->shown >= st->max))
        return;
    st->shown++;
    if (line > 0)
        fprintf(stderr, "%s:%d: %s\n", file, line, message);
    else
        fprintf(stderr, "%s: %s\n", file, message);
}

int banks_load_file(bank *b, const char *path, int max_messages)
{
    char *text;
    size_t len;
    int e = file_read(path, BANK_FILE_MAX, &text, &len);
    if (e && max_messages < 0) {
        return 1;
    } else if (e) {
        if (e == EFBIG)
            fprintf(stderr, "%s: larger than %u MiB; split it into several files\n", path,
                    BANK_FILE_MAX >> 20);
        else
            fprintf(stderr, "%s: cannot read: %s\n", path, strerror(e));
        return 1;
    }
    diag_state st = {0, max_messages};
    int problems = bank_parse(b, path, text, len, print_diag, &st);
    if (max_messages > 0 && problems > st.shown)
        fprintf(stderr, "%s: %d more problems not shown\n", path, problems - st.shown);
    free(text);
    return problems;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t banks_builtin_files(const viva_app *app, char ***paths)
{
    *paths = NULL;
    char dir[PATH_MAX + 8];
    snprintf(dir, sizeof dir, "%s/bank", app->asset_dir);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t n = 0, cap = 0;
    char **list = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".bank") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            list = xrealloc(list, cap * sizeof *list);
        }
        strbuf sb = {0};
        sb_appendf(&sb, "%s/%s", dir, e->d_name);
        list[n++] = sb_take(&sb);
    }
    closedir(d);
    if (n)
        qsort(list, n, sizeof *list, cmp_str);
    *paths = list;
    return n;
}

void banks_free_list(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int banks_load_configured(const viva_app *app, bank *b)
{
    return banks_load_configured_ex(app, b, 20);
}

int banks_load_configured_ex(const viva_app *app, bank *b, int max_messages)
{
    int problems = 0;
    if (app->cfg.bank_builtin) {
        char **files;
        size_t n = banks_builtin_files(app, &files);
        if (n == 0 && max_messages >= 0) {
            fprintf(stderr, "viva: no built-in bank under %s/bank (set VIVA_ASSET_DIR or "
                            "reinstall viva)\n", app->asset_dir);
            problems++;
        }
        for (size_t i = 0; i < n; i++)
            problems += banks_load_file(b, files[i], max_messages);
        banks_free_list(files, n);
    }
    char list[CFG_STR_MAX];
    strcpy(list, app->cfg.bank_files);
    for (char *save = NULL, *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save))
        problems += banks_load_file(b, p, max_messages);
    return problems;
}

/* ---- imported banks ------------------------------------------------------------------------ */

typedef struct {
    store *st;
    bank *into;
    size_t skipped;
    int failed;
} store_load;

static void log_repeat(void *ctx, const char *file, int line, const char *message)
{
    const char *bank_name = ctx;
    VLOG_W("banks", "imported bank '%s': %s:%d: %s; this question is skipped", bank_name,
           file[0] ? file : "?", line, message);
}

static int load_one_bank(void *ctx, const char *name, uint32_t count, int enabled)
{
    (void)count;
    store_load *c = ctx;
    if (!enabled)
        return 0;
    bank *one = bank_new();
    if (store_bank_load(c->st, name, one, NULL) != VIVA_OK) {
        VLOG_W("banks", "imported bank '%s' could not be read; its questions are skipped", name);
        c->failed = 1;
    }
    for (size_t i = 0; i < bank_count(one); i++)
        if (bank_add(c->into, bank_at(one, i), log_repeat, (void *)name) != 0)
            c->skipped++;
    bank_free(one);
    return 0;
}

size_t banks_load_store(store *st, bank *b)
{
    store_load c = {st, b, 0, 0};
    store_bank_list(st, load_one_bank, &c);
    return c.skipped;
}
