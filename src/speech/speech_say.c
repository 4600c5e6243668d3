/* speech_say.c: see speech_say.h. */
#include "speech_say.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char ASK[] = "Your grade? Say missed entirely, partly right, pretty solid, or "
                          "absolutely excellent.";

const char *speech_count_word(int n, char *buf, size_t len)
{
    static const char *const words[] = {"none", "one",   "two",   "three", "four",
                                        "five", "six",   "seven", "eight", "nine",
                                        "ten",  "eleven", "twelve"};
    if (n >= 0 && n <= 12)
        return words[n];
    snprintf(buf, len, "%d", n);
    return buf;
}

void speech_key_short(const char *key, char *buf, size_t len)
{
    size_t n = 0;
    int words = 0, in_word = 0;
    if (len == 0)
        return;
    for (const char *p = key ? key : ""; *p && n + 1 < len; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == ':' || ch == ';' || ch == '(' || ch == ',' || ch == '.' ||
            (ch == '-' && p > key && p[-1] == ' ') || (ch == 0xE2 && p[1] == (char)0x80))
            break; /* the point's name ends here (a spaced hyphen or an en/em dash) */
        if (isspace(ch)) {
            if (in_word && ++words == 6)
                break;
            in_word = 0;
            if (n && buf[n - 1] != ' ')
                buf[n++] = ' ';
            continue;
        }
        in_word = 1;
        buf[n++] = (char)tolower(ch);
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

/* "a", "a and b", "a, b and c", "a, b, c and 2 more" into buf. */
static void missed_list(const speech_verdict_in *in, char *buf, size_t len)
{
    char item[3][96];
    int shown = 0, missed = 0;
    for (int k = 0; k < in->nkeys; k++) {
        if (in->covered[k])
            continue;
        if (shown < 3)
            speech_key_short(in->keys[k], item[shown++], sizeof item[0]);
        missed++;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < shown && used < len; i++) {
        const char *sep = i == 0 ? "" : (i == shown - 1 && missed == shown) ? " and " : ", ";
        used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, item[i]);
    }
    if (missed > shown && used < len)
        snprintf(buf + used, len - used, " and %d more", missed - shown);
}

void speech_verdict(const speech_verdict_in *in, char *buf, size_t len)
{
    static const char *const grade[] = {"missed", "partial", "solid", "excellent"};
    char b1[16], b2[16], missed[400];
    if (!in || !in->analysed) {
        snprintf(buf, len, "How did that go? %s", ASK);
        return;
    }
    if (!in->speech) {
        snprintf(buf, len, "I heard no speech in that answer. %s", ASK);
        return;
    }
    if (in->nkeys <= 0 || !in->keys || !in->covered) {
        snprintf(buf, len, "How did that go? %s", ASK);
        return;
    }
    if (!in->sure || in->suggested < 0 || in->suggested > 3 || in->nkeys <= 0 || !in->keys ||
        !in->covered) {
        /* No verdict from an analysis that is not sure of what it heard. */
        snprintf(buf, len, "I could not follow that answer well enough to judge it. %s", ASK);
        return;
    }
    const char *total = speech_count_word(in->nkeys, b2, sizeof b2);
    if (in->ncovered >= in->nkeys) {
        char all[48];
        if (in->nkeys <= 2)
            snprintf(all, sizeof all, "%s", in->nkeys == 1 ? "the key point" : "both key points");
        else
            snprintf(all, sizeof all, "all %s key points", total);
        snprintf(buf, len, "That sounded %s: you covered %s. %s", grade[in->suggested], all, ASK);
        return;
    }
    missed_list(in, missed, sizeof missed);
    if (in->ncovered == 0) {
        snprintf(buf, len, "I did not hear the key points; a strong answer covers %s. %s",
                 missed, ASK);
        return;
    }
    snprintf(buf, len, "That sounded %s: %s of %s key points. Not heard: %s. %s",
             grade[in->suggested], speech_count_word(in->ncovered, b1, sizeof b1), total,
             missed, ASK);
}

/* The ability's change in words, measured against its uncertainty. */
static const char *change_words(double delta, double se)
{
    double unit = se > 0.15 ? se : 0.15;
    if (fabs(delta) < unit / 3)
        return "about the same as before";
    if (fabs(delta) < unit)
        return delta > 0 ? "up a little" : "down a little";
    return delta > 0 ? "up" : "down";
}

void speech_session_summary(const speech_summary_in *in, char *buf, size_t len)
{
    char b1[16], b2[16];
    size_t used = 0;
    if (in->asked == 0) {
        snprintf(buf, len, "Session over. No question was answered.");
        return;
    }
    used += (size_t)snprintf(buf, len, "Session over: %s question%s, %s graded.",
                             speech_count_word(in->asked, b1, sizeof b1),
                             in->asked == 1 ? "" : "s",
                             speech_count_word(in->graded, b2, sizeof b2));
    if (in->keys_total > 0 && used < len)
        used += (size_t)snprintf(buf + used, len - used, " You covered %s of %s key points.",
                                 speech_count_word(in->keys_covered, b1, sizeof b1),
                                 speech_count_word(in->keys_total, b2, sizeof b2));
    if (in->graded > 0 && used < len)
        used += (size_t)snprintf(buf + used, len - used, " Your level is %s.",
                                 change_words(in->theta_now - in->theta_start, in->se_now));
    if (in->unsaved_why && used < len)
        used += (size_t)snprintf(buf + used, len - used, " Not every grade was saved: %s.",
                                 in->unsaved_why);
    if (used < len)
        snprintf(buf + used, len - used, " Say start practice for another session.");
}
