/* irt.c: GRM, GPCM and 2PL probabilities, derivatives and information.
 *
 * The GRM works from the boundary curves P*_k = P(X >= k) and their complements Q*_k,
 * computed each from its own exponential so that neither is obtained as 1 - (something close
 * to 1); a category probability is then the difference of two P* or of two Q*, whichever pair
 * is further from 1, which keeps tail categories accurate to full relative precision. The
 * GPCM is a softmax over cumulative step sums, shifted by their maximum before exp(). */
#include "irt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "verr.h"

const char *irt_model_name(irt_model m)
{
    switch (m) {
    case IRT_GRM:
        return "grm";
    case IRT_GPCM:
        return "gpcm";
    case IRT_2PL:
        return "2pl";
    }
    return "?";
}

int irt_model_parse(const char *s, irt_model *out)
{
    static const irt_model all[] = {IRT_GRM, IRT_GPCM, IRT_2PL};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(s, irt_model_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    }
    return -1;
}

int irt_item_check(const irt_item *it, char *msg, size_t msglen)
{
    int m = it->ncat - 1;
    if (it->ncat < 2 || it->ncat > IRT_MAX_CAT) {
        snprintf(msg, msglen, "%d categories: need 2 to %d", it->ncat, IRT_MAX_CAT);
        return VIVA_ERANGE;
    }
    if (it->model == IRT_2PL && it->ncat != 2) {
        snprintf(msg, msglen, "a 2PL item has exactly 2 categories, not %d", it->ncat);
        return VIVA_ERANGE;
    }
    if (!isfinite(it->a) || it->a <= 0) {
        snprintf(msg, msglen, "discrimination %g: must be a finite number > 0", it->a);
        return VIVA_ERANGE;
    }
    for (int k = 0; k < m; k++) {
        if (!isfinite(it->b[k])) {
            snprintf(msg, msglen, "threshold %d is not a finite number", k + 1);
            return VIVA_ERANGE;
        }
        if (it->model == IRT_GRM && k > 0 && it->b[k] < it->b[k - 1]) {
            snprintf(msg, msglen, "GRM thresholds must not decrease: b%d = %g < b%d = %g", k + 1,
                     it->b[k], k, it->b[k - 1]);
            return VIVA_ERANGE;
        }
    }
    return VIVA_OK;
}

int irt_item_from_row(irt_model m, const double *row, int n, irt_item *out, char *msg,
                      size_t msglen)
{
    int want_min = 2, want_max = m == IRT_2PL ? 2 : IRT_MAX_CAT;
    if (n < want_min || n > want_max) {
        if (m == IRT_2PL)
            snprintf(msg, msglen, "a 2pl item has 2 parameters [a, b], not %d", n);
        else
            snprintf(msg, msglen, "a %s item has 2 to %d parameters [a, %s1, ...], not %d",
                     irt_model_name(m), IRT_MAX_CAT, m == IRT_GRM ? "b" : "d", n);
        return VIVA_ERANGE;
    }
    out->model = m;
    out->ncat = n;
    out->a = row[0];
    for (int k = 1; k < n; k++)
        out->b[k - 1] = row[k];
    for (int k = n - 1; k < IRT_MAX_CAT - 1; k++)
        out->b[k] = 0;
    return irt_item_check(out, msg, msglen);
}

/* P = 1/(1+exp(-x)) and Q = 1 - P, each without cancellation. */
static void logistic2(double x, double *p, double *q)
{
    if (x >= 0) {
        double e = exp(-x);
        *p = 1.0 / (1.0 + e);
        *q = e / (1.0 + e);
    } else {
        double e = exp(x);
        *p = e / (1.0 + e);
        *q = 1.0 / (1.0 + e);
    }
}

static void grm_probs(const irt_item *it, double theta, double *p, double *dp, double *d2p)
{
    int m = it->ncat - 1;
    double ps[IRT_MAX_CAT + 1], qs[IRT_MAX_CAT + 1];
    ps[0] = 1, qs[0] = 0, ps[m + 1] = 0, qs[m + 1] = 1;
    for (int k = 1; k <= m; k++)
        logistic2(it->a * (theta - it->b[k - 1]), &ps[k], &qs[k]);
    for (int k = 0; k <= m; k++) {
        /* P*_k - P*_{k+1} == Q*_{k+1} - Q*_k; subtract the pair that is not near 1. */
        double v = ps[k] <= 0.5 ? ps[k] - ps[k + 1] : qs[k + 1] - qs[k];
        p[k] = v > 0 ? v : 0;
    }
    if (!dp && !d2p)
        return;
    double a = it->a;
    for (int k = 0; k <= m; k++) {
        double w0 = ps[k] * qs[k], w1 = ps[k + 1] * qs[k + 1];
        if (dp)
            dp[k] = a * (w0 - w1);
        if (d2p)
            d2p[k] = a * a * (w0 * (qs[k] - ps[k]) - w1 * (qs[k + 1] - ps[k + 1]));
    }
}

static void gpcm_probs(const irt_item *it, double theta, double *p, double *dp, double *d2p)
{
    int m = it->ncat - 1;
    double z[IRT_MAX_CAT], zmax = 0, sum = 0;
    z[0] = 0;
    for (int k = 1; k <= m; k++) {
        z[k] = z[k - 1] + it->a * (theta - it->b[k - 1]);
        if (z[k] > zmax)
            zmax = z[k];
    }
    for (int k = 0; k <= m; k++)
        sum += (p[k] = exp(z[k] - zmax));
    double mean = 0, var = 0;
    for (int k = 0; k <= m; k++) {
        p[k] /= sum;
        mean += k * p[k];
    }
    if (!dp && !d2p)
        return;
    for (int k = 0; k <= m; k++)
        var += (k - mean) * (k - mean) * p[k];
    double a = it->a;
    for (int k = 0; k <= m; k++) {
        if (dp)
            dp[k] = a * p[k] * (k - mean);
        if (d2p)
            d2p[k] = a * a * p[k] * ((k - mean) * (k - mean) - var);
    }
}

void irt_probs(const irt_item *it, double theta, double *p, double *dp, double *d2p)
{
    if (it->model == IRT_GPCM)
        gpcm_probs(it, theta, p, dp, d2p);
    else
        grm_probs(it, theta, p, dp, d2p);
}

double irt_logp(const irt_item *it, double theta, int k)
{
    double p[IRT_MAX_CAT];
    irt_probs(it, theta, p, NULL, NULL);
    return log(p[k] > IRT_PROB_FLOOR ? p[k] : IRT_PROB_FLOOR);
}

double irt_info(const irt_item *it, double theta)
{
    double p[IRT_MAX_CAT], dp[IRT_MAX_CAT], info = 0;
    irt_probs(it, theta, p, dp, NULL);
    /* A category with P = 0 has P' = 0 too and contributes nothing (the limit of P'^2/P). */
    for (int k = 0; k < it->ncat; k++)
        if (p[k] > IRT_PROB_FLOOR)
            info += dp[k] * dp[k] / p[k];
    return info;
}

double irt_expected(const irt_item *it, double theta)
{
    double p[IRT_MAX_CAT], e = 0;
    irt_probs(it, theta, p, NULL, NULL);
    for (int k = 1; k < it->ncat; k++)
        e += k * p[k];
    return e;
}

double irt_location(const irt_item *it)
{
    double s = 0;
    for (int k = 0; k < it->ncat - 1; k++)
        s += it->b[k];
    return s / (it->ncat - 1);
}
