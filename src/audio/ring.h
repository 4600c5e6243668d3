/* ring.h: a single-producer/single-consumer ring of 16-bit samples, lock-free (C11 atomics).
 *
 * The producer is the PortAudio callback, the consumer the writer thread (or the reverse for
 * playback). Exactly one thread may call ring_write and exactly one thread ring_read; neither
 * call allocates, locks, blocks or logs, so ring_write is safe in a real-time callback.
 * ring_write never overwrites unread samples: what does not fit is dropped and counted in
 * `overruns` (samples), which the consumer may read at any time. The capacity is a power of
 * two fixed at ring_init; the storage is allocated there and freed by ring_free. The counters
 * are size_t, the native word, so their atomics are lock-free on 32-bit ARM too (they wrap
 * after 2^32 on 32-bit machines: 74 hours of dropped 16 kHz audio). */
#ifndef VIVA_RING_H
#define VIVA_RING_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int16_t *buf;
    size_t mask;                   /* capacity - 1 */
    _Atomic size_t head;           /* next sample to write; written by the producer only */
    _Atomic size_t tail;           /* next sample to read; written by the consumer only */
    _Atomic size_t overruns;       /* samples dropped because the ring was full */
    _Atomic size_t overrun_events;   /* ring_write calls that dropped something */
} ring;

/* Allocate room for at least min_samples samples (rounded up to a power of two).
 * Returns 0, or -1 when out of memory or min_samples is 0 / too large. Not thread-safe. */
int ring_init(ring *r, size_t min_samples);
void ring_free(ring *r);
size_t ring_capacity(const ring *r);
/* Producer: copy up to n samples in; returns how many were stored (the rest is counted). */
size_t ring_write(ring *r, const int16_t *src, size_t n);
/* Producer: store all n samples, or none if they do not fit (counted as overruns); returns n
 * or 0. Keeps interleaved channels in step. */
size_t ring_write_all(ring *r, const int16_t *src, size_t n);
/* Consumer: copy up to n samples out; returns how many were read. */
size_t ring_read(ring *r, int16_t *dst, size_t n);
/* Producer: free room (exact for the producer, a lower bound for anyone else). */
size_t ring_space(ring *r);
/* Samples waiting (exact for the consumer, a lower bound for anyone else). */
size_t ring_available(ring *r);
/* Consumer: forget everything unread (only while the producer is stopped). */
void ring_reset(ring *r);
size_t ring_overruns(ring *r);

#endif
