/* board_gpio.h: the front-panel buttons (previous, next, select) and the recording LED, read
 * through the GPIO character device with libgpiod: the v1 API (libgpiod 1.x, Debian 12
 * "bookworm") or the v2 API (libgpiod 2.x, Debian 13 "trixie"), whichever the build found.
 *
 * board_buttons_open() requests the lines and starts one thread that waits for edges, debounces
 * them (core/debounce.h) and calls on_button(ctx, button, pressed) ON THAT THREAD for every
 * debounced press (pressed = 1) and release (0). The callback must be quick and thread-safe:
 * the app pushes an SDL user event, so the UI sees the same actions as from the keys.
 *
 * No GPIO is normal on a desktop: an empty chip setting, or no chip matching it, gives VIVA_OK
 * with *out = NULL (logged at info level). Every other function accepts NULL and does nothing.
 *
 * Wiring assumed by default (active_low): each button between its GPIO and ground, with the
 * SoC's internal pull-up switched on, so pressed = low; the LED from its GPIO through a resistor
 * to ground (on = high). */
#ifndef VIVA_BOARD_GPIO_H
#define VIVA_BOARD_GPIO_H

#include <stddef.h>

enum { BOARD_BUTTON_PREV, BOARD_BUTTON_NEXT, BOARD_BUTTON_SELECT, BOARD_BUTTON_COUNT };

typedef void (*board_button_fn)(void *ctx, int button, int pressed);

typedef struct {
    /* Candidates separated by ',', first that opens wins: a chip name ("gpiochip0"), a path
     * ("/dev/gpiochip4"), a label ("pinctrl-bcm2711") or a number. Empty = GPIO off. */
    char chip[256];
    int line[BOARD_BUTTON_COUNT]; /* line offsets on that chip; -1 = button not fitted */
    int led;                      /* LED line offset; -1 = no LED */
    int debounce_ms;              /* quiet time before a level counts (20 suits arcade buttons) */
    int active_low;               /* pressed pulls the line low; also turns the pull-up on */
} board_gpio_config;

typedef struct board_buttons board_buttons;

/* Open the chip, request the lines (consumer "viva"), read their levels and start the thread.
 * Returns VIVA_OK with *out set, VIVA_OK with *out = NULL when there is no such chip, or an
 * error with a message naming the chip, line and fix in err: VIVA_EPERM (not in the gpio
 * group), VIVA_EBUSY (a line is used by another program or a kernel driver), VIVA_ERANGE (the
 * chip has no such line), VIVA_EINVAL (a line used twice), VIVA_EIO. */
int board_buttons_open(const board_gpio_config *cfg, board_button_fn on_button, void *ctx,
                       board_buttons **out, char *err, size_t errlen);

/* Switch the recording LED; any thread. Returns 0, or -1 if setting the line failed. */
int board_buttons_set_led(board_buttons *b, int on);

/* What was opened, e.g. "gpiochip0 [pinctrl-bcm2711]"; valid until close. "" for NULL. */
const char *board_buttons_describe(const board_buttons *b);

/* Stop the thread (waits for it), release the lines, free. */
void board_buttons_close(board_buttons *b);

/* Which GPIO library this build uses, e.g. "libgpiod 2.2.1 (v2 API)", written into buf. */
void board_gpio_library(char *buf, size_t len);

/* Human-readable button name: "prev", "next", "select". */
const char *board_button_name(int button);

#endif
