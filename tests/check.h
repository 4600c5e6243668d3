/* check.h: the tiny assertion layer every viva test program uses.
 *
 *   static void test_something(void) { CHECK(x == 1); CHECK_NEAR(y, 0.5, 1e-9); }
 *   int main(void) { RUN(test_something); return check_summary("bank"); }
 *
 * A failed check prints file:line and the expression and the test goes on, so one run shows
 * every failure. check_summary() prints "N passed, N failed" and returns the exit status.
 * SKIP("reason") ends the current test as skipped, visibly.
 *
 * Waiting: every wall-clock limit inside a test (a polling loop's guard, a deadline, an alarm)
 * goes through check_seconds(), which multiplies it by the time scale VIVA_TEST_TIME_SCALE
 * (set by tests/CMakeLists.txt for every test: 1 natively, more under qemu or when raised for
 * a loaded machine; the same factor scales ctest's TIMEOUT). Wait for the event, bounded:
 *     check_deadline d = check_deadline_in(20);        20 s here, 80 s at scale 4
 *     while (!done()) { if (check_deadline_passed(d)) break; check_sleep_ms(10); }
 * Poll intervals (the sleep inside such a loop) stay as they are. */
#ifndef VIVA_CHECK_H
#define VIVA_CHECK_H

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int check_failures_;
static int check_tests_passed_, check_tests_failed_, check_tests_skipped_;
static int check_current_skipped_;

#define CHECK(cond)                                                                           \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);         \
            check_failures_++;                                                                \
        }                                                                                     \
    } while (0)

#define CHECK_MSG(cond, ...)                                                                  \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);         \
            fprintf(stderr, __VA_ARGS__);                                                     \
            fputc('\n', stderr);                                                              \
            check_failures_++;                                                                \
        }                                                                                     \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                 \
    do {                                                                                      \
        double check_a_ = (a), check_b_ = (b);                                                \
        if (!(fabs(check_a_ - check_b_) <= (tol))) {                                          \
            fprintf(stderr, "%s:%d: check failed: %s = %.15g, expected %s = %.15g (tol %g)\n", \
                    __FILE__, __LINE__, #a, check_a_, #b, check_b_, (double)(tol));           \
            check_failures_++;                                                                \
        }                                                                                     \
    } while (0)

#define CHECK_STR(a, b)                                                                       \
    do {                                                                                      \
        const char *check_a_ = (a), *check_b_ = (b);                                          \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                      \
            fprintf(stderr, "%s:%d: check failed: %s = \"%s\", expected \"%s\"\n", __FILE__,  \
                    __LINE__, #a, check_a_ ? check_a_ : "(null)",                             \
                    check_b_ ? check_b_ : "(null)");                                          \
            check_failures_++;                                                                \
        }                                                                                     \
    } while (0)

#define SKIP(...)                                                                             \
    do {                                                                                      \
        fprintf(stderr, "skipped: ");                                                         \
        fprintf(stderr, __VA_ARGS__);                                                         \
        fputc('\n', stderr);                                                                  \
        check_current_skipped_ = 1;                                                           \
        return;                                                                               \
    } while (0)

#define RUN(fn)                                                                               \
    do {                                                                                      \
        int check_before_ = check_failures_;                                                  \
        check_current_skipped_ = 0;                                                           \
        fn();                                                                                 \
        if (check_failures_ != check_before_) {                                               \
            fprintf(stderr, "FAIL %s\n", #fn);                                                \
            check_tests_failed_++;                                                            \
        } else if (check_current_skipped_) {                                                  \
            fprintf(stderr, "SKIP %s\n", #fn);                                                \
            check_tests_skipped_++;                                                           \
        } else {                                                                              \
            check_tests_passed_++;                                                            \
        }                                                                                     \
    } while (0)

/* The time scale: VIVA_TEST_TIME_SCALE from the environment, at least 1. */
static inline double check_time_scale(void)
{
    const char *e = getenv("VIVA_TEST_TIME_SCALE");
    if (!e || !*e)
        return 1.0;
    char *end = NULL;
    double f = strtod(e, &end);
    if (!end || *end || !(f >= 1.0) || f > 1000.0) {
        fprintf(stderr, "VIVA_TEST_TIME_SCALE=\"%s\" is not a number from 1 to 1000: using 1\n",
                e);
        return 1.0;
    }
    return f;
}

/* `s` seconds of wall clock, scaled. */
static inline double check_seconds(double s)
{
    return s * check_time_scale();
}

/* Monotonic seconds. */
static inline double check_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void check_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

typedef struct {
    double end;
} check_deadline;

/* A deadline `s` (scaled) seconds from now. */
static inline check_deadline check_deadline_in(double s)
{
    check_deadline d = {check_now() + check_seconds(s)};
    return d;
}

static inline int check_deadline_passed(check_deadline d)
{
    return check_now() > d.end;
}

/* alarm() with the scaled number of seconds: the test's own last resort, under ctest's
 * TIMEOUT (which the same factor scales). */
static inline void check_alarm(unsigned s)
{
    alarm((unsigned)ceil(check_seconds((double)s)));
}

static inline int check_summary(const char *suite)
{
    printf("%s: %d passed, %d failed, %d skipped\n", suite, check_tests_passed_,
           check_tests_failed_, check_tests_skipped_);
    return check_tests_failed_ ? 1 : 0;
}

#endif
