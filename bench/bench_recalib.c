/* bench_recalib.c: the cost of live recalibration (src/app/recalib.c), written to the file named
 * by the only argument. A real LMDB store in a fresh directory under $TMPDIR (or /tmp) holds a
 * 300-question bank (levels 1-5, 10 topics, 30 of them one or two levels off) and 5 profiles x
 * 2,000 graded answers drawn from the true difficulties, each with an ability estimate and SE
 * before the answer. Figures (median of 7 runs unless said):
 *   - recalib_update on the store with no calibration yet (every record written, synced)
 *   - recalib_update after one more 10-answer session (what practice_end_session pays)
 *   - recalib_update with nothing new
 *   - recalib_load (what practice_open pays)
 *   - the parts: reading the 10,000 answers, calib_shifts on them in memory
 * The filling is written with STORE_NOSYNC; every measured call runs on a normal (synced)
 * store, as on the device. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bank.h"
#include "calib.h"
#include "cat.h"
#include "recalib.h"
#include "rng.h"
#include "sim.h"
#include "store.h"
#include "strbuf.h"

#define NQ       300
#define PROFILES 5
#define ANSWERS  2000
#define RUNS     7

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static bank *make_bank(void)
{
    bank *b = bank_new();
    static const char *topics[10] = {"go",      "docker", "kubernetes", "sql",   "linux",
                                     "network", "gc",     "algorithms", "cloud", "security"};
    for (int i = 0; i < NQ; i++) {
        char id[32], q[64];
        snprintf(id, sizeof id, "q-%03d", i);
        snprintf(q, sizeof q, "Question %d?", i);
        bank_item it = {0};
        it.id = id;
        it.topic = (char *)topics[i % 10];
        it.level = 1 + (i / 10) % 5;
        it.question = q;
        it.keys[0] = "first point";
        it.keys[1] = "second point";
        it.nkeys = 2;
        it.file = "";
        if (bank_add(b, &it, NULL, NULL) != 0) {
            fprintf(stderr, "bench_recalib: bank item %s refused\n", id);
            exit(1);
        }
    }
    return b;
}

/* One graded answer of profile p to question q at true ability truth. */
static void answer(store *st, uint32_t p, const bank *b, const irt_item *real, int q, double truth,
                   int64_t t, rng *r)
{
    store_response resp;
    memset(&resp, 0, sizeof resp);
    resp.profile = p;
    snprintf(resp.item_id, sizeof resp.item_id, "%s", bank_at(b, (size_t)q)->id);
    snprintf(resp.topic, sizeof resp.topic, "%s", bank_at(b, (size_t)q)->topic);
    resp.t_ms = t;
    resp.grade = sim_draw(&real[q], truth, r);
    resp.graded_ms = t + 60000;
    resp.duration_ms = 60000;
    resp.se_before = 0.25 + 0.2 * rng_uniform(r);
    resp.theta_before = truth + resp.se_before * rng_normal(r);
    resp.theta_after = resp.theta_before;
    resp.se_after = resp.se_before;
    resp.talk_ms = resp.longest_pause_ms = resp.first_word_ms = -1;
    if (store_response_put(st, &resp) != 0) {
        fprintf(stderr, "bench_recalib: store_response_put failed\n");
        exit(1);
    }
}

typedef struct {
    size_t n;
} counter;

static int count_resp(void *ctx, const store_response *r)
{
    (void)r;
    ((counter *)ctx)->n++;
    return 0;
}

/* The store directory holds only files (no backups: backup_keep = 0). */
static void remove_dir(const char *d)
{
    DIR *dh = opendir(d);
    struct dirent *e;
    char path[1024];
    while (dh && (e = readdir(dh)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", d, e->d_name);
        if (unlink(path) != 0)
            fprintf(stderr, "bench_recalib: cannot remove %s\n", path);
    }
    if (dh)
        closedir(dh);
    if (rmdir(d) != 0)
        fprintf(stderr, "bench_recalib: cannot remove %s\n", d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_recalib OUTPUT\n");
        return 2;
    }
    const char *tmp = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/bench-recalib-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("bench_recalib: mkdtemp");
        return 1;
    }
    bank *b = make_bank();
    rng r;
    rng_seed(&r, 13);
    double offset[NQ];
    sim_mislevel(NQ, 30, &r, offset);
    irt_item real[NQ];
    for (int i = 0; i < NQ; i++) {
        irt_item level = calib_item_from_level(bank_at(b, (size_t)i)->level, 0);
        real[i] = calib_apply(&level, offset[i]);
    }

    char err[512];
    store *st;
    store_options fill = {0};
    fill.flags = STORE_NOSYNC;
    fill.backup_keep = 0;
    if (store_open_ex(dir, &fill, &st, err, sizeof err) != 0) {
        fprintf(stderr, "bench_recalib: %s\n", err);
        return 1;
    }
    uint32_t prof[PROFILES];
    double t0 = now_s();
    for (int p = 0; p < PROFILES; p++) {
        char name[16];
        snprintf(name, sizeof name, "p%d", p);
        store_profile_add(st, name, 0, &prof[p]);
        for (int k = 0; k < ANSWERS; k++) {
            double truth = -1.5 + 3.0 * k / ANSWERS + 0.3 * p - 0.6;
            answer(st, prof[p], b, real, (int)(rng_uniform(&r) * NQ) % NQ, truth,
                   1700000000000 + (int64_t)k * 600000, &r);
        }
    }
    double fill_s = now_s() - t0;
    store_close(st);

    store_options so = {0};
    so.backup_keep = 0;
    if (store_open_ex(dir, &so, &st, err, sizeof err) != 0) {
        fprintf(stderr, "bench_recalib: %s\n", err);
        return 1;
    }
    cat_pool pool;
    cat_pool_init(&pool, NQ, 10);
    for (int i = 0; i < NQ; i++)
        pool.topic[i] = i % 10;

    /* First recalibration: nothing stored yet, every question gets a record. */
    recalib_stats first;
    t0 = now_s();
    recalib_update(st, b, &pool, &first);
    double first_ms = (now_s() - t0) * 1e3;

    /* A session end: one profile answered 10 more questions. */
    double sess[RUNS], idle[RUNS], load[RUNS], readv[RUNS], comp[RUNS];
    size_t written = 0;
    for (int k = 0; k < RUNS; k++) {
        for (int q = 0; q < 10; q++)
            answer(st, prof[k % PROFILES], b, real, (int)(rng_uniform(&r) * NQ) % NQ, 1.0,
                   1800000000000 + (int64_t)(k * 10 + q) * 60000, &r);
        recalib_stats s;
        t0 = now_s();
        recalib_update(st, b, &pool, &s);
        sess[k] = (now_s() - t0) * 1e3;
        written += s.written;
        t0 = now_s();
        recalib_update(st, b, &pool, &s);
        idle[k] = (now_s() - t0) * 1e3;
        t0 = now_s();
        recalib_load(st, b, &pool, NULL);
        load[k] = (now_s() - t0) * 1e3;
        counter c = {0};
        t0 = now_s();
        for (int p = 0; p < PROFILES; p++)
            store_response_iter(st, prof[p], count_resp, &c);
        readv[k] = (now_s() - t0) * 1e3;
    }
    /* The estimation alone, on answers in memory (the same size as the store's). */
    calib_obs *obs = xmalloc((size_t)PROFILES * ANSWERS * sizeof *obs);
    calib_group groups[NQ];
    irt_item base[NQ];
    size_t per = (size_t)PROFILES * ANSWERS / NQ;
    for (int i = 0; i < NQ; i++) {
        base[i] = calib_item_from_level(bank_at(b, (size_t)i)->level, 0);
        for (size_t k = 0; k < per; k++) {
            calib_obs *o = &obs[(size_t)i * per + k];
            double truth = 2 * rng_normal(&r) * 0.7;
            o->se = 0.3;
            o->theta = truth + 0.3 * rng_normal(&r);
            o->grade = sim_draw(&real[i], truth, &r);
        }
        groups[i] = (calib_group){&base[i], obs + (size_t)i * per, per};
    }
    double shifts[NQ];
    for (int k = 0; k < RUNS; k++) {
        t0 = now_s();
        calib_shifts(groups, NQ, 0, shifts, NULL);
        comp[k] = (now_s() - t0) * 1e3;
    }

    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    fprintf(out,
            "bench_recalib: %d questions, %d profiles x %d graded answers = %d answers\n"
            "(filled in %.1f s without sync; measured on a synced store in %s)\n\n",
            NQ, PROFILES, ANSWERS, PROFILES * ANSWERS, fill_s, tmp && *tmp ? tmp : "/tmp");
    fprintf(out,
            "first recalib_update (no records yet): %8.1f ms  (%zu records written, "
            "%zu answers read)\n",
            first_ms, first.written, first.answers);
    fprintf(out,
            "recalib_update after a 10-answer session: %5.1f ms median  (%.1f records "
            "written per session on average)\n",
            median(sess, RUNS), (double)written / RUNS);
    fprintf(out, "recalib_update with nothing new:          %5.1f ms median\n", median(idle, RUNS));
    fprintf(out, "recalib_load (practice_open):             %5.1f ms median\n", median(load, RUNS));
    fprintf(out,
            "parts of recalib_update: reading every answer %.1f ms, calib_shifts on %d "
            "answers in memory %.1f ms (medians)\n",
            median(readv, RUNS), PROFILES * ANSWERS, median(comp, RUNS));
    fclose(out);

    free(obs);
    cat_pool_free(&pool);
    store_close(st);
    bank_free(b);
    remove_dir(dir);
    return 0;
}
