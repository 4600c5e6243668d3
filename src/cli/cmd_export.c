/* cmd_export.c: viva export [--profile NAME] --out DIR [--audio wav|flac|ogg] [--force]
 *   [--pin-file FILE]: a profile's answers (with their analysis) as CSV and JSON and its
 * recordings as audio files, written in a private staging folder (0700, files 0600) that is
 * renamed into place, so a killed export leaves no half-written file that looks complete.
 * Opens the store read-only, so it works while the kiosk is running. */
#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banks.h"
#include "cli.h"
#include "cli_pin.h"
#include "cli_store.h"
#include "store.h"
#include "verr.h"

/* ---- export -------------------------------------------------------------------------------- */

typedef struct {
    store *st;
    bank **banks;
    size_t nbanks;
    const char *out, *ext;
    FILE *csv;
    cJSON *arr;
    int errors;
    size_t count, recs;
} export_ctx;

static int add_bank(void *vctx, const char *name, uint32_t count, int enabled)
{
    export_ctx *c = vctx;
    bank *b = bank_new();
    if (store_bank_load(c->st, name, b, NULL) != 0) {
        bank_free(b);
        return 0;
    }
    c->banks = xrealloc(c->banks, (c->nbanks + 1) * sizeof *c->banks);
    c->banks[c->nbanks++] = b;
    return 0;
}

static const bank_item *find_item(export_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->nbanks; i++) {
        const bank_item *it = bank_find(c->banks[i], id);
        if (it)
            return it;
    }
    return NULL;
}

static void csv_field(FILE *f, const char *s, int last)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
    fputc(last ? '\n' : ',', f);
}

static const char *grade_name(int g)
{
    static const char *const names[] = {"missed", "partial", "solid", "excellent"};
    return g >= 0 && g <= 3 ? names[g] : "ungraded";
}

static double secs(int32_t ms)
{
    return ms < 0 ? -1 : ms / 1000.0;
}

/* The answer's analysis (store_analysis_get), parsed; NULL when there is none or it is not
 * JSON (then a warning names the answer). */
static cJSON *load_analysis(export_ctx *c, uint64_t id)
{
    char *text = NULL;
    size_t len = 0;
    int found = 0;
    int e = store_analysis_get(c->st, id, &text, &len, &found);
    if (e) {
        fprintf(stderr, "viva export: analysis of answer %" PRIu64 ": %s\n", id,
                viva_strerror(e));
        c->errors++;
        return NULL;
    }
    if (!found)
        return NULL;
    cJSON *a = cJSON_ParseWithLength(text, len);
    free(text);
    if (!a || !cJSON_IsObject(a)) {
        fprintf(stderr, "viva export: the analysis of answer %" PRIu64 " is not a JSON object; "
                "exported as null\n", id);
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

/* CSV: words_per_minute, key_points_covered, key_points_total, suggested_grade, confidence
 * (empty fields without an analysis or without that member; an analysis saved before
 * confidences existed has an empty confidence, never a made-up one). */
static void csv_analysis(FILE *f, const cJSON *a)
{
    const cJSON *wpm = cJSON_GetObjectItemCaseSensitive(a, "words_per_minute");
    const cJSON *kp = cJSON_GetObjectItemCaseSensitive(a, "key_points");
    const cJSON *sg = cJSON_GetObjectItemCaseSensitive(a, "suggested_grade");
    if (cJSON_IsNumber(wpm))
        fprintf(f, "%.1f", wpm->valuedouble);
    fputc(',', f);
    if (cJSON_IsArray(kp)) {
        int covered = 0, total = 0;
        const cJSON *k;
        cJSON_ArrayForEach(k, kp) {
            total++;
            covered += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "covered"));
        }
        fprintf(f, "%d,%d,", covered, total);
    } else {
        fputs(",,", f);
    }
    const cJSON *conf = cJSON_GetObjectItemCaseSensitive(a, "confidence");
    if (cJSON_IsNumber(sg))
        fprintf(f, "%d,", sg->valueint);
    else if (cJSON_IsString(sg))
        csv_field(f, sg->valuestring, 0);
    else
        fputc(',', f);
    if (cJSON_IsNumber(conf) && conf->valuedouble >= 0 && conf->valuedouble <= 1)
        fprintf(f, "%.3f\n", conf->valuedouble);
    else
        fputc('\n', f);
}

/* fsync (and, when mode is not 0, chmod) the file or folder at `path`. */
static void fsync_path(const char *path, int mode)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    if (mode)
        fchmod(fd, (mode_t)mode);
    fsync(fd);
    close(fd);
}

static int export_one(void *vctx, const store_response *r)
{
    export_ctx *c = vctx;
    cJSON *analysis = load_analysis(c, r->id);
    const bank_item *it = find_item(c, r->item_id);
    const char *topic = r->topic[0] ? r->topic : (it ? it->topic : "");
    const char *question = it ? it->question : "";
    char shown[40], graded[40], file[256] = "";
    cli_iso_time(r->t_ms, shown, sizeof shown);
    cli_iso_time(r->graded_ms, graded, sizeof graded);
    if (r->recording) {
        char path[PATH_MAX + 300];
        snprintf(file, sizeof file, "recordings/%06" PRIu64 "-%s.%s", r->id, r->item_id, c->ext);
        snprintf(path, sizeof path, "%s/%s", c->out, file);
        int e = store_rec_export(c->st, r->recording, path);
        if (!e)
            fsync_path(path, 0600); /* private whatever the umask */
        if (e) {
            fprintf(stderr, "viva export: recording of answer %" PRIu64 ": %s\n", r->id,
                    viva_strerror(e));
            file[0] = '\0';
            c->errors++;
        } else {
            c->recs++;
        }
    }
    char num[32];
    snprintf(num, sizeof num, "%" PRIu64, r->id);
    csv_field(c->csv, num, 0);
    snprintf(num, sizeof num, "%" PRIu64, r->session);
    csv_field(c->csv, num, 0);
    csv_field(c->csv, r->item_id, 0);
    csv_field(c->csv, topic, 0);
    csv_field(c->csv, question, 0);
    fprintf(c->csv, "%d,", r->grade);
    csv_field(c->csv, grade_name(r->grade), 0);
    fprintf(c->csv, "%.4f,%.4f,%.4f,%.4f,", r->theta_before, r->se_before, r->theta_after,
            r->se_after);
    csv_field(c->csv, shown, 0);
    csv_field(c->csv, graded, 0);
    fprintf(c->csv, "%.3f,%.3f,%.3f,%.3f,", secs(r->duration_ms), secs(r->talk_ms),
            secs(r->longest_pause_ms), secs(r->first_word_ms));
    csv_field(c->csv, file, 0);
    csv_analysis(c->csv, analysis);

    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", (double)r->id);
    cJSON_AddNumberToObject(o, "session", (double)r->session);
    cJSON_AddStringToObject(o, "item_id", r->item_id);
    cJSON_AddStringToObject(o, "topic", topic);
    cJSON_AddStringToObject(o, "question", question);
    cJSON_AddNumberToObject(o, "grade", r->grade);
    cJSON_AddStringToObject(o, "grade_label", grade_name(r->grade));
    cJSON_AddNumberToObject(o, "theta_before", r->theta_before);
    cJSON_AddNumberToObject(o, "se_before", r->se_before);
    cJSON_AddNumberToObject(o, "theta_after", r->theta_after);
    cJSON_AddNumberToObject(o, "se_after", r->se_after);
    cJSON_AddStringToObject(o, "shown_at", shown);
    cJSON_AddStringToObject(o, "graded_at", graded);
    cJSON_AddNumberToObject(o, "shown_ms", (double)r->t_ms);
    cJSON_AddNumberToObject(o, "duration_s", secs(r->duration_ms));
    cJSON_AddNumberToObject(o, "talk_s", secs(r->talk_ms));
    cJSON_AddNumberToObject(o, "longest_pause_s", secs(r->longest_pause_ms));
    cJSON_AddNumberToObject(o, "first_word_s", secs(r->first_word_ms));
    if (file[0])
        cJSON_AddStringToObject(o, "recording", file);
    else
        cJSON_AddNullToObject(o, "recording");
    if (analysis)
        cJSON_AddItemToObject(o, "analysis", analysis);
    else
        cJSON_AddNullToObject(o, "analysis");
    cJSON_AddItemToArray(c->arr, o);
    c->count++;
    return 0;
}

/* ---- export: staged in a private folder, then moved into place ----------------------------- */

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* -1 absent, 0 an empty folder, 1 a folder with entries, 2 not a folder (or unreadable). */
static int dir_state(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return errno == ENOENT ? -1 : 2;
    if (!S_ISDIR(sb.st_mode))
        return 2;
    DIR *d = opendir(path);
    if (!d)
        return 2;
    int n = 0;
    struct dirent *de;
    while (!n && (de = readdir(d)) != NULL)
        n = strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

/* Removes a staging folder (two levels: files and recordings/). */
static void rm_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[PATH_MAX + 300];
        snprintf(p, sizeof p, "%s/%s", path, de->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

/* Removes staging folders named `prefix`<pid> in `dir` whose export process is gone (killed). */
static void tidy_stages(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t pl = strlen(prefix);
    while (d && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, prefix, pl))
            continue;
        long pid = strtol(de->d_name + pl, NULL, 10);
        if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char p[PATH_MAX + 300];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        rm_tree(p);
        fprintf(stderr, "viva export: removed %s, left by an export that was interrupted\n", p);
    }
    if (d)
        closedir(d);
}

/* The staging folder (mode 0700): a hidden sibling of `out`, or inside `out` where its parent
 * folder is not writable. *sibling says which. */
static int make_stage(const char *out, char *stage, size_t len, int *sibling)
{
    char parent[PATH_MAX], prefix[PATH_MAX + 32];
    snprintf(parent, sizeof parent, "%s", out);
    size_t n = strlen(parent);
    while (n > 1 && parent[n - 1] == '/')
        parent[--n] = '\0';
    char *slash = strrchr(parent, '/');
    const char *base = slash ? slash + 1 : parent;
    snprintf(prefix, sizeof prefix, ".%s.viva-export-", base);
    if (!slash)
        memmove(parent, ".", 2);
    else if (slash == parent)
        parent[1] = '\0';
    else
        *slash = '\0';
    int e = store_mkdir_p(parent, 0700);
    if (e)
        return e;
    tidy_stages(parent, prefix);
    snprintf(stage, len, "%s/%s%ld", parent, prefix, (long)getpid());
    *sibling = 1;
    if (mkdir(stage, 0700) == 0)
        return 0;
    e = errno;
    int state = dir_state(out);
    if (state < 0 || state == 2)
        return e;
    tidy_stages(out, ".viva-export-");
    snprintf(stage, len, "%s/.viva-export-%ld", out, (long)getpid());
    *sibling = 0;
    return mkdir(stage, 0700) == 0 ? 0 : errno;
}

/* Moves `name` from the staging folder into `out` (replacing a file of that name). */
static int move_in(const char *stage, const char *out, const char *name)
{
    char from[PATH_MAX + 300], to[PATH_MAX + 300];
    snprintf(from, sizeof from, "%s/%s", stage, name);
    snprintf(to, sizeof to, "%s/%s", out, name);
    return rename(from, to) == 0 ? 0 : errno;
}

/* Moves the staged export into `out`: the whole folder in one rename where `out` is absent or
 * empty, else file by file (recordings first, so no answer names a missing file). */
static int publish(const char *stage, int sibling, const char *out)
{
    if (sibling && rename(stage, out) == 0) {
        char parent[PATH_MAX + 64];
        snprintf(parent, sizeof parent, "%s", stage);
        *strrchr(parent, '/') = '\0'; /* make_stage always names the parent */
        fsync_path(parent, 0);
        return 0;
    }
    int e = store_mkdir_p(out, 0700);
    char recs[PATH_MAX + 32], srecs[PATH_MAX + 300];
    snprintf(recs, sizeof recs, "%s/recordings", out);
    snprintf(srecs, sizeof srecs, "%s/recordings", stage);
    if (!e && dir_state(recs) < 0) {
        e = move_in(stage, out, "recordings");
    } else if (!e) {
        DIR *d = opendir(srecs);
        struct dirent *de;
        while (!e && d && (de = readdir(d)) != NULL)
            if (de->d_name[0] != '.')
                e = move_in(srecs, recs, de->d_name);
        if (d)
            closedir(d);
        fsync_path(recs, 0);
    }
    if (!e)
        e = move_in(stage, out, "answers.json");
    if (!e)
        e = move_in(stage, out, "answers.csv");
    fsync_path(out, 0);
    rm_tree(stage);
    return e;
}

static FILE *create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !f)
        close(fd);
    return f;
}

/* fflush, fsync and fclose: 0 when every byte reached the disk. */
static int close_synced(FILE *f)
{
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    return fclose(f) != 0 || bad ? -1 : 0;
}

typedef struct {
    store_profile first;
    int n;
    strbuf names;
} profile_list;

static int on_profile(void *ctx, const store_profile *p)
{
    profile_list *l = ctx;
    if (l->n++ == 0)
        l->first = *p;
    sb_appendf(&l->names, "%s'%s'", l->n > 1 ? ", " : "", p->name);
    return 0;
}

/* The profile named, or the only one when no name is given. EXIT_OK or a message and a code. */
static int pick_profile(viva_app *app, store *st, const char *name, store_profile *p)
{
    int found = 0;
    if (name) {
        if (store_profile_find(st, name, p, &found) == 0 && found)
            return EXIT_OK;
        fprintf(stderr, "viva export: no profile named '%s' in %s; see 'viva profiles'\n", name,
                app->data_dir);
        return EXIT_USAGE;
    }
    profile_list l;
    memset(&l, 0, sizeof l);
    int e = store_profile_list(st, on_profile, &l);
    if (e)
        fprintf(stderr, "viva export: reading the profiles failed: %s\n", viva_strerror(e));
    else if (l.n == 0)
        fprintf(stderr, "viva export: %s holds no profiles yet\n", app->data_dir);
    else if (l.n > 1)
        fprintf(stderr, "viva export: %s holds %d profiles (%s); name one with --profile NAME\n",
                app->data_dir, l.n, sb_str(&l.names));
    else
        *p = l.first;
    sb_free(&l.names);
    return e ? store_exit_code(e) : l.n == 1 ? EXIT_OK : EXIT_USAGE;
}

/* answers.csv, answers.json and recordings/ into the staging folder. EXIT_OK, or a message
 * and a code; c->errors counts answers whose analysis or recording could not be exported. */
static int write_export(viva_app *app, export_ctx *c, const store_profile *p)
{
    char path[PATH_MAX + 320];
    snprintf(path, sizeof path, "%s/recordings", c->out);
    if (mkdir(path, 0700) != 0) {
        fprintf(stderr, "viva export: cannot create %s: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    store_bank_list(c->st, add_bank, c);
    /* The built-in and configured bank files, so built-in questions are named too. */
    bank *files = bank_new();
    banks_load_configured(app, files);
    c->banks = xrealloc(c->banks, (c->nbanks + 1) * sizeof *c->banks);
    c->banks[c->nbanks++] = files;
    snprintf(path, sizeof path, "%s/answers.csv", c->out);
    c->csv = create_private(path);
    if (!c->csv) {
        fprintf(stderr, "viva export: cannot write %s: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    fprintf(c->csv, "id,session,item_id,topic,question,grade,grade_label,theta_before,se_before,"
                    "theta_after,se_after,shown_at,graded_at,duration_s,talk_s,longest_pause_s,"
                    "first_word_s,recording,words_per_minute,key_points_covered,key_points_total,"
                    "suggested_grade,confidence\n");
    int e = store_response_iter(c->st, p->id, export_one, c);
    if (close_synced(c->csv) != 0 || e) {
        fprintf(stderr, "viva export: writing %s failed%s%s\n", path, e ? ": " : "",
                e ? viva_strerror(e) : "");
        return e ? store_exit_code(e) : EXIT_FAIL;
    }
    snprintf(path, sizeof path, "%s/recordings", c->out);
    fsync_path(path, 0);
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "profile", p->name);
    cJSON_AddItemToObject(root, "answers", c->arr);
    c->arr = NULL;
    char *json = cJSON_Print(root);
    cJSON_Delete(root);
    snprintf(path, sizeof path, "%s/answers.json", c->out);
    FILE *f = create_private(path);
    int bad = !f || fputs(json, f) < 0 || fputc('\n', f) < 0;
    if (f && close_synced(f) != 0)
        bad = 1;
    free(json);
    if (bad) {
        fprintf(stderr, "viva export: cannot write %s\n", path);
        return EXIT_FAIL;
    }
    fsync_path(c->out, 0);
    return EXIT_OK;
}

int cmd_export(viva_app *app, int argc, char **argv)
{
    const char *name = NULL, *out = NULL, *fmt = "wav", *pin_file = NULL;
    int force = 0, bad = 0;
    for (int i = 1; i < argc && !bad; i++) {
        if (!strcmp(argv[i], "--profile") && i + 1 < argc)
            name = argv[++i];
        else if (!strcmp(argv[i], "--pin-file") && i + 1 < argc)
            pin_file = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--audio") && i + 1 < argc)
            fmt = argv[++i];
        else if (!strcmp(argv[i], "--force"))
            force = 1;
        else if (strcmp(argv[i], "--help") && strcmp(argv[i], "-h")) {
            fprintf(stderr, "viva export: unexpected argument '%s'\n", argv[i]);
            bad = 1;
        }
    }
    if (cli_want_help(argc, argv) || bad || !out || !out[0] ||
        (strcmp(fmt, "wav") && strcmp(fmt, "flac") && strcmp(fmt, "ogg"))) {
        int help = cli_want_help(argc, argv);
        fprintf(help ? stdout : stderr,
                "usage: viva export [--profile NAME] --out DIR [--audio wav|flac|ogg] [--force]\n"
                "       [--pin-file FILE]\n"
                "Writes DIR/answers.csv and DIR/answers.json (question, topic, grade, ability "
                "before and after,\ntimestamps, durations, the answer's analysis) and each recording as "
                "DIR/recordings/ID-ITEM.wav (or .flac, .ogg Opus).\n"
                "--profile may be left out when there is only one profile. DIR must be new or "
                "empty;\n--force writes into a folder that holds files (files of the same names "
                "are replaced,\nothers left alone). The files are private: 0600, folders 0700.\n"
                "A profile with a PIN is exported only with its PIN: read from stdin, or from "
                "FILE's first line.\n");
        return help ? EXIT_OK : EXIT_USAGE;
    }
    int state = dir_state(out);
    if (state == 2 || (state == 1 && !force)) {
        fprintf(stderr, "viva export: %s %s\n", out,
                state == 2 ? "exists and is not a folder (or cannot be read); choose another --out"
                           : "is not empty; choose a new or empty folder, or add --force to "
                             "write into it (files of the same names are replaced)");
        return EXIT_USAGE;
    }
    store *st;
    int rc = cli_open_store(app, STORE_READONLY, &st, "export");
    if (rc)
        return rc;
    store_profile p;
    rc = pick_profile(app, st, name, &p);
    if (rc) {
        store_close(st);
        return rc;
    }
    if ((rc = cli_export_unlock(&st, app->data_dir, &p, pin_file)) != EXIT_OK) {
        store_close(st);
        return rc;
    }
    char stage[PATH_MAX + 64];
    int sibling = 0;
    int e = make_stage(out, stage, sizeof stage, &sibling);
    if (e) {
        fprintf(stderr, "viva export: cannot create a folder next to or in %s: %s\n", out,
                strerror(e));
        store_close(st);
        return EXIT_FAIL;
    }
    export_ctx c = {st, NULL, 0, stage, fmt, NULL, cJSON_CreateArray(), 0, 0, 0};
    rc = write_export(app, &c, &p);
    if (rc == EXIT_OK && (e = publish(stage, sibling, out)) != 0) {
        fprintf(stderr, "viva export: cannot move the export into %s: %s\n", out, strerror(e));
        rc = EXIT_FAIL;
    }
    if (rc != EXIT_OK)
        rm_tree(stage); /* nothing half-written stays */
    if (rc == EXIT_OK)
        printf("exported %zu %s and %zu %s of '%s' to %s\n", c.count,
               plural(c.count, "answer", "answers"), c.recs,
               plural(c.recs, "recording", "recordings"), p.name, out);
    if (rc == EXIT_OK && c.errors)
        rc = EXIT_FAIL;
    cJSON_Delete(c.arr);
    for (size_t i = 0; i < c.nbanks; i++)
        bank_free(c.banks[i]);
    free(c.banks);
    store_close(st);
    return rc;
}
