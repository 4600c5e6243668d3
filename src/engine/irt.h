/* irt.h: item response models for one item: category probabilities, their first and second
 * derivatives in theta, log-probabilities and Fisher information.
 *
 * Conventions follow catR (D = 1):
 *   GRM   (graded response):  P(X >= k) = 1 / (1 + exp(-a (theta - b_k))), k = 1..m, with
 *                             b_1 <= ... <= b_m; P(X = k) = P(X >= k) - P(X >= k+1).
 *   GPCM  (generalised partial credit): P(X = k) proportional to
 *                             exp(sum_{t=1..k} a (theta - d_t)); any order of d_t.
 *   2PL:                      P(X = 1) = 1 / (1 + exp(-a (theta - b))): a GRM with m = 1.
 * Categories are 0..m. viva's self-grades use m = 3 (0 missed, 1 partial, 2 solid,
 * 3 excellent). Numerically safe (no NaN, no negative probability, no division by zero) for
 * |theta| <= 6, 0 < a <= 4 and thresholds in [-5, 5]; outside that range results stay finite
 * but lose accuracy. Pure functions on caller-owned data; any thread. */
#ifndef VIVA_IRT_H
#define VIVA_IRT_H

#include <stddef.h>

#define IRT_MAX_CAT 8 /* categories per item, thresholds = categories - 1 */

typedef enum { IRT_GRM = 0, IRT_GPCM = 1, IRT_2PL = 2 } irt_model;

typedef struct {
    irt_model model;
    int ncat;                  /* number of categories, 2..IRT_MAX_CAT (2PL: 2) */
    double a;                  /* discrimination, > 0 */
    double b[IRT_MAX_CAT - 1]; /* GRM thresholds, GPCM steps d_1..d_m, or the 2PL difficulty */
} irt_item;

/* Smallest probability used inside logarithms and ratios (a category that is impossible
 * under the model contributes log(IRT_PROB_FLOOR) rather than -inf). */
#define IRT_PROB_FLOOR 1e-300

/* "grm", "gpcm", "2pl" <-> model. irt_model_parse returns 0 on success, -1 if unknown. */
const char *irt_model_name(irt_model m);
int irt_model_parse(const char *s, irt_model *out);

/* 0 if `it` is usable; otherwise VIVA_ERANGE with a sentence in msg naming the problem
 * (ncat out of range, a <= 0 or not finite, a threshold not finite, GRM thresholds out of
 * order, 2PL with ncat != 2). */
int irt_item_check(const irt_item *it, char *msg, size_t msglen);

/* Category probabilities p[0..ncat-1] at theta, and optionally (non-NULL) their first and
 * second derivatives in theta. Probabilities are >= 0 and sum to 1 up to rounding. */
void irt_probs(const irt_item *it, double theta, double *p, double *dp, double *d2p);

/* Build an item from a parameter row in catR's layout: GRM [a, b1, ..., bm], GPCM
 * [a, d1, ..., dm], 2PL [a, b]; then check it as irt_item_check does. Returns 0, or
 * VIVA_ERANGE with a sentence in msg (wrong number of parameters, bad values). */
int irt_item_from_row(irt_model m, const double *row, int n, irt_item *out, char *msg,
                      size_t msglen);

/* log P(X = k | theta), floored at log(IRT_PROB_FLOOR). k must be in 0..ncat-1. */
double irt_logp(const irt_item *it, double theta, int k);

/* Fisher information sum_k P'_k^2 / P_k at theta (>= 0). */
double irt_info(const irt_item *it, double theta);

/* Expected category sum_k k P_k at theta (the expected score). */
double irt_expected(const irt_item *it, double theta);

/* The item's location: the mean of its thresholds (GRM/2PL) or steps (GPCM). Used as "the
 * difficulty of the question" in reports. */
double irt_location(const irt_item *it);

#endif
