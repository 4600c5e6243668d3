/* test_irt.c: model properties over a grid of parameters and abilities: probabilities are
 * non-negative and sum to 1, derivatives match finite differences and sum to 0, information is
 * non-negative, finite and equal to its closed forms; bad parameter rows are rejected with a
 * reason; the random generator is deterministic and uniform. */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "irt.h"
#include "rng.h"

static const double as[] = {0.1, 0.5, 1.0, 2.0, 3.0, 4.0};

/* Every model and category count, with extreme, tied and spread thresholds in [-5, 5]. */
static int make_items(irt_item *out)
{
    static const double sets[][3] = {{-5, -5, -5},      {5, 5, 5},    {-5, 0, 5}, {-1, -1, 1},
                                     {0, 0.001, 0.002}, {-3, 2, 4.5}, {4, -4, 0}};
    int n = 0;
    for (size_t ai = 0; ai < sizeof as / sizeof as[0]; ai++) {
        for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
            for (int m = 1; m <= 3; m++) {
                for (int model = IRT_GRM; model <= IRT_2PL; model++) {
                    if (model == IRT_2PL && m != 1)
                        continue;
                    irt_item it = {(irt_model)model, m + 1, as[ai], {0}};
                    for (int k = 0; k < m; k++)
                        it.b[k] = sets[s][k];
                    char msg[100];
                    if (irt_item_check(&it, msg, sizeof msg) == 0)
                        out[n++] = it;
                }
            }
        }
    }
    return n;
}

static void test_grid(void)
{
    irt_item items[600];
    int n = make_items(items), bad_sum = 0, bad_p = 0, bad_info = 0, bad_d = 0;
    CHECK(n > 200);
    for (int i = 0; i < n; i++) {
        const irt_item *it = &items[i];
        for (double th = -6; th <= 6.0001; th += 0.125) {
            double p[IRT_MAX_CAT], dp[IRT_MAX_CAT], d2p[IRT_MAX_CAT];
            double ph[IRT_MAX_CAT], pl[IRT_MAX_CAT], dh[IRT_MAX_CAT], dl[IRT_MAX_CAT];
            irt_probs(it, th, p, dp, d2p);
            irt_probs(it, th + 1e-5, ph, dh, NULL);
            irt_probs(it, th - 1e-5, pl, dl, NULL);
            double sum = 0, sd = 0, sd2 = 0, info = 0, var_mean = 0, var2 = 0;
            for (int k = 0; k < it->ncat; k++) {
                bad_p += !(p[k] >= 0 && p[k] <= 1 && isfinite(dp[k]) && isfinite(d2p[k]));
                sum += p[k];
                sd += dp[k];
                sd2 += d2p[k];
                if (p[k] > 0)
                    info += dp[k] * dp[k] / p[k];
                var_mean += k * p[k];
                var2 += (double)k * k * p[k];
                /* central differences, to within their truncation and rounding error */
                double scale = it->a * it->a * it->a + 1;
                bad_d += fabs((ph[k] - pl[k]) / 2e-5 - dp[k]) > 1e-5 * scale;
                bad_d += fabs((dh[k] - dl[k]) / 2e-5 - d2p[k]) > 1e-4 * scale;
                bad_p += !isfinite(irt_logp(it, th, k));
            }
            bad_sum += fabs(sum - 1) > 1e-12 || fabs(sd) > 1e-9 || fabs(sd2) > 1e-9;
            double I = irt_info(it, th);
            bad_info += !(I >= 0 && isfinite(I)) || fabs(I - info) > 1e-12 * (1 + info);
            if (it->model == IRT_GPCM) /* GPCM information is a^2 Var(X) */
                bad_info += fabs(I - it->a * it->a * (var2 - var_mean * var_mean)) > 1e-9;
        }
    }
    CHECK_MSG(bad_sum == 0, "%d sums off", bad_sum);
    CHECK_MSG(bad_p == 0, "%d bad probabilities", bad_p);
    CHECK_MSG(bad_info == 0, "%d bad informations", bad_info);
    CHECK_MSG(bad_d == 0, "%d derivatives off", bad_d);
}

static void test_known_values(void)
{
    /* 2PL: P = 1/(1+e^-a(theta-b)), I = a^2 P Q. */
    irt_item it = {IRT_2PL, 2, 1.5, {0.5}};
    double p[2];
    irt_probs(&it, 1.0, p, NULL, NULL);
    double want = 1 / (1 + exp(-0.75));
    CHECK_NEAR(p[1], want, 1e-15);
    CHECK_NEAR(irt_info(&it, 1.0), 2.25 * want * (1 - want), 1e-15);
    /* A GRM with one threshold is the 2PL. */
    irt_item g = {IRT_GRM, 2, 1.5, {0.5}};
    CHECK_NEAR(irt_info(&g, 1.0), irt_info(&it, 1.0), 1e-15);
    /* Tail categories keep relative precision: P(0) at theta far above the threshold. */
    irt_item t = {IRT_GRM, 4, 4, {-5, 0, 5}};
    double q[4];
    irt_probs(&t, 6, q, NULL, NULL);
    CHECK_NEAR(q[0] / exp(-44.0), 1.0, 1e-12);
    CHECK_NEAR(irt_expected(&t, 6), 3 * q[3] + 2 * q[2] + q[1], 1e-15);
    CHECK_NEAR(irt_location(&t), 0, 1e-15);
}

static void test_rows(void)
{
    irt_item it;
    char msg[200];
    double grm[] = {1.2, -1, 0, 1}, bad_order[] = {1.2, 1, 0}, neg_a[] = {-1, 0};
    double nan_b[] = {1, NAN};
    CHECK(irt_item_from_row(IRT_GRM, grm, 4, &it, msg, sizeof msg) == 0 && it.ncat == 4);
    CHECK(irt_item_from_row(IRT_GRM, bad_order, 3, &it, msg, sizeof msg) != 0);
    CHECK(strstr(msg, "must not decrease") != NULL);
    CHECK(irt_item_from_row(IRT_GPCM, bad_order, 3, &it, msg, sizeof msg) == 0);
    CHECK(irt_item_from_row(IRT_2PL, grm, 4, &it, msg, sizeof msg) != 0);
    CHECK(strstr(msg, "2 parameters") != NULL);
    CHECK(irt_item_from_row(IRT_2PL, neg_a, 2, &it, msg, sizeof msg) != 0);
    CHECK(strstr(msg, "discrimination") != NULL);
    CHECK(irt_item_from_row(IRT_GRM, nan_b, 2, &it, msg, sizeof msg) != 0);
    CHECK(irt_item_from_row(IRT_GRM, grm, 1, &it, msg, sizeof msg) != 0);
    irt_model m;
    CHECK(irt_model_parse("gpcm", &m) == 0 && m == IRT_GPCM);
    CHECK(irt_model_parse("rasch", &m) != 0);
}

static void test_rng(void)
{
    rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    int same = 1, hist[10] = {0};
    double lo = 1, hi = 0, m = 0, v = 0;
    for (int i = 0; i < 1000; i++)
        same &= rng_next(&a) == rng_next(&b);
    for (int i = 0; i < 100000; i++) {
        double u = rng_uniform(&a);
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
        hist[rng_below(&a, 10)]++;
        double z = rng_normal(&a);
        m += z / 1e5;
        v += z * z / 1e5;
    }
    CHECK(same);
    CHECK(lo >= 0 && hi < 1);
    for (int i = 0; i < 10; i++)
        CHECK_MSG(hist[i] > 9500 && hist[i] < 10500, "bucket %d: %d", i, hist[i]);
    CHECK(fabs(m) < 0.02 && fabs(v - 1) < 0.02);
    /* The stream is fixed by the seed on every platform (host and qemu). */
    rng_seed(&a, 1);
    uint64_t first = rng_next(&a);
    rng_seed(&b, 2);
    CHECK(first != rng_next(&b));
    rng_seed(&a, 1);
    CHECK(rng_next(&a) == first);
    CHECK(rng_below(&a, 1) == 0);
}

int main(void)
{
    RUN(test_grid);
    RUN(test_known_values);
    RUN(test_rows);
    RUN(test_rng);
    return check_summary("engine irt");
}
