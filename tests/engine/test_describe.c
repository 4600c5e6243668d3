/* test_describe.c: ability in the bank's terms. Golden sentences for each branch, and the
 * level words checked against the engine's own level mapping over a grid of abilities. */
#include <math.h>
#include <string.h>

#include "calib.h"
#include "check.h"
#include "describe.h"

static void test_levels(void)
{
    CHECK(describe_solid_level(0.0) == 3); /* exactly at level 3's location: an even chance */
    CHECK(describe_solid_level(-0.01) == 2);
    CHECK(describe_solid_level(-2.0) == 1);
    CHECK(describe_solid_level(-2.5) == 0);
    CHECK(describe_solid_level(2.0) == 5);
    CHECK(describe_solid_level(6.0) == 5);
    CHECK(describe_practice_level(0.0) == 3);
    CHECK(describe_practice_level(0.49) == 3);
    CHECK(describe_practice_level(0.5) == 3); /* a tie goes to the easier level */
    CHECK(describe_practice_level(0.51) == 4);
    CHECK(describe_practice_level(-5.0) == 1);
    CHECK(describe_practice_level(7.0) == 5);
    /* Solid level L means the location of L is at or below theta and that of L + 1 above. */
    for (double th = -4; th <= 4; th += 0.05) {
        int L = describe_solid_level(th);
        if (L >= 1)
            CHECK_MSG(calib_level_location(L) <= th + 1e-9, "theta %.2f level %d", th, L);
        if (L < 5)
            CHECK_MSG(calib_level_location(L + 1) > th, "theta %.2f level %d", th, L);
        int P = describe_practice_level(th);
        for (int k = 1; k <= 5; k++)
            CHECK(fabs(calib_level_location(P) - th) <= fabs(calib_level_location(k) - th) + 1e-12);
    }
}

static void test_describe_level(void)
{
    char b[160];
    describe_level(0.42, 0.31, b, sizeof b);
    CHECK_STR(b, "Answers level-3 questions solidly and level-4 questions in part");
    describe_level(0.42, 0.6, b, sizeof b);
    CHECK_STR(b, "Answers level-3 questions solidly and level-4 questions in part (early estimate)");
    describe_level(0.42, 0.95, b, sizeof b);
    CHECK_STR(b, "Too early to tell: answer a few more questions");
    describe_level(NAN, 0.3, b, sizeof b);
    CHECK_STR(b, "Too early to tell: answer a few more questions");
    describe_level(0.3, INFINITY, b, sizeof b);
    CHECK_STR(b, "Too early to tell: answer a few more questions");
    describe_level(3.2, 0.3, b, sizeof b);
    CHECK_STR(b, "Answers level-5 questions excellently");
    describe_level(2.5, 0.3, b, sizeof b);
    CHECK_STR(b, "Answers level-5 questions solidly");
    describe_level(-1.7, 0.3, b, sizeof b);
    CHECK_STR(b, "Answers level-1 questions solidly and level-2 questions in part");
    describe_level(-2.5, 0.3, b, sizeof b);
    CHECK_STR(b, "Answers level-1 questions in part");
    describe_level(-3.5, 0.4, b, sizeof b);
    CHECK_STR(b, "Starting out: level-1 questions are the place to begin");

    char small[20];
    memset(small, 'x', sizeof small);
    describe_level(0.42, 0.31, small, sizeof small);
    CHECK_STR(small, "Answers level-3 que"); /* 19 bytes and the NUL */
    describe_level(0.42, 0.31, b, 0); /* nothing written, no crash */
}

static void test_topics(void)
{
    char a[160], n[160];
    describe_topic three[] = {
        {"Concurrency", 0.9, 0.3, 6}, {"SQL", -0.4, 0.35, 5}, {"Networking", 0.1, 0.5, 1}};
    describe_pick pk = describe_topics_pick(three, 3, DESCRIBE_MIN_ANSWERS);
    CHECK(pk.judged == 2 && pk.strongest == 0 && pk.weakest == 1);
    CHECK(pk.practise == 1 && pk.practise_level == 3);
    describe_topics(three, 3, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "Strongest: Concurrency · weakest: SQL · 1 topic needs more answers");
    CHECK_STR(n, "Practise next: SQL, level-3 questions");
    describe_topics(three, 2, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "Strongest: Concurrency · weakest: SQL");

    describe_topic even[] = {{"Arrays", 0.2, 0.3, 4}, {"Graphs", 0.35, 0.3, 4}, {"Trees", 0, 0.5, 0}};
    describe_topics(even, 2, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "Your topics are even so far (within 0.3 of each other)");
    CHECK_STR(n, "Practise next: Arrays, level-3 questions");
    describe_topics(even, 3, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "Your topics are even so far (within 0.3 of each other) · 1 topic needs more "
                 "answers");
    CHECK_STR(n, "Practise next: Trees, level-3 questions (0 answers so far)");

    describe_topic one[] = {{"Arrays", 1.2, 0.3, 5}, {"Graphs", 0.0, 0.5, 2}};
    describe_topics(one, 2, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "Only Arrays has enough answers to compare (3 or more)");
    CHECK_STR(n, "Practise next: Graphs, level-3 questions (2 answers so far)");

    describe_topic none[] = {{"Arrays", -1.1, 0.6, 1}};
    describe_topics(none, 1, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "Too few answers to compare topics yet (3 per topic)");
    CHECK_STR(n, "Practise next: Arrays, level-2 questions (1 answer so far)");

    describe_topics(NULL, 0, DESCRIBE_MIN_ANSWERS, a, sizeof a, n, sizeof n);
    CHECK_STR(a, "No topic answered yet");
    CHECK_STR(n, "Practise next: any topic; your first answers set the level");

    /* Ties: the first topic wins; a topic without a finite estimate is never judged. */
    describe_topic tie[] = {{"A", 1, 0.3, 3}, {"B", 1, 0.3, 3}, {"C", -1, 0.3, 3}, {"D", NAN, 1, 9}};
    pk = describe_topics_pick(tie, 4, 3);
    CHECK(pk.judged == 3 && pk.strongest == 0 && pk.weakest == 2 && pk.practise == 2);
    CHECK(pk.practise_level == 2);
    pk = describe_topics_pick(tie, 4, 0); /* min_answers < 1 counts as 1 */
    CHECK(pk.judged == 3);
    pk = describe_topics_pick(tie, 4, 10); /* nobody judged: the fewest answers */
    CHECK(pk.judged == 0 && pk.strongest == -1 && pk.practise == 0);
}

/* A cut never leaves half a UTF-8 character (the middle dot is two bytes). */
static void test_cut_utf8(void)
{
    describe_topic t[] = {{"Concurrency", 0.9, 0.3, 6}, {"SQL", -0.4, 0.35, 5}};
    char a[64], n[64];
    for (size_t len = 1; len <= 40; len++) {
        describe_topics(t, 2, 3, a, len, n, len);
        size_t k = strlen(a);
        CHECK(k < len);
        CHECK_MSG(k == 0 || ((unsigned char)a[k - 1] & 0xC0) != 0xC0, "len %zu: '%s'", len, a);
        /* "Strongest: Concurrency " is 23 bytes; the dot takes bytes 24 and 25 */
        if (len == 25)
            CHECK_STR(a, "Strongest: Concurrency ");
        if (len == 26)
            CHECK_STR(a, "Strongest: Concurrency ·");
    }
}

int main(void)
{
    RUN(test_levels);
    RUN(test_describe_level);
    RUN(test_topics);
    RUN(test_cut_utf8);
    return check_summary("describe");
}
