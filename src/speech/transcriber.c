/* transcriber.c: the engines' list and feedback on an answer through an engine's function
 * table (transcriber.h): the voice-activity detector decides silence, the engine gives the
 * words, src/feedback scores them. */
#include "transcriber.h"

#include <stdlib.h>
#include <string.h>

#include "level.h"
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
