/* bench_store.c: store figures, written to the file named by the only argument.
 *   - grade commit latency (store_grade_commit, synced), p50/p99 over 500 commits
 *   - store size per 1,000 answers (file growth and compacted backup)
 *   - recordings: chunk commit latency (one synced second) p50/p99, size per minute and per
 *     recorded hour, for chunks in LMDB (what viva does) and for the alternative, FLAC and Ogg
 *     Opus files written through libsndfile with a sync every second
 *   - open time of a store holding 100,000 answers
 * The store lives in a fresh directory under $TMPDIR (or /tmp), removed at the end. Audio is
 * BENCH_SPEECH_WAV (16 kHz mono, looped) when set, else a synthetic voiced signal (harmonics of
 * a wandering 120 Hz pitch, syllable envelope, pauses, a little noise). */
#include <inttypes.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "store_whitebox.h"

#define RATE 16000

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

static double pct(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_d);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

/* One minute of audio to loop. */
static int16_t *make_audio(size_t *frames, const char **what)
{
    const char *path = getenv("BENCH_SPEECH_WAV");
    size_t n = RATE * 60;
    int16_t *pcm = xcalloc(n, sizeof *pcm);
    if (path && *path) {
        SF_INFO info = {0};
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        if (sf && info.samplerate == RATE && info.channels == 1) {
            size_t got = (size_t)sf_read_short(sf, pcm, (sf_count_t)n);
            for (size_t i = got; got && i < n; i++)
                pcm[i] = pcm[i % got];
            sf_close(sf);
            *what = path;
            *frames = n;
            return pcm;
        }
        if (sf)
            sf_close(sf);
        fprintf(stderr, "bench_store: %s is not 16 kHz mono; using synthetic audio\n", path);
    }
    uint32_t rng = 12345;
    double phase = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double f0 = 120 + 25 * sin(2 * M_PI * 0.3 * t);
        phase += 2 * M_PI * f0 / RATE;
        double env = pow(fmax(0, sin(2 * M_PI * 2.2 * t)), 2); /* syllables */
        if (fmod(t, 7.0) > 5.5)
            env = 0; /* pauses between sentences */
        double v = 0;
        for (int h = 1; h <= 12; h++)
            v += sin(h * phase) / h * (h == 3 || h == 4 ? 2.0 : 1.0);
        rng = rng * 1664525u + 1013904223u;
        double noise = ((double)(rng >> 8) / 16777216.0 - 0.5) * 60;
        pcm[i] = (int16_t)(v * env * 3000 + noise);
    }
    *what = "synthetic voiced signal";
    *frames = n;
    return pcm;
}

static void remove_dir(const char *d)
{
    os_rm_rf(d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_store OUTPUT\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    const char *base = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/viva-bench-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        fclose(out);
        return 1;
    }
    char sub[4200], err[1024];
    fprintf(out, "# bench_store: data directory under %s (%s)\n", base && *base ? base : "/tmp",
            sizeof(void *) == 8 ? "64-bit" : "32-bit");

    /* 1. Grade commits, synced. */
    snprintf(sub, sizeof sub, "%s/grades", dir);
    store *st;
    if (store_open(sub, 0, &st, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        fclose(out);
        return 1;
    }
    uint32_t p;
    store_profile_add(st, "bench", 1, &p);
    uint64_t file0;
    store_map_info(st, NULL, NULL, &file0);
    enum { NG = 1000 };
    double *lat = xmalloc(NG * sizeof *lat);
    for (int i = 0; i < NG; i++) {
        store_response r = {0};
        r.profile = p;
        snprintf(r.item_id, sizeof r.item_id, "go-concurrency-%03d", i % 300);
        snprintf(r.topic, sizeof r.topic, "go-concurrency");
        r.t_ms = 1700000000000 + i * 60000;
        r.grade = i % 4;
        r.graded_ms = r.t_ms + 45000;
        r.duration_ms = 42000;
        r.recording = 0;
        r.theta_before = 0.01 * i;
        r.se_before = 0.5;
        r.theta_after = 0.01 * i + 0.01;
        r.se_after = 0.49;
        r.talk_ms = 30000;
        r.longest_pause_ms = 2500;
        r.first_word_ms = 1200;
        store_ability a[2] = {{p, "", r.t_ms, r.theta_after, r.se_after, (uint32_t)i + 1},
                              {p, "go-concurrency", r.t_ms, r.theta_after, r.se_after,
                               (uint32_t)i + 1}};
        double t0 = now_s();
        if (store_grade_commit(st, &r, a, 2)) {
            fprintf(stderr, "commit failed\n");
            return 1;
        }
        lat[i] = (now_s() - t0) * 1000;
    }
    uint64_t file1;
    store_map_info(st, NULL, NULL, &file1);
    fprintf(out, "grade_commit_p50: %.2f ms\n", pct(lat, NG, 0.5));
    fprintf(out, "grade_commit_p99: %.2f ms\n", pct(lat, NG, 0.99));
    fprintf(out, "grade_commit_max: %.2f ms\n", lat[NG - 1]);
    fprintf(out, "store_size_per_1000_answers: %.1f KiB (data.mdb growth; answer + 2 ability "
            "points each)\n", (double)(file1 - file0) / 1024.0);
    snprintf(sub, sizeof sub, "%s/grades-backup", dir);
    if (store_backup(st, sub, err, sizeof err) == 0) {
        char f[4300];
        snprintf(f, sizeof f, "%s/data.mdb", sub);
        fprintf(out, "compacted_size_per_1000_answers: %.1f KiB\n",
                (double)os_file_size(f) / 1024.0);
    }
    store_close(st);

    /* 2. Recordings: one hour in LMDB, synced every second. */
    size_t nframes;
    const char *what;
    int16_t *audio = make_audio(&nframes, &what);
    fprintf(out, "# audio: %s\n", what);
    snprintf(sub, sizeof sub, "%s/rec", dir);
    if (store_open(sub, 0, &st, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    store_profile_add(st, "bench", 1, &p);
    store_map_info(st, NULL, NULL, &file0);
    enum { SECONDS = 3600 };
    double *clat = xmalloc(SECONDS * sizeof *clat);
    store_rec *rec = NULL;
    double t_all = now_s();
    for (int s = 0; s < SECONDS; s++) {
        if (s % 120 == 0) { /* two-minute answers */
            if (rec)
                store_rec_finish(st, rec, 0, 0);
            if (store_rec_begin(st, p, RATE, s, &rec)) {
                fprintf(stderr, "bench_store: cannot start a recording\n");
                return 1; /* cppcheck-suppress resourceLeak */
            }
        }
        const int16_t *src = audio + (size_t)(s % 60) * RATE;
        double t0 = now_s();
        /* 10 writer-thread buffers of 100 ms; the tenth commits the second. */
        for (int k = 0; k < 10; k++)
            store_rec_append(st, rec, src + k * (RATE / 10), RATE / 10);
        clat[s] = (now_s() - t0) * 1000;
    }
    store_rec_finish(st, rec, 0, 0);
    t_all = now_s() - t_all;
    store_map_info(st, NULL, NULL, &file1);
    fprintf(out, "lmdb_chunk_commit_p50: %.2f ms (one second of audio, synced)\n",
            pct(clat, SECONDS, 0.5));
    fprintf(out, "lmdb_chunk_commit_p99: %.2f ms\n", pct(clat, SECONDS, 0.99));
    fprintf(out, "lmdb_size_per_minute: %.2f MB\n", (double)(file1 - file0) / 60.0 / 1e6);
    fprintf(out, "lmdb_size_per_recorded_hour: %.1f MB\n", (double)(file1 - file0) / 1e6);
    fprintf(out, "lmdb_hour_write_time: %.1f s\n", t_all);
    store_close(st);

    /* 3. The alternative: compressed files, synced every second. */
    const struct {
        const char *name, *ext;
        int fmt;
    } alts[] = {{"flac", "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
                {"ogg_opus", "ogg", SF_FORMAT_OGG | SF_FORMAT_OPUS}};
    for (int a = 0; a < 2; a++) {
        char f[4300];
        snprintf(f, sizeof f, "%s/alt.%s", dir, alts[a].ext);
        SF_INFO info = {RATE * 0, RATE, 1, alts[a].fmt, 0, 0};
        SNDFILE *sf = sf_open(f, SFM_WRITE, &info);
        if (!sf) {
            fprintf(out, "%s: cannot write (%s)\n", alts[a].name, sf_strerror(NULL));
            continue;
        }
        enum { ALT_SECONDS = 600 };
        double *alat = xmalloc(ALT_SECONDS * sizeof *alat);
        for (int s = 0; s < ALT_SECONDS; s++) {
            double t0 = now_s();
            sf_write_short(sf, audio + (size_t)(s % 60) * RATE, RATE);
            sf_write_sync(sf);
            alat[s] = (now_s() - t0) * 1000;
        }
        sf_close(sf);
        fprintf(out, "%s_write_sync_p50: %.2f ms (one second of audio)\n", alts[a].name,
                pct(alat, ALT_SECONDS, 0.5));
        fprintf(out, "%s_write_sync_p99: %.2f ms\n", alts[a].name, pct(alat, ALT_SECONDS, 0.99));
        fprintf(out, "%s_size_per_minute: %.3f MB\n", alts[a].name,
                (double)os_file_size(f) / (ALT_SECONDS / 60.0) / 1e6);
        free(alat);
    }

    /* 4. Open time with 100,000 answers (filled without sync, reopened normally). */
    snprintf(sub, sizeof sub, "%s/big", dir);
    if (store_open(sub, STORE_NOSYNC, &st, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    store_profile_add(st, "bench", 1, &p);
    for (int i = 0; i < 100000; i++) {
        store_response r = {0};
        r.profile = p;
        snprintf(r.item_id, sizeof r.item_id, "item-%04d", i % 720);
        r.t_ms = 1700000000000 + (int64_t)i * 60000;
        r.grade = i % 4;
        store_ability ab = {p, "", r.t_ms, 0, 0.3, (uint32_t)i + 1};
        store_grade_commit(st, &r, &ab, 1);
    }
    store_close(st);
    double opens[7];
    for (int k = 0; k < 7; k++) {
        double t0 = now_s();
        if (store_open(sub, 0, &st, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        opens[k] = (now_s() - t0) * 1000;
        store_close(st);
    }
    fprintf(out, "open_time_100k_answers: %.2f ms (median of 7, page cache warm)\n",
            pct(opens, 7, 0.5));
    char f[4300];
    snprintf(f, sizeof f, "%s/data.mdb", sub);
    fprintf(out, "store_size_100k_answers: %.1f MB\n", (double)os_file_size(f) / 1e6);
    fclose(out);
    free(lat);
    free(clat);
    free(audio);
    remove_dir(dir);
    return 0;
}
