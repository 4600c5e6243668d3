/* gpio_fake.c: an in-memory GPIO chip behind the same backend interface as libgpiod (see
 * board_gpio_fake.h). Edges go into a small queue guarded by a mutex; a pipe makes the queue
 * pollable, exactly like a line's event file descriptor. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board_gpio_fake.h"
#include "board_gpio_int.h"
#include "verr.h"

#define FAKE_QUEUE 256

typedef struct {
    int offset, level;
    int64_t t_ms;
} fake_event;

struct board_fake_chip {
    pthread_mutex_t lock;
    int nlines;
    int *level;
    fake_event queue[FAKE_QUEUE];
    int head, count;
    int dropped; /* events lost to a full queue (the kernel also drops on overflow) */
    int pipe[2];
};

typedef struct {
    board_fake_chip *chip;
    int line[BOARD_BUTTON_COUNT];
    int led;
} fake_impl;

board_fake_chip *board_fake_chip_new(int nlines)
{
    board_fake_chip *c = calloc(1, sizeof *c);
    if (!c || nlines <= 0)
        goto fail;
    c->nlines = nlines;
    c->level = calloc((size_t)nlines, sizeof *c->level);
    if (!c->level || pipe(c->pipe) != 0)
        goto fail;
    fcntl(c->pipe[0], F_SETFL, O_NONBLOCK);
    fcntl(c->pipe[1], F_SETFL, O_NONBLOCK);
    pthread_mutex_init(&c->lock, NULL);
    return c;
fail:
    if (c)
        free(c->level);
    free(c);
    return NULL;
}

void board_fake_chip_free(board_fake_chip *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    close(c->pipe[0]);
    close(c->pipe[1]);
    free(c->level);
    free(c);
}

int board_fake_chip_set(board_fake_chip *c, int offset, int level, int force)
{
    if (offset < 0 || offset >= c->nlines)
        return -1;
    level = level ? 1 : 0;
    pthread_mutex_lock(&c->lock);
    if (c->level[offset] != level || force) {
        c->level[offset] = level;
        if (c->count < FAKE_QUEUE) {
            fake_event *e = &c->queue[(c->head + c->count) % FAKE_QUEUE];
            e->offset = offset;
            e->level = level;
            e->t_ms = gpio_mono_ms();
            c->count++;
            char b = 'e';
            if (write(c->pipe[1], &b, 1) < 0) {
                /* The pipe is only a wake-up; a full pipe already means "readable". */
            }
        } else {
            c->dropped++;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return 0;
}

int board_fake_chip_get(board_fake_chip *c, int offset)
{
    if (offset < 0 || offset >= c->nlines)
        return -1;
    pthread_mutex_lock(&c->lock);
    int v = c->level[offset];
    pthread_mutex_unlock(&c->lock);
    return v;
}

static int fake_wait(void *p, int wake_fd, int timeout_ms, gpio_edge *out, int max, char *err,
                     size_t errlen)
{
    fake_impl *f = p;
    board_fake_chip *c = f->chip;
    struct pollfd fds[2] = {{wake_fd, POLLIN, 0}, {c->pipe[0], POLLIN, 0}};
    int rc = poll(fds, 2, timeout_ms);
    if (rc < 0) {
        if (errno == EINTR)
            return 0;
        snprintf(err, errlen, "poll: %s", strerror(errno));
        return -1;
    }
    char drain[64];
    while (read(c->pipe[0], drain, sizeof drain) > 0) {
    }
    int n = 0;
    pthread_mutex_lock(&c->lock);
    while (c->count > 0 && n < max) {
        fake_event e = c->queue[c->head];
        c->head = (c->head + 1) % FAKE_QUEUE;
        c->count--;
        for (int k = 0; k < BOARD_BUTTON_COUNT; k++)
            if (f->line[k] == e.offset) {
                out[n].button = k;
                out[n].level = e.level;
                out[n].t_ms = e.t_ms;
                n++;
            }
    }
    if (c->count > 0) {
        char b = 'e'; /* more left: stay readable for the next wait */
        if (write(c->pipe[1], &b, 1) < 0) {
        }
    }
    pthread_mutex_unlock(&c->lock);
    return n;
}

static int fake_get(void *p, int button)
{
    fake_impl *f = p;
    return f->line[button] >= 0 ? board_fake_chip_get(f->chip, f->line[button]) : -1;
}

static int fake_set_led(void *p, int on)
{
    fake_impl *f = p;
    if (f->led < 0)
        return 0;
    pthread_mutex_lock(&f->chip->lock);
    f->chip->level[f->led] = on ? 1 : 0; /* an output: no edge event, like a real chip */
    pthread_mutex_unlock(&f->chip->lock);
    return 0;
}

static void fake_close(void *p)
{
    free(p);
}

static const gpio_backend_ops fake_ops = {fake_wait, fake_get, fake_set_led, fake_close};

int board_buttons_open_fake(board_fake_chip *chip, const board_gpio_config *cfg,
                            board_button_fn on_button, void *ctx, board_buttons **out, char *err,
                            size_t errlen)
{
    *out = NULL;
    int rc = gpio_check_lines(cfg, (unsigned)chip->nlines, "fake chip", err, errlen);
    if (rc != VIVA_OK)
        return rc;
    fake_impl *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "gpio: out of memory");
        return VIVA_ENOMEM;
    }
    f->chip = chip;
    f->led = cfg->led;
    int levels[BOARD_BUTTON_COUNT];
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++) {
        f->line[k] = cfg->line[k];
        levels[k] = cfg->line[k] >= 0 ? board_fake_chip_get(chip, cfg->line[k]) : 0;
    }
    return board_buttons_start(&fake_ops, f, "fake chip", cfg, levels, on_button, ctx, out, err,
                               errlen);
}
