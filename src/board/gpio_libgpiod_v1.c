/* gpio_libgpiod_v1.c: the real GPIO backend for libgpiod 1.x (the v1 API: Debian 12 "bookworm"
 * and Raspberry Pi OS bookworm ship 1.6): the kernel's GPIO character device. CMake builds this
 * file or gpio_libgpiod_v2.c (Debian 13 "trixie", libgpiod 2.x), from the library's version
 * (src/board/CMakeLists.txt). Buttons are requested for both-edge events with the pull-up on
 * (active-low) and read with poll() on their event file descriptors; the LED is an output line. */
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_gpio.h"
#include "board_gpio_int.h"
#include "verr.h"
#include "vlog.h"

typedef struct {
    struct gpiod_chip *chip;
    struct gpiod_line *btn[BOARD_BUTTON_COUNT];
    struct gpiod_line *led;
} chip_impl;

/* Kernels since 5.7 stamp v1 line events with CLOCK_MONOTONIC, older ones with CLOCK_REALTIME:
 * a stamp far from our monotonic clock is replaced by the time we read the event. */
static int64_t event_ms(const struct gpiod_line_event *ev)
{
    int64_t t = (int64_t)ev->ts.tv_sec * 1000 + ev->ts.tv_nsec / 1000000;
    int64_t now = gpio_mono_ms();
    return (t > now || now - t > 10000) ? now : t;
}

static int lg_wait(void *p, int wake_fd, int timeout_ms, gpio_edge *out, int max, char *err,
                   size_t errlen)
{
    chip_impl *c = p;
    struct pollfd fds[BOARD_BUTTON_COUNT + 1];
    int which[BOARD_BUTTON_COUNT + 1], nfds = 0;
    fds[nfds].fd = wake_fd;
    fds[nfds].events = POLLIN;
    which[nfds++] = -1;
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++)
        if (c->btn[k]) {
            fds[nfds].fd = gpiod_line_event_get_fd(c->btn[k]);
            fds[nfds].events = POLLIN | POLLPRI;
            which[nfds++] = k;
        }
    int rc = poll(fds, (nfds_t)nfds, timeout_ms);
    if (rc < 0) {
        if (errno == EINTR)
            return 0;
        snprintf(err, errlen, "poll: %s", strerror(errno));
        return -1;
    }
    int n = 0;
    for (int i = 1; i < nfds && n < max; i++) {
        if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL)) {
            snprintf(err, errlen, "line %u (%s) failed: the chip went away?",
                     gpiod_line_offset(c->btn[which[i]]), board_button_name(which[i]));
            return -1;
        }
        if (!(fds[i].revents & (POLLIN | POLLPRI)))
            continue;
        struct gpiod_line_event ev[16];
        int got = gpiod_line_event_read_multiple(c->btn[which[i]], ev, 16);
        if (got < 0) {
            snprintf(err, errlen, "reading events of line %u (%s): %s",
                     gpiod_line_offset(c->btn[which[i]]), board_button_name(which[i]),
                     strerror(errno));
            return -1;
        }
        for (int e = 0; e < got && n < max; e++) {
            out[n].button = which[i];
            out[n].level = ev[e].event_type == GPIOD_LINE_EVENT_RISING_EDGE;
            out[n].t_ms = event_ms(&ev[e]);
            n++;
        }
    }
    return n;
}

static int lg_get(void *p, int button)
{
    chip_impl *c = p;
    return c->btn[button] ? gpiod_line_get_value(c->btn[button]) : -1;
}

static int lg_set_led(void *p, int on)
{
    chip_impl *c = p;
    if (!c->led)
        return 0;
    return gpiod_line_set_value(c->led, on) == 0 ? 0 : -1;
}

static void lg_close(void *p)
{
    chip_impl *c = p;
    /* Closing the chip releases every line requested from it. */
    if (c->chip)
        gpiod_chip_close(c->chip);
    free(c);
}

void board_gpio_library(char *buf, size_t len)
{
    snprintf(buf, len, "libgpiod %s (v1 API)", gpiod_version_string());
}

static const gpio_backend_ops libgpiod_ops = {lg_wait, lg_get, lg_set_led, lg_close};

/* Try each ','-separated candidate. Returns the chip, or NULL with errno of the most telling
 * failure (anything but ENOENT/ENODEV wins, so "permission denied" is not hidden). */
static struct gpiod_chip *open_candidates(const char *list, char *tried, size_t triedlen)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", list);
    int best_errno = ENOENT;
    tried[0] = '\0';
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        errno = 0;
        struct gpiod_chip *chip = gpiod_chip_open_lookup(tok);
        if (chip)
            return chip;
        if (errno && errno != ENOENT && errno != ENODEV && errno != ENOTTY)
            best_errno = errno;
        size_t len = strlen(tried);
        snprintf(tried + len, triedlen - len, "%s%s", len ? ", " : "", tok);
    }
    errno = best_errno;
    return NULL;
}

int board_buttons_open(const board_gpio_config *cfg, board_button_fn on_button, void *ctx,
                       board_buttons **out, char *err, size_t errlen)
{
    static const char *const keys[BOARD_BUTTON_COUNT] = {"gpio.prev", "gpio.next",
                                                         "gpio.select"};
    *out = NULL;
    if (!cfg->chip[0]) {
        VLOG_D("board", "gpio.chip is empty: no GPIO buttons");
        return VIVA_OK;
    }
    char tried[256];
    struct gpiod_chip *chip = open_candidates(cfg->chip, tried, sizeof tried);
    if (!chip) {
        if (errno == EACCES || errno == EPERM) {
            snprintf(err, errlen, "gpio.chip = %s: permission denied opening the GPIO chip (add "
                                  "the user to the gpio group)", cfg->chip);
            return VIVA_EPERM;
        }
        if (errno != ENOENT) {
            snprintf(err, errlen, "gpio.chip = %s: cannot open: %s", cfg->chip,
                     strerror(errno));
            return VIVA_EIO;
        }
        VLOG_I("board", "no GPIO chip matches gpio.chip = %s (tried %s): buttons off",
               cfg->chip, tried);
        return VIVA_OK;
    }
    char describe[300];
    snprintf(describe, sizeof describe, "%s [%s]", gpiod_chip_name(chip), gpiod_chip_label(chip));
    chip_impl *c = calloc(1, sizeof *c);
    if (!c) {
        gpiod_chip_close(chip);
        snprintf(err, errlen, "gpio: out of memory");
        return VIVA_ENOMEM;
    }
    c->chip = chip;
    int rc = gpio_check_lines(cfg, gpiod_chip_num_lines(chip), describe, err, errlen);
    if (rc != VIVA_OK)
        goto fail;

    int flags = cfg->active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW |
                                      GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_UP
                                : GPIOD_LINE_REQUEST_FLAG_BIAS_PULL_DOWN;
    int levels[BOARD_BUTTON_COUNT] = {0, 0, 0};
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++) {
        if (cfg->line[k] < 0)
            continue;
        unsigned off = (unsigned)cfg->line[k];
        struct gpiod_line *line = gpiod_chip_get_line(chip, off);
        if (!line || gpiod_line_request_both_edges_events_flags(line, "viva", flags) != 0) {
            rc = gpio_request_error(errno, off, keys[k], describe, err, errlen);
            goto fail;
        }
        c->btn[k] = line;
        levels[k] = gpiod_line_get_value(line);
    }
    if (cfg->led >= 0) {
        struct gpiod_line *line = gpiod_chip_get_line(chip, (unsigned)cfg->led);
        if (!line || gpiod_line_request_output(line, "viva", 0) != 0) {
            rc = gpio_request_error(errno, (unsigned)cfg->led, "gpio.led", describe, err,
                                    errlen);
            goto fail;
        }
        c->led = line;
    }
    return board_buttons_start(&libgpiod_ops, c, describe, cfg, levels, on_button, ctx, out, err,
                               errlen);
fail:
    lg_close(c);
    return rc;
}
