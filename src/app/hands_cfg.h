/* hands_cfg.h: the voice service's settings (hands_cfg, hands.h in src/speech) from viva's
 * configuration, so src/speech needs nothing of config.h. */
#ifndef VIVA_HANDS_CFG_H
#define VIVA_HANDS_CFG_H

#include "config.h"
#include "hands.h"

/* speech.enabled -> speak, speech.commands -> listen, speech.voice/rate/volume,
 * speech.kws_threshold_shift/kws_end_threshold, audio.input/output. */
void hands_cfg_from_config(const viva_config *cfg, hands_cfg *out);

#endif
