/* board_cfg.h: viva's configuration ([gpio] keys) turned into the board layer's settings. */
#ifndef VIVA_BOARD_CFG_H
#define VIVA_BOARD_CFG_H

#include "board_gpio.h"
#include "config.h"

/* Fill `out` from cfg's gpio.* keys (board_cfg.c). */
void app_gpio_config(const viva_config *cfg, board_gpio_config *out);

#endif
