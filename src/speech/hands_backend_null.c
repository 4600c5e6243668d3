/* hands_backend_null.c: the null backend of hands (hands_backend.h), for machines without
 * flite or pocketsphinx: neither a voice nor ears can be opened, each with the same "speech
 * unavailable" message, so hands_open fails with VIVA_ENOTFOUND and one sentence, and every
 * hands_* call on the resulting NULL handle is harmless. The remaining entries never run
 * through hands (nothing opens) but behave like silence if called: no samples, no commands.
 *
 * In a build without the libraries this file also provides hands_backend_default(). */
#include <stdio.h>

#include "hands_backend.h"
#include "verr.h"

#define UNAVAILABLE                                                                           \
    "speech unavailable: this viva has no speech engine (it was built without flite and "    \
    "pocketsphinx)"

static int null_voice_open(const hands_cfg *cfg, void **out, char *err, size_t errlen)
{
    (void)cfg;
    *out = NULL;
    snprintf(err, errlen, "%s", UNAVAILABLE);
    return VIVA_ENOTFOUND;
}

static int null_voice_say(void *voice, const char *text, int16_t **pcm, size_t *frames,
                          char *err, size_t errlen)
{
    (void)voice;
    (void)text;
    *pcm = NULL;
    *frames = 0;
    snprintf(err, errlen, "%s", UNAVAILABLE);
    return VIVA_ENOTFOUND;
}

static void null_close(void *handle)
{
    (void)handle;
}

static int null_ears_feed(void *ears, const int16_t *pcm, size_t frames, speech_cmd_hit *hits,
                          int max)
{
    (void)ears;
    (void)pcm;
    (void)frames;
    (void)hits;
    (void)max;
    return 0; /* hears nothing */
}

static void null_ears_set_context(void *ears, unsigned mask)
{
    (void)ears;
    (void)mask;
}

const hands_backend hands_backend_null = {
    .name = "null",
    .voice_rate = 16000,
    .voice_open = null_voice_open,
    .voice_say = null_voice_say,
    .voice_close = null_close,
    .ears_open = null_voice_open, /* same refusal, same sentence */
    .ears_feed = null_ears_feed,
    .ears_set_context = null_ears_set_context,
    .ears_reset = null_close,
    .ears_close = null_close,
};

#ifndef VIVA_HAVE_SPEECH
const hands_backend *hands_backend_default(void)
{
    return &hands_backend_null;
}
#endif
