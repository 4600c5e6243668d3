/* kiosk_menus.c: the kiosk's screens outside a session (see kiosk.h): profiles and the name
 * keyboard, home, settings, progress and the error screens (the PIN screen: kiosk_pin.c). Every one is a list the three
 * buttons walk: previous/next move the focus, select takes it, back leaves (home quits). */
#include <stdio.h>
#include <string.h>

#include "kiosk_int.h"
#include "utf8.h"

void kiosk_enter_menu(kiosk_ctx *c, kiosk_screen s)
{
    kiosk *k = c->k;
    if (kiosk_pin_guard(c, s))
        return;
    if (k->screen == KIOSK_PROGRESS && s != KIOSK_PROGRESS && k->playing) {
        kiosk_emit(c, KIOSK_ACT_STOP_PLAYBACK, 0);
        k->playing = 0;
    }
    if (k->screen == KIOSK_KEYBOARD && s != KIOSK_KEYBOARD)
        kiosk_emit(c, KIOSK_ACT_TEXT_INPUT, 0);
    if (s != k->screen || s == KIOSK_HOME)
        k->focus = 0;
    k->confirm_quit = 0;
    k->notice[0] = '\0';
    k->playing_row = -1;
    kiosk_show(c, s, 0);
    if (s == KIOSK_PROFILES) {
        kiosk_emit(c, KIOSK_ACT_LOAD_PROFILES, 0);
    } else if (s == KIOSK_KEYBOARD) {
        k->typed[0] = '\0';
        k->typed_on_keyboard = 0;
        kiosk_emit(c, KIOSK_ACT_TEXT_INPUT, 1);
    } else if (s == KIOSK_PROGRESS) {
        k->focus = KIOSK_PROGRESS_GRAPH;
        k->series = 0;
        kiosk_emit(c, KIOSK_ACT_LOAD_PROGRESS, 0);
    }
    /* On home and the error screens "start practice" works as select on the first item. */
    kiosk_listen_to(c, s == KIOSK_HOME || s == KIOSK_ERROR ? KIOSK_LISTEN_IDLE : KIOSK_LISTEN_OFF);
}

static int list_len(const kiosk *k)
{
    switch (k->screen) {
    case KIOSK_PROFILES:
        return k->nprofiles + 1;
    case KIOSK_KEYBOARD:
        return k->nkeys > 0 ? k->nkeys : 1;
    case KIOSK_HOME:
        return KIOSK_HOME_ITEMS;
    case KIOSK_SETTINGS:
        return KIOSK_SET_ITEMS;
    case KIOSK_ERROR:
        return k->error == KIOSK_ERR_NO_MIC ? 4 : 2;
    default:
        return 1;
    }
}

void kiosk_type_text(kiosk *k, const char *text)
{
    size_t len = strlen(k->typed);
    if (strcmp(text, "\b") == 0) {
        k->typed[utf8_prev(k->typed, len, len)] = '\0'; /* one character, not one byte */
        return;
    }
    for (const char *p = text; *p; p++)
        if ((unsigned char)*p < 32 || *p == 127)
            return; /* no control characters in a name */
    if (len + strlen(text) <= KIOSK_NAME_MAX)
        memcpy(k->typed + len, text, strlen(text) + 1);
    else
        snprintf(k->notice, sizeof k->notice, "A name has at most %d bytes", KIOSK_NAME_MAX);
}

static void switch_profile(kiosk_ctx *c, int index, const char *name, kiosk_screen from)
{
    c->k->switch_from = (int)from;
    kiosk_emit_text(c, KIOSK_ACT_SWITCH_PROFILE, index, name ? name : "");
}

static void keyboard_key(kiosk_ctx *c, int key)
{
    kiosk *k = c->k;
    if (key == KIOSK_KB_DELETE) {
        kiosk_type_text(k, "\b");
    } else if (key == KIOSK_KB_CANCEL) {
        kiosk_enter_menu(c, KIOSK_PROFILES);
    } else if (key == KIOSK_KB_DONE) {
        /* Names are kept as typed, without spaces at either end. */
        size_t len = strlen(k->typed);
        while (len && k->typed[len - 1] == ' ')
            k->typed[--len] = '\0';
        const char *name = k->typed + strspn(k->typed, " ");
        if (!name[0]) {
            kiosk_set_notice(k, "Type a name first");
            return;
        }
        switch_profile(c, -1, name, KIOSK_KEYBOARD);
    } else if (key > 0) {
        char s[2] = {(char)key, '\0'};
        kiosk_type_text(k, s);
    }
}

static void progress_move(kiosk *k, int dir)
{
    int order = k->focus == KIOSK_PROGRESS_GRAPH  ? -1
                : k->focus == KIOSK_PROGRESS_BACK ? k->nrows
                                                  : k->focus;
    order += dir;
    if (order < -1)
        order = k->nrows;
    if (order > k->nrows)
        order = -1;
    k->focus = order == -1         ? KIOSK_PROGRESS_GRAPH
               : order == k->nrows ? KIOSK_PROGRESS_BACK
                                   : order;
}

static void progress_select(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->focus == KIOSK_PROGRESS_GRAPH) {
        if (k->nseries)
            k->series = (k->series + 1) % k->nseries;
    } else if (k->focus == KIOSK_PROGRESS_BACK) {
        kiosk_enter_menu(c, KIOSK_HOME);
    } else if (k->focus >= 0 && k->focus < k->nrows) {
        k->notice[0] = '\0';
        if (k->playing_row == k->focus && k->playing) {
            kiosk_emit(c, KIOSK_ACT_STOP_PLAYBACK, 0);
            k->playing = 0;
            k->playing_row = -1;
        } else {
            k->playing_row = k->focus;
            kiosk_emit(c, KIOSK_ACT_PLAY_ROW, k->focus);
        }
    }
}

void kiosk_menu_select(kiosk_ctx *c)
{
    kiosk *k = c->k;
    switch (k->screen) {
    case KIOSK_PROFILES:
        if (k->focus >= k->nprofiles)
            kiosk_enter_menu(c, KIOSK_KEYBOARD);
        else if (k->focus == k->current_profile)
            kiosk_enter_menu(c, KIOSK_HOME);
        else
            switch_profile(c, k->focus, NULL, KIOSK_PROFILES);
        break;
    case KIOSK_KEYBOARD:
        keyboard_key(c, k->key_of ? k->key_of(k->focus) : 0);
        break;
    case KIOSK_HOME:
        if (k->focus == KIOSK_HOME_START) {
            kiosk_begin_session(c);
        } else if (k->focus == KIOSK_HOME_TOPIC) {
            kiosk_emit(c, KIOSK_ACT_NEXT_TOPIC, 0);
        } else if (k->focus == KIOSK_HOME_PROGRESS) {
            kiosk_enter_menu(c, KIOSK_PROGRESS);
        } else if (k->focus == KIOSK_HOME_SETTINGS) {
            kiosk_enter_menu(c, KIOSK_SETTINGS);
            k->back_to = KIOSK_HOME;
        } else if (k->focus == KIOSK_HOME_PROFILE) {
            kiosk_enter_menu(c, KIOSK_PROFILES);
        } else {
            k->running = 0;
            kiosk_emit(c, KIOSK_ACT_QUIT, 0);
        }
        break;
    case KIOSK_SETTINGS:
        if (k->focus == KIOSK_SET_BACK) {
            if (k->back_to == KIOSK_ERROR)
                kiosk_begin_session(c); /* came from "no microphone": look again */
            else
                kiosk_enter_menu(c, KIOSK_HOME);
        } else if (k->focus == KIOSK_SET_TOPIC) {
            kiosk_emit(c, KIOSK_ACT_NEXT_TOPIC, 0);
        } else {
            kiosk_emit(c, KIOSK_ACT_CHANGE_SETTING, k->focus);
        }
        break;
    case KIOSK_ERROR:
        if (k->error == KIOSK_ERR_NO_MIC) {
            if (k->focus == 0) {
                kiosk_begin_session(c);
            } else if (k->focus == 1) { /* this session only; the setting stays as it is */
                kiosk_emit(c, KIOSK_ACT_NO_RECORDING, 0);
                kiosk_start_questions(c);
            } else if (k->focus == 2) {
                kiosk_enter_menu(c, KIOSK_SETTINGS);
                k->back_to = KIOSK_ERROR;
            } else {
                kiosk_enter_menu(c, KIOSK_HOME);
            }
        } else if (k->focus == 0) {
            switch_profile(c, k->current_profile, NULL, KIOSK_ERROR); /* open the store again */
        } else {
            kiosk_enter_menu(c, KIOSK_HOME); /* practice goes on; nothing is saved */
        }
        break;
    default:
        break;
    }
}

void kiosk_menu_key(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    if (k->screen == KIOSK_PIN) {
        kiosk_pin_input(c, key);
        return;
    }
    if (k->confirm_quit) {
        kiosk_confirm_key(c, key);
        return;
    }
    if (k->screen == KIOSK_PROGRESS) {
        if (key == KIOSK_KEY_NEXT || key == KIOSK_KEY_PREV)
            progress_move(k, key == KIOSK_KEY_NEXT ? 1 : -1);
        else if (key == KIOSK_KEY_SELECT || (key == KIOSK_KEY_PLAY && k->focus >= 0))
            progress_select(c);
        else if (key == KIOSK_KEY_BACK)
            kiosk_enter_menu(c, KIOSK_HOME);
        return;
    }
    int n = list_len(k);
    switch (key) {
    case KIOSK_KEY_NEXT:
        k->focus = (k->focus + 1) % n;
        break;
    case KIOSK_KEY_PREV:
        k->focus = (k->focus + n - 1) % n;
        break;
    case KIOSK_KEY_BACK:
        if (k->screen == KIOSK_HOME) {
            k->confirm_quit = 1; /* a stray Esc must not end the kiosk: ask, on "Stay" */
            k->confirm_focus = 0;
        } else if (k->screen == KIOSK_KEYBOARD) {
            kiosk_enter_menu(c, KIOSK_PROFILES);
        } else if (k->screen == KIOSK_SETTINGS && k->back_to == KIOSK_ERROR) {
            kiosk_enter_menu(c, KIOSK_ERROR);
        } else {
            kiosk_enter_menu(c, KIOSK_HOME);
        }
        break;
    case KIOSK_KEY_ENTER_TYPED:
        if (k->screen == KIOSK_KEYBOARD) {
            keyboard_key(c, KIOSK_KB_DONE);
            break;
        }
        kiosk_menu_select(c);
        break;
    case KIOSK_KEY_SELECT:
        kiosk_menu_select(c);
        break;
    default:
        break;
    }
}

/* ---- home's quit confirmation ------------------------------------------------------------- */

void kiosk_confirm_key(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    switch (key) {
    case KIOSK_KEY_NEXT:
    case KIOSK_KEY_PREV:
        k->confirm_focus = !k->confirm_focus; /* two choices: either button moves */
        break;
    case KIOSK_KEY_BACK: /* Esc again: stay */
        k->confirm_quit = 0;
        break;
    case KIOSK_KEY_SELECT:
    case KIOSK_KEY_ENTER_TYPED:
        k->confirm_quit = 0;
        if (k->confirm_focus == 1) {
            k->running = 0;
            kiosk_emit(c, KIOSK_ACT_QUIT, 0);
        }
        break;
    default:
        break;
    }
}

void kiosk_confirm_touch(kiosk_ctx *c, int item)
{
    if (item != 0 && item != 1)
        return; /* outside the two buttons: nothing */
    c->k->confirm_focus = item;
    kiosk_confirm_key(c, KIOSK_KEY_SELECT);
}

void kiosk_on_profile(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    kiosk_screen from = (kiosk_screen)k->switch_from;
    k->can_save = ev->n;
    if (from == KIOSK_ERROR) {
        if (ev->i && ev->n) {
            kiosk_enter_menu(c, KIOSK_HOME);
        } else {
            snprintf(k->error_body, sizeof k->error_body, "%s",
                     ev->text && ev->text[0] ? ev->text : "Answers still cannot be saved.");
            kiosk_enter_menu(c, KIOSK_ERROR);
        }
    } else if (ev->i) {
        kiosk_enter_menu(c, KIOSK_HOME);
    } else if (from == KIOSK_KEYBOARD) {
        kiosk_enter_menu(c, KIOSK_KEYBOARD);
        kiosk_set_notice(k, ev->text);
    } else {
        kiosk_set_notice(k, ev->text);
    }
}

void kiosk_on_start(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    k->can_save = ev->i;
    kiosk_enter_menu(c, KIOSK_HOME);
    if (!k->can_save) {
        k->error = KIOSK_ERR_STORAGE;
        snprintf(k->error_body, sizeof k->error_body,
                 "You can practise, but nothing will be saved until this is fixed. %.200s",
                 ev->text ? ev->text : "");
        kiosk_enter_menu(c, KIOSK_ERROR);
    } else if (ev->n > 1) {
        kiosk_enter_menu(c, KIOSK_PROFILES); /* several candidates share the device */
    }
}
