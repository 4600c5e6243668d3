/* script.h: timed input scripts for demos and tests (`viva run --script FILE`).
 *
 * One event per line, times in milliseconds from the first frame, in increasing order:
 *     500  screenshot question      write <screenshot dir>/question.png of the next frame
 *     1200 key Return               press and release a key (SDL key names: Return, Escape,
 *                                   Space, Left, Right, Up, Down, PageUp, PageDown, 1, ...)
 *     1250 type alex                text typed on a keyboard (one word, under 32 bytes)
 *     1300 tap 0.5 0.8              a touch/click at a fraction of the width and height
 *     9000 quit                     end the program as if the window were closed
 * '#' starts a comment. Main thread only. */
#ifndef VIVA_SCRIPT_H
#define VIVA_SCRIPT_H

#include <SDL.h>
#include <stddef.h>

typedef enum { SCRIPT_KEY, SCRIPT_TYPE, SCRIPT_TAP, SCRIPT_SCREENSHOT, SCRIPT_QUIT } script_kind;

typedef struct {
    Uint32 at_ms;
    script_kind kind;
    SDL_Keycode key;
    float x, y;
    char name[64]; /* screenshot name, or the typed text */
} script_event;

typedef struct {
    script_event *events;
    size_t count, next;
} script;

/* Parse the script text read from `file`. Returns 0, or -1 with "file:line: problem" in err. */
int script_parse(script *s, const char *file, const char *text, char *err, size_t errlen);
void script_free(script *s);

/* The next event due at `now_ms`, or NULL; advances past it. */
const script_event *script_due(script *s, Uint32 now_ms);
/* Milliseconds until the next event (for the wait timeout), or -1 when none is left. */
int script_wait_ms(const script *s, Uint32 now_ms);

#endif
