/* test_store_crash.c: power-cut simulation. A child process records answers and grades them in
 * a loop, reporting on a pipe each thing the store said was committed (a grade, a second of
 * audio); the parent kills it with SIGKILL at a random moment, at least 200 times (override
 * with VIVA_CRASH_ITERS). After every kill the store must open, hold every grade and every
 * committed second ever reported, have no orphaned audio or broken references (store_check),
 * and an ability history with exactly one point per graded answer, in order. The child sleeps
 * nowhere: kills land during opens, recovery, appends, commits and closes. */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "check.h"
#include "st_util.h"

#define RATE 8000

static void say(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(int fd, const char *fmt, ...)
{
    char line[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (write(fd, line, (size_t)n) != n) /* < PIPE_BUF: atomic */
        _exit(3);
}

static int count_overall(void *ctx, const store_ability *a)
{
    (*(uint32_t *)ctx)++;
    return 0;
}

static void child(const char *dir, int fd, unsigned seed)
{
    store *st = NULL;
    char err[1024];
    if (store_open(dir, 0, &st, err, sizeof err)) {
        fprintf(stderr, "child: %s\n", err);
        _exit(2);
    }
    store_set_backup_keep(st, 0);
    say(fd, "S\n"); /* open: the parent starts its kill timer (emulators start slowly) */
    store_profile p;
    int found;
    uint32_t pid;
    if (store_profile_find(st, "crash", &p, &found) || (!found &&
                                                         store_profile_add(st, "crash", 1, &pid)))
        _exit(4);
    if (found)
        pid = p.id;
    uint32_t n = 0;
    if (store_ability_iter(st, pid, "", count_overall, &n))
        _exit(5);
    uint64_t session;
    if (store_session_begin(st, pid, 1, &session))
        _exit(6);
    int16_t buf[RATE / 10];
    for (int i = 0; i < RATE / 10; i++)
        buf[i] = (int16_t)(i * 37);
    for (unsigned q = seed;; q++) {
        store_rec *rec;
        if (store_rec_begin(st, pid, RATE, q, &rec))
            _exit(7);
        uint64_t rid = store_rec_id(rec), last = 0;
        int tenths = 5 + (int)(q % 20); /* 0.5 .. 2.4 s */
        for (int t = 0; t < tenths; t++) {
            if (store_rec_append(st, rec, buf, RATE / 10))
                _exit(8);
            if (store_rec_committed(rec) != last) {
                last = store_rec_committed(rec);
                say(fd, "R %llu %llu\n", (unsigned long long)rid, (unsigned long long)last);
            }
        }
        if (store_rec_finish(st, rec, 0, 0))
            _exit(9);
        store_response r = st_resp(pid, "crash-q", (int64_t)q * 1000, (int)(q % 4));
        r.session = session;
        r.recording = rid;
        store_ability a[2] = {{pid, "", r.t_ms, 0.001 * q, 0.5, n + 1},
                              {pid, "go-concurrency", r.t_ms, 0.002 * q, 0.6, n + 1}};
        if (store_grade_commit(st, &r, a, 2))
            _exit(10);
        n++;
        say(fd, "G %llu %d %u\n", (unsigned long long)r.id, r.grade, n);
    }
}

typedef struct {
    uint64_t id;
    int grade;
} graded;

typedef struct {
    uint64_t rec, frames;
} recorded;

typedef struct {
    uint32_t n, bad;
    int64_t last_t;
} ab_walk;

static int walk_overall(void *ctx, const store_ability *a)
{
    ab_walk *w = ctx;
    w->n++;
    if (a->n_answers != w->n || a->t_ms < w->last_t)
        w->bad++;
    w->last_t = a->t_ms;
    return 0;
}

typedef struct {
    store *st;
    uint64_t graded, bad;
} resp_walk;

static int walk_resp(void *ctx, const store_response *r)
{
    resp_walk *w = ctx;
    if (r->grade >= 0)
        w->graded++;
    store_rec_info ri;
    int found;
    /* A graded answer names its finished recording; an ungraded one may be the answer the
     * open gave a recording that a kill cut short (or that no answer named yet). */
    if (r->grade >= 0 && (!r->recording || store_rec_info_get(w->st, r->recording, &ri, &found) ||
                          !found || ri.state != STORE_REC_DONE))
        w->bad++;
    else if (r->grade < 0 && (!r->recording ||
                              store_rec_info_get(w->st, r->recording, &ri, &found) || !found))
        w->bad++;
    return 0;
}

static int count_cut(void *ctx, const store_rec_info *ri)
{
    if (ri->state == STORE_REC_INTERRUPTED)
        (*(int *)ctx)++;
    return 0;
}

static void test_crash_loop(void)
{
    const char *it = getenv("VIVA_CRASH_ITERS");
    int iters = it && atoi(it) > 0 ? atoi(it) : 200;
    unsigned seed = (unsigned)time(NULL);
    if (getenv("VIVA_CRASH_SEED"))
        seed = (unsigned)strtoul(getenv("VIVA_CRASH_SEED"), NULL, 10);
    fprintf(stderr, "crash test: %d kills, seed %u (VIVA_CRASH_SEED to replay)\n", iters, seed);
    srand(seed);
    char *dir = st_mktmp("crash");
    graded *g = NULL;
    recorded *rc = NULL;
    size_t ng = 0, capg = 0, nr = 0, capr = 0;
    int failures = 0;
    for (int i = 0; i < iters && !failures; i++) {
        int pfd[2];
        if (pipe(pfd) != 0)
            break;
        pid_t pid = fork();
        if (pid == 0) {
            close(pfd[0]);
            child(dir, pfd[1], (unsigned)i * 1000u);
        }
        close(pfd[1]);
        /* One kill in four lands anywhere in the first 20 ms (often during the open and its
         * recovery); the others 0..60 ms after the child reported the store open. */
        int early = rand() % 4 == 0;
        if (!early) {
            char ch = 0;
            while (ch != '\n' && read(pfd[0], &ch, 1) == 1)
                ;
        }
        struct timespec ts = {0, (long)(rand() % (early ? 20000 : 60000)) * 1000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)) {
            CHECK_MSG(0, "iteration %d: child ended by itself (status %d)", i, status);
            failures++;
        }
        /* Everything the child reported. */
        FILE *f = fdopen(pfd[0], "r");
        char line[128];
        while (f && fgets(line, sizeof line, f)) {
            unsigned long long a, b;
            int grade;
            unsigned n;
            if (sscanf(line, "G %llu %d %u", &a, &grade, &n) == 3) {
                if (ng == capg)
                    g = xrealloc(g, (capg = capg ? capg * 2 : 256) * sizeof *g);
                g[ng++] = (graded){a, grade};
            } else if (sscanf(line, "R %llu %llu", &a, &b) == 2) {
                if (nr && rc[nr - 1].rec == a)
                    rc[nr - 1].frames = b;
                else {
                    if (nr == capr)
                        rc = xrealloc(rc, (capr = capr ? capr * 2 : 256) * sizeof *rc);
                    rc[nr++] = (recorded){a, b};
                }
            }
        }
        if (f)
            fclose(f);

        /* The store after the "power cut". */
        store *st = st_open_ok(dir);
        if (!st) {
            CHECK_MSG(0, "iteration %d: the store does not open", i);
            failures++;
            break;
        }
        for (size_t k = 0; k < ng; k++) {
            store_response r;
            int found;
            int e = store_response_get(st, g[k].id, &r, &found);
            if (e || !found || r.grade != g[k].grade) {
                CHECK_MSG(0, "iteration %d: committed grade of answer %llu lost", i,
                          (unsigned long long)g[k].id);
                failures++;
            }
        }
        for (size_t k = 0; k < nr; k++) {
            store_rec_info ri;
            int found;
            if (store_rec_info_get(st, rc[k].rec, &ri, &found) || !found ||
                ri.frames < rc[k].frames || ri.state == STORE_REC_RECORDING) {
                CHECK_MSG(0, "iteration %d: recording %llu lost committed audio", i,
                          (unsigned long long)rc[k].rec);
                failures++;
            }
        }
        store_check_report rep;
        int e = store_check(st, &rep);
        CHECK_MSG(e == 0 && rep.problems == 0, "iteration %d: %s %s", i, viva_strerror(e),
                  rep.first_problem);
        if (e || rep.problems)
            failures++;
        store_profile p;
        int found = 0;
        store_profile_find(st, "crash", &p, &found);
        if (found) {
            ab_walk w = {0, 0, INT64_MIN};
            resp_walk rw = {st, 0, 0};
            CHECK(store_ability_iter(st, p.id, "", walk_overall, &w) == 0);
            CHECK(store_response_iter(st, p.id, walk_resp, &rw) == 0);
            if (w.bad || w.n != rw.graded || rw.bad || rw.graded < ng) {
                CHECK_MSG(0, "iteration %d: ability history %u points (%u out of order) for "
                          "%llu graded answers, %llu with a bad recording", i, w.n, w.bad,
                          (unsigned long long)rw.graded, (unsigned long long)rw.bad);
                failures++;
            }
        }
        store_close(st);
    }
    /* Where the kills landed: recordings cut mid-way are left INTERRUPTED. */
    int cut = 0;
    store *st = st_open_ok(dir);
    store_profile p;
    int found = 0;
    if (st && store_profile_find(st, "crash", &p, &found) == 0 && found)
        store_rec_iter(st, p.id, count_cut, &cut);
    store_close(st);
    fprintf(stderr, "crash test: %zu grades and %zu recordings reported committed, all found; "
            "%d recordings cut by a kill and recovered\n", ng, nr, cut);
    /* The kills did not all land before the first answer, nor all between recordings. */
    if (iters >= 100)
        CHECK_MSG(ng >= 10 && cut >= 1, "kills landed badly: %zu grades, %d cut recordings", ng,
                  cut);
    free(g);
    free(rc);
    st_rmtmp(dir);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    RUN(test_crash_loop);
    return check_summary("store_crash");
}
