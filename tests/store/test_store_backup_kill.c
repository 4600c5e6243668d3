/* test_store_backup_kill.c: backups and exports killed at random moments. Each round forks a
 * child that (a) ends sessions in a loop, each end writing a rotating backup, (b) runs
 * 'viva backup DIR' or (c) runs 'viva export'; the parent kills it with SIGKILL at a random
 * moment (seeded: VIVA_KILL_SEED; rounds per part: VIVA_BACKUP_KILL_ROUNDS, 8 to 40, default
 * 12) and checks what is on disk:
 *   (a) the newest backup store_newest_backup names is complete and restores; the rotation
 *       never left fewer complete backups than it kept before; the next session end removes
 *       what the killed one left and keeps exactly backup_keep complete backups;
 *   (b) DIR holds a complete, restorable data.mdb or nothing at all; a later backup into it
 *       succeeds and leaves data.mdb alone;
 *   (c) the export folder is absent or complete (both files, every answer, every recording
 *       it names), and a later export cleans up after the killed one.
 * Each part requires that some kills landed while the work was being written, so the checks
 * ran against interrupted work; until one has, a part runs more rounds (up to three times as
 * many). The kill moment is drawn from 0 to 1.5 times the measured duration
 * of one uninterrupted run, so it adapts to a slow or busy machine. */
#include <cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "cli.h"
#include "check.h"
#include "file.h"
#include "st_util.h"

#define KEEP 2
#define NANSWERS 8
#define HOUR_MS 3600000LL
#define T0 1700000000000LL

static char *dir, *cfg;
static uint64_t seed_;
static int rounds_;

static uint64_t next_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void sleep_us(int64_t us)
{
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* A store of about 2 MiB: NANSWERS answers, each with an 8-second recording of noise. */
static int populate(void)
{
    store *st = st_open_ok(dir);
    if (!st)
        return -1;
    store_set_backup_keep(st, 0);
    uint32_t p;
    int bad = store_profile_add(st, "kill", 1, &p) != 0;
    static int16_t pcm[16000];
    uint64_t x = 7;
    for (int a = 0; a < NANSWERS && !bad; a++) {
        store_rec *rec;
        bad |= store_rec_begin(st, p, 16000, T0, &rec) != 0;
        for (int s = 0; s < 8 && !bad; s++) {
            for (int i = 0; i < 16000; i++)
                pcm[i] = (int16_t)next_rand(&x);
            bad |= store_rec_append(st, rec, pcm, 16000) != 0;
        }
        uint64_t rid = bad ? 0 : store_rec_id(rec);
        bad |= bad || store_rec_finish(st, rec, 0, 0) != 0;
        char item[32];
        snprintf(item, sizeof item, "k-%d", a);
        store_response r = st_resp(p, item, T0 + a, a % 4);
        r.recording = rid;
        bad |= bad || store_response_put(st, &r) != 0;
    }
    store_close(st);
    return bad ? -1 : 0;
}

static int viva(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5)
{
    char *argv[10] = {"viva", "--data-dir", dir};
    int argc = 3;
    const char *more[] = {a1, a2, a3, a4, a5};
    for (int i = 0; i < 5 && more[i]; i++)
        argv[argc++] = (char *)more[i];
    fflush(NULL);
    return app_main(argc, argv);
}

/* Whether to run round `round` of a part begun at `t0` (now_us): rounds_ rounds, then more
 * (up to 3 * rounds_, within 20 s of the part's start, so a slow emulator stays inside the
 * timeout) until a kill has landed while the work was being written. */
static int more_rounds(int round, int interrupted, int64_t t0)
{
    return round <= rounds_ ||
           (!interrupted && round <= 3 * rounds_ && now_us() - t0 < 20 * 1000000LL);
}

/* Ends one session (writing a rotating backup) at hour `hour` after T0. */
static int end_session(store *st, uint32_t p, int64_t hour)
{
    uint64_t s;
    int64_t t = T0 + hour * HOUR_MS;
    if (store_session_begin(st, p, t, &s))
        return -1;
    return store_session_end(st, s, t + 1000) ? -1 : 0;
}

static uint32_t profile_id(store *st)
{
    store_profile p;
    int found = 0;
    return store_profile_find(st, "kill", &p, &found) == 0 && found ? p.id : 0;
}

/* Child of part (a): session ends in a loop, hours round*1000 + i. */
static void rotating_child(int round, int fd)
{
    store *st = st_open_ok(dir);
    if (!st)
        _exit(2);
    store_set_backup_keep(st, KEEP);
    uint32_t p = profile_id(st);
    if (!p || write(fd, "S", 1) != 1)
        _exit(3);
    for (int i = 0;; i++)
        if (end_session(st, p, (int64_t)round * 1000 + i) || write(fd, "B", 1) != 1)
            _exit(4);
}

/* Runs `fn` in a child killed after `us` microseconds (after its 'S' when it sends one; never
 * when us < 0). Returns 1 when the kill ended it, 0 when it ended by itself with status 0, -1
 * otherwise. */
static int run_killed(void (*fn)(int round, int fd), int round, int64_t us, int wait_start)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        fn(round, fds[1]);
        _exit(0);
    }
    close(fds[1]);
    char c = 0;
    if (wait_start) {
        ssize_t n;
        do
            n = read(fds[0], &c, 1);
        while (n < 0 && errno == EINTR);
        if (n != 1)
            c = 0;
    }
    if (us >= 0) {
        sleep_us(us);
        kill(pid, SIGKILL);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    if (wait_start && c != 'S')
        return -1;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        return 1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Entries of `path` except . and ..; -1 when it cannot be read. `*only` is set to 0 when an
 * entry other than `allowed` (may be NULL) is there. */
static int count_entries(const char *path, const char *allowed, int *only)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        n++;
        if (only && (!allowed || strcmp(de->d_name, allowed)))
            *only = 0;
    }
    closedir(d);
    return n;
}

/* Complete backups under dir/backups (a directory with data.mdb) and other entries; the
 * newest complete one's name into `newest`. */
static void scan_backups(int *complete, int *other, char *newest, size_t len)
{
    char root[4200];
    snprintf(root, sizeof root, "%s/backups", dir);
    *complete = *other = 0;
    newest[0] = '\0';
    DIR *d = opendir(root);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[4500];
        snprintf(p, sizeof p, "%s/%s/data.mdb", root, de->d_name);
        if (de->d_name[0] != '.' && os_file_size(p) >= 0) {
            (*complete)++;
            if (strcmp(de->d_name, newest) > 0)
                snprintf(newest, len, "%s", de->d_name);
        } else {
            (*other)++;
        }
    }
    if (d)
        closedir(d);
}

/* Restores the backup in `src` into a scratch data directory: the real check of a backup. */
static int restores(const char *src, char *err, size_t len)
{
    char *scratch = st_mktmp("bkk-restore");
    int e = store_restore(scratch, src, err, len);
    st_rmtmp(scratch);
    return e == 0;
}

/* Measures one call of fn in a child that is not killed (microseconds, at least 1000). */
static int64_t measure(void (*fn)(int round, int fd), int round)
{
    int64_t t = now_us();
    if (run_killed(fn, round, -1, 0) != 0)
        return -1;
    int64_t us = now_us() - t;
    return us < 1000 ? 1000 : us;
}

static void one_session_child(int round, int fd)
{
    store *st = st_open_ok(dir);
    if (!st)
        _exit(2);
    store_set_backup_keep(st, KEEP);
    uint32_t p = profile_id(st);
    if (!p || end_session(st, p, (int64_t)round * 1000 + 999))
        _exit(3);
    store_close(st);
    (void)fd;
}

static void test_rotating_backup(void)
{
    CHECK(populate() == 0);
    int64_t one = measure(one_session_child, 0);
    CHECK(one > 0);
    if (one <= 0)
        return;
    uint64_t x = seed_ ? seed_ : 1;
    int prev = 1, interrupted = 0, fails = check_failures_;
    int round = 1;
    int64_t t0 = now_us();
    for (; more_rounds(round, interrupted, t0) && check_failures_ == fails; round++) {
        int64_t us = (int64_t)(next_rand(&x) % (uint64_t)(one * 3 / 2));
        int k = run_killed(rotating_child, round, us, 1);
        CHECK_MSG(k == 1, "round %d: the child did not die by the kill (%d)", round, k);
        int complete, other;
        char newest[256], named[4200], err[2048];
        scan_backups(&complete, &other, newest, sizeof newest);
        interrupted += other > 0;
        if (getenv("BKK_DEBUG"))
            fprintf(stderr, "round %d: kill %d after %lld us, %d complete, %d other\n", round,
                    k, (long long)us, complete, other);
        store_newest_backup(dir, named, sizeof named);
        const char *base = strrchr(named, '/');
        CHECK_MSG(named[0] && base && !strcmp(base + 1, newest),
                  "round %d (kill after %.1f ms): the newest backup named is '%s', the newest "
                  "complete one '%s'", round, us / 1000.0, named, newest);
        CHECK_MSG(!named[0] || restores(named, err, sizeof err), "round %d: %s", round, err);
        CHECK_MSG(complete >= (prev < KEEP ? prev : KEEP), "round %d: %d complete backups after "
                  "the kill, %d before", round, complete, prev);
        /* The next session end cleans up and keeps exactly KEEP complete backups. */
        store *st = st_open_ok(dir);
        if (st)
            store_set_backup_keep(st, KEEP);
        CHECK(st && end_session(st, profile_id(st), (int64_t)round * 1000 + 999) == 0);
        store_close(st);
        int other2;
        scan_backups(&prev, &other2, newest, sizeof newest);
        CHECK_MSG(other2 == 0 && prev == KEEP, "round %d: after the next backup %d complete "
                  "backups and %d other entries", round, prev, other2);
    }
    int rounds = round - 1;
    printf("rotating backups: %d rounds, %d killed during a backup (one session end %.1f ms)\n",
           rounds, interrupted, one / 1000.0);
    CHECK_MSG(interrupted > 0, "no kill landed during a backup: the checks saw no partial one");
}

static char out_[4200];

static void backup_cmd_child(int round, int fd)
{
    char d[4300];
    snprintf(d, sizeof d, "%s/b%d", out_, round);
    (void)fd;
    _exit(viva("backup", d, NULL, NULL, NULL) == EXIT_OK ? 0 : 5);
}

static void test_backup_command(void)
{
    char *out = st_mktmp("bkk-out");
    snprintf(out_, sizeof out_, "%s", out);
    int64_t one = measure(backup_cmd_child, 0);
    CHECK(one > 0);
    uint64_t x = (seed_ ? seed_ : 1) + 1;
    int interrupted = 0, fails = check_failures_;
    int round = 1;
    int64_t t0 = now_us();
    for (; one > 0 && more_rounds(round, interrupted, t0) && check_failures_ == fails; round++) {
        int64_t us = (int64_t)(next_rand(&x) % (uint64_t)(one * 3 / 2));
        int k = run_killed(backup_cmd_child, round, us, 0);
        CHECK_MSG(k >= 0, "round %d: viva backup failed by itself", round);
        char d[4300], mdb[4400], err[2048];
        snprintf(d, sizeof d, "%s/b%d", out, round);
        snprintf(mdb, sizeof mdb, "%s/data.mdb", d);
        int only = 1, n = count_entries(d, "data.mdb", &only);
        int done = os_file_size(mdb) >= 0;
        interrupted += !done && n >= 0; /* the folder was made: killed in the backup */
        if (getenv("BKK_DEBUG"))
            fprintf(stderr, "round %d: kill %d after %lld us, done %d, %d entries\n", round, k,
                    (long long)us, done, n);
        CHECK_MSG(only, "round %d (kill after %.1f ms): %s holds more than a data.mdb", round,
                  us / 1000.0, d);
        CHECK_MSG(!done || restores(d, err, sizeof err), "round %d: %s", round, err);
        if (!done) {
            int e = store_restore(dir, d, err, sizeof err);
            CHECK_MSG(e == VIVA_ENOTFOUND, "round %d: restoring an interrupted backup: %d %s",
                      round, e, err);
            CHECK(viva("backup", d, NULL, NULL, NULL) == EXIT_OK);
            only = 1;
            n = count_entries(d, "data.mdb", &only);
            CHECK_MSG(n == 1 && only, "round %d: after a later backup %s holds %d entries",
                      round, d, n);
        }
        (void)n;
    }
    int rounds = round - 1;
    printf("viva backup DIR: %d rounds, %d killed while the backup was written (one run "
           "%.1f ms)\n", rounds, interrupted, one / 1000.0);
    CHECK_MSG(interrupted > 0, "no kill landed while a backup was written");
    st_rmtmp(out);
}

static void export_child(int round, int fd)
{
    char d[4300];
    snprintf(d, sizeof d, "%s/e%d", out_, round);
    (void)fd;
    _exit(viva("export", "--profile", "kill", "--out", d) == EXIT_OK ? 0 : 5);
}

/* 1 when `d` holds a complete export of the NANSWERS answers and nothing else. */
static int export_complete(const char *d, char *why, size_t len)
{
    char p[4500];
    int n = count_entries(d, NULL, NULL);
    snprintf(p, sizeof p, "%s/recordings", d);
    int nrec = count_entries(p, NULL, NULL);
    snprintf(p, sizeof p, "%s/answers.json", d);
    char *text = NULL;
    size_t tl = 0;
    cJSON *root = file_read(p, 1 << 20, &text, &tl) == 0 ? cJSON_Parse(text) : NULL;
    free(text);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "answers"), *a;
    int answers = cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : -1, missing = 0;
    cJSON_ArrayForEach(a, arr) {
        const cJSON *rec = cJSON_GetObjectItemCaseSensitive(a, "recording");
        snprintf(p, sizeof p, "%s/%s", d, cJSON_IsString(rec) ? rec->valuestring : "-");
        missing += os_file_size(p) <= 0;
    }
    cJSON_Delete(root);
    snprintf(p, sizeof p, "%s/answers.csv", d);
    int64_t csv = os_file_size(p);
    snprintf(why, len, "%d entries, %d recordings, %d answers in the JSON, %d recordings it names "
             "missing, answers.csv %lld bytes", n, nrec, answers, missing, (long long)csv);
    return n == 3 && nrec == NANSWERS && answers == NANSWERS && !missing && csv > 0;
}

/* Staging folders an export of `name` into out_ left (hidden siblings). */
static int stages_of(const char *name)
{
    char prefix[300];
    snprintf(prefix, sizeof prefix, ".%s.viva-export-", name);
    DIR *d = opendir(out_);
    struct dirent *de;
    int n = 0;
    while (d && (de = readdir(d)) != NULL)
        n += !strncmp(de->d_name, prefix, strlen(prefix));
    if (d)
        closedir(d);
    return n;
}

static void test_export_command(void)
{
    char *out = st_mktmp("bkk-exp");
    snprintf(out_, sizeof out_, "%s", out);
    int64_t one = measure(export_child, 0);
    CHECK(one > 0);
    uint64_t x = (seed_ ? seed_ : 1) + 2;
    int interrupted = 0, fails = check_failures_;
    int round = 1;
    int64_t t0 = now_us();
    for (; one > 0 && more_rounds(round, interrupted, t0) && check_failures_ == fails; round++) {
        int64_t us = (int64_t)(next_rand(&x) % (uint64_t)(one * 3 / 2));
        int k = run_killed(export_child, round, us, 0);
        CHECK_MSG(k >= 0, "round %d: viva export failed by itself", round);
        char d[4300], name[32], why[512];
        snprintf(name, sizeof name, "e%d", round);
        snprintf(d, sizeof d, "%s/%s", out, name);
        interrupted += stages_of(name) > 0;
        if (count_entries(d, NULL, NULL) >= 0) {
            CHECK_MSG(export_complete(d, why, sizeof why), "round %d (kill after %.1f ms): %s: %s",
                      round, us / 1000.0, d, why);
        } else {
            CHECK(viva("export", "--out", d, NULL, NULL) == EXIT_OK);
            CHECK_MSG(export_complete(d, why, sizeof why), "round %d: after a later export: %s",
                      round, why);
            CHECK_MSG(stages_of(name) == 0, "round %d: the later export left the staging folder",
                      round);
        }
    }
    int rounds = round - 1;
    printf("viva export: %d rounds, %d killed while the export was written (one run %.1f ms)\n",
           rounds, interrupted, one / 1000.0);
    CHECK_MSG(interrupted > 0, "no kill landed while an export was written");
    st_rmtmp(out);
}

int main(void)
{
    const char *s = getenv("VIVA_KILL_SEED"), *r = getenv("VIVA_BACKUP_KILL_ROUNDS");
    seed_ = s && *s ? strtoull(s, NULL, 10) : 20261207;
    rounds_ = r && *r ? atoi(r) : 12;
    rounds_ = rounds_ < 8 ? 8 : rounds_ > 40 ? 40 : rounds_;
    printf("seed %llu, %d rounds per part\n", (unsigned long long)seed_, rounds_);
    alarm(100); /* bounded: ctest's timeout is 120 s */
    dir = st_mktmp("bkk");
    cfg = st_mktmp("bkkcfg");
    setenv("XDG_CONFIG_HOME", cfg, 1);
    st_log_start();
    RUN(test_rotating_backup);
    RUN(test_backup_command);
    RUN(test_export_command);
    st_rmtmp(dir);
    st_rmtmp(cfg);
    return check_summary("store_backup_kill");
}
