/* ring.c: SPSC ring. head and tail grow without bound (size_t wrap-around is harmless because
 * the capacity is a power of two); the producer publishes samples with a release store of
 * head after copying them, the consumer frees space with a release store of tail after
 * copying out, and each side reads the other's index with acquire. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

int ring_init(ring *r, size_t min_samples)
{
    size_t cap = 1;
    if (min_samples == 0 || min_samples > ((size_t)1 << (sizeof(size_t) * 8 - 2)))
        return -1;
    while (cap < min_samples)
        cap <<= 1;
    r->buf = calloc(cap, sizeof *r->buf);
    if (!r->buf)
        return -1;
    r->mask = cap - 1;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    atomic_init(&r->overruns, 0);
    atomic_init(&r->overrun_events, 0);
    return 0;
}

void ring_free(ring *r)
{
    free(r->buf);
    r->buf = NULL;
}

size_t ring_capacity(const ring *r)
{
    return r->mask + 1;
}

size_t ring_write(ring *r, const int16_t *src, size_t n)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    size_t space = ring_capacity(r) - (head - tail);
    size_t todo = n < space ? n : space;
    size_t at = head & r->mask;
    size_t first = ring_capacity(r) - at;
    if (first > todo)
        first = todo;
    memcpy(r->buf + at, src, first * sizeof *src);
    memcpy(r->buf, src + first, (todo - first) * sizeof *src);
    atomic_store_explicit(&r->head, head + todo, memory_order_release);
    if (todo < n) {
        atomic_fetch_add_explicit(&r->overruns, n - todo, memory_order_relaxed);
        atomic_fetch_add_explicit(&r->overrun_events, 1, memory_order_relaxed);
    }
    return todo;
}

size_t ring_write_all(ring *r, const int16_t *src, size_t n)
{
    if (ring_space(r) < n) {
        atomic_fetch_add_explicit(&r->overruns, n, memory_order_relaxed);
        atomic_fetch_add_explicit(&r->overrun_events, 1, memory_order_relaxed);
        return 0;
    }
    return ring_write(r, src, n);
}

size_t ring_read(ring *r, int16_t *dst, size_t n)
{
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t avail = head - tail;
    size_t todo = n < avail ? n : avail;
    size_t at = tail & r->mask;
    size_t first = ring_capacity(r) - at;
    if (first > todo)
        first = todo;
    memcpy(dst, r->buf + at, first * sizeof *dst);
    memcpy(dst + first, r->buf, (todo - first) * sizeof *dst);
    atomic_store_explicit(&r->tail, tail + todo, memory_order_release);
    return todo;
}

size_t ring_space(ring *r)
{
    return ring_capacity(r) - ring_available(r);
}

size_t ring_available(ring *r)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    return head - tail;
}

void ring_reset(ring *r)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    atomic_store_explicit(&r->tail, head, memory_order_release);
}

size_t ring_overruns(ring *r)
{
    return atomic_load_explicit(&r->overruns, memory_order_relaxed);
}
