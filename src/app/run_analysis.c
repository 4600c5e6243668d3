/* run_analysis.c: see run_analysis.h. This build has no answer analysis yet: feedback is
 * off, and the grade prompt asks without a suggestion. */
#include <stdio.h>

#include "run_analysis.h"

void run_analysis_init(run *r, uint32_t event)
{
    (void)r;
    (void)event;
}

int run_analysis_enabled(run *r)
{
    (void)r;
    return 0;
}

void run_analysis_session(run *r)
{
    (void)r;
}

void run_analysis_start(run *r)
{
    (void)r;
}

void run_analysis_stop(run *r)
{
    (void)r;
}

int run_analysis_event(run *r, const SDL_Event *e, kiosk_event *k)
{
    (void)r;
    (void)e;
    (void)k;
    return 0;
}

void run_analysis_prompt(run *r, int suggested, char *buf, size_t len)
{
    (void)r;
    (void)suggested;
    snprintf(buf, len, "How did that go? Say missed entirely, partly right, pretty solid, or "
                       "absolutely excellent.");
}

void run_analysis_review(run *r, review_view *v)
{
    (void)r;
    (void)v;
}

void run_analysis_summary(run *r, summary_view *v)
{
    (void)r;
    (void)v;
}
