/* test_screens.c: the menu, keyboard, PIN, review, compare, summary, progress and recovery
 * screens and the answer screen's pause drawn in a real SDL window on the
 * offscreen driver at several sizes, with realistic and hostile data (very long strings, 40
 * answers, several series). Checks are structural: touches found by probing the hit functions
 * land on items, keys and rows in order, big enough to touch and inside the window; nothing
 * is drawn in the outer margin (where overflowing text would show); the frame is not blank.
 * Each frame is also saved as screens-<name>-<W>x<H>.png for a person to look at. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "figures.h"
#include "screens.h"

static ui *u; /* the window of the size under test */
static char size_name[32];

static const char *const long_text =
    "Explain how you would design a distributed rate limiter for an API gateway serving forty "
    "regions, how the counters stay consistent when the network partitions, and what you "
    "would tell a customer whose requests were dropped during the failover";

/* Saves the frame and checks it: something besides the background is drawn, and the outer
 * strip (half the 4-unit margin every screen keeps) is untouched. */
static void check_frame(const char *name)
{
    char path[128], err[256];
    snprintf(path, sizeof path, "screens-%s-%s.png", name, size_name);
    CHECK_MSG(ui_screenshot(u, path, err, sizeof err) == 0, "%s", err);

    int w = ui_w(u), h = ui_h(u), edge = 2 * ui_unit(u);
    Uint32 *px = malloc((size_t)w * h * sizeof *px);
    CHECK(px != NULL);
    if (!px)
        return;
    CHECK(SDL_RenderReadPixels(ui_renderer(u), NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4) == 0);
    SDL_Color bg = ui_colors(u)->bg;
    Uint32 bgpx = 0xFF000000u | (Uint32)bg.r << 16 | (Uint32)bg.g << 8 | bg.b;
    long drawn = 0, in_edge = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if ((px[(size_t)y * w + x] | 0xFF000000u) == bgpx)
                continue;
            drawn++;
            in_edge += x < edge || y < edge || x >= w - edge || y >= h - edge;
        }
    CHECK_MSG(drawn > (long)w * h / 100, "%s %s: only %ld pixels drawn", name, size_name, drawn);
    CHECK_MSG(in_edge == 0, "%s %s: %ld pixels in the outer margin", name, size_name, in_edge);
    free(px);
    ui_present(u);
}

/* ---- menu ----------------------------------------------------------------------------------- */

/* Scans down the middle of the screen and checks the items found: in order, each once, apart,
 * tall enough to touch, inside the window, the focused one among them. */
static void probe_menu(const menu_view *v, const char *name)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int prev = -1, run = 0, seen_focus = 0, found = 0;
    for (int y = 0; y <= h; y++) {
        int i = y < h ? screen_menu_hit(u, v, w / 2, y) : -1;
        if (i == prev) {
            run++;
            continue;
        }
        if (prev >= 0)
            CHECK_MSG(run >= 9 * U, "%s %s: item %d is %d px tall", name, size_name, prev, run);
        if (i >= 0) {
            CHECK_MSG(prev == -1, "%s %s: items %d and %d touch", name, size_name, prev, i);
            CHECK_MSG(found == 0 || i == found, "%s %s: item %d out of order", name, size_name, i);
            found = i + 1;
            seen_focus |= i == v->focus;
            CHECK(screen_menu_hit(u, v, 4 * U + 1, y) == i); /* full width */
            CHECK(screen_menu_hit(u, v, 2 * U, y) == -1);    /* not the margin */
        }
        prev = i, run = 1;
    }
    CHECK_MSG(seen_focus, "%s %s: focused item %d not visible", name, size_name, v->focus);
    CHECK(screen_menu_hit(u, v, 0, 0) == -1);
    CHECK(screen_menu_hit(u, v, w / 2, h - 1) == -1);
    CHECK(screen_menu_hit(u, v, -5, h / 2) == -1);
}

static void test_menu(void)
{
    static const char *const few[] = {"Start practice", "Topic: all topics", "Progress",
                                      "Profiles"};
    menu_view a = {"viva", "Signed in as alex", NULL, few, 4, 1, NULL, "Up/Down: move  ·  Enter: select"};
    screen_menu(u, &a);
    check_frame("menu");
    probe_menu(&a, "menu");

    const char *many[14] = {"Start practice", long_text, "Progress", "Profiles"};
    char more[10][32];
    for (int i = 0; i < 10; i++) {
        snprintf(more[i], sizeof more[i], "Topic %d: networking", i + 1);
        many[4 + i] = more[i];
    }
    menu_view b = {
        .title = "Choose a topic for the next practice session, then press select to begin a "
                 "session of ten questions",
        .subtitle = "Each topic adapts separately; the overall estimate uses all of them, so "
                    "switching topics never loses progress",
        .body = "A paragraph under the title, as the error screens have: what happened, in a "
                "sentence or two, and what the choices below will do about it.",
        .items = many,
        .nitems = 14,
        .focus = 12, /* near the end: the list must scroll */
        .notice = "The microphone could not be opened: answers will not be recorded until it "
                  "is plugged in again and the device is restarted",
        .hint = "Up/Down: move  ·  Enter: select  ·  Esc: back  ·  hold the middle button for "
                "two seconds to go back to the first menu",
    };
    screen_menu(u, &b);
    check_frame("menu-scroll");
    probe_menu(&b, "menu-scroll");
    b.focus = 1; /* the long item, near the top */
    screen_menu(u, &b);
    check_frame("menu-long");
    probe_menu(&b, "menu-long");
}

/* ---- recovery ------------------------------------------------------------------------------- */

/* Finds each button by probing the hit function over the whole window: every one is there,
 * inside the window clear of the outer margin, big enough to touch, apart from the others,
 * and below the title. */
static void probe_recover(const recover_view *v, const char *name)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), step = U > 1 ? U : 1;
    SDL_Rect box[SCREEN_RECOVER_MAX];
    int seen[SCREEN_RECOVER_MAX] = {0};
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step) {
            int i = screen_recover_hit(u, v, x, y);
            if (i < 0)
                continue;
            CHECK_MSG(i < v->nitems, "%s %s: hit %d of %d items", name, size_name, i, v->nitems);
            if (i >= v->nitems)
                continue;
            if (!seen[i]++) {
                box[i] = (SDL_Rect){x, y, 1, 1};
            } else {
                int x1 = box[i].x + box[i].w > x + 1 ? box[i].x + box[i].w : x + 1;
                int y1 = box[i].y + box[i].h > y + 1 ? box[i].y + box[i].h : y + 1;
                box[i].x = box[i].x < x ? box[i].x : x;
                box[i].y = box[i].y < y ? box[i].y : y;
                box[i].w = x1 - box[i].x;
                box[i].h = y1 - box[i].y;
            }
        }
    for (int i = 0; i < v->nitems; i++) {
        CHECK_MSG(seen[i], "%s %s: button %d cannot be touched", name, size_name, i);
        if (!seen[i])
            continue;
        CHECK_MSG(box[i].w >= 20 * U && box[i].h >= 9 * U, "%s %s: button %d is %dx%d", name,
                  size_name, i, box[i].w, box[i].h);
        CHECK_MSG(box[i].x >= 2 * U && box[i].y >= 14 * U && box[i].x + box[i].w <= w - 2 * U &&
                      box[i].y + box[i].h <= h - 2 * U,
                  "%s %s: button %d at %d,%d %dx%d", name, size_name, i, box[i].x, box[i].y,
                  box[i].w, box[i].h);
        for (int j = 0; j < i; j++)
            CHECK_MSG(seen[j] && !SDL_HasIntersection(&box[i], &box[j]),
                      "%s %s: buttons %d and %d overlap", name, size_name, j, i);
    }
    CHECK(screen_recover_hit(u, v, 0, 0) == -1);
}

static void test_recover(void)
{
    static const char *const choose[] = {"Restore the backup of 7 Dec 2026 at 01:20", "Try again",
                                         "Practise without saving", "Details"};
    recover_view a = {
        .title = "Your saved answers cannot be opened",
        .body = "The file that keeps the saved answers is damaged, so viva cannot read it. "
                "Nothing has been deleted.",
        .items = choose,
        .nitems = 4,
        .focus = 0,
        .notice = "The backup could not be restored and nothing was changed; Details says why.",
        .hint = "Left/Right: choose · Enter: select",
    };
    screen_recover(u, &a);
    check_frame("recover");
    probe_recover(&a, "recover");

    static const char *const back[] = {"Back"};
    static const char *const details[] = {
        "What the store says",
        "store: /var/lib/viva/data.mdb is truncated (20000 bytes, its header needs 57344); "
        "fix: restore from a backup with 'viva restore DIR' (see 'viva backup')",
        "Data folder", "/var/lib/viva",
        "Check the store", "viva --data-dir /var/lib/viva store check",
        "Restore the newest backup",
        "systemctl stop viva; viva --data-dir /var/lib/viva restore "
        "/var/lib/viva/backups/20261206-120000-s000001"};
    recover_view d = {.title = "Details for a technician",
                      .details = details,
                      .ndetails = 4,
                      .items = back,
                      .nitems = 1,
                      .hint = "Enter: back"};
    screen_recover(u, &d);
    check_frame("recover-details");
    probe_recover(&d, "recover-details");

    recover_view w = {.title = "Restoring the backup...",
                      .body = "The backup is checked, then put in place. This takes a moment."};
    screen_recover(u, &w);
    check_frame("recover-working");
    CHECK(screen_recover_hit(u, &w, ui_w(u) / 2, ui_h(u) - 20 * ui_unit(u)) == -1);
}

/* ---- keyboard ------------------------------------------------------------------------------- */

static void test_keyboard_keys(void)
{
    CHECK(screen_keyboard_nkeys() == 41);
    CHECK(screen_keyboard_key(0) == 'a' && screen_keyboard_key(25) == 'z');
    CHECK(screen_keyboard_key(26) == '0' && screen_keyboard_key(35) == '9');
    CHECK(screen_keyboard_key(36) == ' ' && screen_keyboard_key(37) == '-');
    CHECK(screen_keyboard_key(38) == SCREEN_KB_DELETE);
    CHECK(screen_keyboard_key(39) == SCREEN_KB_DONE);
    CHECK(screen_keyboard_key(40) == SCREEN_KB_CANCEL);
}

/* Probes the window on a fine grid: every key is found, big enough to touch, in reading
 * order, and its centre maps back to it. */
static void probe_keyboard(const char *name)
{
    enum { N = 41 };
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), step = U / 2 > 1 ? U / 2 : 1;
    int x0[N], y0[N], x1[N], y1[N];
    for (int i = 0; i < N; i++)
        x0[i] = y0[i] = 1 << 30, x1[i] = y1[i] = -1;
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step) {
            int i = screen_keyboard_hit(u, x, y);
            CHECK(i >= -1 && i < N);
            if (i < 0 || i >= N)
                continue;
            x0[i] = x < x0[i] ? x : x0[i], x1[i] = x > x1[i] ? x : x1[i];
            y0[i] = y < y0[i] ? y : y0[i], y1[i] = y > y1[i] ? y : y1[i];
        }
    for (int i = 0; i < N; i++) {
        CHECK_MSG(x1[i] >= 0, "%s %s: key %d not found", name, size_name, i);
        if (x1[i] < 0)
            continue;
        int kw = x1[i] - x0[i] + step, kh = y1[i] - y0[i] + step;
        CHECK_MSG(kw >= 9 * U && kh >= 9 * U, "%s %s: key %d is %dx%d", name, size_name, i, kw, kh);
        CHECK(screen_keyboard_hit(u, (x0[i] + x1[i]) / 2, (y0[i] + y1[i]) / 2) == i);
        if (i > 0 && x1[i - 1] >= 0) /* right of the previous key, or on a lower row */
            CHECK_MSG((y0[i] == y0[i - 1] && x0[i] > x1[i - 1]) || y0[i] > y1[i - 1],
                      "%s %s: key %d out of order", name, size_name, i);
    }
    CHECK(screen_keyboard_hit(u, 0, 0) == -1);
    CHECK(screen_keyboard_hit(u, w / 2, 5 * U) == -1); /* the title */
    CHECK(screen_keyboard_hit(u, w + 10, h / 2) == -1);
}

static void test_keyboard(void)
{
    keyboard_view a = {"New profile: type a name", "alex-2", 39,
                       "That name is taken: choose another", "Arrows: move  ·  Enter: type"};
    screen_keyboard(u, &a);
    check_frame("keyboard");
    probe_keyboard("keyboard");

    keyboard_view b = {long_text, long_text, 36, long_text, long_text};
    screen_keyboard(u, &b);
    check_frame("keyboard-long");
    probe_keyboard("keyboard-long");

    keyboard_view c = {"Rename", "", 0, NULL, NULL};
    screen_keyboard(u, &c);
    check_frame("keyboard-empty");
}

/* ---- PIN keypad ----------------------------------------------------------------------------- */

/* Every key found, big enough to touch, in focus order (left to right, then down), its centre
 * mapping back to it; the text column and the margins are no key. */
static void probe_pin(const char *name)
{
    enum { N = SCREEN_PIN_KEYS };
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), step = U / 2 > 1 ? U / 2 : 1;
    int x0[N], y0[N], x1[N], y1[N];
    for (int i = 0; i < N; i++)
        x0[i] = y0[i] = 1 << 30, x1[i] = y1[i] = -1;
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step) {
            int i = screen_pin_hit(u, x, y);
            CHECK(i >= -1 && i < N);
            if (i < 0 || i >= N)
                continue;
            x0[i] = x < x0[i] ? x : x0[i], x1[i] = x > x1[i] ? x : x1[i];
            y0[i] = y < y0[i] ? y : y0[i], y1[i] = y > y1[i] ? y : y1[i];
        }
    for (int i = 0; i < N; i++) {
        CHECK_MSG(x1[i] >= 0, "%s %s: key %d not found", name, size_name, i);
        if (x1[i] < 0)
            continue;
        int kw = x1[i] - x0[i] + step, kh = y1[i] - y0[i] + step;
        CHECK_MSG(kw >= 12 * U && kh >= 9 * U, "%s %s: key %d is %dx%d", name, size_name, i, kw,
                  kh);
        CHECK(screen_pin_hit(u, (x0[i] + x1[i]) / 2, (y0[i] + y1[i]) / 2) == i);
        if (i > 0 && x1[i - 1] >= 0)
            CHECK_MSG((y0[i] == y0[i - 1] && x0[i] > x1[i - 1]) || y0[i] > y1[i - 1],
                      "%s %s: key %d out of order", name, size_name, i);
        CHECK_MSG(x0[i] >= 4 * U - step && x1[i] < w - 4 * U + step && y0[i] >= 4 * U - step,
                  "%s %s: key %d in the margin", name, size_name, i);
    }
    CHECK(screen_pin_hit(u, 6 * U, 6 * U) == -1); /* the title */
    CHECK(screen_pin_hit(u, w / 2, h - 3 * U) == -1);
}

static void test_pin(void)
{
    pin_view a = {.title = "Ada: PIN",
                  .subtitle = "This profile has a PIN",
                  .digits = 3,
                  .labels = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Delete", "0", "OK",
                             "Back"},
                  .focus = 11,
                  .hint = "Digits, or choose keys with Left/Right and Enter · Esc: back"};
    screen_pin(u, &a);
    check_frame("pin");
    probe_pin("pin");

    pin_view b = a;
    b.title = long_text;
    b.subtitle = long_text;
    b.digits = 8;
    b.focus = 12;
    b.waiting = 1;
    b.notice = "Too many wrong PINs: wait, then try again. 28 s left. "
               "Or choose Back for another profile.";
    screen_pin(u, &b);
    check_frame("pin-wait");
    probe_pin("pin-wait");

    pin_view c = a;
    c.digits = 0;
    c.focus = 0;
    c.notice = "Wrong PIN. Try again.";
    screen_pin(u, &c);
    check_frame("pin-empty");
}

/* ---- review --------------------------------------------------------------------------------- */

static const char *const long_keys[] = {
    "Mutual exclusion: only one thread at a time may hold the lock, and every access to the "
    "shared counter happens while holding it",
    "Deadlock needs four conditions together: mutual exclusion, hold and wait, no preemption "
    "and a circular wait between the threads",
    "Lock ordering: always acquire locks in one global order, so that a cycle of waiting "
    "threads cannot form",
    "Condition variables: wait in a loop that re-checks the predicate, because wake-ups can "
    "be spurious",
    "Atomics and memory ordering: acquire and release pair up, so writes before the release "
    "are visible after the acquire",
    "Measure contention before optimising: a profiler shows the hot lock; sharding or "
    "lock-free structures are the last resort",
};
static const int long_covered[] = {1, 0, 1, 1, 0, 1};
static const char *const long_heard[] = {
    "mutex, lock, one thread", NULL, "lock order, cycle",
    "condition variable, spurious wake-up, predicate, loop", NULL, "profiler, contention"};
static const char *const delivery =
    "1 min 12 s · 128 words/min · 2 pauses over 2 s (longest 3.4 s) · 1.5 fillers/min";
static const char *const reference_text =
    "A mutex gives mutual exclusion: one thread at a time holds it, and every access to the "
    "shared state happens while holding it. Deadlock needs mutual exclusion, hold and wait, no "
    "preemption and a circular wait; taking locks in one global order removes the cycle. "
    "Condition variables are waited on in a loop that re-checks the predicate, since wake-ups "
    "can be spurious. Atomics with acquire and release ordering publish writes without a lock. "
    "Before optimising any of it, measure: a profiler shows which lock is hot, and sharding "
    "the data or a lock-free structure comes last, when the simple design has been shown to be "
    "the bottleneck under a realistic load.";

/* A transcript of about 150 words with key-point terms and fillers in it. */
static const char *said[200];
static unsigned char said_kind[200];
static int nsaid;

static void make_transcript(void)
{
    static const char *const text[] = {
        "so", "um", "a", "mutex", "is", "a", "lock", "that", "only", "one", "thread", "can",
        "hold", "at", "a", "time", "and", "uh", "you", "take", "it", "around", "the", "shared",
        "counter", "then", "for", "deadlock", "you", "want", "a", "lock", "order", "so", "no",
        "cycle", "can", "form", "between", "threads", "and", "with", "a", "condition",
        "variable", "you", "wait", "in", "a", "loop", "on", "the", "predicate", "because",
        "of", "spurious", "wake-ups"};
    static const unsigned char kind[] = {0, 2, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 2,
                                         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1,
                                         0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0,
                                         0, 1, 1};
    size_t n = sizeof text / sizeof text[0];
    _Static_assert(sizeof text / sizeof text[0] == sizeof kind, "one kind per word");
    nsaid = 0;
    for (int rep = 0; rep < 3; rep++)
        for (size_t i = 0; i < n && nsaid < 200; i++) {
            said[nsaid] = text[i];
            said_kind[nsaid++] = kind[i];
        }
}

static SDL_Color grade_color_of(const ui_theme *t, int g)
{
    return g == 0 ? t->bad : g == 1 ? t->warn : g == 2 ? t->good : t->accent;
}

/* How many pixels of colour c (opaque, exact: the inside of text and fills) in r? */
static long count_color(const Uint32 *px, int w, SDL_Rect r, SDL_Color c)
{
    Uint32 want = 0xFF000000u | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    long n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++)
            n += (px[(size_t)y * w + x] | 0xFF000000u) == want;
    return n;
}

static Uint32 *read_frame(void)
{
    int w = ui_w(u), h = ui_h(u);
    Uint32 *px = malloc((size_t)w * h * sizeof *px);
    if (px && SDL_RenderReadPixels(ui_renderer(u), NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4) != 0) {
        free(px);
        px = NULL;
    }
    CHECK(px != NULL);
    return px;
}

/* The review's boxes: inside the window's margin (2 units), none overlapping another. */
static void check_review_boxes(const char *name)
{
    SDL_Rect r[32];
    const char *nm[32];
    int n = screen_review_boxes(u, r, nm, 32), w = ui_w(u), h = ui_h(u), edge = 2 * ui_unit(u);
    CHECK(n >= 17);
    for (int i = 0; i < n; i++) {
        CHECK_MSG(r[i].w > 0 && r[i].h > 0, "%s %s: %s is empty", name, size_name, nm[i]);
        CHECK_MSG(r[i].x >= edge && r[i].y >= edge && r[i].x + r[i].w <= w - edge &&
                      r[i].y + r[i].h <= h - edge,
                  "%s %s: %s leaves the screen", name, size_name, nm[i]);
        for (int j = i + 1; j < n; j++)
            CHECK_MSG(!SDL_HasIntersection(&r[i], &r[j]), "%s %s: %s overlaps %s", name,
                      size_name, nm[i], nm[j]);
    }
}

/* Every target found by probing the window on a grid: the seven buttons, the reference
 * button and the transcript, each big enough to touch; nothing in the outer margin. */
static SDL_Rect probe_review_targets(const char *name)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    SDL_Rect found[REVIEW_HIT_TRANSCRIPT + 1];
    memset(found, 0, sizeof found);
    int x0[REVIEW_HIT_TRANSCRIPT + 1], y0[REVIEW_HIT_TRANSCRIPT + 1];
    int x1[REVIEW_HIT_TRANSCRIPT + 1], y1[REVIEW_HIT_TRANSCRIPT + 1];
    for (int i = 0; i <= REVIEW_HIT_TRANSCRIPT; i++)
        x0[i] = y0[i] = -1, x1[i] = y1[i] = -1;
    for (int y = 0; y < h; y += 2)
        for (int x = 0; x < w; x += 2) {
            int t = screen_review_hit(u, x, y);
            if (t < 0)
                continue;
            CHECK_MSG(t <= REVIEW_HIT_TRANSCRIPT, "%s %s: target %d", name, size_name, t);
            if (t > REVIEW_HIT_TRANSCRIPT)
                continue;
            if (x0[t] < 0 || x < x0[t]) x0[t] = x;
            if (y0[t] < 0 || y < y0[t]) y0[t] = y;
            if (x > x1[t]) x1[t] = x;
            if (y > y1[t]) y1[t] = y;
        }
    for (int t = 0; t <= REVIEW_HIT_TRANSCRIPT; t++) {
        CHECK_MSG(x0[t] >= 0, "%s %s: target %d not found", name, size_name, t);
        if (x0[t] < 0)
            continue;
        CHECK_MSG(x1[t] - x0[t] >= 9 * U && y1[t] - y0[t] >= 7 * U, "%s %s: target %d is %dx%d",
                  name, size_name, t, x1[t] - x0[t], y1[t] - y0[t]);
        CHECK(x0[t] >= 2 * U && y0[t] >= 2 * U && x1[t] < w - 2 * U && y1[t] < h - 2 * U);
        found[t] = (SDL_Rect){x0[t], y0[t], x1[t] - x0[t] + 1, y1[t] - y0[t] + 1};
    }
    /* The grades in order left to right. */
    for (int g = 1; g < 4; g++)
        CHECK(found[g].x > found[g - 1].x);
    return found[REVIEW_HIT_TRANSCRIPT];
}

/* Pixels that differ between drawing a and drawing b: their bounding box (w 0: none). */
static SDL_Rect diff_box(const review_view *a, const review_view *b)
{
    int w = ui_w(u), h = ui_h(u);
    screen_review(u, a);
    Uint32 *pa = read_frame();
    ui_present(u);
    screen_review(u, b);
    Uint32 *pb = read_frame();
    ui_present(u);
    SDL_Rect r = {0, 0, 0, 0};
    if (pa && pb) {
        int lo_x = w, lo_y = h, hi_x = -1, hi_y = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                if (pa[(size_t)y * w + x] != pb[(size_t)y * w + x]) {
                    lo_x = x < lo_x ? x : lo_x;
                    lo_y = y < lo_y ? y : lo_y;
                    hi_x = x > hi_x ? x : hi_x;
                    hi_y = y > hi_y ? y : hi_y;
                }
        if (hi_x >= 0)
            r = (SDL_Rect){lo_x, lo_y, hi_x - lo_x + 1, hi_y - lo_y + 1};
    }
    free(pa);
    free(pb);
    return r;
}

static SDL_Rect box_named(const char *want)
{
    SDL_Rect r[32];
    const char *nm[32];
    int n = screen_review_boxes(u, r, nm, 32);
    for (int i = 0; i < n; i++)
        if (strcmp(nm[i], want) == 0)
            return r[i];
    return (SDL_Rect){0, 0, 0, 0};
}

static int inside(SDL_Rect in, SDL_Rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static void test_review(void)
{
    static float wave[200];
    static const double pause_at[] = {20.0, 41.5}, pause_len[] = {3.4, 2.6};
    for (int i = 0; i < 200; i++)
        wave[i] = (float)(0.5 + 0.45 * ((i * 37) % 23 - 11) / 11.0);
    make_transcript();
    const ui_theme *t = ui_colors(u);
    check_review_boxes("review");
    review_view ready = {
        .topic = "Concurrency",
        .level = 3,
        .question = long_text,
        .keys = long_keys,
        .nkeys = 6,
        .selected = 2,
        .has_recording = 1,
        .wave = wave,
        .nwave = 200,
        .play_pos = 0,
        .play_len = 72,
        .hint = "Left/Right: choose, then Enter · 0-3: grade · P: play · T: try again · Say: "
                "\"missed\xC2\xA0" "entirely\", \"partly\xC2\xA0right\", \"pretty\xC2\xA0solid\", "
                "\"absolutely\xC2\xA0" "excellent\", \"play\xC2\xA0recording\", \"moving\xC2\xA0on\"",
        .analysis_state = REVIEW_ANALYSIS_READY,
        .key_covered = long_covered,
        .key_heard = long_heard,
        .delivery = delivery,
        .suggested = 2,
        .words = said,
        .word_kind = said_kind,
        .nwords = nsaid,
        .pace = "a little fast: 175 words/min; 120-160 is easy to follow",
        .pauses = "2 long pauses, marked above (longest 3.4 s) · 1 min 12 s of talk",
        .pause_at = pause_at,
        .pause_len = pause_len,
        .npauses = 2,
        .reference = reference_text,
    };
    screen_review(u, &ready);
    check_frame("review-feedback");
    SDL_Rect tr = probe_review_targets("review-feedback");
    Uint32 *px = read_frame();
    if (px) {
        /* The suggested tab over button 2 (solid) only. */
        SDL_Rect b[32];
        const char *nm[32];
        screen_review_boxes(u, b, nm, 32);
        for (int g = 0; g < 4; g++) {
            SDL_Rect btn = box_named(g == 0 ? "missed" : g == 1 ? "partial" : g == 2 ? "solid"
                                                                                     : "excellent");
            SDL_Rect tab = {btn.x, btn.y - 4 * ui_unit(u), btn.w, 4 * ui_unit(u)};
            long n = count_color(px, ui_w(u), tab, grade_color_of(t, g));
            if (g == 2)
                CHECK_MSG(n > tab.w * tab.h / 2, "%s: no suggested tab over solid", size_name);
            else
                CHECK_MSG(n == 0, "%s: %ld pixels of a tab over button %d", size_name, n, g);
        }
        /* Terms highlighted (good) and fillers struck (warning colour) in the transcript;
         * the long pauses marked (warning colour) on the waveform. */
        CHECK_MSG(count_color(px, ui_w(u), tr, t->good) > 0, "%s: no term highlighted", size_name);
        CHECK_MSG(count_color(px, ui_w(u), tr, t->warn) > 0, "%s: no filler marked", size_name);
        CHECK_MSG(count_color(px, ui_w(u), box_named("waveform"), t->warn) > 0,
                  "%s: no pause marked on the waveform", size_name);
        /* Ticks and empty boxes in the key points. */
        CHECK(count_color(px, ui_w(u), box_named("keys"), t->good) > 0);
        CHECK(count_color(px, ui_w(u), box_named("keys"), t->warn) > 0);
        free(px);
    }
    ui_present(u);

    /* What each part draws stays in its box: the key points, the transcript, the pace. */
    review_view nokeys = ready;
    static const char *const empty[16] = {"", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""};
    nokeys.keys = empty;
    SDL_Rect d = diff_box(&ready, &nokeys);
    CHECK_MSG(d.w > 0 && inside(d, box_named("keys")), "%s: key points drawn at %d,%d %dx%d",
              size_name, d.x, d.y, d.w, d.h);
    review_view nowords = ready;
    nowords.nwords = 0;
    nowords.words = NULL;
    d = diff_box(&ready, &nowords);
    SDL_Rect tb = box_named("transcript"), tt = box_named("said title");
    SDL_Rect both = {tb.x, tt.y, tb.w, tb.y + tb.h - tt.y};
    CHECK_MSG(d.w > 0 && inside(d, both), "%s: the transcript drew at %d,%d %dx%d", size_name,
              d.x, d.y, d.w, d.h);
    review_view nopace = ready;
    nopace.pace = nopace.pauses = NULL;
    nopace.delivery = NULL;
    d = diff_box(&ready, &nopace);
    CHECK_MSG(d.w > 0 && inside(d, box_named("pace")), "%s: the pace drew at %d,%d %dx%d",
              size_name, d.x, d.y, d.w, d.h);

    /* Paged: the second page shows other words, the last page is clamped. */
    int total, visible;
    screen_review_lines(u, &ready, &total, &visible);
    CHECK(total >= 1 && visible >= 1);
    review_view page2 = ready;
    page2.transcript_line = visible;
    if (total > visible) {
        d = diff_box(&ready, &page2);
        CHECK_MSG(d.w > 0, "%s: page 2 looks like page 1", size_name);
    }
    page2.transcript_line = 10000;
    screen_review(u, &page2);
    check_frame("review-transcript-end");

    /* The reference answer in place of the key points. */
    review_view ref = ready;
    ref.show_reference = 1;
    ref.selected = REVIEW_HIT_REFERENCE;
    screen_review(u, &ref);
    check_frame("review-reference");
    ref.selected = ready.selected;
    d = diff_box(&ready, &ref);
    SDL_Rect right = box_named("status"), keys = box_named("keys"), rb = box_named("reference");
    SDL_Rect col = {right.x, right.y, rb.x + rb.w - right.x, keys.y + keys.h - right.y};
    CHECK_MSG(d.w > 0 && inside(d, col), "%s: the reference answer drew at %d,%d %dx%d",
              size_name, d.x, d.y, d.w, d.h);

    /* A reference answer four times the bank's longest: paged, never cut; each page draws
     * something else in the column and a page past the end shows the last one. */
    static char longer[4 * 1200];
    snprintf(longer, sizeof longer, "%s %s %s %s", reference_text, reference_text,
             reference_text, reference_text);
    review_view lref = ref;
    lref.reference = longer;
    int pages = screen_review_reference_pages(u, &lref);
    CHECK_MSG(pages >= 2, "%s: a 2,400-character reference answer on %d page(s)", size_name,
              pages);
    review_view lref2 = lref;
    lref2.reference_page = 1;
    d = diff_box(&lref, &lref2);
    CHECK_MSG(d.w > 0 && inside(d, col), "%s: page 2 of the reference drew at %d,%d %dx%d",
              size_name, d.x, d.y, d.w, d.h);
    review_view last = lref, past = lref;
    last.reference_page = pages - 1;
    past.reference_page = pages + 5;
    d = diff_box(&last, &past);
    CHECK_MSG(d.w == 0, "%s: a page past the end is not the last page", size_name);
    CHECK(screen_review_reference_pages(u, &ready) >= 1);

    /* Not sure: "(not sure)" in the warning colour, no tab, nothing preselected. */
    review_view unsure = ready;
    unsure.unsure = 1;
    unsure.selected = -1;
    screen_review(u, &unsure);
    check_frame("review-unsure");
    px = read_frame();
    if (px) {
        SDL_Rect solid = box_named("solid");
        SDL_Rect tab = {box_named("missed").x, solid.y - 4 * ui_unit(u),
                        box_named("excellent").x + box_named("excellent").w - box_named("missed").x,
                        4 * ui_unit(u)};
        CHECK_MSG(count_color(px, ui_w(u), tab, t->good) == 0, "%s: a tab while unsure", size_name);
        CHECK_MSG(count_color(px, ui_w(u), box_named("status"), t->warn) > 0,
                  "%s: the status does not say it is unsure", size_name);
        free(px);
    }
    ui_present(u);

    /* A second attempt: "Attempt 2", Compare offered, the note on how it counts. */
    review_view again = ready;
    again.attempt = 2;
    again.has_earlier = 1;
    again.selected = REVIEW_HIT_COMPARE;
    again.attempt_note = "Attempt 2 is practice: its grade is kept with it; your level counts "
                         "a question's first attempt only.";
    screen_review(u, &again);
    check_frame("review-attempt2");

    review_view running = ready;
    running.analysis_state = REVIEW_ANALYSIS_RUNNING;
    running.words = NULL;
    running.nwords = 0;
    running.pace = running.pauses = NULL;
    running.delivery = NULL;
    running.npauses = 0;
    running.selected = -1;
    screen_review(u, &running);
    check_frame("review-analysing");

    review_view silent = running;
    silent.analysis_state = REVIEW_ANALYSIS_NO_SPEECH;
    silent.suggested = 0;
    silent.selected = 0;
    screen_review(u, &silent);
    check_frame("review-no-speech");

    /* Hostile: more key points than fit, a long topic, no recording but a notice. */
    const char *many[14];
    int cov[14];
    for (int i = 0; i < 14; i++)
        many[i] = long_keys[i % 6], cov[i] = i % 2;
    review_view lots = ready;
    lots.topic = "Networking and distributed systems at planetary scale, with consensus";
    lots.keys = many;
    lots.key_covered = cov;
    lots.key_heard = NULL;
    lots.nkeys = 14;
    lots.has_recording = 0;
    lots.notice = "No microphone: this answer was not recorded, so nothing could be analysed";
    screen_review(u, &lots);
    check_frame("review-many");
    review_view lots_empty = lots;
    lots_empty.keys = empty;
    d = diff_box(&lots, &lots_empty);
    CHECK_MSG(inside(d, box_named("keys")), "%s: 14 key points drew at %d,%d %dx%d", size_name,
              d.x, d.y, d.w, d.h);

    /* Zero-initialised teaching fields: the review still draws (no transcript, no pace). */
    review_view old = {.topic = "SQL", .level = 2, .question = "What is an index?",
                       .keys = long_keys, .nkeys = 4, .selected = -1, .hint = "Enter: save"};
    screen_review(u, &old);
    check_frame("review-plain");
}

/* ---- compare -------------------------------------------------------------------------------- */

static void test_compare(void)
{
    static const int first[] = {1, 0, 0, 1, 0, 0}, second[] = {1, 1, 1, 1, 0, 1};
    compare_view v = {
        .question = long_text,
        .keys = long_keys,
        .nkeys = 6,
        .side = {{1, "14:03", 1, 1, first, 2, "182 words/min", 48},
                 {2, "14:05", -1, 1, second, 5, "151 words/min", 61}},
        .playing = 1,
        .play_pos = 12,
        .play_len = 61,
        .focus = 0,
        .hint = "Enter: select · Left/Right: choose · P: play both · Esc: back to the review",
    };
    screen_compare(u, &v);
    check_frame("compare");
    SDL_Rect r[16];
    const char *nm[16];
    int n = screen_compare_boxes(u, r, nm, 16), w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    for (int i = 0; i < n; i++) {
        CHECK_MSG(r[i].x >= 2 * U && r[i].y >= 2 * U && r[i].x + r[i].w <= w - 2 * U &&
                      r[i].y + r[i].h <= h - 2 * U, "compare %s: %s leaves the screen",
                  size_name, nm[i]);
        for (int j = i + 1; j < n; j++)
            CHECK_MSG(!SDL_HasIntersection(&r[i], &r[j]), "compare %s: %s overlaps %s",
                      size_name, nm[i], nm[j]);
    }
    for (int b = 0; b < 2; b++) {
        int found = 0;
        for (int y = 0; y < h && !found; y += 3)
            for (int x = 0; x < w && !found; x += 3)
                found = screen_compare_hit(u, x, y) == b;
        CHECK_MSG(found, "compare %s: button %d not found", size_name, b);
    }
    /* Ticks of both attempts: more good pixels in the second column than in the first. */
    Uint32 *px = read_frame();
    if (px) {
        CHECK(count_color(px, w, r[2], ui_colors(u)->good) > 0);
        CHECK(count_color(px, w, r[2], ui_colors(u)->warn) > 0);
        free(px);
    }
    ui_present(u);
    compare_view idle = v;
    idle.playing = -1;
    idle.side[0].analysed = 0;
    idle.focus = 1;
    idle.notice = NULL;
    screen_compare(u, &idle);
    check_frame("compare-idle");
}

static void test_figures(void)
{
    static const session_figures f[] = {
        {0.40, 110, 3.0}, {0.48, 118, 2.1}, {-1, 0, -1}, {0.52, 124, 1.8}, {1.2, 131, 1.6}};
    char b[64] = "";
    CHECK(figures_join(b, sizeof b, f, 5, 3, FIGURE_COVERAGE, ", ") == 3);
    CHECK_STR(b, "48%, 52%, 100%"); /* more than all is shown as all */
    b[0] = '\0';
    CHECK(figures_join(b, sizeof b, f, 5, 9, FIGURE_WPM, " → ") == 4);
    CHECK_STR(b, "110 → 118 → 124 → 131");
    b[0] = '\0';
    CHECK(figures_join(b, sizeof b, f, 3, 2, FIGURE_FILLERS, ", ") == 2);
    CHECK_STR(b, "3.0, 2.1");
    b[0] = '\0';
    CHECK(figures_join(b, sizeof b, f + 2, 1, 3, FIGURE_COVERAGE, ", ") == 0);
    CHECK_STR(b, "");
    CHECK(figures_join(b, sizeof b, NULL, 0, 3, FIGURE_WPM, ", ") == 0);
    char small[8] = "";
    figures_join(small, sizeof small, f, 5, 5, FIGURE_WPM, ", ");
    CHECK(strlen(small) == 7); /* cut, terminated */
    session_figures none = {0, 0, 0};
    CHECK(figure_known(&none, FIGURE_COVERAGE) && !figure_known(&none, FIGURE_WPM) &&
          !figure_known(&none, FIGURE_FILLERS));
}

/* ---- summary -------------------------------------------------------------------------------- */

static void test_summary(void)
{
    static const char *const topics[] = {"Concurrency", "SQL",
                                         "Networking and distributed systems at planetary scale"};
    static const double th[] = {0.8, -0.4, 0.1}, se[] = {0.35, 0.4, 0.6};
    static const int n[] = {5, 4, 1};
    static const session_figures prev[] = {
        {0.40, 110, 3.0}, {0.48, 118, 2.1}, {-1, 0, -1}, {0.52, 124, 1.8}, {0.55, 131, 1.6}};
    summary_view a = {
        .asked = 10, .graded = 9, .theta_start = -0.2, .se_start = 0.6, .theta_now = 0.31,
        .se_now = 0.38, .talk_s = 412, .ntopics = 3, .topic = topics, .topic_theta = th,
        .topic_se = se, .topic_n = n, .reason = "10 questions asked", .hint = "Enter: home",
        .keys_covered = 14, .keys_total = 23, .wpm = 128, .fillers_per_min = 1.5,
        .prev = prev, .nprev = 5,
    };
    screen_summary(u, &a);
    check_frame("summary-feedback");
    summary_view b = a; /* first session: no trend */
    b.nprev = 0;
    b.reason = long_text;
    screen_summary(u, &b);
    check_frame("summary-first");
    summary_view c = a; /* analysis off: the old screen */
    c.keys_total = 0;
    c.wpm = 0;
    screen_summary(u, &c);
    check_frame("summary-plain");
    /* The session's questions with grade, what was heard and the attempt. */
    static const summary_question qs[] = {
        {"What is a goroutine?", 3, 1, 1, 4, 4},
        {long_text, 1, 2, 1, 1, 5},
        {NULL, 0, 1, 1, 0, 3},
        {"Explain MVCC.", -1, 1, 0, 0, 0},
        {"Why does a map need a lock?", 2, 1, 1, 0, 0},
    };
    summary_view q = a;
    q.questions = qs;
    q.nquestions = 5;
    screen_summary(u, &q);
    check_frame("summary-questions");
    summary_view q1 = q; /* nothing graded: no change claimed */
    q1.graded = 0;
    q1.theta_now = q1.theta_start;
    screen_summary(u, &q1);
    check_frame("summary-questions-ungraded");
    summary_view d = c; /* a full disk: what was not saved, and why, in the warning colour */
    d.saved = 4;
    d.unsaved_why = "the disk is full";
    screen_summary(u, &d);
    check_frame("summary-unsaved");
    Uint32 *px = read_frame();
    if (px) {
        int U = ui_unit(u);
        SDL_Rect band = {0, 12 * U, ui_w(u), ui_h(u) / 2 - 12 * U}; /* above the bars */
        long nw = count_color(px, ui_w(u), band, ui_colors(u)->warn);
        CHECK_MSG(nw > 20, "%s: the summary does not say what was not saved (%ld px)", size_name,
                  nw);
        free(px);
    }
}

/* The ability change and range in words: never "-0.00" or a bare "0.90 ± 1.01". */
static void test_summary_words(void)
{
    char b[96];
    screen_summary_change_text(3, 0.2, 0.2 - 0.001, b, sizeof b);
    CHECK_STR(b, "Ability: about the same");
    screen_summary_change_text(3, -0.1, 0.02, b, sizeof b);
    CHECK_STR(b, "Ability: up a little (+0.12)");
    screen_summary_change_text(3, 0.5, 0.09, b, sizeof b);
    CHECK_STR(b, "Ability: down (-0.41)");
    screen_summary_change_text(3, -1, 0.2, b, sizeof b);
    CHECK_STR(b, "Ability: up a lot (+1.20)");
    screen_summary_change_text(0, 0.3, 0.3, b, sizeof b);
    CHECK_STR(b, "Ability: unchanged (nothing graded)");
    screen_summary_range_text(0.90, 1.01, b, sizeof b);
    CHECK_STR(b, "likely -0.1 to +1.9");
    screen_summary_range_text(-0.02, 0.4, b, sizeof b);
    CHECK_STR(b, "likely -0.4 to +0.4");
    screen_summary_range_text(0.03, 0.0, b, sizeof b);
    CHECK_STR(b, "likely 0.0 to 0.0");
}

/* The progress graph's time axis in true units: two minutes are not "1 day". */
static void test_progress_span(void)
{
    char b[64];
    screen_progress_span_text(2.0 / 1440, b, sizeof b);
    CHECK_STR(b, "2 minutes later");
    screen_progress_span_text(40.0 / 86400, b, sizeof b);
    CHECK_STR(b, "40 seconds later");
    screen_progress_span_text(0.3, b, sizeof b);
    CHECK_STR(b, "7 hours later");
    screen_progress_span_text(1.0 / 86400 / 10, b, sizeof b);
    CHECK_STR(b, "1 second later");
    screen_progress_span_text(12.4, b, sizeof b);
    CHECK_STR(b, "12 days later");
}

/* ---- progress ------------------------------------------------------------------------------- */

enum { NROWS = 40 };

typedef struct {
    progress_point overall[40], topic[8], single[1];
    progress_row rows[NROWS];
    char when[NROWS][32];
} progress_data;

static void make_progress(progress_data *d)
{
    for (int i = 0; i < 40; i++) /* climbing from below -3 - the band must widen the axis */
        d->overall[i] = (progress_point){100 + i * 0.7, -3.2 + i * 0.12, 1.6 - i * 0.035};
    for (int i = 0; i < 8; i++)
        d->topic[i] = (progress_point){200 + i * 3, 0.5 - (i % 3) * 0.4, 0.9 - i * 0.05};
    d->single[0] = (progress_point){300, 0.4, 0.8};
    static const char *const topics[] = {"Concurrency",
                                         "Networking and distributed systems "
                                         "at planetary scale",
                                         "SQL"};
    for (int i = 0; i < NROWS; i++) {
        snprintf(d->when[i], sizeof d->when[i], "%d Nov 14:%02d", 28 - i / 2, (i * 7) % 60);
        d->rows[i] = (progress_row){d->when[i], topics[i % 3],
                                    i % 7 == 3   ? NULL
                                    : i % 2 == 0 ? long_text
                                                 : "What is a mutex?",
                                    i % 5 - 1, i % 3 != 1,
                                    /* rows 0-2: three attempts at one question, heard 1..3 */
                                    i < 3 ? 3 - i : 1, i < 3 ? 3 : 1, i % 4 != 2, i % 4, 4};
    }
}

/* Probes the window: Back and the graph are found; rows are consecutive, in order down the
 * screen, tall enough to touch, and include the focused row. */
static int probe_progress(const progress_view *v, const char *name)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), step = U / 2 > 1 ? U / 2 : 1;
    int back = 0, graph = 0, lo = NROWS, hi = -1;
    int top[NROWS], bot[NROWS];
    for (int i = 0; i < NROWS; i++)
        top[i] = 1 << 30, bot[i] = -1;
    for (int y = 0; y < h; y += step)
        for (int x = 0; x < w; x += step) {
            int i = screen_progress_hit(u, v, x, y);
            back |= i == SCREEN_PROGRESS_BACK;
            graph |= i == SCREEN_PROGRESS_GRAPH;
            if (i >= 0 && i < v->nrows) {
                lo = i < lo ? i : lo, hi = i > hi ? i : hi;
                top[i] = y < top[i] ? y : top[i], bot[i] = y > bot[i] ? y : bot[i];
            } else {
                CHECK(i == -1 || i == SCREEN_PROGRESS_BACK || i == SCREEN_PROGRESS_GRAPH);
            }
        }
    CHECK_MSG(back && graph, "%s %s: back %d graph %d", name, size_name, back, graph);
    if (v->nrows > 0) {
        CHECK_MSG(hi >= lo && hi - lo >= 2, "%s %s: rows %d..%d", name, size_name, lo, hi);
        if (v->focus >= 0)
            CHECK_MSG(v->focus >= lo && v->focus <= hi, "%s %s: focused row %d not in %d..%d", name,
                      size_name, v->focus, lo, hi);
        for (int i = lo; i <= hi; i++) {
            CHECK_MSG(bot[i] >= 0, "%s %s: row %d missing", name, size_name, i);
            CHECK(bot[i] - top[i] + step >= 9 * U);
            if (i > lo)
                CHECK(top[i] > bot[i - 1]);
        }
    } else {
        CHECK(hi == -1);
    }
    CHECK(screen_progress_hit(u, v, 0, 0) == -1);
    CHECK(screen_progress_hit(u, v, w / 2, h - 1) == -1);
    return hi >= lo ? hi - lo + 1 : 0;
}

static void test_progress(void)
{
    static progress_data d;
    make_progress(&d);
    progress_view a = {
        .title = "Progress: alex",
        .series = {"Overall", d.overall, 40},
        .series_label = "Overall (1 of 3)",
        .rows = d.rows,
        .nrows = NROWS,
        .focus = SCREEN_PROGRESS_GRAPH,
        .playing_row = 1,
        .play_pos = 5,
        .play_len = 12,
        .hint = "Up/Down: move  ·  Enter on the graph: next topic  ·  Enter on an answer: play",
    };
    screen_progress(u, &a);
    check_frame("progress");
    int shown = probe_progress(&a, "progress");
    /* A full-HD screen is read from as close as the 7-inch one: it shows more answers. */
    if (ui_w(u) == 1920 && ui_h(u) == 1080)
        CHECK_MSG(shown >= 5, "1920x1080: %d answers fit, expected 5 or more", shown);

    progress_view b = a;
    b.title = "Progress: Maximilian Alexander von Hohenberg-Wittelsbach the third of his name";
    b.series = (progress_series){"Networking", d.topic, 8};
    b.series_label = "Networking and distributed systems at planetary scale, with consensus "
                     "(2 of 3)";
    b.focus = NROWS - 1;
    b.playing_row = NROWS - 1;
    b.notice = "Recordings are kept for 30 days; older answers keep their grade but lose the "
               "sound, so play them soon if you want to hear them again";
    screen_progress(u, &b);
    check_frame("progress-rows");
    probe_progress(&b, "progress-rows");

    progress_view c = a;
    c.series = (progress_series){"SQL", d.single, 1};
    c.series_label = "SQL (3 of 3)";
    c.focus = SCREEN_PROGRESS_BACK;
    c.playing_row = -1;
    screen_progress(u, &c);
    check_frame("progress-single");
    probe_progress(&c, "progress-single");

    static const session_figures figs[] = {{0.40, 110, 3.0}, {0.48, 118, 2.1}, {-1, 0, -1},
                                           {0.52, 124, 1.8}, {0.55, 131, 1.6}, {0.61, 128, 1.5}};
    progress_view f = a;
    f.level_text = "Answers level-3 questions solidly and level-4 questions in part";
    f.topics_text = "Strongest: Concurrency · weakest: SQL · 1 topic needs more answers";
    f.next_text = "Practise next: SQL, level-3 questions";
    f.sessions = figs;
    f.nsessions = 6;
    screen_progress(u, &f);
    check_frame("progress-described");
    shown = probe_progress(&f, "progress-described");
    if (ui_w(u) == 1920 && ui_h(u) == 1080)
        CHECK_MSG(shown >= 4, "1920x1080 described: %d answers fit, expected more than 3", shown);
    f.focus = 20;
    f.notice = b.notice;
    f.level_text = long_text;
    f.topics_text = long_text;
    f.next_text = long_text;
    screen_progress(u, &f);
    check_frame("progress-described-long");
    probe_progress(&f, "progress-described-long");

    progress_view e = {.title = "Progress: new",
                       .series = {"Overall", NULL, 0},
                       .series_label = "Overall",
                       .focus = SCREEN_PROGRESS_BACK,
                       .playing_row = -1,
                       .hint = "Enter: back"};
    screen_progress(u, &e);
    check_frame("progress-empty");
    probe_progress(&e, "progress-empty");
}

/* ---- the answer's pause ("Still thinking?") --------------------------------------------- */

/* Pixels of colour c in the frame. */
static long count_colour(SDL_Color c)
{
    int w = ui_w(u), h = ui_h(u);
    Uint32 *px = malloc((size_t)w * h * sizeof *px);
    if (!px || SDL_RenderReadPixels(ui_renderer(u), NULL, SDL_PIXELFORMAT_ARGB8888, px, w * 4)) {
        free(px);
        return -1;
    }
    Uint32 want = 0xFF000000u | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    long n = 0;
    for (long i = 0; i < (long)w * h; i++)
        n += (px[i] | 0xFF000000u) == want;
    free(px);
    return n;
}

/* The answer screen with and without the pause: paused, the prompt's band (framed in the
 * warning colour) and the ring's countdown show; not paused, neither does. */
static void test_question_pause(void)
{
    question_view v = {
        .topic = "Concurrency", .level = 3, .question = long_text, .phase = PHASE_ANSWER,
        .seconds_left = 95, .phase_seconds = 120, .number = 2, .total = 10, .recording = 1,
        .level_db = -70, .hint = "Enter: end the answer · Esc: stop",
    };
    screen_question(u, &v);
    long plain = count_colour(ui_colors(u)->warn);
    ui_present(u);
    v.pause_prompt = "Still thinking? Keep talking, or press select to finish (or say "
                     "\"finish answer\")";
    v.pause_left = 7.4;
    v.pause_seconds = 12;
    screen_question(u, &v);
    long paused = count_colour(ui_colors(u)->warn);
    CHECK_MSG(plain == 0 && paused > (long)ui_unit(u) * ui_unit(u) * 20,
              "%s: warning-coloured pixels %ld without the pause, %ld with it", size_name,
              plain, paused);
    check_frame("answer-paused");
}

int main(void)
{
    static const int sizes[][2] = {
        {800, 480}, {1920, 1080}, {480, 800}, {720, 1280}, {1080, 1920}, {3840, 2160}};
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    RUN(test_keyboard_keys);
    RUN(test_figures);
    RUN(test_summary_words);
    RUN(test_progress_span);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        ui_options o = {.width = sizes[k][0], .height = sizes[k][1], .title = "test_screens"};
        int no_display = 0;
        char err[512];
        if (ui_open(&o, &u, &no_display, err, sizeof err) != 0) {
            if (no_display) {
                printf("skipped: %s\n", err);
                return 0;
            }
            fprintf(stderr, "ui_open: %s\n", err);
            return 1;
        }
        snprintf(size_name, sizeof size_name, "%dx%d", ui_w(u), ui_h(u));
        CHECK(ui_w(u) == sizes[k][0] && ui_h(u) == sizes[k][1]);
        RUN(test_menu);
        RUN(test_keyboard);
        RUN(test_pin);
        RUN(test_review);
        RUN(test_compare);
        RUN(test_summary);
        RUN(test_progress);
        RUN(test_recover);
        RUN(test_question_pause);
        ui_close(u);
        u = NULL;
    }
    return check_summary("screens");
}
