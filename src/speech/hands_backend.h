/* hands_backend.h: what hands.c needs from a speech engine, as one function table (like mpv's
 * audio outputs): a voice that turns text into samples, and ears that spot command phrases in
 * samples. hands.c owns the threads, the audio devices and the rules (never speak and listen
 * at once); a backend only converts. hands.h includes this header (never the reverse), so
 * the settings struct both need, hands_cfg, is defined here.
 *
 * hands_backend_speech.c: flite and pocketsphinx (speech_tts.h, speech_cmd.h), in builds that
 *                         have them.
 * hands_backend_null.c:   no engine: both opens fail with VIVA_ENOTFOUND and a message that
 *                         starts with "speech unavailable"; the rest does nothing. The default
 *                         of a build without flite/pocketsphinx, and usable in any build.
 *
 * Threads: voice_* are called by hands' synthesis worker (voice_open/close by the opener while
 * no worker runs); ears_feed and ears_reset by one writer thread at a time; ears_set_context
 * and ears_adapt from any thread. */
#ifndef VIVA_HANDS_BACKEND_H
#define VIVA_HANDS_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "speech_cmd.h"

#define HANDS_STR_MAX 256

/* The voice service's settings (hands_open), also what a backend opens with. The app fills it
 * from its configuration (src/app/hands_cfg.c). A zeroed struct asks for nothing. */
typedef struct {
    int speak;                   /* read text aloud */
    int listen;                  /* spot spoken commands */
    char voice[HANDS_STR_MAX];   /* voice name ("slt"); "" = the backend's default */
    double rate;                 /* speaking speed, 1.0 = the voice's own; 0 = 1.0 */
    double volume;               /* gain on the spoken samples, 1.0 = as is */
    double kws_shift;            /* speech_cmd_params.threshold_shift */
    double kws_end;              /* speech_cmd_params.end_threshold; 0 = the default */
    char input[HANDS_STR_MAX];   /* microphone (audio_capture_params.device); "" = default */
    char output[HANDS_STR_MAX];  /* speaker (audio_player_open); "" = default */
} hands_cfg;

typedef struct {
    const char *name; /* "flite+pocketsphinx", "null" */
    int voice_rate;   /* sample rate of the buffers voice_say returns */

    /* Load the voice of cfg (voice, rate, volume): 0 and *out, or a viva_err and err. */
    int (*voice_open)(const hands_cfg *cfg, void **out, char *err, size_t errlen);
    /* As speech_tts_say: *pcm malloc'd (the caller frees it), *frames samples. */
    int (*voice_say)(void *voice, const char *text, int16_t **pcm, size_t *frames, char *err,
                     size_t errlen);
    void (*voice_close)(void *voice);

    /* Load the spotter of cfg (kws_shift, kws_end) with no command active. */
    int (*ears_open)(const hands_cfg *cfg, void **out, char *err, size_t errlen);
    /* As speech_cmd_feed: up to max hits, returns how many. */
    int (*ears_feed)(void *ears, const int16_t *pcm, size_t frames, speech_cmd_hit *hits,
                     int max);
    void (*ears_set_context)(void *ears, unsigned mask);
    void (*ears_reset)(void *ears);
    /* A profile's voice adaptation (src/speech/adapt.h; NULL = none), as speech_cmd_adapt:
     * any thread, in force from the next ears_feed. NULL: the ears cannot adapt. */
    int (*ears_adapt)(void *ears, const char *data, size_t len, char *err, size_t errlen);
    void (*ears_close)(void *ears);
} hands_backend;

/* The null backend (always built). */
extern const hands_backend hands_backend_null;

/* This build's backend: flite+pocketsphinx when built with them, else &hands_backend_null. */
const hands_backend *hands_backend_default(void);

#endif
