/* calib.c: level priors and MAP recalibration of an item's difficulty shift. */
#include "calib.h"

#include <math.h>

double calib_level_location(int level)
{
    if (level < 1)
        level = 1;
    if (level > 5)
        level = 5;
    return level - 3.0;
}

irt_item calib_item_from_level(int level, double a)
{
    irt_item it = {IRT_GRM, 4, a > 0 ? a : CALIB_DEFAULT_A, {0}};
    double loc = calib_level_location(level);
    for (int k = 0; k < 3; k++)
        it.b[k] = loc + (k - 1) * CALIB_STEP;
    return it;
}

irt_item calib_apply(const irt_item *authored, double shift)
{
    irt_item it = *authored;
    for (int k = 0; k < it.ncat - 1; k++)
        it.b[k] += shift;
    return it;
}

/* d/ds of the log posterior of the shift s. Moving the thresholds by s is moving theta by
 * -s, so the likelihood score in s is minus the score in theta at theta - s. */
static double score(const irt_item *it, const calib_obs *obs, size_t n, double sd, double s,
                    double *info)
{
    double g = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        double p[IRT_MAX_CAT], dp[IRT_MAX_CAT];
        irt_probs(it, obs[i].theta - s, p, dp, NULL);
        int k = obs[i].grade;
        g -= dp[k] / (p[k] > IRT_PROB_FLOOR ? p[k] : IRT_PROB_FLOOR);
        for (int c = 0; c < it->ncat; c++)
            if (p[c] > IRT_PROB_FLOOR)
                in += dp[c] * dp[c] / p[c];
    }
    if (info)
        *info = in;
    return g - s / (sd * sd);
}

double calib_shift(const irt_item *authored, const calib_obs *obs, size_t n, double prior_sd,
                   double *se)
{
    double sd = prior_sd > 0 ? prior_sd : CALIB_PRIOR_SD;
    double lo = -CALIB_MAX_SHIFT, hi = CALIB_MAX_SHIFT, s;
    if (n == 0) {
        if (se)
            *se = sd;
        return 0;
    }
    if (score(authored, obs, n, sd, lo, NULL) <= 0) {
        s = lo;
    } else if (score(authored, obs, n, sd, hi, NULL) >= 0) {
        s = hi;
    } else {
        while (hi - lo > 1e-10) {
            double mid = 0.5 * (lo + hi);
            if (score(authored, obs, n, sd, mid, NULL) > 0)
                lo = mid;
            else
                hi = mid;
        }
        s = 0.5 * (lo + hi);
    }
    if (se) {
        double info;
        score(authored, obs, n, sd, s, &info);
        *se = 1.0 / sqrt(info + 1.0 / (sd * sd));
    }
    return s;
}
