/* level.h: the maths of the live level meter, on 16-bit mono samples. Pure: no I/O, no threads.
 *
 * A level_meter cuts the input into windows of a fixed number of samples (40 ms by default, so
 * a reading 25 times a second of audio) and gives, for each window, the RMS and peak level in
 * dBFS (0 dBFS = a full-scale square wave; digital silence reads LEVEL_FLOOR_DBFS), a clipping
 * flag held for one second after a sample reached full scale, and a "too quiet" flag set while
 * the loudest window of the last 1.5 s stayed below the quiet threshold. Everything is counted
 * in samples, never wall-clock time. One meter belongs to one thread. */
#ifndef VIVA_LEVEL_H
#define VIVA_LEVEL_H

#include <stddef.h>
#include <stdint.h>

#define LEVEL_FLOOR_DBFS (-100.0)  /* what silence reads; every level is >= this */
#define LEVEL_CLIP_SAMPLE 32700    /* |sample| at or above this counts as clipping */
#define LEVEL_QUIET_DBFS (-40.0)   /* default "too quiet" threshold */
#define LEVEL_HISTORY 64           /* windows kept for the "too quiet" look-back */

/* dBFS of a mean square given in full-scale units (1.0 = full scale), floored. */
double level_dbfs_from_meansq(double meansq);
/* RMS and peak of a block in dBFS, and whether any sample reached LEVEL_CLIP_SAMPLE. */
void level_measure(const int16_t *pcm, size_t n, double *rms_dbfs, double *peak_dbfs,
                   int *clipped);

typedef struct {
    float rms_dbfs;  /* RMS of the window */
    float peak_dbfs; /* largest |sample| of the window */
    int clipping;    /* a sample reached full scale in the last second */
    int too_quiet;   /* the loudest window of the last 1.5 s was below the quiet threshold */
    int64_t frame;   /* sample index just after the window */
} level_reading;

typedef struct {
    /* settings */
    int window;         /* samples per reading */
    int64_t clip_hold;  /* samples the clipping flag stays up */
    int quiet_windows;  /* windows in the "too quiet" look-back (<= LEVEL_HISTORY) */
    double quiet_dbfs;
    /* state */
    double sumsq;
    int peak;
    int filled;
    int64_t frames;
    int64_t clip_until; /* clipping flag is up while frames < clip_until */
    float history[LEVEL_HISTORY];
    int hist_pos, hist_len;
} level_meter;

/* rate: samples per second; update_hz: readings per second of audio (>= 1);
 * quiet_dbfs: threshold of the too-quiet flag. */
void level_meter_init(level_meter *m, int rate, double update_hz, double quiet_dbfs);
/* Feed n samples. Returns how many windows completed; *last (if not NULL) receives the reading
 * of the last one. Samples of an incomplete window are kept for the next call. */
int level_meter_feed(level_meter *m, const int16_t *pcm, size_t n, level_reading *last);

/* ---- normalising a whole recording before recognition ---- */

#define LEVEL_NORM_TARGET_DBFS (-6.0) /* where a quiet recording's loud parts are brought */
#define LEVEL_NORM_QUIET_DBFS (-30.0) /* loud parts below this: "the microphone is very quiet" */
#define LEVEL_NORM_MAX_GAIN_DB 50.0   /* never amplify more (noise would become speech) */
#define LEVEL_NORM_CLIP_SHARE 0.001   /* share of samples at full scale that means clipping */
#define LEVEL_NORM_RANGE_DB 20.0      /* loud parts this far above the median: speech, not hiss */

typedef struct {
    double loud_dbfs; /* the recording's loud parts: the 99.9th percentile of |sample|, dBFS */
    double gain_db;   /* gain level_normalise applied (0 = none) */
    int quiet;        /* loud parts below LEVEL_NORM_QUIET_DBFS (amplified) */
    int clipped;      /* more than LEVEL_NORM_CLIP_SHARE of the samples at full scale */
} level_norm;

/* Measures a recording of n samples (digital silence or a steady hiss: nothing to do) and, when
 * its loud parts are below LEVEL_NORM_QUIET_DBFS, amplifies it in place so they reach
 * LEVEL_NORM_TARGET_DBFS (at most LEVEL_NORM_MAX_GAIN_DB; samples saturate, never wrap).
 * Louder recordings are left as they are: the recogniser normalises its features per utterance,
 * so only recordings quiet enough to fall under the speech detector's floor need a gain. A
 * clipping recording cannot be repaired: it is only reported. `out` may be NULL. Returns 1 if
 * the samples were changed. */
int level_normalise(int16_t *pcm, size_t n, level_norm *out);
/* The same measurement without changing anything (what level_normalise would do). */
void level_norm_measure(const int16_t *pcm, size_t n, level_norm *out);

#endif
