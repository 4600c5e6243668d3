/* test_state.c: the engine's state over time: ability updates and drift, per-topic shrinkage,
 * history; FSRS review scheduling against hand-computed values; level priors and difficulty
 * recalibration; session stop rules; and a whole practice session replayed from its seed. */
#include <math.h>
#include <stdio.h>

#include "ability.h"
#include "calib.h"
#include "cat.h"
#include "check.h"
#include "estimate.h"
#include "fsrs.h"
#include "session.h"
#include "sim.h"

#define DAY 86400000LL

static void test_ability_update(void)
{
    ability_params p = ability_defaults();
    ability a;
    ability_init(&a, &p);
    CHECK(a.theta == 0 && a.se == 1 && a.n == 0);
    irt_item it = calib_item_from_level(3, 0);
    /* One answer from N(0, 1) equals the EAP of that answer on a fine [-6, 6] grid. */
    ability b = a;
    ability_update(&b, &p, &it, 3, 0);
    int x = 3;
    est_opts o = {2001, -6, 6, 0, 1};
    est_result e = est_eap(&it, &x, 1, &o);
    CHECK_NEAR(b.theta, e.theta, 1e-6);
    CHECK_NEAR(b.se, e.se, 1e-6);
    CHECK(b.theta > 0 && b.se < 1 && b.n == 1 && b.last_ms == 0);
    ability c = a;
    ability_update(&c, &p, &it, 0, 0);
    CHECK(c.theta < 0);
    /* No drift: the SE keeps shrinking with answers. With drift and a day between answers,
     * it settles at a floor instead. */
    ability_params still = p;
    still.drift_per_day = 0;
    ability s, d;
    ability_init(&s, &still);
    ability_init(&d, &p);
    for (int i = 0; i < 200; i++) {
        ability_update(&s, &still, &it, 2, i * DAY);
        ability_update(&d, &p, &it, 2, i * DAY);
    }
    CHECK(s.se < 0.12);
    CHECK(d.se > 0.2 && d.se < 0.5);
}

static void test_drift(void)
{
    ability_params p = ability_defaults();
    ability a = {0.7, 0.2, 10 * DAY, 50};
    ability now = ability_at(&a, &p, 10 * DAY);
    CHECK(now.se == 0.2 && now.theta == 0.7);
    now = ability_at(&a, &p, 14 * DAY);
    CHECK_NEAR(now.se, sqrt(0.04 + 0.15 * 0.15 * 4), 1e-12);
    CHECK(now.theta == 0.7);
    CHECK_NEAR(ability_at(&a, &p, 1000 * DAY).se, p.sd, 1e-12); /* capped */
    CHECK(ability_at(&a, &p, 0).se == 0.2);                     /* time going back: none */
}

static void test_topics(void)
{
    ability_params p = ability_defaults(), tp = ability_topic_defaults();
    ability overall = {0.0, 0.3, 0, 40}, dev;
    ability_init(&dev, &tp);
    ability t = ability_topic_at(&dev, &tp, &overall, &p, 0);
    CHECK(t.theta == overall.theta); /* no topic answers: the overall ability */
    CHECK(t.se > overall.se);
    irt_item it = calib_item_from_level(3, 0);
    /* Strong answers in this topic: the topic ability rises above the overall one, but less
     * than a separate estimate from the same answers would (shrinkage). */
    ability alone;
    ability_init(&alone, &p);
    for (int i = 0; i < 6; i++) {
        ability_topic_update(&dev, &tp, &overall, &it, 3, i * 60000);
        ability_update(&alone, &p, &it, 3, i * 60000);
    }
    t = ability_topic_at(&dev, &tp, &overall, &p, 6 * 60000);
    CHECK(t.theta > overall.theta + 0.2);
    CHECK(t.theta < alone.theta);
    CHECK(t.n == 6);

    ability_history h = {0};
    for (int i = 0; i < 100; i++) {
        ability_update(&overall, &p, &it, i % 4, i * 1000);
        ability_history_push(&h, &overall);
    }
    CHECK(h.n == 100 && h.v[99].n == overall.n && h.v[99].theta == overall.theta);
    CHECK(h.v[99].t_ms == 99000);
    ability_history_free(&h);
}

static void test_fsrs(void)
{
    fsrs_params p;
    fsrs_defaults(&p);
    static const double first[4] = {0.4872, 1.4003, 3.7145, 13.8206};
    for (int g = 0; g < 4; g++) {
        fsrs_card c;
        fsrs_card_new(&c);
        fsrs_review(&c, &p, g, 0);
        CHECK_NEAR(c.stability, first[g], 1e-12);
        CHECK_NEAR((double)c.due_ms / DAY, first[g], 1e-6); /* retention 0.9: interval = S */
        CHECK(c.reps == 1 && c.lapses == (g == 0));
    }
    fsrs_card c;
    fsrs_card_new(&c);
    fsrs_review(&c, &p, 2, 0);
    CHECK_NEAR(c.difficulty, 5.1618, 1e-12);
    CHECK_NEAR(fsrs_retrievability(&c, c.due_ms), 0.9, 1e-6);
    fsrs_card lapse = c;
    /* Reviewed exactly when due (R = 0.9), graded solid: values computed by hand from the
     * FSRS-4.5 formulas. */
    int64_t due = (int64_t)(3.7145 * DAY);
    fsrs_review(&c, &p, 2, due);
    CHECK_NEAR(c.stability, 14.094985421450287, 1e-6);
    CHECK_NEAR(c.difficulty, 5.1236762, 1e-9);
    fsrs_review(&lapse, &p, 0, due);
    CHECK_NEAR(lapse.stability, 1.418524828653778, 1e-6);
    CHECK_NEAR(lapse.difficulty, 6.8630312, 1e-9);
    CHECK(lapse.lapses == 1 && lapse.due_ms > due);
    /* Lower retention target: longer intervals. */
    fsrs_params low = p;
    low.retention = 0.8;
    CHECK(fsrs_interval_days(&low, 10) > fsrs_interval_days(&p, 10));
    /* Misses keep difficulty within 1..10 and never grow stability. */
    for (int i = 0; i < 50; i++) {
        double before = lapse.stability;
        fsrs_review(&lapse, &p, 0, lapse.due_ms);
        CHECK(lapse.stability <= before && lapse.difficulty <= 10 && lapse.difficulty >= 1);
    }
}

static void test_calib(void)
{
    for (int l = 1; l <= 5; l++) {
        irt_item it = calib_item_from_level(l, 0);
        CHECK(it.model == IRT_GRM && it.ncat == 4 && it.a == CALIB_DEFAULT_A);
        CHECK_NEAR(it.b[1], l - 3, 1e-15);
        CHECK_NEAR(it.b[0], l - 4, 1e-15);
        CHECK_NEAR(it.b[2], l - 2, 1e-15);
    }
    CHECK(calib_level_location(9) == 2 && calib_level_location(-1) == -2);
    /* A question authored as level 2 that really behaves like level 4. */
    irt_item authored = calib_item_from_level(2, 0), real = calib_item_from_level(4, 0);
    rng r;
    rng_seed(&r, 8);
    calib_obs obs[400];
    for (int i = 0; i < 400; i++) {
        obs[i].theta = rng_normal(&r);
        obs[i].se = 0;
        obs[i].grade = sim_draw(&real, obs[i].theta, &r);
    }
    double se, few = calib_shift(&authored, obs, 5, 0, NULL);
    double many = calib_shift(&authored, obs, 400, 0, &se);
    printf("mis-levelled item: shift after 5 answers %+.2f, after 400 %+.2f (SE %.2f), true +2\n",
           few, many, se);
    CHECK(fabs(few) < 1.0);       /* slowly: a handful of answers hardly moves it */
    CHECK(fabs(many - 2) < 0.35); /* many answers: close to the real difficulty */
    CHECK(se < 0.15);
    CHECK(calib_shift(&authored, obs, 0, 0, &se) == 0 && se == CALIB_PRIOR_SD);
    /* A well-levelled item stays put. */
    for (int i = 0; i < 400; i++)
        obs[i].grade = sim_draw(&authored, obs[i].theta, &r);
    CHECK(fabs(calib_shift(&authored, obs, 400, 0, NULL)) < 0.2);
    irt_item moved = calib_apply(&authored, 2);
    CHECK_NEAR(moved.b[1], real.b[1], 1e-15);
}

static void test_session_rules(void)
{
    session s;
    session_rules pr = {SESSION_PRACTICE, 3, 0, 0, 0};
    session_start(&s, &pr, 0);
    for (int i = 0; i < 3; i++) {
        CHECK(session_next(&s, 1, i) == SESSION_GO);
        session_asked(&s, i);
        CHECK(session_next(&s, 1, i) == SESSION_WAIT_GRADE);
        session_graded(&s, i == 1 ? -1 : 2, i);
    }
    CHECK(session_next(&s, 1, 10) == SESSION_END_COUNT);
    CHECK(s.graded == 2 && s.asked == 3);
    session_rules timed = {SESSION_PRACTICE, 0, 5, 0, 0};
    session_start(&s, &timed, 1000);
    CHECK(session_next(&s, 1, 1000 + 4 * 60000) == SESSION_GO);
    session_asked(&s, 1000 + 4 * 60000);
    session_graded(&s, 3, 1000 + 6 * 60000); /* the question out is finished */
    CHECK(session_next(&s, 1, 1000 + 6 * 60000) == SESSION_END_TIME);
    CHECK(session_next(&s, 1, 0) == SESSION_END_TIME); /* sticky */
    session_rules as = {SESSION_ASSESSMENT, 0, 0, 0.3, 4};
    session_start(&s, &as, 0);
    CHECK(session_next(&s, 0.1, 0) == SESSION_GO); /* no answer yet: SE rule waits */
    session_asked(&s, 0);
    session_graded(&s, 1, 0);
    CHECK(session_next(&s, 0.31, 0) == SESSION_GO);
    CHECK(session_next(&s, 0.3, 0) == SESSION_END_SE);
    session_start(&s, &as, 0);
    for (int i = 0; i < 4; i++) {
        CHECK(session_next(&s, 0.9, 0) == SESSION_GO);
        session_asked(&s, 0);
        session_graded(&s, 0, 0);
    }
    CHECK(session_next(&s, 0.9, 0) == SESSION_END_MAX);
    session_start(&s, &pr, 0);
    session_exhausted(&s);
    CHECK(session_next(&s, 1, 0) == SESSION_END_NO_ITEMS);
    CHECK(session_status_name(SESSION_END_TIME)[0] != '?');
}

/* A whole practice session driven like the UI does; returns a fingerprint of the items. */
static uint64_t practice(uint64_t seed, ability *out)
{
    rng r;
    rng_seed(&r, seed);
    cat_pool pool;
    cat_pool_init(&pool, 120, 4);
    for (int i = 0; i < 120; i++) {
        pool.items[i] = calib_item_from_level(1 + i % 5, 0);
        pool.topic[i] = i % 4;
    }
    cat_pool_prepare(&pool);
    unsigned char asked[120] = {0};
    int counts[4] = {0};
    ability_params ap = ability_defaults();
    ability a;
    ability_init(&a, &ap);
    session s;
    session_rules rules = {SESSION_PRACTICE, 10, 30, 0, 0};
    cat_options co = cat_defaults();
    int64_t now = 5 * DAY;
    uint64_t fp = 1469598103934665603ull;
    session_start(&s, &rules, now);
    while (session_next(&s, a.se, now) == SESSION_GO) {
        cat_state st = {ability_at(&a, &ap, now).theta, asked, NULL, NULL, counts, s.asked, 0};
        cat_choice ch;
        if (cat_select(&pool, &st, &co, &r, now, &ch) < 0) {
            session_exhausted(&s);
            break;
        }
        session_asked(&s, now);
        now += 120000;
        int grade = sim_draw(&pool.items[ch.item], 0.8, &r);
        session_graded(&s, grade, now);
        ability_update(&a, &ap, &pool.items[ch.item], grade, now);
        asked[ch.item] = 1;
        counts[ch.topic]++;
        fp = (fp ^ (uint64_t)ch.item) * 1099511628211ull;
    }
    CHECK(s.ended == SESSION_END_COUNT && s.asked == 10);
    CHECK(counts[0] + counts[1] + counts[2] + counts[3] == 10);
    CHECK(counts[0] >= 2 && counts[1] >= 2 && counts[2] >= 2 && counts[3] >= 2);
    *out = a;
    cat_pool_free(&pool);
    return fp;
}

static void test_replay(void)
{
    ability a, b, c;
    uint64_t x = practice(42, &a), y = practice(42, &b), z = practice(43, &c);
    CHECK(x == y && a.theta == b.theta && a.se == b.se);
    CHECK(x != z);
}

int main(void)
{
    RUN(test_ability_update);
    RUN(test_drift);
    RUN(test_topics);
    RUN(test_fsrs);
    RUN(test_calib);
    RUN(test_session_rules);
    RUN(test_replay);
    return check_summary("engine state");
}
