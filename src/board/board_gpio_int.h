/* board_gpio_int.h (private to board_gpio.c and the GPIO backends): what the button thread
 * needs from a GPIO chip. The implementations: gpio_libgpiod_v1.c or gpio_libgpiod_v2.c (the
 * real character device through libgpiod 1.x or 2.x; CMake builds the one matching the
 * installed library) and gpio_fake.c (an in-memory chip for tests, see board_gpio_fake.h). */
#ifndef VIVA_BOARD_GPIO_INT_H
#define VIVA_BOARD_GPIO_INT_H

#include <stdint.h>

#include "board_gpio.h"

typedef struct {
    int button;     /* BOARD_BUTTON_* */
    int level;      /* logical level after the edge: 1 pressed */
    int64_t t_ms;   /* CLOCK_MONOTONIC milliseconds */
} gpio_edge;

typedef struct {
    /* Wait up to timeout_ms (-1 = forever) for edges or for wake_fd to become readable; store
     * at most max edges. Returns the number stored (0 on timeout or wake-up) or -1 on a
     * device error (message in err). */
    int (*wait)(void *impl, int wake_fd, int timeout_ms, gpio_edge *out, int max, char *err,
                size_t errlen);
    /* Current logical level of a button's line, or -1. */
    int (*get)(void *impl, int button);
    int (*set_led)(void *impl, int on);
    void (*close)(void *impl);
} gpio_backend_ops;

/* Start the debounce thread over an opened backend; takes ownership of impl (closed through
 * ops->close on failure too). `levels` are the buttons' levels at open. */
int board_buttons_start(const gpio_backend_ops *ops, void *impl, const char *describe,
                        const board_gpio_config *cfg, const int levels[BOARD_BUTTON_COUNT],
                        board_button_fn on_button, void *ctx, board_buttons **out, char *err,
                        size_t errlen);

int64_t gpio_mono_ms(void);

/* Check cfg's line numbers against a chip with nlines lines: in range, none used twice, at
 * least one button fitted. Returns VIVA_OK or VIVA_ERANGE/VIVA_EINVAL with a message. */
int gpio_check_lines(const board_gpio_config *cfg, unsigned nlines, const char *chip, char *err,
                     size_t errlen);

/* The message for a failed line request with errno e: VIVA_EBUSY (line in use), VIVA_EPERM
 * (not in the gpio group) or VIVA_EIO; `what` is the config key ("gpio.next"). */
int gpio_request_error(int e, unsigned offset, const char *what, const char *chip, char *err,
                       size_t errlen);

#endif
