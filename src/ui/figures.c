/* figures.c: session figures as text. */
#include "figures.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int figure_known(const session_figures *s, figure_kind kind)
{
    switch (kind) {
    case FIGURE_COVERAGE:
        return isfinite(s->coverage) && s->coverage >= 0;
    case FIGURE_WPM:
        return isfinite(s->wpm) && s->wpm > 0;
    case FIGURE_FILLERS:
        return isfinite(s->wpm) && s->wpm > 0 && isfinite(s->fillers_per_min) &&
               s->fillers_per_min >= 0;
    }
    return 0;
}

int figures_join(char *buf, size_t len, const session_figures *s, int n, int last,
                 figure_kind kind, const char *sep)
{
    if (!len)
        return 0;
    int first = n, count = 0;
    while (first > 0 && count < last) /* walk back to the first of the last `last` known */
        if (figure_known(&s[--first], kind))
            count++;
    int wrote = 0;
    for (int i = first; i < n; i++) {
        if (!figure_known(&s[i], kind))
            continue;
        size_t used = strlen(buf);
        if (used + 1 >= len)
            break;
        const char *pre = wrote ? sep : "";
        if (kind == FIGURE_COVERAGE)
            snprintf(buf + used, len - used, "%s%.0f%%", pre, 100 * fmin(s[i].coverage, 1));
        else if (kind == FIGURE_WPM)
            snprintf(buf + used, len - used, "%s%.0f", pre, s[i].wpm);
        else
            snprintf(buf + used, len - used, "%s%.1f", pre, s[i].fillers_per_min);
        wrote++;
    }
    return wrote;
}
