/* test_cat.c: item selection: the fast path gives exactly the maximum-information item of a
 * brute-force search over mixed banks; randomesque stays within the top k and uses all of it;
 * same seed, same choices; exclusions, recency, due reviews and their share; content
 * balancing toward target shares, with and without a focus topic. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cat.h"
#include "check.h"

static void random_bank(cat_pool *p, size_t n, int ntopics, rng *r)
{
    cat_pool_init(p, n, ntopics);
    for (size_t i = 0; i < n; i++) {
        irt_item *it = &p->items[i];
        int kind = (int)rng_below(r, 4);
        it->model = kind == 0 ? IRT_2PL : (kind == 1 ? IRT_GPCM : IRT_GRM);
        it->ncat = kind == 0 ? 2 : 2 + (int)rng_below(r, kind == 3 ? 5 : 3);
        it->a = 0.2 + 3.8 * rng_uniform(r);
        for (int k = 0; k < it->ncat - 1; k++)
            it->b[k] = -5 + 10 * rng_uniform(r);
        if (it->model != IRT_GPCM) /* sort thresholds */
            for (int k = 1; k < it->ncat - 1; k++)
                for (int j = k; j > 0 && it->b[j] < it->b[j - 1]; j--) {
                    double t = it->b[j];
                    it->b[j] = it->b[j - 1];
                    it->b[j - 1] = t;
                }
        p->topic[i] = (int)(i % (size_t)ntopics);
    }
    cat_pool_prepare(p);
}

static cat_options plain(int k)
{
    cat_options o = {k, 0, NULL, -1, 0.0, 0, 0.0};
    return o;
}

static void test_exact_mfi(void)
{
    rng r;
    rng_seed(&r, 7);
    cat_pool p;
    random_bank(&p, 3000, 1, &r);
    cat_options o = plain(1);
    int bad = 0;
    for (double th = -6; th <= 6; th += 0.37) {
        cat_state st = {th, NULL, NULL, NULL, NULL, 0, 0};
        cat_choice ch;
        cat_select(&p, &st, &o, &r, 0, &ch);
        double best = -1;
        for (size_t i = 0; i < p.n; i++) {
            double v = irt_info(&p.items[i], th);
            best = v > best ? v : best;
        }
        bad += ch.info != best || irt_info(&p.items[ch.item], th) != best;
    }
    CHECK_MSG(bad == 0, "%d thetas where the choice was not the most informative item", bad);
    cat_pool_free(&p);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void test_randomesque(void)
{
    rng r;
    rng_seed(&r, 11);
    cat_pool p;
    random_bank(&p, 500, 1, &r);
    double th = 0.4, *info = malloc(p.n * sizeof *info);
    for (size_t i = 0; i < p.n; i++)
        info[i] = irt_info(&p.items[i], th);
    qsort(info, p.n, sizeof *info, cmp_desc);
    cat_options o = plain(5);
    int seen[500] = {0}, outside = 0, distinct = 0;
    for (int t = 0; t < 500; t++) {
        cat_state st = {th, NULL, NULL, NULL, NULL, 0, 0};
        cat_choice ch;
        cat_select(&p, &st, &o, &r, 0, &ch);
        outside += ch.info < info[4];
        distinct += !seen[ch.item]++;
    }
    CHECK(outside == 0);
    CHECK(distinct == 5);
    /* Same seed and inputs: same sequence. */
    rng a, b;
    rng_seed(&a, 99);
    rng_seed(&b, 99);
    int same = 1;
    for (int t = 0; t < 50; t++) {
        cat_state st = {-1 + t * 0.05, NULL, NULL, NULL, NULL, 0, 0};
        cat_choice x, y;
        same &= cat_select(&p, &st, &o, &a, 0, &x) == cat_select(&p, &st, &o, &b, 0, &y);
    }
    CHECK(same);
    free(info);
    cat_pool_free(&p);
}

static void test_exclusions(void)
{
    rng r;
    rng_seed(&r, 3);
    cat_pool p;
    random_bank(&p, 40, 1, &r);
    unsigned char asked[40] = {0};
    int64_t last[40], due[40];
    int64_t now = 100LL * 86400000;
    for (int i = 0; i < 40; i++) {
        last[i] = i < 30 ? now - 86400000 : CAT_NEVER; /* 30 asked yesterday */
        due[i] = CAT_NO_DUE;
    }
    due[5] = now - 1000; /* one of them is due for review */
    cat_options o = plain(3);
    o.recent_ms = 3 * 86400000LL;
    int bad = 0, got5 = 0;
    for (int t = 0; t < 11; t++) {
        cat_state st = {0, asked, last, due, NULL, t, 0};
        cat_choice ch;
        int i = cat_select(&p, &st, &o, &r, now, &ch);
        if (i < 0 || i >= 40) {
            CHECK(i >= 0 && i < 40);
            break;
        }
        bad += asked[i] || (i < 30 && i != 5);
        got5 += i == 5;
        asked[i] = 1;
    }
    CHECK_MSG(bad == 0, "%d ineligible choices", bad);
    CHECK(got5 == 1); /* 10 new items + the due one: it must have come up */
    /* Only recently asked items left: recency is relaxed rather than ending. */
    cat_state st = {0, asked, last, due, NULL, 11, 0};
    cat_choice ch;
    int i = cat_select(&p, &st, &o, &r, now, &ch);
    CHECK(i >= 0 && i < 30 && !asked[i]);
    memset(asked, 1, sizeof asked);
    CHECK(cat_select(&p, &st, &o, &r, now, &ch) == -1 && ch.item == -1);
    cat_pool_free(&p);
}

static void test_reviews(void)
{
    rng r;
    rng_seed(&r, 5);
    cat_pool p;
    random_bank(&p, 200, 1, &r);
    unsigned char asked[200] = {0};
    int64_t due[200];
    for (int i = 0; i < 200; i++)
        due[i] = i % 10 == 0 ? 1000 - i : CAT_NO_DUE; /* 20 due reviews, 190 most overdue */
    cat_options o = plain(5);
    o.review_share = 0.3;
    int n_reviews = 0, first_review = -1;
    for (int t = 0; t < 20; t++) {
        cat_state st = {0.5, asked, NULL, due, NULL, t, n_reviews};
        cat_choice ch;
        int i = cat_select(&p, &st, &o, &r, 5000, &ch);
        CHECK(!ch.review || due[i] <= 5000);
        if (ch.review && first_review < 0)
            first_review = i;
        n_reviews += ch.review;
        asked[i] = 1;
    }
    CHECK_MSG(n_reviews == 6, "%d reviews in 20 questions at share 0.3", n_reviews);
    CHECK(first_review == 190);
    o.review_share = 0;
    memset(asked, 0, sizeof asked);
    cat_state st = {0.5, asked, NULL, due, NULL, 0, 0};
    cat_choice ch;
    cat_select(&p, &st, &o, &r, 5000, &ch);
    CHECK(!ch.review);
    cat_pool_free(&p);
}

/* Runs n selections and returns per-topic counts. */
static void run_topics(cat_pool *p, const cat_options *o, int n, int *counts, rng *r)
{
    unsigned char *asked = calloc(p->n, 1);
    memset(counts, 0, (size_t)p->ntopics * sizeof *counts);
    for (int t = 0; t < n; t++) {
        cat_state st = {rng_normal(r), asked, NULL, NULL, counts, t, 0};
        cat_choice ch;
        int i = cat_select(p, &st, o, r, 0, &ch);
        CHECK(i >= 0 && ch.topic == p->topic[i]);
        asked[i] = 1;
        counts[ch.topic]++;
    }
    free(asked);
}

static void test_balance(void)
{
    rng r;
    rng_seed(&r, 17);
    cat_pool p;
    random_bank(&p, 900, 3, &r);
    int counts[3];
    double target[3] = {5, 3, 2};
    cat_options o = plain(2);
    o.balance = 1;
    o.target = target;
    run_topics(&p, &o, 100, counts, &r);
    CHECK_MSG(abs(counts[0] - 50) <= 1 && abs(counts[1] - 30) <= 1 && abs(counts[2] - 20) <= 1,
              "%d %d %d", counts[0], counts[1], counts[2]);
    o.target = NULL; /* equal shares, with topic 2 in focus at 60% */
    o.focus = 2;
    o.focus_share = 0.6;
    run_topics(&p, &o, 100, counts, &r);
    CHECK_MSG(abs(counts[2] - 60) <= 1 && abs(counts[0] - 20) <= 1, "%d %d %d", counts[0],
              counts[1], counts[2]);
    o.focus_share = 1.0; /* only the focus topic */
    run_topics(&p, &o, 50, counts, &r);
    CHECK(counts[2] == 50);
    /* Without balancing, topics follow information only: far from the 50/30/20 split. */
    o = plain(1);
    o.target = target;
    run_topics(&p, &o, 30, counts, &r);
    CHECK(counts[0] + counts[1] + counts[2] == 30);
    cat_pool_free(&p);
}

int main(void)
{
    RUN(test_exact_mfi);
    RUN(test_randomesque);
    RUN(test_exclusions);
    RUN(test_reviews);
    RUN(test_balance);
    return check_summary("engine cat");
}
