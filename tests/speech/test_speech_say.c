/* test_speech_say.c: what hands-free says after an answer and at the end of a session
 * (speech_say.h): the verdict names the key points missed in short form, reads well for
 * none, some and all covered, and gives no verdict when the analysis is unsure; the summary
 * counts in words and puts the ability's change in words. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "speech_say.h"

static const char *const keys[] = {
    "Mutual exclusion: only one thread at a time may hold the lock",
    "Deadlock needs four conditions together (mutual exclusion, hold and wait, ...)",
    "Lock ordering - always acquire locks in one global order",
    "Condition variables, waited on in a loop",
    "Measure contention before optimising anything in the locking design at all"};

static void test_short_form(void)
{
    char b[96];
    speech_key_short(keys[0], b, sizeof b);
    CHECK_MSG(strcmp(b, "mutual exclusion") == 0, "got '%s'", b);
    speech_key_short(keys[1], b, sizeof b);
    CHECK_MSG(strcmp(b, "deadlock needs four conditions together") == 0, "got '%s'", b);
    speech_key_short(keys[2], b, sizeof b);
    CHECK_MSG(strcmp(b, "lock ordering") == 0, "got '%s'", b);
    speech_key_short(keys[3], b, sizeof b);
    CHECK_MSG(strcmp(b, "condition variables") == 0, "got '%s'", b);
    speech_key_short(keys[4], b, sizeof b); /* six words at most */
    CHECK_MSG(strcmp(b, "measure contention before optimising anything in") == 0, "got '%s'", b);
    speech_key_short("Token bucket \xE2\x80\x94 refill at a fixed rate", b, sizeof b);
    CHECK_MSG(strcmp(b, "token bucket") == 0, "got '%s'", b);
    speech_key_short("", b, sizeof b);
    CHECK(b[0] == '\0');
}

static void test_verdict(void)
{
    char b[600];
    int some[] = {1, 0, 1, 0, 1}, none[] = {0, 0, 0, 0, 0}, all[] = {1, 1, 1, 1, 1};
    speech_verdict_in in = {1, 1, 1, 2, 5, 3, keys, some};
    speech_verdict(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "That sounded solid: three of five key points.") != NULL, "%s", b);
    CHECK_MSG(strstr(b, "Not heard: deadlock needs four conditions together and condition "
                        "variables.") != NULL, "%s", b);
    CHECK(strstr(b, "Your grade?") != NULL);

    in.covered = none;
    in.ncovered = 0;
    in.suggested = 0;
    speech_verdict(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "none of") == NULL && strstr(b, "sounded missed") == NULL, "%s", b);
    CHECK_MSG(strstr(b, "I did not hear the key points; a strong answer covers mutual exclusion, "
                        "deadlock needs four conditions together, lock ordering and 2 more.") != NULL,
              "%s", b);

    in.covered = all;
    in.ncovered = 5;
    in.suggested = 3;
    speech_verdict(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "That sounded excellent: you covered all five key points.") != NULL, "%s",
              b);
    in.nkeys = in.ncovered = 2;
    speech_verdict(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "you covered both key points.") != NULL, "%s", b);

    /* Unsure: no verdict at all, only the question. */
    in.nkeys = 5;
    in.ncovered = 3;
    in.covered = some;
    in.suggested = 2;
    in.sure = 0;
    speech_verdict(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "sounded") == NULL && strstr(b, "Not heard") == NULL &&
                  strstr(b, "Your grade?") != NULL, "%s", b);

    speech_verdict_in silent = {1, 0, 1, -1, 5, 0, keys, none};
    speech_verdict(&silent, b, sizeof b);
    CHECK_MSG(strncmp(b, "I heard no speech", 17) == 0, "%s", b);
    speech_verdict(NULL, b, sizeof b);
    CHECK_MSG(strncmp(b, "How did that go?", 16) == 0, "%s", b);
    speech_verdict_in nokeys = {1, 1, 1, -1, 0, 0, NULL, NULL};
    speech_verdict(&nokeys, b, sizeof b);
    CHECK_MSG(strncmp(b, "How did that go?", 16) == 0, "%s", b);

    /* A small buffer is cut, never overrun. */
    char small[24];
    in.sure = 1;
    speech_verdict(&in, small, sizeof small);
    CHECK(strlen(small) == sizeof small - 1);
}

static void test_summary(void)
{
    char b[400];
    speech_summary_in in = {5, 4, 14, 23, 0.10, 0.40, 0.35, NULL};
    speech_session_summary(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "Session over: five questions, four graded.") != NULL, "%s", b);
    CHECK_MSG(strstr(b, "You covered 14 of 23 key points.") != NULL, "%s", b);
    CHECK_MSG(strstr(b, "Your level is up a little.") != NULL, "%s", b);
    CHECK(strstr(b, "Say start practice") != NULL);
    in.theta_now = 0.12;
    speech_session_summary(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "about the same") != NULL, "%s", b);
    in.theta_now = -0.9;
    speech_session_summary(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "Your level is down.") != NULL, "%s", b);
    in.asked = 1;
    in.graded = 0;
    in.keys_total = 0;
    in.unsaved_why = "the disk is full";
    speech_session_summary(&in, b, sizeof b);
    CHECK_MSG(strstr(b, "one question, none graded.") != NULL && strstr(b, "level") == NULL &&
                  strstr(b, "the disk is full") != NULL, "%s", b);
    speech_summary_in zero = {0};
    speech_session_summary(&zero, b, sizeof b);
    CHECK_MSG(strstr(b, "No question was answered") != NULL, "%s", b);
}

int main(void)
{
    RUN(test_short_form);
    RUN(test_verdict);
    RUN(test_summary);
    return check_summary("speech say");
}
