/* screen_question.c: the question screen: header (topic, level, progress), the question text
 * fitted to the screen, a countdown ring with the seconds, the microphone level and hints.
 * Layout is in units of 1/100 of the shorter side; portrait puts the ring under the text. */
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

void screen_question(ui *u, const question_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int portrait = h > w;
    int margin = 4 * U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);

    /* Header: topic and level on the left, progress on the right. */
    char buf[128];
    int small = 5 * U;
    snprintf(buf, sizeof buf, "%s  ·  level %d", v->topic, v->level);
    ui_text(u, buf, small, t->dim, margin, margin, UI_LEFT);
    if (v->total > 0)
        snprintf(buf, sizeof buf, "Question %d of %d", v->number, v->total);
    else
        snprintf(buf, sizeof buf, "Question %d", v->number);
    ui_text(u, buf, small, t->dim, w - margin, margin, UI_RIGHT);

    /* Countdown ring: right column in landscape, bottom band in portrait. */
    int ring_r = portrait ? 20 * U : 16 * U;
    int hint_h = 8 * U;
    int ring_cx, ring_cy;
    SDL_Rect text_box;
    if (portrait) {
        ring_cx = w / 2;
        ring_cy = h - hint_h - margin - ring_r;
        text_box = (SDL_Rect){margin, margin + 9 * U, w - 2 * margin,
                              ring_cy - ring_r - margin - (margin + 9 * U)};
    } else {
        ring_cx = w - margin - ring_r - 4 * U;
        ring_cy = h / 2;
        text_box = (SDL_Rect){margin, margin + 9 * U, ring_cx - ring_r - 2 * margin - margin,
                              h - (margin + 9 * U) - hint_h - margin - (v->notice ? 7 * U : 0)};
    }
    if (v->pause_prompt)
        pause_band(u, v, &text_box);
    ui_text_box(u, v->question, text_box, 10 * U, 4 * U, t->text, UI_LEFT);
    if (v->notice)
        ui_text_box(u, v->notice,
                    (SDL_Rect){margin, text_box.y + text_box.h + U, w - 2 * margin, 7 * U},
                    5 * U, 3 * U, t->warn, UI_LEFT);

    /* Paused, the ring counts down to the end the silence will make. */
    int pause_ring = v->pause_prompt && v->pause_seconds > 0;
    double left = pause_ring ? v->pause_left : v->seconds_left;
    double frac = pause_ring              ? v->pause_left / v->pause_seconds
                  : v->phase_seconds > 0 ? v->seconds_left / v->phase_seconds
                                          : 0;
    SDL_Color ring_c = v->phase == PHASE_THINK || v->phase == PHASE_SPEAK ? t->accent
                       : (v->phase == PHASE_ANSWER && (left <= 15 || pause_ring)) ? t->warn
                                                                                 : t->good;
    ui_ring(u, ring_cx, ring_cy, ring_r, 3 * U, frac, ring_c, t->panel);
    int secs = (int)ceil(left);
    if (v->phase == PHASE_OVER)
        snprintf(buf, sizeof buf, "0:00");
    else if (v->phase == PHASE_SPEAK)
        snprintf(buf, sizeof buf, "♪");
    else
        snprintf(buf, sizeof buf, "%d:%02d", secs / 60, secs % 60);
    int big = ring_r * 55 / 100, bw, bh;
    ui_text_size(u, buf, big, &bw, &bh);
    ui_text(u, buf, big, t->text, ring_cx, ring_cy - bh / 2 - U, UI_CENTER);
    const char *label = v->phase == PHASE_SPEAK    ? "listen"
                        : v->phase == PHASE_THINK  ? "think"
                        : pause_ring               ? "ends in"
                        : v->phase == PHASE_ANSWER ? (v->recording ? "answer · recording"
                                                                   : "answer")
                                                   : "time is up";
    SDL_Color label_c = pause_ring ? t->warn
                        : v->phase == PHASE_ANSWER && v->recording ? t->bad
                                                                    : t->dim;
    ui_text(u, label, ring_r * 22 / 100, label_c, ring_cx, ring_cy + bh / 2 - U, UI_CENTER);
    if (v->recording) {
        /* A red dot beside the ring: visible from across the room. */
        int d = 4 * U;
        ui_fill(u, (SDL_Rect){ring_cx - ring_r, ring_cy - ring_r, d, d}, t->bad);
        level_meter(u, (SDL_Rect){ring_cx + ring_r + 2 * U, ring_cy - ring_r, 2 * U, 2 * ring_r},
                    v->level_db);
    }

    if (v->hint)
        ui_text_box(u, v->hint, (SDL_Rect){margin, h - margin - 5 * U, w - 2 * margin, 6 * U},
                    4 * U, 2 * U, t->dim, UI_CENTER);
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
