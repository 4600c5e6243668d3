/* bench_pauses.c: how long people pause inside an answer, measured with viva's own voice
 * activity detector (src/signal/vad.c, the one the recorder runs) on real human speech:
 *   - ../shared/speech, its .ogg files (FLEURS read speech, five speakers), when that folder is there,
 *   - Debian's pocketsphinx-testdata (/usr/share/pocketsphinx/test/data: LibriVox readers,
 *     the "cards" and "goforward"/"numbers"/"something" recordings), when installed.
 * Every gap between two speech segments of one recording is a pause; the leading and trailing
 * silence are not. Each recording is first brought to a -6 dBFS peak (some were recorded
 * far below any microphone's level). Prints the distribution (count, percentiles, longest, a histogram) and the
 * longest pause of each recording; audio.silence_seconds (when viva asks "Still thinking?")
 * is chosen above these (docs/readme/audio.md). Recordings that are missing are skipped and
 * named. Usage: bench_pauses OUT.txt */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "file.h"
#include "vad.h"

#define MAX_PAUSES 4096
#define TESTDATA "/usr/share/pocketsphinx/test/data"

static double pauses[MAX_PAUSES];
static int npauses;
static double speech_s, audio_s;
static int nrec;

static int load(const char *path, int16_t **pcm, size_t *n)
{
    size_t len = strlen(path);
    char err[256];
    if (len > 4 && strcmp(path + len - 4, ".raw") == 0) { /* headerless 16 kHz s16le */
        char *data;
        size_t bytes;
        if (file_read(path, 64u << 20, &data, &bytes) != 0)
            return -1;
        *pcm = (int16_t *)(void *)data;
        *n = bytes / 2;
        return 0;
    }
    return audio_file_load(path, pcm, n, err, sizeof err) == 0 ? 0 : -1;
}

static void measure(FILE *out, const char *path)
{
    int16_t *pcm = NULL;
    size_t n = 0;
    if (load(path, &pcm, &n) != 0) {
        fprintf(out, "# skipped (cannot read): %s\n", path);
        return;
    }
    /* Some clips were recorded very low (FLEURS peaks near -45 dBFS, under the VAD's -55 dBFS
     * floor for speech): bring each to a -6 dBFS peak, as a microphone's gain would. */
    int peak = 1;
    for (size_t i = 0; i < n; i++)
        peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
    double gain = 16384.0 / peak;
    for (size_t i = 0; i < n; i++)
        pcm[i] = (int16_t)(pcm[i] * gain);
    vad_params p;
    vad_params_default(&p, AUDIO_RATE, 0); /* never ends: the whole recording */
    vad v;
    vad_init(&v, &p);
    vad_feed(&v, pcm, n);
    vad_finish(&v);
    const vad_timeline *tl = vad_get_timeline(&v);
    double longest = 0;
    for (int i = 1; i < tl->nseg; i++) {
        double gap = (double)(tl->seg[i].start - tl->seg[i - 1].end) / AUDIO_RATE;
        if (npauses < MAX_PAUSES)
            pauses[npauses++] = gap;
        if (gap > longest)
            longest = gap;
    }
    speech_s += (double)tl->talk / AUDIO_RATE;
    audio_s += (double)n / AUDIO_RATE;
    nrec++;
    const char *base = strrchr(path, '/');
    fprintf(out, "recording %-52s %5.1f s, %3d segments, longest pause %.2f s\n",
            base ? base + 1 : path, (double)n / AUDIO_RATE, tl->nseg, longest);
    free(pcm);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file in `dir` ending in `ext`, in name order. */
static void measure_dir(FILE *out, const char *dir, const char *ext)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(out, "# skipped (absent): %s/*%s\n", dir, ext);
        return;
    }
    char *names[256];
    int n = 0;
    struct dirent *de;
    size_t el = strlen(ext);
    while ((de = readdir(d)) && n < 256) {
        size_t l = strlen(de->d_name);
        if (l > el && strcmp(de->d_name + l - el, ext) == 0)
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        measure(out, path);
        free(names[i]);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(double q)
{
    if (npauses == 0)
        return 0;
    int i = (int)(q * (npauses - 1) + 0.5);
    return pauses[i];
}

int main(int argc, char **argv)
{
    FILE *out = argc > 1 ? fopen(argv[1], "w") : stdout;
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    const char *src = getenv("VIVA_SOURCE_DIR");
    char dir[1100];
    snprintf(dir, sizeof dir, "%s/../shared/speech", src ? src : "..");
    fprintf(out, "# pauses inside real speech, by viva's VAD (hangover 0.25 s: shorter gaps "
                 "between words are not pauses)\n");
    measure_dir(out, dir, ".ogg");
    measure_dir(out, TESTDATA "/librivox", ".wav");
    measure_dir(out, TESTDATA "/cards", ".wav");
    measure_dir(out, TESTDATA, ".raw");
    qsort(pauses, (size_t)npauses, sizeof pauses[0], cmp_double);
    fprintf(out, "recordings: %d (%.1f s of audio, %.1f s inside speech)\n", nrec, audio_s,
            speech_s);
    fprintf(out, "pauses: %d\n", npauses);
    fprintf(out, "pause values (s):");
    for (int i = 0; i < npauses && i < 64; i++)
        fprintf(out, " %.2f", pauses[i]);
    fprintf(out, "%s\n", npauses > 64 ? " ..." : "");
    fprintf(out, "pause_median: %.2f s\n", percentile(0.5));
    fprintf(out, "pause_p90: %.2f s\n", percentile(0.9));
    fprintf(out, "pause_p99: %.2f s\n", percentile(0.99));
    fprintf(out, "pause_longest: %.2f s\n", npauses ? pauses[npauses - 1] : 0.0);
    static const double edges[] = {0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 1e9};
    double lo = 0;
    for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
        int c = 0;
        for (int i = 0; i < npauses; i++)
            c += pauses[i] >= lo && pauses[i] < edges[e];
        if (edges[e] < 1e8)
            fprintf(out, "pauses %.2f-%.2f s: %d\n", lo, edges[e], c);
        else
            fprintf(out, "pauses %.2f s and longer: %d\n", lo, c);
        lo = edges[e];
    }
    if (out != stdout)
        fclose(out);
    return 0;
}
