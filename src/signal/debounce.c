/* debounce.c: quiet-time debouncing of one button line (see debounce.h). */
#include "debounce.h"

void debounce_init(debounce *d, int level, int debounce_ms)
{
    d->stable = level ? 1 : 0;
    d->raw = d->stable;
    d->edge_ms = INT64_MIN;
    d->debounce_ms = debounce_ms > 0 ? debounce_ms : 0;
}

int64_t debounce_deadline(const debounce *d)
{
    if (d->raw == d->stable)
        return INT64_MAX;
    return d->edge_ms + d->debounce_ms;
}

int debounce_poll(debounce *d, int64_t now_ms, int *changed)
{
    if (d->raw == d->stable || now_ms < debounce_deadline(d))
        return 0;
    d->stable = d->raw;
    *changed = d->stable;
    return 1;
}

int debounce_edge(debounce *d, int level, int64_t t_ms, int *changed)
{
    /* A level that was quiet long enough before this edge counts, even if nobody polled. */
    int late = debounce_poll(d, t_ms, changed);
    d->raw = level ? 1 : 0;
    d->edge_ms = t_ms;
    return late;
}
