/* layout.h: what a frame drew, for checking its layout: every line of text (the rectangle
 * its pixels cover, the rectangle it was allowed, whether and where it was shortened) and
 * every ring, recorded by ui.c while recording is on (ui_layout_record() or the environment
 * variable VIVA_LAYOUT_CHECK), and a checker that reports what overlaps, what is outside the
 * window or its box, what is cut inside a word and what is too small to read.
 *
 * The rule for shortened text: a word is never cut or split across lines (a path or a
 * command may break after '/', '-', '_', '.', ',', ':' or ';'); an ellipsis after a whole word
 * is a finding too unless the caller passes LAYOUT_ALLOW_ELLIPSIS, which says the full text is
 * reachable some other way (or the data is hostile on purpose and the screen's duty is only to
 * degrade at a word boundary). Lines of one ui_text_box call form a group and do not count as
 * overlapping each other. */
#ifndef VIVA_LAYOUT_H
#define VIVA_LAYOUT_H

#include <SDL.h>
#include <stddef.h>

/* Text smaller than this (pixel size of the font) is reported; ui_text_box never fits below
 * it. 12 px DejaVu Sans is about 2 mm tall on the 7-inch 800x480 panel. */
enum { LAYOUT_MIN_PX = 12 };

enum {
    LAYOUT_CUT_NONE = 0,
    LAYOUT_CUT_WORD,    /* "..." after a whole word */
    LAYOUT_CUT_MIDWORD, /* "..." inside a word */
    LAYOUT_CUT_SPLIT    /* a word broken across two lines */
};

typedef struct {
    const char *text;  /* the whole text the screen asked for */
    const char *line;  /* the line drawn (with its "..." when shortened) */
    SDL_Rect ink;      /* the pixels the line covers */
    SDL_Rect allowed;  /* the box it was given; the window for a single ui_text() */
    int px;            /* font size */
    int group;         /* the lines of one ui_text_box() share a group */
    int cut;           /* LAYOUT_CUT_* */
    size_t cut_at;     /* where in `text` the shown part ends (cut != NONE) */
} layout_text;

typedef struct {
    int cx, cy, r0, r1; /* a ring between radii r0 and r1 (text may sit inside r0) */
} layout_ring;

typedef struct layout_log layout_log;

layout_log *layout_log_new(void);
void layout_log_free(layout_log *l);
void layout_log_clear(layout_log *l); /* a new frame */
int layout_log_group(layout_log *l);  /* a group id for the next ui_text_box's lines */
void layout_log_text(layout_log *l, const layout_text *t); /* copies the strings */
void layout_log_ring(layout_log *l, layout_ring r);
int layout_log_ntexts(const layout_log *l);
const layout_text *layout_log_texts(const layout_log *l);

enum { LAYOUT_ALLOW_ELLIPSIS = 1 };

/* Checks the frame recorded in l for a w x h window and calls report once per finding with
 * a sentence naming the text(s) and rectangles. Returns the number of findings. */
typedef void (*layout_report_fn)(void *ctx, const char *finding);
int layout_check(const layout_log *l, int w, int h, unsigned allow, layout_report_fn report,
                 void *ctx);

#endif
