/* bench_feedback.c: how good and how costly feedback on spoken answers is (docs/readme/
 * feedback.md). Speaks the 40 written answers of tests/feedback/answers with flite's four US
 * voices and espeak-ng at two speeds (make_answers.sh; BENCH_FEEDBACK_ALL=1 speaks every answer
 * with every voice and speed), analyses each with the built-in bank and measures:
 *   - key-point precision and recall against the points each answer was written to cover,
 *   - suggested grade equal to the intended one, and how many are more than one step off,
 *   - word error rate of the transcript with the generic model alone, generic + bank model
 *     (the shipped choice) and the bank model alone,
 *   - words-per-minute error against the known word count and the spoken duration,
 *   - CPU time per minute of audio, and memory: resident set added by the models and the peak
 *     added while analysing a 15-minute answer (the fixtures end to end).
 * Figures for flite voices and for espeak-ng are given apart (pocketsphinx hears espeak-ng
 * badly). Usage: bench_feedback OUT.txt [MAX_FIXTURES]. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "banks.h"
#include "verr.h"

#ifdef VIVA_HAVE_SPEECH
#include "feedback/answer_fixture.h"
#include "transcribe.h" /* pocketsphinx's search settings; recognition goes through transcriber.h */
#include "vad.h"
#include "bench_util.h"

typedef struct {
    int tp, fp, fn;
    int graded, grade_equal, grade_far;
    long ref_words, errors;
    double wpm_err_sum, wpm_err_max;
    int wpm_n;
    double audio_s, cpu_s;
    int files;
} tally;

static void tally_add(tally *t, const tally *x)
{
    t->tp += x->tp, t->fp += x->fp, t->fn += x->fn;
    t->graded += x->graded, t->grade_equal += x->grade_equal, t->grade_far += x->grade_far;
    t->ref_words += x->ref_words, t->errors += x->errors;
    t->wpm_err_sum += x->wpm_err_sum, t->wpm_n += x->wpm_n;
    if (x->wpm_err_max > t->wpm_err_max)
        t->wpm_err_max = x->wpm_err_max;
    t->audio_s += x->audio_s, t->cpu_s += x->cpu_s, t->files += x->files;
}

/* Spoken duration of the fixture: from the first to the last speech the detector finds,
 * without the silences written into the text. */
static double spoken_seconds(const int16_t *pcm, size_t n, double paused)
{
    vad_params vp;
    vad_params_default(&vp, TRANSCRIBE_RATE, 0);
    vad v;
    vad_init(&v, &vp);
    vad_feed(&v, pcm, n);
    vad_finish(&v);
    const vad_timeline *tl = vad_get_timeline(&v);
    if (tl->first_speech < 0)
        return 0;
    return (double)(tl->last_speech_end - tl->first_speech) / TRANSCRIBE_RATE - paused;
}

/* Analyses one fixture with `fc`; adds its figures to `t`. */
static int run_one(feedback_ctx *fc, const bank *b, const answer_fixture *a, tally *t, FILE *log)
{
    char err[512];
    int16_t *pcm = NULL;
    size_t n = 0;
    if (transcribe_read_file(a->wav, &pcm, &n, err, sizeof err) != 0) {
        fprintf(stderr, "bench_feedback: %s\n", err);
        return -1;
    }
    const bank_item *it = bank_find(b, a->question);
    if (!it) {
        fprintf(stderr, "bench_feedback: %s: no question %s\n", a->name, a->question);
        free(pcm);
        return -1;
    }
    feedback_result r;
    double c0 = cpu_now();
    int e = feedback_analyse(fc, it, pcm, n, &r);
    t->cpu_s += cpu_now() - c0;
    t->audio_s += (double)n / TRANSCRIBE_RATE;
    t->files++;
    if (e) {
        fprintf(stderr, "bench_feedback: %s: %s\n", a->name, viva_strerror(e));
        free(pcm);
        return -1;
    }
    for (int k = 0; k < r.nkeys; k++) {
        int want = (a->covered >> k) & 1;
        t->tp += want && r.keys[k].covered;
        t->fp += !want && r.keys[k].covered;
        t->fn += want && !r.keys[k].covered;
    }
    t->graded++;
    t->grade_equal += r.suggested_grade == a->grade;
    int diff = r.suggested_grade - a->grade;
    t->grade_far += r.suggested_grade < 0 || diff > 1 || diff < -1;
    wordlist ref = {0}, hyp = {0};
    feedback_words(a->text, wl_add, &ref);
    feedback_words(r.transcript, wl_add, &hyp);
    int d = edit_distance(&ref, &hyp);
    t->ref_words += ref.n;
    t->errors += d;
    double spoken = spoken_seconds(pcm, n, a->paused);
    double wpm_true = spoken > 0 ? a->nwords * 60.0 / spoken : 0;
    double wpm_err = wpm_true > 0 ? (r.words_per_minute - wpm_true) / wpm_true : 0;
    double abs_err = wpm_err < 0 ? -wpm_err : wpm_err;
    t->wpm_err_sum += abs_err;
    t->wpm_n++;
    if (abs_err > t->wpm_err_max)
        t->wpm_err_max = abs_err;
    if (log) {
        fprintf(log, "  %-22s %-6s %-6s grade %d/%d keys", a->name, a->voice, a->speed,
                r.suggested_grade, a->grade);
        for (int k = 0; k < r.nkeys; k++)
            fprintf(log, " %c", r.keys[k].covered ? (((a->covered >> k) & 1) ? 'Y' : '+')
                                                  : (((a->covered >> k) & 1) ? '-' : '.'));
        fprintf(log, "  WER %.2f wpm %.0f/%.0f\n", ref.n ? (double)d / ref.n : 0,
                r.words_per_minute, wpm_true);
    }
    wl_free(&ref);
    wl_free(&hyp);
    feedback_result_free(&r);
    free(pcm);
    return 0;
}

static void print_tally(FILE *out, const char *label, const tally *t)
{
    double p = t->tp + t->fp ? (double)t->tp / (t->tp + t->fp) : 0;
    double rcl = t->tp + t->fn ? (double)t->tp / (t->tp + t->fn) : 0;
    fprintf(out, "%s: files %d, key-point precision %.3f, recall %.3f (tp %d fp %d fn %d); "
            "grade equal %.1f%%, more than one step off %d; WER %.3f; wpm error mean %.1f%% "
            "max %.1f%%; CPU %.2f s per minute of audio\n",
            label, t->files, p, rcl, t->tp, t->fp, t->fn,
            t->graded ? 100.0 * t->grade_equal / t->graded : 0, t->grade_far,
            t->ref_words ? (double)t->errors / t->ref_words : 0,
            t->wpm_n ? 100 * t->wpm_err_sum / t->wpm_n : 0, 100 * t->wpm_err_max,
            t->audio_s > 0 ? t->cpu_s / (t->audio_s / 60) : 0);
}

/* One configuration over every fixture: flite and espeak-ng tallies. */
static int run_config(FILE *out, const char *label, const transcribe_params *p, const bank *b,
                      const answer_fixture *fx, int nfx, int verbose)
{
    char err[512];
    feedback_ctx *fc;
    long rss0 = status_kib("VmRSS:");
    double c0 = cpu_now();
    if (feedback_open(p, &fc, err, sizeof err) != 0) {
        fprintf(stderr, "bench_feedback: %s\n", err);
        return -1;
    }
    double open_cpu = cpu_now() - c0;
    long rss1 = status_kib("VmRSS:");
    tally flite = {0}, espeak = {0}, all = {0};
    for (int i = 0; i < nfx; i++) {
        tally one = {0};
        if (run_one(fc, b, &fx[i], &one, verbose ? out : NULL) == 0)
            tally_add(strcmp(fx[i].voice, "espeak") ? &flite : &espeak, &one);
        fflush(out);
    }
    tally_add(&all, &flite);
    tally_add(&all, &espeak);
    fprintf(out, "%s: model load %.2f s CPU, resident memory added %.1f MiB\n", label, open_cpu,
            (rss1 - rss0) / 1024.0);
    char l[128];
    snprintf(l, sizeof l, "%s, flite voices", label);
    print_tally(out, l, &flite);
    snprintf(l, sizeof l, "%s, espeak-ng", label);
    print_tally(out, l, &espeak);
    snprintf(l, sizeof l, "%s, all voices", label);
    print_tally(out, l, &all);
    fflush(out);
    feedback_close(fc);
    return 0;
}

/* A 15-minute answer: the fixtures end to end with 1 s between them, repeated. */
static void long_answer(FILE *out, const transcribe_params *p, const bank *b,
                        const answer_fixture *fx, int nfx)
{
    const size_t want = (size_t)15 * 60 * TRANSCRIBE_RATE;
    int16_t *pcm = xcalloc(want, sizeof *pcm);
    size_t at = 0;
    char err[512];
    for (int i = 0; at < want && nfx > 0; i = (i + 1) % nfx) {
        int16_t *x;
        size_t n;
        if (transcribe_read_file(fx[i].wav, &x, &n, err, sizeof err) != 0)
            break;
        size_t k = n < want - at ? n : want - at;
        memcpy(pcm + at, x, k * sizeof *x);
        at += k + TRANSCRIBE_RATE;
        free(x);
    }
    feedback_ctx *fc;
    if (feedback_open(p, &fc, err, sizeof err) != 0) {
        free(pcm);
        return;
    }
    const bank_item *it = bank_find(b, fx[0].question);
    long hwm_before = status_kib("VmRSS:");
    reset_peak();
    feedback_result r;
    double c0 = cpu_now();
    int e = feedback_analyse(fc, it, pcm, want, &r);
    double cpu = cpu_now() - c0;
    long hwm = status_kib("VmHWM:");
    fprintf(out, "15-minute answer: %s, %d words, %.1f s CPU (%.2f s per minute of audio), peak "
            "resident memory added while analysing %.1f MiB\n", e ? viva_strerror(e) : "ok",
            r.words, cpu, cpu / 15, (hwm - hwm_before) / 1024.0);
    feedback_result_free(&r);
    feedback_close(fc);
    free(pcm);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_feedback OUT.txt [MAX_FIXTURES]\n");
        return 2;
    }
    const char *src = getenv("VIVA_SOURCE_DIR"), *assets = getenv("VIVA_ASSET_DIR");
    if (!src || !assets) {
        fprintf(stderr, "bench_feedback: set VIVA_SOURCE_DIR and VIVA_ASSET_DIR\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    char dir[1100], dict[1100];
    snprintf(dir, sizeof dir, "%s.answers", argv[1]);
    snprintf(dict, sizeof dict, "%s/dict/viva.dict", assets);
    const char *allenv = getenv("BENCH_FEEDBACK_ALL");
    int all = allenv && *allenv == '1';
    answer_fixture *fx;
    int nfx = answer_render(src, dir, all ? "all" : "", &fx);
    if (nfx <= 0) {
        fprintf(out, "no fixtures: flite, espeak-ng or sox missing\n");
        fclose(out);
        return 0;
    }
    if (argc > 2 && atoi(argv[2]) > 0 && atoi(argv[2]) < nfx)
        nfx = atoi(argv[2]);
    bank *b = load_builtin(assets);
    fprintf(out, "bench_feedback: %d spoken answers (%s), %zu questions in the bank\n", nfx,
            all ? "every voice and speed" : "one voice and speed each", bank_count(b));

    transcribe_params mixed = {.dict = dict, .bank = b, .bank_weight = 0.5};
    const char *full = getenv("BENCH_FEEDBACK_FULL");
    if (full && *full == '1')
        mixed.search = TRANSCRIBE_SEARCH_FULL;
    const char *w = getenv("BENCH_FEEDBACK_WEIGHT");
    if (w && atof(w) > 0 && atof(w) < 1)
        mixed.bank_weight = atof(w);
    char label[64];
    snprintf(label, sizeof label, "generic + bank LM (weight %.2f)", mixed.bank_weight);
    fprintf(out, "search: %s\n", mixed.search == TRANSCRIBE_SEARCH_FULL
                                     ? "full (pocketsphinx defaults)" : "fast (viva's default)");
    run_config(out, label, &mixed, b, fx, nfx, 1);
    const char *quick = getenv("BENCH_FEEDBACK_QUICK"); /* the shipped configuration only */
    if (quick && *quick == '1')
        goto done;
    transcribe_params generic = {.dict = dict, .bank = b, .no_bank_lm = 1,
                                 .search = mixed.search};
    run_config(out, "generic LM only", &generic, b, fx, nfx, 0);
    transcribe_params bankonly = {.dict = dict, .bank = b, .no_generic = 1,
                                  .search = mixed.search};
    run_config(out, "bank LM only", &bankonly, b, fx, nfx, 0);
    long_answer(out, &mixed, b, fx, nfx);
done:
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
        fprintf(out, "bench_feedback: built without speech\n");
        fclose(out);
    }
    return 0;
}
#endif
