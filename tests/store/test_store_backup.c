/* test_store_backup.c: hot compacting backups (also while another thread writes), rotating
 * backups at session end (what a killed one left neither counted nor named, and removed by the
 * next), restore (verified first, the old file kept, refused while viva runs,
 * refused for a damaged backup), and compaction making removed profiles' bytes disappear. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>

#include "check.h"
#include "st_util.h"

static int file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&sb, buf, n);
    fclose(f);
    int found = 0;
    size_t nl = strlen(needle);
    for (size_t i = 0; i + nl <= sb.len && !found; i++)
        found = memcmp(sb.s + i, needle, nl) == 0;
    sb_free(&sb);
    return found;
}

static uint64_t count_responses(store *st)
{
    store_check_report rep;
    if (store_check(st, &rep) != 0 || rep.problems)
        return (uint64_t)-1;
    return rep.responses;
}

typedef struct {
    store *st;
    uint32_t p;
    int stop, err, n;
} writer_ctx;

static void *writer(void *vctx)
{
    writer_ctx *c = vctx;
    while (!c->stop && !c->err) {
        store_response r = st_resp(c->p, "w-1", c->n, 1);
        c->err = store_response_put(c->st, &r);
        c->n++;
    }
    return NULL;
}

static void test_backup_restore(void)
{
    char *dir = st_mktmp("bk"), *out = st_mktmp("bkout");
    char dest[4200], err[1024];
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    for (int i = 0; i < 50; i++) {
        store_response r = st_resp(p, "q-1", i, 2);
        CHECK(store_response_put(st, &r) == 0);
    }
    /* Hot: another thread keeps committing during the copy. */
    writer_ctx w = {st, p, 0, 0, 0};
    pthread_t t;
    pthread_create(&t, NULL, writer, &w);
    snprintf(dest, sizeof dest, "%s/b1", out);
    CHECK(store_backup(st, dest, err, sizeof err) == 0);
    w.stop = 1;
    pthread_join(t, NULL);
    CHECK(w.err == 0);
    CHECK(store_backup(st, dest, err, sizeof err) == VIVA_EBUSY); /* never overwrites */

    store *b = NULL;
    CHECK(store_open(dest, STORE_READONLY, &b, err, sizeof err) == 0);
    uint64_t in_backup = b ? count_responses(b) : 0;
    CHECK(in_backup >= 50 && in_backup <= 50 + (uint64_t)w.n);
    store_close(b);

    /* Restore refuses while the store is open (viva running). */
    int e = store_restore(dir, dest, err, sizeof err);
    CHECK(e == VIVA_EBUSY && store_exit_code(e) == STORE_EXIT_BUSY);
    uint64_t before = count_responses(st);
    store_close(st);
    CHECK(store_restore(dir, dest, err, sizeof err) == 0);
    CHECK(st_file_size(dir, "data.mdb.before-restore") > 0);
    st = st_open_ok(dir);
    CHECK(st && count_responses(st) == in_backup && in_backup < before + 1);
    store_close(st);

    /* No backup there / a damaged backup: refused, nothing changed. */
    e = store_restore(dir, out, err, sizeof err);
    CHECK(e == VIVA_ENOTFOUND && store_exit_code(e) == STORE_EXIT_NOSTORE);
    CHECK(strstr(err, out) != NULL);
    char bad[4200], path[4300];
    snprintf(bad, sizeof bad, "%s/b2", out);
    os_mkdir_p(bad, 0700);
    snprintf(path, sizeof path, "%s/data.mdb", bad);
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0 && write(fd, "garbage", 7) == 7);
    close(fd);
    e = store_restore(dir, bad, err, sizeof err);
    CHECK_MSG(e == VIVA_ECORRUPT, "%s", err);
    st = st_open_ok(dir);
    CHECK(st && count_responses(st) == in_backup);
    store_close(st);
out:
    st_rmtmp(dir);
    st_rmtmp(out);
}

static void test_rotation(void)
{
    char *dir = st_mktmp("bk");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    store_set_backup_keep(st, 2);
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    for (int i = 0; i < 4; i++) {
        uint64_t s;
        CHECK(store_session_begin(st, p, 1700000000000 + i * 60000, &s) == 0);
        store_response r = st_resp(p, "q-1", i, 1);
        r.session = s;
        CHECK(store_response_put(st, &r) == 0);
        CHECK(store_session_end(st, s, 1700000000000 + i * 60000 + 30000) == 0);
    }
    char newest[4200], backups[4200];
    store_newest_backup(dir, newest, sizeof newest);
    CHECK(strstr(newest, "20231114-221650-s000004") != NULL);
    snprintf(backups, sizeof backups, "%s/backups", dir);
    int n = 0;
    DIR *d = opendir(backups);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += de->d_name[0] != '.';
    if (d)
        closedir(d);
    CHECK(n == 2);
    store *b = NULL;
    char err[1024];
    CHECK(store_open(newest, STORE_READONLY, &b, err, sizeof err) == 0);
    CHECK(b && count_responses(b) == 4);
    store_close(b);
    store_close(st);
out:
    st_rmtmp(dir);
}

/* What a killed backup left (before staging: backups/<stamp>/data.mdb.tmp alone; now a
 * backups/.tmp-<name> folder) is not named as the newest backup, is not counted by the
 * rotation and is removed by the next session end. */
static void test_partial_backups(void)
{
    char *dir = st_mktmp("bkpart");
    char p1[4200], p2[4200], newest[4200], err[1024];
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    store_set_backup_keep(st, 2);
    uint32_t p;
    uint64_t s;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    for (int i = 0; i < 2; i++) {
        CHECK(store_session_begin(st, p, 1700000000000 + i * 60000, &s) == 0);
        CHECK(store_session_end(st, s, 1700000000000 + i * 60000 + 30000) == 0);
    }
    /* Newer than both complete backups. */
    snprintf(p1, sizeof p1, "%s/backups/20991231-000000-s000009", dir);
    snprintf(p2, sizeof p2, "%s/backups/.tmp-20991231-000001-s000010", dir);
    CHECK(os_mkdir_p(p1, 0700) == 0 && os_mkdir_p(p2, 0700) == 0);
    strcat(p1, "/data.mdb.tmp");
    int fd = open(p1, O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0 && write(fd, "half", 4) == 4);
    close(fd);
    store_newest_backup(dir, newest, sizeof newest);
    CHECK_MSG(strstr(newest, "20231114-221450-s000002") != NULL, "newest: %s", newest);
    *strrchr(p1, '/') = '\0';
    int e = store_restore(dir, p1, err, sizeof err);
    CHECK(e == VIVA_ENOTFOUND);
    CHECK_MSG(strstr(err, "interrupted") && strstr(err, "20231114-221450-s000002"), "%s", err);
    CHECK(store_session_begin(st, p, 1700000200000, &s) == 0);
    CHECK(store_session_end(st, s, 1700000230000) == 0);
    CHECK(!os_is_dir(p1) && !os_is_dir(p2));
    CHECK(st_log_has("removed an unfinished backup"));
    char root[4200];
    snprintf(root, sizeof root, "%s/backups", dir);
    DIR *d = opendir(root);
    struct dirent *de;
    int n = 0, complete = 0;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        n++;
        char mdb[4600];
        snprintf(mdb, sizeof mdb, "%s/%s/data.mdb", root, de->d_name);
        complete += os_file_size(mdb) > 0;
    }
    if (d)
        closedir(d);
    CHECK_MSG(n == 2 && complete == 2, "%d entries, %d complete backups", n, complete);
    store_close(st);
out:
    st_rmtmp(dir);
}

static int no_tmpfile(void *ctx, const char *op)
{
    (void)ctx;
    return strcmp(op, "tmpfile") ? 0 : EOPNOTSUPP;
}

/* Where the file system has no nameless files the backup goes to data.mdb.tmp, renamed when
 * complete; one an interrupted backup left is removed first. */
static void test_backup_named_tmp(void)
{
    char *dir = st_mktmp("bknamed"), *out = st_mktmp("bknamedout");
    char err[1024], path[4200];
    store_options o = {.fault = no_tmpfile};
    store *st = NULL;
    CHECK(store_open_ex(dir, &o, &st, err, sizeof err) == 0);
    uint32_t p;
    CHECK(st && store_profile_add(st, "Ann", 1, &p) == 0);
    snprintf(path, sizeof path, "%s/data.mdb.tmp", out);
    int fd = open(path, O_WRONLY | O_CREAT, 0600);
    CHECK(fd >= 0 && write(fd, "half", 4) == 4);
    close(fd);
    CHECK(st && store_backup(st, out, err, sizeof err) == 0);
    CHECK(st_log_has("removed an unfinished backup"));
    CHECK(st_file_size(out, "data.mdb.tmp") < 0 && st_file_size(out, "data.mdb") > 0);
    store_close(st);
    CHECK_MSG(store_restore(dir, out, err, sizeof err) == 0, "%s", err);
    st_rmtmp(dir);
    st_rmtmp(out);
}

static void test_remove_and_compact(void)
{
    char *dir = st_mktmp("bk");
    char path[4200], err[1024];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    uint32_t secret, keep;
    CHECK(store_profile_add(st, "SecretCandidateQX", 1, &secret) == 0);
    CHECK(store_profile_add(st, "Keeper", 1, &keep) == 0);
    CHECK(store_review_put(st, secret, "q-1", "PRIVATE-NOTE-7781", 17) == 0);
    store_rec *rec;
    CHECK(store_rec_begin(st, secret, 8000, 0, &rec) == 0);
    int16_t pcm[8000];
    for (int i = 0; i < 8000; i++)
        pcm[i] = (int16_t)(i % 2 ? 0x5851 : 0x5a5a); /* "QXZZ" in little-endian bytes */
    CHECK(store_rec_append(st, rec, pcm, 8000) == 0);
    CHECK(store_rec_finish(st, rec, 0, 0) == 0);
    store_response r = st_resp(keep, "q-1", 1, 2);
    CHECK(store_response_put(st, &r) == 0);
    CHECK(file_contains(path, "PRIVATE-NOTE-7781"));
    CHECK(store_profile_remove(st, secret) == 0);
    CHECK(store_compact(st, err, sizeof err) == 0);
    CHECK(!file_contains(path, "SecretCandidateQX"));
    CHECK(!file_contains(path, "PRIVATE-NOTE-7781"));
    CHECK(!file_contains(path, "ZZQXZZQXZZQX"));
    /* The handle keeps working after compaction. */
    store_response g;
    int found;
    CHECK(store_response_get(st, r.id, &g, &found) == 0 && found);
    store_response r2 = st_resp(keep, "q-2", 2, 3);
    CHECK(store_response_put(st, &r2) == 0);
    store_close(st);
    st = st_open_ok(dir);
    CHECK(st && count_responses(st) == 2);
    store_close(st);
out:
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    RUN(test_backup_restore);
    RUN(test_rotation);
    RUN(test_partial_backups);
    RUN(test_backup_named_tmp);
    RUN(test_remove_and_compact);
    return check_summary("store_backup");
}
