/* screen_compare.c: two attempts at one question side by side (screens.h). A title and the
 * question; a table whose rows are the key points (in full, wrapped, one size for all) and
 * whose two narrow columns tick what each attempt covered; under each column its coverage,
 * grade, pace and length; "Play both" (the earlier attempt, then this one) and "Back". The
 * layout depends only on the window size (layout_of), so screen_compare_hit needs no view. */
#include <stdio.h>
#include <string.h>

#include "screens.h"

enum { READABLE_PX = 13 };

typedef struct {
    int U;
    SDL_Rect title, question, table, foot, btn[2], hint;
} layout;

static int at_least(int px, int floor_px)
{
    return px > floor_px ? px : floor_px;
}

static int min_px(int U)
{
    return at_least(3 * U, READABLE_PX);
}

/* The key points' floor, as on the review: 2.5 units, so that each is shown in full. */
static int key_min_px(int U)
{
    return at_least(5 * U / 2, READABLE_PX);
}

/* s at px in box, cut after its last whole word that fits with "..." when it does not fit.
 * Drawn through ui_text_box with the whole text so that the layout check sees a cut
 * (screen_text_words draws a shortened copy, whose cut the log cannot tell). */
static void text_at(ui *u, const char *s, SDL_Rect box, int px, SDL_Color c)
{
    ui_text_box(u, s, box, px, px, c, UI_LEFT);
}

static layout layout_of(ui *u)
{
    layout L;
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), M = 4 * U, inner = w - 2 * M;
    L.U = U;
    L.title = (SDL_Rect){M, M, inner, 7 * U};
    /* Portrait has the height for a long question in full: four lines at the floor. */
    L.question = (SDL_Rect){M, M + 7 * U, inner, (h > w ? 18 : 10) * U};
    L.hint = (SDL_Rect){M, h - M - 8 * U, inner, 8 * U};
    int bh = 12 * U, by = L.hint.y - U - bh, bw = (inner - 2 * U) / 2;
    L.btn[0] = (SDL_Rect){M, by, bw, bh};
    L.btn[1] = (SDL_Rect){M + bw + 2 * U, by, inner - bw - 2 * U, bh};
    int foot_h = h > w ? 20 * U : 14 * U;
    L.foot = (SDL_Rect){M, by - 2 * U - foot_h, inner, foot_h};
    int top = L.question.y + L.question.h + U;
    L.table = (SDL_Rect){M, top, inner, L.foot.y - U - top};
    return L;
}

int screen_compare_hit(ui *u, int x, int y)
{
    layout L = layout_of(u);
    SDL_Point pt = {x, y};
    for (int i = 0; i < 2; i++)
        if (SDL_PointInRect(&pt, &L.btn[i]))
            return i;
    return -1;
}

int screen_compare_boxes(ui *u, SDL_Rect *out, const char **names, int max)
{
    layout L = layout_of(u);
    const SDL_Rect r[] = {L.title, L.question, L.table, L.foot, L.btn[0], L.btn[1], L.hint};
    const char *const nm[] = {"title", "question", "table", "attempts", "play", "back", "hint"};
    int n = 0;
    for (size_t i = 0; i < sizeof r / sizeof r[0] && n < max; i++, n++) {
        out[n] = r[i];
        names[n] = nm[i];
    }
    return n;
}

static void tick(ui *u, int x, int y, int s, int covered, int known)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    if (!known) {
        ui_fill(u, (SDL_Rect){x + s / 2 - 2, y + s / 2 - 2, 4, 4}, t->dim);
        return;
    }
    if (covered) {
        ui_fill(u, (SDL_Rect){x, y, s, s}, t->good);
        float lw = s / 7.0f > 2 ? s / 7.0f : 2;
        ui_line(u, x + s * 0.24f, y + s * 0.52f, x + s * 0.42f, y + s * 0.72f, lw, t->bg);
        ui_line(u, x + s * 0.42f, y + s * 0.72f, x + s * 0.78f, y + s * 0.28f, lw, t->bg);
    } else {
        ui_frame(u, (SDL_Rect){x, y, s, s}, U / 3 > 2 ? U / 3 : 2, t->warn);
    }
}

static void table(ui *u, const compare_view *v, const layout *L)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    SDL_Rect a = L->table;
    int head_px = at_least(3 * U + U / 2, min_px(U)), hw, hh;
    ui_text_size(u, "Attempt 88", head_px, &hw, &hh);
    int col = a.w / 8 > hw + 2 * U ? a.w / 8 : hw + 2 * U; /* each attempt's column */
    int kw = a.w - 2 * col - 2 * U;
    for (int s = 0; s < 2; s++) {
        char buf[48];
        snprintf(buf, sizeof buf, "Attempt %d", v->side[s].attempt);
        ui_text_box(u, buf, (SDL_Rect){a.x + kw + 2 * U + s * col, a.y, col, hh}, head_px,
                    min_px(U), s == v->playing ? t->accent : t->dim, UI_CENTER);
    }
    ui_text_box(u, "Key point", (SDL_Rect){a.x, a.y, kw, hh}, head_px, min_px(U), t->dim,
                UI_LEFT);
    int y0 = a.y + hh + U, room = a.y + a.h - y0;
    if (v->nkeys <= 0 || !v->keys) {
        ui_text_box(u, "This question has no key points to compare.", (SDL_Rect){a.x, y0, a.w, room},
                    4 * U, min_px(U), t->dim, UI_LEFT);
        return;
    }
    /* One size for all rows: the largest at which every key point fits in full. */
    int px = key_min_px(U), lw, lh;
    for (int p = 4 * U + U / 2; p >= key_min_px(U); p = p * 94 / 100 < p - 1 ? p * 94 / 100 : p - 1) {
        int need = 0;
        ui_text_size(u, "Ag", p, &lw, &lh);
        for (int k = 0; k < v->nkeys; k++)
            need += (ui_text_lines(u, v->keys[k] ? v->keys[k] : "", p, kw) + 0) * lh + U;
        if (need <= room) {
            px = p;
            break;
        }
    }
    ui_text_size(u, "Ag", px, &lw, &lh);
    int s = lh < 4 * U ? lh : 4 * U, y = y0;
    for (int k = 0; k < v->nkeys; k++) {
        const char *key = v->keys[k] ? v->keys[k] : "";
        int lines = ui_text_lines(u, key, px, kw);
        if (lines < 1)
            lines = 1;
        if (y + lines * lh > a.y + a.h) {
            lines = (a.y + a.h - y) / lh;
            if (lines < 1)
                break;
        }
        text_at(u, key, (SDL_Rect){a.x, y, kw, lines * lh}, px, t->text);
        for (int i = 0; i < 2; i++) {
            const compare_side *sd = &v->side[i];
            int known = sd->analysed && sd->covered;
            tick(u, a.x + kw + 2 * U + i * col + (col - s) / 2, y + (lh - s) / 2, s,
                 known && sd->covered[k], known);
        }
        y += lines * lh + U;
        if (k + 1 < v->nkeys)
            ui_fill(u, (SDL_Rect){a.x, y - U / 2 - 1, a.w, 1}, t->panel);
    }
}

static void foot(ui *u, const compare_view *v, const layout *L)
{
    static const char *const grade[] = {"missed", "partial", "solid", "excellent"};
    const ui_theme *t = ui_colors(u);
    int U = L->U, half = (L->foot.w - 2 * U) / 2, px = at_least(3 * U + U / 2, min_px(U));
    for (int i = 0; i < 2; i++) {
        const compare_side *sd = &v->side[i];
        char buf[240];
        size_t n = (size_t)snprintf(buf, sizeof buf, "Attempt %d", sd->attempt);
        if (sd->when)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " at %s", sd->when);
        if (sd->analysed)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ": heard %d of %d", sd->ncovered,
                                  v->nkeys);
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, ": not analysed");
        if (sd->grade >= 0 && sd->grade <= 3)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " · graded %s", grade[sd->grade]);
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, " · not graded");
        if (sd->seconds > 0)
            n += (size_t)snprintf(buf + n, sizeof buf - n, " · %d:%02d", (int)sd->seconds / 60,
                                  (int)sd->seconds % 60);
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, " · no recording");
        if (sd->pace && n < sizeof buf)
            snprintf(buf + n, sizeof buf - n, " · %s", sd->pace);
        SDL_Rect r = {L->foot.x + i * (half + 2 * U), L->foot.y, half, L->foot.h};
        ui_fill(u, r, t->panel);
        if (v->playing == i) {
            ui_frame(u, r, U / 2 + 1, t->accent);
            char pos[48];
            snprintf(pos, sizeof pos, "playing %d:%02d / %d:%02d", (int)v->play_pos / 60,
                     (int)v->play_pos % 60, (int)v->play_len / 60, (int)v->play_len % 60);
            int pw, ph;
            ui_text_size(u, pos, px, &pw, &ph);
            ui_text(u, pos, px, t->accent, r.x + r.w - U, r.y + r.h - ph - U / 2, UI_RIGHT);
            r.h -= ph + U / 2;
        }
        ui_text_box(u, buf, (SDL_Rect){r.x + U, r.y + U / 2, r.w - 2 * U, r.h - U}, px,
                    min_px(U), t->text, UI_LEFT);
    }
}

static void button(ui *u, const compare_view *v, const layout *L, int i)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    SDL_Rect r = L->btn[i];
    const char *label = i == COMPARE_HIT_BACK ? "Back to the review"
                        : v->playing >= 0     ? "Stop"
                                              : "Play both";
    int focus = v->focus == i;
    ui_fill(u, r, t->panel);
    ui_frame(u, r, focus ? U : U / 3 + 1, focus ? t->text : t->accent);
    ui_text_box(u, label, (SDL_Rect){r.x + U, r.y, r.w - 2 * U, r.h},
                at_least(4 * U + U / 2, min_px(U)), min_px(U), t->text, UI_CENTER);
}

void screen_compare(ui *u, const compare_view *v)
{
    const ui_theme *t = ui_colors(u);
    layout L = layout_of(u);
    int U = L.U;
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);
    ui_text_box(u, "Compare your attempts", L.title, 6 * U, min_px(U), t->text, UI_LEFT);
    if (v->question)
        ui_text_box(u, v->question, L.question, 4 * U + U / 2, min_px(U), t->dim, UI_LEFT);
    table(u, v, &L);
    foot(u, v, &L);
    for (int i = 0; i < 2; i++)
        button(u, v, &L, i);
    const char *hint = v->notice ? v->notice : v->hint;
    if (hint)
        ui_text_box(u, hint, L.hint, at_least(3 * U + U / 2, min_px(U)), min_px(U),
                    v->notice ? t->warn : t->dim, UI_CENTER);
}
