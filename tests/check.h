/* check.h: the tiny assertion layer every viva test program uses.
 *
 *   static void test_something(void) { CHECK(x == 1); CHECK_NEAR(y, 0.5, 1e-9); }
 *   int main(void) { RUN(test_something); return check_summary("bank"); }
 *
 * A failed check prints file:line and the expression and the test goes on, so one run shows
 * every failure. check_summary() prints "N passed, N failed" and returns the exit status.
 * SKIP("reason") ends the current test as skipped, visibly. */
#ifndef VIVA_CHECK_H
#define VIVA_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

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

static inline int check_summary(const char *suite)
{
    printf("%s: %d passed, %d failed, %d skipped\n", suite, check_tests_passed_,
           check_tests_failed_, check_tests_skipped_);
    return check_tests_failed_ ? 1 : 0;
}

#endif
