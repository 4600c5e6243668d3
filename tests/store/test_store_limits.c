/* test_store_limits.c: the map grows by itself (MDB_MAP_FULL never reaches the caller), the
 * size cap gives a clean VIVA_ENOSPC, and a full disk stops a recording with a clear message
 * while everything committed before stays. The full disk is produced three ways: a fault
 * injected through store_options.fault, a real file-size limit (RLIMIT_FSIZE: LMDB's own
 * writes fail with EFBIG), and a real 1 MiB tmpfs when this process may mount one. */
#include <errno.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "check.h"
#include "st_util.h"

static int open_with(const char *dir, store_options *o, store **st)
{
    char err[1024];
    int e = store_open_ex(dir, o, st, err, sizeof err);
    if (e)
        fprintf(stderr, "open: %s\n", err);
    return e;
}

static void test_growth(void)
{
    char *dir = st_mktmp("lim");
    store_options o = {.map_initial = 128 * 1024};
    store *st;
    CHECK(open_with(dir, &o, &st) == 0);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    store_rec *rec;
    CHECK(store_rec_begin(st, p, 16000, 0, &rec) == 0);
    int16_t buf[16000];
    for (int i = 0; i < 16000; i++)
        buf[i] = (int16_t)(i * 3);
    int bad = 0;
    for (int s = 0; s < 300; s++) /* 5 minutes: about 10 MB */
        bad |= store_rec_append(st, rec, buf, 16000) != 0;
    CHECK(!bad);
    CHECK(store_rec_finish(st, rec, 0, 0) == 0);
    uint64_t map, cap, file;
    store_map_info(st, &map, &cap, &file);
    CHECK_MSG(map >= 9600000 && file >= 9600000, "map %llu file %llu",
              (unsigned long long)map, (unsigned long long)file);
    store_close(st);
    /* Reopening with a smaller initial size keeps the grown data readable. */
    CHECK(open_with(dir, &o, &st) == 0);
    if (st) {
        store_check_report rep;
        CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.chunks == 300);
        store_close(st);
    }
out:
    st_rmtmp(dir);
}

static void test_cap(void)
{
    char *dir = st_mktmp("lim");
    store_options o = {.map_initial = 256 * 1024, .map_max = 2 * 1024 * 1024};
    store *st;
    CHECK(open_with(dir, &o, &st) == 0);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    store_response r = st_resp(p, "q-1", 1, 3);
    CHECK(store_response_put(st, &r) == 0);
    store_rec *rec;
    CHECK(store_rec_begin(st, p, 16000, 0, &rec) == 0);
    int16_t buf[16000] = {0};
    int e = 0, secs = 0;
    for (; secs < 200 && !e; secs++)
        e = store_rec_append(st, rec, buf, 16000);
    CHECK(e == VIVA_ENOSPC);
    CHECK(secs > 20 && secs < 80);
    CHECK(store_rec_append(st, rec, buf, 10) == VIVA_ENOSPC);
    uint64_t id = store_rec_id(rec);
    store_rec_finish(st, rec, 0, 0);
    /* Everything committed before is there, and the store still works for reads. */
    store_response g;
    int found;
    CHECK(store_response_get(st, r.id, &g, &found) == 0 && found && g.grade == 3);
    store_rec_info ri;
    CHECK(store_rec_info_get(st, id, &ri, &found) == 0 && found);
    CHECK(ri.frames == (uint64_t)(secs - 1) * 16000);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0);
    store_close(st);
out:
    st_rmtmp(dir);
}

typedef struct {
    int commits_left;
} fault_state;

static int fail_commits(void *ctx, const char *op)
{
    fault_state *f = ctx;
    if (strcmp(op, "commit") == 0 && f->commits_left-- <= 0)
        return ENOSPC;
    return 0;
}

static void test_injected_enospc(void)
{
    char *dir = st_mktmp("lim");
    fault_state f = {1000000};
    store_options o = {.fault = fail_commits, .fault_ctx = &f};
    store *st;
    CHECK(open_with(dir, &o, &st) == 0);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    store_response r = st_resp(p, "q-1", 1, 2);
    CHECK(store_response_put(st, &r) == 0);
    store_rec *rec;
    CHECK(store_rec_begin(st, p, 16000, 0, &rec) == 0);
    int16_t buf[8000] = {0};
    CHECK(store_rec_append(st, rec, buf, 8000) == 0);
    CHECK(store_rec_append(st, rec, buf, 8000) == 0); /* one chunk committed */
    f.commits_left = 0;
    st_log_start();
    CHECK(store_rec_append(st, rec, buf, 8000) == 0); /* buffered */
    CHECK(store_rec_append(st, rec, buf, 8000) == VIVA_ENOSPC);
    CHECK_MSG(st_log_has("disk is full") && st_log_has(dir), "%s", st_log_);
    store_response r2 = st_resp(p, "q-2", 2, 1);
    CHECK(store_response_put(st, &r2) == VIVA_ENOSPC);
    uint64_t id = store_rec_id(rec);
    CHECK(store_rec_finish(st, rec, 0, 0) == VIVA_ENOSPC);
    store_close(st);
    st = st_open_ok(dir);
    CHECK(st != NULL);
    if (st) {
        store_rec_info ri;
        int found;
        CHECK(store_rec_info_get(st, id, &ri, &found) == 0 && found);
        CHECK(ri.frames == 16000 && ri.state == STORE_REC_INTERRUPTED);
        store_response g;
        CHECK(store_response_get(st, r.id, &g, &found) == 0 && found && g.grade == 2);
        store_check_report rep;
        /* The recording no answer named was given an ungraded answer at the open. */
        CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.responses == 2 &&
              rep.unnamed == 0);
        store_close(st);
    }
out:
    st_rmtmp(dir);
}

/* The map can fill at the commit itself (LMDB saves its free list then). store_write grows
 * the map and runs the transaction again: the answer must be saved once, as new, and a
 * replaced answer must keep its id. */
static int full_at_commit(void *ctx, const char *op)
{
    int *n = ctx;
    if (strcmp(op, "commit") != 0 || *n <= 0)
        return 0;
    (*n)--;
    return MDB_MAP_FULL;
}

static void test_full_at_commit(void)
{
    char *dir = st_mktmp("lim");
    int fulls = 0;
    store_options o = {.fault = full_at_commit, .fault_ctx = &fulls};
    store *st;
    CHECK(open_with(dir, &o, &st) == 0);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    uint64_t map0;
    store_map_info(st, &map0, NULL, NULL);
    fulls = 1;
    store_response r = st_resp(p, "q-1", 1, 2);
    store_ability a = {p, "", 1, 0.5, 1, 1};
    CHECK(store_grade_commit(st, &r, &a, 1) == 0 && r.id != 0 && fulls == 0);
    uint64_t map1;
    store_map_info(st, &map1, NULL, NULL);
    CHECK(map1 > map0);
    fulls = 1;
    uint64_t id = r.id;
    r.grade = 3;
    CHECK(store_grade_commit(st, &r, &a, 1) == 0 && r.id == id);
    store_response g;
    int found;
    CHECK(store_response_get(st, id, &g, &found) == 0 && found && g.grade == 3);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0 && rep.responses == 1, "%s (%u answers)", rep.first_problem,
              (unsigned)rep.responses);
    store_close(st);
out:
    st_rmtmp(dir);
}

/* In a child: record until the disk (or file size limit) is full. Exit 0 when the append
 * failed with VIVA_ENOSPC after at least one chunk and one answer were committed; the
 * parent then checks them. */
static void fill_child(const char *dir)
{
    store *st = NULL;
    char err[1024];
    if (store_open(dir, 0, &st, err, sizeof err))
        _exit(10);
    uint32_t p;
    if (store_profile_add(st, "Ann", 1, &p))
        _exit(11);
    store_response r = st_resp(p, "q-1", 1, 3);
    if (store_response_put(st, &r))
        _exit(12);
    store_rec *rec;
    if (store_rec_begin(st, p, 16000, 0, &rec))
        _exit(13);
    int16_t buf[16000];
    for (int i = 0; i < 16000; i++)
        buf[i] = (int16_t)(i * 13);
    int e = 0;
    for (int s = 0; s < 2000 && !e; s++)
        e = store_rec_append(st, rec, buf, 16000);
    int committed = store_rec_committed(rec) > 0;
    store_rec_finish(st, rec, 0, 0);
    store_close(st);
    _exit(e == VIVA_ENOSPC && committed ? 0 : 20 + e);
}

static void verify_after_full(const char *dir)
{
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    store_response g;
    int found;
    CHECK(store_response_get(st, 1, &g, &found) == 0 && found && g.grade == 3);
    store_rec_info ri;
    CHECK(store_rec_info_get(st, 1, &ri, &found) == 0 && found && ri.frames >= 16000);
    CHECK(ri.state == STORE_REC_DONE || ri.state == STORE_REC_INTERRUPTED);
    int16_t *pcm;
    size_t n;
    CHECK(store_rec_read(st, 1, &pcm, &n, NULL) == 0);
    if (n)
        CHECK(pcm[1] == 13 && pcm[n - 1] == (int16_t)(15999 * 13));
    free(pcm);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0, "%s", rep.first_problem);
    store_close(st);
}

static void test_file_size_limit(void)
{
    char *dir = st_mktmp("lim");
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {3 << 20, 3 << 20};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(9);
        fill_child(dir);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    verify_after_full(dir);
    st_rmtmp(dir);
}

static void test_full_tmpfs(void)
{
    char *dir = st_mktmp("lim");
    if (geteuid() != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=1m") != 0) {
        st_rmtmp(dir);
        SKIP("cannot mount a 1 MiB tmpfs here (%s); the injected and RLIMIT_FSIZE cases cover "
             "the same path", geteuid() ? "not root" : strerror(errno));
    }
    pid_t pid = fork();
    if (pid == 0)
        fill_child(dir);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
    verify_after_full(dir);
    /* Still full: opening works (nothing to write), and a new answer fails cleanly. */
    store *st = st_open_ok(dir);
    if (st) {
        store_response r = st_resp(1, "q-9", 9, 1);
        int e = store_response_put(st, &r);
        CHECK(e == VIVA_ENOSPC || e == VIVA_OK);
        store_close(st);
    }
    CHECK(umount(dir) == 0);
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    RUN(test_growth);
    RUN(test_cap);
    RUN(test_injected_enospc);
    RUN(test_full_at_commit);
    RUN(test_file_size_limit);
    RUN(test_full_tmpfs);
    return check_summary("store_limits");
}
