/* screen_menu.c: a menu: a large title, an optional line under it, a column of big items
 * (one focused, moved by previous/next and taken by select or a touch), a notice and the hint.
 * The list scrolls so that the focused item is visible. Layout is computed in one place from
 * the screen size and the view, so screen_menu_hit() sees exactly what screen_menu() drew
 * without the screen keeping any state. */
#include "screens.h"

typedef struct {
    SDL_Rect title, subtitle, body, list, notice, hint;
    int item_h, gap;
    int first, count; /* visible items: first .. first+count-1 */
    int scrollbar;    /* items do not all fit: a bar at the right shows where the list is */
} menu_layout;

static void layout(ui *u, const menu_view *v, menu_layout *L)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), m = 4 * U;
    L->title = (SDL_Rect){m, m, w - 2 * m, 10 * U};
    /* The line under the title gets a second line when one would shorten it (a long name). */
    int sub_h = 6 * U;
    if (v->subtitle && !ui_text_fits(u, v->subtitle, w - 2 * m, sub_h, 5 * U, 3 * U))
        sub_h = 11 * U;
    L->subtitle = (SDL_Rect){m, m + 10 * U, w - 2 * m, sub_h};
    L->hint = (SDL_Rect){m, h - m - 5 * U, w - 2 * m, 6 * U};
    /* Two lines at the smallest size (3 units) need a little over 7 units. */
    L->notice = (SDL_Rect){m, L->hint.y - 9 * U, w - 2 * m, 8 * U};
    int top = m + 10 * U + (v->subtitle ? sub_h + U : 0) + 2 * U;
    /* A paragraph gets a third of the height (more in portrait); the items the rest. */
    L->body = (SDL_Rect){m, top, w - 2 * m, (h > w ? 40 : 30) * h / 100};
    if (v->body)
        top += L->body.h + 2 * U;
    int bottom = (v->notice ? L->notice.y : L->hint.y) - 2 * U;
    L->list = (SDL_Rect){m, top, w - 2 * m, bottom - top};
    /* Portrait screens have height to spare: taller items are easier to hit. */
    L->item_h = h > w ? 14 * U : 12 * U;
    L->gap = 2 * U;
    L->count = (L->list.h + L->gap) / (L->item_h + L->gap);
    if (L->count < 1)
        L->count = 1;
    if (L->count > v->nitems)
        L->count = v->nitems;
    /* Keep the focus in the middle of the window onto the list, so the items around it show;
     * this depends on the focus alone, so nothing needs remembering between frames. */
    L->first = v->focus - (L->count - 1) / 2;
    if (L->first > v->nitems - L->count)
        L->first = v->nitems - L->count;
    if (L->first < 0)
        L->first = 0;
    L->scrollbar = v->nitems > L->count;
}

static SDL_Rect item_rect(ui *u, const menu_layout *L, int i)
{
    int bar = L->scrollbar ? 3 * ui_unit(u) : 0;
    return (SDL_Rect){L->list.x, L->list.y + (i - L->first) * (L->item_h + L->gap), L->list.w - bar,
                      L->item_h};
}

int screen_menu_hit(ui *u, const menu_view *v, int x, int y)
{
    menu_layout L;
    layout(u, v, &L);
    SDL_Point pt = {x, y};
    for (int i = L.first; i < L.first + L.count; i++) {
        SDL_Rect r = item_rect(u, &L, i);
        if (SDL_PointInRect(&pt, &r))
            return i;
    }
    return -1;
}

void screen_menu(ui *u, const menu_view *v)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    menu_layout L;
    layout(u, v, &L);
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);

    if (v->title)
        ui_text_box(u, v->title, L.title, 8 * U, 4 * U, t->text, UI_LEFT);
    if (v->subtitle)
        ui_text_box(u, v->subtitle, L.subtitle, 5 * U, 3 * U, t->dim, UI_LEFT);
    if (v->body)
        ui_text_box(u, v->body, L.body, 6 * U, 3 * U, t->text, UI_LEFT);

    /* A faint outline keeps items visible where the panel colour equals the background
     * (the high-contrast theme). */
    SDL_Color outline = t->dim;
    outline.a = 60;
    SDL_Color glow = t->accent;
    glow.a = 50;
    int thick = U / 2 > 2 ? U / 2 : 2;
    for (int i = L.first; i < L.first + L.count; i++) {
        SDL_Rect r = item_rect(u, &L, i);
        int focused = i == v->focus;
        ui_fill(u, r, t->panel);
        if (focused) {
            ui_fill(u, r, glow);
            ui_frame(u, r, thick, t->accent);
            ui_fill(u, (SDL_Rect){r.x, r.y, U + thick, r.h}, t->accent);
        } else {
            ui_frame(u, r, 1, outline);
        }
        SDL_Rect text = {r.x + 4 * U, r.y + U, r.w - 6 * U, r.h - 2 * U};
        ui_text_box(u, v->items[i] ? v->items[i] : "", text, 6 * U, 3 * U, t->text, UI_LEFT);
    }
    if (L.scrollbar) {
        /* Track and thumb: the thumb's share and place match the visible part of the list. */
        SDL_Rect track = {L.list.x + L.list.w - U, L.list.y, U,
                          L.count * (L.item_h + L.gap) - L.gap};
        ui_fill(u, track, t->panel);
        int th = track.h * L.count / v->nitems, ty = track.h * L.first / v->nitems;
        if (th < U)
            th = U;
        if (ty > track.h - th)
            ty = track.h - th;
        ui_fill(u, (SDL_Rect){track.x, track.y + ty, track.w, th}, t->dim);
    }
    if (v->notice)
        ui_text_box(u, v->notice, L.notice, 5 * U, 3 * U, t->warn, UI_LEFT);
    if (v->hint)
        ui_text_box(u, v->hint, L.hint, 4 * U, 2 * U, t->dim, UI_CENTER);
}
