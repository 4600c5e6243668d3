/* cmd_import.c: `viva import [--dry-run] [--json] [--name BANK] [--replace] [--disabled] FILE...`
 *
 * Reads interview-question documents (the shapes core/import.h recognises) or viva bank files,
 * and stores them as named banks. Every file is read and parsed before the store is touched:
 * if any file fails (unreadable, too large, binary, empty, no questions, a bank file with a
 * problem), nothing is written. With --name all files go into that one bank, written in one
 * transaction; otherwise each file becomes the bank named after it (file name without
 * directory and extension), one transaction per bank. An existing bank is only overwritten
 * with --replace. Questions that are near-duplicates of questions already in the store (any
 * bank but the one being replaced) or earlier in the same import are flagged, not dropped.
 *
 * --dry-run prints, per file and section, what would be imported; --json prints the same as a
 * JSON array with one object per question (file, section, subsection, topic, question,
 * has_answer, level, line, id, duplicate_of). Neither writes anything.
 *
 * Exit codes: 0 imported (or dry run done), 2 usage or an input problem (nothing written),
 * 1 the store failed, 10-16 the store could not be opened (store.h, STORE_EXIT_*). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banks.h"
#include "cli.h"
#include "file.h"
#include "bank.h"
#include "import.h"
#include "paths.h"
#include "similar.h"
#include "store.h"
#include "topic.h"
#include "utf8.h"
#include "verr.h"

static void import_usage(FILE *out)
{
    fprintf(out,
            "usage: viva import [--dry-run] [--json] [--name BANK] [--replace] [--disabled] "
            "FILE...\n"
            "  Reads markdown or plain-text question lists (or viva .bank files) and stores\n"
            "  them as a named bank (default: each file's name). Nothing is written when any\n"
            "  file has a problem.\n"
            "  --dry-run   show what would be imported, per file and section\n"
            "  --json      the same as JSON, one object per question (implies --dry-run)\n"
            "  --name B    put every file into bank B\n"
            "  --replace   overwrite a bank that already exists\n"
            "  --disabled  store the bank disabled (enable later with 'viva bank enable')\n");
}

typedef struct {
    const char *path;
    char bank_name[STORE_NAME_MAX + 1];
    import_doc doc; /* for documents */
    bank *bfile;    /* for .bank files */
    size_t first;   /* index of this file's first entry in the combined list */
} file_in;

/* One question to store, whichever kind of file it came from. */
typedef struct {
    file_in *f;
    const import_question *q; /* NULL for bank-file items */
    const bank_item *it;      /* NULL for document questions */
    char id[BANK_ID_MAX + 1];
    char dup_id[BANK_ID_MAX + 1]; /* "" = no near-duplicate */
    char dup_bank[STORE_NAME_MAX + 1];
    double dup_score;
} entry;

static void print_diag(void *ctx, const char *file, int line, const char *message)
{
    (void)ctx;
    if (line > 0)
        fprintf(stderr, "%s:%d: %s\n", file, line, message);
    else
        fprintf(stderr, "%s: %s\n", file, message);
}

/* Bank name from a path: the base name without its extension, cut to STORE_NAME_MAX. */
static void name_from_path(const char *path, char *out)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b)
        n = (size_t)(dot - b);
    if (n > STORE_NAME_MAX)
        n = utf8_floor(b, n, STORE_NAME_MAX); /* never inside a character */
    memcpy(out, b, n);
    out[n] = '\0';
    if (!n)
        strcpy(out, "import");
}

/* 1 if s is UTF-8 text without control characters (a bank name, a file name in `source`). */
static int clean_text(const char *s)
{
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return utf8_check(s, strlen(s), NULL);
}

static int read_one(file_in *f)
{
    const char *base = strrchr(f->path, '/');
    if (!clean_text(base ? base + 1 : f->path)) {
        fprintf(stderr, "%s: the file name is not UTF-8 text (or holds a control character); "
                        "rename the file: its name goes into the bank\n", f->path);
        return 1;
    }
    char *text = NULL;
    size_t len = 0;
    int e = file_read(f->path, IMPORT_FILE_MAX, &text, &len);
    if (e == EFBIG) {
        fprintf(stderr, "%s: larger than %u MiB, the importer's limit; split the file\n", f->path,
                IMPORT_FILE_MAX >> 20);
        return 1;
    }
    if (e) {
        fprintf(stderr, "%s: cannot read: %s\n", f->path, strerror(e));
        return 1;
    }
    size_t plen = strlen(f->path);
    int is_bank = (plen > 5 && !strcmp(f->path + plen - 5, ".bank")) ||
                  import_looks_like_bank(text, len);
    int problems;
    if (is_bank) {
        f->bfile = bank_new();
        problems = bank_parse(f->bfile, f->path, text, len, print_diag, NULL);
        if (!problems && bank_count(f->bfile) == 0) {
            fprintf(stderr, "%s: no questions in this bank file\n", f->path);
            problems = 1;
        }
    } else {
        problems = import_parse(f->path, text, len, &f->doc, print_diag, NULL) != VIVA_OK;
    }
    free(text);
    return problems ? 1 : 0;
}

/* ---- a set of (bank, id) pairs, so id clashes are found in linear time ---------------------- */

typedef struct {
    char **keys; /* "bank\nid", open addressing */
    size_t nslots, used;
} idset;

static size_t idset_hash(const char *s)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a, 64-bit on every target */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static char *idset_key(const char *bank_name, const char *id)
{
    strbuf sb = {0};
    sb_appendf(&sb, "%s\n%s", bank_name, id);
    return sb_take(&sb);
}

static int idset_has(const idset *s, const char *bank_name, const char *id)
{
    if (!s->nslots)
        return 0;
    char *k = idset_key(bank_name, id);
    size_t h = idset_hash(k) & (s->nslots - 1);
    int found = 0;
    while (s->keys[h] && !(found = !strcmp(s->keys[h], k)))
        h = (h + 1) & (s->nslots - 1);
    free(k);
    return found;
}

static void idset_add(idset *s, const char *bank_name, const char *id)
{
    if ((s->used + 1) * 2 > s->nslots) {
        size_t nn = s->nslots ? s->nslots * 2 : 1024;
        char **nk = xcalloc(nn, sizeof *nk);
        for (size_t i = 0; i < s->nslots; i++) {
            if (!s->keys[i])
                continue;
            size_t h = idset_hash(s->keys[i]) & (nn - 1);
            while (nk[h])
                h = (h + 1) & (nn - 1);
            nk[h] = s->keys[i];
        }
        free(s->keys);
        s->keys = nk;
        s->nslots = nn;
    }
    char *k = idset_key(bank_name, id);
    size_t h = idset_hash(k) & (s->nslots - 1);
    while (s->keys[h])
        h = (h + 1) & (s->nslots - 1);
    s->keys[h] = k;
    s->used++;
}

static void idset_free(idset *s)
{
    for (size_t i = 0; i < s->nslots; i++)
        free(s->keys[i]);
    free(s->keys);
}

/* ---- near-duplicates --------------------------------------------------------------------- */

typedef struct {
    char **names;
    size_t n;
} name_list;

static int collect_name(void *ctx, const char *name, uint32_t count, int enabled)
{
    (void)count, (void)enabled;
    name_list *l = ctx;
    l->names = xrealloc(l->names, (l->n + 1) * sizeof *l->names);
    l->names[l->n++] = xstrdup(name);
    return 0;
}

typedef struct {
    similar_index *ix;
    char (*ids)[BANK_ID_MAX + 1];
    char (*banks)[STORE_NAME_MAX + 1];
    size_t n;
} known;

static void known_add(known *k, const char *text, const char *id, const char *bankname)
{
    similar_add(k->ix, text);
    k->ids = xrealloc(k->ids, (k->n + 1) * sizeof *k->ids);
    k->banks = xrealloc(k->banks, (k->n + 1) * sizeof *k->banks);
    snprintf(k->ids[k->n], sizeof k->ids[0], "%s", id);
    snprintf(k->banks[k->n], sizeof k->banks[0], "%s", bankname);
    k->n++;
}

/* Questions of every stored bank except those being replaced; they are also added to `all`,
 * each with "file:line (bank 'name')" in `file` (its file as given at its import). */
static void known_from_store(known *k, store *st, file_in *files, int nf, int replace,
                             bank *all)
{
    name_list l = {0};
    store_bank_list(st, collect_name, &l);
    for (size_t i = 0; i < l.n; i++) {
        int skip = 0, target = 0;
        for (int f = 0; f < nf; f++)
            target |= !strcmp(files[f].bank_name, l.names[i]);
        skip = target && replace;
        if (!skip) {
            bank *b = bank_new();
            if (store_bank_load(st, l.names[i], b, NULL) == VIVA_OK)
                for (size_t j = 0; j < bank_count(b); j++) {
                    known_add(k, bank_at(b, j)->question, bank_at(b, j)->id, l.names[i]);
                    if (target) /* refused below unless --replace: "already exists" */
                        continue;
                    bank_item it = *bank_at(b, j);
                    char file[PATH_MAX + STORE_NAME_MAX + 32];
                    snprintf(file, sizeof file, "%s:%d (bank '%s')", it.file, it.line,
                             l.names[i]);
                    it.file = file;
                    bank_add(all, &it, NULL, NULL); /* a repeat among them: the first stays */
                }
            bank_free(b);
        }
        free(l.names[i]);
    }
    free(l.names);
}

/* An entry whose id another stored bank already uses: one of the two would be skipped when
 * viva runs. Names both files; returns EXIT_USAGE if there is one. */
static int repeated_in_store(const entry *es, size_t ne, const bank *stored)
{
    int rc = EXIT_OK;
    for (size_t i = 0; i < ne; i++) {
        const bank_item *o = bank_find(stored, es[i].id);
        if (!o)
            continue;
        const char *file = es[i].it ? es[i].it->file : es[i].f->path;
        int line = es[i].it ? es[i].it->line : es[i].q->line;
        fprintf(stderr, "%s:%d: id '%s' is already used by %s; viva would skip one of the "
                        "two when it runs: give it another id, or --replace that bank\n",
                file, line, es[i].id, o->file);
        rc = EXIT_USAGE;
    }
    return rc;
}

static const char *entry_question(const entry *e)
{
    return e->q ? e->q->question : e->it->question;
}

/* ---- output ---------------------------------------------------------------------------------- */

/* What a document's questions lack and what it did not import (each skipped block is
 * listed on stderr with its file:line as the parser finds it). */
static void print_notes(const file_in *fi)
{
    size_t nokeys = 0;
    for (size_t i = 0; i < fi->doc.count; i++)
        nokeys += fi->doc.q[i].nkeys == 0;
    if (nokeys)
        printf("  %zu question%s without key points: delivery feedback only, no suggested "
               "grade\n", nokeys, nokeys == 1 ? "" : "s");
    if (fi->doc.skipped)
        printf("  %d block%s skipped (each listed above with its line and why)\n",
               fi->doc.skipped, fi->doc.skipped == 1 ? "" : "s");
}

static void print_dry(file_in *files, int nf, entry *es, size_t ne)
{
    for (int f = 0; f < nf; f++) {
        file_in *fi = &files[f];
        size_t n = 0, answered = 0;
        for (size_t i = 0; i < ne; i++)
            if (es[i].f == fi) {
                n++;
                answered += es[i].q ? es[i].q->answer != NULL : es[i].it->answer != NULL;
            }
        if (fi->bfile) {
            printf("%s: viva bank file, %zu questions -> bank '%s'\n", fi->path, n,
                   fi->bank_name);
        } else {
            printf("%s: %s; framing %s%s; %zu questions (%zu with answers) -> bank '%s'\n",
                   fi->path, import_shape_name(fi->doc.shape),
                   import_framing_name(fi->doc.framing),
                   fi->doc.ordered ? ", ordered warm-up to deep" : "", n, answered,
                   fi->bank_name);
            if (fi->doc.title[0])
                printf("  title: %s\n", fi->doc.title);
            if (fi->doc.repaired)
                printf("  repaired %zu characters of damaged encoding\n", fi->doc.repaired);
            print_notes(fi);
        }
        const char *sec = NULL, *sub = NULL;
        for (size_t i = 0; i < ne; i++) {
            entry *e = &es[i];
            if (e->f != fi)
                continue;
            const char *s = e->q ? e->q->section : "", *ss = e->q ? e->q->subsection : "";
            if (!sec || strcmp(sec, s)) {
                size_t c = 0;
                for (size_t j = i; j < ne && es[j].f == fi; j++)
                    c += !strcmp(es[j].q ? es[j].q->section : "", s);
                printf("  section \"%s\": %zu\n", s[0] ? s : "(none)", c);
                sec = s;
                sub = NULL;
            }
            if (ss[0] && (!sub || strcmp(sub, ss))) {
                size_t c = 0;
                for (size_t j = i; j < ne && es[j].f == fi; j++)
                    c += !strcmp(es[j].q->section, s) && !strcmp(es[j].q->subsection, ss);
                printf("    sub-section \"%s\": %zu\n", ss, c);
                sub = ss;
            }
            const bank_item *it = e->it;
            printf("      L%d %-13s %s%s\n", e->q ? e->q->level : it->level,
                   e->q ? e->q->topic : it->topic, entry_question(e),
                   (e->q ? e->q->answer != NULL : it->answer != NULL) ? "  [answer]" : "");
            if (e->dup_id[0])
                printf("        near-duplicate (%.2f) of %s in bank '%s'\n", e->dup_score,
                       e->dup_id, e->dup_bank);
        }
    }
}

static void print_json(entry *es, size_t ne)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; i < ne; i++) {
        entry *e = &es[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", e->f->path);
        cJSON_AddStringToObject(o, "section", e->q ? e->q->section : "");
        cJSON_AddStringToObject(o, "subsection", e->q ? e->q->subsection : "");
        cJSON_AddStringToObject(o, "topic", e->q ? e->q->topic : e->it->topic);
        cJSON_AddStringToObject(o, "question", entry_question(e));
        cJSON_AddBoolToObject(o, "has_answer",
                              e->q ? e->q->answer != NULL : e->it->answer != NULL);
        cJSON_AddNumberToObject(o, "level", e->q ? e->q->level : e->it->level);
        cJSON_AddNumberToObject(o, "line", e->q ? e->q->line : e->it->line);
        cJSON_AddStringToObject(o, "id", e->id);
        cJSON_AddStringToObject(o, "bank", e->f->bank_name);
        if (e->dup_id[0]) {
            cJSON_AddStringToObject(o, "duplicate_of", e->dup_id);
            cJSON_AddNumberToObject(o, "duplicate_score", e->dup_score);
        } else {
            cJSON_AddNullToObject(o, "duplicate_of");
        }
        cJSON_AddItemToArray(arr, o);
    }
    char *s = cJSON_Print(arr);
    puts(s);
    free(s);
    cJSON_Delete(arr);
}

/* ---- the command ------------------------------------------------------------------------------ */

typedef struct {
    const char *name;
    int found;
    uint32_t count;
} exists_ctx;

static int find_bank(void *ctx, const char *name, uint32_t count, int enabled)
{
    (void)enabled;
    exists_ctx *c = ctx;
    if (!strcmp(c->name, name))
        c->found = 1, c->count = count;
    return 0;
}

int cmd_import(viva_app *app, int argc, char **argv)
{
    int dry = 0, json = 0, replace = 0, disabled = 0;
    const char *name = NULL;
    int nf = 0;
    const char **paths = xcalloc((size_t)argc + 1, sizeof *paths);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--dry-run"))
            dry = 1;
        else if (!strcmp(a, "--json"))
            json = dry = 1;
        else if (!strcmp(a, "--replace"))
            replace = 1;
        else if (!strcmp(a, "--disabled"))
            disabled = 1;
        else if (!strcmp(a, "--name") && i + 1 < argc)
            name = argv[++i];
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            import_usage(stdout);
            free(paths);
            return EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "viva import: unknown option '%s'\n", a);
            import_usage(stderr);
            free(paths);
            return EXIT_USAGE;
        } else {
            paths[nf++] = a;
        }
    }
    if (nf == 0) {
        import_usage(stderr);
        free(paths);
        return EXIT_USAGE;
    }
    if (name && (!name[0] || strlen(name) > STORE_NAME_MAX || !clean_text(name))) {
        fprintf(stderr, "viva import: bank name must be 1-%d bytes of UTF-8 text\n",
                STORE_NAME_MAX);
        free(paths);
        return EXIT_USAGE;
    }

    int rc = EXIT_OK;
    file_in *files = xcalloc((size_t)nf, sizeof *files);
    entry *es = NULL;
    size_t ne = 0;
    store *st = NULL;
    known k = {similar_new(), NULL, NULL, 0};
    idset ids = {0};
    bank **banks = NULL, *ref = NULL, *stored = NULL;
    int failed = 0;
    for (int f = 0; f < nf; f++) {
        files[f].path = paths[f];
        if (name)
            snprintf(files[f].bank_name, sizeof files[f].bank_name, "%s", name);
        else
            name_from_path(paths[f], files[f].bank_name);
        failed += read_one(&files[f]);
    }
    if (failed) {
        fprintf(stderr, "viva import: %d of %d file%s could not be imported; nothing was "
                        "written\n", failed, nf, nf == 1 ? "" : "s");
        rc = EXIT_USAGE;
        goto out;
    }

    /* The banks viva runs with besides the store's: an imported id must not repeat theirs. */
    ref = bank_new();
    banks_load_configured_ex(app, ref, -1);

    /* Combined list with ids (unique within each target bank). */
    for (int f = 0; f < nf; f++) {
        size_t n = files[f].bfile ? bank_count(files[f].bfile) : files[f].doc.count;
        es = xrealloc(es, (ne + n + 1) * sizeof *es);
        files[f].first = ne;
        for (size_t i = 0; i < n; i++) {
            entry *e = &es[ne];
            memset(e, 0, sizeof *e);
            e->f = &files[f];
            if (files[f].bfile) {
                e->it = bank_at(files[f].bfile, i);
                snprintf(e->id, sizeof e->id, "%s", e->it->id);
            } else {
                e->q = &files[f].doc.q[i];
                import_make_id(files[f].bank_name, e->q, e->id);
            }
            /* Same id already in this bank (the same question twice) or in the banks viva
             * runs with (it would be skipped there): add -2, -3, ... to a made-up id; a bank
             * file's own id is refused, naming both files. */
            for (int dupn = 2; idset_has(&ids, e->f->bank_name, e->id) ||
                               bank_find(ref, e->id); dupn++) {
                const bank_item *other = bank_find(ref, e->id);
                if (e->it && other) {
                    fprintf(stderr, "%s:%d: id '%s' is already used by %s:%d (%s); viva would "
                                    "skip this question when it runs: give it another id\n",
                            e->it->file, e->it->line, e->id, other->file, other->line,
                            app->cfg.bank_builtin ? "the built-in bank or a configured bank "
                                                    "file" : "a configured bank file");
                    rc = EXIT_USAGE;
                    break;
                }
                if (e->it) {
                    fprintf(stderr, "%s:%d: id '%s' is also used by an earlier file in bank "
                                    "'%s'\n", e->it->file, e->it->line, e->id, e->f->bank_name);
                    rc = EXIT_USAGE;
                    break;
                }
                char base[BANK_ID_MAX + 1];
                import_make_id(files[f].bank_name, e->q, base);
                base[BANK_ID_MAX - 6] = '\0';
                char tmp[BANK_ID_MAX + 16];
                snprintf(tmp, sizeof tmp, "%s-%d", base, dupn % 100000);
                snprintf(e->id, sizeof e->id, "%.*s", BANK_ID_MAX, tmp);
            }
            idset_add(&ids, e->f->bank_name, e->id);
            ne++;
        }
    }
    if (rc != EXIT_OK) {
        fprintf(stderr, "viva import: nothing was written\n");
        goto out;
    }

    /* The store: read-only for a dry run (and only if it exists), writable otherwise. */
    char err[512];
    int e = store_open(app->data_dir, dry ? STORE_READONLY | STORE_NOCREATE : 0, &st, err,
                       sizeof err);
    if (e && !(dry && (e == VIVA_ENOTFOUND))) {
        if (!dry) {
            fprintf(stderr, "viva import: %s\n", err);
            rc = store_exit_code(e);
            goto out;
        }
        fprintf(stderr, "viva import: store not read (%s); near-duplicates are checked within "
                        "the import only\n", err);
    }
    if (st) {
        stored = bank_new();
        known_from_store(&k, st, files, nf, replace, stored);
        rc = repeated_in_store(es, ne, stored);
        if (rc != EXIT_OK) {
            fprintf(stderr, "viva import: nothing was written\n");
            goto out;
        }
    }
    for (size_t i = 0; i < ne; i++) {
        double score;
        long best = similar_best(k.ix, entry_question(&es[i]), SIMILAR_DEFAULT, &score);
        if (best >= 0) {
            snprintf(es[i].dup_id, sizeof es[i].dup_id, "%s", k.ids[best]);
            snprintf(es[i].dup_bank, sizeof es[i].dup_bank, "%s", k.banks[best]);
            es[i].dup_score = score;
        }
        known_add(&k, entry_question(&es[i]), es[i].id, es[i].f->bank_name);
    }

    if (json)
        print_json(es, ne);
    else if (dry)
        print_dry(files, nf, es, ne);
    if (dry)
        goto out;

    /* Build one bank per target name, check the names, then write. */
    int nb = 0;
    banks = xcalloc((size_t)nf, sizeof *banks);
    const char **bnames = xcalloc((size_t)nf, sizeof *bnames);
    for (size_t i = 0; i < ne && rc == EXIT_OK; i++) {
        int b;
        for (b = 0; b < nb && strcmp(bnames[b], es[i].f->bank_name); b++)
            ;
        if (b == nb) {
            bnames[nb] = es[i].f->bank_name;
            banks[nb++] = bank_new();
        }
        bank_item it;
        char source[PATH_MAX + 32];
        if (es[i].it) {
            it = *es[i].it;
        } else {
            const char *base = strrchr(es[i].f->path, '/');
            snprintf(source, sizeof source, "%s:%d", base ? base + 1 : es[i].f->path,
                     es[i].q->line);
            import_to_item(es[i].q, es[i].id, source, &it);
        }
        it.file = (char *)es[i].f->path;
        if (bank_add(banks[b], &it, print_diag, NULL) != 0) {
            fprintf(stderr, "viva import: the question above cannot be stored; nothing was "
                            "written\n");
            rc = EXIT_USAGE;
        }
    }
    for (int b = 0; b < nb && rc == EXIT_OK; b++) {
        exists_ctx c = {bnames[b], 0, 0};
        store_bank_list(st, find_bank, &c);
        if (c.found && !replace) {
            fprintf(stderr, "viva import: bank '%s' already exists (%u questions); use "
                            "--replace to overwrite it or --name to choose another name; "
                            "nothing was written\n", bnames[b], c.count);
            rc = EXIT_USAGE;
        }
    }
    for (int b = 0; b < nb && rc == EXIT_OK; b++) {
        e = store_bank_put(st, bnames[b], banks[b], !disabled);
        if (e) {
            fprintf(stderr, "viva import: writing bank '%s' failed: %s%s\n", bnames[b],
                    viva_strerror(e), b ? " (the banks listed above were written)" : "");
            rc = EXIT_FAIL;
            break;
        }
        size_t dups = 0;
        for (size_t i = 0; i < ne; i++)
            dups += es[i].dup_id[0] && !strcmp(es[i].f->bank_name, bnames[b]);
        printf("imported %zu questions into bank '%s'%s", bank_count(banks[b]), bnames[b],
               disabled ? " (disabled)" : "");
        if (dups)
            printf("; %zu near-duplicates flagged (see --dry-run)", dups);
        printf("\n");
        for (int f = 0; f < nf; f++)
            if (!files[f].bfile && !strcmp(files[f].bank_name, bnames[b]))
                print_notes(&files[f]);
    }
    for (int b = 0; b < nb; b++)
        bank_free(banks[b]);
    free(bnames);
out:
    bank_free(ref);
    bank_free(stored);
    idset_free(&ids);
    store_close(st);
    similar_free(k.ix);
    free(k.ids);
    free(k.banks);
    for (int f = 0; f < nf; f++) {
        import_doc_free(&files[f].doc);
        bank_free(files[f].bfile);
    }
    free(banks);
    free(files);
    free(es);
    free(paths);
    return rc;
}
