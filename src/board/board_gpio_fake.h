/* board_gpio_fake.h: a documented fake GPIO chip for tests and for machines without GPIO.
 *
 * It sits behind the same backend interface as the libgpiod chip, so the button thread, the
 * debouncing and the callbacks under test are the production ones; only the source of edges
 * differs. board_fake_chip_set() changes a line's level and queues an edge stamped with the
 * monotonic clock, as the kernel does; the LED line's level can be read back. Thread-safe: the
 * test thread drives the chip while the button thread reads it. */
#ifndef VIVA_BOARD_GPIO_FAKE_H
#define VIVA_BOARD_GPIO_FAKE_H

#include "board_gpio.h"

typedef struct board_fake_chip board_fake_chip;

/* A chip with `nlines` lines, all at level 0 (released). NULL on allocation failure. */
board_fake_chip *board_fake_chip_new(int nlines);
/* Free the chip; close any buttons opened on it first. */
void board_fake_chip_free(board_fake_chip *chip);

/* Drive input line `offset` to logical `level` now (an edge if it changes, or a repeated edge
 * if `force` is set, as a bouncing contact can produce). Returns -1 for a bad offset. */
int board_fake_chip_set(board_fake_chip *chip, int offset, int level, int force);
/* Logical level of a line (e.g. the LED output), or -1 for a bad offset. */
int board_fake_chip_get(board_fake_chip *chip, int offset);

/* board_buttons_open() over the fake chip: cfg->chip is ignored; lines are checked as on a real
 * chip. The chip must outlive the buttons. */
int board_buttons_open_fake(board_fake_chip *chip, const board_gpio_config *cfg,
                            board_button_fn on_button, void *ctx, board_buttons **out, char *err,
                            size_t errlen);

#endif
