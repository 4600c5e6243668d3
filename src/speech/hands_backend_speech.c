/* hands_backend_speech.c: the flite + pocketsphinx backend of hands (hands_backend.h): the
 * voice is speech_tts.h, the ears are speech_cmd.h. Built only where both libraries are found
 * (src/speech/CMakeLists.txt); there it is the default backend. */
#include <stddef.h>

#include "hands_backend.h"
#include "speech_cmd.h"
#include "speech_tts.h"

static int voice_open(const hands_cfg *cfg, void **out, char *err, size_t errlen)
{
    speech_tts_params tp = {cfg->voice, cfg->rate, cfg->volume};
    speech_tts *t = NULL;
    int rc = speech_tts_open(&tp, &t, err, errlen);
    *out = rc ? NULL : t;
    return rc;
}

static int voice_say(void *voice, const char *text, int16_t **pcm, size_t *frames, char *err,
                     size_t errlen)
{
    return speech_tts_say(voice, text, pcm, frames, err, errlen);
}

static void voice_close(void *voice)
{
    speech_tts_close(voice);
}

static int ears_open(const hands_cfg *cfg, void **out, char *err, size_t errlen)
{
    speech_cmd_params cp = {0};
    cp.threshold_shift = cfg->kws_shift;
    cp.end_threshold = cfg->kws_end;
    cp.context = SPEECH_CTX_NONE;
    speech_cmd *r = NULL;
    int rc = speech_cmd_open(&cp, &r, err, errlen);
    *out = rc ? NULL : r;
    return rc;
}

static int ears_feed(void *ears, const int16_t *pcm, size_t frames, speech_cmd_hit *hits,
                     int max)
{
    return speech_cmd_feed(ears, pcm, frames, hits, max);
}

static void ears_set_context(void *ears, unsigned mask)
{
    speech_cmd_set_context(ears, mask);
}

static void ears_reset(void *ears)
{
    speech_cmd_reset(ears);
}

static int ears_adapt(void *ears, const char *data, size_t len, char *err, size_t errlen)
{
    return speech_cmd_adapt(ears, data, len, err, errlen);
}

static void ears_close(void *ears)
{
    speech_cmd_close(ears);
}

static const hands_backend speech_backend = {
    .name = "flite+pocketsphinx",
    .voice_rate = SPEECH_TTS_RATE,
    .voice_open = voice_open,
    .voice_say = voice_say,
    .voice_close = voice_close,
    .ears_open = ears_open,
    .ears_feed = ears_feed,
    .ears_set_context = ears_set_context,
    .ears_reset = ears_reset,
    .ears_adapt = ears_adapt,
    .ears_close = ears_close,
};

const hands_backend *hands_backend_default(void)
{
    return &speech_backend;
}
