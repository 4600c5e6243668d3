/* test_store_cmd.c: the store's subcommands run in-process through app_main(): profiles
 * (add, list, rename, remove), backup while the store is open, export (CSV, JSON, audio files
 * that libsndfile reads back), restore, and the exit codes for a busy, missing or damaged
 * store. Configuration files of the machine are kept out with XDG_CONFIG_HOME. */
#include <fcntl.h>
#include <sndfile.h>

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
                           "\"covered\":false,\"heard\":\"\"}],\"suggested_grade\":2}";
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
    /* The analysis: words per minute, key points covered and total, suggested grade; empty
     * fields for the answer without one. */
    CHECK(contains(path, ",recording,words_per_minute,key_points_covered,key_points_total,"
                         "suggested_grade\n"));
    CHECK(contains(path, "recordings/000001-go-chan-1.wav\",80.0,1,2,2\n"));
    CHECK(contains(path, "\"\",,,,\n"));
    snprintf(path, sizeof path, "%s/answers.json", out);
    CHECK(contains(path, "\"theta_before\":\t-0.25"));
    CHECK(contains(path, "\"grade_label\":\t\"missed\""));
    CHECK(contains(path, "\"recording\":\tnull"));
    CHECK(contains(path, "\"analysis\":\t{"));
    CHECK(contains(path, "\"heard\":\t\"panics\""));
    CHECK(contains(path, "\"suggested_grade\":\t2"));
    CHECK(contains(path, "\"analysis\":\tnull"));
    snprintf(path, sizeof path, "%s/recordings/000001-go-chan-1.wav", out);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    CHECK(sf && info.frames == 24000 && info.samplerate == 16000);
    if (sf)
        sf_close(sf);
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

int main(void)
{
    dir = st_mktmp("cmd");
    cfg = st_mktmp("cmdcfg");
    setenv("XDG_CONFIG_HOME", cfg, 1);
    st_log_start();
    RUN(test_commands);
    st_rmtmp(dir);
    st_rmtmp(cfg);
    return check_summary("store_cmd");
}
