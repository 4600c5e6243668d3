/* run_pin.c: the kiosk driver's side of the profile PINs (see run.h): asking the machine for a
 * PIN before a profile that has one opens (at the start and on a switch), checking the PIN it
 * was given against the store, the keyboard's digits on the PIN screen and the screen itself.
 * The digits typed are never logged. */
#include <stdio.h>
#include <string.h>

#include <SDL.h>

#include "run.h"
#include "vlog.h"

_Static_assert((int)KIOSK_PIN_KEYS == (int)SCREEN_PIN_KEYS, "one keypad for the flow and view");

static void ask(run *r, int target, int64_t wait_ms, kiosk_event *res)
{
    memset(res, 0, sizeof *res);
    res->type = KIOSK_EV_PIN;
    res->now_ms = r->now;
    res->i = KIOSK_PIN_NEEDED;
    res->n = target;
    res->ms = wait_ms;
}

void run_pin_start(run *r)
{
    const char *name = practice_profile_name(r->pr);
    store_pin_state s;
    r->pin_ok[0] = '\0';
    /* Also when answers cannot be saved: a store that can be read shows the recordings. */
    int e = practice_pin_state(r->pr, name, run_wall_ms(), &s);
    if (!s.has_pin) {
        run_pin_opened(r, name);
        return;
    }
    if (e) /* a damaged record: the PIN screen, which no PIN opens */
        VLOG_W("run", "the PIN of profile %s cannot be checked", name);
    kiosk_event ev;
    ask(r, -1, s.wait_ms, &ev);
    run_feed(r, &ev);
}

int run_pin_ask(run *r, int index, const char *name, kiosk_event *res)
{
    if (strcmp(name, r->pin_ok) == 0)
        return 0; /* given (or none) for the profile in use */
    store_pin_state s;
    practice_pin_state(r->pr, name, run_wall_ms(), &s);
    if (!s.has_pin)
        return 0;
    int target = index;
    if (strcmp(name, practice_profile_name(r->pr)) == 0) {
        target = -1;
    } else if (target < 0) { /* typed on the keyboard: the same profile as on the list */
        for (int i = 0; i < r->nprofiles; i++)
            if (strcmp(r->profiles[i], name) == 0)
                target = i;
        if (target < 0) {
            memset(res, 0, sizeof *res);
            res->type = KIOSK_EV_PROFILE;
            res->now_ms = r->now;
            res->n = practice_can_save(r->pr);
            res->text = "That profile has a PIN: choose it in the list.";
            return 1;
        }
    }
    VLOG_I("run", "profile %s: asking for its PIN", name);
    ask(r, target, s.wait_ms, res);
    return 1;
}

void run_pin_opened(run *r, const char *name)
{
    snprintf(r->pin_ok, sizeof r->pin_ok, "%s", name);
}

void run_pin_check(run *r, const kiosk_action *a, kiosk_event *res)
{
    const char *name = a->i >= 0 && a->i < r->nprofiles ? r->profiles[a->i]
                                                       : practice_profile_name(r->pr);
    store_pin_state s;
    int result;
    int e = practice_pin_check(r->pr, name, a->text, run_wall_ms(), &result, &s);
    memset(res, 0, sizeof *res);
    res->type = KIOSK_EV_PIN;
    res->now_ms = r->now;
    res->ms = s.wait_ms;
    if (e) {
        res->i = KIOSK_PIN_WRONG;
        res->text = "This PIN cannot be checked: its record is damaged. A technician can set "
                    "it again with 'viva profiles pin'.";
    } else if (result == STORE_PIN_OK || result == STORE_PIN_NONE) {
        res->i = KIOSK_PIN_OK;
        run_pin_opened(r, name);
    } else {
        res->i = result == STORE_PIN_LOCKED ? KIOSK_PIN_LOCKED : KIOSK_PIN_WRONG;
    }
    VLOG_I("run", "profile %s: %s PIN%s", name,
           res->i == KIOSK_PIN_OK ? "the right" : e ? "an uncheckable" : "a wrong",
           s.wait_ms > 0 ? ", a delay runs" : "");
}

void run_pin_key(const run *r, SDL_Keycode sym, kiosk_event *k)
{
    static const char *const digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    if (r->k.screen != KIOSK_PIN)
        return;
    int d = sym >= SDLK_0 && sym <= SDLK_9       ? (int)(sym - SDLK_0)
            : sym >= SDLK_KP_1 && sym <= SDLK_KP_9 ? (int)(sym - SDLK_KP_1) + 1
            : sym == SDLK_KP_0                     ? 0
                                                   : -1;
    if (d >= 0) {
        k->type = KIOSK_EV_TEXT;
        k->text = digits[d];
    } else if (sym == SDLK_BACKSPACE) {
        k->type = KIOSK_EV_TEXT;
        k->text = "\b";
    } else if (r->k.typed_on_keyboard && (sym == SDLK_RETURN || sym == SDLK_KP_ENTER)) {
        k->i = KIOSK_KEY_ENTER_TYPED; /* typed on a keyboard: Enter means OK */
    }
}

static const char *label_of(int key)
{
    static const char *const digits[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    if (key >= '0' && key <= '9')
        return digits[key - '0'];
    return key == KIOSK_KB_DELETE ? "Delete" : key == KIOSK_KB_DONE ? "OK" : "Back";
}

void run_pin_draw(run *r)
{
    const kiosk *k = &r->k;
    char title[STORE_NAME_MAX + 16], notice[KIOSK_TEXT_MAX + 48];
    const char *name = k->pin_target >= 0 && k->pin_target < r->nprofiles
                           ? r->profiles[k->pin_target]
                           : practice_profile_name(r->pr);
    snprintf(title, sizeof title, "%s: PIN", name);
    int64_t left = k->phase_ms > 0 ? k->phase_start_ms + k->phase_ms - r->now : 0;
    pin_view v = {
        .title = title,
        .subtitle = "This profile has a PIN. Back chooses another profile.",
        .digits = (int)strlen(k->pin),
        .focus = k->focus,
        .waiting = left > 0,
        .notice = k->notice[0] ? k->notice : NULL,
        .hint = "Digits, or choose keys with Left/Right and Enter · Esc: back",
    };
    if (left > 0) {
        snprintf(notice, sizeof notice, "%s %lld s left.", k->notice,
                 (long long)(left + 999) / 1000);
        v.notice = notice;
    }
    for (int i = 0; i < SCREEN_PIN_KEYS; i++)
        v.labels[i] = label_of(kiosk_pin_key(i));
    screen_pin(r->u, &v);
}
