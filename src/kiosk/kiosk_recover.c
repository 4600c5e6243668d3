/* kiosk_recover.c: the recovery screen (see kiosk.h): the store refused to open (damaged,
 * truncated, newer, locked by another viva, unreadable), and instead of exiting into a restart
 * loop the kiosk says what happened and offers the ways on with the three buttons: restore
 * the newest backup (after a confirmation; offered only when there is one), try again (when
 * the cause may pass), practise without saving, or the details for a technician. The screen
 * stays up as long as nobody chooses: nothing times out here. */
#include <stdio.h>
#include <string.h>

#include "kiosk_int.h"

int kiosk_recover_choices(const kiosk *k, kiosk_recover_choice *out)
{
    int n = 0;
    switch (k->recover_page) {
    case KIOSK_RECOVER_CHOOSE:
        /* A backup cannot help while another viva holds the folder. */
        if (k->can_restore && k->refusal != KIOSK_REFUSED_BUSY)
            out[n++] = KIOSK_RC_RESTORE;
        if (k->refusal == KIOSK_REFUSED_BUSY || k->refusal == KIOSK_REFUSED_UNREADABLE)
            out[n++] = KIOSK_RC_RETRY;
        out[n++] = KIOSK_RC_PRACTISE;
        out[n++] = KIOSK_RC_DETAILS;
        break;
    case KIOSK_RECOVER_CONFIRM:
        out[n++] = KIOSK_RC_CONFIRM;
        out[n++] = KIOSK_RC_BACK;
        break;
    case KIOSK_RECOVER_DETAILS:
        out[n++] = KIOSK_RC_BACK;
        break;
    case KIOSK_RECOVER_WORKING:
        break;
    }
    return n;
}

void kiosk_recover_enter(kiosk_ctx *c, kiosk_recover_page page)
{
    kiosk *k = c->k;
    k->recover_page = page;
    /* The confirmation starts on "Back": one stray press must not replace the data. */
    k->focus = page == KIOSK_RECOVER_CONFIRM ? 1 : 0;
    k->notice[0] = '\0';
    kiosk_show(c, KIOSK_RECOVER, 0);
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
}

static void choose(kiosk_ctx *c)
{
    kiosk *k = c->k;
    kiosk_recover_choice ch[KIOSK_RC_MAX];
    int n = kiosk_recover_choices(k, ch);
    if (k->focus < 0 || k->focus >= n)
        return;
    switch (ch[k->focus]) {
    case KIOSK_RC_RESTORE:
        kiosk_recover_enter(c, KIOSK_RECOVER_CONFIRM);
        break;
    case KIOSK_RC_RETRY:
        k->notice[0] = '\0';
        kiosk_emit(c, KIOSK_ACT_REOPEN_STORE, 0);
        break;
    case KIOSK_RC_PRACTISE:
        k->can_save = 0;
        kiosk_enter_menu(c, KIOSK_HOME); /* practice goes on; nothing is saved */
        break;
    case KIOSK_RC_DETAILS:
        kiosk_recover_enter(c, KIOSK_RECOVER_DETAILS);
        break;
    case KIOSK_RC_CONFIRM:
        kiosk_recover_enter(c, KIOSK_RECOVER_WORKING);
        kiosk_emit(c, KIOSK_ACT_RESTORE_BACKUP, 0);
        break;
    case KIOSK_RC_BACK:
        kiosk_recover_enter(c, KIOSK_RECOVER_CHOOSE);
        break;
    }
}

void kiosk_recover_key(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    kiosk_recover_choice ch[KIOSK_RC_MAX];
    int n = kiosk_recover_choices(k, ch);
    if (n == 0)
        return; /* restoring: no input until it is done */
    switch (key) {
    case KIOSK_KEY_NEXT:
        k->focus = (k->focus + 1) % n;
        break;
    case KIOSK_KEY_PREV:
        k->focus = (k->focus + n - 1) % n;
        break;
    case KIOSK_KEY_SELECT:
    case KIOSK_KEY_ENTER_TYPED:
        choose(c);
        break;
    case KIOSK_KEY_BACK:
        /* Back leaves a page; on the choices there is nowhere behind to go. */
        if (k->recover_page != KIOSK_RECOVER_CHOOSE)
            kiosk_recover_enter(c, KIOSK_RECOVER_CHOOSE);
        break;
    default:
        break;
    }
}

void kiosk_recover_touch(kiosk_ctx *c, int item)
{
    kiosk_recover_choice ch[KIOSK_RC_MAX];
    int n = kiosk_recover_choices(c->k, ch);
    if (item < 0 || item >= n)
        return;
    c->k->focus = item;
    choose(c);
}

void kiosk_recover_result(kiosk_ctx *c, const kiosk_event *ev)
{
    kiosk *k = c->k;
    if (ev->type == KIOSK_EV_STORE_REFUSED) {
        k->refused = 1;
        k->refusal = ev->i >= 0 && ev->i < KIOSK_REFUSED_COUNT ? (kiosk_refusal)ev->i
                                                                : KIOSK_REFUSED_UNREADABLE;
        k->can_restore = ev->n != 0;
        k->can_save = 0;
        if (!k->running)
            return; /* before the start: START shows the screen */
        kiosk_recover_enter(c, KIOSK_RECOVER_CHOOSE);
        kiosk_set_notice(k, ev->text);
        return;
    }
    /* KIOSK_EV_STORE_OPENED */
    k->refused = 0;
    k->can_save = 1;
    if (!k->running)
        return;
    kiosk_enter_menu(c, ev->n > 1 ? KIOSK_PROFILES : KIOSK_HOME);
    kiosk_set_notice(k, ev->text);
}
