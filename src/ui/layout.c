/* layout.c: the record of a frame's text boxes and rings, and the checker (see layout.h).
 * Plain data and rectangle arithmetic: SDL only for SDL_Rect. */
#include "layout.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

struct layout_log {
    layout_text *texts;
    int ntexts, cap;
    layout_ring *rings;
    int nrings, rcap;
    int group;
};

layout_log *layout_log_new(void)
{
    return xcalloc(1, sizeof(layout_log));
}

void layout_log_clear(layout_log *l)
{
    for (int i = 0; i < l->ntexts; i++) {
        free((char *)l->texts[i].text);
        free((char *)l->texts[i].line);
    }
    l->ntexts = 0;
    l->nrings = 0;
}

void layout_log_free(layout_log *l)
{
    if (!l)
        return;
    layout_log_clear(l);
    free(l->texts);
    free(l->rings);
    free(l);
}

int layout_log_group(layout_log *l)
{
    return ++l->group;
}

void layout_log_text(layout_log *l, const layout_text *t)
{
    if (l->ntexts == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->texts = xrealloc(l->texts, (size_t)l->cap * sizeof *l->texts);
    }
    layout_text *d = &l->texts[l->ntexts++];
    *d = *t;
    d->text = xstrdup(t->text ? t->text : "");
    d->line = xstrdup(t->line ? t->line : "");
}

void layout_log_ring(layout_log *l, layout_ring r)
{
    if (l->nrings == l->rcap) {
        l->rcap = l->rcap ? 2 * l->rcap : 8;
        l->rings = xrealloc(l->rings, (size_t)l->rcap * sizeof *l->rings);
    }
    l->rings[l->nrings++] = r;
}

int layout_log_ntexts(const layout_log *l)
{
    return l->ntexts;
}

const layout_text *layout_log_texts(const layout_log *l)
{
    return l->texts;
}

/* ---- the checker ------------------------------------------------------------------------------ */

/* At most len - 1 bytes of s, on a character boundary, with "..." when longer. */
static const char *quote(const char *s, char *buf, size_t len)
{
    size_t n = strlen(s);
    if (n < len) {
        snprintf(buf, len, "%s", s);
    } else {
        size_t k = utf8_floor(s, n, len > 4 ? len - 4 : 0);
        snprintf(buf, len, "%.*s...", (int)k, s);
    }
    return buf;
}

static int inside(SDL_Rect in, SDL_Rect out, int tol)
{
    return in.x >= out.x - tol && in.y >= out.y - tol && in.x + in.w <= out.x + out.w + tol &&
           in.y + in.h <= out.y + out.h + tol;
}

/* Does rectangle r touch the ring between r0 and r1 around (cx, cy)? */
static int crosses_ring(SDL_Rect r, layout_ring g)
{
    double x0 = r.x, y0 = r.y, x1 = r.x + r.w, y1 = r.y + r.h;
    double dx = g.cx < x0 ? x0 - g.cx : g.cx > x1 ? g.cx - x1 : 0;
    double dy = g.cy < y0 ? y0 - g.cy : g.cy > y1 ? g.cy - y1 : 0;
    double near = sqrt(dx * dx + dy * dy);
    double fx = fmax(fabs(x0 - g.cx), fabs(x1 - g.cx)), fy = fmax(fabs(y0 - g.cy), fabs(y1 - g.cy));
    double far = sqrt(fx * fx + fy * fy);
    return near < g.r1 - 0.5 && far > g.r0 + 0.5;
}

typedef struct {
    layout_report_fn report;
    void *ctx;
    int n;
} sink;

static void say(sink *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(sink *k, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    k->n++;
    if (k->report)
        k->report(k->ctx, msg);
}

#define RECT_FMT "%d,%d %dx%d"
#define RECT_ARGS(r) (r).x, (r).y, (r).w, (r).h

/* One text on its own: inside the window and its box, readable, not cut badly. */
static void check_one(const layout_text *t, SDL_Rect win, unsigned allow, sink *k)
{
    char q[64], q2[112];
    if (t->ink.w <= 0 || t->ink.h <= 0)
        return; /* nothing visible (spaces) */
    if (!inside(t->ink, win, 0))
        say(k, "outside the window: \"%s\" at " RECT_FMT, quote(t->line, q, sizeof q),
            RECT_ARGS(t->ink));
    else if (!inside(t->ink, t->allowed, 1))
        say(k, "outside its box: \"%s\" at " RECT_FMT ", box " RECT_FMT,
            quote(t->line, q, sizeof q), RECT_ARGS(t->ink), RECT_ARGS(t->allowed));
    if (t->px < LAYOUT_MIN_PX)
        say(k, "too small: \"%s\" at %d px (the floor is %d px)", quote(t->line, q, sizeof q),
            t->px, LAYOUT_MIN_PX);
    if (t->cut == LAYOUT_CUT_MIDWORD)
        say(k, "cut mid-word: \"%s\" shown as \"%s\"", quote(t->text, q, sizeof q),
            quote(t->line, q2, sizeof q2));
    else if (t->cut == LAYOUT_CUT_SPLIT)
        say(k, "word split across lines: \"%s\" has a line \"%s\"", quote(t->text, q, sizeof q),
            quote(t->line, q2, sizeof q2));
    else if (t->cut == LAYOUT_CUT_WORD && !(allow & LAYOUT_ALLOW_ELLIPSIS))
        say(k, "shortened: \"%s\" shown as \"%s\"", quote(t->text, q, sizeof q),
            quote(t->line, q2, sizeof q2));
}

int layout_check(const layout_log *l, int w, int h, unsigned allow, layout_report_fn report,
                 void *ctx)
{
    sink k = {report, ctx, 0};
    SDL_Rect win = {0, 0, w, h};
    /* Group pairs already reported, so two wrapped paragraphs over each other are one finding. */
    int *pairs = NULL, npairs = 0;
    for (int i = 0; i < l->ntexts; i++) {
        const layout_text *a = &l->texts[i];
        check_one(a, win, allow, &k);
        if (a->ink.w <= 0 || a->ink.h <= 0)
            continue;
        char q[64], q2[112];
        for (int j = i + 1; j < l->ntexts; j++) {
            const layout_text *b = &l->texts[j];
            if (b->group == a->group || b->ink.w <= 0 || b->ink.h <= 0 ||
                !SDL_HasIntersection(&a->ink, &b->ink))
                continue;
            int seen = 0;
            for (int p = 0; p < npairs && !seen; p++)
                seen = pairs[2 * p] == a->group && pairs[2 * p + 1] == b->group;
            if (seen)
                continue;
            pairs = xrealloc(pairs, (size_t)(npairs + 1) * 2 * sizeof *pairs);
            pairs[2 * npairs] = a->group, pairs[2 * npairs + 1] = b->group;
            npairs++;
            say(&k, "overlap: \"%s\" at " RECT_FMT " and \"%s\" at " RECT_FMT,
                quote(a->line, q, sizeof q), RECT_ARGS(a->ink), quote(b->line, q2, sizeof q2),
                RECT_ARGS(b->ink));
        }
        for (int r = 0; r < l->nrings; r++)
            if (crosses_ring(a->ink, l->rings[r]))
                say(&k, "crosses a ring: \"%s\" at " RECT_FMT ", ring at %d,%d radius %d-%d",
                    quote(a->line, q, sizeof q), RECT_ARGS(a->ink), l->rings[r].cx,
                    l->rings[r].cy, l->rings[r].r0, l->rings[r].r1);
    }
    free(pairs);
    return k.n;
}
