/* run_settings.c: the Settings screen's changes (see run.h): each item steps to its next
 * preset or device, saved in the store where it overrides the configuration files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* The next value of `cur` in an ascending list of presets (wrapping round). */
static int next_preset(const int *v, int n, int cur)
{
    for (int i = 0; i < n; i++)
        if (v[i] > cur)
            return v[i];
    return v[0];
}

static int save_int(run *r, const char *key, int value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", value);
    return practice_save_setting(r->pr, key, buf);
}

int run_next_topic(run *r)
{
    int n = practice_topic_count(r->pr), at = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(practice_topic_slug(r->pr, i), r->app->cfg.topic_focus) == 0)
            at = i;
    const char *next = at + 1 < n ? practice_topic_slug(r->pr, at + 1) : "";
    return practice_set_focus(r->pr, next);
}

/* The device after the configured one among the inputs (or outputs); "" (the system default)
 * comes before the first. Returns a sentence for the screen, or NULL. */
static const char *next_device(run *r, int input)
{
    audio *a = practice_audio(r->pr);
    const char *key = input ? "audio.input" : "audio.output";
    const char *cur = input ? r->app->cfg.audio_input : r->app->cfg.audio_output;
    audio_device_info *list = NULL;
    int n = a ? audio_devices(a, &list) : 0, pick = -1, seen_cur = cur[0] == '\0';
    for (int i = 0; i < n && pick < 0; i++) {
        if ((input ? list[i].max_input : list[i].max_output) <= 0)
            continue;
        if (seen_cur)
            pick = i;
        else if (strcmp(list[i].name, cur) == 0)
            seen_cur = 1;
    }
    const char *msg = NULL;
    if (practice_save_setting(r->pr, key, pick >= 0 ? list[pick].name : "") != 0)
        msg = "The device could not be changed";
    if (n == 0)
        msg = "No audio devices are connected";
    free(list);
    return msg;
}

/* The long-pause presets of the Settings screen: "Still thinking?" after `ask` seconds of
 * silence, the answer ended `finish` seconds later (0: never by silence). The default (3, 12)
 * is chosen from measured pauses (docs/readme/audio.md). */
static const struct {
    double ask, finish;
} pause_presets[] = {{2, 8}, {3, 12}, {5, 15}, {8, 22}, {3, 0}};
enum { PAUSE_PRESETS = (int)(sizeof pause_presets / sizeof pause_presets[0]) };

static const char *next_pause(run *r)
{
    const viva_config *c = &r->app->cfg;
    int next = 1; /* an unlisted pair (set in the file) steps to the default */
    for (int i = 0; i < PAUSE_PRESETS; i++)
        if (pause_presets[i].ask == c->silence_seconds &&
            pause_presets[i].finish == c->finish_seconds)
            next = (i + 1) % PAUSE_PRESETS;
    char ask[16], fin[16];
    snprintf(ask, sizeof ask, "%g", pause_presets[next].ask);
    snprintf(fin, sizeof fin, "%g", pause_presets[next].finish);
    if (practice_save_setting(r->pr, "audio.silence_seconds", ask) ||
        practice_save_setting(r->pr, "audio.finish_seconds", fin))
        return "audio.silence_seconds could not be changed";
    return NULL;
}

const char *run_change_setting(run *r, int item)
{
    const viva_config *c = &r->app->cfg;
    static const int think[] = {0, 5, 10, 20, 30, 60};
    static const int answer[] = {30, 60, 90, 120, 180, 300};
    static const int questions[] = {3, 5, 10, 15, 20, 30};
    const char *msg = NULL;
    switch (item) {
    case KIOSK_SET_THINK:
        if (save_int(r, "session.think_seconds", next_preset(think, 6, c->think_seconds)))
            msg = "session.think_seconds could not be changed";
        break;
    case KIOSK_SET_ANSWER:
        if (save_int(r, "session.answer_seconds", next_preset(answer, 6, c->answer_seconds)))
            msg = "session.answer_seconds could not be changed";
        break;
    case KIOSK_SET_PAUSE:
        msg = next_pause(r);
        break;
    case KIOSK_SET_QUESTIONS:
        if (save_int(r, "session.questions", next_preset(questions, 6, c->session_questions)))
            msg = "session.questions could not be changed";
        break;
    case KIOSK_SET_SPEAK:
        practice_save_setting(r->pr, "speech.enabled", c->speech_enabled ? "false" : "true");
        run_reopen_hands(r);
        break;
    case KIOSK_SET_COMMANDS:
        practice_save_setting(r->pr, "speech.commands", c->speech_commands ? "false" : "true");
        run_reopen_hands(r);
        break;
    case KIOSK_SET_HANDS_FREE:
        practice_save_setting(r->pr, "speech.hands_free", c->hands_free ? "false" : "true");
        run_tell_settings(r);
        break;
    case KIOSK_SET_MIC:
    case KIOSK_SET_SPEAKER:
        msg = next_device(r, item == KIOSK_SET_MIC);
        run_reopen_hands(r);
        break;
    default:
        break;
    }
    return msg;
}
