/* cmd_board.c: `viva gpio`: check the front-panel buttons while installing the device.
 *
 *   viva gpio info            the gpio.* settings and whether the chip is there
 *   viva gpio test [SECONDS]  print every debounced press and release for SECONDS (default 30)
 *                             or until Ctrl+C; the LED follows the buttons (lit while one is held)
 *
 * Exit codes: 0 ok, 1 the chip or a line could not be opened, 2 usage, 10 no GPIO chip matches
 * gpio.chip (or it is empty), so there are no buttons to test. */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "board_cfg.h"
#include "board_gpio.h"
#include "verr.h"

enum { EXIT_NOGPIO = 10 };

typedef struct {
    board_buttons *_Atomic buttons; /* set just after open; NULL until then */
    atomic_int held;        /* bit per button currently pressed */
    struct timespec start;
} gpio_test;

/* Runs on the button thread: print, and light the LED while any button is held. */
static void on_button(void *ctx, int button, int pressed)
{
    gpio_test *t = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double s = (double)(now.tv_sec - t->start.tv_sec) + (now.tv_nsec - t->start.tv_nsec) / 1e9;
    int held = pressed ? atomic_fetch_or(&t->held, 1 << button) | (1 << button)
                       : atomic_fetch_and(&t->held, ~(1 << button)) & ~(1 << button);
    printf("%8.3f s  %-6s %s\n", s, board_button_name(button), pressed ? "pressed" : "released");
    fflush(stdout);
    board_buttons_set_led(atomic_load(&t->buttons), held != 0);
}

static int gpio_usage(FILE *out, int rc)
{
    fprintf(out, "usage: viva gpio info\n"
                 "       viva gpio test [SECONDS]   print button presses (default 30 s; Ctrl+C "
                 "stops)\n");
    return rc;
}

int cmd_gpio(viva_app *app, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return gpio_usage(argc < 2 ? stderr : stdout, argc < 2 ? EXIT_USAGE : EXIT_OK);
    board_gpio_config gc;
    app_gpio_config(&app->cfg, &gc);
    int test = !strcmp(argv[1], "test");
    if (!test && strcmp(argv[1], "info") != 0)
        return gpio_usage(stderr, EXIT_USAGE);
    long seconds = 30;
    if (test && argc > 2) {
        char *end;
        seconds = strtol(argv[2], &end, 10);
        if (*end || seconds < 1 || seconds > 86400) {
            fprintf(stderr, "viva gpio test: '%s' is not a number of seconds (1 to 86400)\n",
                    argv[2]);
            return EXIT_USAGE;
        }
    }
    if (argc > (test ? 3 : 2))
        return gpio_usage(stderr, EXIT_USAGE);

    printf("gpio.chip = %s\ngpio.prev = %d, gpio.next = %d, gpio.select = %d, gpio.led = %d\n"
           "gpio.debounce_ms = %d, gpio.active_low = %s\n",
           gc.chip[0] ? gc.chip : "(empty: GPIO off)", gc.line[0], gc.line[1], gc.line[2],
           gc.led, gc.debounce_ms, gc.active_low ? "true" : "false");

    /* Block the stop signals before the button thread starts, so only sigtimedwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &stop, &old);

    gpio_test t;
    memset(&t, 0, sizeof t);
    clock_gettime(CLOCK_MONOTONIC, &t.start);
    char err[512];
    board_buttons *b = NULL;
    /* Presses before `t.buttons` is set only miss the LED, never crash: set_led(NULL) is a no-op. */
    int rc = board_buttons_open(&gc, on_button, &t, &b, err, sizeof err);
    int exit_code = EXIT_OK;
    if (rc != VIVA_OK) {
        fprintf(stderr, "viva gpio: %s\n", err);
        exit_code = EXIT_FAIL;
    } else if (!b) {
        printf("no GPIO chip matches gpio.chip: no buttons (normal on a desktop)\n");
        exit_code = EXIT_NOGPIO;
    } else {
        atomic_store(&t.buttons, b);
        printf("opened %s\n", board_buttons_describe(b));
        if (test) {
            printf("press the buttons; stopping after %ld s or on Ctrl+C\n", seconds);
            fflush(stdout);
            struct timespec wait = {(time_t)seconds, 0};
            sigtimedwait(&stop, NULL, &wait);
        }
        board_buttons_close(b);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return exit_code;
}
