/* run_analysis.c: see run_analysis.h. This build has no answer analysis yet: feedback is
 * off, and the grade prompt asks without a suggestion. */
#include <stdio.h>
#include <stdlib.h>

#include "run_analysis.h"

struct run_analysis {
    uint32_t event;
};

void run_analysis_open(const viva_app *app, uint32_t event, run_analysis **out)
{
    (void)app;
    *out = calloc(1, sizeof **out);
    if (*out)
        (*out)->event = event;
}

void run_analysis_close(run_analysis *a)
{
    free(a);
}

int run_analysis_enabled(const run_analysis *a)
{
    (void)a;
    return 0;
}

void run_analysis_session(run_analysis *a)
{
    (void)a;
}

void run_analysis_start(run_analysis *a, practice *pr)
{
    (void)a;
    (void)pr;
}

int run_analysis_event(run_analysis *a, practice *pr, const SDL_Event *e, kiosk_event *k)
{
    (void)pr;
    (void)k;
    return a && e->type == a->event;
}

void run_analysis_prompt(const run_analysis *a, int suggested, char *buf, size_t len)
{
    (void)a;
    (void)suggested;
    snprintf(buf, len, "How did that go? Say missed entirely, partly right, pretty solid, or "
                       "absolutely excellent.");
}

void run_analysis_review(run_analysis *a, review_view *v)
{
    (void)a;
    (void)v;
}

void run_analysis_summary(run_analysis *a, summary_view *v)
{
    (void)a;
    (void)v;
}
