/* transcriber_ps.c: pocketsphinx (transcribe.h) as a transcriber engine (transcriber.h). */
#include "transcribe.h"

static int ps_open(const transcribe_params *p, void **out, char *err, size_t errlen)
{
    transcriber *t = NULL;
    int rc = transcribe_open(p, &t, err, errlen);
    *out = t;
    return rc;
}

static int ps_words(void *eng, const int16_t *pcm, size_t n, feedback_word **words,
                    size_t *nwords)
{
    return transcribe_pcm(eng, pcm, n, words, nwords);
}

static int ps_knows(void *eng, const char *word)
{
    return transcribe_knows(eng, word);
}

static int ps_adapt(void *eng, const char *data, size_t len, char *err, size_t errlen)
{
    return transcribe_adapt(eng, data, len, err, errlen);
}

static void ps_close(void *eng)
{
    transcribe_close(eng);
}

const transcriber_engine transcriber_pocketsphinx = {
    .name = "pocketsphinx",
    .open = ps_open,
    .words = ps_words,
    .knows = ps_knows,
    .adapt = ps_adapt,
    .close = ps_close,
};
