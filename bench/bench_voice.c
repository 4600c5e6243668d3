/* bench_voice.c: spoken commands measured on voices and speech they were not tuned on
 * (docs/readme/speech.md, "Measured on voices nobody tuned on").
 *
 *   recognition  each of the command phrases spoken by espeak-ng, flite and festival voices
 *                that no fixture uses (bench/make_heldout.sh), clean and degraded (noise at
 *                20 dB SNR, reverb, a USB microphone's band, in turn), between quiet noise, with
 *                every command listening (as `viva voice test`): recognised, missed, wrong.
 *   false        commands that fire while speech that is no command plays: the real human
 *                recordings of bench_heldout (pocketsphinx-testdata, ../shared/speech) and the
 *                held-out answers spoken by the same voices; per 10 minutes of speech, with
 *                every command listening, and with only "finish answer" (while answering).
 *
 * The split (fixed): voices esp-m3 and fe-kal and the real-speech tuning half (see
 * bench_heldout.c) are the TUNING half, on which thresholds may be chosen; voices esp-rp,
 * fl-kal, fe-ked, fe-slt, the real-speech test half and the test answers (s, t, u) are the TEST
 * half, which is what is reported. BENCH_VOICE_PART=tune|test (default)|both;
 * BENCH_VOICE_SHIFT: threshold shift (speech_cmd_params.threshold_shift); BENCH_VOICE_ADAPT=DIR:
 * each voice's phrases heard with its voice adaptation DIR/VOICE.clean.mllr (bench_heldout's
 * enrol set writes them in OUT.txt.cache/enrol), the generic model for a voice without one.
 * Audio is cached in
 * OUT.txt.cache (shared with bench_heldout when the names match). Asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef VIVA_HAVE_SPEECH
#include "bench_util.h"
#include "file.h"
#include "speech_cmd.h"
#include "transcribe.h"

enum { TUNE = 1, TEST = 2 };

static const struct {
    const char *voice, *family;
    int part;
} voices[] = {
    {"esp-m3", "espeak-ng", TUNE}, {"fe-kal", "festival", TUNE}, {"esp-rp", "espeak-ng", TEST},
    {"fl-kal", "flite", TEST},     {"fe-ked", "festival", TEST}, {"fe-slt", "festival", TEST},
};
#define NVOICES ((int)(sizeof voices / sizeof voices[0]))
static const char *conds[] = {"clean", "noise", "reverb", "band"};

typedef struct {
    int16_t *x;
    size_t n, cap;
} pcmbuf;

static void pb_add(pcmbuf *b, const int16_t *x, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->x = xrealloc(b->x, b->cap * sizeof *b->x);
    }
    for (size_t i = 0; i < n; i++) /* quiet noise (-50 dBFS) instead of digital silence */
        b->x[b->n + i] = x ? x[i] : (int16_t)((rand() % 201) - 100);
    b->n += n;
}

/* Feeds pcm in 100 ms blocks (as the capture does); returns the hits (up to max). */
static int feed_all(speech_cmd *r, const int16_t *x, size_t n, speech_cmd_hit *hits, int max)
{
    int nh = 0;
    for (size_t i = 0; i < n; i += 1600) {
        size_t k = n - i < 1600 ? n - i : 1600;
        nh += speech_cmd_feed(r, x + i, k, hits + nh, max - nh);
    }
    return nh;
}

static int render(const char *src, const char *cache, const char *texts, const char *list)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "bash '%s/bench/make_heldout.sh' '%s' '%s' < '%s'", src, cache,
             texts, list);
    return system(cmd);
}

typedef struct {
    int said, right, wrong;
} rec_tally;

static void recognition(FILE *out, const speech_cmd_params *sp, const char *src,
                        const char *cache, int parts)
{
    char texts[1200], list[1200], path[1400];
    snprintf(texts, sizeof texts, "%s/cmdtext", cache);
    mkdir(texts, 0755);
    snprintf(list, sizeof list, "%s/cmdlist.txt", cache);
    FILE *l = fopen(list, "w");
    if (!l)
        return;
    int turn = 0;
    for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
        snprintf(path, sizeof path, "%s/cmd-%s.txt", texts, speech_cmd_name((speech_cmd_id)c));
        FILE *t = fopen(path, "w");
        if (t) {
            fprintf(t, "%s.\n", speech_cmd_phrase((speech_cmd_id)c));
            fclose(t);
        }
        for (int v = 0; v < NVOICES; v++) {
            if (!(voices[v].part & parts))
                continue;
            fprintf(l, "cmd-%s %s clean\n", speech_cmd_name((speech_cmd_id)c), voices[v].voice);
            fprintf(l, "cmd-%s %s %s\n", speech_cmd_name((speech_cmd_id)c), voices[v].voice,
                    conds[1 + turn++ % 3]);
        }
    }
    fclose(l);
    if (render(src, cache, texts, list) != 0)
        fprintf(out, "  some phrases could not be spoken (espeak-ng, flite, festival, sox)\n");

    char err[512];
    speech_cmd *r;
    speech_cmd_params p = *sp;
    p.context = SPEECH_CTX_ALL;
    const char *adapt_dir = getenv("BENCH_VOICE_ADAPT");
    if (speech_cmd_open(&p, &r, err, sizeof err) != 0) {
        fprintf(out, "  %s\n", err);
        return;
    }
    rec_tally byvoice[NVOICES] = {{0}}, byphrase[SPEECH_CMD_COUNT] = {{0}}, bycond[4] = {{0}};
    rec_tally total = {0};
    l = fopen(list, "r");
    char name[64], voice[16], cond[16];
    while (l && fscanf(l, "%63s %15s %15s", name, voice, cond) == 3) {
        snprintf(path, sizeof path, "%s/%s.%s.%s.wav", cache, name, voice, cond);
        int16_t *x;
        size_t n;
        if (transcribe_read_file(path, &x, &n, err, sizeof err) != 0)
            continue;
        int want = 0, v = 0, ci = 0;
        for (int c = 1; c < SPEECH_CMD_COUNT; c++)
            if (!strcmp(name + 4, speech_cmd_name((speech_cmd_id)c)))
                want = c;
        for (int i = 0; i < NVOICES; i++)
            if (!strcmp(voice, voices[i].voice))
                v = i;
        for (int i = 0; i < 4; i++)
            if (!strcmp(cond, conds[i]))
                ci = i;
        pcmbuf b = {0};
        pb_add(&b, NULL, 8000);
        pb_add(&b, x, n);
        pb_add(&b, NULL, 16000);
        free(x);
        if (adapt_dir && *adapt_dir) {
            char mp[1200], *data = NULL;
            size_t len = 0;
            snprintf(mp, sizeof mp, "%s/%s.clean.mllr", adapt_dir, voice);
            int have = file_read(mp, 1 << 16, &data, &len) == 0;
            if (speech_cmd_adapt(r, have ? data : NULL, len, err, sizeof err) != 0)
                fprintf(out, "  %s: %s\n", mp, err);
            free(data);
        }
        speech_cmd_reset(r);
        speech_cmd_hit hits[16];
        int nh = feed_all(r, b.x, b.n, hits, 16);
        free(b.x);
        int right = 0, wrong = 0;
        for (int h = 0; h < nh; h++) {
            right |= (int)hits[h].cmd == want;
            wrong += (int)hits[h].cmd != want;
        }
        rec_tally one = {1, right, wrong};
        rec_tally *ts[] = {&byvoice[v], &byphrase[want], &bycond[ci], &total};
        for (int i = 0; i < 4; i++) {
            ts[i]->said += one.said;
            ts[i]->right += one.right;
            ts[i]->wrong += one.wrong;
        }
        if (!right || wrong)
            fprintf(out, "    %-22s %-7s %-6s %s%s\n", speech_cmd_phrase((speech_cmd_id)want),
                    voice, cond, right ? "recognised" : "missed", wrong ? ", and a wrong one" : "");
    }
    if (l)
        fclose(l);
    speech_cmd_close(r);
    for (int v = 0; v < NVOICES; v++)
        if (byvoice[v].said)
            fprintf(out, "  voice %-8s (%-9s) recognised %2d of %2d, wrong commands %d\n",
                    voices[v].voice, voices[v].family, byvoice[v].right, byvoice[v].said,
                    byvoice[v].wrong);
    for (int c = 0; c < 4; c++)
        if (bycond[c].said)
            fprintf(out, "  %-8s recognised %2d of %2d, wrong commands %d\n", conds[c],
                    bycond[c].right, bycond[c].said, bycond[c].wrong);
    for (int c = 1; c < SPEECH_CMD_COUNT; c++)
        fprintf(out, "  \"%s\": %d of %d\n", speech_cmd_phrase((speech_cmd_id)c),
                byphrase[c].right, byphrase[c].said);
    fprintf(out, "  all: recognised %d of %d (%.1f%%), wrong commands %d\n", total.right,
            total.said, total.said ? 100.0 * total.right / total.said : 0, total.wrong);
}

/* The real clips of one half, read into one stream with 1 s of quiet noise between them. */
static void add_file(pcmbuf *b, const char *path)
{
    char err[512];
    int16_t *x = NULL;
    size_t n = 0;
    const char *dot = strrchr(path, '.');
    if (dot && !strcmp(dot, ".raw")) {
        FILE *f = fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            long len = ftell(f);
            fseek(f, 0, SEEK_SET);
            x = xmalloc((size_t)len + 2);
            n = fread(x, 2, (size_t)len / 2, f);
            fclose(f);
        }
    } else if (transcribe_read_file(path, &x, &n, err, sizeof err) != 0) {
        return;
    }
    if (!x)
        return;
    pb_add(b, x, n);
    pb_add(b, NULL, 16000);
    free(x);
}

static void false_commands(FILE *out, const speech_cmd_params *sp, const char *src,
                           const char *cache, int parts)
{
    const char *td = getenv("BENCH_PS_TESTDATA");
    td = td && *td ? td : "/usr/share/pocketsphinx/test/data";
    pcmbuf real = {0}, answers = {0};
    char path[1400];
    /* the same split as bench_heldout: even positions are the test half */
    static const char *const libri[] = {"0870", "0880", "0890", "0920", "0930"};
    for (int i = 0; i < 5; i++)
        if (((i % 2 == 0) ? TEST : TUNE) & parts) {
            snprintf(path, sizeof path,
                     "%s/librivox/sense_and_sensibility_01_austen_64kb-%s.wav", td, libri[i]);
            add_file(&real, path);
            snprintf(path, sizeof path, "%s/cards/%03d.wav", td, i + 1);
            add_file(&real, path);
            snprintf(path, sizeof path, "%s/fleurs-en-%03d.ogg.wav", cache, i);
            add_file(&real, path); /* decoded by bench_heldout into the shared cache */
        }
    if (parts & TEST) {
        snprintf(path, sizeof path, "%s/goforward.raw", td);
        add_file(&real, path);
    }
    /* the held-out answers of the same half, clean, every voice of the half */
    char pattern[1400];
    snprintf(pattern, sizeof pattern, "%s/*.clean.wav", cache);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            const char *b = strrchr(g.gl_pathv[i], '/') + 1;
            if (!strncmp(b, "cmd-", 4))
                continue;
            int part = b[0] >= 's' ? TEST : TUNE;
            int vpart = 0;
            const char *vs = b + strcspn(b, ".") + 1; /* NAME.VOICE.clean.wav */
            for (int v = 0; v < NVOICES; v++) {
                size_t k = strlen(voices[v].voice);
                if (*vs && !strncmp(vs, voices[v].voice, k) && vs[k] == '.')
                    vpart = voices[v].part;
            }
            if ((part & parts) && vpart == part)
                add_file(&answers, g.gl_pathv[i]);
        }
        globfree(&g);
    }
    (void)src;
    const struct {
        const char *label;
        pcmbuf *b;
    } sets[] = {{"real human speech", &real}, {"held-out answers (synthetic voices)", &answers}};
    for (int s = 0; s < 2; s++) {
        double minutes = sets[s].b->n / (double)TRANSCRIBE_RATE / 60;
        if (sets[s].b->n == 0) {
            fprintf(out, "  %s: none (run bench_heldout first, or install pocketsphinx-testdata)\n",
                    sets[s].label);
            continue;
        }
        unsigned masks[] = {SPEECH_CTX_ALL, SPEECH_CTX_ANSWER};
        const char *mlabel[] = {"every command listening", "only \"finish answer\""};
        for (int m = 0; m < 2; m++) {
            char err[512];
            speech_cmd *r;
            speech_cmd_params p = *sp;
            p.context = masks[m];
            if (speech_cmd_open(&p, &r, err, sizeof err) != 0) {
                fprintf(out, "  %s\n", err);
                continue;
            }
            speech_cmd_hit hits[256];
            double c0 = cpu_now();
            int nh = feed_all(r, sets[s].b->x, sets[s].b->n, hits, 256);
            double cpu = cpu_now() - c0;
            fprintf(out, "  %s, %.1f min, %s: %d false commands (%.2f per 10 minutes), CPU %.1f%% "
                    "of real time", sets[s].label, minutes, mlabel[m], nh,
                    minutes > 0 ? nh * 10 / minutes : 0, 100 * cpu / (minutes * 60));
            for (int h = 0; h < nh; h++)
                fprintf(out, "%s%s at %.1f s", h ? ", " : ": ",
                        speech_cmd_phrase(hits[h].cmd), hits[h].start / (double)TRANSCRIBE_RATE);
            fprintf(out, "\n");
            speech_cmd_close(r);
        }
    }
    free(real.x);
    free(answers.x);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_voice OUT.txt\n");
        return 2;
    }
    const char *src = getenv("VIVA_SOURCE_DIR");
    if (!src) {
        fprintf(stderr, "bench_voice: set VIVA_SOURCE_DIR\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    char cache[1000];
    const char *ce = getenv("BENCH_VOICE_CACHE");
    if (ce && *ce)
        snprintf(cache, sizeof cache, "%s", ce);
    else
        snprintf(cache, sizeof cache, "%s.cache", argv[1]);
    mkdir(cache, 0755);
    const char *pe = getenv("BENCH_VOICE_PART"), *sh = getenv("BENCH_VOICE_SHIFT");
    int parts = !pe || !*pe || !strcmp(pe, "test") ? TEST : !strcmp(pe, "tune") ? TUNE
                                                                                  : TUNE | TEST;
    speech_cmd_params sp = {0};
    if (sh && *sh)
        sp.threshold_shift = atof(sh);
    fprintf(out, "bench_voice: %s half, threshold shift %+.1f\n",
            parts == TEST ? "test" : parts == TUNE ? "tuning" : "tuning and test",
            sp.threshold_shift);
    fprintf(out, "\n== command phrases, every command listening ==\n");
    recognition(out, &sp, src, cache, parts);
    fflush(out);
    fprintf(out, "\n== false commands while other speech plays ==\n");
    false_commands(out, &sp, src, cache, parts);
    fclose(out);
    return 0;
}

#else
int main(int argc, char **argv)
{
    FILE *out = argc > 1 ? fopen(argv[1], "w") : NULL;
    if (out) {
        fprintf(out, "bench_voice: built without speech\n");
        fclose(out);
    }
    return 0;
}
#endif
