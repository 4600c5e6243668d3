/* describe.c: ability in the bank's terms (levels, topics, what to practise next). */
#include "describe.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "calib.h"
#include "irt.h"

/* An even chance, with room for rounding at the exact threshold (P = 1/2 there). */
#define EVEN_CHANCE (0.5 - 1e-9)

/* P(grade >= k) for a level-L question at theta, from the engine's item model. */
static double p_at_least(int level, double theta, int k)
{
    irt_item it = calib_item_from_level(level, 0);
    double p[IRT_MAX_CAT], s = 0;
    irt_probs(&it, theta, p, NULL, NULL);
    for (int j = k; j < it.ncat; j++)
        s += p[j];
    return s;
}

int describe_solid_level(double theta)
{
    for (int level = 5; level >= 1; level--)
        if (p_at_least(level, theta, 2) >= EVEN_CHANCE)
            return level;
    return 0;
}

int describe_practice_level(double theta)
{
    int best = 1;
    for (int level = 2; level <= 5; level++) /* strict: a tie goes to the easier level */
        if (fabs(calib_level_location(level) - theta) < fabs(calib_level_location(best) - theta))
            best = level;
    return best;
}

/* snprintf that appends at the end of buf; a cut never leaves half a UTF-8 character. */
static void put(char *buf, size_t len, const char *fmt, ...)
{
    if (!len)
        return;
    size_t used = strlen(buf);
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n >= len - used) { /* cut: drop a trailing partial character */
        size_t end = len - 1;
        size_t k = end;
        while (k > used && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
            k--;
        if (k > used && ((unsigned char)buf[k - 1] & 0x80)) {
            unsigned char lead = (unsigned char)buf[k - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (end - (k - 1) < need)
                buf[k - 1] = '\0';
        }
    }
}

void describe_level(double theta, double se, char *buf, size_t len)
{
    if (!len)
        return;
    buf[0] = '\0';
    if (!isfinite(theta) || !isfinite(se) || se >= DESCRIBE_UNKNOWN_SE) {
        put(buf, len, "Too early to tell: answer a few more questions");
        return;
    }
    int solid = describe_solid_level(theta);
    if (solid == 5 && p_at_least(5, theta, 3) >= EVEN_CHANCE) {
        put(buf, len, "Answers level-5 questions excellently");
    } else if (solid >= 1) {
        put(buf, len, "Answers level-%d questions solidly", solid);
        if (solid < 5 && p_at_least(solid + 1, theta, 1) >= EVEN_CHANCE)
            put(buf, len, " and level-%d questions in part", solid + 1);
    } else if (p_at_least(1, theta, 1) >= EVEN_CHANCE) {
        put(buf, len, "Answers level-1 questions in part");
    } else {
        put(buf, len, "Starting out: level-1 questions are the place to begin");
    }
    if (se > DESCRIBE_ROUGH_SE)
        put(buf, len, " (early estimate)");
}

describe_pick describe_topics_pick(const describe_topic *t, int n, int min_answers)
{
    describe_pick pk = {0, -1, -1, -1, 0};
    if (!t || n <= 0)
        return pk;
    if (min_answers < 1)
        min_answers = 1;
    int hi = -1, lo = -1, fewest = -1, lowest = -1;
    for (int i = 0; i < n; i++) {
        int finite = isfinite(t[i].theta);
        if (finite && (lowest < 0 || t[i].theta < t[lowest].theta))
            lowest = i;
        if (finite && t[i].n >= min_answers) {
            pk.judged++;
            if (hi < 0 || t[i].theta > t[hi].theta)
                hi = i;
            if (lo < 0 || t[i].theta < t[lo].theta)
                lo = i;
        } else if (fewest < 0 || t[i].n < t[fewest].n) {
            fewest = i;
        }
    }
    if (pk.judged >= 2 && t[hi].theta - t[lo].theta >= DESCRIBE_EVEN) {
        pk.strongest = hi;
        pk.weakest = lo;
    }
    pk.practise = pk.weakest >= 0 ? pk.weakest : fewest >= 0 ? fewest : lowest;
    if (pk.practise >= 0)
        pk.practise_level =
            describe_practice_level(isfinite(t[pk.practise].theta) ? t[pk.practise].theta : 0);
    return pk;
}

void describe_topics(const describe_topic *t, int n, int min_answers, char *topics,
                     size_t tlen, char *next, size_t nlen)
{
    if (tlen)
        topics[0] = '\0';
    if (nlen)
        next[0] = '\0';
    if (min_answers < 1)
        min_answers = 1;
    describe_pick pk = describe_topics_pick(t, n, min_answers);
    if (pk.practise < 0) {
        put(topics, tlen, "No topic answered yet");
        put(next, nlen, "Practise next: any topic; your first answers set the level");
        return;
    }
    int judged_one = -1;
    for (int i = 0; i < n && judged_one < 0; i++)
        if (isfinite(t[i].theta) && t[i].n >= min_answers)
            judged_one = i;
    if (pk.strongest >= 0)
        put(topics, tlen, "Strongest: %s · weakest: %s", t[pk.strongest].name,
            t[pk.weakest].name);
    else if (pk.judged >= 2)
        put(topics, tlen, "Your topics are even so far (within %.1f of each other)",
            DESCRIBE_EVEN);
    else if (pk.judged == 1)
        put(topics, tlen, "Only %s has enough answers to compare (%d or more)",
            t[judged_one].name, min_answers);
    else
        put(topics, tlen, "Too few answers to compare topics yet (%d per topic)", min_answers);
    int unjudged = n - pk.judged;
    if (pk.judged >= 2 && unjudged > 0)
        put(topics, tlen, " · %d topic%s need%s more answers", unjudged, unjudged == 1 ? "" : "s",
            unjudged == 1 ? "s" : "");

    const describe_topic *p = &t[pk.practise];
    put(next, nlen, "Practise next: %s, level-%d questions", p->name, pk.practise_level);
    if (p->n < min_answers)
        put(next, nlen, " (%d answer%s so far)", p->n, p->n == 1 ? "" : "s");
}
