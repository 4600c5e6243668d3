/* bench_heldout.c: feedback measured on speech viva was never tuned on (docs/readme/feedback.md,
 * "Measured on speech nobody tuned on"). Three sets, each reported on its own:
 *
 *   real     real human recordings with reference transcripts: Debian's pocketsphinx-testdata
 *            (LibriVox readers, cards, goforward) and ../shared/speech (FLEURS readers; Ogg Opus,
 *            decoded with opusdec). Word error rate per source. A set that is not installed is
 *            skipped with a line saying so.
 *   answers  the held-out answers of bench/heldout (written for this benchmark: a full, an about
 *            half and an off-topic answer to six built-in questions), spoken by espeak-ng,
 *            flite and festival voices that no fixture uses (make_heldout.sh), clean and
 *            degraded (noise at 20 dB SNR, reverb, a USB microphone's band, a far too quiet and
 *            a clipping microphone). Key-point precision/recall, grade agreement, WER.
 *   fixtures the 40 answers of tests/feedback/answers (the material viva was tuned on), one
 *            voice each, for comparison.
 *   enrol    the held-out answers again, per voice: as is, and adapted to the voice (adapt.h)
 *            from adapt.h's enrolment script spoken by it clean and in its answers' condition.
 *
 * The split (fixed; never tune on what is reported):
 *   real     the i-th clip of each source (in file order) is in the TEST half when i is even,
 *            in the TUNING half when i is odd: LibriVox 0870 0890 0930 / 0880 0920, cards
 *            001 003 005 / 002 004, FLEURS 000 002 004 / 001 003, goforward test.
 *   answers  tuning half: the password-hashing, probes and reverse-proxy answers (p, q, r),
 *            voices esp-m3 and fe-kal; test half: the Kubernetes-architecture, pprof and MVCC
 *            answers (s, t, u), voices esp-rp (espeak-ng), fl-kal (flite), fe-ked and fe-slt
 *            (festival). Each answer and voice is rendered once, clean, noise, reverb and
 *            band in turn; the first full answer (p1, s1) also quiet and hot (test: esp-rp
 *            and fe-slt): 22 tuning and 40 test renderings.
 *
 * Usage: bench_heldout OUT.txt. Environment: VIVA_SOURCE_DIR, VIVA_ASSET_DIR (set by the bench
 * target); BENCH_HELDOUT_PART=test (default) | tune | both; BENCH_HELDOUT_SETS=real,answers,
 * fixtures,enrol (default all four); BENCH_HELDOUT_WEIGHT (bank model weight), BENCH_HELDOUT_OPTIONS
 * (pocketsphinx options, "-maxhmmpf 3000 -beam 1e-60"), BENCH_HELDOUT_SEARCH=full,
 * BENCH_HELDOUT_DICT (another viva.dict), BENCH_HELDOUT_NO_LEVEL=1 (no level normalisation),
 * BENCH_HELDOUT_WORDS (generic words kept, -1 all);
 * BENCH_SPEECH_DIR (default VIVA_SOURCE_DIR/../shared/speech), BENCH_PS_TESTDATA (default
 * /usr/share/pocketsphinx/test/data). Spoken and decoded audio is cached in OUT.txt.cache.
 * Nothing is asserted: this writes figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef VIVA_HAVE_SPEECH
#include "bench_util.h"
#include "feedback/answer_fixture.h"
#include "adapt.h"
#include "transcribe.h"

enum { TUNE = 1, TEST = 2 };

typedef struct {
    int tp, fp, fn, graded, equal, far, full, full_low, nospeech, flagged;
    long ref_words, errors;
    double audio_s, cpu_s;
    int files;
} tally;

static void tally_add(tally *t, const tally *x)
{
    t->tp += x->tp, t->fp += x->fp, t->fn += x->fn, t->graded += x->graded;
    t->equal += x->equal, t->far += x->far, t->full += x->full, t->full_low += x->full_low;
    t->nospeech += x->nospeech, t->flagged += x->flagged;
    t->ref_words += x->ref_words, t->errors += x->errors;
    t->audio_s += x->audio_s, t->cpu_s += x->cpu_s, t->files += x->files;
}

static void print_wer(FILE *out, const char *label, const tally *t)
{
    fprintf(out, "  %-34s clips %2d  words %4ld  WER %.3f  no speech %d  level flagged %d  "
            "CPU %.2f s per audio minute\n", label, t->files, t->ref_words,
            t->ref_words ? (double)t->errors / t->ref_words : 0, t->nospeech, t->flagged,
            t->audio_s > 0 ? t->cpu_s / (t->audio_s / 60) : 0);
}

static void print_keys(FILE *out, const char *label, const tally *t)
{
    double p = t->tp + t->fp ? (double)t->tp / (t->tp + t->fp) : 0;
    double r = t->tp + t->fn ? (double)t->tp / (t->tp + t->fn) : 0;
    fprintf(out, "  %-20s files %3d  precision %.3f  recall %.3f  grade equal %5.1f%%  "
            "two or more off %d  full below partial %d/%d  WER %.3f  CPU %.2f s/min\n", label,
            t->files, p, r, t->graded ? 100.0 * t->equal / t->graded : 0, t->far, t->full_low,
            t->full, t->ref_words ? (double)t->errors / t->ref_words : 0,
            t->audio_s > 0 ? t->cpu_s / (t->audio_s / 60) : 0);
}

/* Analyses pcm against `it` (NULL: transcript only); adds WER against `ref` to t. */
static feedback_result analyse(feedback_ctx *fc, const bank_item *it, const int16_t *pcm,
                               size_t n, const char *ref, tally *t)
{
    feedback_result r;
    double c0 = cpu_now();
    feedback_analyse(fc, it, pcm, n, &r);
    t->cpu_s += cpu_now() - c0;
    t->audio_s += (double)n / TRANSCRIBE_RATE;
    t->files++;
    t->nospeech += !r.speech;
    t->flagged += r.level != FEEDBACK_LEVEL_OK;
    wordlist rw = {0}, hw = {0};
    feedback_words(ref, wl_add, &rw);
    feedback_words(r.transcript ? r.transcript : "", wl_add, &hw);
    t->ref_words += rw.n;
    t->errors += edit_distance(&rw, &hw);
    wl_free(&rw);
    wl_free(&hw);
    return r;
}

/* ---- real speech --------------------------------------------------------------------------- */

typedef struct {
    char source[32], path[2048], ref[1024];
    int part, raw;
} clip;

static int16_t *read_raw(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    int16_t *pcm = xmalloc((size_t)len + 2);
    *n = fread(pcm, sizeof *pcm, (size_t)len / 2, f);
    fclose(f);
    return pcm;
}

static int add_clip(clip *c, int nc, const char *source, const char *path, const char *ref,
                    int index, int raw)
{
    if (access(path, R_OK) != 0)
        return nc;
    snprintf(c[nc].source, sizeof c[nc].source, "%s", source);
    snprintf(c[nc].path, sizeof c[nc].path, "%s", path);
    snprintf(c[nc].ref, sizeof c[nc].ref, "%s", ref);
    c[nc].part = index % 2 == 0 ? TEST : TUNE;
    c[nc].raw = raw;
    return nc + 1;
}

/* "<s> words </s> (id)" lines of a sphinx transcription file. */
static int add_transcribed(clip *c, int nc, int max, const char *source, const char *dir,
                           const char *file, const char *prefix)
{
    char path[1200], line[2048];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    int i = 0;
    while (f && nc < max && fgets(line, sizeof line, f)) {
        char *open = strrchr(line, '('), *close = open ? strchr(open, ')') : NULL;
        if (!open || !close)
            continue;
        *close = '\0';
        char wav[2048], ref[1024];
        snprintf(wav, sizeof wav, "%s/%s%s.wav", dir, prefix, open + 1);
        *open = '\0';
        size_t k = 0;
        ref[0] = '\0';
        for (char *tok = strtok(line, " \t\n"); tok; tok = strtok(NULL, " \t\n"))
            if (strcmp(tok, "<s>") && strcmp(tok, "</s>") && k + strlen(tok) + 2 < sizeof ref)
                k += (size_t)snprintf(ref + k, sizeof ref - k, "%s%s", k ? " " : "", tok);
        nc = add_clip(c, nc, source, wav, ref, i++, 0);
    }
    if (f)
        fclose(f);
    return nc;
}

/* FLEURS clips: transcripts.tsv (file TAB reference), Ogg Opus decoded into the cache. */
static int add_fleurs(clip *c, int nc, int max, const char *dir, const char *cache, FILE *out)
{
    char path[1200], line[900];
    snprintf(path, sizeof path, "%s/transcripts.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(out, "  FLEURS: skipped, no %s\n", path);
        return nc;
    }
    int i = 0;
    while (nc < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab || strstr(line, ".ogg") == NULL)
            continue;
        *tab = '\0';
        char wav[2000], cmd[16384];
        snprintf(wav, sizeof wav, "%s/%s.wav", cache, line);
        if (access(wav, R_OK) != 0) {
            snprintf(cmd, sizeof cmd, "opusdec --quiet --rate 16000 '%s/%s' '%s.tmp.wav' && "
                     "sox '%s.tmp.wav' -r 16000 -c 1 -b 16 '%s' && rm -f '%s.tmp.wav'", dir, line,
                     wav, wav, wav, wav);
            if (system(cmd) != 0) {
                fprintf(out, "  FLEURS: skipped %s (opusdec from opus-tools, or sox, failed)\n",
                        line);
                i++;
                continue;
            }
        }
        nc = add_clip(c, nc, "FLEURS", wav, tab + 1, i++, 0);
    }
    fclose(f);
    return nc;
}

static void run_real(FILE *out, const transcribe_params *p, int parts, const char *cache)
{
    const char *td = getenv("BENCH_PS_TESTDATA");
    td = td && *td ? td : "/usr/share/pocketsphinx/test/data";
    const char *src = getenv("VIVA_SOURCE_DIR"), *sd = getenv("BENCH_SPEECH_DIR");
    char shared[1024], dir[1200];
    snprintf(shared, sizeof shared, "%s", sd && *sd ? sd : "");
    if (!*shared)
        snprintf(shared, sizeof shared, "%s/../shared/speech", src ? src : ".");
    enum { MAX = 64 };
    clip c[MAX];
    int nc = 0;
    fprintf(out, "\n== real human speech (%s half) ==\n",
            parts == TEST ? "test" : parts == TUNE ? "tuning" : "tuning and test");
    if (access(td, R_OK) != 0) {
        fprintf(out, "  pocketsphinx-testdata: skipped, no %s (install the Debian package "
                "pocketsphinx-testdata)\n", td);
    } else {
        snprintf(dir, sizeof dir, "%s/librivox", td);
        nc = add_transcribed(c, nc, MAX, "LibriVox", dir, "transcription", "");
        snprintf(dir, sizeof dir, "%s/cards", td);
        nc = add_transcribed(c, nc, MAX, "cards", dir, "cards.transcription", "");
        snprintf(dir, sizeof dir, "%s/goforward.raw", td);
        nc = add_clip(c, nc, "goforward", dir, "go forward ten meters", 0, 1);
    }
    if (access(shared, R_OK) != 0)
        fprintf(out, "  FLEURS (../shared/speech): skipped, no %s\n", shared);
    else
        nc = add_fleurs(c, nc, MAX, shared, cache, out);

    char err[512];
    feedback_ctx *fc;
    if (feedback_open(p, &fc, err, sizeof err) != 0) {
        fprintf(out, "  %s\n", err);
        return;
    }
    tally total = {0}, halves[2] = {{0}};
    const char *sources[] = {"LibriVox", "cards", "goforward", "FLEURS"};
    for (int s = 0; s < 4; s++) {
        tally st = {0};
        for (int i = 0; i < nc; i++) {
            if (strcmp(c[i].source, sources[s]) || !(c[i].part & parts))
                continue;
            int16_t *pcm = NULL;
            size_t n = 0;
            if (c[i].raw)
                pcm = read_raw(c[i].path, &n);
            else if (transcribe_read_file(c[i].path, &pcm, &n, err, sizeof err) != 0)
                fprintf(out, "  %s\n", err);
            if (!pcm)
                continue;
            tally one = {0};
            feedback_result r = analyse(fc, NULL, pcm, n, c[i].ref, &one);
            const char *base = strrchr(c[i].path, '/');
            fprintf(out, "    %-10s %-44s %s WER %.2f  heard: %s\n", c[i].source,
                    base ? base + 1 : c[i].path, c[i].part == TEST ? "test" : "tune",
                    one.ref_words ? (double)one.errors / one.ref_words : 0, r.transcript);
            tally_add(&st, &one);
            tally_add(&halves[c[i].part == TEST], &one);
            feedback_result_free(&r);
            free(pcm);
        }
        if (st.files) {
            print_wer(out, sources[s], &st);
            tally_add(&total, &st);
        }
        fflush(out);
    }
    if (parts == (TUNE | TEST)) {
        print_wer(out, "tuning half", &halves[0]);
        print_wer(out, "test half", &halves[1]);
    }
    print_wer(out, "all real speech", &total);
    feedback_close(fc);
}

/* ---- held-out answers ---------------------------------------------------------------------- */

typedef struct {
    const char *voice, *family;
    int part;
} voice_def;

static const voice_def voices[] = {
    {"esp-m3", "espeak-ng", TUNE}, {"fe-kal", "festival", TUNE},
    {"esp-rp", "espeak-ng", TEST}, {"fl-kal", "flite", TEST},
    {"fe-ked", "festival", TEST},  {"fe-slt", "festival", TEST},
};
#define NVOICES ((int)(sizeof voices / sizeof voices[0]))
static const char *families[] = {"espeak-ng", "flite", "festival"};
static const char *conds[] = {"clean", "noise", "reverb", "band", "quiet", "hot"};
#define NCONDS 6

typedef struct {
    char name[128], voice[16], cond[16], wav[1400];
    int part, family, condi;
} rendering;

static int answer_part(const char *name)
{
    return name[0] >= 's' ? TEST : TUNE;
}

/* Scores the words of `transcript` again with coverage share `share`; adds to t. */
static void rescore_share(feedback_model *m, double share, const bank_item *it,
                          const answer_fixture *a, const char *transcript, tally *t)
{
    wordlist wl = {0};
    feedback_words(transcript ? transcript : "", wl_add, &wl);
    feedback_word *w = xcalloc((size_t)wl.n + 1, sizeof *w);
    for (int i = 0; i < wl.n; i++) {
        snprintf(w[i].text, sizeof w[i].text, "%s", wl.w[i]);
        w[i].start = i * 0.3;
        w[i].end = i * 0.3 + 0.25;
    }
    feedback_model_set_cover_share(m, share);
    feedback_result r;
    feedback_score(m, it, w, (size_t)wl.n, &r);
    for (int k = 0; k < r.nkeys; k++) {
        int want = (a->covered >> k) & 1;
        t->tp += want && r.keys[k].covered;
        t->fp += !want && r.keys[k].covered;
        t->fn += want && !r.keys[k].covered;
    }
    t->graded++;
    t->files++;
    t->equal += r.suggested_grade == a->grade;
    int d = r.suggested_grade - a->grade;
    t->far += r.suggested_grade < 0 || d > 1 || d < -1;
    t->full += a->grade == 3;
    t->full_low += a->grade == 3 && r.suggested_grade < 1;
    feedback_result_free(&r);
    free(w);
    wl_free(&wl);
}

/* The renderings of the split: see the top of the file. */
static int plan(const char *src, const char *cache, int parts, rendering **list)
{
    char pattern[1200];
    snprintf(pattern, sizeof pattern, "%s/bench/heldout/*.txt", src);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0)
        return 0;
    int n = 0, cap = 0, turn = 0;
    *list = NULL;
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char name[128];
        const char *b = strrchr(g.gl_pathv[i], '/') + 1;
        snprintf(name, sizeof name, "%.*s", (int)(strlen(b) - 4), b);
        int part = answer_part(name);
        if (!(part & parts))
            continue;
        int full = strstr(name, "-full") != NULL;
        const char *only = getenv("BENCH_HELDOUT_VOICES");
        for (int v = 0; v < NVOICES; v++) {
            if (voices[v].part != part)
                continue;
            /* one condition per answer and voice, in turn; the first full answer of each
             * half also far too quiet and clipping, by two voices */
            int want[NCONDS] = {0};
            want[turn++ % 4] = 1;
            if (full && (name[1] == '1' && (name[0] == 'p' || name[0] == 's')) &&
                (part == TUNE || !strcmp(voices[v].voice, "esp-rp") ||
                 !strcmp(voices[v].voice, "fe-slt")))
                want[4] = want[5] = 1;
            /* BENCH_HELDOUT_VOICES=fe-slt,...: only these voices (after the rotation, so each
             * keeps its conditions) */
            if (only && *only && !strstr(only, voices[v].voice))
                continue;
            for (int c = 0; c < NCONDS; c++) {
                if (!want[c])
                    continue;
                if (n == cap) {
                    cap = cap ? cap * 2 : 128;
                    *list = xrealloc(*list, (size_t)cap * sizeof **list);
                }
                rendering *r = &(*list)[n++];
                snprintf(r->name, sizeof r->name, "%s", name);
                snprintf(r->voice, sizeof r->voice, "%s", voices[v].voice);
                snprintf(r->cond, sizeof r->cond, "%s", conds[c]);
                snprintf(r->wav, sizeof r->wav, "%s/%s.%s.%s.wav", cache, name, r->voice,
                         r->cond);
                r->part = part;
                r->condi = c;
                r->family = 0;
                for (int f = 0; f < 3; f++)
                    if (!strcmp(families[f], voices[v].family))
                        r->family = f;
            }
        }
    }
    globfree(&g);
    return n;
}

static int render(const char *src, const char *cache, const rendering *r, int n)
{
    char list[1400], cmd[4096];
    snprintf(list, sizeof list, "%s/list.txt", cache);
    FILE *f = fopen(list, "w");
    if (!f)
        return -1;
    for (int i = 0; i < n; i++)
        fprintf(f, "%s %s %s\n", r[i].name, r[i].voice, r[i].cond);
    fclose(f);
    snprintf(cmd, sizeof cmd, "bash '%s/bench/make_heldout.sh' '%s' < '%s'", src, cache, list);
    return system(cmd);
}

/* Analyses rendering r (its answer text from dir) and prints its line: 0 with *a (free a->text),
 * *res (feedback_result_free) and the counts in *one; -1 when it cannot be read. */
static int answer_one(FILE *out, feedback_ctx *fc, const bank *b, const char *dir,
                      const rendering *r, answer_fixture *a, feedback_result *res, tally *one)
{
    char err[512];
    memset(a, 0, sizeof *a);
    int16_t *pcm = NULL;
    size_t len = 0;
    if (answer_load(dir, r->name, a) != 0 ||
        transcribe_read_file(r->wav, &pcm, &len, err, sizeof err) != 0) {
        free(a->text);
        return -1;
    }
    const bank_item *it = bank_find(b, a->question);
    if (!it) {
        fprintf(out, "  %s: no question %s in the bank\n", r->name, a->question);
        free(a->text);
        free(pcm);
        return -1;
    }
    *res = analyse(fc, it, pcm, len, a->text, one);
    free(pcm);
    for (int k = 0; k < res->nkeys; k++) {
        int want = (a->covered >> k) & 1;
        one->tp += want && res->keys[k].covered;
        one->fp += !want && res->keys[k].covered;
        one->fn += want && !res->keys[k].covered;
    }
    one->graded = 1;
    one->equal = res->suggested_grade == a->grade;
    int d = res->suggested_grade - a->grade;
    one->far = res->suggested_grade < 0 || d > 1 || d < -1;
    one->full = a->grade == 3;
    one->full_low = a->grade == 3 && res->suggested_grade < 1;
    fprintf(out, "    %-16s %-7s %-6s grade %2d/%d keys", r->name, r->voice, r->cond,
            res->suggested_grade, a->grade);
    for (int k = 0; k < res->nkeys; k++)
        fprintf(out, " %c", res->keys[k].covered ? (((a->covered >> k) & 1) ? 'Y' : '+')
                                                 : (((a->covered >> k) & 1) ? '-' : '.'));
    fprintf(out, "  WER %.2f%s\n", one->ref_words ? (double)one->errors / one->ref_words : 0,
            res->level == FEEDBACK_LEVEL_QUIET ? "  (very quiet, normalised)"
            : res->level == FEEDBACK_LEVEL_CLIPPED ? "  (clipping)" : "");
    fflush(out);
    return 0;
}

static void run_answers(FILE *out, const transcribe_params *p, const bank *b, int parts,
                        const char *cache)
{
    const char *src = getenv("VIVA_SOURCE_DIR");
    rendering *r;
    int n = plan(src, cache, parts, &r);
    fprintf(out, "\n== held-out answers, voices not in the fixtures (%s half) ==\n",
            parts == TEST ? "test" : parts == TUNE ? "tuning" : "tuning and test");
    if (n == 0) {
        fprintf(out, "  skipped: no bench/heldout answers\n");
        return;
    }
    if (render(src, cache, r, n) != 0)
        fprintf(out, "  some renderings failed (espeak-ng, flite, festival or sox missing): "
                "they are skipped\n");
    char err[512], dir[1200];
    feedback_ctx *fc;
    if (feedback_open(p, &fc, err, sizeof err) != 0) {
        fprintf(out, "  %s\n", err);
        free(r);
        return;
    }
    snprintf(dir, sizeof dir, "%s/bench/heldout", src);
    tally byfam[3] = {{0}}, bycond[NCONDS] = {{0}}, total = {0};
    /* the tuning half also re-scores each transcript with other coverage shares */
    static const double shares[] = {0.30, 0.35, 0.40, 0.45, 0.50};
    enum { NSHARES = sizeof shares / sizeof shares[0] };
    tally byshare[NSHARES] = {{0}};
    feedback_model *rescore = parts == TUNE ? feedback_model_new(b) : NULL;
    for (int i = 0; i < n; i++) {
        answer_fixture a;
        feedback_result res;
        tally one = {0};
        if (answer_one(out, fc, b, dir, &r[i], &a, &res, &one) != 0)
            continue;
        for (int sh = 0; rescore && sh < NSHARES; sh++)
            rescore_share(rescore, shares[sh], bank_find(b, a.question), &a, res.transcript,
                          &byshare[sh]);
        tally_add(&byfam[r[i].family], &one);
        tally_add(&bycond[r[i].condi], &one);
        tally_add(&total, &one);
        feedback_result_free(&res);
        free(a.text);
    }
    for (int f = 0; f < 3; f++)
        if (byfam[f].files)
            print_keys(out, families[f], &byfam[f]);
    for (int c = 0; c < NCONDS; c++)
        if (bycond[c].files)
            print_keys(out, conds[c], &bycond[c]);
    print_keys(out, "all", &total);
    for (int sh = 0; rescore && sh < NSHARES; sh++) {
        char label[32];
        snprintf(label, sizeof label, "share %.2f", shares[sh]);
        print_keys(out, label, &byshare[sh]);
    }
    if (rescore)
        feedback_model_free(rescore);
    feedback_close(fc);
    free(r);
}

/* ---- the same answers after enrolment ------------------------------------------------------ */

/* Speaks adapt.h's enrolment script with `voice` in condition `cond` (make_heldout.sh, cached)
 * and estimates its adaptation: 0 and *mllr (malloc'd), or -1 with the reason printed. */
static int enrol_voice(FILE *out, const char *src, const char *cache, const char *dict,
                       const char *voice, const char *cond, char **mllr, size_t *len)
{
    char tdir[1100], wdir[1100], list[1200], cmd[4000], err[600];
    snprintf(tdir, sizeof tdir, "%s/enrol-texts", cache);
    snprintf(wdir, sizeof wdir, "%s/enrol", cache);
    snprintf(list, sizeof list, "%s/enrol.list", cache);
    mkdir(tdir, 0755);
    size_t ns = adapt_script_count();
    FILE *l = fopen(list, "w");
    for (size_t i = 0; l && i < ns; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/e%02zu.txt", tdir, i + 1);
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "%s\n", adapt_script(i));
            fclose(f);
        }
        fprintf(l, "e%02zu %s %s\n", i + 1, voice, cond);
    }
    if (!l || fclose(l) != 0)
        return -1;
    snprintf(cmd, sizeof cmd, "bash '%s/bench/make_heldout.sh' '%s' '%s' < '%s'", src, wdir,
             tdir, list);
    if (system(cmd) != 0) {
        fprintf(out, "  %s %s: the enrolment sentences could not be spoken\n", voice, cond);
        return -1;
    }
    adapt_sentence *s = xcalloc(ns, sizeof *s);
    int16_t **pcm = xcalloc(ns, sizeof *pcm);
    size_t got = 0;
    for (size_t i = 0; i < ns; i++) {
        char wav[1300];
        size_t n = 0;
        snprintf(wav, sizeof wav, "%s/e%02zu.%s.%s.wav", wdir, i + 1, voice, cond);
        if (transcribe_read_file(wav, &pcm[i], &n, err, sizeof err) == 0)
            s[got++] = (adapt_sentence){pcm[i], n, adapt_script(i)};
    }
    adapt_report rep;
    int rc = adapt_estimate(s, got, NULL, dict, mllr, len, &rep, err, sizeof err);
    if (rc) {
        fprintf(out, "  %s enrolled %s: %s\n", voice, cond, err);
    } else {
        fprintf(out, "  %s enrolled %s: %zu sentences, %.0f s of speech, %.2f s CPU in "
                "sphinxtrain\n", voice, cond, rep.used, rep.seconds, rep.cpu_s);
        /* kept for bench_voice (BENCH_VOICE_ADAPT=this directory) */
        char keep[1300];
        snprintf(keep, sizeof keep, "%s/%s.%s.mllr", wdir, voice, cond);
        FILE *f = fopen(keep, "w");
        if (f) {
            fwrite(*mllr, 1, *len, f);
            fclose(f);
        }
    }
    for (size_t i = 0; i < ns; i++)
        free(pcm[i]);
    free(pcm);
    free(s);
    return rc ? -1 : 0;
}

/* Each voice's answers (the split of run_answers) without adaptation, adapted from the
 * enrolment script spoken clean, and adapted from it spoken in the voice's own condition (the
 * same room and microphone as its answers, as on a device). The script is none of the
 * answers' text. */
static void run_enrol(FILE *out, const transcribe_params *p, const bank *b, int parts,
                      const char *cache)
{
    const char *src = getenv("VIVA_SOURCE_DIR");
    rendering *r;
    int n = plan(src, cache, parts, &r);
    fprintf(out, "\n== held-out answers before and after enrolment (%s half) ==\n",
            parts == TEST ? "test" : parts == TUNE ? "tuning" : "tuning and test");
    char err[600], dir[1200];
    if (n == 0 || adapt_check(NULL, err, sizeof err) != 0) {
        fprintf(out, "  skipped: %s\n", n == 0 ? "no bench/heldout answers" : err);
        free(r);
        return;
    }
    render(src, cache, r, n);
    feedback_ctx *fc;
    if (feedback_open(p, &fc, err, sizeof err) != 0) {
        fprintf(out, "  %s\n", err);
        free(r);
        return;
    }
    snprintf(dir, sizeof dir, "%s/bench/heldout", src);
    static const char *const how[] = {"not adapted", "enrolled clean", "enrolled in its room"};
    tally all[3] = {{0}};
    for (int v = 0; v < NVOICES; v++) {
        const char *cond = NULL;
        for (int i = 0; i < n && !cond; i++)
            if (!strcmp(r[i].voice, voices[v].voice) && r[i].condi < 4)
                cond = r[i].cond;
        if (!cond)
            continue;
        char *mllr[3] = {NULL, NULL, NULL};
        size_t len[3] = {0, 0, 0};
        if (enrol_voice(out, src, cache, p->dict, voices[v].voice, "clean", &mllr[1], &len[1]))
            continue;
        if (strcmp(cond, "clean") != 0 &&
            enrol_voice(out, src, cache, p->dict, voices[v].voice, cond, &mllr[2], &len[2])) {
            free(mllr[1]);
            continue;
        }
        tally one[3] = {{0}};
        for (int k = 0; k < 3; k++) {
            if (k == 2 && !mllr[2]) {
                one[2] = one[1]; /* enrolled clean in a clean room */
                break;
            }
            if (feedback_adapt(fc, mllr[k], len[k], err, sizeof err) != 0) {
                fprintf(out, "  %s: %s\n", voices[v].voice, err);
                continue;
            }
            fprintf(out, "  %s, %s:\n", voices[v].voice, how[k]);
            for (int i = 0; i < n; i++) {
                answer_fixture a;
                feedback_result res;
                tally x = {0};
                if (strcmp(r[i].voice, voices[v].voice) != 0 ||
                    answer_one(out, fc, b, dir, &r[i], &a, &res, &x) != 0)
                    continue;
                tally_add(&one[k], &x);
                feedback_result_free(&res);
                free(a.text);
            }
        }
        for (int k = 0; k < 3; k++) {
            char label[64];
            snprintf(label, sizeof label, "%s %s", voices[v].voice, k ? how[k] + 9 : "as is");
            print_keys(out, label, &one[k]);
            tally_add(&all[k], &one[k]);
        }
        for (int k = 1; k < 3; k++)
            free(mllr[k]);
    }
    for (int k = 0; k < 3; k++)
        print_keys(out, how[k], &all[k]);
    for (int k = 1; k < 3; k++) {
        double w0 = all[0].ref_words ? (double)all[0].errors / all[0].ref_words : 0;
        double w = all[k].ref_words ? (double)all[k].errors / all[k].ref_words : 0;
        fprintf(out, "  %s: word errors %.3f -> %.3f, %.1f%% lower\n", how[k], w0, w,
                w0 > 0 ? 100 * (w0 - w) / w0 : 0);
    }
    feedback_adapt(fc, NULL, 0, err, sizeof err);
    feedback_close(fc);
    free(r);
}

/* ---- the fixtures viva was tuned on -------------------------------------------------------- */

static void run_fixtures(FILE *out, const transcribe_params *p, const bank *b, const char *cache)
{
    const char *src = getenv("VIVA_SOURCE_DIR");
    char dir[1100], err[512];
    snprintf(dir, sizeof dir, "%s/fixtures", cache);
    answer_fixture *fx;
    int nfx = answer_render(src, dir, "", &fx);
    fprintf(out, "\n== the 40 fixtures (tests/feedback/answers; tuned on: for comparison) ==\n");
    if (nfx <= 0) {
        fprintf(out, "  skipped: flite, espeak-ng or sox missing\n");
        return;
    }
    feedback_ctx *fc;
    if (feedback_open(p, &fc, err, sizeof err) != 0) {
        fprintf(out, "  %s\n", err);
        answer_free_list(fx, nfx);
        return;
    }
    tally fl = {0}, es = {0}, all = {0};
    for (int i = 0; i < nfx; i++) {
        int16_t *pcm;
        size_t n;
        const bank_item *it = bank_find(b, fx[i].question);
        if (!it || transcribe_read_file(fx[i].wav, &pcm, &n, err, sizeof err) != 0)
            continue;
        tally one = {0};
        feedback_result r = analyse(fc, it, pcm, n, fx[i].text, &one);
        for (int k = 0; k < r.nkeys; k++) {
            int want = (fx[i].covered >> k) & 1;
            one.tp += want && r.keys[k].covered;
            one.fp += !want && r.keys[k].covered;
            one.fn += want && !r.keys[k].covered;
        }
        one.graded = 1;
        one.equal = r.suggested_grade == fx[i].grade;
        int d = r.suggested_grade - fx[i].grade;
        one.far = r.suggested_grade < 0 || d > 1 || d < -1;
        one.full = fx[i].grade == 3;
        one.full_low = fx[i].grade == 3 && r.suggested_grade < 1;
        tally_add(strcmp(fx[i].voice, "espeak") ? &fl : &es, &one);
        feedback_result_free(&r);
        free(pcm);
    }
    tally_add(&all, &fl);
    tally_add(&all, &es);
    print_keys(out, "flite (fixtures)", &fl);
    print_keys(out, "espeak-ng (fixtures)", &es);
    print_keys(out, "all", &all);
    feedback_close(fc);
    answer_free_list(fx, nfx);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_heldout OUT.txt\n");
        return 2;
    }
    const char *src = getenv("VIVA_SOURCE_DIR"), *assets = getenv("VIVA_ASSET_DIR");
    if (!src || !assets) {
        fprintf(stderr, "bench_heldout: set VIVA_SOURCE_DIR and VIVA_ASSET_DIR\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    char cache[1000], dict[1100];
    snprintf(cache, sizeof cache, "%s.cache", argv[1]);
    mkdir(cache, 0755);
    snprintf(dict, sizeof dict, "%s/dict/viva.dict", assets);
    const char *pe = getenv("BENCH_HELDOUT_PART"), *se = getenv("BENCH_HELDOUT_SETS");
    int parts = !pe || !*pe || !strcmp(pe, "test") ? TEST : !strcmp(pe, "tune") ? TUNE
                                                                                  : TUNE | TEST;
    const char *sets = se && *se ? se : "real,answers,fixtures,enrol";
    bank *b = load_builtin(assets);
    transcribe_params p = {.dict = dict, .bank = b};
    const char *w = getenv("BENCH_HELDOUT_WEIGHT"), *o = getenv("BENCH_HELDOUT_OPTIONS");
    const char *full = getenv("BENCH_HELDOUT_SEARCH");
    if (w && atof(w) > 0 && atof(w) < 1)
        p.bank_weight = atof(w);
    if (o && *o)
        p.options = o;
    if (full && !strcmp(full, "full"))
        p.search = TRANSCRIBE_SEARCH_FULL;
    const char *d = getenv("BENCH_HELDOUT_DICT"), *nl = getenv("BENCH_HELDOUT_NO_LEVEL");
    if (d && *d)
        p.dict = d;
    p.no_level = nl && *nl == '1';
    const char *gw = getenv("BENCH_HELDOUT_WORDS");
    if (gw && *gw)
        p.generic_words = atoi(gw);
    long rss0 = status_kib("VmRSS:");
    double c0 = cpu_now();
    char err[512];
    feedback_ctx *fc;
    if (feedback_open(&p, &fc, err, sizeof err) != 0) {
        fprintf(out, "bench_heldout: %s\n", err);
        fclose(out);
        bank_free(b);
        return 0;
    }
    fprintf(out, "bench_heldout: bank weight %s, search %s, options \"%s\", dictionary %s, "
            "level normalisation %s, generic words %d; model load %.2f s CPU, resident memory added %.1f MiB\n",
            w && *w ? w : "default", p.search == TRANSCRIBE_SEARCH_FULL ? "full" : "viva's",
            o ? o : "", p.dict, p.no_level ? "off" : "on", p.generic_words,
            cpu_now() - c0, (status_kib("VmRSS:") - rss0) / 1024.0);
    feedback_close(fc);
    if (strstr(sets, "real"))
        run_real(out, &p, parts, cache);
    if (strstr(sets, "answers"))
        run_answers(out, &p, b, parts, cache);
    if (strstr(sets, "fixtures"))
        run_fixtures(out, &p, b, cache);
    if (strstr(sets, "enrol"))
        run_enrol(out, &p, b, parts, cache);
    bank_free(b);
    fclose(out);
    return 0;
}

#else
int main(int argc, char **argv)
{
    FILE *out = argc > 1 ? fopen(argv[1], "w") : NULL;
    if (out) {
        fprintf(out, "bench_heldout: built without speech\n");
        fclose(out);
    }
    return 0;
}
#endif
