/* test_debounce.c: the debouncer (core/debounce.h) against traces of real-looking button edges:
 * contact bounce on press and release, glitches, late polling, repeated edges, zero debounce. */
#include <stdint.h>

#include "check.h"
#include "debounce.h"

typedef struct {
    int64_t t;
    int level;
} edge;

typedef struct {
    int64_t t;
    int level;
} change;

/* Replay `edges` into a debouncer, polling every millisecond from 0 to end_ms as the button
 * thread would; collect accepted changes with their times. Returns the number collected. */
static int replay(const edge *edges, int n, int debounce_ms, int64_t end_ms, change *out, int max)
{
    debounce d;
    debounce_init(&d, 0, debounce_ms);
    int next = 0, got = 0, level;
    for (int64_t t = 0; t <= end_ms; t++) {
        while (next < n && edges[next].t == t) {
            if (debounce_edge(&d, edges[next].level, t, &level) && got < max)
                out[got++] = (change){t, level};
            next++;
        }
        if (debounce_poll(&d, t, &level) && got < max)
            out[got++] = (change){t, level};
    }
    return got;
}

/* A press that bounces five times within 3 ms, held 200 ms, released with four bounces. */
static void test_bouncing_press_and_release(void)
{
    static const edge trace[] = {
        {100, 1}, {100, 0}, {101, 1}, {101, 0}, {102, 1}, {103, 0}, {103, 1}, /* press */
        {300, 0}, {300, 1}, {301, 0}, {302, 1}, {302, 0},                     /* release */
    };
    change c[8];
    int n = replay(trace, (int)(sizeof trace / sizeof trace[0]), 20, 600, c, 8);
    CHECK(n == 2);
    CHECK(c[0].level == 1 && c[0].t == 103 + 20);
    CHECK(c[1].level == 0 && c[1].t == 302 + 20);
}

/* Spikes shorter than the debounce time (electrical noise on a long cable) give nothing. */
static void test_glitch_ignored(void)
{
    static const edge trace[] = {{50, 1}, {55, 0}, {200, 1}, {219, 0}};
    change c[4];
    CHECK(replay(trace, 4, 20, 500, c, 4) == 0);
}

/* A level held exactly the debounce time counts; one millisecond less does not. */
static void test_boundary(void)
{
    static const edge exact[] = {{10, 1}, {30, 0}};
    change c[4];
    int n = replay(exact, 2, 20, 100, c, 4);
    CHECK(n == 2 && c[0].t == 30 && c[0].level == 1 && c[1].t == 50 && c[1].level == 0);
    static const edge shorter[] = {{10, 1}, {29, 0}};
    CHECK(replay(shorter, 2, 20, 100, c, 4) == 0);
}

/* The thread was busy and never polled: the next edge still reports the earlier press, at the
 * edge's time, before starting on the new level. */
static void test_late_poll(void)
{
    debounce d;
    int level = -1;
    debounce_init(&d, 0, 20);
    CHECK(debounce_edge(&d, 1, 1000, &level) == 0);
    CHECK(debounce_deadline(&d) == 1020);
    CHECK(debounce_edge(&d, 0, 1500, &level) == 1 && level == 1);
    CHECK(debounce_poll(&d, 1519, &level) == 0);
    CHECK(debounce_poll(&d, 1520, &level) == 1 && level == 0);
    CHECK(debounce_deadline(&d) == INT64_MAX);
}

/* Two edges to the same level (the kernel missed one in between) restart the quiet time; an
 * edge back to the stable level cancels the pending change. */
static void test_repeated_and_cancelled(void)
{
    debounce d;
    int level = -1;
    debounce_init(&d, 0, 20);
    debounce_edge(&d, 1, 0, &level);
    debounce_edge(&d, 1, 15, &level);
    CHECK(debounce_poll(&d, 20, &level) == 0);
    CHECK(debounce_poll(&d, 35, &level) == 1 && level == 1);
    debounce_edge(&d, 0, 100, &level);
    debounce_edge(&d, 1, 105, &level);
    CHECK(debounce_deadline(&d) == INT64_MAX);
    CHECK(debounce_poll(&d, 1000, &level) == 0);
    CHECK(d.stable == 1);
}

/* debounce_ms = 0 (or negative) accepts every edge at once; a button that starts pressed is
 * reported released when let go. */
static void test_zero_and_initial(void)
{
    static const edge trace[] = {{5, 1}, {6, 0}, {7, 1}};
    change c[4];
    int n = replay(trace, 3, 0, 10, c, 4);
    CHECK(n == 3 && c[0].t == 5 && c[1].t == 6 && c[1].level == 0 && c[2].t == 7);
    debounce d;
    int level = -1;
    debounce_init(&d, 1, -5);
    CHECK(d.debounce_ms == 0 && d.stable == 1);
    debounce_edge(&d, 0, 42, &level);
    CHECK(debounce_poll(&d, 42, &level) == 1 && level == 0);
}

int main(void)
{
    RUN(test_bouncing_press_and_release);
    RUN(test_glitch_ignored);
    RUN(test_boundary);
    RUN(test_late_poll);
    RUN(test_repeated_and_cancelled);
    RUN(test_zero_and_initial);
    return check_summary("debounce");
}
