/* debounce.h: turns the raw edges of a mechanical button into clean press/release changes.
 *
 * Rule: a new level is accepted once the line has stayed at it for `debounce_ms` with no further
 * edge. A contact that bounces for 3 ms therefore gives one change, debounce_ms after the last
 * bounce; a glitch shorter than debounce_ms gives none. Pure: time comes in as int64_t
 * milliseconds from any monotonic clock (the GPIO thread passes the kernel's event timestamps),
 * so a recorded trace replays identically on every machine.
 *
 * One `debounce` per line, owned by one thread; no allocation. */
#ifndef VIVA_DEBOUNCE_H
#define VIVA_DEBOUNCE_H

#include <stdint.h>

typedef struct {
    int stable;         /* debounced level: 1 pressed, 0 released */
    int raw;            /* level after the last raw edge */
    int64_t edge_ms;    /* time of the last raw edge */
    int debounce_ms;    /* quiet time needed before a level is accepted */
} debounce;

/* Start at `level` (the line's level when it was opened), already stable. debounce_ms < 0 is
 * treated as 0 (every edge accepted at once). */
void debounce_init(debounce *d, int level, int debounce_ms);

/* The line changed to `level` (0 or non-zero) at t_ms. Edges must be fed in time order.
 * If the level before this edge had already been stable long enough (the caller was late in
 * polling), that change is reported first: returns 1 and sets *changed to the accepted level.
 * Otherwise returns 0. */
int debounce_edge(debounce *d, int level, int64_t t_ms, int *changed);

/* At now_ms, accept the raw level if it has been quiet for debounce_ms and differs from the
 * stable one: returns 1 and sets *changed. Otherwise 0. */
int debounce_poll(debounce *d, int64_t now_ms, int *changed);

/* When debounce_poll() may next report a change, or INT64_MAX if nothing is pending. */
int64_t debounce_deadline(const debounce *d);

#endif
