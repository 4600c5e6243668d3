/* audio.h: viva's sound edge. Microphone capture for an answer, playback of a recording, the
 * device list, and messages a person can act on. Built on PortAudio; no SDL here.
 *
 * Threads. An `audio` handle and everything opened from it belong to one thread, the "main"
 * thread (the UI thread in the kiosk), except where a function says "any thread".
 * Capture runs on two more threads that viva never sees directly: PortAudio's callback, which
 * only copies samples into a preallocated lock-free ring (no allocation, lock, log or I/O), and
 * a writer thread that drains the ring, converts to 16 kHz mono if the device could not do it,
 * measures levels, runs the voice-activity detector (src/core/vad.h) and hands the samples to
 * the caller's sink. Playback does its work (speed change, rate conversion) in the callback on
 * buffers allocated when the player opens.
 *
 * Devices are chosen by name, never by index (ALSA card numbers change between boots): an
 * exact name match first, then the first device whose name contains the text, then the same
 * ignoring case; an empty name means the system default. Audio time is counted in samples. */
#ifndef VIVA_AUDIO_H
#define VIVA_AUDIO_H

#include <stddef.h>
#include <stdint.h>

#include "vad.h"

#define AUDIO_RATE 16000 /* viva's sample rate: recordings are 16 kHz mono int16 */

typedef struct audio audio;
typedef struct audio_capture audio_capture;
typedef struct audio_player audio_player;

/* Where captured audio goes. write() is called on the capture's writer thread with 16 kHz mono
 * samples, in order, never concurrently; it returns 0, or a viva_err that ends the capture
 * (AUDIO_END_SINK_FAILED). A sink with write == NULL discards the samples. */
typedef struct {
    void *ctx;
    int (*write)(void *ctx, const int16_t *pcm, size_t frames);
} audio_sink;

/* ---- the PortAudio handle and devices ------------------------------------------------------ */

/* Start PortAudio with ALSA's and JACK's chatter on stderr silenced. Having no device at all is
 * not an error: capture then fails with VIVA_ENODEV and a sentence saying so. Returns 0 or a
 * viva_err with a message in err. */
int audio_open(audio **out, char *err, size_t errlen);
/* Stops PortAudio. Every capture and player opened from `a` must be closed first. */
void audio_close(audio *a);
/* Restart PortAudio so that devices plugged in (or out) since are seen. Returns VIVA_EBUSY if a
 * capture or player is open. audio_capture_start does this by itself after a device trouble. */
int audio_rescan(audio *a, char *err, size_t errlen);

typedef struct {
    char name[128];
    char host_api[32];
    int max_input, max_output;   /* channels */
    double default_rate;         /* Hz */
    int is_default_input, is_default_output;
    int input_16k_mono;          /* opens for 16 kHz mono 16-bit capture as it is */
} audio_device_info;

/* The devices PortAudio sees now (after the last open/rescan): *list is malloc'd, caller frees.
 * Returns the count (0 = none). */
int audio_devices(audio *a, audio_device_info **list);
/* Writes "name1", "name2", ... of the input (or output) devices into buf, or "none". */
void audio_device_names(audio *a, int input, char *buf, size_t len);

/* ---- capture --------------------------------------------------------------------------------- */

typedef enum {
    AUDIO_GOING = 0,        /* still capturing */
    AUDIO_END_SILENCE,      /* silence after speech (vad.h rule) */
    AUDIO_END_LIMIT,        /* the time limit was reached */
    AUDIO_END_COMMAND,      /* audio_capture_request_end() */
    AUDIO_END_DEVICE_LOST,  /* the device stopped delivering (unplugged, stream error) */
    AUDIO_END_SINK_FAILED   /* the sink returned an error */
} audio_end;

const char *audio_end_name(audio_end e);

/* A consistent-enough picture of a running capture, read without blocking. */
typedef struct {
    float rms_dbfs, peak_dbfs; /* last level window (40 ms of audio); -100 = silence */
    int clipping;              /* full scale reached within the last second */
    int too_quiet;             /* loudest window of the last 1.5 s below the quiet threshold */
    int speaking;              /* the detector is inside a speech segment */
    int paused;                /* silence after speech has lasted pause_seconds (vad_paused):
                                  the answer waits; speech resumes it */
    int64_t end_in;            /* while paused: samples until the silence ends the answer */
    int64_t frames;            /* 16 kHz samples handed to the sink so far */
    int64_t overruns;          /* device samples dropped because the writer fell behind */
    audio_end ended;           /* AUDIO_GOING until the answer is over */
} audio_status;

typedef struct {
    const char *device;      /* configured input name; NULL or "" = system default */
    double silence_seconds;  /* silence after speech that ends the answer; 0 = never */
    double pause_seconds;    /* silence after speech that makes a pause (audio_status.paused,
                                a notification when it starts and ends); 0 = none */
    double max_seconds;      /* audio that ends the answer; 0 = no limit */
    double quiet_dbfs;       /* too-quiet threshold; 0 = LEVEL_QUIET_DBFS (-40) */
    double ring_seconds;     /* callback-to-writer ring; 0 = 16 s */
    int device_rate;         /* 0 = 16 kHz if the device takes it, else its own rate; else try
                                this rate first (devices that misbehave at 16 kHz; tests) */
    int discard_on_stop;     /* 1: audio_capture_stop drops what the ring still holds instead
                                of writing it (listening for commands: a backlog heard after
                                the caller stopped listening is worthless, and decoding it
                                would hold the caller for seconds) */
    audio_sink sink;
    /* Called on the writer thread after each level window (25 times per second of audio) and
     * once more when the answer ends (st->ended != AUDIO_GOING); a pause starting or ending
     * shows in st->paused of the next call. It must not block: post an event and return.
     * May be NULL. */
    void (*notify)(void *ctx, const audio_status *st);
    void *notify_ctx;
} audio_capture_params;

/* Open the input device and start capturing. Errors (message in err names the device and the
 * devices that exist): VIVA_ENODEV no input device / the configured name matches none,
 * VIVA_EBUSY the device is in use, VIVA_EINVAL it supports no usable format, VIVA_EIO other
 * PortAudio failures. On success *out must be passed to audio_capture_stop. */
int audio_capture_start(audio *a, const audio_capture_params *p, audio_capture **out, char *err,
                        size_t errlen);
/* Any thread: the latest status. */
void audio_capture_status(audio_capture *c, audio_status *st);
/* Any thread: end the answer now (AUDIO_END_COMMAND) once what was captured is written. */
void audio_capture_request_end(audio_capture *c);
/* Any thread, for tests: make the stream fail as an unplugged device would (the callback
 * aborts the stream; the writer sees the device stop). */
void audio_capture_inject_fault(audio_capture *c);

typedef struct {
    audio_end reason;
    int64_t frames;               /* 16 kHz samples handed to the sink */
    int64_t trim_start, trim_end; /* keep [trim_start, trim_end): 0.3 s around the speech */
    vad_stats stats;              /* talk time, longest pause, time to first word */
    vad_timeline timeline;        /* speech segments, in samples */
    int64_t overruns;             /* device samples dropped */
    int device_rate, device_channels; /* what the device was opened at */
    char device[128];             /* the device's name */
    char message[256];            /* what went wrong, for AUDIO_END_DEVICE_LOST/SINK_FAILED */
} audio_result;

/* Main thread: stop the stream (if still running), write what is left in the ring (unless
 * discard_on_stop: then at most the chunk being written), join the writer and free the
 * capture. `res` may be NULL. Returns 0, or the viva_err of a lost device
 * (VIVA_ENODEV) or failed sink; what was captured before the trouble is in the sink either
 * way. */
int audio_capture_stop(audio_capture *c, audio_result *res);

/* ---- playback ---------------------------------------------------------------------------------- */

#define AUDIO_SPEED_MIN 0.75
#define AUDIO_SPEED_MAX 2.0

/* Open the output device (NULL/"" = default) for `frames` samples of mono int16 at `rate` Hz
 * (copied: the caller keeps its buffer). The player starts paused at position 0.
 * Errors as for audio_capture_start. */
int audio_player_open(audio *a, const char *device, const int16_t *pcm, size_t frames, int rate,
                      audio_player **out, char *err, size_t errlen);
/* Start or resume; after the end, plays again from the start. Returns 0 or VIVA_EIO. */
int audio_player_play(audio_player *p);
void audio_player_pause(audio_player *p);
int audio_player_playing(audio_player *p);
/* Move by `seconds` (negative = back; the kiosk's +/-5 s), clamped to the recording. */
void audio_player_seek(audio_player *p, double seconds);
void audio_player_seek_to(audio_player *p, int64_t frame);
/* 0.75..2.0 (clamped). Pitch is kept by WSOLA time stretching (see wsola.h); 1.0 plays the
 * samples unchanged. Takes effect within about 15 ms. */
void audio_player_set_speed(audio_player *p, double speed);
/* Position in source samples (what has been handed to the device), and the length. */
int64_t audio_player_position(audio_player *p);
int64_t audio_player_length(audio_player *p);
/* Played through to the end (stays so until play or seek). */
int audio_player_finished(audio_player *p);
/* Stops the stream and frees the player. */
void audio_player_close(audio_player *p);

/* ---- files (libsndfile) ------------------------------------------------------------------------ */

typedef struct audio_file_sink audio_file_sink;

/* Create `path` for 16 kHz mono 16-bit audio: FLAC if the name ends in ".flac", else WAV. */
int audio_file_sink_open(const char *path, audio_file_sink **out, char *err, size_t errlen);
audio_sink audio_file_sink_get(audio_file_sink *fs);
/* Finish the file. Returns 0 or VIVA_EIO (message in err). */
int audio_file_sink_close(audio_file_sink *fs, char *err, size_t errlen);

/* Read any file libsndfile knows, mixed to mono and converted to 16 kHz (libsamplerate).
 * *pcm is malloc'd; the caller frees it. */
int audio_file_load(const char *path, int16_t **pcm, size_t *frames, char *err, size_t errlen);

#endif
