/* transcriber.c: the engines' list and feedback on an answer through an engine's function
 * table (transcriber.h): the voice-activity detector decides silence, the engine gives the
 * words, src/feedback scores them. */
#include "transcriber.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapt.h"
#include "level.h"
#include "strbuf.h"
#include "vad.h"
#include "verr.h"

const transcriber_engine *transcriber_default(void)
{
    return &transcriber_pocketsphinx;
}

const transcriber_engine *transcriber_find(const char *name)
{
    static const transcriber_engine *const all[] = {&transcriber_pocketsphinx};
    for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(all[i]->name, name) == 0)
            return all[i];
    return NULL;
}

struct feedback_ctx {
    const transcriber_engine *e;
    void *eng;
    feedback_model *m;
    int no_level;
};

int feedback_open(const transcribe_params *p, feedback_ctx **out, char *err, size_t errlen)
{
    feedback_ctx *c = xcalloc(1, sizeof *c);
    c->e = p && p->engine ? p->engine : transcriber_default();
    int rc = c->e->open(p, &c->eng, err, errlen);
    if (rc != VIVA_OK) {
        free(c);
        *out = NULL;
        return rc;
    }
    c->m = feedback_model_new(p ? p->bank : NULL);
    c->no_level = p && p->no_level;
    *out = c;
    return VIVA_OK;
}

void feedback_close(feedback_ctx *c)
{
    if (!c)
        return;
    c->e->close(c->eng);
    feedback_model_free(c->m);
    free(c);
}

int feedback_recognise(feedback_ctx *c, const int16_t *pcm, size_t n, feedback_word **words,
                       size_t *nwords)
{
    return c->e->words(c->eng, pcm, n, words, nwords);
}

int feedback_adapt(feedback_ctx *c, const char *data, size_t len, char *err, size_t errlen)
{
    if (!c->e->adapt) {
        snprintf(err, errlen, "the %s engine cannot adapt to a voice", c->e->name);
        return VIVA_ENOTFOUND;
    }
    return c->e->adapt(c->eng, data, len, err, errlen);
}

int feedback_knows(feedback_ctx *c, const char *word)
{
    return c->e->knows(c->eng, word);
}

const transcriber_engine *feedback_engine(const feedback_ctx *c)
{
    return c->e;
}

const feedback_model *feedback_model_of(const feedback_ctx *c)
{
    return c->m;
}

int feedback_analyse(feedback_ctx *c, const bank_item *it, const int16_t *pcm, size_t n,
                     feedback_result *out)
{
    /* A far too quiet recording is amplified first: below the speech detector's floor it would
     * be "no speech heard", and the recogniser hears quantisation noise in it. */
    level_norm ln;
    level_norm_measure(pcm, n, &ln);
    int16_t *loud = NULL;
    if (ln.gain_db > 0 && !c->no_level) {
        loud = malloc(n * sizeof *loud);
        if (loud) {
            memcpy(loud, pcm, n * sizeof *loud);
            level_normalise(loud, n, NULL);
            pcm = loud;
        }
    }
    vad_params vp;
    vad_params_default(&vp, TRANSCRIBE_RATE, 0);
    vad v;
    vad_init(&v, &vp);
    for (size_t i = 0; i < n; i += 16000)
        vad_feed(&v, pcm + i, n - i < 16000 ? n - i : 16000);
    vad_finish(&v);
    feedback_word *words = NULL;
    size_t nw = 0;
    int rc = VIVA_OK;
    if (vad_get_timeline(&v)->first_speech >= 0)
        rc = feedback_recognise(c, pcm, n, &words, &nw);
    feedback_score(c->m, it, words, nw, out);
    out->level = ln.quiet ? FEEDBACK_LEVEL_QUIET : ln.clipped ? FEEDBACK_LEVEL_CLIPPED
                                                             : FEEDBACK_LEVEL_OK;
    free(words);
    free(loud);
    return rc;
}

/* ---- enrolment --------------------------------------------------------------------------- */

typedef struct {
    char **w;
    size_t n, cap;
} words;

static void add_word(void *ctx, const char *w)
{
    words *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->w = xrealloc(l->w, l->cap * sizeof *l->w);
    }
    l->w[l->n++] = xstrdup(w);
}

static void words_free(words *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i]);
    free(l->w);
}

/* Word-level edit distance. */
static size_t distance(const words *a, const words *b)
{
    size_t *prev = xcalloc(b->n + 1, sizeof *prev), *cur = xcalloc(b->n + 1, sizeof *cur);
    for (size_t j = 0; j <= b->n; j++)
        prev[j] = j;
    for (size_t i = 1; i <= a->n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= b->n; j++) {
            size_t sub = prev[j - 1] + (strcmp(a->w[i - 1], b->w[j - 1]) != 0);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    size_t d = prev[b->n];
    free(prev);
    free(cur);
    return d;
}

/* Word errors of the context's engine on the sentences, as it stands. */
static double sentence_wer(feedback_ctx *c, const adapt_sentence *s, size_t n)
{
    size_t errors = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        words ref = {0}, hyp = {0};
        feedback_words(s[i].text ? s[i].text : "", add_word, &ref);
        feedback_word *w = NULL;
        size_t nw = 0;
        if (feedback_recognise(c, s[i].pcm, s[i].n, &w, &nw) == VIVA_OK)
            for (size_t k = 0; k < nw; k++)
                feedback_words(w[k].text, add_word, &hyp);
        free(w);
        errors += distance(&ref, &hyp);
        total += ref.n;
        words_free(&ref);
        words_free(&hyp);
    }
    return total ? (double)errors / (double)total : 0;
}

int feedback_enrol(feedback_ctx *c, const adapt_sentence *s, size_t n, const char *dict,
                   char **out, size_t *len, feedback_enrol_report *rep, char *err,
                   size_t errlen)
{
    memset(rep, 0, sizeof *rep);
    *out = NULL;
    *len = 0;
    if (!c->e->adapt) {
        snprintf(err, errlen, "the %s engine cannot adapt to a voice", c->e->name);
        return VIVA_ENOTFOUND;
    }
    char *t = NULL;
    size_t tl = 0;
    int rc = adapt_estimate(s, n, NULL, dict, &t, &tl, &rep->estimate, err, errlen);
    if (rc)
        return rc;
    rc = c->e->adapt(c->eng, NULL, 0, err, errlen);
    if (rc == VIVA_OK) {
        rep->wer_before = sentence_wer(c, s, n);
        rc = c->e->adapt(c->eng, t, tl, err, errlen);
    }
    if (rc == VIVA_OK) {
        rep->wer_after = sentence_wer(c, s, n);
        c->e->adapt(c->eng, NULL, 0, err, errlen);
        if (rep->wer_after > rep->wer_before + 0.02) {
            snprintf(err, errlen, "the adaptation made recognition worse on the sentences it "
                     "was made from (word errors %.2f -> %.2f): it is not kept; read each "
                     "sentence exactly as shown, in the room and with the microphone of your "
                     "practice", rep->wer_before, rep->wer_after);
            rc = VIVA_EINVAL;
        }
    }
    if (rc) {
        free(t);
        return rc;
    }
    *out = t;
    *len = tl;
    return VIVA_OK;
}
