/* test_screens.c: the menu, keyboard and progress screens drawn in a real SDL window on the
 * offscreen driver at several sizes, with realistic and hostile data (very long strings, 40
 * answers, several series). Checks are structural: touches found by probing the hit functions
 * land on items, keys and rows in order, big enough to touch and inside the window; nothing
 * is drawn in the outer margin (where overflowing text would show); the frame is not blank.
 * Each frame is also saved as screens-<name>-<W>x<H>.png for a person to look at. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
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
                                    i % 5 - 1, i % 3 != 1};
    }
}

/* Probes the window: Back and the graph are found; rows are consecutive, in order down the
 * screen, tall enough to touch, and include the focused row. */
static void probe_progress(const progress_view *v, const char *name)
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
    probe_progress(&a, "progress");

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

int main(void)
{
    static const int sizes[][2] = {
        {800, 480}, {1920, 1080}, {480, 800}, {1080, 1920}, {3840, 2160}};
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    RUN(test_keyboard_keys);
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
        RUN(test_progress);
        ui_close(u);
        u = NULL;
    }
    return check_summary("screens");
}
