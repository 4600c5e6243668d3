/* test_store_cmd.c: the store's subcommands run in-process through app_main(): profiles
 * (add, list, rename, remove), backup while the store is open, export (CSV, JSON, audio files
 * that libsndfile reads back; private whatever the umask; the only profile by default; a
 * folder that holds files only with --force), restore, and the exit codes for a busy, missing
 * or damaged store. Configuration files of the machine are kept out with XDG_CONFIG_HOME. */
#include <dirent.h>
#include <fcntl.h>
#include <sndfile.h>
#include <sys/stat.h>

#include "cli.h"
#include "check.h"
#include "st_util.h"

static char *dir, *cfg;

static int viva(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
    char *argv[10] = {"viva", "--data-dir", dir};
    int argc = 3;
    const char *more[] = {a1, a2, a3, a4, a5};
    for (int i = 0; i < 5 && more[i]; i++)
        argv[argc++] = (char *)more[i];
    fflush(stdout);
    return app_main(argc, argv);
}

static int contains(const char *path, const char *needle)
{
    char *text;
    size_t len;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    strbuf sb = {0};
    char buf[4096];
    while ((len = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&sb, buf, len);
    fclose(f);
    text = sb_take(&sb);
    int found = strstr(text, needle) != NULL;
    free(text);
    return found;
}

static void populate(void)
{
    store *st = st_open_ok(dir);
    if (!st)
        return;
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1700000000000, &p) == 0);
    bank *b = bank_new();
    bank_item it = {0};
    it.id = "go-chan-1";
    it.topic = "go-concurrency";
    it.level = 2;
    it.question = "What happens when you send on a \"closed\" channel?";
    it.keys[0] = "panic";
    it.keys[1] = "only the sender closes";
    it.nkeys = 2;
    it.file = "";
    CHECK(bank_add(b, &it, NULL, NULL) == 0);
    CHECK(store_bank_put(st, "default", b, 1) == 0);
    bank_free(b);
    store_rec *rec;
    CHECK(store_rec_begin(st, p, 16000, 0, &rec) == 0);
    int16_t pcm[16000];
    for (int i = 0; i < 16000; i++)
        pcm[i] = (int16_t)((i % 40) * 500 - 10000);
    CHECK(store_rec_append(st, rec, pcm, 16000) == 0);
    CHECK(store_rec_append(st, rec, pcm, 8000) == 0);
    uint64_t rid = store_rec_id(rec);
    CHECK(store_rec_finish(st, rec, 0, 0) == 0);
    store_response r = st_resp(p, "go-chan-1", 1700000001000, 3);
    r.recording = rid;
    r.theta_before = -0.25;
    r.theta_after = 0.5;
    CHECK(store_response_put(st, &r) == 0);
    const char *analysis = "{\"transcript\":\"it panics\",\"words\":2,\"talk_seconds\":1.5,"
                           "\"words_per_minute\":80,\"pauses\":0,\"longest_pause\":0,"
                           "\"fillers\":0,\"key_points\":[{\"text\":\"panic\",\"covered\":true,"
                           "\"heard\":\"panics\"},{\"text\":\"only the sender closes\","
                           "\"covered\":false,\"heard\":\"\"}],\"confidence\":0.812,"
                           "\"sure\":true,\"suggested_grade\":2}";
    CHECK(store_analysis_put(st, r.id, analysis, strlen(analysis)) == 0);
    store_response r2 = st_resp(p, "gone-item", 1700000002000, 0);
    CHECK(store_response_put(st, &r2) == 0);
    store_close(st);
}

static void test_commands(void)
{
    char path[8500], out[4200], bk[4200];
    populate();
    CHECK(viva("profiles", "add", "Bob", NULL, NULL) == EXIT_OK);
    CHECK(viva("profiles", "add", "Bob", NULL, NULL) == EXIT_USAGE);
    CHECK(viva("profiles", "rename", "Bob", "Robert", NULL) == EXIT_OK);
    CHECK(viva("profiles", "rename", "Nobody", "X", NULL) == EXIT_USAGE);
    CHECK(viva("profiles", "list", NULL, NULL, NULL) == EXIT_OK);
    CHECK(viva("profiles", "frobnicate", NULL, NULL, NULL) == EXIT_USAGE);

    /* Backup and export work while the store is held (the kiosk runs); profile changes and
     * restore are refused with the busy code. */
    store *held = st_open_ok(dir);
    snprintf(bk, sizeof bk, "%s/bk1", cfg);
    CHECK(viva("backup", bk, NULL, NULL, NULL) == EXIT_OK);
    snprintf(out, sizeof out, "%s/export", cfg);
    CHECK(viva("export", "--profile", "Ann", "--out", out) == EXIT_OK);
    CHECK(viva("profiles", "add", "Cy", NULL, NULL) == STORE_EXIT_BUSY);
    CHECK(viva("restore", bk, NULL, NULL, NULL) == STORE_EXIT_BUSY);
    store_close(held);

    snprintf(path, sizeof path, "%s/answers.csv", out);
    CHECK(contains(path, "\"What happens when you send on a \"\"closed\"\" channel?\""));
    CHECK(contains(path, "\"excellent\""));
    CHECK(contains(path, "2023-11-14T22:13:21.000Z"));
    CHECK(contains(path, "recordings/000001-go-chan-1.wav"));
    /* The analysis: words per minute, key points covered and total, suggested grade,
     * confidence; empty fields for the answer without one. */
    CHECK(contains(path, ",recording,words_per_minute,key_points_covered,key_points_total,"
                         "suggested_grade,confidence\n"));
    CHECK(contains(path, "recordings/000001-go-chan-1.wav\",80.0,1,2,2,0.812\n"));
    CHECK(contains(path, "\"\",,,,,\n"));
    snprintf(path, sizeof path, "%s/answers.json", out);
    CHECK(contains(path, "\"theta_before\":\t-0.25"));
    CHECK(contains(path, "\"grade_label\":\t\"missed\""));
    CHECK(contains(path, "\"recording\":\tnull"));
    CHECK(contains(path, "\"analysis\":\t{"));
    CHECK(contains(path, "\"heard\":\t\"panics\""));
    CHECK(contains(path, "\"suggested_grade\":\t2"));
    CHECK(contains(path, "\"confidence\":\t0.812"));
    CHECK(contains(path, "\"analysis\":\tnull"));
    snprintf(path, sizeof path, "%s/recordings/000001-go-chan-1.wav", out);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    CHECK(sf && info.frames == 24000 && info.samplerate == 16000);
    if (sf)
        sf_close(sf);
    snprintf(out, sizeof out, "%s/export-nobody", cfg);
    CHECK(viva("export", "--profile", "Nobody", "--out", out) == EXIT_USAGE);
    CHECK(viva("export", "--profile", "Ann", NULL, NULL) == EXIT_USAGE);

    /* Remove, then restore brings Ann back. */
    CHECK(viva("profiles", "remove", "Ann", NULL, NULL) == EXIT_OK);
    store *st = st_open_ok(dir);
    store_profile p;
    int found = 1;
    if (st)
        store_profile_find(st, "Ann", &p, &found);
    CHECK(!found);
    store_close(st);
    CHECK(viva("restore", bk, NULL, NULL, NULL) == EXIT_OK);
    st = st_open_ok(dir);
    found = 0;
    if (st)
        store_profile_find(st, "Ann", &p, &found);
    CHECK(found);
    store_close(st);

    /* Missing and damaged stores: distinct codes. */
    CHECK(viva("restore", cfg, NULL, NULL, NULL) == STORE_EXIT_NOSTORE);
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    CHECK(truncate(path, 5000) == 0);
    CHECK(viva("profiles", NULL, NULL, NULL, NULL) == STORE_EXIT_CORRUPT);
    CHECK(viva("backup", bk, NULL, NULL, NULL) == STORE_EXIT_CORRUPT);
    CHECK(viva("restore", bk, NULL, NULL, NULL) == EXIT_OK); /* the fix the message names */
    CHECK(viva("profiles", NULL, NULL, NULL, NULL) == EXIT_OK);
}

/* Runs viva with its standard output captured into `buf`. */
static int viva_out(char *buf, size_t len, const char *a1, const char *a2, const char *a3,
                    const char *a4, const char *a5)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/stdout.txt", cfg);
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (saved < 0 || fd < 0)
        return -1;
    dup2(fd, 1);
    int rc = viva(a1, a2, a3, a4, a5);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ssize_t n = pread(fd, buf, len - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    close(fd);
    return rc;
}

static unsigned mode_of(const char *dir_, const char *name)
{
    char p[8500];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s", dir_, name);
    return stat(p, &sb) == 0 ? (unsigned)(sb.st_mode & 07777) : 0xffff;
}

/* Exports are private whatever the umask; the only profile is the default; a folder that
 * holds files needs --force; the summary counts in words; nothing is left beside the result. */
static void test_export(void)
{
    char out[3000], msg[1024];
    char *old = dir;
    dir = st_mktmp("cmdexp");
    populate();
    static const unsigned masks[] = {022, 0};
    for (int i = 0; i < 2; i++) {
        mode_t was = umask(masks[i]);
        snprintf(out, sizeof out, "%s/exp%d", cfg, i);
        if (i == 1)
            CHECK(mkdir(out, 0777) == 0); /* an empty folder is fine */
        /* Named, then the only profile by default. */
        CHECK(viva_out(msg, sizeof msg, "export", i ? "--out" : "--profile", i ? out : "Ann",
                       i ? NULL : "--out", i ? NULL : out) == EXIT_OK);
        CHECK_MSG(strstr(msg, "exported 2 answers and 1 recording of 'Ann'"), "%s", msg);
        CHECK_MSG(mode_of(out, ".") == 0700, "umask %03o: %s is %03o", masks[i], out,
                  mode_of(out, "."));
        CHECK(mode_of(out, "recordings") == 0700);
        CHECK(mode_of(out, "answers.csv") == 0600);
        CHECK(mode_of(out, "answers.json") == 0600);
        CHECK_MSG(mode_of(out, "recordings/000001-go-chan-1.wav") == 0600, "umask %03o: %03o",
                  masks[i], mode_of(out, "recordings/000001-go-chan-1.wav"));
        umask(was);
    }
    /* Not into a folder that holds files, unless --force; no staging folder stays behind. */
    char path[8500];
    snprintf(path, sizeof path, "%s/answers.csv", out);
    CHECK(truncate(path, 0) == 0);
    CHECK(viva("export", "--out", out, NULL, NULL) == EXIT_USAGE);
    CHECK(st_file_size(out, "answers.csv") == 0);
    CHECK(viva("export", "--out", out, "--force", NULL) == EXIT_OK);
    CHECK(st_file_size(out, "answers.csv") > 0);
    CHECK(mode_of(out, "answers.csv") == 0600);
    DIR *d = opendir(cfg);
    struct dirent *de;
    int stray = 0;
    while (d && (de = readdir(d)) != NULL)
        stray += strstr(de->d_name, "viva-export") != NULL;
    if (d)
        closedir(d);
    CHECK(stray == 0);
    /* A second profile: the name is needed. */
    store *st = st_open_ok(dir);
    uint32_t id;
    CHECK(st && store_profile_add(st, "Bo", 1, &id) == 0);
    store_close(st);
    snprintf(out, sizeof out, "%s/exp-bo", cfg);
    CHECK(viva("export", "--out", out, NULL, NULL) == EXIT_USAGE);
    CHECK(viva_out(msg, sizeof msg, "export", "--profile", "Bo", "--out", out) == EXIT_OK);
    CHECK_MSG(strstr(msg, "exported 0 answers and 0 recordings of 'Bo'"), "%s", msg);
    st_rmtmp(dir);
    dir = old;
}

int main(void)
{
    dir = st_mktmp("cmd");
    cfg = st_mktmp("cmdcfg");
    setenv("XDG_CONFIG_HOME", cfg, 1);
    st_log_start();
    RUN(test_commands);
    RUN(test_export);
    st_rmtmp(dir);
    st_rmtmp(cfg);
    return check_summary("store_cmd");
}
