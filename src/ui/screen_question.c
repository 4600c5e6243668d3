/* screen_question.c: the question screen: header (topic, level, progress), the question text
 * fitted to the screen, a countdown ring with the seconds, the microphone level and hints.
 * Layout is in units of 1/100 of the shorter side; portrait puts the ring under the text.
 * Every text has its own box and no two boxes share pixels (tests/ui/test_layout.c). */
#include <math.h>
#include <stdio.h>

#include "screens.h"

static void level_meter(ui *u, SDL_Rect r, double db)
{
    const ui_theme *t = ui_colors(u);
    ui_fill(u, r, t->panel);
    if (isnan(db))
        return;
    double f = (db + 60.0) / 60.0; /* -60 dBFS .. 0 dBFS */
    if (f < 0)
        f = 0;
    if (f > 1)
        f = 1;
    SDL_Rect bar = {r.x, r.y + r.h - (int)(r.h * f), r.w, (int)(r.h * f)};
    ui_fill(u, bar, db > -3.0 ? t->bad : db < -45.0 ? t->dim : t->good);
}

/* Header: the progress ("Question 2 of 10") on the right at its own width, topic and level in
 * the rest, on one line when they fit, else wrapped or shrunk: never under the progress. */
static void header(ui *u, const question_view *v, int margin)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), U = ui_unit(u), small = 5 * U;
    char topic[160], progress[48];
    snprintf(topic, sizeof topic, "%s  ·  level %d", v->topic ? v->topic : "", v->level);
    if (v->total > 0)
        snprintf(progress, sizeof progress, "Question %d of %d", v->number, v->total);
    else
        snprintf(progress, sizeof progress, "Question %d", v->number);
    int pw, ph, lw, skip;
    ui_text_size(u, progress, small, &pw, &ph);
    ui_text_size(u, "", small, &lw, &skip);
    ui_text(u, progress, small, t->dim, w - margin, margin, UI_RIGHT);
    int room = w - 2 * margin - pw - 3 * U;
    int one = ui_text_lines(u, topic, small, room) <= 1;
    ui_text_box(u, topic, (SDL_Rect){margin, margin, room, one ? skip : 8 * U}, small, 3 * U,
                t->dim, UI_LEFT);
}

/* Where the parts go. Landscape: the question on the left, the ring in a right column with its
 * label under it. Portrait: the question, then the notice, the ring, its label and the hints
 * stacked, each in its own band (the label never inside the ring's band). */
typedef struct {
    SDL_Rect text, notice, label, hint;
    int ring_cx, ring_cy, ring_r;
} question_layout;

static void layout(ui *u, const question_view *v, question_layout *L)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), margin = 4 * U;
    int portrait = h > w;
    int hint_h = portrait ? 9 * U : 6 * U, label_h = 6 * U;
    int top = margin + 9 * U;
    L->hint = (SDL_Rect){margin, h - margin - hint_h, w - 2 * margin, hint_h};
    if (v->hint && !portrait) /* one line: as before, reaching into the lower margin */
        L->hint.y = h - margin - 5 * U;
    if (portrait) {
        L->ring_r = 20 * U;
        L->ring_cx = w / 2;
        L->label = (SDL_Rect){margin, L->hint.y - 2 * U - label_h, w - 2 * margin, label_h};
        L->ring_cy = L->label.y - U - L->ring_r;
        int bottom = L->ring_cy - L->ring_r - 2 * U;
        L->notice = (SDL_Rect){margin, bottom - 9 * U, w - 2 * margin, 9 * U}; /* 2 lines */
        if (v->notice)
            bottom = L->notice.y - U;
        L->text = (SDL_Rect){margin, top, w - 2 * margin, bottom - top};
    } else {
        L->ring_r = 16 * U;
        L->ring_cx = w - margin - L->ring_r - 4 * U;
        L->ring_cy = h / 2;
        L->label = (SDL_Rect){L->ring_cx - L->ring_r - 3 * U, L->ring_cy + L->ring_r + U,
                              2 * L->ring_r + 6 * U, label_h};
        int tw = L->ring_cx - L->ring_r - 3 * margin;
        int bottom = h - hint_h - margin - (v->notice ? 7 * U : 0);
        L->text = (SDL_Rect){margin, top, tw, bottom - top};
        L->notice = (SDL_Rect){margin, bottom + U, w - 2 * margin, 7 * U};
        if (L->notice.x + L->notice.w > L->label.x && L->notice.y < L->label.y + L->label.h)
            L->notice.w = tw; /* a short screen: the notice stays left of the ring's label */
    }
}

/* The answer's pause: "Still thinking? ..." in a framed band (the question's box gives up its
 * foot for it, so nothing overlaps). */
enum { PAUSE_BAND_UNITS = 16 };
static void pause_band(ui *u, const question_view *v, SDL_Rect *text_box)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    int bh = PAUSE_BAND_UNITS * U;
    if (bh > text_box->h / 2)
        bh = text_box->h / 2;
    text_box->h -= bh + U;
    SDL_Rect band = {text_box->x, text_box->y + text_box->h + U, text_box->w, bh};
    ui_fill(u, band, t->panel);
    ui_frame(u, band, U / 2 > 0 ? U / 2 : 1, t->warn);
    SDL_Rect in = {band.x + 2 * U, band.y + U, band.w - 4 * U, band.h - 2 * U};
    ui_text_box(u, v->pause_prompt, in, 7 * U, 3 * U, t->text, UI_LEFT);
}

/* The phase under the ring: "answer · recording" on one line when it fits there, else the two
 * words on two lines. */
static void ring_label(ui *u, const question_view *v, const question_layout *L, int pause_ring)
{
    const ui_theme *t = ui_colors(u);
    int px = L->ring_r * 22 / 100;
    const char *label = v->phase == PHASE_SPEAK    ? "listen"
                        : v->phase == PHASE_THINK  ? "think"
                        : pause_ring               ? "ends in"
                        : v->phase == PHASE_ANSWER ? (v->recording ? "answer · recording"
                                                                   : "answer")
                                                   : "time is up";
    SDL_Color c = pause_ring                                 ? t->warn
                  : v->phase == PHASE_ANSWER && v->recording ? t->bad
                                                             : t->dim;
    int lw, lh;
    ui_text_size(u, label, px, &lw, &lh);
    if (lw > L->label.w && v->phase == PHASE_ANSWER && v->recording)
        label = "answer\nrecording";
    ui_text_box(u, label, L->label, px, px * 6 / 10, c, UI_CENTER);
}

void screen_question(ui *u, const question_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);
    header(u, v, margin);

    question_layout L;
    layout(u, v, &L);
    if (v->pause_prompt)
        pause_band(u, v, &L.text);
    ui_text_box(u, v->question, L.text, 10 * U, 4 * U, t->text, UI_LEFT);
    if (v->notice)
        ui_text_box(u, v->notice, L.notice, 5 * U, 3 * U, t->warn, UI_LEFT);

    /* Countdown ring: the time inside, the phase under it. Paused, the ring counts down to
     * the end the silence will make. */
    int pause_ring = v->pause_prompt && v->pause_seconds > 0;
    double left = pause_ring ? v->pause_left : v->seconds_left;
    double frac = pause_ring              ? v->pause_left / v->pause_seconds
                  : v->phase_seconds > 0 ? v->seconds_left / v->phase_seconds
                                          : 0;
    SDL_Color ring_c = v->phase == PHASE_THINK || v->phase == PHASE_SPEAK ? t->accent
                       : (v->phase == PHASE_ANSWER && (left <= 15 || pause_ring)) ? t->warn
                                                                                 : t->good;
    ui_ring(u, L.ring_cx, L.ring_cy, L.ring_r, 3 * U, frac, ring_c, t->panel);
    char buf[32];
    int secs = (int)ceil(left);
    if (v->phase == PHASE_OVER)
        snprintf(buf, sizeof buf, "0:00");
    else if (v->phase == PHASE_SPEAK)
        snprintf(buf, sizeof buf, "♪");
    else
        snprintf(buf, sizeof buf, "%d:%02d", secs / 60, secs % 60);
    int big = L.ring_r * 55 / 100, bw, bh;
    ui_text_size(u, buf, big, &bw, &bh);
    ui_text(u, buf, big, t->text, L.ring_cx, L.ring_cy - bh / 2, UI_CENTER);
    ring_label(u, v, &L, pause_ring);
    if (v->recording) {
        /* A red dot beside the ring: visible from across the room. */
        int d = 4 * U;
        ui_fill(u, (SDL_Rect){L.ring_cx - L.ring_r, L.ring_cy - L.ring_r, d, d}, t->bad);
        level_meter(u, (SDL_Rect){L.ring_cx + L.ring_r + 2 * U, L.ring_cy - L.ring_r, 2 * U,
                                  2 * L.ring_r},
                    v->level_db);
    }

    if (v->hint)
        ui_text_box(u, v->hint, L.hint, 4 * U, 2 * U, t->dim, UI_CENTER);
}

void screen_message(ui *u, const char *title, const char *body, const char *hint)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);
    ui_text_box(u, title, (SDL_Rect){6 * U, 8 * U, w - 12 * U, 16 * U}, 9 * U, 5 * U, t->text,
                UI_CENTER);
    if (body)
        ui_text_box(u, body, (SDL_Rect){8 * U, 28 * U, w - 16 * U, h - 48 * U}, 6 * U, 3 * U,
                    t->dim, UI_CENTER);
    if (hint)
        ui_text(u, hint, 4 * U, t->accent, w / 2, h - 10 * U, UI_CENTER);
}
