/* test_ring.c: the SPSC ring. Single-thread semantics (wrap-around, overrun counting,
 * all-or-nothing writes) and a two-thread stress test: a producer writes a numbered sequence in
 * chunks of varying size, a consumer reads in other sizes and checks every sample arrives once
 * and in order. Meant to run under ThreadSanitizer too (build with -DVIVA_SANITIZE=thread). */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "ring.h"

#define TOTAL 16000000u

static void test_basic(void)
{
    ring r;
    CHECK(ring_init(&r, 100) == 0);
    CHECK(ring_capacity(&r) == 128);
    int16_t in[200], out[200];
    for (int i = 0; i < 200; i++)
        in[i] = (int16_t)i;
    CHECK(ring_write(&r, in, 100) == 100);
    CHECK(ring_available(&r) == 100);
    CHECK(ring_read(&r, out, 60) == 60);
    CHECK(out[0] == 0 && out[59] == 59);
    /* Wraps around the end of the storage. */
    CHECK(ring_write(&r, in + 100, 80) == 80);
    CHECK(ring_available(&r) == 120);
    CHECK(ring_space(&r) == 8);
    CHECK(ring_write(&r, in, 20) == 8);
    CHECK(ring_overruns(&r) == 12);
    CHECK(ring_write_all(&r, in, 5) == 0);
    CHECK(ring_overruns(&r) == 17);
    CHECK(ring_read(&r, out, 200) == 128);
    for (int i = 0; i < 120; i++)
        CHECK(out[i] == 60 + i);
    CHECK(ring_read(&r, out, 10) == 0);
    ring_free(&r);
    CHECK(ring_init(&r, 0) == -1);
}

typedef struct {
    ring *r;
    int bad;
} stress_ctx;

static void *producer(void *arg)
{
    stress_ctx *s = arg;
    int16_t buf[1024];
    uint32_t next = 0, seed = 7;
    while (next < TOTAL) {
        seed = seed * 1103515245u + 12345u;
        size_t want = 1 + (seed >> 16) % 1000;
        if (want > TOTAL - next)
            want = TOTAL - next;
        for (size_t i = 0; i < want; i++)
            buf[i] = (int16_t)(uint16_t)(next + i);
        size_t done = 0;
        /* Write only what fits (ring_space is exact for the producer), so nothing is ever
         * dropped and the overrun counter must stay at zero. */
        while (done < want) {
            size_t space = ring_space(s->r);
            size_t k = want - done < space ? want - done : space;
            size_t w = k ? ring_write(s->r, buf + done, k) : 0;
            if (w != k && s->bad++ < 5)
                fprintf(stderr, "ring_write stored %zu of %zu that fitted\n", w, k);
            done += w;
            if (w == 0)
                sched_yield();
        }
        next += (uint32_t)want;
    }
    return NULL;
}

static void *consumer(void *arg)
{
    stress_ctx *s = arg;
    int16_t buf[700];
    uint32_t expect = 0, seed = 99;
    while (expect < TOTAL) {
        seed = seed * 1103515245u + 12345u;
        size_t n = ring_read(s->r, buf, 1 + (seed >> 16) % 700);
        if (n == 0)
            sched_yield();
        for (size_t i = 0; i < n; i++, expect++)
            if (buf[i] != (int16_t)(uint16_t)expect && s->bad++ < 5)
                fprintf(stderr, "sample %u: got %d\n", expect, buf[i]);
    }
    return NULL;
}

static void test_two_threads(void)
{
    ring r;
    CHECK(ring_init(&r, 4096) == 0);
    stress_ctx s = {&r, 0};
    pthread_t p, c;
    CHECK(pthread_create(&c, NULL, consumer, &s) == 0);
    CHECK(pthread_create(&p, NULL, producer, &s) == 0);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    CHECK(s.bad == 0);
    CHECK(ring_available(&r) == 0);
    CHECK(ring_overruns(&r) == 0);
    ring_free(&r);
}

int main(void)
{
    RUN(test_basic);
    RUN(test_two_threads);
    return check_summary("ring");
}
