/* kiosk_names.c: the names of screens, listen modes and actions, and an action as one line
 * (the traces in tests/kiosk/traces and the log use these). */
#include <stdio.h>

#include "kiosk_int.h"

const char *kiosk_screen_name(kiosk_screen s)
{
    static const char *const names[] = {"profiles", "keyboard", "pin",    "home",   "settings",
                                        "progress", "error",    "speak",  "think",
                                        "answer",   "review",   "summary",
                                        "recover",  "compare"};
    _Static_assert(sizeof names / sizeof names[0] == KIOSK_SCREEN_COUNT, "one name per screen");
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

const char *kiosk_listen_name(kiosk_listen l)
{
    static const char *const names[] = {"off", "idle", "think", "answer", "review"};
    return (unsigned)l < sizeof names / sizeof names[0] ? names[l] : "?";
}

const char *kiosk_action_name(kiosk_action_type t)
{
    static const char *const names[] = {
        "show",          "listen",         "say-question",  "say-grade-prompt",
        "silence",       "check-mic",      "begin-session", "next-question",
        "capture-start", "capture-stop",   "capture-cut",   "answer-save",
        "analyse",       "grade",          "end-session",   "play-toggle",
        "seek",          "play-row",       "stop-playback", "change-setting",
        "next-topic",    "load-profiles",  "switch-profile", "load-progress",
        "text-input",    "no-recording",   "quit",          "pin-check",
        "restore-backup", "reopen-store", "retry",       "load-compare",
        "play-attempt",  "review-page",   "say-summary"};
    _Static_assert(sizeof names / sizeof names[0] == KIOSK_ACT_COUNT, "one name per action");
    return (unsigned)t < KIOSK_ACT_COUNT ? names[t] : "?";
}

void kiosk_action_format(const kiosk_action *a, char *buf, size_t len)
{
    const char *name = kiosk_action_name(a->type);
    switch (a->type) {
    case KIOSK_ACT_SHOW:
        snprintf(buf, len, "%s %s", name, kiosk_screen_name((kiosk_screen)a->i));
        break;
    case KIOSK_ACT_LISTEN:
        snprintf(buf, len, "%s %s", name, kiosk_listen_name((kiosk_listen)a->i));
        break;
    case KIOSK_ACT_CAPTURE_CUT:
        snprintf(buf, len, "%s %lld", name, (long long)a->sample);
        break;
    case KIOSK_ACT_SWITCH_PROFILE:
        if (a->i >= 0)
            snprintf(buf, len, "%s #%d", name, a->i);
        else
            snprintf(buf, len, "%s \"%s\"", name, a->text);
        break;
    case KIOSK_ACT_GRADE:
    case KIOSK_ACT_SEEK:
    case KIOSK_ACT_PLAY_ROW:
    case KIOSK_ACT_CHANGE_SETTING:
    case KIOSK_ACT_TEXT_INPUT:
    case KIOSK_ACT_SAY_GRADE_PROMPT:
    case KIOSK_ACT_PIN_CHECK: /* never the digits: this line goes to the log */
    case KIOSK_ACT_PLAY_ATTEMPT:
    case KIOSK_ACT_REVIEW_PAGE:
        snprintf(buf, len, "%s %d", name, a->i);
        break;
    default:
        snprintf(buf, len, "%s", name);
        break;
    }
}
