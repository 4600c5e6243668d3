/* kiosk_pin.c: the PIN screen (see kiosk.h). A profile with a PIN opens only after its PIN:
 * choosing it on the profile screen asks for it (the driver answers KIOSK_ACT_SWITCH_PROFILE
 * with KIOSK_EV_PIN NEEDED), and so does the profile in use at the start (pin_locked: home,
 * progress and settings lead to the PIN screen until it is given). The keypad is walked with
 * the three buttons (previous/next move the focus, select presses the key), touched, or typed
 * on a keyboard; the driver checks the PIN against the store. After too many wrong PINs the
 * store imposes a delay: the keys wait it out (Back still works). */
#include <stdio.h>
#include <string.h>

#include "kiosk_int.h"

int kiosk_pin_key(int index)
{
    static const int keys[KIOSK_PIN_KEYS] = {'1', '2', '3', '4', '5', '6', '7', '8', '9',
                                             KIOSK_KB_DELETE, '0', KIOSK_KB_DONE,
                                             KIOSK_KB_CANCEL};
    return index >= 0 && index < KIOSK_PIN_KEYS ? keys[index] : 0;
}

static int waiting(const kiosk *k, int64_t now)
{
    return k->phase_ms > 0 && now - k->phase_start_ms < k->phase_ms;
}

static void start_wait(kiosk_ctx *c, int64_t ms)
{
    kiosk *k = c->k;
    if (ms <= 0)
        return;
    k->phase_start_ms = c->now;
    k->phase_ms = ms;
    kiosk_set_notice(k, "Too many wrong PINs: wait, then try again.");
}

static void enter_pin(kiosk_ctx *c, int target, int64_t wait_ms)
{
    kiosk *k = c->k;
    kiosk_enter_menu(c, KIOSK_PIN);
    k->pin_target = target;
    k->pin[0] = '\0';
    k->typed_on_keyboard = 0;
    start_wait(c, wait_ms);
}

int kiosk_pin_guard(kiosk_ctx *c, kiosk_screen s)
{
    if (!c->k->pin_locked || (s != KIOSK_HOME && s != KIOSK_PROGRESS && s != KIOSK_SETTINGS))
        return 0;
    enter_pin(c, -1, 0);
    return 1;
}

static void leave(kiosk_ctx *c)
{
    c->k->pin[0] = '\0';
    kiosk_enter_menu(c, KIOSK_PROFILES); /* another profile, or a new one */
}

static void submit(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (strlen(k->pin) < KIOSK_PIN_MIN) {
        kiosk_set_notice(k, "A PIN has 4 to 8 digits");
        return;
    }
    kiosk_emit_text(c, KIOSK_ACT_PIN_CHECK, k->pin_target, k->pin);
    memset(k->pin, 0, sizeof k->pin);
}

static void add_digit(kiosk *k, char d)
{
    size_t n = strlen(k->pin);
    if (n >= KIOSK_PIN_MAX) {
        kiosk_set_notice(k, "A PIN has at most 8 digits");
        return;
    }
    k->pin[n] = d;
    k->pin[n + 1] = '\0';
    k->notice[0] = '\0';
}

static void press(kiosk_ctx *c, int key)
{
    kiosk *k = c->k;
    if (key == KIOSK_KB_CANCEL) {
        leave(c);
        return;
    }
    if (waiting(k, c->now))
        return; /* the delay runs: only Back works */
    if (key == KIOSK_KB_DELETE) {
        size_t n = strlen(k->pin);
        if (n)
            k->pin[n - 1] = '\0';
    } else if (key == KIOSK_KB_DONE) {
        submit(c);
    } else if (key >= '0' && key <= '9') {
        add_digit(k, (char)key);
    }
}

void kiosk_pin_input(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    switch (key) {
    case KIOSK_KEY_NEXT:
        k->focus = (k->focus + 1) % KIOSK_PIN_KEYS;
        break;
    case KIOSK_KEY_PREV:
        k->focus = (k->focus + KIOSK_PIN_KEYS - 1) % KIOSK_PIN_KEYS;
        break;
    case KIOSK_KEY_SELECT:
        press(c, kiosk_pin_key(k->focus));
        break;
    case KIOSK_KEY_ENTER_TYPED:
        press(c, KIOSK_KB_DONE);
        break;
    case KIOSK_KEY_BACK:
        leave(c);
        break;
    default:
        break;
    }
}

void kiosk_pin_text(kiosk_ctx *c, const char *text)
{
    kiosk *k = c->k;
    if (waiting(k, c->now))
        return;
    if (strcmp(text, "\b") == 0) {
        press(c, KIOSK_KB_DELETE);
        return;
    }
    for (const char *p = text; *p; p++)
        if (*p >= '0' && *p <= '9') {
            add_digit(k, *p);
            k->typed_on_keyboard = 1; /* Enter now means OK */
        }
}

void kiosk_pin_on_event(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    if (ev->i == KIOSK_PIN_NEEDED) {
        int target = ev->n >= 0 && ev->n == k->current_profile ? -1 : ev->n;
        if (target < 0) {
            k->pin_locked = 1;
            if (k->screen == KIOSK_PROFILES)
                return; /* several candidates: whoever chooses this profile gives its PIN */
        }
        enter_pin(c, target, ev->ms);
        return;
    }
    if (k->screen != KIOSK_PIN)
        return;
    if (ev->i == KIOSK_PIN_OK) {
        k->notice[0] = '\0';
        if (k->pin_target < 0) {
            k->pin_locked = 0;
            kiosk_enter_menu(c, KIOSK_HOME);
        } else { /* the driver opens it now that the PIN was given */
            k->switch_from = KIOSK_PROFILES;
            kiosk_emit_text(c, KIOSK_ACT_SWITCH_PROFILE, k->pin_target, "");
        }
        return;
    }
    memset(k->pin, 0, sizeof k->pin);
    if (ev->i == KIOSK_PIN_WRONG)
        kiosk_set_notice(k, ev->text && ev->text[0] ? ev->text : "Wrong PIN. Try again.");
    start_wait(c, ev->ms);
}

void kiosk_pin_tick(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->phase_ms > 0 && !waiting(k, c->now)) {
        k->phase_ms = 0;
        kiosk_set_notice(k, "You can try again.");
    }
}

int64_t kiosk_pin_deadline(const kiosk *k, int64_t now_ms)
{
    if (k->phase_ms <= 0)
        return -1;
    int64_t end = k->phase_start_ms + k->phase_ms;
    return end > now_ms ? end - now_ms : 0;
}
