/* wsola.c: WSOLA time stretching; see wsola.h for the method. */
#include "wsola.h"

#include <math.h>
#include <stdlib.h>

static float sample_at(const int16_t *x, int64_t len, int64_t i)
{
    return (i >= 0 && i < len) ? x[i] / 32768.0f : 0.0f;
}

int wsola_init(wsola *w, int rate)
{
    *w = (wsola){0};
    w->n = (int)(0.030 * rate) & ~1;
    if (w->n < 4)
        w->n = 4;
    w->hop = w->n / 2;
    w->tol = (int)(0.010 * rate);
    w->win = malloc(sizeof(float) * (size_t)w->n);
    w->acc = calloc((size_t)w->n, sizeof(float));
    w->out = calloc((size_t)w->hop, sizeof(float));
    if (!w->win || !w->acc || !w->out) {
        wsola_free(w);
        return -1;
    }
    /* Periodic Hann: at 50% overlap consecutive windows add up to exactly 1. */
    for (int i = 0; i < w->n; i++)
        w->win[i] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * i / w->n));
    wsola_reset(w, 0);
    return 0;
}

void wsola_free(wsola *w)
{
    free(w->win);
    free(w->acc);
    free(w->out);
    w->win = w->acc = w->out = NULL;
}

void wsola_reset(wsola *w, int64_t pos)
{
    for (int i = 0; i < w->n; i++)
        w->acc[i] = 0.0f;
    w->out_pos = w->hop;
    w->ana = (double)pos;
    w->nat = -1;
}

/* The start within [nominal - tol, nominal + tol] whose frame best matches the natural
 * continuation x[nat..nat+n). Correlation over every second sample. */
static int64_t best_start(const wsola *w, const int16_t *x, int64_t len, int64_t nominal)
{
    int64_t lo = nominal - w->tol, hi = nominal + w->tol;
    if (lo < 0)
        lo = 0;
    if (hi < lo)
        hi = lo;
    int64_t best = nominal < lo ? lo : nominal;
    double best_score = -1e300;
    for (int64_t s = lo; s <= hi; s++) {
        double dot = 0.0, energy = 1e-9;
        for (int i = 0; i < w->n; i += 2) {
            float a = sample_at(x, len, w->nat + i), b = sample_at(x, len, s + i);
            dot += (double)a * b;
            energy += (double)b * b;
        }
        double score = dot / sqrt(energy);
        if (score > best_score) {
            best_score = score;
            best = s;
        }
    }
    return best;
}

/* Lay down one frame and move `hop` finished samples to out. */
static void step(wsola *w, const int16_t *x, int64_t len, double speed)
{
    int64_t nominal = (int64_t)llround(w->ana);
    int64_t start = w->nat < 0 ? nominal : best_start(w, x, len, nominal);
    for (int i = 0; i < w->n; i++)
        w->acc[i] += w->win[i] * sample_at(x, len, start + i);
    for (int i = 0; i < w->hop; i++)
        w->out[i] = w->acc[i];
    for (int i = 0; i < w->n - w->hop; i++)
        w->acc[i] = w->acc[i + w->hop];
    for (int i = w->n - w->hop; i < w->n; i++)
        w->acc[i] = 0.0f;
    w->out_pos = 0;
    w->nat = start + w->hop;
    w->ana += w->hop * speed;
}

double wsola_run(wsola *w, const int16_t *x, int64_t len, double speed, float *dst, size_t n)
{
    size_t done = 0;
    while (done < n) {
        if (w->out_pos == w->hop)
            step(w, x, len, speed);
        while (w->out_pos < w->hop && done < n)
            dst[done++] = w->out[w->out_pos++];
    }
    return w->ana;
}
