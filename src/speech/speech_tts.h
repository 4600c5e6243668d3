/* speech_tts.h: text to speech for reading questions aloud. Built on flite (CMU's small offline
 * synthesiser, Debian's libflite1) with its compiled-in US English voices; the result is a
 * buffer of 16 kHz mono int16 samples that the caller plays with audio_player_open (audio.h),
 * so speech goes through the configured output device like any other sound.
 *
 * Threads: a speech_tts handle belongs to one thread at a time. flite keeps per-voice state, so
 * two handles must not synthesise concurrently from different threads (the kiosk has one). */
#ifndef VIVA_SPEECH_TTS_H
#define VIVA_SPEECH_TTS_H

#include <stddef.h>
#include <stdint.h>

#define SPEECH_TTS_RATE 16000 /* sample rate of every buffer speech_tts_say returns */

typedef struct speech_tts speech_tts;

typedef struct {
    const char *voice; /* "slt" (default; female), "rms", "awb", "kal16"; NULL/"" = "slt" */
    double rate;       /* speaking speed, 1.0 = the voice's own; clamped to 0.5..2.0; 0 = 1.0 */
    double volume;     /* linear gain on the samples, 0..2 (clipped at full scale); 1.0 = as is */
} speech_tts_params;

/* Space-separated names of the voices this build has ("slt rms awb kal16"). */
const char *speech_tts_voices(void);

/* Load the voice. Errors: VIVA_EINVAL unknown voice name (err lists the voices). */
int speech_tts_open(const speech_tts_params *p, speech_tts **out, char *err, size_t errlen);

/* Synthesise `text` (UTF-8; flite speaks ASCII English, other bytes are skipped). On success
 * *pcm is a malloc'd buffer of *frames samples at SPEECH_TTS_RATE that the caller frees; empty
 * text gives *frames == 0 and *pcm == NULL. Errors: VIVA_EIO synthesis failed. */
int speech_tts_say(speech_tts *t, const char *text, int16_t **pcm, size_t *frames, char *err,
                   size_t errlen);

void speech_tts_close(speech_tts *t);

#endif
