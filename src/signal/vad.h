/* vad.h: voice-activity detection, the end-of-answer rule, trimming and the speech/silence
 * timeline of one answer. Pure: 16-bit mono samples in, decisions out; time is counted in
 * samples, never wall-clock, so a test replays an answer and gets the same result everywhere.
 *
 * The rule (documented for users in docs/readme/audio.md): the input is cut into 20 ms frames;
 * a frame's energy E (dBFS) is compared with an adaptive noise floor F. F falls quickly to
 * quieter frames and rises slowly (6 dB/s outside speech, 0.2 dB/s inside), so it follows
 * the room's noise but not the voice. A frame is voiced when E > F + onset_db and
 * E > min_speech_dbfs; speech starts after two voiced frames in a row and, once started, frames
 * above F + offset_db keep it going (hysteresis). A speech segment closes after `hangover`
 * samples without a voiced frame; short gaps between words are therefore not pauses.
 * The answer ends (VAD_END_SILENCE) once speech has been heard and `silence_end` samples have
 * passed since the end of the last voiced frame, or (VAD_END_LIMIT) after `max_len` samples.
 * Before that, after `pause_prompt` samples of such silence, the answer is "paused"
 * (vad_paused): the kiosk asks "Still thinking?" and counts down to the end; speech resuming
 * (a new segment) ends the pause and the answer goes on, one recording.
 * One vad belongs to one thread; it allocates nothing. */
#ifndef VIVA_VAD_H
#define VIVA_VAD_H

#include <stddef.h>
#include <stdint.h>

#define VAD_MAX_SEGMENTS 256   /* segments kept for drawing; the statistics stay exact beyond */
#define VAD_MARGIN_SECONDS 0.3 /* silence kept before the first and after the last word */

typedef struct {
    int rate;                /* samples per second */
    int frame;               /* samples per analysis frame (20 ms) */
    double onset_db;         /* above the floor by this much: a voiced frame (9 dB) */
    double offset_db;        /* during speech, above the floor by this much: still voiced (5 dB) */
    double min_speech_dbfs;  /* never voiced below this absolute level (-55 dBFS) */
    int64_t hangover;        /* non-voiced samples that close a segment (0.25 s) */
    int64_t silence_end;     /* silence after speech that ends the answer; 0 = never */
    int64_t pause_prompt;    /* silence after speech that makes a pause (vad_paused); 0 = none */
    int64_t max_len;         /* samples that end the answer regardless; 0 = no limit */
} vad_params;

/* Defaults for `rate` with the answer ending after `silence_seconds` (0 = never) and no limit. */
void vad_params_default(vad_params *p, int rate, double silence_seconds);

typedef struct {
    int64_t start, end; /* sample indexes, end exclusive */
} vad_segment;

typedef struct {
    int64_t frames;          /* samples analysed */
    int64_t first_speech;    /* start of the first segment; -1 if no speech */
    int64_t last_speech_end; /* end of the last segment; -1 if no speech */
    int64_t talk;            /* samples inside segments */
    int64_t longest_pause;   /* longest gap between two consecutive segments */
    int nseg;                /* segments in seg[] */
    int nseg_total;          /* segments seen; when > VAD_MAX_SEGMENTS the last one of seg[]
                                has been stretched to cover the rest */
    vad_segment seg[VAD_MAX_SEGMENTS];
} vad_timeline;

typedef enum { VAD_GOING = 0, VAD_END_SILENCE, VAD_END_LIMIT } vad_end;

typedef struct {
    vad_params p;
    double floor_db;     /* adaptive noise floor, dBFS */
    double last_db;      /* energy of the last complete frame */
    double acc;          /* sum of squares of the current frame */
    int filled;          /* samples in the current frame */
    int voiced_run;      /* consecutive voiced frames */
    int in_speech;       /* a segment is open */
    int have_floor;
    int64_t seg_start;   /* start of the open segment */
    int64_t run_start;   /* start of the current voiced run */
    int64_t last_voiced_end; /* end of the last voiced frame inside the open segment */
    vad_end ended;
    int64_t end_frame;   /* sample index where the answer ended */
    vad_timeline tl;
} vad;

void vad_init(vad *v, const vad_params *p);
/* Analyse n samples. Returns VAD_GOING, or the reason the answer ended; once ended, later
 * samples are ignored and the same reason is returned. */
vad_end vad_feed(vad *v, const int16_t *pcm, size_t n);
/* Close an open segment at the current position (call when the answer stops for another
 * reason, e.g. a command). Idempotent. */
void vad_finish(vad *v);
int vad_speaking(const vad *v);
/* Samples of silence since the end of the last voiced frame, once speech has been heard and
 * while none is heard (0 otherwise, and after the end). */
int64_t vad_silence(const vad *v);
/* 1 while the silence has lasted pause_prompt samples or more (pause_prompt > 0); it stays 1
 * when that silence ended the answer (VAD_END_SILENCE), so a pause never looks resumed. */
int vad_paused(const vad *v);
double vad_floor_dbfs(const vad *v);
/* The timeline so far (complete after vad_finish or an end). Valid while v lives. */
const vad_timeline *vad_get_timeline(const vad *v);
/* Sample index where the answer ended (or samples analysed so far when it has not). */
int64_t vad_end_frame(const vad *v);

/* Trim points for a recording of `total` samples: `margin` samples before the first segment
 * and after the last one, clamped to [0, total]. With no speech, nothing is trimmed
 * (0, total): a quiet answer the detector missed is never thrown away. */
void vad_trim(const vad_timeline *tl, int64_t total, int64_t margin, int64_t *start,
              int64_t *end);

typedef struct {
    int64_t talk_ms;          /* time inside speech segments */
    int64_t longest_pause_ms; /* longest silence between two segments (0 with < 2 segments) */
    int64_t first_word_ms;    /* from the start to the first segment; -1 if no speech */
    int segments;
} vad_stats;

void vad_timeline_stats(const vad_timeline *tl, int rate, vad_stats *out);

#endif
