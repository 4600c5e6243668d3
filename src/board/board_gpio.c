/* board_gpio.c: the button thread: waits on a backend for edges, debounces each button and
 * reports clean presses and releases (see board_gpio.h). Backend-independent. */
#include "board_gpio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debounce.h"
#include "board_gpio_int.h"
#include "verr.h"
#include "vlog.h"

struct board_buttons {
    const gpio_backend_ops *ops;
    void *impl;
    board_button_fn on_button;
    void *ctx;
    debounce deb[BOARD_BUTTON_COUNT];
    int fitted[BOARD_BUTTON_COUNT];
    int wake[2]; /* close() writes to wake[1] to stop the thread */
    pthread_t thread;
    pthread_mutex_t led_lock; /* serialises set_led from several threads */
    char describe[300];
};

const char *board_button_name(int button)
{
    static const char *const names[BOARD_BUTTON_COUNT] = {"prev", "next", "select"};
    return button >= 0 && button < BOARD_BUTTON_COUNT ? names[button] : "?";
}

int64_t gpio_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void report(board_buttons *b, int button, int pressed)
{
    VLOG_D("board", "button %s %s", board_button_name(button), pressed ? "pressed" : "released");
    b->on_button(b->ctx, button, pressed);
}

static void *button_thread(void *arg)
{
    board_buttons *b = arg;
    gpio_edge edges[16];
    char err[256];
    for (;;) {
        int64_t deadline = INT64_MAX;
        for (int i = 0; i < BOARD_BUTTON_COUNT; i++) {
            int64_t d = debounce_deadline(&b->deb[i]);
            if (b->fitted[i] && d < deadline)
                deadline = d;
        }
        int timeout = -1;
        if (deadline != INT64_MAX) {
            int64_t left = deadline - gpio_mono_ms();
            timeout = left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
        }
        err[0] = '\0';
        int n = b->ops->wait(b->impl, b->wake[0], timeout, edges, 16, err, sizeof err);
        char c;
        if (read(b->wake[0], &c, 1) == 1)
            break; /* close() asked us to stop */
        if (n < 0) {
            VLOG_E("board", "%s: %s; the buttons stop working until viva restarts", b->describe,
                   err);
            break;
        }
        int level;
        for (int i = 0; i < n; i++) {
            int k = edges[i].button;
            if (debounce_edge(&b->deb[k], edges[i].level, edges[i].t_ms, &level))
                report(b, k, level);
        }
        int64_t now = gpio_mono_ms();
        for (int k = 0; k < BOARD_BUTTON_COUNT; k++) {
            if (!b->fitted[k] || now < debounce_deadline(&b->deb[k]))
                continue;
            /* The line has been quiet long enough. Trust the line itself over the edge log: the
             * kernel may have merged the last bounces, so re-read the level before accepting. */
            int actual = b->ops->get(b->impl, k);
            if (actual >= 0 && actual != b->deb[k].raw) {
                debounce_edge(&b->deb[k], actual, now, &level);
                continue;
            }
            if (debounce_poll(&b->deb[k], now, &level))
                report(b, k, level);
        }
    }
    return NULL;
}

int board_buttons_start(const gpio_backend_ops *ops, void *impl, const char *describe,
                        const board_gpio_config *cfg, const int levels[BOARD_BUTTON_COUNT],
                        board_button_fn on_button, void *ctx, board_buttons **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    board_buttons *b = calloc(1, sizeof *b);
    if (!b) {
        ops->close(impl);
        snprintf(err, errlen, "gpio: out of memory");
        return VIVA_ENOMEM;
    }
    b->ops = ops;
    b->impl = impl;
    b->on_button = on_button;
    b->ctx = ctx;
    snprintf(b->describe, sizeof b->describe, "%s", describe);
    for (int i = 0; i < BOARD_BUTTON_COUNT; i++) {
        b->fitted[i] = cfg->line[i] >= 0;
        debounce_init(&b->deb[i], levels[i] > 0, cfg->debounce_ms);
    }
    if (pipe(b->wake) != 0) {
        snprintf(err, errlen, "gpio: cannot create a pipe: %s", strerror(errno));
        goto fail_pipe;
    }
    fcntl(b->wake[0], F_SETFL, O_NONBLOCK);
    fcntl(b->wake[0], F_SETFD, FD_CLOEXEC);
    fcntl(b->wake[1], F_SETFD, FD_CLOEXEC);
    pthread_mutex_init(&b->led_lock, NULL);
    int rc = pthread_create(&b->thread, NULL, button_thread, b);
    if (rc != 0) {
        snprintf(err, errlen, "gpio: cannot start the button thread: %s", strerror(rc));
        goto fail_thread;
    }
    VLOG_I("board", "buttons on %s: prev %d, next %d, select %d, LED %d, debounce %d ms",
           b->describe, cfg->line[0], cfg->line[1], cfg->line[2], cfg->led, cfg->debounce_ms);
    *out = b;
    return VIVA_OK;

fail_thread:
    pthread_mutex_destroy(&b->led_lock);
    close(b->wake[0]);
    close(b->wake[1]);
fail_pipe:
    ops->close(impl);
    free(b);
    return VIVA_EIO;
}

int board_buttons_set_led(board_buttons *b, int on)
{
    if (!b)
        return 0;
    pthread_mutex_lock(&b->led_lock);
    int rc = b->ops->set_led(b->impl, on ? 1 : 0);
    pthread_mutex_unlock(&b->led_lock);
    return rc;
}

const char *board_buttons_describe(const board_buttons *b)
{
    return b ? b->describe : "";
}

void board_buttons_close(board_buttons *b)
{
    if (!b)
        return;
    char c = 'q';
    while (write(b->wake[1], &c, 1) < 0 && errno == EINTR) {
    }
    pthread_join(b->thread, NULL);
    board_buttons_set_led(b, 0);
    pthread_mutex_destroy(&b->led_lock);
    close(b->wake[0]);
    close(b->wake[1]);
    b->ops->close(b->impl);
    free(b);
}

int gpio_check_lines(const board_gpio_config *cfg, unsigned nlines, const char *chip, char *err,
                     size_t errlen)
{
    int used[BOARD_BUTTON_COUNT + 1];
    const char *what[BOARD_BUTTON_COUNT + 1] = {"gpio.prev", "gpio.next", "gpio.select",
                                                 "gpio.led"};
    int fitted = 0;
    for (int i = 0; i <= BOARD_BUTTON_COUNT; i++) {
        used[i] = i < BOARD_BUTTON_COUNT ? cfg->line[i] : cfg->led;
        if (used[i] < 0)
            continue;
        fitted += i < BOARD_BUTTON_COUNT;
        if ((unsigned)used[i] >= nlines) {
            snprintf(err, errlen, "%s = %d: %s has only lines 0 to %u", what[i], used[i], chip,
                     nlines ? nlines - 1 : 0);
            return VIVA_ERANGE;
        }
        for (int j = 0; j < i; j++)
            if (used[j] == used[i]) {
                snprintf(err, errlen, "%s and %s both use line %d of %s", what[j], what[i],
                         used[i], chip);
                return VIVA_EINVAL;
            }
    }
    if (!fitted) {
        snprintf(err, errlen, "gpio.chip = %s is set but gpio.prev, gpio.next and gpio.select are "
                              "all -1: set the line numbers the buttons are wired to", chip);
        return VIVA_EINVAL;
    }
    return VIVA_OK;
}

int gpio_request_error(int e, unsigned offset, const char *what, const char *chip, char *err,
                       size_t errlen)
{
    if (e == EBUSY) {
        snprintf(err, errlen, "%s: line %u of %s is in use by another program or a kernel "
                              "driver (check with gpioinfo)", what, offset, chip);
        return VIVA_EBUSY;
    }
    if (e == EPERM || e == EACCES) {
        snprintf(err, errlen, "%s: line %u of %s: permission denied (add the user to the gpio "
                              "group)", what, offset, chip);
        return VIVA_EPERM;
    }
    snprintf(err, errlen, "%s: cannot request line %u of %s: %s", what, offset, chip,
             strerror(e));
    return VIVA_EIO;
}
