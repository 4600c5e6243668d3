/* screen_review.c: after the answer: the question (small), a status line (analysing, how many
 * key points were heard, or no speech), the delivery line, the key points a strong answer
 * covers (each ticked when heard, an empty box when not, with the terms heard in small text
 * where they fit), the recording's waveform with the play position, and the four grade
 * buttons, the suggested one tinted and tabbed.
 *
 * Everything is laid out top-down from the window size; the key points take what is left,
 * in rows of equal height that all use one text size (a column reads as a list only when its
 * lines match), shrinking to a floor that stays readable from two metres and then cutting
 * with "...". */
#include <stdio.h>
#include <string.h>

#include "screens.h"

static const char *const grade_names[4] = {"missed", "partial", "solid", "excellent"};

enum { MAX_ROWS = 16 };

/* The four buttons along the bottom, sized from the screen. */
static SDL_Rect button_rect(ui *u, int g)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U, gap = 2 * U;
    int bh = 14 * U, bw = (w - 2 * margin - 3 * gap) / 4;
    return (SDL_Rect){margin + g * (bw + gap), h - margin - 6 * U - bh, bw, bh};
}

int screen_review_hit(ui *u, int x, int y)
{
    for (int g = 0; g < 4; g++) {
        SDL_Rect r = button_rect(u, g);
        SDL_Point pt = {x, y};
        if (SDL_PointInRect(&pt, &r))
            return g;
    }
    return -1;
}

static SDL_Color grade_color(const ui_theme *t, int g)
{
    return g == 0 ? t->bad : g == 1 ? t->warn : g == 2 ? t->good : t->accent;
}

static int marked(const review_view *v)
{
    return v->analysis_state == REVIEW_ANALYSIS_READY && v->key_covered;
}

/* "heard: mutex, lock", "heard", "not heard", or "" when the rows are unmarked. */
static const char *heard_text(const review_view *v, int k, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!marked(v))
        return buf;
    if (!v->key_covered[k])
        snprintf(buf, len, "not heard");
    else if (v->key_heard && v->key_heard[k] && *v->key_heard[k])
        snprintf(buf, len, "heard: %s", v->key_heard[k]);
    else
        snprintf(buf, len, "heard");
    return buf;
}

/* The marker left of a key point, a square of side s: a tick on the good colour when heard,
 * an empty box in the warning colour when not (a checklist), a small dot when unmarked. */
static void marker(ui *u, const review_view *v, int k, int x, int y, int s)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    if (!marked(v)) {
        int d = s / 3 > 2 ? s / 3 : 2;
        ui_fill(u, (SDL_Rect){x + (s - d) / 2, y + (s - d) / 2, d, d}, t->dim);
        return;
    }
    SDL_Rect r = {x, y, s, s};
    if (v->key_covered[k]) {
        ui_fill(u, r, t->good);
        float lw = s / 7.0f > 2 ? s / 7.0f : 2;
        ui_line(u, x + s * 0.24f, y + s * 0.52f, x + s * 0.42f, y + s * 0.72f, lw, t->bg);
        ui_line(u, x + s * 0.42f, y + s * 0.72f, x + s * 0.78f, y + s * 0.28f, lw, t->bg);
    } else {
        ui_frame(u, r, U / 3 > 2 ? U / 3 : 2, t->warn);
    }
}

/* The key points in `area`: rows of equal height, one text size for all. */
static void key_rows(ui *u, const review_view *v, SDL_Rect area)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    int n = v->nkeys < MAX_ROWS ? v->nkeys : MAX_ROWS;
    if (n <= 0 || !v->keys || area.h <= 0)
        return;
    /* Rows no shorter than one line at the floor size; what does not fit is counted. */
    int floor_px = 3 * U + U / 2, big_px = 6 * U, small_px = 3 * U + U / 2;
    int fw, floor_h, sw, small_h;
    ui_text_size(u, "", floor_px, &fw, &floor_h);
    ui_text_size(u, "", small_px, &sw, &small_h);
    int shown = n;
    while (shown > 1 && area.h / shown < floor_h + U / 2)
        shown--;
    int more = v->nkeys - shown;
    int rows = shown + (more > 0);
    /* Rows share the area; a few short key points keep to 16 units each rather than spread
     * out, but rows that need more room for their text get all there is. */
    int rh = area.h / rows;
    if (rh > 16 * U) {
        int need = 0;
        for (int k = 0; k < shown && !need; k++)
            need = ui_text_fit(u, v->keys[k] ? v->keys[k] : "", area.w - 8 * U, 16 * U - 5 * U,
                               big_px, floor_px) < big_px;
        if (!need)
            rh = 16 * U;
    }
    int pad = rh >= floor_h + U ? U : 0; /* space between rows, when there is room */
    int s = 5 * U; /* marker side */
    if (s > rh - pad)
        s = rh - pad;
    int tx = area.x + s + 3 * U, tw = area.x + area.w - tx;

    /* One size for all rows: the largest at which every key point fits its box. The heard
     * terms get their own line unless that costs the key points more than 15% of their size
     * (or cuts them): the key points matter more. */
    char heard[MAX_ROWS][256];
    int any_heard = 0;
    for (int k = 0; k < shown; k++)
        any_heard |= *heard_text(v, k, heard[k], sizeof heard[k]) != '\0';
    int px = big_px, px_under = big_px;
    for (int k = 0; k < shown; k++) {
        const char *key = v->keys[k] ? v->keys[k] : "";
        int p = ui_text_fit(u, key, tw, rh - pad, big_px, floor_px);
        px = p < px ? p : px;
        p = ui_text_fit(u, key, tw, rh - pad - small_h, big_px, floor_px);
        px_under = p < px_under ? p : px_under;
    }
    int under = any_heard && rh - pad >= floor_h + small_h &&
                (px_under >= 4 * U || (px_under > floor_px && px_under * 100 >= px * 85));
    if (under)
        px = px_under;
    int lw, lh;
    ui_text_size(u, "", px, &lw, &lh);
    if (s > lh)
        s = lh;

    for (int k = 0; k < shown; k++) {
        int y = area.y + k * rh;
        const char *key = v->keys[k] ? v->keys[k] : "";
        int key_h = rh - pad - (under && heard[k][0] ? small_h : 0);
        /* Lines the key point takes at px, to put the marker beside its first line. */
        int lines = ui_text_lines(u, key, px, tw), room = key_h / lh;
        if (lines > room)
            lines = room;
        if (lines < 1)
            lines = 1;
        int top = y + (key_h - lines * lh) / 2; /* ui_text_box centres the lines it draws */
        if (top < y)
            top = y;
        marker(u, v, k, area.x + U, top + (lh - s) / 2, s);
        ui_text_box(u, key, (SDL_Rect){tx, top, tw, lines * lh}, px, px, t->text, UI_LEFT);
        if (!heard[k][0])
            continue;
        SDL_Color hc = v->key_covered[k] ? t->good : t->warn;
        if (under) {
            ui_text_box(u, heard[k], (SDL_Rect){tx, top + lines * lh, tw, small_h}, small_px,
                        small_px, hc, UI_LEFT);
        } else if (lines == 1) {
            /* Inline after the key point when there is room, else left out (the marker
             * still says it). */
            int kw, kh, hw, hh;
            ui_text_size(u, key, px, &kw, &kh);
            ui_text_size(u, heard[k], small_px, &hw, &hh);
            if (kw + 3 * U + hw <= tw)
                ui_text(u, heard[k], small_px, hc, tx + kw + 3 * U, top + (lh - hh) / 2 + U / 3,
                        UI_LEFT);
        }
    }
    if (more > 0) {
        char buf[64];
        snprintf(buf, sizeof buf, "and %d more key point%s", more, more == 1 ? "" : "s");
        ui_text_box(u, buf, (SDL_Rect){tx, area.y + shown * rh, tw, rh}, px, floor_px, t->dim,
                    UI_LEFT);
    }
}

/* The status line over the key points; returns its colour through *c. */
static const char *status_text(const review_view *v, char *buf, size_t len, SDL_Color *c,
                               const ui_theme *t)
{
    *c = t->text;
    switch (v->analysis_state) {
    case REVIEW_ANALYSIS_RUNNING:
        *c = t->accent;
        return "Analysing your answer...";
    case REVIEW_ANALYSIS_NO_SPEECH:
        *c = t->warn;
        return "No speech heard";
    case REVIEW_ANALYSIS_READY:
        if (v->key_covered && v->nkeys > 0) {
            int heard = 0;
            for (int k = 0; k < v->nkeys; k++)
                heard += v->key_covered[k] != 0;
            snprintf(buf, len, "Key points covered: %d of %d", heard, v->nkeys);
            return buf;
        }
        return "Answer analysed";
    default:
        *c = t->dim;
        return v->nkeys > 0 ? "Key points a strong answer covers" : NULL;
    }
}

static void grade_button(ui *u, const review_view *v, int g)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    SDL_Rect r = button_rect(u, g);
    SDL_Color c = grade_color(t, g);
    int suggested = (v->analysis_state == REVIEW_ANALYSIS_READY ||
                     v->analysis_state == REVIEW_ANALYSIS_NO_SPEECH) &&
                    v->suggested == g;
    ui_fill(u, r, t->panel);
    if (suggested) {
        SDL_Color tint = c;
        tint.a = 70;
        ui_fill(u, r, tint);
        /* A tab on top of the button, in the grade's colour: seen from across the room. */
        int tab_h = 5 * U;
        SDL_Rect tab = {r.x, r.y - tab_h, r.w, tab_h};
        ui_fill(u, tab, c);
        ui_text_box(u, "suggested", (SDL_Rect){tab.x + U, tab.y, tab.w - 2 * U, tab.h},
                    3 * U + U / 2, 2 * U, t->bg, UI_CENTER);
    }
    int selected = g == v->selected;
    ui_frame(u, r, selected ? U : suggested ? U / 2 + 1 : U / 3 + 1, selected ? t->text : c);
    char buf[8];
    snprintf(buf, sizeof buf, "%d", g);
    ui_text(u, buf, 5 * U, c, r.x + r.w / 2, r.y + U, UI_CENTER);
    ui_text_box(u, grade_names[g], (SDL_Rect){r.x + U, r.y + 7 * U, r.w - 2 * U, 6 * U}, 5 * U,
                2 * U, t->text, UI_CENTER);
}

void screen_review(ui *u, const review_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U, inner = w - 2 * margin;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);

    /* Top down: header, question, status, delivery. */
    char buf[200];
    snprintf(buf, sizeof buf, "%s  ·  level %d  ·  how did it go?", v->topic ? v->topic : "",
             v->level);
    ui_text_box(u, buf, (SDL_Rect){margin, margin, inner, 6 * U}, 4 * U + U / 2, 3 * U, t->dim,
                UI_LEFT);
    int y = margin + 7 * U;
    if (v->question)
        ui_text_box(u, v->question, (SDL_Rect){margin, y, inner, 9 * U}, 4 * U + U / 2, 3 * U,
                    t->dim, UI_LEFT);
    y += 10 * U;
    SDL_Color sc;
    const char *status = status_text(v, buf, sizeof buf, &sc, t);
    if (status) {
        int big = v->analysis_state != REVIEW_ANALYSIS_OFF;
        ui_text_box(u, status, (SDL_Rect){margin, y, inner, big ? 7 * U : 6 * U},
                    big ? 6 * U : 4 * U + U / 2, 3 * U, sc, UI_LEFT);
        y += big ? 7 * U : 6 * U;
    }
    if (v->delivery && *v->delivery) {
        /* One line if it stays readable there, else two (portrait). */
        int dh = 6 * U;
        if (ui_text_fit(u, v->delivery, inner, dh, 4 * U + U / 2, 3 * U) < 4 * U)
            dh = 11 * U;
        ui_text_box(u, v->delivery, (SDL_Rect){margin, y, inner, dh}, 4 * U + U / 2, 3 * U,
                    t->text, UI_LEFT);
        y += dh;
    }
    y += U;

    /* Bottom up: buttons (with room for the "suggested" tab), waveform or notice. */
    SDL_Rect top_btn = button_rect(u, 0);
    int wave_h = 8 * U;
    int wave_y = top_btn.y - 5 * U - 2 * U - wave_h;
    /* With a recording, a notice (what was not saved, and why) gets its own lines above the
     * waveform: it must never be hidden behind "recording 0:12". */
    int notice_h = v->has_recording && v->notice ? 10 * U : 0;
    key_rows(u, v, (SDL_Rect){margin, y, inner, wave_y - 2 * U - notice_h - y});
    if (notice_h)
        ui_text_box(u, v->notice, (SDL_Rect){margin, wave_y - U - notice_h, inner, notice_h},
                    4 * U + U / 2, 3 * U, t->warn, UI_LEFT);

    if (v->has_recording) {
        int lw, lh;
        ui_text_size(u, "playing 00:00 / 00:00", 4 * U, &lw, &lh);
        SDL_Rect strip = {margin, wave_y, inner - lw - 2 * U, wave_h};
        ui_fill(u, strip, t->panel);
        if (v->wave && v->nwave > 0) {
            int bars = strip.w / 3;
            for (int b = 0; b < bars; b++) {
                float a = v->wave[b * v->nwave / bars];
                int bh = (int)(a * (strip.h - 2)) + 1;
                SDL_Color c = v->play_len > 0 && (double)b / bars <= v->play_pos / v->play_len
                                  ? t->accent
                                  : t->dim;
                ui_fill(u, (SDL_Rect){strip.x + b * 3, strip.y + (strip.h - bh) / 2, 2, bh}, c);
            }
        }
        /* The position only: which key plays it is the hint's business. */
        if (v->playing)
            snprintf(buf, sizeof buf, "playing %d:%02d / %d:%02d", (int)v->play_pos / 60,
                     (int)v->play_pos % 60, (int)v->play_len / 60, (int)v->play_len % 60);
        else
            snprintf(buf, sizeof buf, "recording %d:%02d", (int)v->play_len / 60,
                     (int)v->play_len % 60);
        ui_text(u, buf, 4 * U, v->playing ? t->accent : t->dim, w - margin,
                wave_y + (wave_h - lh) / 2, UI_RIGHT);
    } else if (v->notice) {
        ui_text_box(u, v->notice, (SDL_Rect){margin, wave_y, inner, wave_h}, 4 * U + U / 2,
                    3 * U, t->warn, UI_LEFT);
    }

    for (int g = 0; g < 4; g++)
        grade_button(u, v, g);
    if (v->hint)
        ui_text_box(u, v->hint, (SDL_Rect){margin, h - margin - 5 * U, inner, 6 * U}, 4 * U,
                    2 * U, t->dim, UI_CENTER);
}
