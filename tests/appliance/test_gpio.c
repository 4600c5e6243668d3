/* test_gpio.c: the button thread (board_gpio.h) end to end.
 *
 * Where the kernel's gpio-sim module is usable (/sys/kernel/config/gpio-sim exists and we are
 * root) a real simulated chip would be the best target; in containers and on CI it is not (no
 * configfs, no module), so the tests drive the production thread through the documented fake
 * chip (board_gpio_fake.h), and check the libgpiod backend's own paths that need no chip, with
 * real library calls: missing chip, empty setting, bad candidates, a file that is no GPIO chip,
 * and that the backend built is the one for the library's API (VIVA_GPIOD_API: 1 for libgpiod
 * 1.x, Debian 12; 2 for libgpiod 2.x, Debian 13). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "board_gpio.h"
#include "board_gpio_fake.h"
#include "check.h"
#include "verr.h"

typedef struct {
    pthread_mutex_t lock;
    int n;
    int button[64], pressed[64];
} recorder;

static void on_button(void *ctx, int button, int pressed)
{
    recorder *r = ctx;
    pthread_mutex_lock(&r->lock);
    if (r->n < 64) {
        r->button[r->n] = button;
        r->pressed[r->n] = pressed;
        r->n++;
    }
    pthread_mutex_unlock(&r->lock);
}

static int count(recorder *r)
{
    pthread_mutex_lock(&r->lock);
    int n = r->n;
    pthread_mutex_unlock(&r->lock);
    return n;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Wait (up to 5 s, generous for qemu and sanitizers) until `want` events were recorded. */
static int wait_for(recorder *r, int want)
{
    for (int i = 0; i < 500 && count(r) < want; i++)
        sleep_ms(10);
    return count(r);
}

static board_gpio_config pi_config(void)
{
    board_gpio_config c;
    memset(&c, 0, sizeof c);
    c.line[BOARD_BUTTON_PREV] = 5;
    c.line[BOARD_BUTTON_NEXT] = 6;
    c.line[BOARD_BUTTON_SELECT] = 13;
    c.led = 26;
    c.debounce_ms = 20;
    c.active_low = 1;
    return c;
}

/* A bouncing press and release of "select" gives exactly one press and one release. */
static void test_fake_bounce(void)
{
    recorder r = {PTHREAD_MUTEX_INITIALIZER, 0, {0}, {0}};
    board_fake_chip *chip = board_fake_chip_new(28);
    board_gpio_config c = pi_config();
    board_buttons *b = NULL;
    char err[256] = "";
    CHECK(board_buttons_open_fake(chip, &c, on_button, &r, &b, err, sizeof err) == VIVA_OK);
    CHECK(b != NULL);
    if (!b)
        goto out;
    for (int i = 0; i < 6; i++) /* contact chatter, microseconds apart */
        board_fake_chip_set(chip, 13, i % 2 == 0, 0);
    board_fake_chip_set(chip, 13, 1, 1); /* a repeated edge, as a missed interrupt gives */
    CHECK(wait_for(&r, 1) == 1);
    sleep_ms(60);
    CHECK(count(&r) == 1);
    CHECK(r.button[0] == BOARD_BUTTON_SELECT && r.pressed[0] == 1);
    for (int i = 0; i < 5; i++)
        board_fake_chip_set(chip, 13, i % 2 == 1, 0);
    CHECK(wait_for(&r, 2) == 2);
    sleep_ms(60);
    CHECK(count(&r) == 2);
    CHECK(r.button[1] == BOARD_BUTTON_SELECT && r.pressed[1] == 0);

    /* Two buttons at once keep their own state. */
    board_fake_chip_set(chip, 5, 1, 0);
    board_fake_chip_set(chip, 6, 1, 0);
    CHECK(wait_for(&r, 4) == 4);
    int seen_prev = 0, seen_next = 0;
    for (int i = 2; i < 4; i++) {
        seen_prev += r.button[i] == BOARD_BUTTON_PREV && r.pressed[i] == 1;
        seen_next += r.button[i] == BOARD_BUTTON_NEXT && r.pressed[i] == 1;
    }
    CHECK(seen_prev == 1 && seen_next == 1);

    /* The LED line follows set_led. */
    CHECK(board_fake_chip_get(chip, 26) == 0);
    CHECK(board_buttons_set_led(b, 1) == 0);
    CHECK(board_fake_chip_get(chip, 26) == 1);
    board_buttons_close(b);
    CHECK(board_fake_chip_get(chip, 26) == 0); /* closing switches it off */
out:
    board_fake_chip_free(chip);
}

/* A glitch shorter than the debounce time is not a press. */
static void test_fake_glitch(void)
{
    recorder r = {PTHREAD_MUTEX_INITIALIZER, 0, {0}, {0}};
    board_fake_chip *chip = board_fake_chip_new(28);
    board_gpio_config c = pi_config();
    c.debounce_ms = 200; /* long, so the test thread is sure to end the glitch in time */
    board_buttons *b = NULL;
    char err[256];
    CHECK(board_buttons_open_fake(chip, &c, on_button, &r, &b, err, sizeof err) == VIVA_OK);
    board_fake_chip_set(chip, 6, 1, 0);
    board_fake_chip_set(chip, 6, 0, 0);
    sleep_ms(400);
    CHECK(count(&r) == 0);
    board_buttons_close(b);
    board_fake_chip_free(chip);
}

/* Closing while a change is pending and with nothing happening returns promptly. */
static void test_close_idle(void)
{
    recorder r = {PTHREAD_MUTEX_INITIALIZER, 0, {0}, {0}};
    board_fake_chip *chip = board_fake_chip_new(28);
    board_gpio_config c = pi_config();
    c.led = -1;
    board_buttons *b = NULL;
    char err[256];
    CHECK(board_buttons_open_fake(chip, &c, on_button, &r, &b, err, sizeof err) == VIVA_OK);
    board_fake_chip_set(chip, 5, 1, 0);
    board_buttons_close(b);
    CHECK(board_buttons_set_led(NULL, 1) == 0);
    board_buttons_close(NULL);
    board_fake_chip_free(chip);
}

/* Line checks: out of range, used twice, nothing fitted. Messages name the key. */
static void test_line_checks(void)
{
    board_fake_chip *chip = board_fake_chip_new(28);
    board_gpio_config c = pi_config();
    board_buttons *b = NULL;
    char err[256];
    c.led = 40;
    CHECK(board_buttons_open_fake(chip, &c, on_button, NULL, &b, err, sizeof err) == VIVA_ERANGE);
    CHECK(strstr(err, "gpio.led = 40") != NULL);
    c = pi_config();
    c.line[BOARD_BUTTON_NEXT] = 5;
    CHECK(board_buttons_open_fake(chip, &c, on_button, NULL, &b, err, sizeof err) == VIVA_EINVAL);
    CHECK(strstr(err, "gpio.prev and gpio.next both use line 5") != NULL);
    c = pi_config();
    c.line[0] = c.line[1] = c.line[2] = -1;
    CHECK(board_buttons_open_fake(chip, &c, on_button, NULL, &b, err, sizeof err) == VIVA_EINVAL);
    CHECK(b == NULL);
    board_fake_chip_free(chip);
}

/* The real backend on a machine without GPIO: not an error, no buttons. */
static void test_libgpiod_missing_chip(void)
{
    board_gpio_config c = pi_config();
    board_buttons *b = (board_buttons *)&c; /* must be reset to NULL */
    char err[256] = "";
    snprintf(c.chip, sizeof c.chip, "pinctrl-no-such-label, gpiochip99, /dev/gpiochip77");
    CHECK(board_buttons_open(&c, on_button, NULL, &b, err, sizeof err) == VIVA_OK);
    CHECK(b == NULL);
    c.chip[0] = '\0';
    b = (board_buttons *)&c;
    CHECK(board_buttons_open(&c, on_button, NULL, &b, err, sizeof err) == VIVA_OK);
    CHECK(b == NULL);
}

/* The build picked the backend for the library it links: the library's own version string. */
static void test_libgpiod_api(void)
{
    char text[64] = "";
    board_gpio_library(text, sizeof text);
    printf("  GPIO library: %s\n", text);
    char want[16];
    snprintf(want, sizeof want, "(v%d API)", VIVA_GPIOD_API);
    CHECK_MSG(strstr(text, want) != NULL, "'%s' does not say %s", text, want);
    CHECK_MSG(strncmp(text, "libgpiod ", 9) == 0 && text[9] == '0' + VIVA_GPIOD_API,
              "library version in '%s' is not %d.x", text, VIVA_GPIOD_API);
}

/* Files that are not GPIO chips are skipped like missing ones (the library checks the device:
 * v1 and v2 refuse /dev/null with ENOTTY/ENODEV/EINVAL), and a chip list of only those is
 * "no GPIO here". */
static void test_libgpiod_not_a_chip(void)
{
    board_gpio_config c = pi_config();
    board_buttons *b = (board_buttons *)&c;
    char err[256] = "";
    snprintf(c.chip, sizeof c.chip, "/dev/null , /no/such/dir/gpiochip0,0");
    int rc = board_buttons_open(&c, on_button, NULL, &b, err, sizeof err);
    CHECK_MSG(rc == VIVA_OK, "rc %d: %s", rc, err);
    CHECK(b == NULL);
}

/* A real chip, if this machine has one we may use: only check that it opens or fails with a
 * message; the lines may be in use on a real board, so no presses are expected. */
static void test_libgpiod_real_chip(void)
{
    FILE *f = fopen("/dev/gpiochip0", "r");
    if (!f)
        SKIP("no /dev/gpiochip0 here (no GPIO, and gpio-sim is not loadable in this container)");
    fclose(f);
    board_gpio_config c = pi_config();
    snprintf(c.chip, sizeof c.chip, "gpiochip0");
    c.line[0] = 0;
    c.line[1] = c.line[2] = c.led = -1;
    board_buttons *b = NULL;
    char err[256] = "";
    int rc = board_buttons_open(&c, on_button, NULL, &b, err, sizeof err);
    CHECK_MSG(rc == VIVA_OK || err[0], "failure without a message (rc %d)", rc);
    board_buttons_close(b);
}

int main(void)
{
    RUN(test_fake_bounce);
    RUN(test_fake_glitch);
    RUN(test_close_idle);
    RUN(test_line_checks);
    RUN(test_libgpiod_missing_chip);
    RUN(test_libgpiod_api);
    RUN(test_libgpiod_not_a_chip);
    RUN(test_libgpiod_real_chip);
    return check_summary("gpio");
}
