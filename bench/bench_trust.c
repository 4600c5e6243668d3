/* bench_trust.c: the confidence threshold of answer feedback (FEEDBACK_SURE_CONFIDENCE,
 * docs/readme/feedback.md "Never over-trust"). Speaks the 40 written answers of
 * tests/feedback/answers (make_answers.sh, one voice and speed each) and analyses each clean
 * and with white noise added at 20 dB SNR (a fixed seed), through the transcriber interface.
 * The answers are split by their position: the odd ones (1st, 3rd, ...) are the tuning half,
 * on which a threshold is chosen; the even ones are the test half, reported with that
 * threshold and never used to choose it. For each threshold: how many analyses are sure, and
 * among the sure and the unsure how often the suggested grade equals the intended one and how
 * often it is two or more steps off. Usage: bench_trust OUT.txt [MAX_FIXTURES]. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banks.h"
#include "verr.h"

#ifdef VIVA_HAVE_SPEECH
#include <glob.h>

#include "feedback/answer_fixture.h"
#include "transcriber.h"

typedef struct {
    double conf, content, share; /* the shipped mean; content words only; share >= 0.5 */
    int grade, want, half; /* half: 0 tuning, 1 test */
    int noisy;
} outcome;

/* White noise at `snr_db` below the signal's RMS, from a fixed-seed generator. */
static void add_noise(int16_t *pcm, size_t n, double snr_db)
{
    double e = 0;
    for (size_t i = 0; i < n; i++)
        e += (double)pcm[i] * pcm[i];
    double rms = n ? sqrt(e / (double)n) : 0, amp = rms / pow(10, snr_db / 20) * sqrt(3.0);
    unsigned long s = 12345;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ul + 1442695040888963407ul;
        double u = (double)(s >> 11) / 9007199254740992.0 * 2 - 1;
        double x = pcm[i] + amp * u;
        pcm[i] = (int16_t)(x > 32767 ? 32767 : x < -32768 ? -32768 : x);
    }
}

static bank *load_builtin(const char *assets)
{
    bank *b = bank_new();
    char pattern[1100];
    snprintf(pattern, sizeof pattern, "%s/bank/*.bank", assets);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            banks_load_file(b, g.gl_pathv[i], 5);
        globfree(&g);
    }
    return b;
}

typedef struct {
    int n, sure, sure_equal, sure_far, unsure_equal, unsure_far;
} split;

static split count(const outcome *o, int n, int half, double threshold)
{
    split s = {0};
    for (int i = 0; i < n; i++) {
        if (o[i].half != half)
            continue;
        int d = abs(o[i].grade - o[i].want), sure = o[i].conf >= threshold;
        s.n++;
        s.sure += sure;
        if (sure) {
            s.sure_equal += d == 0;
            s.sure_far += d >= 2;
        } else {
            s.unsure_equal += d == 0;
            s.unsure_far += d >= 2;
        }
    }
    return s;
}

static void print_split(FILE *out, const char *label, double t, split s)
{
    int unsure = s.n - s.sure;
    fprintf(out, "%-8s threshold %.2f: sure %2d of %2d; sure: grade equal %5.1f%%, >= 2 steps "
            "off %d; unsure: grade equal %5.1f%%, >= 2 steps off %d\n", label, t, s.sure, s.n,
            s.sure ? 100.0 * s.sure_equal / s.sure : 0, s.sure_far,
            unsure ? 100.0 * s.unsure_equal / unsure : 0, s.unsure_far);
}

/* The lowest threshold at which no sure analysis of the tuning half is two steps off and at
 * least 80% of the sure ones equal the intended grade. */
static double choose(const outcome *o, int n)
{
    for (int k = 0; k <= 100; k++) {
        double t = k / 100.0;
        split s = count(o, n, 0, t);
        if (s.sure_far == 0 && (s.sure == 0 || s.sure_equal * 5 >= s.sure * 4))
            return t;
    }
    return 1.0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_trust OUT.txt [MAX_FIXTURES]\n");
        return 2;
    }
    const char *src = getenv("VIVA_SOURCE_DIR"), *assets = getenv("VIVA_ASSET_DIR");
    if (!src || !assets) {
        fprintf(stderr, "bench_trust: set VIVA_SOURCE_DIR and VIVA_ASSET_DIR\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    char dir[1100], dict[1100], err[512];
    snprintf(dir, sizeof dir, "%s.answers", argv[1]);
    snprintf(dict, sizeof dict, "%s/dict/viva.dict", assets);
    answer_fixture *fx;
    int nfx = answer_render(src, dir, "", &fx);
    if (nfx <= 0) {
        fprintf(out, "no fixtures: flite, espeak-ng or sox missing\n");
        fclose(out);
        return 0;
    }
    if (argc > 2 && atoi(argv[2]) > 0 && atoi(argv[2]) < nfx)
        nfx = atoi(argv[2]);
    bank *b = load_builtin(assets);
    transcribe_params p = {.dict = dict, .bank = b};
    feedback_ctx *fc;
    if (feedback_open(&p, &fc, err, sizeof err) != 0) {
        fprintf(out, "bench_trust: %s\n", err);
        fclose(out);
        return 1;
    }
    fprintf(out, "bench_trust: %d answers, clean and with noise at 20 dB SNR, engine %s\n", nfx,
            feedback_engine(fc)->name);
    outcome *o = xcalloc((size_t)nfx * 2, sizeof *o);
    int no = 0;
    for (int i = 0; i < nfx; i++) {
        int16_t *pcm;
        size_t n;
        const bank_item *it = bank_find(b, fx[i].question);
        if (!it || transcribe_read_file(fx[i].wav, &pcm, &n, err, sizeof err) != 0)
            continue;
        for (int noisy = 0; noisy < 2; noisy++) {
            if (noisy)
                add_noise(pcm, n, 20);
            feedback_result r;
            feedback_word *w = NULL;
            size_t nw = 0;
            if (feedback_recognise(fc, pcm, n, &w, &nw) == VIVA_OK) {
                feedback_score(feedback_model_of(fc), it, w, nw, &r);
                double content = 0, share = 0;
                int nc = 0, ns = 0;
                for (size_t k = 0; k < nw; k++) {
                    share += w[k].conf >= 0.5, ns++;
                    if (!feedback_stopword(w[k].text) && strlen(w[k].text) > 1)
                        content += w[k].conf, nc++;
                }
                o[no] = (outcome){r.confidence, nc ? content / nc : 0, ns ? share / ns : 0,
                                  r.suggested_grade, fx[i].grade, i % 2, noisy};
                fprintf(out, "  %-22s %-6s %-5s confidence %.3f (content %.3f, share %.3f) "
                        "grade %d/%d\n", fx[i].name, fx[i].voice, noisy ? "noisy" : "clean",
                        r.confidence, o[no].content, o[no].share, r.suggested_grade,
                        fx[i].grade);
                fflush(out);
                no++;
                feedback_result_free(&r);
            }
            free(w);
        }
        free(pcm);
    }
    for (int k = 30; k <= 90; k += 5) {
        print_split(out, "tuning", k / 100.0, count(o, no, 0, k / 100.0));
        print_split(out, "test", k / 100.0, count(o, no, 1, k / 100.0));
    }
    double t = choose(o, no);
    fprintf(out, "chosen on the tuning half (lowest threshold with no sure analysis two steps "
            "off and >= 80%% of the sure ones equal): %.2f (shipped %.2f)\n", t,
            FEEDBACK_SURE_CONFIDENCE);
    print_split(out, "tuning", t, count(o, no, 0, t));
    print_split(out, "test", t, count(o, no, 1, t));
    print_split(out, "test", FEEDBACK_SURE_CONFIDENCE, count(o, no, 1, FEEDBACK_SURE_CONFIDENCE));
    print_split(out, "test", 0, count(o, no, 1, 0)); /* before: every suggestion preselected */
    free(o);
    feedback_close(fc);
    answer_free_list(fx, nfx);
    bank_free(b);
    fclose(out);
    return 0;
}

#else
int main(int argc, char **argv)
{
    FILE *out = argc > 1 ? fopen(argv[1], "w") : NULL;
    if (out) {
        fprintf(out, "bench_trust: built without speech\n");
        fclose(out);
    }
    return 0;
}
#endif
