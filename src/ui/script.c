/* script.c: parsing and stepping through timed input scripts (see script.h). */
#include "script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "strbuf.h"

int script_parse(script *s, const char *file, const char *text, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    size_t cap = 0;
    Uint32 last = 0;
    lines it;
    lines_init(&it, text, strlen(text));
    const char *p;
    size_t n;
    while (lines_next(&it, &p, &n)) {
        int lineno = it.no;
        char line[512];
        if (n >= sizeof line) {
            snprintf(err, errlen, "%s:%d: line too long", file, lineno);
            goto fail;
        }
        memcpy(line, p, n);
        line[n] = '\0';
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char verb[32] = "", arg1[64] = "", arg2[64] = "";
        unsigned long at;
        int got = sscanf(line, "%lu %31s %63s %63s", &at, verb, arg1, arg2);
        if (got <= 0) {
            char probe[2];
            if (sscanf(line, " %1s", probe) == 1) {
                snprintf(err, errlen, "%s:%d: expected '<ms> <action> [argument]'", file, lineno);
                goto fail;
            }
            continue;
        }
        if (got < 2) {
            snprintf(err, errlen, "%s:%d: missing action after the time", file, lineno);
            goto fail;
        }
        if (at < last) {
            snprintf(err, errlen, "%s:%d: time %lu is before the previous event (%lu)", file,
                     lineno, at, (unsigned long)last);
            goto fail;
        }
        script_event ev;
        memset(&ev, 0, sizeof ev);
        ev.at_ms = (Uint32)at;
        if (!strcmp(verb, "key")) {
            ev.kind = SCRIPT_KEY;
            ev.key = SDL_GetKeyFromName(arg1);
            if (ev.key == SDLK_UNKNOWN) {
                snprintf(err, errlen, "%s:%d: unknown key name '%s'", file, lineno, arg1);
                goto fail;
            }
        } else if (!strcmp(verb, "tap")) {
            ev.kind = SCRIPT_TAP;
            char *e1, *e2;
            ev.x = strtof(arg1, &e1);
            ev.y = strtof(arg2, &e2);
            if (got < 4 || *e1 || *e2 || ev.x < 0 || ev.x > 1 || ev.y < 0 || ev.y > 1) {
                snprintf(err, errlen, "%s:%d: tap needs x and y as fractions from 0 to 1", file,
                         lineno);
                goto fail;
            }
        } else if (!strcmp(verb, "screenshot")) {
            ev.kind = SCRIPT_SCREENSHOT;
            if (got < 3 || strspn(arg1, "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
                               strlen(arg1)) {
                snprintf(err, errlen, "%s:%d: screenshot needs a name of a-z, 0-9, '-', '_'",
                         file, lineno);
                goto fail;
            }
            snprintf(ev.name, sizeof ev.name, "%s", arg1);
        } else if (!strcmp(verb, "type")) {
            ev.kind = SCRIPT_TYPE;
            if (got < 3 || strlen(arg1) >= SDL_TEXTINPUTEVENT_TEXT_SIZE) {
                snprintf(err, errlen, "%s:%d: type needs a word of at most %d bytes", file,
                         lineno, SDL_TEXTINPUTEVENT_TEXT_SIZE - 1);
                goto fail;
            }
            snprintf(ev.name, sizeof ev.name, "%s", arg1);
        } else if (!strcmp(verb, "quit")) {
            ev.kind = SCRIPT_QUIT;
        } else {
            snprintf(err, errlen, "%s:%d: unknown action '%s' (key, type, tap, screenshot, quit)",
                     file, lineno, verb);
            goto fail;
        }
        if (s->count == cap) {
            cap = cap ? cap * 2 : 16;
            s->events = xrealloc(s->events, cap * sizeof *s->events);
        }
        s->events[s->count++] = ev;
        last = ev.at_ms;
    }
    return 0;
fail:
    script_free(s);
    return -1;
}

void script_free(script *s)
{
    free(s->events);
    memset(s, 0, sizeof *s);
}

const script_event *script_due(script *s, Uint32 now_ms)
{
    if (s->next < s->count && s->events[s->next].at_ms <= now_ms)
        return &s->events[s->next++];
    return NULL;
}

int script_wait_ms(const script *s, Uint32 now_ms)
{
    if (s->next >= s->count)
        return -1;
    Uint32 at = s->events[s->next].at_ms;
    return at > now_ms ? (int)(at - now_ms) : 0;
}
