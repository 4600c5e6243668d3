/* wsola.h: pitch-preserving speed change by WSOLA (waveform-similarity overlap-add).
 *
 * Output is built from 30 ms Hann-windowed frames of the input, overlapped by half (the
 * windows then sum to exactly one). Frames are taken every 15 ms * speed of input and laid
 * down every 15 ms of output, so the tempo changes but the waveform inside a frame (and so the
 * pitch) does not. To avoid the phase jumps plain overlap-add would make, each frame's start
 * is moved by up to +/-10 ms to where it best matches (cross-correlation) the natural
 * continuation of the previous frame. The work is O(search * frame) per 15 ms: about 5 million
 * multiply-adds per second of 16 kHz output (the search uses every second sample).
 *
 * Everything is allocated in wsola_init; wsola_run allocates nothing, takes no lock and does
 * no I/O, so it may run in an audio callback. Not thread-safe: one thread per wsola. */
#ifndef VIVA_WSOLA_H
#define VIVA_WSOLA_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int n;        /* frame length (samples) */
    int hop;      /* output hop = n / 2 */
    int tol;      /* search range +/- samples */
    float *win;   /* Hann window, n */
    float *acc;   /* overlap-add accumulator, n */
    float *out;   /* ready output, hop */
    int out_pos;  /* next unread sample of out (hop = empty) */
    double ana;   /* nominal start of the next input frame */
    int64_t nat;  /* natural continuation of the previous frame; -1 before the first */
} wsola;

/* rate: samples per second of the input. Returns 0 or -1 (out of memory). */
int wsola_init(wsola *w, int rate);
void wsola_free(wsola *w);
/* Restart at input sample `pos` (after a seek or a speed switch). */
void wsola_reset(wsola *w, int64_t pos);
/* Produce `n` output samples at `speed` from x[0..len) (samples past the end read as zero).
 * Returns the nominal input position reached (for position reporting). */
double wsola_run(wsola *w, const int16_t *x, int64_t len, double speed, float *dst, size_t n);

#endif
