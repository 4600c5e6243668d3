/* test_store_kill.c: a grade is all or nothing. A child process grades answers in a loop the
 * way the practice controller does (the ungraded answer first, then store_grade_save with the
 * answer's grade, an overall and a topic ability point and the review card); the parent kills
 * it with SIGKILL at a random moment (seeded: VIVA_KILL_SEED, rounds: VIVA_KILL_ROUNDS, at
 * least 30), reopens the store each time and checks that no graded answer exists without its
 * two ability points and its card, and no point or card without its graded answer, and that
 * every grade the child reported saved (a byte on a pipe after the call returned) is there.
 *
 * The check must be able to fail: the same rounds are run again with the grade split in two
 * transactions (store_grade_commit, then store_card_put), and the test requires that the check
 * finds the answers whose card was lost.
 *
 * The same for a recording's end and its answer (rec_rounds below). */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "check.h"
#include "st_util.h"

#define TOPIC "kill-topic"

static int last_time(void *ctx, const store_response *r)
{
    int64_t *t = ctx;
    if (r->t_ms > *t)
        *t = r->t_ms;
    return 0;
}

static void child(const char *dir, int fd, int split)
{
    store *st = NULL;
    char err[1024];
    if (store_open(dir, 0, &st, err, sizeof err)) {
        fprintf(stderr, "child: %s\n", err);
        _exit(2);
    }
    store_set_backup_keep(st, 0);
    store_profile p;
    int found = 0;
    uint32_t pid = 0;
    if (store_profile_find(st, "kill", &p, &found))
        _exit(3);
    if (found)
        pid = p.id;
    else if (store_profile_add(st, "kill", 1, &pid))
        _exit(4);
    /* Continue after the last answer of earlier rounds: times (and items) stay unique. */
    int64_t t = 1000;
    if (store_response_iter(st, pid, last_time, &t))
        _exit(5);
    t++;
    if (write(fd, "S", 1) != 1)
        _exit(5);
    for (;; t++) {
        char item[STORE_ITEM_ID_MAX + 1];
        snprintf(item, sizeof item, "k-%lld", (long long)t);
        store_response r = st_resp(pid, item, t, -1);
        snprintf(r.topic, sizeof r.topic, TOPIC);
        if (store_response_put(st, &r))
            _exit(6);
        r.grade = (int)(t % 4);
        r.graded_ms = t;
        r.theta_after = (double)(t % 1000) / 1000.0;
        store_ability pts[2];
        memset(pts, 0, sizeof pts);
        pts[0].profile = pts[1].profile = pid;
        pts[0].t_ms = pts[1].t_ms = t;
        pts[0].theta = r.theta_after;
        pts[0].se = pts[1].se = 0.5;
        snprintf(pts[1].topic, sizeof pts[1].topic, TOPIC);
        store_card card = {r.grade, 1.5, 5.0, t, t + 60000, 1, r.grade == 0};
        int e = split ? store_grade_commit(st, &r, pts, 2) || store_card_put(st, pid, item, &card)
                      : store_grade_save(st, &r, pts, 2, &card);
        if (e)
            _exit(7);
        if (write(fd, "G", 1) != 1) /* reported done: it must survive every later kill */
            _exit(8);
    }
}

typedef struct {
    int64_t *v;
    size_t n, cap;
} tset;

static void tset_add(tset *s, int64_t x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = x;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* An empty set has no array (v is NULL): qsort must not see it (a kill before any grade). */
static void tset_sort(tset *s)
{
    if (s->n > 1)
        qsort(s->v, s->n, sizeof *s->v, cmp_i64);
}

static int tset_equal(tset *a, tset *b)
{
    tset_sort(a);
    tset_sort(b);
    return a->n == b->n && (a->n == 0 || memcmp(a->v, b->v, a->n * sizeof *a->v) == 0);
}

typedef struct {
    tset graded, overall, topic, cards; /* graded and cards: t * 4 + grade */
    size_t ungraded;
} state;

static int on_resp(void *ctx, const store_response *r)
{
    state *s = ctx;
    if (r->grade < 0)
        s->ungraded++;
    else
        tset_add(&s->graded, r->t_ms * 4 + r->grade);
    return 0;
}

static int on_point(void *ctx, const store_ability *a)
{
    state *s = ctx;
    tset_add(a->topic[0] ? &s->topic : &s->overall, a->t_ms * 4);
    return 0;
}

static int on_card(void *ctx, const char *item, const store_card *c)
{
    state *s = ctx;
    long long t = -1;
    if (sscanf(item, "k-%lld", &t) != 1 || t != c->last_ms)
        t = -1; /* a card under the wrong item: never matches */
    tset_add(&s->cards, (int64_t)t * 4 + c->last_grade);
    return 0;
}

/* 0 when consistent; 1 when a grade is missing a part; -1 when the store cannot be read. */
static int verify(const char *dir, size_t *graded, size_t *ungraded, char *why, size_t wlen)
{
    store *st = st_open_ok(dir);
    if (!st) {
        snprintf(why, wlen, "the store does not open");
        return -1;
    }
    state s;
    memset(&s, 0, sizeof s);
    store_profile p;
    int found = 0, res = 0;
    if (store_profile_find(st, "kill", &p, &found) == 0 && found) {
        if (store_response_iter(st, p.id, on_resp, &s) ||
            store_ability_iter(st, p.id, NULL, on_point, &s) ||
            store_card_iter(st, p.id, on_card, &s)) {
            snprintf(why, wlen, "reading the store failed");
            res = -1;
        }
    }
    store_check_report rep;
    if (res == 0 && (store_check(st, &rep) != 0 || rep.problems)) {
        snprintf(why, wlen, "store_check: %s", rep.first_problem);
        res = -1;
    }
    tset pts = s.graded;
    pts.v = xmalloc((pts.n ? pts.n : 1) * sizeof *pts.v);
    for (size_t i = 0; i < pts.n; i++)
        pts.v[i] = s.graded.v[i] / 4 * 4; /* points carry no grade */
    tset pts2 = pts;
    pts2.v = xmalloc((pts.n ? pts.n : 1) * sizeof *pts.v);
    if (pts.n)
        memcpy(pts2.v, pts.v, pts.n * sizeof *pts.v);
    if (res == 0) {
        if (!tset_equal(&s.graded, &s.cards))
            snprintf(why, wlen, "%zu graded answers, %zu review cards", s.graded.n, s.cards.n);
        else if (!tset_equal(&pts, &s.overall))
            snprintf(why, wlen, "%zu graded answers, %zu overall points", s.graded.n,
                     s.overall.n);
        else if (!tset_equal(&pts2, &s.topic))
            snprintf(why, wlen, "%zu graded answers, %zu topic points", s.graded.n, s.topic.n);
        else
            why[0] = '\0';
        res = why[0] ? 1 : 0;
    }
    *graded = s.graded.n;
    *ungraded = s.ungraded;
    free(s.graded.v);
    free(s.overall.v);
    free(s.topic.v);
    free(s.cards.v);
    free(pts.v);
    free(pts2.v);
    store_close(st);
    return res;
}

static uint64_t next_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Runs `rounds` kill rounds; returns the rounds whose check found a grade missing a part, or
 * -1 on a harness failure (reported). */
static int run_rounds(int split, int rounds, uint64_t seed, size_t *graded_out)
{
    char *dir = st_mktmp(split ? "kill-split" : "kill");
    uint64_t x = seed ? seed : 1;
    int broken = 0;
    size_t graded = 0, ungraded = 0, reported = 0;
    for (int round = 0; round < rounds; round++) {
        int fds[2];
        if (pipe(fds) != 0) {
            perror("pipe");
            broken = -1;
            break;
        }
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            child(dir, fds[1], split);
        }
        close(fds[1]);
        /* A random moment: after the open and 0..2 reported grades, plus 0..20 ms. */
        char c;
        ssize_t n = 1;
        int wait_grades = (int)(next_rand(&x) % 3);
        for (int g = -1; g < wait_grades && n == 1; g++) {
            do
                n = read(fds[0], &c, 1);
            while (n < 0 && errno == EINTR);
            reported += n == 1 && c == 'G';
        }
        uint64_t us = next_rand(&x) % 20000;
        struct timespec ts = {0, (long)(us * 1000)};
        if (n == 1)
            nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        ssize_t m;
        while ((m = read(fds[0], &c, 1)) == 1 || (m < 0 && errno == EINTR))
            reported += m == 1 && c == 'G';
        close(fds[0]);
        if (n != 1 || !WIFSIGNALED(status)) {
            fprintf(stderr, "round %d: the child ended by itself (status %d)\n", round,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            broken = -1;
            break;
        }
        char why[300];
        int v = verify(dir, &graded, &ungraded, why, sizeof why);
        if (v < 0) {
            fprintf(stderr, "round %d: %s\n", round, why);
            broken = -1;
            break;
        }
        if (v == 0 && graded < reported) {
            fprintf(stderr, "round %d: %zu grades reported saved, %zu on disk\n", round,
                    reported, graded);
            broken = -1;
            break;
        }
        if (v > 0) {
            if (!split || broken == 0)
                fprintf(stderr, "%sround %d (kill after %.1f ms): %s\n",
                        split ? "split transactions, as expected: " : "", round, us / 1000.0,
                        why);
            broken++;
            if (split)
                break; /* the state stays broken; later rounds would only repeat it */
        }
    }
    printf("%s: %d rounds, %zu graded answers (%zu reported saved), %zu left ungraded by a "
           "kill, %d broken\n", split ? "split" : "one transaction", rounds, graded, reported,
           ungraded, broken);
    *graded_out = graded;
    st_rmtmp(dir);
    return broken;
}

/* ---- A recording's end ------------------------------------------------------------------ */
/* A child records answers the way the practice controller does: store_rec_begin_answer, three
 * seconds of audio at 1 kHz (three one-second chunks), store_rec_finish_answer; it writes 'E'
 * just before the end and 'A' after it returned. The parent kills it 0..4 ms after an 'E', so
 * the kills land around the recording's end. Each round is checked read-only (an open would
 * repair): every recording must be named by an answer, and every answer reported done must be
 * there with its finished recording. With the old flow (split: store_rec_begin,
 * store_rec_finish, then store_response_put) the check must find recordings no answer names,
 * and the repair must turn them into ungraded answers that play. */
#define REC_RATE 1000

static void rec_child(const char *dir, int fd, int split)
{
    store *st = NULL;
    char err[1024];
    if (store_open(dir, 0, &st, err, sizeof err)) {
        fprintf(stderr, "child: %s\n", err);
        _exit(2);
    }
    store_set_backup_keep(st, 0);
    uint32_t pid = 0;
    store_profile p;
    int found = 0;
    if (store_profile_find(st, "rec", &p, &found))
        _exit(3);
    if (found)
        pid = p.id;
    else if (store_profile_add(st, "rec", 1, &pid))
        _exit(4);
    int64_t t = 1000;
    if (store_response_iter(st, pid, last_time, &t))
        _exit(5);
    int16_t pcm[REC_RATE / 4];
    for (int i = 0; i < REC_RATE / 4; i++)
        pcm[i] = (int16_t)(i * 97);
    if (write(fd, "S", 1) != 1)
        _exit(5);
    for (t++;; t++) {
        char item[STORE_ITEM_ID_MAX + 1];
        snprintf(item, sizeof item, "r-%lld", (long long)t);
        store_response r = st_resp(pid, item, t, -1);
        store_rec *rec;
        int e = split ? store_rec_begin(st, pid, REC_RATE, t, &rec)
                      : store_rec_begin_answer(st, &r, REC_RATE, t, &rec);
        if (e)
            _exit(6);
        uint64_t rid = store_rec_id(rec);
        for (int q = 0; q < 12; q++)
            if (store_rec_append(st, rec, pcm, REC_RATE / 4))
                _exit(7);
        if (write(fd, "E", 1) != 1)
            _exit(8);
        if (split) {
            r.recording = rid;
            e = store_rec_finish(st, rec, 0, 0) || store_response_put(st, &r);
        } else {
            e = store_rec_finish_answer(st, rec, 0, 0, &r);
        }
        if (e)
            _exit(9);
        if (write(fd, "A", 1) != 1)
            _exit(10);
    }
}

typedef struct {
    tset named, done; /* recording ids an answer names; those of them finished */
    store *st;
} rec_state;

static int on_rec_answer(void *ctx, const store_response *r)
{
    rec_state *s = ctx;
    if (r->recording) {
        tset_add(&s->named, (int64_t)r->recording);
        store_rec_info ri;
        int found = 0;
        if (store_rec_info_get(s->st, r->recording, &ri, &found) == 0 && found &&
            ri.state == STORE_REC_DONE && ri.frames == 3 * REC_RATE)
            tset_add(&s->done, (int64_t)r->recording);
    }
    return 0;
}

typedef struct {
    rec_state *s;
    size_t orphans, recordings;
} orphan_count;

static int on_recording(void *ctx, const store_rec_info *ri)
{
    orphan_count *c = ctx;
    c->recordings++;
    int named = 0;
    for (size_t i = 0; i < c->s->named.n && !named; i++)
        named = c->s->named.v[i] == (int64_t)ri->id;
    c->orphans += !named;
    return 0;
}

/* Read-only (no repair): the recordings no answer names, the finished answered ones; -1 when
 * the store cannot be read. */
static int rec_verify(const char *dir, size_t *orphans, size_t *done, size_t *recordings)
{
    store *st = NULL;
    char err[1024];
    if (store_open(dir, STORE_READONLY, &st, err, sizeof err)) {
        fprintf(stderr, "read-only open: %s\n", err);
        return -1;
    }
    rec_state s;
    memset(&s, 0, sizeof s);
    s.st = st;
    orphan_count c = {&s, 0, 0};
    store_profile p;
    int found = 0, res = 0;
    if (store_profile_find(st, "rec", &p, &found) == 0 && found &&
        (store_response_iter(st, p.id, on_rec_answer, &s) ||
         store_rec_iter(st, p.id, on_recording, &c)))
        res = -1;
    *orphans = c.orphans;
    *done = s.done.n;
    *recordings = c.recordings;
    free(s.named.v);
    free(s.done.v);
    store_close(st);
    return res;
}

typedef struct {
    store *st;
    size_t playable, answers;
} play_count;

static int on_play(void *ctx, const store_response *r)
{
    play_count *c = ctx;
    c->answers++;
    int16_t *pcm = NULL;
    size_t frames = 0;
    if (r->recording && store_rec_read(c->st, r->recording, &pcm, &frames, NULL) == 0)
        c->playable++;
    free(pcm);
    return 0;
}

/* Runs the rounds; returns the rounds that found a recording no answer names (-1: harness). */
static int rec_rounds(int split, int rounds, uint64_t seed, size_t *reported_out,
                      size_t *twice_out)
{
    char *dir = st_mktmp(split ? "kill-rec-split" : "kill-rec");
    uint64_t x = seed ? seed : 1;
    int orphaned = 0;
    size_t reported = 0, done = 0, recs = 0, twice = 0;
    for (int round = 0; round < rounds; round++) {
        int fds[2];
        if (pipe(fds) != 0)
            return -1;
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            close(fds[0]);
            rec_child(dir, fds[1], split);
        }
        close(fds[1]);
        /* Killed during the first end, or during the second (the first then finished). */
        int ends = 1 + (int)(next_rand(&x) % 2), seen = 0;
        twice += ends == 2;
        char c;
        ssize_t n = 1;
        while (seen < ends && n == 1) {
            do
                n = read(fds[0], &c, 1);
            while (n < 0 && errno == EINTR);
            seen += n == 1 && c == 'E';
            reported += n == 1 && c == 'A';
        }
        uint64_t us = next_rand(&x) % 4000;
        struct timespec ts = {0, (long)(us * 1000)};
        if (n == 1)
            nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        ssize_t m;
        while ((m = read(fds[0], &c, 1)) == 1 || (m < 0 && errno == EINTR))
            reported += m == 1 && c == 'A';
        close(fds[0]);
        if (n != 1 || !WIFSIGNALED(status)) {
            fprintf(stderr, "recording round %d: the child ended by itself (status %d)\n",
                    round, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
            orphaned = -1;
            break;
        }
        size_t orphans = 0;
        if (rec_verify(dir, &orphans, &done, &recs) != 0) {
            orphaned = -1;
            break;
        }
        if (done < reported) {
            fprintf(stderr, "recording round %d: %zu answers reported done, %zu on disk with "
                    "their finished recording\n", round, reported, done);
            orphaned = -1;
            break;
        }
        if (orphans) {
            if (!split)
                fprintf(stderr, "recording round %d (kill %.1f ms after an end began): %zu "
                        "recording(s) no answer names\n", round, us / 1000.0, orphans);
            orphaned++;
            if (split)
                break;
        }
    }
    printf("%s: %zu recordings, %zu answers with their finished recording (%zu reported), %d "
           "rounds with a recording no answer names\n", split ? "recording, split" :
           "recording, one transaction", recs, done, reported, orphaned);
    if (split && orphaned > 0) {
        /* The repair (store_repair, as 'viva store check --repair'; an open does the same after
         * a crash): every recording gets an answer, every answer's recording plays. */
        st_log_start();
        store *st = st_open_ok(dir);
        store_repair_report rr;
        CHECK(st && store_repair(st, &rr) == 0 && rr.adopted > 0);
        store_profile p;
        int found = 0;
        play_count pc = {st, 0, 0};
        if (st && store_profile_find(st, "rec", &p, &found) == 0 && found)
            store_response_iter(st, p.id, on_play, &pc);
        store_close(st);
        size_t orphans = 1, d = 0, r = 0;
        CHECK(rec_verify(dir, &orphans, &d, &r) == 0 && orphans == 0);
        CHECK_MSG(pc.playable == r, "%zu recordings, %zu play from an answer", r, pc.playable);
        CHECK(st_log_has("it is now an ungraded answer the candidate can play"));
    }
    *reported_out = reported;
    *twice_out = twice;
    st_rmtmp(dir);
    return orphaned;
}

static uint64_t seed_;
static int rounds_;

static void test_recording_end_is_atomic(void)
{
    size_t reported = 0, twice = 0;
    int orphaned = rec_rounds(0, rounds_, seed_ + 2, &reported, &twice);
    CHECK_MSG(orphaned == 0, "%d rounds left a recording no answer names (seed %llu)", orphaned,
              (unsigned long long)seed_ + 2);
    /* Every round killed during a second end had finished the first: the kills landed at ends,
     * not before the first answer (whatever the machine's load). */
    CHECK_MSG(twice > 0 && reported >= twice, "%zu answers reported done in %zu rounds that "
              "waited for a second end", reported, twice);
}

static void test_recording_split_is_caught(void)
{
    size_t reported = 0, twice = 0;
    int orphaned = rec_rounds(1, rounds_, seed_ + 3, &reported, &twice);
    CHECK_MSG(orphaned > 0, "with the recording's end and its answer in two transactions no "
              "round found a recording without an answer (seed %llu): the check cannot fail",
              (unsigned long long)seed_ + 3);
}

static void test_grade_is_atomic(void)
{
    size_t graded = 0;
    int broken = run_rounds(0, rounds_, seed_, &graded);
    CHECK_MSG(broken == 0, "%d rounds found a grade missing a part (seed %llu)", broken,
              (unsigned long long)seed_);
    /* The kills landed while grading, not only before the first answer. */
    CHECK_MSG(graded >= (size_t)rounds_ / 2, "only %zu answers graded in %d rounds", graded,
              rounds_);
}

/* What a kill before the first grade leaves: the profile and one ungraded answer, no graded
 * answer, point or card (every set empty). Made directly, so it does not depend on timing. */
static void test_kill_before_any_grade(void)
{
    char *dir = st_mktmp("kill-empty");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st) {
        st_rmtmp(dir);
        return;
    }
    uint32_t pid = 0;
    CHECK(store_profile_add(st, "kill", 1, &pid) == 0);
    store_response r = st_resp(pid, "k-1001", 1001, -1);
    snprintf(r.topic, sizeof r.topic, TOPIC);
    CHECK(store_response_put(st, &r) == 0);
    store_close(st);
    size_t graded = 99, ungraded = 0;
    char why[300] = "";
    CHECK_MSG(verify(dir, &graded, &ungraded, why, sizeof why) == 0, "%s", why);
    CHECK(graded == 0 && ungraded == 1);
    st_rmtmp(dir);
}

static void test_check_detects_split(void)
{
    size_t graded = 0;
    int broken = run_rounds(1, rounds_, seed_ + 1, &graded);
    CHECK_MSG(broken > 0, "with the grade split in two transactions no round found a lost card "
              "(%d; seed %llu): the check cannot fail", broken, (unsigned long long)seed_ + 1);
}

int main(void)
{
    const char *s = getenv("VIVA_KILL_SEED"), *r = getenv("VIVA_KILL_ROUNDS");
    seed_ = s && *s ? strtoull(s, NULL, 10) : 20261203;
    rounds_ = r && *r ? atoi(r) : 40;
    if (rounds_ < 30)
        rounds_ = 30;
    printf("seed %llu, %d rounds\n", (unsigned long long)seed_, rounds_);
    check_alarm(250); /* bounded: ctest's timeout is 300 s, both scaled */
    st_log_start();
    RUN(test_kill_before_any_grade);
    RUN(test_grade_is_atomic);
    RUN(test_check_detects_split);
    RUN(test_recording_end_is_atomic);
    RUN(test_recording_split_is_caught);
    return check_summary("store_kill");
}
