/* transcribe.c: pocketsphinx's n-gram search with the generic and the bank language models
 * mixed, and feedback_analyse (transcribe.h).
 *
 * Opening: the decoder starts with the acoustic model and the CMU dictionary only; the extra
 * pronunciations (viva.dict, then flite's rules for bank words still unknown) are added with
 * ps_add_word before any search exists, so nothing is rebuilt per word. The bank model is
 * written as ARPA text to a temporary file (sphinxbase reads models from files only), read,
 * and the file removed; the two models go into an ngram_model_set with interpolation weights,
 * which becomes the one search.
 *
 * Decoding: the audio is cut into utterances of at most TRANSCRIBE_UTT_SECONDS at the quietest
 * 200 ms of their second half, so the decoder's per-utterance tables stay small whatever the
 * answer's length; silence removal is off so frame i is samples [160 i, 160 i + 160). */
#include "transcribe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <flite/flite.h>
#include <hash_table.h>
#include <pocketsphinx.h>
#include <samplerate.h>
#include <sndfile.h>

#include "adapt.h"
#include "verr.h"

#ifndef VIVA_PS_MODEL_DIR
#define VIVA_PS_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#endif

#define FRAME 160 /* 10 ms */

/* The fast search (docs/readme/feedback.md has the measurements behind it): one forward pass
 * without the flat-lexicon second pass and the lattice, phone look-ahead, at most 1500 active
 * HMMs and 10 word exits per frame (5 exits lost most of what espeak-ng said). Language weight
 * 8 instead of 6.5: chosen on the tuning half of the real human recordings (bench_heldout:
 * word errors 0.435 -> 0.377; 7 and 10 were worse, 9 the same). */
#ifndef FAST_OPTIONS
#define FAST_OPTIONS                                                                          \
    "-fwdflat", "no", "-bestpath", "no", "-pl_window", "5", "-maxhmmpf", "1500", "-topn", "4",   \
        "-maxwpf", "10", "-lw", "8"
#endif

/* flite's CMU lexicon (libflite_cmulex); its header is not installed by Debian. */
cst_lexicon *cmu_lex_init(void);

struct transcriber {
    ps_decoder_t *ps;
    cmd_ln_t *cfg;
    int cumulative;  /* segment frames count from the first utterance (seen once: for good) */
};

/* ---- pronunciations ------------------------------------------------------------------------ */

static int known(ps_decoder_t *ps, const char *word)
{
    char *ph = ps_lookup_word(ps, word);
    free(ph);
    return ph != NULL;
}

int transcribe_knows(transcriber *t, const char *word)
{
    return known(t->ps, word);
}

/* Adds every entry of a dictionary file ("word PH ON ES", "word(2) ...", ';' comments) whose
 * spelling the decoder lacks. Returns the number added, or -1 if the file cannot be read. */
static int add_dict_file(ps_decoder_t *ps, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int added = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == ';' || line[0] == '#')
            continue;
        char *sp = strchr(line, ' ');
        if (!sp)
            continue;
        *sp = '\0';
        const char *phones = sp + 1 + strspn(sp + 1, " \t");
        if (*phones && !known(ps, line) && ps_add_word(ps, line, phones, FALSE) >= 0)
            added++;
    }
    fclose(f);
    return added;
}

/* flite's phones ("ax", "ow1") in the CMU set of the acoustic model ("AH", "OW"). */
static void append_phone(strbuf *sb, const char *ph)
{
    char up[8];
    size_t n = 0;
    for (; *ph && n + 1 < sizeof up; ph++) /* stress digits go: "ax0" -> "ax" */
        if (*ph < '0' || *ph > '9')
            up[n++] = *ph;
    up[n] = '\0';
    if (!n || strcmp(up, "pau") == 0)
        return;
    const char *cmu = strcmp(up, "ax") == 0 ? "ah" : strcmp(up, "axr") == 0 ? "er" : up;
    sb_append(sb, sb->len ? " " : "");
    for (; *cmu; cmu++)
        sb_appendc(sb, (char)(*cmu >= 'a' && *cmu <= 'z' ? *cmu - 32 : *cmu));
}

static void lex_phones(cst_lexicon *lex, const char *word, strbuf *out)
{
    cst_val *v = lex_lookup(lex, word, NULL, NULL);
    for (const cst_val *p = v; p; p = val_cdr(p))
        append_phone(out, val_string(val_car(p)));
    if (v)
        delete_val(v);
}

typedef struct {
    ps_decoder_t *ps;
    cst_lexicon *lex;
    int added;
} lts_ctx;

/* A bank word the dictionaries lack: a word without vowels ("tcp") is spelled letter by letter
 * as flite would read it; any other goes through flite's lexicon and letter-to-sound rules. */
static void add_lts_word(void *ctx, const char *word)
{
    lts_ctx *c = ctx;
    if (known(c->ps, word))
        return;
    strbuf ph = {0};
    if (!strpbrk(word, "aeiouy") || strlen(word) == 1) {
        for (const char *p = word; *p; p++) {
            char letter[2] = {*p, '\0'};
            if (*p >= 'a' && *p <= 'z')
                lex_phones(c->lex, letter, &ph);
        }
    } else {
        char clean[FEEDBACK_WORD_MAX];
        size_t n = 0;
        for (const char *p = word; *p && n + 1 < sizeof clean; p++)
            if (*p != '\'')
                clean[n++] = *p;
        clean[n] = '\0';
        lex_phones(c->lex, clean, &ph);
    }
    if (ph.len && ps_add_word(c->ps, word, sb_str(&ph), FALSE) >= 0)
        c->added++;
    sb_free(&ph);
}

static int add_bank_words(ps_decoder_t *ps, const bank *b)
{
    lts_ctx c = {ps, cmu_lex_init(), 0};
    if (!c.lex)
        return 0;
    for (size_t i = 0; i < bank_count(b); i++) {
        const bank_item *it = bank_at(b, i);
        feedback_words(it->question, add_lts_word, &c);
        for (int k = 0; k < it->nkeys; k++) {
            feedback_words(it->keys[k], add_lts_word, &c);
            if (it->terms[k])
                feedback_words(it->terms[k], add_lts_word, &c);
        }
        if (it->answer)
            feedback_words(it->answer, add_lts_word, &c);
    }
    return c.added;
}

/* ---- a smaller vocabulary ------------------------------------------------------------------ */

/* The search's cost grows with its lexicon tree, which holds every word of the dictionary that
 * the language models know: 72,000 words with the generic model. Answers use far fewer, so the
 * dictionary is cut to the generic model's `keep` most probable words plus every bank word. */

typedef struct {
    hash_table_t *h;
    char **owned;
    size_t n, cap;
} word_set;

static void set_add(void *ctx, const char *w)
{
    word_set *s = ctx;
    void *v;
    if (hash_table_lookup(s->h, w, &v) == 0)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->owned = xrealloc(s->owned, s->cap * sizeof *s->owned);
    }
    s->owned[s->n] = xstrdup(w);
    hash_table_enter_int32(s->h, s->owned[s->n], 1);
    s->n++;
}

static int cmp_desc(const void *a, const void *b)
{
    int32 x = *(const int32 *)a, y = *(const int32 *)b;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* A temporary file with no name: created in $TMPDIR (or /tmp), unlinked at once, and read
 * back by pocketsphinx through /proc/self/fd/N. Nothing is left behind even when the process
 * ends while the models load (a kiosk stopped during start-up). Returns the descriptor (the
 * caller closes it) and the path to read it by, or -1. */
static int anon_file(const char *prefix, char *procpath, size_t len)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s-XXXXXX", dir && *dir ? dir : "/tmp", prefix);
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    snprintf(procpath, len, "/proc/self/fd/%d", fd);
    return fd;
}

/* Writes the lines of `cmudict` whose word is in `keep` to a temporary file and loads it as
 * the decoder's dictionary. Returns 0, or -1 (the full dictionary stays). */
static int load_cut_dict(ps_decoder_t *ps, const char *cmudict, word_set *keep)
{
    char path[64], line[512];
    int fd = anon_file("viva-dict", path, sizeof path);
    if (fd < 0)
        return -1;
    int wfd = dup(fd);
    FILE *out = wfd >= 0 ? fdopen(wfd, "w") : NULL, *in = fopen(cmudict, "r");
    int rc = -1;
    if (out && in) {
        while (fgets(line, sizeof line, in)) {
            size_t n = strcspn(line, " \t(");
            char c = line[n];
            line[n] = '\0';
            void *v;
            int want = hash_table_lookup(keep->h, line, &v) == 0;
            line[n] = c;
            if (want)
                fputs(line, out);
        }
        rc = ferror(out) || ferror(in) ? -1 : 0;
    }
    if (in)
        fclose(in);
    if (out ? fclose(out) != 0 : (wfd >= 0 && close(wfd) != 0))
        rc = -1;
    if (rc == 0 && ps_load_dict(ps, path, NULL, NULL) < 0)
        rc = -1;
    close(fd);
    return rc;
}

static void cut_vocabulary(ps_decoder_t *ps, const char *cmudict, ngram_model_t *generic,
                           const bank *b, int keep)
{
    word_set s = {hash_table_new(keep + 16384, HASH_CASE_YES), NULL, 0, 0};
    uint32 nuni = ngram_model_get_counts(generic)[0];
    int32 *scores = malloc(nuni * sizeof *scores);
    size_t n = 0;
    if (!scores)
        goto done;
    /* (Debian's sphinxbase exports no n-gram iterators: word ids are 0 .. unigrams - 1) */
    for (uint32 wid = 0; wid < nuni; wid++) {
        const char *w = ngram_word(generic, (int32)wid);
        scores[n++] = w ? ngram_probv(generic, w, NULL) : INT32_MIN;
    }
    if (n == 0)
        goto done;
    int32 *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        goto done;
    memcpy(sorted, scores, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_desc);
    int32 threshold = sorted[(size_t)keep < n ? (size_t)keep - 1 : n - 1];
    free(sorted);
    for (uint32 wid = 0; wid < nuni; wid++) {
        const char *w = ngram_word(generic, (int32)wid);
        if (w && scores[wid] >= threshold && scores[wid] > INT32_MIN)
            set_add(&s, w);
    }
    for (size_t i = 0; b && i < bank_count(b); i++) {
        const bank_item *item = bank_at(b, i);
        feedback_words(item->question, set_add, &s);
        for (int k = 0; k < item->nkeys; k++) {
            feedback_words(item->keys[k], set_add, &s);
            if (item->terms[k])
                feedback_words(item->terms[k], set_add, &s);
        }
        if (item->answer)
            feedback_words(item->answer, set_add, &s);
    }
    load_cut_dict(ps, cmudict, &s);
done:
    free(scores);
    hash_table_free(s.h);
    for (size_t i = 0; i < s.n; i++)
        free(s.owned[i]);
    free(s.owned);
}

/* ---- opening ------------------------------------------------------------------------------- */

/* Sets option `name` to `value` in the argument list (replacing an earlier value). */
static void set_arg(const char **argv, int *argc, int max, const char *name, const char *value)
{
    for (int i = 0; i + 1 < *argc; i += 2)
        if (strcmp(argv[i], name) == 0) {
            argv[i + 1] = value;
            return;
        }
    if (*argc + 2 <= max) {
        argv[(*argc)++] = name;
        argv[(*argc)++] = value;
    }
}

/* The decoder's configuration: the model, the search of p->search, then p->options. */
static cmd_ln_t *make_config(const char *hmm, const char *dict, const transcribe_params *p)
{
    enum { MAX = 64 };
    static const char *const fast[] = {FAST_OPTIONS};
    const char *argv[MAX] = {0};
    int argc = 0;
    set_arg(argv, &argc, MAX, "-hmm", hmm);
    set_arg(argv, &argc, MAX, "-dict", dict);
    set_arg(argv, &argc, MAX, "-remove_silence", "no");
    set_arg(argv, &argc, MAX, "-logfn", "/dev/null");
    if (!(p && p->search == TRANSCRIBE_SEARCH_FULL))
        for (size_t i = 0; i + 1 < sizeof fast / sizeof fast[0]; i += 2)
            set_arg(argv, &argc, MAX, fast[i], fast[i + 1]);
    char *extra = p && p->options ? xstrdup(p->options) : NULL, *save = NULL;
    for (char *name = extra ? strtok_r(extra, " \t", &save) : NULL; name;
         name = strtok_r(NULL, " \t", &save)) {
        char *value = strtok_r(NULL, " \t", &save);
        if (value)
            set_arg(argv, &argc, MAX, name, value);
    }
    cmd_ln_t *cfg = cmd_ln_parse_r(NULL, ps_args(), argc, (char **)argv, FALSE);
    free(extra);
    return cfg;
}

static ngram_model_t *read_bank_lm(transcriber *t, const bank *b, char *err, size_t errlen)
{
    strbuf arpa = {0};
    ngram_model_t *lm = NULL;
    if (feedback_lm_arpa(b, &arpa) == 0) {
        snprintf(err, errlen, "feedback: the loaded banks have no text for a language model");
        goto done;
    }
    char path[64];
    int fd = anon_file("viva-lm", path, sizeof path);
    if (fd < 0) {
        const char *dir = getenv("TMPDIR");
        snprintf(err, errlen, "feedback: cannot create a temporary file in %s",
                 dir && *dir ? dir : "/tmp");
        goto done;
    }
    int wfd = dup(fd);
    FILE *f = wfd >= 0 ? fdopen(wfd, "w") : NULL;
    int bad = !f || fwrite(arpa.s, 1, arpa.len, f) != arpa.len;
    bad |= f ? fclose(f) != 0 : (wfd >= 0 && close(wfd) != 0);
    if (!bad)
        lm = ngram_model_read(t->cfg, path, NGRAM_ARPA, ps_get_logmath(t->ps));
    close(fd);
    if (!lm)
        snprintf(err, errlen, "feedback: cannot %s the bank language model (%zu bytes)",
                 bad ? "write" : "read", arpa.len);
done:
    sb_free(&arpa);
    return lm;
}

int transcribe_open(const transcribe_params *p, transcriber **out, char *err, size_t errlen)
{
    const char *model = p && p->model_dir && *p->model_dir ? p->model_dir : VIVA_PS_MODEL_DIR;
    char hmm[1024], dict[1024], lmpath[1024];
    transcriber *t = NULL;
    ngram_model_t *generic = NULL, *banklm = NULL, *set = NULL;
    int rc = VIVA_OK;

    *out = NULL;
    snprintf(hmm, sizeof hmm, "%s/en-us/mdef", model);
    snprintf(dict, sizeof dict, "%s/cmudict-en-us.dict", model);
    snprintf(lmpath, sizeof lmpath, "%s/en-us.lm.bin", model);
    const char *missing = access(hmm, R_OK) ? hmm : access(dict, R_OK) ? dict
                          : access(lmpath, R_OK) ? lmpath : NULL;
    if (missing) {
        snprintf(err, errlen, "feedback: no speech model file %s (install the Debian package "
                 "pocketsphinx-en-us)", missing);
        return VIVA_ENOTFOUND;
    }
    if (p && p->dict && *p->dict && access(p->dict, R_OK) != 0) {
        snprintf(err, errlen, "feedback: no pronunciation dictionary %s (it ships in viva's "
                 "assets/dict)", p->dict);
        return VIVA_ENOTFOUND;
    }
    snprintf(hmm, sizeof hmm, "%s/en-us", model);

    t = calloc(1, sizeof *t);
    if (!t)
        return VIVA_ENOMEM;
    t->cfg = make_config(hmm, dict, p);
    t->ps = t->cfg ? ps_init(t->cfg) : NULL;
    if (!t->ps) {
        snprintf(err, errlen, "feedback: pocketsphinx could not start with the model in %s",
                 model);
        rc = VIVA_EIO;
        goto fail;
    }
    const bank *b = p && p->bank && bank_count(p->bank) ? p->bank : NULL;
    if (!(p && p->no_generic && b)) {
        generic = ngram_model_read(t->cfg, lmpath, NGRAM_AUTO, ps_get_logmath(t->ps));
        if (!generic) {
            snprintf(err, errlen, "feedback: cannot read the language model %s", lmpath);
            rc = VIVA_EIO;
            goto fail;
        }
        int keep = p && p->generic_words ? p->generic_words : TRANSCRIBE_GENERIC_WORDS;
        if (keep > 0)
            cut_vocabulary(t->ps, dict, generic, b, keep);
    }
    if (p && p->dict && *p->dict && add_dict_file(t->ps, p->dict) < 0) {
        snprintf(err, errlen, "feedback: cannot read the pronunciation dictionary %s", p->dict);
        rc = VIVA_ENOTFOUND;
        goto fail;
    }
    if (b)
        add_bank_words(t->ps, b);

    if (b && !(p->no_bank_lm && generic) && !(banklm = read_bank_lm(t, b, err, errlen))) {
        rc = VIVA_EIO;
        goto fail;
    }
    ngram_model_t *models[2];
    char *names[2];
    float32 weights[2];
    int nm = 0;
    double bw = p && p->bank_weight > 0 && p->bank_weight < 1 ? p->bank_weight : 0.5;
    if (generic) {
        models[nm] = generic;
        names[nm] = "generic";
        weights[nm++] = (float32)(banklm ? 1 - bw : 1);
    }
    if (banklm) {
        models[nm] = banklm;
        names[nm] = "bank";
        weights[nm++] = (float32)(generic ? bw : 1);
    }
    set = ngram_model_set_init(t->cfg, models, names, weights, nm);
    if (!set) {
        snprintf(err, errlen, "feedback: cannot combine the language models");
        rc = VIVA_EIO;
        goto fail;
    }
    /* the set holds its own references to the models */
    if (generic)
        ngram_model_free(generic);
    if (banklm)
        ngram_model_free(banklm);
    generic = banklm = NULL;
    if (ps_set_lm(t->ps, "viva", set) < 0 || ps_set_search(t->ps, "viva") < 0) {
        snprintf(err, errlen, "feedback: pocketsphinx refused the language model");
        rc = VIVA_EIO;
        goto fail;
    }
    ngram_model_free(set); /* the search holds its own reference (checked with valgrind) */
    *out = t;
    return VIVA_OK;

fail:
    if (set)
        ngram_model_free(set);
    if (generic)
        ngram_model_free(generic);
    if (banklm)
        ngram_model_free(banklm);
    transcribe_close(t);
    return rc;
}

int transcribe_adapt(transcriber *t, const char *data, size_t len, char *err, size_t errlen)
{
    return adapt_apply(t->ps, data, len, err, errlen);
}

void transcribe_close(transcriber *t)
{
    if (!t)
        return;
    if (t->ps)
        ps_free(t->ps);
    if (t->cfg)
        cmd_ln_free_r(t->cfg);
    free(t);
}

/* ---- decoding ------------------------------------------------------------------------------ */

/* The quietest 200 ms window of pcm[from, to), as the sample where an utterance may end. */
static size_t quietest(const int16_t *pcm, size_t from, size_t to)
{
    enum { WIN = 20 };
    size_t nf = (to - from) / FRAME;
    if (nf <= WIN)
        return to;
    double *e = malloc(nf * sizeof *e);
    if (!e)
        return to;
    for (size_t f = 0; f < nf; f++) {
        double s = 0;
        for (size_t i = 0; i < FRAME; i++) {
            double x = pcm[from + f * FRAME + i];
            s += x * x;
        }
        e[f] = s;
    }
    double sum = 0, best = INFINITY;
    size_t at = nf / 2;
    for (size_t f = 0; f < nf; f++) {
        sum += e[f];
        if (f >= WIN)
            sum -= e[f - WIN];
        if (f + 1 >= WIN && sum < best) {
            best = sum;
            at = f + 1 - WIN / 2;
        }
    }
    free(e);
    return from + at * FRAME;
}

static int is_marker(const char *w)
{
    return !*w || *w == '<' || *w == '[' || *w == '+';
}

/* The utterance's word lattice with each link's posterior probability (forward-backward with
 * the search's language models, pocketsphinx's -ascale), or NULL. The one-pass search keeps
 * no lattice of its own: this builds it from the backpointer table (about 2% of the
 * decoding time) and leaves the recognised words as they are. */
static ps_lattice_t *posteriors(transcriber *t)
{
    ps_lattice_t *dag = ps_get_lattice(t->ps);
    /* the search's name as transcribe_open set it (ps_get_search leaks an iterator in
     * Debian's 5prealpha) */
    ngram_model_t *lm = ps_get_lm(t->ps, "viva");
    float32 ascale = 1.0f / cmd_ln_float32_r(t->cfg, "-ascale");
    if (!dag || !lm || !ps_lattice_bestpath(dag, lm, 1.0f, ascale))
        return NULL;
    ps_lattice_posterior(dag, lm, ascale);
    return dag;
}

/* How sure the lattice is of `word` at frame `mid`: the posterior mass of the links for that
 * word (any pronunciation) that span the frame, over the mass of every link that spans it (1
 * in theory; dividing keeps the answer a share when the lattice's normaliser is off, as when
 * the search ends inside a word, and the sums are taken relative to the largest link so they
 * cannot overflow). -1 without a lattice. */
static double word_posterior(ps_lattice_t *dag, logmath_t *lmath, const char *word, int mid)
{
    if (!dag)
        return -1;
    double same = 0, all = 0;
    int32 top = 0;
    for (int pass = 0; pass < 2; pass++) {
        int first = 1;
        for (ps_latnode_iter_t *it = ps_latnode_iter(dag); it; it = ps_latnode_iter_next(it)) {
            ps_latlink_iter_t *li = ps_latnode_exits(ps_latnode_iter_node(it));
            for (; li; li = ps_latlink_iter_next(li)) {
                ps_latlink_t *link = ps_latlink_iter_link(li);
                int16 sf;
                int ef = ps_latlink_times(link, &sf);
                if (sf > mid || ef < mid)
                    continue;
                int32 lp = ps_latlink_prob(dag, link, NULL);
                if (pass == 0) {
                    top = first || lp > top ? lp : top;
                    first = 0;
                    continue;
                }
                double p = logmath_exp(lmath, lp - top);
                const char *w = ps_latlink_baseword(dag, link);
                all += p;
                if (w && strcmp(w, word) == 0)
                    same += p;
            }
        }
    }
    return all > 0 ? same / all : 0;
}

static int decode_utt(transcriber *t, const int16_t *pcm, size_t n, double offset,
                      feedback_word **words, size_t *nw, size_t *cap)
{
    if (ps_start_utt(t->ps) < 0)
        return VIVA_EIO;
    /* the whole utterance at once: the cepstral mean comes from this utterance (-cmn batch),
     * not from whatever the decoder heard before, so a quiet or distant answer after a loud
     * one is heard the same as alone */
    if (ps_process_raw(t->ps, pcm, n, FALSE, TRUE) < 0) {
        ps_end_utt(t->ps);
        return VIVA_EIO;
    }
    if (ps_end_utt(t->ps) < 0)
        return VIVA_EIO;
    /* Debian's 5prealpha numbers segment frames from the decoder's first utterance, not from
     * this one (as speech_cmd.c found for spotting); other builds restart at 0. A segment
     * (markers included: the last one reaches the utterance's end) ending beyond this
     * utterance's frames tells which. */
    long nf = ps_get_n_frames(t->ps);
    for (ps_seg_t *s = t->cumulative ? NULL : ps_seg_iter(t->ps); s; s = ps_seg_next(s)) {
        int sf, ef;
        ps_seg_frames(s, &sf, &ef);
        if (ef > nf + 1) {
            t->cumulative = 1;
            ps_seg_free(s);
            break;
        }
    }
    /* The base of those numbers is the first segment's start (it starts the utterance), not
     * the frames decoded so far: that count runs 6 frames per utterance ahead (nf 275 for
     * segments numbered on from 269), so word times and the lattice lookup used to drift
     * answer after answer. */
    long base = 0;
    ps_seg_t *first = t->cumulative ? ps_seg_iter(t->ps) : NULL;
    if (first) {
        int sf0, ef0;
        ps_seg_frames(first, &sf0, &ef0);
        base = sf0;
        ps_seg_free(first);
    }
    ps_lattice_t *dag = posteriors(t);
    for (ps_seg_t *s = ps_seg_iter(t->ps); s; s = ps_seg_next(s)) {
        const char *w = ps_seg_word(s);
        if (is_marker(w))
            continue;
        int sf, ef;
        ps_seg_frames(s, &sf, &ef);
        sf -= (int)base;
        ef -= (int)base;
        int mid = (sf + ef) / 2; /* the lattice counts from this utterance's start */
        if (*nw == *cap) {
            *cap = *cap ? *cap * 2 : 256;
            *words = xrealloc(*words, *cap * sizeof **words);
        }
        feedback_word *fw = &(*words)[(*nw)++];
        snprintf(fw->text, sizeof fw->text, "%s", w);
        char *paren = strchr(fw->text, '(');
        if (paren && paren != fw->text)
            *paren = '\0';
        fw->conf = word_posterior(dag, ps_get_logmath(t->ps), fw->text, mid);
        fw->start = offset + sf * (double)FRAME / TRANSCRIBE_RATE;
        fw->end = offset + (ef + 1) * (double)FRAME / TRANSCRIBE_RATE;
    }
    return VIVA_OK;
}

int transcribe_pcm(transcriber *t, const int16_t *pcm, size_t n, feedback_word **words,
                   size_t *nwords)
{
    const size_t max = (size_t)TRANSCRIBE_UTT_SECONDS * TRANSCRIBE_RATE;
    size_t nw = 0, cap = 0;
    *words = NULL;
    *nwords = 0;
    for (size_t at = 0; at < n;) {
        size_t end = n;
        if (n - at > max)
            end = quietest(pcm, at + max / 2, at + max);
        int rc = decode_utt(t, pcm + at, end - at, (double)at / TRANSCRIBE_RATE, words, &nw,
                            &cap);
        if (rc != VIVA_OK) {
            free(*words);
            *words = NULL;
            return rc;
        }
        at = end;
    }
    *nwords = nw;
    if (!nw) {
        free(*words);
        *words = NULL;
    }
    return VIVA_OK;
}

/* ---- files --------------------------------------------------------------------------------- */

int transcribe_read_file(const char *path, int16_t **pcm, size_t *frames, char *err,
                         size_t errlen)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    *pcm = NULL;
    *frames = 0;
    if (access(path, R_OK) != 0) {
        snprintf(err, errlen, "%s: cannot read the file", path);
        return VIVA_ENOTFOUND;
    }
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        snprintf(err, errlen, "%s: not a sound file libsndfile reads (WAV, FLAC, Ogg): %s", path,
                 sf_strerror(NULL));
        return VIVA_EPARSE;
    }
    enum { BLOCK = 4096 };
    int ch = info.channels, rc = VIVA_OK, srcerr = 0;
    double ratio = (double)TRANSCRIBE_RATE / info.samplerate;
    SRC_STATE *src = info.samplerate != TRANSCRIBE_RATE ? src_new(SRC_SINC_FASTEST, 1, &srcerr)
                                                         : NULL;
    float *in = malloc((size_t)BLOCK * (size_t)ch * sizeof *in);
    float *mono = malloc(BLOCK * sizeof *mono);
    size_t outcap = (size_t)(BLOCK * ratio) + 64;
    float *res = malloc(outcap * sizeof *res);
    strbuf acc = {0}; /* int16 samples as bytes */
    if (!in || !mono || !res || (info.samplerate != TRANSCRIBE_RATE && !src)) {
        snprintf(err, errlen, "%s: cannot set up reading (%s)", path,
                 srcerr ? src_strerror(srcerr) : "out of memory");
        rc = VIVA_EIO;
        goto done;
    }
    for (;;) {
        sf_count_t got = sf_readf_float(sf, in, BLOCK);
        for (sf_count_t i = 0; i < got; i++) {
            float s = 0;
            for (int c = 0; c < ch; c++)
                s += in[i * ch + c];
            mono[i] = s / (float)ch;
        }
        const float *outp = mono;
        long nout = (long)got;
        if (src) {
            SRC_DATA d = {.data_in = mono, .data_out = res, .input_frames = (long)got,
                          .output_frames = (long)outcap, .src_ratio = ratio,
                          .end_of_input = got < BLOCK};
            long used = 0;
            nout = 0;
            do {
                d.data_in = mono + used;
                d.input_frames = (long)got - used;
                d.data_out = res;
                int e = src_process(src, &d);
                if (e) {
                    snprintf(err, errlen, "%s: resampling failed: %s", path, src_strerror(e));
                    rc = VIVA_EIO;
                    goto done;
                }
                used += d.input_frames_used;
                int16_t tmp[1024];
                for (long i = 0; i < d.output_frames_gen; i += 1024) {
                    long k = d.output_frames_gen - i < 1024 ? d.output_frames_gen - i : 1024;
                    src_float_to_short_array(res + i, tmp, (int)k);
                    sb_appendn(&acc, (const char *)tmp, (size_t)k * sizeof *tmp);
                }
            } while (d.output_frames_gen > 0 || used < (long)got);
        } else {
            int16_t tmp[BLOCK];
            src_float_to_short_array(outp, tmp, (int)nout);
            sb_appendn(&acc, (const char *)tmp, (size_t)nout * sizeof *tmp);
        }
        if (got < BLOCK)
            break;
    }
    *frames = acc.len / sizeof(int16_t);
    *pcm = (int16_t *)sb_take(&acc);
done:
    sb_free(&acc);
    free(in);
    free(mono);
    free(res);
    if (src)
        src_delete(src);
    sf_close(sf);
    return rc;
}
