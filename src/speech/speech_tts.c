/* speech_tts.c: flite behind speech_tts.h. A voice is registered when the handle opens and
 * unregistered when it closes; speed is flite's duration_stretch feature, volume a gain applied
 * to the samples, and voices that are not 16 kHz are resampled by flite itself. */
#include "speech_tts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <flite/flite.h>

#include "verr.h"

/* The voice libraries export these; flite's headers do not declare them. */
cst_voice *register_cmu_us_slt(const char *voxdir);
void unregister_cmu_us_slt(cst_voice *v);
cst_voice *register_cmu_us_rms(const char *voxdir);
void unregister_cmu_us_rms(cst_voice *v);
cst_voice *register_cmu_us_awb(const char *voxdir);
void unregister_cmu_us_awb(cst_voice *v);
cst_voice *register_cmu_us_kal16(const char *voxdir);
void unregister_cmu_us_kal16(cst_voice *v);

typedef struct {
    const char *name;
    cst_voice *(*reg)(const char *voxdir);
    void (*unreg)(cst_voice *v);
} voice_entry;

static const voice_entry voices[] = {
    {"slt", register_cmu_us_slt, unregister_cmu_us_slt},
    {"rms", register_cmu_us_rms, unregister_cmu_us_rms},
    {"awb", register_cmu_us_awb, unregister_cmu_us_awb},
    {"kal16", register_cmu_us_kal16, unregister_cmu_us_kal16},
};

struct speech_tts {
    const voice_entry *entry;
    cst_voice *voice;
    double volume;
};

const char *speech_tts_voices(void)
{
    return "slt rms awb kal16";
}

int speech_tts_open(const speech_tts_params *p, speech_tts **out, char *err, size_t errlen)
{
    const char *name = p && p->voice && *p->voice ? p->voice : "slt";
    const voice_entry *e = NULL;
    for (size_t i = 0; i < sizeof voices / sizeof voices[0]; i++)
        if (strcmp(voices[i].name, name) == 0)
            e = &voices[i];
    if (!e) {
        snprintf(err, errlen, "speech: no voice \"%s\" (voices: %s)", name, speech_tts_voices());
        return VIVA_EINVAL;
    }
    /* flite_init only sets up flite's static tables; calling it again is harmless. */
    flite_init();
    cst_voice *v = e->reg(NULL);
    if (!v) {
        snprintf(err, errlen, "speech: flite could not load the voice \"%s\"", name);
        return VIVA_EIO;
    }
    double rate = p && p->rate > 0 ? p->rate : 1.0;
    rate = rate < 0.5 ? 0.5 : rate > 2.0 ? 2.0 : rate;
    flite_feat_set_float(v->features, "duration_stretch", (float)(1.0 / rate));
    speech_tts *t = calloc(1, sizeof *t);
    if (!t) {
        e->unreg(v);
        return VIVA_ENOMEM;
    }
    t->entry = e;
    t->voice = v;
    double vol = p ? p->volume : 1.0;
    t->volume = vol < 0 ? 0 : vol > 2 ? 2 : vol;
    *out = t;
    return VIVA_OK;
}

/* flite reads ASCII English; anything else (UTF-8 punctuation, accents) becomes a space, and
 * characters flite would spell out as symbols in a question ('`', '*', '_') are dropped too. */
static char *clean_text(const char *text)
{
    size_t n = strlen(text);
    char *s = malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        s[i] = c >= 0x80 || c < 0x20 || c == '`' || c == '*' || c == '_' ? ' ' : (char)c;
    }
    s[n] = 0;
    return s;
}

int speech_tts_say(speech_tts *t, const char *text, int16_t **pcm, size_t *frames, char *err,
                   size_t errlen)
{
    *pcm = NULL;
    *frames = 0;
    char *clean = clean_text(text ? text : "");
    if (!clean)
        return VIVA_ENOMEM;
    int blank = 1;
    for (const char *c = clean; *c; c++)
        if (*c != ' ')
            blank = 0;
    if (blank) {
        free(clean);
        return VIVA_OK;
    }
    cst_wave *w = flite_text_to_wave(clean, t->voice);
    free(clean);
    if (!w) {
        snprintf(err, errlen, "speech: flite produced no audio for \"%.60s\"", text);
        return VIVA_EIO;
    }
    if (cst_wave_sample_rate(w) != SPEECH_TTS_RATE)
        cst_wave_resample(w, SPEECH_TTS_RATE);
    size_t n = (size_t)cst_wave_num_samples(w);
    int16_t *x = n ? malloc(n * sizeof *x) : NULL;
    if (n && !x) {
        delete_wave(w);
        return VIVA_ENOMEM;
    }
    const short *s = cst_wave_samples(w);
    for (size_t i = 0; i < n; i++) {
        double v = s[i] * t->volume;
        x[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : lrint(v));
    }
    delete_wave(w);
    *pcm = x;
    *frames = n;
    return VIVA_OK;
}

void speech_tts_close(speech_tts *t)
{
    if (!t)
        return;
    t->entry->unreg(t->voice);
    free(t);
}
