/* test_recalib.c: re-estimating question difficulty (calib.h) and the recalibration
 * experiment (sim.h), pure core only. Golden cases: a question levelled easy that everyone
 * fails moves up; a question with two answers moves little; answers given with an uncertain
 * ability count for less; an offset shared by every question is taken as ability lag, not as
 * mis-levelling; the stored record's byte layout; the same seed gives the same shifts. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calib.h"
#include "check.h"
#include "rng.h"
#include "sim.h"

/* n answers from candidates of ability ~ N(mean, 1) (estimates exact) to `real`. */
static void draw(calib_obs *obs, size_t n, const irt_item *real, double mean, double se, rng *r)
{
    for (size_t i = 0; i < n; i++) {
        obs[i].theta = mean + rng_normal(r);
        obs[i].se = se;
        obs[i].grade = sim_draw(real, obs[i].theta, r);
    }
}

static void test_everyone_fails_easy(void)
{
    /* A level-1 question (location -2) missed by 30 typical candidates (theta around 0): it is
     * much harder than its level says. */
    irt_item easy = calib_item_from_level(1, 0);
    calib_obs obs[30];
    rng r;
    rng_seed(&r, 3);
    for (int i = 0; i < 30; i++)
        obs[i] = (calib_obs){0.3 * rng_normal(&r), 0.3, 0};
    double se, s = calib_shift(&easy, obs, 30, 0, &se);
    printf("level-1 question missed by 30 candidates: shift %+.3f (SE %.3f)\n", s, se);
    CHECK(s > 1.0);
    CHECK(s <= CALIB_MAX_SHIFT);
    CHECK(se > 0 && se < CALIB_PRIOR_SD);
    /* The mirror case: a level-5 question everyone answers excellently moves down. */
    irt_item hard = calib_item_from_level(5, 0);
    for (int i = 0; i < 30; i++)
        obs[i].grade = 3;
    CHECK(calib_shift(&hard, obs, 30, 0, NULL) < -1.0);
    /* Golden value (the root of the posterior score, pinned so a change shows). */
    calib_obs two[2] = {{0, 0, 0}, {0, 0, 0}};
    double s2 = calib_shift(&easy, two, 2, 0, NULL);
    printf("level-1 question missed twice at theta 0: shift %+.6f\n", s2);
    CHECK_NEAR(s2, 0.283134, 1e-6);
}

static void test_few_answers_move_little(void)
{
    irt_item easy = calib_item_from_level(1, 0);
    calib_obs obs[60];
    for (int i = 0; i < 60; i++)
        obs[i] = (calib_obs){0, 0, 0};
    /* Shrinkage: the same evidence moves the item more the more of it there is, and two
     * answers move it about a quarter of a level. */
    double prev = 0;
    for (size_t n = 1; n <= 60; n *= 2) {
        double s = calib_shift(&easy, obs, n, 0, NULL);
        CHECK(s > prev);
        prev = s;
    }
    double two = calib_shift(&easy, obs, 2, 0, NULL), sixty = calib_shift(&easy, obs, 60, 0, NULL);
    irt_item mid = calib_item_from_level(3, 0);
    double two_mid = calib_shift(&mid, obs, 2, 0, NULL);
    printf("two misses at theta 0: level-1 question %+.3f, level-3 question %+.3f; sixty misses "
           "of the level-1 question %+.3f\n",
           two, two_mid, sixty);
    CHECK(two < 0.35 && two < sixty / 5);
    CHECK(two_mid < 0.25);
    CHECK(sixty > 2.0);
    /* A narrower prior moves less. */
    CHECK(calib_shift(&easy, obs, 10, 0.2, NULL) < calib_shift(&easy, obs, 10, 0.5, NULL));
    /* No answers: no shift, the prior SD as SE; grades out of range are ignored. */
    double se;
    CHECK(calib_shift(&easy, obs, 0, 0, &se) == 0 && se == CALIB_PRIOR_SD);
    calib_obs bad[3] = {{0, 0, -1}, {0, 0, 4}, {0, 0, 9}};
    CHECK_NEAR(calib_shift(&easy, bad, 3, 0, NULL), 0, 1e-9);
}

static void test_uncertain_ability_counts_less(void)
{
    irt_item easy = calib_item_from_level(1, 0);
    calib_obs sure[10], unsure[10];
    for (int i = 0; i < 10; i++) {
        sure[i] = (calib_obs){0, 0.1, 0};
        unsure[i] = (calib_obs){0, 1.0, 0};
    }
    double s1 = calib_shift(&easy, sure, 10, 0, NULL), s2 = calib_shift(&easy, unsure, 10, 0, NULL);
    printf("10 misses of a level-1 question: shift %+.3f with SE 0.1 abilities, %+.3f with SE 1\n",
           s1, s2);
    CHECK(s2 < s1 && s2 > 0);
}

static void test_recovers_mislevelled(void)
{
    /* The test from test_state, through calib_shifts with well-levelled neighbours: a level-2
     * question that behaves like level 4 recovers most of its +2 from 400 answers. */
    irt_item items[6];
    irt_item real[6];
    calib_obs obs[6][400];
    calib_group g[6];
    rng r;
    rng_seed(&r, 8);
    for (int i = 0; i < 6; i++) {
        items[i] = calib_item_from_level(1 + i % 5, 0);
        real[i] = i == 1 ? calib_item_from_level(4, 0) : items[i];
        draw(obs[i], 400, &real[i], 0, 0.2, &r);
        g[i] = (calib_group){&items[i], obs[i], 400};
    }
    double shift[6], se[6];
    double common = calib_shifts(g, 6, 0, shift, se);
    printf("mis-levelled +2 among 5 levelled: shift %+.2f (SE %.2f), others %+.2f %+.2f %+.2f "
           "%+.2f %+.2f, common %+.3f\n",
           shift[1], se[1], shift[0], shift[2], shift[3], shift[4], shift[5], common);
    CHECK(fabs(shift[1] - 2) < 0.5);
    for (int i = 0; i < 6; i++)
        if (i != 1)
            CHECK(fabs(shift[i]) < 0.5);
}

static void test_common_offset_is_not_mislevelling(void)
{
    /* Every estimate lags the real ability by 0.6 (a learner improving faster than the
     * estimate follows): every question looks 0.6 easier. The common shift takes it; the
     * questions' own shifts stay near 0. */
    irt_item items[10];
    calib_obs obs[10][100];
    calib_group g[10];
    rng r;
    rng_seed(&r, 21);
    for (int i = 0; i < 10; i++) {
        items[i] = calib_item_from_level(1 + i % 5, 0);
        for (int k = 0; k < 100; k++) {
            double truth = rng_normal(&r);
            obs[i][k] = (calib_obs){truth - 0.6, 0.2, sim_draw(&items[i], truth, &r)};
        }
        g[i] = (calib_group){&items[i], obs[i], 100};
    }
    double shift[10];
    double common = calib_shifts(g, 10, 0, shift, NULL);
    double alone = calib_shift(&items[0], obs[0], 100, 0, NULL);
    printf("estimates lagging by 0.6: common shift %+.3f; item 0 %+.3f (alone it would be "
           "%+.3f)\n",
           common, shift[0], alone);
    CHECK(common < -0.4 && common > -0.8);
    CHECK(alone < -0.3);
    for (int i = 0; i < 10; i++)
        CHECK_MSG(fabs(shift[i]) < 0.3, "item %d (level %d): shift %+.3f", i, 1 + i % 5, shift[i]);
    double se;
    CHECK(calib_common_shift(g, 0, 0, &se) == 0 && se == CALIB_COMMON_SD);
}

static void test_record_layout(void)
{
    calib_record rec = {2, 0.5, 0.25, 0x01020304u}, back;
    unsigned char b[CALIB_RECORD_SIZE];
    calib_record_encode(&rec, b);
    /* version, level, 0.5 = 0x3FE0000000000000 and 0.25 = 0x3FD0000000000000 little-endian, n */
    static const unsigned char want[CALIB_RECORD_SIZE] = {
        1, 2, 0, 0, 0, 0, 0, 0, 0xE0, 0x3F, 0, 0, 0, 0, 0, 0, 0xD0, 0x3F, 4, 3, 2, 1};
    CHECK(memcmp(b, want, sizeof want) == 0);
    CHECK(calib_record_decode(b, sizeof b, &back) == 0);
    CHECK(back.level == 2 && back.shift == 0.5 && back.se == 0.25 && back.n == 0x01020304u);
    rec.shift = -1.2345678901234567;
    calib_record_encode(&rec, b);
    CHECK(calib_record_decode(b, sizeof b, &back) == 0 && back.shift == rec.shift);
    /* Refused: wrong size, version, level; a shift out of range; a NaN SE. */
    CHECK(calib_record_decode(b, sizeof b - 1, &back) == -1);
    CHECK(calib_record_decode(NULL, 0, &back) == -1);
    unsigned char c[CALIB_RECORD_SIZE];
    memcpy(c, b, sizeof c);
    c[0] = 2;
    CHECK(calib_record_decode(c, sizeof c, &back) == -1);
    memcpy(c, b, sizeof c);
    c[1] = 6;
    CHECK(calib_record_decode(c, sizeof c, &back) == -1);
    rec.shift = 3.0;
    calib_record_encode(&rec, c);
    CHECK(calib_record_decode(c, sizeof c, &back) == -1);
    rec.shift = 0;
    rec.se = NAN;
    calib_record_encode(&rec, c);
    CHECK(calib_record_decode(c, sizeof c, &back) == -1);
}

static void test_mislevel_marks(void)
{
    double off[50];
    rng r;
    rng_seed(&r, 4);
    sim_mislevel(50, 12, &r, off);
    int marked = 0;
    for (int i = 0; i < 50; i++) {
        if (off[i] != 0) {
            marked++;
            CHECK(off[i] == -2 || off[i] == -1 || off[i] == 1 || off[i] == 2);
        }
    }
    CHECK(marked == 12);
    sim_mislevel(5, 9, &r, off); /* more than there are: all of them */
    for (int i = 0; i < 5; i++)
        CHECK(off[i] != 0);
}

/* A 100-question level bank in 5 topics. */
static void level_pool(cat_pool *p)
{
    cat_pool_init(p, 100, 5);
    for (int i = 0; i < 100; i++) {
        p->items[i] = calib_item_from_level(1 + (i / 5) % 5, 0);
        p->topic[i] = i % 5;
    }
    cat_pool_prepare(p);
}

static void test_simulation(void)
{
    cat_pool pool;
    level_pool(&pool);
    double off[100], sh1[100], sh2[100], sh0[100];
    int ans[100];
    rng r;
    rng_seed(&r, 11);
    sim_mislevel(100, 15, &r, off);
    sim_recal_opts o = {
        {-1.0, 1.0, 20, 10, 1.0, 2.0, ability_defaults(), cat_defaults()}, 10, 0.5, 1, 0};
    rng a = r, b = r;
    sim_recal_result with, again, without;
    sim_recal_run(&pool, off, &o, &a, sh1, ans, &with);
    sim_recal_run(&pool, off, &o, &b, sh2, NULL, &again);
    /* Deterministic under a seed. */
    CHECK(memcmp(sh1, sh2, sizeof sh1) == 0);
    CHECK(with.rmse == again.rmse && with.bias == again.bias && with.answers == again.answers);
    CHECK(with.answers == 10 * 20 * 10);
    o.recalibrate = 0;
    a = r;
    sim_recal_run(&pool, off, &o, &a, sh0, NULL, &without);
    double e_with = 0, e_without = 0;
    int n = 0;
    for (int i = 0; i < 100; i++) {
        CHECK(sh0[i] == 0);
        if (off[i] != 0 && ans[i] > 0) {
            e_with += (sh1[i] - off[i]) * (sh1[i] - off[i]);
            e_without += off[i] * off[i];
            n++;
        }
    }
    printf("simulation: %d mis-levelled answered; shift RMSE %.3f with, %.3f without; ability "
           "RMSE %.3f with, %.3f without\n",
           n, sqrt(e_with / n), sqrt(e_without / n), with.rmse, without.rmse);
    CHECK(n >= 10);
    CHECK(sqrt(e_with / n) < 0.75 * sqrt(e_without / n));
    CHECK(isfinite(with.rmse) && isfinite(without.rmse));
    cat_pool_free(&pool);
}

int main(void)
{
    RUN(test_everyone_fails_easy);
    RUN(test_few_answers_move_little);
    RUN(test_uncertain_ability_counts_less);
    RUN(test_recovers_mislevelled);
    RUN(test_common_offset_is_not_mislevelling);
    RUN(test_record_layout);
    RUN(test_mislevel_marks);
    RUN(test_simulation);
    return check_summary("recalib");
}
