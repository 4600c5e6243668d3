/* hands_cfg.c: viva_config to hands_cfg (hands_cfg.h). */
#include "hands_cfg.h"

#include <stdio.h>
#include <string.h>

void hands_cfg_from_config(const viva_config *cfg, hands_cfg *out)
{
    memset(out, 0, sizeof *out);
    out->speak = cfg->speech_enabled;
    out->listen = cfg->speech_commands;
    snprintf(out->voice, sizeof out->voice, "%s", cfg->speech_voice);
    out->rate = cfg->speech_rate;
    out->volume = cfg->speech_volume;
    out->kws_shift = cfg->speech_kws_shift;
    out->kws_end = cfg->speech_kws_end;
    snprintf(out->input, sizeof out->input, "%s", cfg->audio_input);
    snprintf(out->output, sizeof out->output, "%s", cfg->audio_output);
}
