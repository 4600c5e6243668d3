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

#endif
