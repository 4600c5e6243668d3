/* screen_review.c: after the answer, a review that teaches (the layout is described in
 * screens.h and docs/readme/review.md). Top: the topic line ("Attempt 2" on the right from a
 * second attempt on) and the question in at most two lines. Left (about 55%): "What you said",
 * the transcript word by word with the key-point terms heard highlighted and fillers struck
 * through, paged; under it the waveform with long pauses marked and the pace in words. Right:
 * "Heard 3 of 5 key points" ("(not sure)" when the analysis is not confident) over the key
 * points, each in full, ticked or boxed; or the bank's reference answer. Bottom: the four
 * grade buttons (the suggested one tabbed) and Play, Try again, Compare; the hint line.
 * In portrait the columns stack and the buttons take two rows.
 *
 * The layout is a function of the window size alone (layout_of), shared by drawing and
 * screen_review_hit. Text sizes never go below READABLE_PX or 3 units: what does not fit is
 * paged (the transcript) or cut at a word with "..." (a very long reference answer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens.h"

static const char *const grade_names[4] = {"missed", "partial", "solid", "excellent"};

enum { NBUTTONS = 7, MAX_WORDS = 2000, READABLE_PX = 13 };

typedef struct {
    int U, portrait;
    SDL_Rect header, question;
    SDL_Rect said_title, transcript, wave, pace; /* left column (top in portrait) */
    SDL_Rect status, ref_btn, keys;              /* right column (bottom in portrait) */
    SDL_Rect btn[NBUTTONS];                      /* grades 0..3, Play, Try again, Compare */
    SDL_Rect hint;
    int tab_h;
} layout;

static int at_least(int px, int floor_px)
{
    return px > floor_px ? px : floor_px;
}

/* The smallest size any text on this screen may take. */
static int min_px(int U)
{
    return at_least(3 * U, READABLE_PX);
}

/* ... except the key points, the pace and the hint, which must be whole (2.5 units). */
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

static void buttons_row(SDL_Rect *out, int n, int x, int y, int w, int h, int gap)
{
    int bw = (w - (n - 1) * gap) / n;
    for (int i = 0; i < n; i++)
        out[i] = (SDL_Rect){x + i * (bw + gap), y, bw, h};
}

static layout layout_of(ui *u)
{
    layout L;
    memset(&L, 0, sizeof L);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int M = 4 * U, inner = w - 2 * M, gap = 2 * U;
    L.U = U;
    L.portrait = h > w;
    L.header = (SDL_Rect){M, M, inner, 5 * U};
    /* Portrait has the height for a long question in full (four lines at the floor) and a
     * hint of three lines; landscape gives them two each. */
    L.question = (SDL_Rect){M, M + 5 * U, inner, (h > w ? 18 : 11) * U};
    L.hint = h > w ? (SDL_Rect){M, h - M - 13 * U, inner, 13 * U}
                   : (SDL_Rect){M, h - M - 8 * U, inner, 8 * U};
    L.tab_h = 4 * U;
    int bh = 12 * U;
    int top = L.question.y + L.question.h + U, bottom;
    if (!L.portrait) {
        /* One row: the grades, a wider gap, then the three actions. */
        int y = L.hint.y - U - bh, group = 3 * U;
        int bw = (inner - 6 * gap - (group - gap)) / NBUTTONS;
        for (int i = 0; i < NBUTTONS; i++)
            L.btn[i] = (SDL_Rect){M + i * (bw + gap) + (i >= 4 ? group - gap : 0), y, bw, bh};
        L.btn[NBUTTONS - 1].w = M + inner - L.btn[NBUTTONS - 1].x;
        bottom = y - L.tab_h - U;
        int lw = inner * 45 / 100 - U, rx = M + lw + 3 * U, rw = M + inner - rx;
        /* The pace and the pauses: room for two lines each at the floor, 10 units at least. */
        int fw, fh;
        ui_text_size(u, "Ag", key_min_px(U), &fw, &fh);
        int pace_h = 4 * fh + U / 2 > 10 * U ? 4 * fh + U / 2 : 10 * U;
        L.pace = (SDL_Rect){M, bottom - pace_h, lw, pace_h};
        L.wave = (SDL_Rect){M, L.pace.y - U - 5 * U, lw, 5 * U};
        L.said_title = (SDL_Rect){M, top, lw, 6 * U};
        L.transcript = (SDL_Rect){M, top + 6 * U, lw, L.wave.y - U - (top + 6 * U)};
        int rbw = rw * 42 / 100;
        L.ref_btn = (SDL_Rect){rx + rw - rbw, top, rbw, 8 * U};
        L.status = (SDL_Rect){rx, top, rw - rbw - 2 * U, 8 * U};
        L.keys = (SDL_Rect){rx, top + 9 * U, rw, bottom - top - 9 * U};
    } else {
        /* Two rows: the actions at the bottom, the grades (with their tab) over them. */
        int y2 = L.hint.y - U - bh, y1 = y2 - gap - bh;
        buttons_row(L.btn, 4, M, y1, inner, bh, gap);
        buttons_row(L.btn + 4, 3, M, y2, inner, bh, gap);
        bottom = y1 - L.tab_h - U;
        int body = bottom - top, said_h = body * 48 / 100;
        L.said_title = (SDL_Rect){M, top, inner, 6 * U};
        L.pace = (SDL_Rect){M, top + said_h - 12 * U, inner, 12 * U};
        L.wave = (SDL_Rect){M, L.pace.y - U - 6 * U, inner, 6 * U};
        L.transcript = (SDL_Rect){M, top + 6 * U, inner, L.wave.y - U - (top + 6 * U)};
        int ry = top + said_h + 2 * U, rbw = inner * 40 / 100;
        L.ref_btn = (SDL_Rect){M + inner - rbw, ry, rbw, 8 * U};
        L.status = (SDL_Rect){M, ry, inner - rbw - 2 * U, 8 * U};
        L.keys = (SDL_Rect){M, ry + 9 * U, inner, bottom - ry - 9 * U};
    }
    return L;
}

int screen_review_hit(ui *u, int x, int y)
{
    layout L = layout_of(u);
    SDL_Point pt = {x, y};
    for (int i = 0; i < NBUTTONS; i++)
        if (SDL_PointInRect(&pt, &L.btn[i]))
            return i;
    if (SDL_PointInRect(&pt, &L.ref_btn))
        return REVIEW_HIT_REFERENCE;
    if (SDL_PointInRect(&pt, &L.transcript))
        return REVIEW_HIT_TRANSCRIPT;
    return -1;
}

int screen_review_boxes(ui *u, SDL_Rect *out, const char **names, int max)
{
    static const char *const btn_names[NBUTTONS] = {"missed",    "partial",   "solid",  "excellent",
                                                    "play",      "try again", "compare"};
    layout L = layout_of(u);
    const SDL_Rect r[] = {L.header,     L.question, L.said_title, L.transcript, L.wave,
                          L.pace,       L.status,   L.ref_btn,    L.keys,       L.hint};
    const char *const nm[] = {"header", "question", "said title", "transcript", "waveform",
                              "pace",   "status",   "reference",  "keys",       "hint"};
    int n = 0;
    for (size_t i = 0; i < sizeof r / sizeof r[0] && n < max; i++, n++) {
        out[n] = r[i];
        names[n] = nm[i];
    }
    for (int i = 0; i < NBUTTONS && n < max; i++, n++) {
        out[n] = L.btn[i];
        names[n] = btn_names[i];
    }
    return n;
}

static SDL_Color grade_color(const ui_theme *t, int g)
{
    return g == 0 ? t->bad : g == 1 ? t->warn : g == 2 ? t->good : t->accent;
}

static int marked(const review_view *v)
{
    return v->analysis_state == REVIEW_ANALYSIS_READY && v->key_covered;
}

/* ---- the transcript ----------------------------------------------------------------------- */

static int transcript_px(const layout *L)
{
    return at_least(L->portrait ? 4 * L->U : 3 * L->U + L->U / 2, min_px(L->U));
}

/* Lays the words out in lines of width w at px: line[i] and x[i] per word. Returns lines. */
static int lay_words(ui *u, const review_view *v, int px, int w, short *line, short *x)
{
    int sw, sh, n = v->nwords < MAX_WORDS ? v->nwords : MAX_WORDS;
    ui_text_size(u, " ", px, &sw, &sh);
    int ln = 0, at = 0;
    for (int i = 0; i < n; i++) {
        int ww, wh;
        ui_text_size(u, v->words[i] ? v->words[i] : "", px, &ww, &wh);
        if (at > 0 && at + ww > w) {
            ln++;
            at = 0;
        }
        line[i] = (short)ln;
        x[i] = (short)at;
        at += ww + sw;
    }
    return n ? ln + 1 : 0;
}

void screen_review_lines(ui *u, const review_view *v, int *total, int *visible)
{
    static short line[MAX_WORDS], x[MAX_WORDS];
    layout L = layout_of(u);
    int px = transcript_px(&L), lw, lh;
    ui_text_size(u, "Ag", px, &lw, &lh);
    *total = v->words ? lay_words(u, v, px, L.transcript.w - 2 * L.U, line, x) : 0;
    *visible = (L.transcript.h - L.U) / (lh > 0 ? lh : 1);
    if (*visible < 1)
        *visible = 1;
}

static void draw_transcript(ui *u, const review_view *v, const layout *L)
{
    static short line[MAX_WORDS], x[MAX_WORDS];
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    SDL_Rect box = L->transcript;
    ui_fill(u, box, t->panel);
    if (v->selected == REVIEW_HIT_TRANSCRIPT)
        ui_frame(u, box, U / 2 > 1 ? U / 2 : 1, t->text);
    SDL_Rect in = {box.x + U, box.y + U / 2, box.w - 2 * U, box.h - U};
    int head_px = at_least(4 * U, min_px(U));
    const char *title = "What you said";
    if (!v->words || v->nwords == 0) {
        const char *msg = v->analysis_state == REVIEW_ANALYSIS_RUNNING ? "Analysing your answer..."
                          : v->analysis_state == REVIEW_ANALYSIS_NO_SPEECH
                              ? "No speech heard in the recording."
                          : v->has_recording ? "No transcript: answer feedback is off."
                                             : "Nothing was recorded.";
        SDL_Color c = v->analysis_state == REVIEW_ANALYSIS_RUNNING     ? t->accent
                      : v->analysis_state == REVIEW_ANALYSIS_NO_SPEECH ? t->warn
                                                                       : t->dim;
        ui_text_box(u, msg, in, head_px, min_px(U), c, UI_LEFT);
        ui_text_box(u, title, L->said_title, head_px, min_px(U), t->dim, UI_LEFT);
        return;
    }
    int px = transcript_px(L), lw, lh;
    ui_text_size(u, "Ag", px, &lw, &lh);
    int total = lay_words(u, v, px, in.w, line, x);
    int visible = in.h / (lh > 0 ? lh : 1);
    if (visible < 1)
        visible = 1;
    int first = v->transcript_line;
    if (first > total - visible)
        first = total - visible;
    if (first < 0)
        first = 0;
    int n = v->nwords < MAX_WORDS ? v->nwords : MAX_WORDS;
    for (int i = 0; i < n; i++) {
        int l = line[i] - first;
        if (l < 0 || l >= visible)
            continue;
        const char *wd = v->words[i] ? v->words[i] : "";
        int kind = v->word_kind ? v->word_kind[i] : REVIEW_WORD_PLAIN;
        int wx = in.x + x[i], wy = in.y + l * lh, ww, wh;
        ui_text_size(u, wd, px, &ww, &wh);
        SDL_Color c = t->text;
        if (kind == REVIEW_WORD_TERM) {
            SDL_Color tint = t->good;
            tint.a = 70;
            ui_fill(u, (SDL_Rect){wx - U / 4, wy, ww + U / 2, lh}, tint);
            c = t->good;
        } else if (kind == REVIEW_WORD_FILLER) {
            c = t->warn;
        }
        ui_text(u, wd, px, c, wx, wy, UI_LEFT);
        if (kind == REVIEW_WORD_FILLER) /* struck through: said, but not content */
            ui_fill(u, (SDL_Rect){wx, wy + lh / 2, ww, U / 3 > 1 ? U / 3 : 1}, t->warn);
    }
    char head[96];
    if (total > visible) {
        int pages = (total + visible - 1) / visible, page = first / visible + 1;
        if (first + visible >= total)
            page = pages;
        snprintf(head, sizeof head, "page %d of %d", page, pages);
        int hw, hh;
        ui_text_size(u, head, head_px, &hw, &hh);
        ui_text(u, head, head_px, t->accent, L->said_title.x + L->said_title.w,
                L->said_title.y + (L->said_title.h - hh) / 2, UI_RIGHT);
        SDL_Rect tb = L->said_title;
        tb.w -= hw + 2 * U;
        ui_text_box(u, title, tb, head_px, min_px(U), t->dim, UI_LEFT);
    } else {
        ui_text_box(u, title, L->said_title, head_px, min_px(U), t->dim, UI_LEFT);
    }
}

/* ---- the waveform and the pace -------------------------------------------------------------- */

static void draw_wave(ui *u, const review_view *v, const layout *L)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    char buf[64];
    int px = at_least(3 * U + U / 2, min_px(U)), lw, lh;
    if (v->playing)
        snprintf(buf, sizeof buf, "%d:%02d / %d:%02d", (int)v->play_pos / 60,
                 (int)v->play_pos % 60, (int)v->play_len / 60, (int)v->play_len % 60);
    else
        snprintf(buf, sizeof buf, "%d:%02d", (int)v->play_len / 60, (int)v->play_len % 60);
    ui_text_size(u, "00:00 / 00:00", px, &lw, &lh);
    SDL_Rect strip = L->wave;
    strip.w -= lw + 2 * U;
    ui_fill(u, strip, t->panel);
    /* Long pauses first, as tinted bands under the bars. */
    for (int i = 0; i < v->npauses && v->pause_at && v->pause_len && v->play_len > 0; i++) {
        int x0 = strip.x + (int)(v->pause_at[i] / v->play_len * strip.w);
        int pw = (int)(v->pause_len[i] / v->play_len * strip.w);
        if (pw < U / 2 + 1)
            pw = U / 2 + 1;
        if (x0 + pw > strip.x + strip.w)
            pw = strip.x + strip.w - x0;
        if (pw <= 0)
            continue;
        SDL_Color tint = t->warn;
        tint.a = 90;
        ui_fill(u, (SDL_Rect){x0, strip.y, pw, strip.h}, tint);
        ui_fill(u, (SDL_Rect){x0, strip.y, pw, U / 2 + 1}, t->warn);
    }
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
    ui_text(u, buf, px, v->playing ? t->accent : t->dim, L->wave.x + L->wave.w,
            L->wave.y + (L->wave.h - lh) / 2, UI_RIGHT);
}

static void draw_pace(ui *u, const review_view *v, const layout *L)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U, px = at_least(3 * U + U / 2, min_px(U));
    SDL_Rect r = L->pace;
    const char *first = v->pace ? v->pace : v->delivery;
    if (!first && !v->pauses)
        return;
    if (first && v->pauses) {
        /* Both in full at one size, the pace over the pauses: the largest that fits. */
        int p = px, lw, lh = 0;
        for (; p > key_min_px(U); p = p * 94 / 100 < p - 1 ? p * 94 / 100 : p - 1) {
            ui_text_size(u, "Ag", p, &lw, &lh);
            if ((ui_text_lines(u, first, p, r.w) + ui_text_lines(u, v->pauses, p, r.w)) * lh <=
                r.h)
                break;
        }
        if (p < key_min_px(U))
            p = key_min_px(U);
        ui_text_size(u, "Ag", p, &lw, &lh);
        int n = ui_text_lines(u, first, p, r.w);
        if (n < 1)
            n = 1;
        if (n * lh > r.h - lh) /* the pauses keep a line */
            n = (r.h - lh) / lh > 0 ? (r.h - lh) / lh : 1;
        SDL_Rect a = {r.x, r.y, r.w, n * lh}, b = {r.x, r.y + n * lh, r.w, r.h - n * lh};
        text_at(u, first, a, p, t->text);
        text_at(u, v->pauses, b, p, t->dim);
    } else {
        const char *one = first ? first : v->pauses;
        text_at(u, one, r, ui_text_fit(u, one, r.w, r.h, px, key_min_px(U)), t->text);
    }
}

/* ---- the key points and the reference answer ------------------------------------------------ */

/* The marker left of a key point, a square of side s: a tick when heard, an empty box in the
 * warning colour when not, a small dot when unmarked. */
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

/* Lines key point k takes at px in width w: in full, or one when it is heard and `squeeze`. */
static int key_lines(ui *u, const review_view *v, int k, int px, int w, int squeeze)
{
    const char *key = v->keys[k] ? v->keys[k] : "";
    int n = ui_text_lines(u, key, px, w);
    if (squeeze && marked(v) && v->key_covered[k])
        n = 1;
    return n > 0 ? n : 1;
}

/* The key points in `area`, each wrapped in full at one size for all: the largest that fits.
 * Below the floor, heard points take one line each (cut) so that every missed one stays in
 * full; what still does not fit is counted. */
static int key_rows(ui *u, const review_view *v, SDL_Rect area)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    if (v->nkeys <= 0 || !v->keys || area.h <= 0)
        return 0;
    int s = 4 * U, tx = area.x + s + 3 * U / 2, tw = area.x + area.w - tx, gap = U / 2 + 1;
    /* The list's floor is the hint's (2.5 units, never below READABLE_PX): every point in
     * full matters more here than the size, which still reads at arm's length. */
    int hi = 4 * U + U / 2, lo = key_min_px(U), px = lo, squeeze = 1;
    /* In full if any size fits; else heard points on one line each, at the largest size. */
    for (int sq = 0; sq < 2 && squeeze; sq++)
        for (int p = hi; p >= lo; p = p * 94 / 100 < p - 1 ? p * 94 / 100 : p - 1) {
            int lw, lh, need = 0;
            ui_text_size(u, "Ag", p, &lw, &lh);
            for (int k = 0; k < v->nkeys; k++)
                need += key_lines(u, v, k, p, tw, sq) * lh + gap;
            if (need <= area.h) {
                px = p;
                squeeze = sq;
                break;
            }
        }
    int lw, lh, y = area.y;
    ui_text_size(u, "Ag", px, &lw, &lh);
    if (s > lh)
        s = lh;
    for (int k = 0; k < v->nkeys; k++) {
        int lines = key_lines(u, v, k, px, tw, squeeze);
        int end = area.y + area.h, left = v->nkeys - k - 1;
        /* This point fits, and so does the next line (a point, or "and N more") unless it is
         * the last. */
        if (y + lines * lh > end || (left > 0 && y + lines * lh + gap + lh > end)) {
            char more[64];
            snprintf(more, sizeof more, "and %d more key point%s", v->nkeys - k,
                     v->nkeys - k == 1 ? "" : "s");
            if (y + lh <= end)
                ui_text_box(u, more, (SDL_Rect){tx, y, tw, lh}, px, px, t->dim, UI_LEFT);
            break;
        }
        const char *key = v->keys[k] ? v->keys[k] : "";
        int heard = marked(v) && v->key_covered[k];
        marker(u, v, k, area.x + U / 2, y + (lh - s) / 2, s);
        text_at(u, key, (SDL_Rect){tx, y, tw, lines * lh}, px, heard ? t->dim : t->text);
        y += lines * lh + gap;
    }
    return y - area.y;
}

/* ---- the reference answer, paged ------------------------------------------------------------ */

static const char *reference_of(const review_view *v)
{
    return v->reference && *v->reference ? v->reference
                                         : "This question has no reference answer in its bank.";
}

/* Where the k-th word from `start` ends (k >= 1), or the end of s. */
static size_t word_end(const char *s, size_t start, int k)
{
    size_t i = start;
    for (int seen = 0; s[i] && seen < k;) {
        while (s[i] == ' ')
            i++;
        while (s[i] && s[i] != ' ')
            i++;
        seen++;
    }
    return i;
}

/* The end of the page that starts at `start`: the most whole words from there that take at
 * most `rows` lines at px in width w (at least one word). */
static size_t page_end(ui *u, const char *s, size_t start, int px, int w, int rows)
{
    size_t n = strlen(s);
    int words = 0;
    for (size_t i = start; i < n; i++)
        words += s[i] != ' ' && (i == start || s[i - 1] == ' ');
    char *buf = malloc(n - start + 1);
    if (!buf)
        return n;
    int lo = 1, hi = words; /* lo words fit (or one word must go anyway), hi+1 do not */
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        size_t e = word_end(s, start, mid);
        memcpy(buf, s + start, e - start);
        buf[e - start] = '\0';
        if (ui_text_lines(u, buf, px, w) <= rows)
            lo = mid;
        else
            hi = mid - 1;
    }
    free(buf);
    return word_end(s, start, lo);
}

/* The reference answer's size and pages in the key points' box, the page area above a line
 * for "page 1 of 2" when it needs more than one. Returns the number of pages; starts[] (up to
 * max) gets where each page begins. */
static int reference_pages(ui *u, const review_view *v, const layout *L, int *px_out,
                           SDL_Rect *area, size_t *starts, int max)
{
    const char *ref = reference_of(v);
    int U = L->U;
    *area = L->keys;
    if (ui_text_fits(u, ref, L->keys.w, L->keys.h, 4 * U, min_px(U))) {
        *px_out = ui_text_fit(u, ref, L->keys.w, L->keys.h, 4 * U, min_px(U));
        if (max > 0)
            starts[0] = 0;
        return 1;
    }
    int px = min_px(U), lw, lh;
    ui_text_size(u, "Ag", px, &lw, &lh);
    area->h -= lh + U / 2; /* the page line */
    int rows = area->h / (lh > 0 ? lh : 1), pages = 0;
    if (rows < 1)
        rows = 1;
    *px_out = px;
    size_t n = strlen(ref), at = 0;
    while (at < n) {
        if (pages < max)
            starts[pages] = at;
        pages++;
        at = page_end(u, ref, at, px, area->w, rows);
        while (at < n && ref[at] == ' ')
            at++;
    }
    return pages > 0 ? pages : 1;
}

enum { MAX_REF_PAGES = 64 };

int screen_review_reference_pages(ui *u, const review_view *v)
{
    layout L = layout_of(u);
    size_t starts[MAX_REF_PAGES];
    int px;
    SDL_Rect area;
    return reference_pages(u, v, &L, &px, &area, starts, MAX_REF_PAGES);
}

static void draw_reference(ui *u, const review_view *v, const layout *L)
{
    const ui_theme *t = ui_colors(u);
    const char *ref = reference_of(v);
    SDL_Color c = v->reference && *v->reference ? t->text : t->dim;
    size_t starts[MAX_REF_PAGES];
    int px;
    SDL_Rect area;
    int pages = reference_pages(u, v, L, &px, &area, starts, MAX_REF_PAGES);
    if (pages > MAX_REF_PAGES)
        pages = MAX_REF_PAGES;
    if (pages <= 1) {
        ui_text_box(u, ref, area, px, px, c, UI_LEFT);
        return;
    }
    int p = v->reference_page < 0 ? 0 : v->reference_page >= pages ? pages - 1 : v->reference_page;
    size_t end = p + 1 < pages ? starts[p + 1] : strlen(ref);
    while (end > starts[p] && ref[end - 1] == ' ')
        end--;
    char *page = malloc(end - starts[p] + 1);
    if (page) {
        memcpy(page, ref + starts[p], end - starts[p]);
        page[end - starts[p]] = '\0';
        ui_text_box(u, page, area, px, px, c, UI_LEFT);
        free(page);
    }
    char buf[64];
    snprintf(buf, sizeof buf, "page %d of %d", p + 1, pages);
    int lw, lh;
    ui_text_size(u, buf, px, &lw, &lh);
    ui_text(u, buf, px, t->accent, L->keys.x + L->keys.w, L->keys.y + L->keys.h - lh, UI_RIGHT);
}

static const char *status_text(const review_view *v, char *buf, size_t len, SDL_Color *c,
                               const ui_theme *t)
{
    *c = t->text;
    if (v->show_reference) {
        *c = t->accent;
        return "Reference answer";
    }
    switch (v->analysis_state) {
    case REVIEW_ANALYSIS_RUNNING:
        *c = t->accent;
        return "Analysing...";
    case REVIEW_ANALYSIS_NO_SPEECH:
        *c = t->warn;
        return "No speech heard";
    case REVIEW_ANALYSIS_READY:
        if (v->key_covered && v->nkeys > 0) {
            int heard = 0;
            for (int k = 0; k < v->nkeys; k++)
                heard += v->key_covered[k] != 0;
            snprintf(buf, len, "Heard %d of %d%s", heard, v->nkeys, v->unsure ? " (not sure)" : "");
            if (v->unsure)
                *c = t->warn;
            return buf;
        }
        return "Answer analysed";
    default:
        *c = t->dim;
        return v->nkeys > 0 ? "Key points" : NULL;
    }
}

static void draw_right(ui *u, const review_view *v, const layout *L)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    char buf[96];
    SDL_Color sc;
    const char *status = status_text(v, buf, sizeof buf, &sc, t);
    if (status)
        ui_text_box(u, status, L->status, 5 * U, min_px(U), sc, UI_LEFT);
    /* The button that swaps the column. */
    SDL_Rect b = L->ref_btn;
    ui_fill(u, b, t->panel);
    int focus = v->selected == REVIEW_HIT_REFERENCE;
    ui_frame(u, b, focus ? U : U / 3 + 1, focus ? t->text : t->accent);
    ui_text_box(u, v->show_reference ? "Key points" : "Reference answer",
                (SDL_Rect){b.x + U, b.y, b.w - 2 * U, b.h}, at_least(3 * U + U / 2, min_px(U)),
                min_px(U), t->text, UI_CENTER);
    if (v->show_reference) {
        draw_reference(u, v, L);
        return;
    }
    int used = key_rows(u, v, L->keys);
    /* How this attempt counts, in the room the key points leave (the header says "practice"
     * in any case). */
    int npx = at_least(3 * U + U / 2, min_px(U)), nh = 3 * npx + U;
    if (v->attempt_note && L->keys.h - used >= nh)
        ui_text_box(u, v->attempt_note,
                    (SDL_Rect){L->keys.x, L->keys.y + L->keys.h - nh, L->keys.w, nh}, npx,
                    min_px(U), t->dim, UI_LEFT);
}

/* ---- the buttons ------------------------------------------------------------------------- */

static void grade_button(ui *u, const review_view *v, const layout *L, int g)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    SDL_Rect r = L->btn[g];
    SDL_Color c = grade_color(t, g);
    int suggested = (v->analysis_state == REVIEW_ANALYSIS_READY ||
                     v->analysis_state == REVIEW_ANALYSIS_NO_SPEECH) &&
                    !v->unsure && v->suggested == g;
    ui_fill(u, r, t->panel);
    if (suggested) {
        SDL_Color tint = c;
        tint.a = 70;
        ui_fill(u, r, tint);
        /* A tab on top of the button, in the grade's colour: seen from across the room. */
        SDL_Rect tab = {r.x, r.y - L->tab_h, r.w, L->tab_h};
        ui_fill(u, tab, c);
        ui_text_box(u, "suggested", (SDL_Rect){tab.x + U, tab.y, tab.w - 2 * U, tab.h},
                    3 * U + U / 2, at_least(2 * U + U / 2, 11), t->bg, UI_CENTER);
    }
    int selected = g == v->selected;
    ui_frame(u, r, selected ? U : suggested ? U / 2 + 1 : U / 3 + 1, selected ? t->text : c);
    char buf[8];
    snprintf(buf, sizeof buf, "%d", g);
    int px = at_least(4 * U, min_px(U));
    ui_text(u, buf, px, c, r.x + r.w / 2, r.y + U / 2, UI_CENTER);
    ui_text_box(u, grade_names[g], (SDL_Rect){r.x + U / 2, r.y + r.h / 2, r.w - U, r.h / 2},
                px, min_px(U), t->text, UI_CENTER);
}

static void action_button(ui *u, const review_view *v, const layout *L, int i)
{
    const ui_theme *t = ui_colors(u);
    int U = L->U;
    SDL_Rect r = L->btn[i];
    int off = i == REVIEW_HIT_COMPARE && !v->has_earlier;
    int play_off = i == REVIEW_HIT_PLAY && !v->has_recording;
    const char *label = i == REVIEW_HIT_PLAY ? (v->playing ? "Pause" : "Play")
                        : i == REVIEW_HIT_RETRY ? "Try again"
                                                : "Compare";
    int selected = i == v->selected;
    ui_fill(u, r, t->panel);
    ui_frame(u, r, selected ? U : U / 3 + 1, selected ? t->text : off || play_off ? t->dim : t->accent);
    ui_text_box(u, label, (SDL_Rect){r.x + U / 2, r.y, r.w - U, r.h},
                at_least(4 * U, min_px(U)), min_px(U), off || play_off ? t->dim : t->text,
                UI_CENTER);
}

void screen_review(ui *u, const review_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u);
    layout L = layout_of(u);
    int U = L.U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);

    char buf[200];
    int hpx = at_least(4 * U, min_px(U));
    SDL_Rect head = L.header;
    /* The topic line, and "Attempt 2 (practice)" on the right; where they do not fit side
     * by side, "Attempt 2", then the topic without "how did it go?", then without the level. */
    char at[32] = "";
    int aw = 0, ah = 0, bw, bh;
    for (int step = 0; step < 5; step++) {
        int long_at = step == 0 || step == 2, with_level = step < 4, ask = step < 2;
        if (v->attempt > 1) {
            snprintf(at, sizeof at, long_at ? "Attempt %d (practice)" : "Attempt %d", v->attempt);
            ui_text_size(u, at, hpx, &aw, &ah);
        }
        if (with_level)
            snprintf(buf, sizeof buf, ask ? "%s  ·  level %d  ·  how did it go?" : "%s  ·  level %d",
                     v->topic ? v->topic : "", v->level);
        else
            snprintf(buf, sizeof buf, "%s", v->topic ? v->topic : "");
        ui_text_size(u, buf, hpx, &bw, &bh);
        if (bw + (at[0] ? aw + 3 * U : 0) <= head.w)
            break;
    }
    if (at[0]) {
        ui_text(u, at, hpx, t->accent, head.x + head.w, head.y + (head.h - ah) / 2, UI_RIGHT);
        head.w -= aw + 3 * U;
    }
    text_at(u, buf, head, ui_text_fit(u, buf, head.w, head.h, hpx, min_px(U)), t->dim);
    if (v->question)
        ui_text_box(u, v->question, L.question, 5 * U, min_px(U), t->text, UI_LEFT);

    draw_transcript(u, v, &L);
    if (v->has_recording) {
        draw_wave(u, v, &L);
    }
    if (v->notice) {
        /* What was not saved, and why: in the pace's place, which it must not hide behind. */
        SDL_Rect n = L.pace;
        if (!v->has_recording) {
            n.y = L.wave.y;
            n.h = L.pace.y + L.pace.h - L.wave.y;
        }
        ui_text_box(u, v->notice, n, 4 * U, min_px(U), t->warn, UI_LEFT);
    } else {
        draw_pace(u, v, &L);
    }
    draw_right(u, v, &L);

    for (int g = 0; g < 4; g++)
        grade_button(u, v, &L, g);
    for (int i = 4; i < NBUTTONS; i++)
        action_button(u, v, &L, i);
    if (v->hint) /* the one line that may go below 3 units: never below READABLE_PX */
        ui_text_box(u, v->hint, L.hint, at_least(3 * U + U / 2, min_px(U)),
                    at_least(5 * U / 2, READABLE_PX), t->dim, UI_CENTER);
}
