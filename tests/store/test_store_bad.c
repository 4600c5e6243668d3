/* test_store_bad.c: bad stores give a clear message, a distinct exit code and the fix, and the
 * file is left exactly as it was (never a silent re-initialisation): truncated and damaged
 * data.mdb, an LMDB file that is not a viva store, a data directory without permission, a
 * schema newer than the program, a second viva on the same directory (same process and
 * another process), a lock and reader slots left by a killed process. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include "check.h"
#include "st_util.h"

/* A store with a profile, some answers and a recording, closed. */
static void make_store(const char *dir)
{
    store *st = st_open_ok(dir);
    if (!st)
        return;
    uint32_t p;
    store_profile_add(st, "Ann", 1, &p);
    for (int i = 0; i < 300; i++) {
        store_response r = st_resp(p, "q-1", i, i % 4);
        store_response_put(st, &r);
    }
    store_rec *rec;
    if (store_rec_begin(st, p, 16000, 0, &rec) == 0) {
        int16_t z[1600] = {0};
        for (int i = 0; i < 30; i++)
            store_rec_append(st, rec, z, 1600);
        store_rec_finish(st, rec, 0, 0);
    }
    store_close(st);
}

static char *slurp(const char *dir, size_t *len)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    FILE *f = fopen(p, "rb");
    if (!f) {
        *len = 0;
        return NULL;
    }
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&sb, buf, n);
    fclose(f);
    *len = sb.len;
    return sb_take(&sb);
}

static void spoil(const char *dir, long off, size_t n, int byte, long truncate_to)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    int fd = open(p, O_RDWR);
    if (fd < 0)
        return;
    if (truncate_to >= 0 && ftruncate(fd, truncate_to) != 0)
        perror("ftruncate");
    if (n) {
        char *junk = xmalloc(n);
        for (size_t i = 0; i < n; i++)
            junk[i] = (char)(byte < 0 ? (int)(i * 131 + 7) : byte);
        if (pwrite(fd, junk, n, off) != (ssize_t)n)
            perror("pwrite");
        free(junk);
    }
    close(fd);
}

/* Opens, expects `want` with its exit code, a message naming dir and containing `text`, and an
 * unchanged data.mdb. */
static void expect_refused(const char *dir, int want, int code, const char *text)
{
    size_t n0, n1;
    char *before = slurp(dir, &n0);
    store *st = NULL;
    char err[1024] = "";
    int e = store_open(dir, 0, &st, err, sizeof err);
    CHECK_MSG(e == want, "got %s (%s), want %s", viva_strerror(e), err, viva_strerror(want));
    CHECK(st == NULL);
    store_close(st);
    CHECK(store_exit_code(e) == code);
    CHECK_MSG(strstr(err, dir) != NULL, "message does not name the directory: %s", err);
    CHECK_MSG(strstr(err, text) != NULL, "message lacks '%s': %s", text, err);
    char *after = slurp(dir, &n1);
    CHECK_MSG(n0 == n1 && (n0 == 0 || memcmp(before, after, n0) == 0), "data.mdb was changed");
    free(before);
    free(after);
}

static void test_truncated(void)
{
    char *dir = st_mktmp("bad");
    make_store(dir);
    int64_t size = st_file_size(dir, "data.mdb");
    CHECK(size > 200000);
    spoil(dir, 0, 0, 0, (long)(size / 2));
    expect_refused(dir, VIVA_ECORRUPT, STORE_EXIT_CORRUPT, "viva restore");
    expect_refused(dir, VIVA_ECORRUPT, STORE_EXIT_CORRUPT, "truncated");
    spoil(dir, 0, 0, 0, 100);
    expect_refused(dir, VIVA_ECORRUPT, STORE_EXIT_CORRUPT, "truncated");
    spoil(dir, 0, 0, 0, 0);
    expect_refused(dir, VIVA_ECORRUPT, STORE_EXIT_CORRUPT, "viva restore");
    CHECK(st_file_size(dir, "data.mdb") == 0);
    st_rmtmp(dir);
}

static void test_damaged_header(void)
{
    char *dir = st_mktmp("bad");
    make_store(dir);
    spoil(dir, 16, 64, -1, -1); /* first meta page */
    expect_refused(dir, VIVA_ECORRUPT, STORE_EXIT_CORRUPT, "viva restore");
    st_rmtmp(dir);
}

/* Garbage over data pages: open or check must report damage, not crash. */
static void test_damaged_pages(void)
{
    char *dir = st_mktmp("bad");
    make_store(dir);
    int64_t size = st_file_size(dir, "data.mdb");
    long psize = sysconf(_SC_PAGESIZE);
    int detected = 0, tries = 0;
    /* Overwrite the page headers of every page after the two meta pages with junk. */
    for (long off = 2 * psize; off < size; off += psize)
        spoil(dir, off, 16, 0xA5, -1);
    store *st = NULL;
    char err[1024] = "";
    int e = store_open(dir, 0, &st, err, sizeof err);
    tries++;
    if (e) {
        detected = e == VIVA_ECORRUPT && strstr(err, "viva restore") != NULL;
        CHECK_MSG(detected, "%s: %s", viva_strerror(e), err);
        CHECK(store_exit_code(e) == STORE_EXIT_CORRUPT);
    } else {
        store_check_report rep;
        int c = store_check(st, &rep);
        detected = c == VIVA_ECORRUPT || rep.problems > 0;
        CHECK(detected);
        store_close(st);
    }
    CHECK(tries == 1);
    st_rmtmp(dir);
}

static void test_not_viva(void)
{
    char *dir = st_mktmp("bad");
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 4);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, "something-else", MDB_CREATE, &dbi);
    MDB_val k = {1, "k"}, v = {1, "v"};
    mdb_put(txn, dbi, &k, &v, 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    expect_refused(dir, VIVA_ECORRUPT, STORE_EXIT_CORRUPT, "not a readable viva store");
    st_rmtmp(dir);
}

static void test_newer_schema(void)
{
    char *dir = st_mktmp("bad");
    make_store(dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    mdb_txn_begin(env, NULL, 0, &txn);
    CHECK(mdb_dbi_open(txn, "meta", 0, &dbi) == 0);
    unsigned char ver[4] = {99, 0, 0, 0};
    MDB_val k = {6, "schema"}, v = {4, ver};
    CHECK(mdb_put(txn, dbi, &k, &v, 0) == 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    expect_refused(dir, VIVA_EVERSION, STORE_EXIT_VERSION, "newer");
    uint32_t found = 0;
    CHECK(store_peek_schema(dir, &found) == 0 && found == 99);
    st_rmtmp(dir);
}

static void test_permission(void)
{
    char *dir = st_mktmp("bad");
    make_store(dir);
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(pfd[0]);
        if (geteuid() == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(97);
        } else if (chmod(dir, 0) != 0) {
            _exit(98);
        }
        store *st = NULL;
        char err[1024] = "";
        int e = store_open(dir, 0, &st, err, sizeof err);
        if (write(pfd[1], err, strlen(err)) < 0)
            _exit(96);
        _exit(store_exit_code(e));
    }
    close(pfd[1]);
    char msg[1024] = "";
    ssize_t n = read(pfd[0], msg, sizeof msg - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(pfd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    chmod(dir, 0700);
    CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == STORE_EXIT_PERM, "exit %d: %s",
              WEXITSTATUS(status), msg);
    CHECK_MSG(strstr(msg, dir) && strstr(msg, "Permission denied") && strstr(msg, "chown"),
              "%s", msg);
    /* Still intact for the owner. */
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    store_close(st);
    st_rmtmp(dir);
}

static void test_second_instance(void)
{
    char *dir = st_mktmp("bad");
    store *a = st_open_ok(dir), *b = NULL;
    char err[1024] = "", pid[32];
    int e = store_open(dir, 0, &b, err, sizeof err);
    CHECK(e == VIVA_EBUSY && b == NULL);
    CHECK(store_exit_code(e) == STORE_EXIT_BUSY);
    snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
    CHECK_MSG(strstr(err, pid) && strstr(err, dir), "%s", err);
    /* Read-only opens (backup, export) work beside it. */
    store_options ro = {.flags = STORE_READONLY};
    CHECK(store_open_ex(dir, &ro, &b, err, sizeof err) == 0);
    store_close(b);
    store_close(a);

    /* Held by another process. */
    int pfd[2];
    CHECK(pipe(pfd) == 0);
    pid_t child = fork();
    if (child == 0) {
        close(pfd[0]);
        store *c = st_open_ok(dir);
        if (write(pfd[1], "x", 1) != 1)
            _exit(1);
        pause();
        store_close(c);
        _exit(0);
    }
    close(pfd[1]);
    char x;
    CHECK(read(pfd[0], &x, 1) == 1);
    close(pfd[0]);
    e = store_open(dir, 0, &b, err, sizeof err);
    CHECK(e == VIVA_EBUSY);
    snprintf(pid, sizeof pid, "pid %ld", (long)child);
    CHECK_MSG(strstr(err, pid) != NULL, "%s", err);
    /* The holder dies: its lock goes with it, the next open succeeds and says so. */
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    st_log_start();
    a = st_open_ok(dir);
    CHECK(a != NULL);
    CHECK(st_log_has("did not shut down cleanly"));
    store_close(a);
    st_rmtmp(dir);
}

/* A child that opens the environment read-only and, if `txn`, starts a read transaction; it
 * signals through the pipe and waits to be killed. */
static pid_t lmdb_child(const char *dir, int txn)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return -1;
    pid_t child = fork();
    if (child == 0) {
        MDB_env *env;
        MDB_txn *t;
        close(pfd[0]);
        mdb_env_create(&env);
        mdb_env_set_maxdbs(env, 32);
        if (mdb_env_open(env, dir, MDB_RDONLY, 0600) ||
            (txn && mdb_txn_begin(env, NULL, MDB_RDONLY, &t)))
            _exit(1);
        if (write(pfd[1], "x", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(pfd[1]);
    char x;
    if (read(pfd[0], &x, 1) != 1)
        child = -1;
    close(pfd[0]);
    return child;
}

/* A killed process that held a read transaction leaves a reader slot. LMDB resets the lock file
 * when nobody has it open, so a live process (a read-only `viva export`, say) keeps it open
 * here; the slot of the dead one must be cleared at open. */
static void test_stale_reader(void)
{
    char *dir = st_mktmp("bad");
    make_store(dir);
    pid_t holder = lmdb_child(dir, 0);
    pid_t reader = lmdb_child(dir, 1);
    CHECK(holder > 0 && reader > 0);
    kill(reader, SIGKILL);
    waitpid(reader, NULL, 0);
    st_log_start();
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    CHECK_MSG(st_log_has("cleared 1 reader slot"), "log: %s", st_log_);
    store_close(st);
    kill(holder, SIGKILL);
    waitpid(holder, NULL, 0);
    st_rmtmp(dir);
}

static void test_no_store(void)
{
    char *dir = st_mktmp("bad");
    store *st = NULL;
    char err[1024];
    int e = store_open(dir, STORE_READONLY, &st, err, sizeof err);
    CHECK(e == VIVA_ENOTFOUND && store_exit_code(e) == STORE_EXIT_NOSTORE);
    CHECK(strstr(err, dir) != NULL);
    e = store_open(dir, STORE_NOCREATE, &st, err, sizeof err);
    CHECK(e == VIVA_ENOTFOUND);
    CHECK(st_file_size(dir, "data.mdb") < 0);
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    signal(SIGPIPE, SIG_IGN);
    RUN(test_truncated);
    RUN(test_damaged_header);
    RUN(test_damaged_pages);
    RUN(test_not_viva);
    RUN(test_newer_schema);
    RUN(test_permission);
    RUN(test_second_instance);
    RUN(test_stale_reader);
    RUN(test_no_store);
    return check_summary("store_bad");
}
