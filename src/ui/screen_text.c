/* screen_text.c: text helpers the screens share (screens.h). */
#include <stdlib.h>
#include <string.h>

#include "screens.h"

/* Draws s in box at px, cut after the last whole word that fits with "..." when it does not
 * fit in full: never in the middle of a word. */
void screen_text_words(ui *u, const char *s, SDL_Rect box, int px, SDL_Color c)
{
    int lw, lh;
    ui_text_size(u, "Ag", px, &lw, &lh);
    int room = box.h / (lh > 0 ? lh : 1);
    if (room < 1)
        room = 1;
    if (ui_text_lines(u, s, px, box.w) <= room) {
        ui_text_box(u, s, box, px, px, c, UI_LEFT);
        return;
    }
    size_t n = strlen(s);
    char *buf = malloc(n + 8);
    if (!buf)
        return;
    /* The most whole words that fit with " ...": a binary search over the words' ends. */
    int nends = 0;
    for (size_t i = 1; i <= n; i++)
        nends += (i == n || s[i] == ' ') && s[i - 1] != ' ';
    int lo = 0, hi = nends; /* words kept: lo fits (0 always "fits"), hi+1 does not */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2, seen = 0;
        size_t end = 0;
        for (size_t i = 1; i <= n && seen < mid; i++)
            if ((i == n || s[i] == ' ') && s[i - 1] != ' ') {
                seen++;
                end = i;
            }
        memcpy(buf, s, end);
        memcpy(buf + end, " ...", 5);
        if (ui_text_lines(u, buf, px, box.w) <= room)
            lo = mid;
        else
            hi = mid - 1;
    }
    size_t end = 0;
    for (size_t i = 1, seen = 0; i <= n && (int)seen < lo; i++)
        if ((i == n || s[i] == ' ') && s[i - 1] != ' ') {
            seen++;
            end = i;
        }
    memcpy(buf, s, end);
    memcpy(buf + end, end ? " ..." : "...", 5);
    ui_text_box(u, buf, box, px, px, c, UI_LEFT);
    free(buf);
}
