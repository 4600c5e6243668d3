/* fsrs.c: FSRS-4.5 stability and difficulty updates (see fsrs.h for the model). Formulas, with
 * G the rating 1..4 and w the weights:
 *   first review:  S = w[G-1],  D = w4 - (G-3) w5
 *   difficulty:    D' = w7 D0(4) + (1 - w7) (D - w6 (G-3)),      clamped to [1, 10]
 *   recall (G>1):  S' = S (1 + e^w8 (11-D) S^-w9 (e^(w10 (1-R)) - 1) h e),
 *                  h = w15 if Hard, e = w16 if Easy, else 1
 *   lapse (G=1):   S' = min(S, w11 D^-w12 ((S+1)^w13 - 1) e^(w14 (1-R)))
 * The min() on a lapse (later FSRS versions have it too) keeps a miss from lengthening the
 * interval. */
#include "fsrs.h"

#include <math.h>

#define DECAY  (-0.5)
#define FACTOR (19.0 / 81.0)
#define DAY_MS 86400000.0

void fsrs_defaults(fsrs_params *p)
{
    static const double w[17] = {0.4872, 1.4003, 3.7145, 13.8206, 5.1618, 1.2298,
                                 0.8975, 0.031,  1.6474, 0.1367,  1.0461, 2.1072,
                                 0.0793, 0.3246, 1.587,  0.2272,  2.8755};
    for (int i = 0; i < 17; i++)
        p->w[i] = w[i];
    p->retention = 0.9;
    p->max_interval_days = 36500;
    p->min_interval_days = 0.01;
}

void fsrs_card_new(fsrs_card *c)
{
    c->stability = 0;
    c->difficulty = 0;
    c->last_ms = 0;
    c->due_ms = 0;
    c->reps = 0;
    c->lapses = 0;
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

double fsrs_retrievability(const fsrs_card *c, int64_t now_ms)
{
    if (c->reps == 0 || c->stability <= 0)
        return 1.0;
    double t = now_ms > c->last_ms ? (double)(now_ms - c->last_ms) / DAY_MS : 0.0;
    return pow(1.0 + FACTOR * t / c->stability, DECAY);
}

double fsrs_interval_days(const fsrs_params *p, double stability)
{
    double days = stability / FACTOR * (pow(p->retention, 1.0 / DECAY) - 1.0);
    return clamp(days, p->min_interval_days, p->max_interval_days);
}

void fsrs_review(fsrs_card *c, const fsrs_params *p, int grade, int64_t now_ms)
{
    const double *w = p->w;
    int g = clamp(grade, 0, 3) + 1; /* FSRS rating 1..4 */
    if (c->reps == 0) {
        c->stability = w[g - 1];
        c->difficulty = clamp(w[4] - (g - 3) * w[5], 1, 10);
    } else {
        double r = fsrs_retrievability(c, now_ms), s = c->stability, d = c->difficulty;
        if (g == 1) {
            double s2 = w[11] * pow(d, -w[12]) * (pow(s + 1, w[13]) - 1) * exp(w[14] * (1 - r));
            c->stability = s2 < s ? s2 : s;
        } else {
            double hard = g == 2 ? w[15] : 1.0, easy = g == 4 ? w[16] : 1.0;
            c->stability = s * (1 + exp(w[8]) * (11 - d) * pow(s, -w[9]) *
                                        (exp(w[10] * (1 - r)) - 1) * hard * easy);
        }
        double d0_easy = w[4] - w[5];
        c->difficulty = clamp(w[7] * d0_easy + (1 - w[7]) * (d - w[6] * (g - 3)), 1, 10);
    }
    if (c->stability < 0.001)
        c->stability = 0.001;
    c->reps++;
    c->lapses += g == 1;
    c->last_ms = now_ms;
    c->due_ms = now_ms + (int64_t)(fsrs_interval_days(p, c->stability) * DAY_MS);
}
