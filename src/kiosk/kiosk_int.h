/* kiosk_int.h: what kiosk.c (the session, events, time) and kiosk_menus.c (the screens
 * outside a session) share. Private to src/kiosk. */
#ifndef VIVA_KIOSK_INT_H
#define VIVA_KIOSK_INT_H

#include "kiosk.h"

/* One kiosk_step: the machine, where its actions go, and the event's time. */
typedef struct {
    kiosk *k;
    kiosk_actions *out;
    int64_t now;
} kiosk_ctx;

void kiosk_emit(kiosk_ctx *c, kiosk_action_type t, int i);
void kiosk_emit_text(kiosk_ctx *c, kiosk_action_type t, int i, const char *text);
/* Listen for what `l` offers (nothing happens when speech cannot listen or already does). */
void kiosk_listen_to(kiosk_ctx *c, kiosk_listen l);
void kiosk_show(kiosk_ctx *c, kiosk_screen s, int64_t phase_ms);
void kiosk_set_notice(kiosk *k, const char *text);
int kiosk_is_menu(kiosk_screen s);

/* kiosk.c: the session */
void kiosk_begin_session(kiosk_ctx *c); /* the microphone check first */
void kiosk_start_questions(kiosk_ctx *c);

/* kiosk_menus.c */
void kiosk_enter_menu(kiosk_ctx *c, kiosk_screen s);
void kiosk_menu_key(kiosk_ctx *c, kiosk_key key);
void kiosk_menu_select(kiosk_ctx *c);
void kiosk_type_text(kiosk *k, const char *text);
void kiosk_on_profile(kiosk_ctx *c, const kiosk_event *ev);
void kiosk_on_start(kiosk_ctx *c, const kiosk_event *ev);
/* home's quit confirmation (Esc on home): keys and touches while it is up */
void kiosk_confirm_key(kiosk_ctx *c, kiosk_key key);
void kiosk_confirm_touch(kiosk_ctx *c, int item);

/* kiosk_pin.c */
/* Entering screen s needs the PIN of the profile in use first: the PIN screen comes instead
 * (returns 1). */
int kiosk_pin_guard(kiosk_ctx *c, kiosk_screen s);
void kiosk_pin_input(kiosk_ctx *c, kiosk_key key);
void kiosk_pin_text(kiosk_ctx *c, const char *text);
void kiosk_pin_on_event(kiosk_ctx *c, const kiosk_event *ev);
void kiosk_pin_tick(kiosk_ctx *c);
int64_t kiosk_pin_deadline(const kiosk *k, int64_t now_ms);

/* kiosk_recover.c */
void kiosk_recover_enter(kiosk_ctx *c, kiosk_recover_page page);
void kiosk_recover_key(kiosk_ctx *c, kiosk_key key);
void kiosk_recover_touch(kiosk_ctx *c, int item);
void kiosk_recover_result(kiosk_ctx *c, const kiosk_event *ev);

/* kiosk_review.c: the review's buttons beyond the grades, try again and compare */
/* A key on review; returns 1 when it was one of the review's own (not a grade). */
int kiosk_review_key(kiosk_ctx *c, kiosk_key key);
void kiosk_compare_key(kiosk_ctx *c, kiosk_key key);
void kiosk_compare_touch(kiosk_ctx *c, int item);
void kiosk_compare_playback(kiosk_ctx *c, int playing);
/* The session's next question arrived: a new attempt when a retry asked for it. */
void kiosk_review_question(kiosk *k);

#endif
