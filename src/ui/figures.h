/* figures.h: session figures (key-point coverage, speaking rate, fillers) as short text, for
 * the summary and progress screens. Pure formatting; buffers are caller-owned. */
#ifndef VIVA_FIGURES_H
#define VIVA_FIGURES_H

#include <stddef.h>

#include "screens.h"

typedef enum { FIGURE_COVERAGE, FIGURE_WPM, FIGURE_FILLERS } figure_kind;

/* Is this figure known in s? (coverage >= 0, wpm > 0, fillers >= 0 with wpm known) */
int figure_known(const session_figures *s, figure_kind kind);

/* Appends to buf (NUL-terminated, cut if short) the last `last` known values of `kind` among
 * s[0..n-1] (oldest first), formatted "52%", "128" or "1.5" and joined by sep. Returns how many
 * values it wrote. */
int figures_join(char *buf, size_t len, const session_figures *s, int n, int last,
                 figure_kind kind, const char *sep);

#endif
