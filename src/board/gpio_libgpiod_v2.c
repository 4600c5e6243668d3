/* gpio_libgpiod_v2.c: the real GPIO backend for libgpiod 2.x (the v2 API: Debian 13 "trixie" and
 * Raspberry Pi OS trixie, package libgpiod3): the kernel's GPIO character device. CMake builds
 * this file or gpio_libgpiod_v1.c from the library's version (src/board/CMakeLists.txt); both
 * behave the same. The buttons are one line request (inputs, both edges, pull-up and active-low
 * by default, kernel timestamps from CLOCK_MONOTONIC) read with poll() on its file descriptor;
 * the LED is a second request (an output, off at first). */
#include <dirent.h>
#include <errno.h>
#include <gpiod.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board_gpio.h"
#include "board_gpio_int.h"
#include "verr.h"
#include "vlog.h"

enum { EVENT_BATCH = 16 };

typedef struct {
    struct gpiod_chip *chip;
    struct gpiod_line_request *buttons; /* NULL when no button is fitted */
    struct gpiod_line_request *led;     /* NULL when no LED */
    struct gpiod_edge_event_buffer *events;
    unsigned offset[BOARD_BUTTON_COUNT];
    int fitted[BOARD_BUTTON_COUNT];
    unsigned led_offset;
} chip_impl;

void board_gpio_library(char *buf, size_t len)
{
    snprintf(buf, len, "libgpiod %s (v2 API)", gpiod_api_version());
}

static int button_of(const chip_impl *c, unsigned offset)
{
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++)
        if (c->fitted[k] && c->offset[k] == offset)
            return k;
    return -1;
}

/* The request asks for CLOCK_MONOTONIC stamps; a stamp far from our clock (a kernel that
 * ignored the request) is replaced by the time we read the event, as in the v1 backend. */
static int64_t event_ms(struct gpiod_edge_event *ev)
{
    int64_t t = (int64_t)(gpiod_edge_event_get_timestamp_ns(ev) / 1000000u);
    int64_t now = gpio_mono_ms();
    return (t > now || now - t > 10000) ? now : t;
}

static int lg_wait(void *p, int wake_fd, int timeout_ms, gpio_edge *out, int max, char *err,
                   size_t errlen)
{
    chip_impl *c = p;
    struct pollfd fds[2] = {{.fd = wake_fd, .events = POLLIN}, {.fd = -1}};
    nfds_t nfds = 1;
    if (c->buttons) {
        fds[1].fd = gpiod_line_request_get_fd(c->buttons);
        fds[1].events = POLLIN | POLLPRI;
        nfds = 2;
    }
    int rc = poll(fds, nfds, timeout_ms);
    if (rc < 0) {
        if (errno == EINTR)
            return 0;
        snprintf(err, errlen, "poll: %s", strerror(errno));
        return -1;
    }
    if (nfds < 2)
        return 0;
    if (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        snprintf(err, errlen, "the button lines failed: the chip went away?");
        return -1;
    }
    if (!(fds[1].revents & (POLLIN | POLLPRI)))
        return 0;
    int cap = max < EVENT_BATCH ? max : EVENT_BATCH;
    int got = gpiod_line_request_read_edge_events(c->buttons, c->events, (size_t)cap);
    if (got < 0) {
        snprintf(err, errlen, "reading button events: %s", strerror(errno));
        return -1;
    }
    int n = 0;
    for (int e = 0; e < got; e++) {
        struct gpiod_edge_event *ev =
            gpiod_edge_event_buffer_get_event(c->events, (unsigned long)e);
        int k = ev ? button_of(c, gpiod_edge_event_get_line_offset(ev)) : -1;
        if (k < 0)
            continue;
        out[n].button = k;
        /* Active-low is applied by the library: rising = the line became active (pressed). */
        out[n].level = gpiod_edge_event_get_event_type(ev) == GPIOD_EDGE_EVENT_RISING_EDGE;
        out[n].t_ms = event_ms(ev);
        n++;
    }
    return n;
}

static int lg_get(void *p, int button)
{
    chip_impl *c = p;
    if (!c->buttons || !c->fitted[button])
        return -1;
    enum gpiod_line_value v = gpiod_line_request_get_value(c->buttons, c->offset[button]);
    return v == GPIOD_LINE_VALUE_ERROR ? -1 : v == GPIOD_LINE_VALUE_ACTIVE;
}

static int lg_set_led(void *p, int on)
{
    chip_impl *c = p;
    if (!c->led)
        return 0;
    return gpiod_line_request_set_value(c->led, c->led_offset,
                                        on ? GPIOD_LINE_VALUE_ACTIVE : GPIOD_LINE_VALUE_INACTIVE)
                   == 0
               ? 0
               : -1;
}

static void lg_close(void *p)
{
    chip_impl *c = p;
    if (c->buttons)
        gpiod_line_request_release(c->buttons);
    if (c->led)
        gpiod_line_request_release(c->led);
    if (c->events)
        gpiod_edge_event_buffer_free(c->events);
    if (c->chip)
        gpiod_chip_close(c->chip);
    free(c);
}

static const gpio_backend_ops libgpiod_ops = {lg_wait, lg_get, lg_set_led, lg_close};

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Open the chip whose label is `label` among /dev/gpiochip*; errno as for gpiod_chip_open. */
static struct gpiod_chip *open_by_label(const char *label)
{
    DIR *dir = opendir("/dev");
    if (!dir) {
        errno = ENOENT;
        return NULL;
    }
    int best_errno = ENOENT;
    struct gpiod_chip *found = NULL;
    struct dirent *de;
    while (!found && (de = readdir(dir)) != NULL) {
        if (strncmp(de->d_name, "gpiochip", 8) != 0)
            continue;
        char path[300];
        snprintf(path, sizeof path, "/dev/%s", de->d_name);
        struct gpiod_chip *chip = gpiod_chip_open(path);
        if (!chip) {
            if (errno == EACCES || errno == EPERM)
                best_errno = errno;
            continue;
        }
        struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
        if (info && strcmp(gpiod_chip_info_get_label(info), label) == 0)
            found = chip;
        else
            gpiod_chip_close(chip);
        if (info)
            gpiod_chip_info_free(info);
    }
    closedir(dir);
    if (!found)
        errno = best_errno;
    return found;
}

/* One candidate as the v1 library's gpiod_chip_open_lookup() took it: a path, a number, a name
 * ("gpiochip0") or a label. */
static struct gpiod_chip *open_one(const char *tok)
{
    char path[300];
    if (tok[0] == '/')
        return gpiod_chip_open(tok);
    if (all_digits(tok)) {
        snprintf(path, sizeof path, "/dev/gpiochip%s", tok);
        return gpiod_chip_open(path);
    }
    if (strncmp(tok, "gpiochip", 8) == 0 && all_digits(tok + 8)) {
        snprintf(path, sizeof path, "/dev/%s", tok);
        return gpiod_chip_open(path);
    }
    return open_by_label(tok);
}

/* Try each ','-separated candidate. Returns the chip, or NULL with errno of the most telling
 * failure (anything but ENOENT/ENODEV/ENOTTY wins, so "permission denied" is not hidden). */
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
        size_t end = strlen(tok);
        while (end > 0 && tok[end - 1] == ' ')
            tok[--end] = '\0';
        if (!*tok)
            continue;
        errno = 0;
        struct gpiod_chip *chip = open_one(tok);
        if (chip)
            return chip;
        if (errno && errno != ENOENT && errno != ENODEV && errno != ENOTTY && errno != EINVAL)
            best_errno = errno;
        size_t len = strlen(tried);
        snprintf(tried + len, triedlen - len, "%s%s", len ? ", " : "", tok);
    }
    errno = best_errno;
    return NULL;
}

/* Request `n` lines of c->chip with one setting; NULL with errno on failure. */
static struct gpiod_line_request *request(struct gpiod_chip *chip, const unsigned *offsets,
                                          size_t n, struct gpiod_line_settings *s)
{
    struct gpiod_line_request *req = NULL;
    struct gpiod_line_config *lc = gpiod_line_config_new();
    struct gpiod_request_config *rc = gpiod_request_config_new();
    if (!lc || !rc) {
        errno = ENOMEM;
        goto done;
    }
    gpiod_request_config_set_consumer(rc, "viva");
    if (n > 1)
        gpiod_request_config_set_event_buffer_size(rc, 64);
    if (gpiod_line_config_add_line_settings(lc, offsets, n, s) != 0)
        goto done;
    req = gpiod_chip_request_lines(chip, rc, lc);
done:;
    int e = errno;
    if (lc)
        gpiod_line_config_free(lc);
    if (rc)
        gpiod_request_config_free(rc);
    errno = e;
    return req;
}

/* The buttons' request. On failure, tries each line alone to name the one that failed. */
static int request_buttons(chip_impl *c, const board_gpio_config *cfg, const char *describe,
                           char *err, size_t errlen)
{
    static const char *const keys[BOARD_BUTTON_COUNT] = {"gpio.prev", "gpio.next",
                                                         "gpio.select"};
    unsigned offsets[BOARD_BUTTON_COUNT];
    size_t n = 0;
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++)
        if (c->fitted[k])
            offsets[n++] = c->offset[k];
    if (n == 0)
        return VIVA_OK;
    struct gpiod_line_settings *s = gpiod_line_settings_new();
    if (!s) {
        snprintf(err, errlen, "gpio: out of memory");
        return VIVA_ENOMEM;
    }
    gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_INPUT);
    gpiod_line_settings_set_edge_detection(s, GPIOD_LINE_EDGE_BOTH);
    gpiod_line_settings_set_event_clock(s, GPIOD_LINE_CLOCK_MONOTONIC);
    gpiod_line_settings_set_active_low(s, cfg->active_low != 0);
    gpiod_line_settings_set_bias(s, cfg->active_low ? GPIOD_LINE_BIAS_PULL_UP
                                                    : GPIOD_LINE_BIAS_PULL_DOWN);
    c->buttons = request(c->chip, offsets, n, s);
    int rc = VIVA_OK;
    if (!c->buttons) {
        int e = errno;
        int bad = -1, first = -1;
        for (int k = 0; k < BOARD_BUTTON_COUNT && bad < 0; k++) {
            if (!c->fitted[k])
                continue;
            if (first < 0)
                first = k;
            struct gpiod_line_request *one = request(c->chip, &c->offset[k], 1, s);
            if (one) {
                gpiod_line_request_release(one);
            } else {
                bad = k;
                e = errno;
            }
        }
        if (bad < 0)
            bad = first;
        rc = gpio_request_error(e, c->offset[bad], keys[bad], describe, err, errlen);
    }
    gpiod_line_settings_free(s);
    return rc;
}

static int request_led(chip_impl *c, const char *describe, char *err, size_t errlen)
{
    struct gpiod_line_settings *s = gpiod_line_settings_new();
    if (!s) {
        snprintf(err, errlen, "gpio: out of memory");
        return VIVA_ENOMEM;
    }
    gpiod_line_settings_set_direction(s, GPIOD_LINE_DIRECTION_OUTPUT);
    gpiod_line_settings_set_output_value(s, GPIOD_LINE_VALUE_INACTIVE);
    c->led = request(c->chip, &c->led_offset, 1, s);
    int e = errno;
    gpiod_line_settings_free(s);
    if (!c->led)
        return gpio_request_error(e, c->led_offset, "gpio.led", describe, err, errlen);
    return VIVA_OK;
}

int board_buttons_open(const board_gpio_config *cfg, board_button_fn on_button, void *ctx,
                       board_buttons **out, char *err, size_t errlen)
{
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
    chip_impl *c = calloc(1, sizeof *c);
    if (!c) {
        gpiod_chip_close(chip);
        snprintf(err, errlen, "gpio: out of memory");
        return VIVA_ENOMEM;
    }
    c->chip = chip;
    char describe[300];
    struct gpiod_chip_info *info = gpiod_chip_get_info(chip);
    if (!info) {
        snprintf(err, errlen, "gpio.chip = %s: cannot read the chip's information: %s",
                 cfg->chip, strerror(errno));
        lg_close(c);
        return VIVA_EIO;
    }
    snprintf(describe, sizeof describe, "%s [%s]", gpiod_chip_info_get_name(info),
             gpiod_chip_info_get_label(info));
    unsigned nlines = (unsigned)gpiod_chip_info_get_num_lines(info);
    gpiod_chip_info_free(info);
    int rc = gpio_check_lines(cfg, nlines, describe, err, errlen);
    if (rc != VIVA_OK)
        goto fail;
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++) {
        c->fitted[k] = cfg->line[k] >= 0;
        c->offset[k] = c->fitted[k] ? (unsigned)cfg->line[k] : 0;
    }
    c->events = gpiod_edge_event_buffer_new(EVENT_BATCH);
    if (!c->events) {
        snprintf(err, errlen, "gpio: out of memory");
        rc = VIVA_ENOMEM;
        goto fail;
    }
    rc = request_buttons(c, cfg, describe, err, errlen);
    if (rc != VIVA_OK)
        goto fail;
    if (cfg->led >= 0) {
        c->led_offset = (unsigned)cfg->led;
        rc = request_led(c, describe, err, errlen);
        if (rc != VIVA_OK)
            goto fail;
    }
    int levels[BOARD_BUTTON_COUNT] = {0, 0, 0};
    for (int k = 0; k < BOARD_BUTTON_COUNT; k++)
        if (c->fitted[k])
            levels[k] = lg_get(c, k) == 1;
    return board_buttons_start(&libgpiod_ops, c, describe, cfg, levels, on_button, ctx, out, err,
                               errlen);
fail:
    lg_close(c);
    return rc;
}
