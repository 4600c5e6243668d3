/* kiosk_review.c: the review screen's buttons beyond the four grades (Play, Try again,
 * Compare, Reference answer and the transcript's pages), trying a question again, and the
 * compare screen (this attempt and the one before, played one after the other).
 *
 * Try again asks the same question now as a new attempt: the attempt on review stays saved as
 * it is (ungraded unless it was graded), and the driver answers KIOSK_ACT_RETRY with the
 * question again (KIOSK_EV_QUESTION), which runs speak, think, answer and review as usual with
 * `attempt` one higher. How the engine counts attempts is the driver's business (practice.c:
 * only a question's first attempt in a session moves the estimate). */
#include "kiosk_int.h"

static void stop_speaking(kiosk_ctx *c)
{
    if (!c->k->speaking)
        return;
    c->k->speaking = 0;
    kiosk_emit(c, KIOSK_ACT_SILENCE, 0);
}

static void stop_playing(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->playing || k->compare_step)
        kiosk_emit(c, KIOSK_ACT_STOP_PLAYBACK, 0);
    k->playing = 0;
    k->compare_step = 0;
}

static int focusable(const kiosk *k, int item)
{
    if (item == KIOSK_REVIEW_COMPARE)
        return k->attempt > 1;
    return item >= 0 && item < KIOSK_REVIEW_ITEMS;
}

/* The next focusable review item from `from` in direction dir (+1/-1), clamped at the ends. */
static int step_focus(const kiosk *k, int from, int dir)
{
    if (from < 0)
        return dir > 0 ? 0 : 3; /* nothing highlighted: the grades first, as before */
    for (int i = from + dir; i >= 0 && i < KIOSK_REVIEW_ITEMS; i += dir)
        if (focusable(k, i))
            return i;
    return from;
}

static void retry(kiosk_ctx *c)
{
    kiosk *k = c->k;
    stop_playing(c);
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
    k->prompt_pending = 0;
    k->retrying = 1;
    kiosk_emit(c, KIOSK_ACT_RETRY, 0);
}

static void enter_compare(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->attempt <= 1)
        return;
    stop_playing(c);
    kiosk_listen_to(c, KIOSK_LISTEN_OFF);
    k->prompt_pending = 0;
    k->focus = KIOSK_COMPARE_PLAY;
    kiosk_emit(c, KIOSK_ACT_LOAD_COMPARE, 0);
    kiosk_show(c, KIOSK_COMPARE, 0);
}

/* Carries out review item `item` (Play .. the transcript). */
static void activate(kiosk_ctx *c, int item)
{
    kiosk *k = c->k;
    switch (item) {
    case KIOSK_REVIEW_PLAY:
        kiosk_emit(c, KIOSK_ACT_PLAY_TOGGLE, 0);
        break;
    case KIOSK_REVIEW_RETRY:
        retry(c);
        break;
    case KIOSK_REVIEW_COMPARE:
        enter_compare(c);
        break;
    case KIOSK_REVIEW_REFERENCE:
        k->reference = !k->reference;
        break;
    case KIOSK_REVIEW_TRANSCRIPT:
        kiosk_emit(c, KIOSK_ACT_REVIEW_PAGE, 1);
        break;
    default:
        break;
    }
}

int kiosk_review_key(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    switch (key) {
    case KIOSK_KEY_NEXT:
    case KIOSK_KEY_PREV:
        k->selected = step_focus(k, k->selected, key == KIOSK_KEY_NEXT ? 1 : -1);
        return 1;
    case KIOSK_KEY_SELECT:
    case KIOSK_KEY_ENTER_TYPED:
        if (k->selected < KIOSK_REVIEW_PLAY)
            return 0; /* a grade, or nothing highlighted: kiosk.c's business */
        activate(c, k->selected);
        return 1;
    case KIOSK_KEY_RETRY:
        retry(c);
        return 1;
    case KIOSK_KEY_COMPARE:
        enter_compare(c);
        return 1;
    case KIOSK_KEY_REFERENCE:
        activate(c, KIOSK_REVIEW_REFERENCE);
        return 1;
    case KIOSK_KEY_PAGE_UP:
    case KIOSK_KEY_PAGE_DOWN:
        kiosk_emit(c, KIOSK_ACT_REVIEW_PAGE, key == KIOSK_KEY_PAGE_DOWN ? 1 : -1);
        return 1;
    default:
        return 0;
    }
}

void kiosk_review_question(kiosk *k)
{
    k->attempt = k->retrying ? k->attempt + 1 : 1;
    k->retrying = 0;
    k->reference = 0;
}

/* ---- compare ----------------------------------------------------------------------------- */

static void back_to_review(kiosk_ctx *c)
{
    kiosk *k = c->k;
    stop_playing(c);
    k->selected = KIOSK_REVIEW_COMPARE;
    kiosk_show(c, KIOSK_REVIEW, k->hands_free ? k->grade_ms : 0);
    kiosk_listen_to(c, KIOSK_LISTEN_REVIEW);
}

static void play_both(kiosk_ctx *c)
{
    kiosk *k = c->k;
    if (k->compare_step) { /* playing: select stops it */
        stop_playing(c);
        return;
    }
    k->compare_step = 1;
    kiosk_emit(c, KIOSK_ACT_PLAY_ATTEMPT, 0);
}

void kiosk_compare_key(kiosk_ctx *c, kiosk_key key)
{
    kiosk *k = c->k;
    stop_speaking(c);
    switch (key) {
    case KIOSK_KEY_NEXT:
    case KIOSK_KEY_PREV:
        k->focus = key == KIOSK_KEY_NEXT ? KIOSK_COMPARE_BACK : KIOSK_COMPARE_PLAY;
        break;
    case KIOSK_KEY_SELECT:
    case KIOSK_KEY_ENTER_TYPED:
        if (k->focus == KIOSK_COMPARE_BACK)
            back_to_review(c);
        else
            play_both(c);
        break;
    case KIOSK_KEY_PLAY:
        play_both(c);
        break;
    case KIOSK_KEY_BACK:
    case KIOSK_KEY_COMPARE:
        back_to_review(c);
        break;
    default:
        break;
    }
}

void kiosk_compare_touch(kiosk_ctx *c, int item)
{
    if (item < 0 || item >= KIOSK_COMPARE_ITEMS)
        return;
    c->k->focus = item;
    kiosk_compare_key(c, KIOSK_KEY_SELECT);
}

void kiosk_compare_playback(kiosk_ctx *c, int playing)
{
    kiosk *k = c->k;
    if (playing || !k->compare_step)
        return;
    if (k->compare_step == 1) { /* the earlier attempt is over: now this one */
        k->compare_step = 2;
        kiosk_emit(c, KIOSK_ACT_PLAY_ATTEMPT, 1);
    } else {
        k->compare_step = 0;
    }
}
