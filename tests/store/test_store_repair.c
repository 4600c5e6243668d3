/* test_store_repair.c: recordings that no answer names (left by the old two-transaction end of
 * an answer, or by a kill while recording) become ungraded answers the candidate can play: at
 * open (with a log line) and with `viva store check --repair` (which prints what it did); plain
 * `viva store check` reports them without changing anything. Real LMDB files; the "crash" is a
 * child process that exits in the middle of a recording. */
#include <fcntl.h>
#include <sys/wait.h>

#include "cli.h"
#include "check.h"
#include "st_util.h"

static char *cfg;

/* Runs viva with stdout in `out` (a file under cfg); returns the exit code. */
static int viva_out(const char *dir, const char *a1, const char *a2, const char *a3, char *out,
                    size_t outlen)
{
    char *argv[8] = {"viva", "--data-dir", (char *)dir};
    int argc = 3;
    const char *more[] = {a1, a2, a3};
    for (int i = 0; i < 3 && more[i]; i++)
        argv[argc++] = (char *)more[i];
    char path[4200];
    snprintf(path, sizeof path, "%s/stdout.txt", cfg);
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    int rc = app_main(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ssize_t n = pread(fd, out, outlen - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    return rc;
}

static void record(store *st, uint32_t p, int64_t t, size_t frames, int finish)
{
    store_rec *rec;
    if (store_rec_begin(st, p, 1000, t, &rec) != 0) {
        CHECK(0);
        return;
    }
    int16_t pcm[500];
    for (int i = 0; i < 500; i++)
        pcm[i] = (int16_t)(i * 31);
    for (size_t n = 0; n < frames; n += 500)
        store_rec_append(st, rec, pcm, 500);
    if (finish)
        CHECK(store_rec_finish(st, rec, 0, 0) == 0);
    else
        _exit(0); /* the crash: the recording stays "recording" */
}

typedef struct {
    store *st;
    int answers, ungraded_playable;
} count_ctx;

static int on_answer(void *ctx, const store_response *r)
{
    count_ctx *c = ctx;
    c->answers++;
    int16_t *pcm = NULL;
    size_t frames = 0;
    if (r->grade == -1 && r->recording &&
        store_rec_read(c->st, r->recording, &pcm, &frames, NULL) == 0 && frames > 0)
        c->ungraded_playable++;
    free(pcm);
    return 0;
}

static count_ctx count(const char *dir, uint32_t p)
{
    count_ctx c = {NULL, 0, 0};
    char err[1024];
    if (store_open(dir, STORE_READONLY, &c.st, err, sizeof err) == 0) {
        store_response_iter(c.st, p, on_answer, &c);
        store_close(c.st);
    }
    return c;
}

/* Two finished recordings without an answer and one cut short by a crash, all written by a
 * child that exits in the middle of the third (no repairing open in between). */
static uint32_t populate(const char *dir)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        store *st = st_open_ok(dir);
        uint32_t p = 0;
        if (!st || store_profile_add(st, "Rae", 1, &p) != 0)
            _exit(1);
        record(st, p, 1000, 2500, 1);
        record(st, p, 2000, 1000, 1);
        store_response r = st_resp(p, "q-1", 3000, 2);
        if (store_response_put(st, &r) != 0)
            _exit(1);
        record(st, p, 4000, 1500, 0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    store *st = NULL;
    char err[1024];
    store_profile pr;
    int found = 0;
    CHECK(store_open(dir, STORE_READONLY, &st, err, sizeof err) == 0);
    CHECK(st && store_profile_find(st, "Rae", &pr, &found) == 0 && found);
    store_close(st);
    return found ? pr.id : 0;
}

static void test_check_repair_command(void)
{
    char *dir = st_mktmp("repair");
    uint32_t p = populate(dir);
    char out[4096];
    /* check reports them, read-only, and changes nothing. */
    CHECK(viva_out(dir, "store", "check", NULL, out, sizeof out) == EXIT_OK);
    CHECK_MSG(strstr(out, "3 recordings that no answer names"), "%s", out);
    CHECK(count(dir, p).answers == 1);
    /* --repair: the open marks the cut one interrupted; all three get an answer. */
    st_log_start();
    CHECK(viva_out(dir, "store", "check", "--repair", out, sizeof out) == EXIT_OK);
    CHECK_MSG(strstr(out, "repair: 1 interrupted recording marked, 3 recordings without an "
                          "answer given an ungraded answer"), "%s", out);
    CHECK_MSG(strstr(out, "consistent"), "%s", out);
    count_ctx c = count(dir, p);
    CHECK_MSG(c.answers == 4 && c.ungraded_playable == 3, "%d answers, %d playable", c.answers,
              c.ungraded_playable);
    /* Once is enough. */
    CHECK(viva_out(dir, "store", "check", "--repair", out, sizeof out) == EXIT_OK);
    CHECK_MSG(strstr(out, "repair: 0 interrupted recordings marked, 0 recordings without"),
              "%s", out);
    CHECK(!strstr(out, "no answer names"));
    CHECK(count(dir, p).answers == 4);
    CHECK(viva_out(dir, "store", "check", "--bogus", out, sizeof out) == EXIT_USAGE);
    st_rmtmp(dir);
}

static void test_repair_at_open(void)
{
    char *dir = st_mktmp("repair-open");
    uint32_t p = populate(dir);
    st_log_start();
    store *st = st_open_ok(dir);
    CHECK(st_log_has("3 recordings that no answer named became ungraded answers the candidate "
                     "can play"));
    CHECK(st_log_has("cut short by a crash"));
    store_repair_report rr;
    CHECK(st && store_repair(st, &rr) == 0 && rr.adopted == 3 && rr.interrupted == 1);
    store_check_report rep;
    CHECK(st && store_check(st, &rep) == 0 && rep.problems == 0 && rep.unnamed == 0);
    store_close(st);
    count_ctx c = count(dir, p);
    CHECK(c.answers == 4 && c.ungraded_playable == 3);
    st_rmtmp(dir);
}

/* Without a crash an open does not search (it would read every answer); --repair does. */
static void test_open_without_crash(void)
{
    char *dir = st_mktmp("repair-clean");
    store *st = st_open_ok(dir);
    uint32_t p = 0;
    CHECK(st && store_profile_add(st, "Uma", 1, &p) == 0);
    record(st, p, 1000, 1000, 1);
    store_close(st);
    st_log_start();
    st = st_open_ok(dir);
    store_check_report rep;
    CHECK(st && store_check(st, &rep) == 0 && rep.unnamed == 1 && rep.problems == 0);
    CHECK(!st_log_has("became ungraded"));
    store_close(st);
    char out[4096];
    CHECK(viva_out(dir, "store", "check", "--repair", out, sizeof out) == EXIT_OK);
    CHECK_MSG(strstr(out, "1 recording without an answer given an ungraded answer"), "%s", out);
    CHECK(count(dir, p).ungraded_playable == 1);
    st_rmtmp(dir);
}

/* A store from before schema 4 (here: the schema number set back to 3): the upgrade searches,
 * as the older viva could leave recordings without an answer. */
static void test_upgrade_adopts(void)
{
    char *dir = st_mktmp("repair-upgrade");
    store *st = st_open_ok(dir);
    uint32_t p = 0;
    CHECK(st && store_profile_add(st, "Vic", 1, &p) == 0);
    record(st, p, 1000, 1000, 1);
    store_close(st);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta;
    CHECK(mdb_env_create(&env) == 0);
    mdb_env_set_maxdbs(env, 32);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    CHECK(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    CHECK(mdb_dbi_open(txn, "meta", 0, &meta) == 0);
    strbuf b = {0};
    enc_u32(&b, 3);
    MDB_val k = {6, "schema"}, v = {b.len, b.s};
    CHECK(mdb_put(txn, meta, &k, &v, 0) == 0);
    CHECK(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
    sb_free(&b);
    st_log_start();
    st = st_open_ok(dir);
    CHECK(st_log_has("migrated schema 3 -> 4"));
    CHECK_MSG(st_log_has("1 recording that no answer named became ungraded answer"), "%s",
              st_log_);
    store_close(st);
    CHECK(count(dir, p).ungraded_playable == 1);
    st_rmtmp(dir);
}

/* The new pair: the answer exists from the recording's start and gets its fields at the end. */
static void test_answer_with_recording(void)
{
    char *dir = st_mktmp("repair-pair");
    store *st = st_open_ok(dir);
    uint32_t p = 0;
    CHECK(st && store_profile_add(st, "Sol", 1, &p) == 0);
    store_response r = st_resp(p, "q-7", 5000, -1);
    store_rec *rec = NULL;
    CHECK(store_rec_begin_answer(st, &r, 1000, 5000, &rec) == 0);
    CHECK(r.id != 0 && r.recording == store_rec_id(rec));
    store_response got;
    int found = 0;
    CHECK(store_response_get(st, r.id, &got, &found) == 0 && found &&
          got.recording == r.recording);
    int16_t pcm[1500] = {0};
    CHECK(store_rec_append(st, rec, pcm, 1500) == 0);
    r.duration_ms = 1500;
    uint64_t id = r.id;
    CHECK(store_rec_finish_answer(st, rec, 0, 0, &r) == 0);
    CHECK(r.id == id);
    CHECK(store_response_get(st, r.id, &got, &found) == 0 && found && got.duration_ms == 1500);
    store_rec_info ri;
    CHECK(store_rec_info_get(st, r.recording, &ri, &found) == 0 && found &&
          ri.state == STORE_REC_DONE && ri.frames == 1500);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.unnamed == 0 &&
          rep.responses == 1);
    store_close(st);
    st_rmtmp(dir);
}

int main(void)
{
    cfg = st_mktmp("repaircfg");
    setenv("XDG_CONFIG_HOME", cfg, 1);
    st_log_start();
    RUN(test_check_repair_command);
    RUN(test_repair_at_open);
    RUN(test_open_without_crash);
    RUN(test_upgrade_adopts);
    RUN(test_answer_with_recording);
    st_rmtmp(cfg);
    return check_summary("store_repair");
}
