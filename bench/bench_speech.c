/* bench_speech.c: what spoken commands cost. Speaks the command phrases and the technical talk
 * of tests/speech/fixtures/talk.txt with viva's own text to speech (flite voices slt and rms),
 * then measures, on this machine:
 *   - memory added by the recogniser and by a voice (resident set, /proc/self/status),
 *   - CPU time of command spotting per second of audio while listening (talk, then quiet noise),
 *   - latency from the end of a spoken phrase to its recognition, in audio time,
 *   - synthesis speed of the text to speech.
 * Usage: bench_speech OUT.txt (figures as "name: value unit"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef VIVA_HAVE_SPEECH
#include "speech_cmd.h"
#include "speech_tts.h"

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kib = atol(line + 6);
    if (f)
        fclose(f);
    return kib;
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *s = calloc(1, 1 << 16);
    size_t n = fread(s, 1, (1 << 16) - 1, f);
    s[n] = 0;
    fclose(f);
    return s;
}

typedef struct {
    int16_t *x;
    size_t n, cap;
} buf;

static void add(buf *b, const int16_t *x, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->x = realloc(b->x, b->cap * sizeof *b->x);
    }
    for (size_t i = 0; i < n; i++) /* quiet noise instead of digital silence */
        b->x[b->n + i] = x ? x[i] : (int16_t)((rand() % 201) - 100);
    b->n += n;
}

/* Feeds b in 100 ms blocks, as the capture's writer does; returns CPU seconds. */
static double feed(speech_cmd *r, const buf *b, speech_cmd_hit *hits, int max, int *nhits)
{
    double t0 = cpu_now();
    *nhits = 0;
    for (size_t i = 0; i < b->n; i += 1600) {
        size_t k = b->n - i < 1600 ? b->n - i : 1600;
        *nhits += speech_cmd_feed(r, b->x + i, k, hits + *nhits, max - *nhits);
    }
    return cpu_now() - t0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_speech OUT.txt\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    char err[512], path[1024];
    const char *src = getenv("VIVA_SOURCE_DIR");
    snprintf(path, sizeof path, "%s/tests/speech/fixtures/talk.txt", src ? src : ".");
    char *talk = read_text(path);
    if (!talk) {
        fprintf(stderr, "bench_speech: cannot read %s (set VIVA_SOURCE_DIR)\n", path);
        fclose(out);
        return 1;
    }

    long rss0 = rss_kib();
    speech_cmd *r;
    speech_cmd_params pp = {0};
    pp.context = SPEECH_CTX_ALL;
    double t0 = cpu_now();
    if (speech_cmd_open(&pp, &r, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        fclose(out);
        free(talk);
        return 1;
    }
    double load_s = cpu_now() - t0;
    long rss1 = rss_kib();
    speech_tts *tts[2];
    const char *voice[2] = {"slt", "rms"};
    for (int v = 0; v < 2; v++) {
        speech_tts_params tp = {voice[v], 1.0, 1.0};
        if (speech_tts_open(&tp, &tts[v], err, sizeof err)) {
            fprintf(stderr, "%s\n", err); /* exits: the OS reclaims the rest */
            fclose(out);
            return 1;
        }
    }
    long rss2 = rss_kib();

    /* Commands, each spoken by both voices, with 1 s of quiet around them. */
    buf cmds = {0};
    int64_t ends[2 * SPEECH_CMD_COUNT];
    int ntruth = 0;
    double synth_cpu = 0, synth_audio = 0;
    for (int v = 0; v < 2; v++)
        for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
            int16_t *x;
            size_t n;
            t0 = cpu_now();
            speech_tts_say(tts[v], speech_cmd_phrase((speech_cmd_id)c), &x, &n, err, sizeof err);
            synth_cpu += cpu_now() - t0;
            synth_audio += (double)n / 16000;
            size_t last = 0;
            for (size_t i = 0; i < n; i++)
                if (abs(x[i]) > 328)
                    last = i + 1;
            add(&cmds, NULL, 16000);
            ends[ntruth++] = (int64_t)(cmds.n + last);
            add(&cmds, x, n);
            free(x);
        }
    add(&cmds, NULL, 16000);
    long rss3 = rss_kib();

    buf speech = {0}, quiet = {0};
    int16_t *x;
    size_t n;
    t0 = cpu_now();
    speech_tts_say(tts[0], talk, &x, &n, err, sizeof err);
    synth_cpu += cpu_now() - t0;
    synth_audio += (double)n / 16000;
    add(&speech, x, n);
    free(x);
    add(&quiet, NULL, 120 * 16000);

    static speech_cmd_hit hits[512];
    int nh;
    double cpu_cmd = feed(r, &cmds, hits, 512, &nh);
    double lat_sum = 0, lat_max = 0;
    int matched = 0;
    for (int i = 0; i < ntruth; i++)
        for (int h = 0; h < nh; h++)
            if (hits[h].end > ends[i] - 16000 && hits[h].end < ends[i] + 16000) {
                double ms = (double)(hits[h].heard_at - ends[i]) * 1000 / 16000;
                lat_sum += ms;
                lat_max = ms > lat_max ? ms : lat_max;
                matched++;
                break;
            }
    long rss4 = rss_kib();
    speech_cmd_reset(r);
    int nfalse;
    double cpu_talk = feed(r, &speech, hits, 512, &nfalse);
    speech_cmd_reset(r);
    int nq;
    double cpu_quiet = feed(r, &quiet, hits, 512, &nq);
    long rss5 = rss_kib();

    fprintf(out, "# bench_speech: pocketsphinx keyword spotting (%d phrases) and flite\n",
            SPEECH_CMD_COUNT - 1);
    fprintf(out, "recogniser_load_cpu: %.3f s\n", load_s);
    fprintf(out, "memory_recogniser: %.1f MiB\n", (rss1 - rss0) / 1024.0);
    fprintf(out, "memory_two_voices: %.1f MiB\n", (rss2 - rss1) / 1024.0);
    fprintf(out, "memory_speech_total_after_use: %.1f MiB\n",
            ((rss5 > rss4 ? rss5 : rss4) - rss0 - (rss3 - rss2)) / 1024.0);
    fprintf(out, "cpu_listening_talk: %.2f %% of a core (%.1f s of speech)\n",
            100 * cpu_talk / ((double)speech.n / 16000), (double)speech.n / 16000);
    fprintf(out, "cpu_listening_quiet: %.2f %% of a core (%.1f s of quiet noise)\n",
            100 * cpu_quiet / ((double)quiet.n / 16000), (double)quiet.n / 16000);
    fprintf(out, "cpu_listening_commands: %.2f %% of a core\n",
            100 * cpu_cmd / ((double)cmds.n / 16000));
    fprintf(out, "commands_recognised: %d of %d\n", matched, ntruth);
    fprintf(out, "false_commands_in_talk: %d in %.1f min\n", nfalse,
            (double)speech.n / 16000 / 60);
    fprintf(out, "latency_mean: %.0f ms of audio\n", matched ? lat_sum / matched : -1.0);
    fprintf(out, "latency_max: %.0f ms of audio\n", lat_max);
    fprintf(out, "tts_speed: %.1f x real time (%.1f s of speech)\n",
            synth_cpu > 0 ? synth_audio / synth_cpu : 0.0, synth_audio);
    fclose(out);
    for (int v = 0; v < 2; v++)
        speech_tts_close(tts[v]);
    speech_cmd_close(r);
    free(cmds.x), free(speech.x), free(quiet.x), free(talk);
    return 0;
}

#else

int main(int argc, char **argv)
{
    FILE *out = argc == 2 ? fopen(argv[1], "w") : NULL;
    if (out) {
        fprintf(out, "# bench_speech: viva was built without speech; nothing measured\n");
        fclose(out);
    }
    return 0;
}

#endif
