/* audio_int.h: what the audio_*.c files share and nobody else sees. Main thread only. */
#ifndef VIVA_AUDIO_INT_H
#define VIVA_AUDIO_INT_H

#include <portaudio.h>
#include <stddef.h>

#include "audio.h"

struct audio {
    int pa_ok;        /* Pa_Initialize succeeded and Pa_Terminate is owed */
    int open_streams; /* captures and players open: PortAudio cannot restart under them */
    int need_rescan;  /* a device went missing or away: restart PortAudio before the next open */
    char init_error[160];
};

/* Resolve a configured device name for input (input=1) or output: exact, substring, then
 * case-insensitive substring; "" = default. On failure returns VIVA_ENODEV with a message
 * naming the device and the devices that exist. */
int audio_find_device(audio *a, const char *name, int input, PaDeviceIndex *idx, char *err,
                      size_t errlen);
/* Turn a failed PortAudio call on a device into a viva_err and a message. */
int audio_pa_error(PaError pe, const char *what, const char *device, char *err, size_t errlen);
/* Restart PortAudio if a device trouble asked for it and no stream is open. */
void audio_rescan_if_needed(audio *a);

#endif
