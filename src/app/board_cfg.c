/* board_cfg.c: viva's [gpio] configuration keys as the board layer's button settings. */
#include <stdio.h>
#include <string.h>

#include "board_cfg.h"

void app_gpio_config(const viva_config *cfg, board_gpio_config *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->chip, sizeof out->chip, "%s", cfg->gpio_chip);
    out->line[BOARD_BUTTON_PREV] = cfg->gpio_prev;
    out->line[BOARD_BUTTON_NEXT] = cfg->gpio_next;
    out->line[BOARD_BUTTON_SELECT] = cfg->gpio_select;
    out->led = cfg->gpio_led;
    out->debounce_ms = cfg->gpio_debounce_ms;
    out->active_low = cfg->gpio_active_low;
}
