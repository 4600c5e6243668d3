/* session.c: session stop rules (see session.h). */
#include "session.h"

void session_start(session *s, const session_rules *r, int64_t now_ms)
{
    s->rules = *r;
    s->start_ms = s->last_ms = now_ms;
    s->asked = s->graded = s->pending = 0;
    s->ended = SESSION_GO;
}

session_status session_next(session *s, double se, int64_t now_ms)
{
    if (s->ended != SESSION_GO)
        return s->ended;
    if (s->pending)
        return SESSION_WAIT_GRADE;
    const session_rules *r = &s->rules;
    if (r->mode == SESSION_PRACTICE) {
        if (r->questions > 0 && s->asked >= r->questions)
            s->ended = SESSION_END_COUNT;
        else if (r->minutes > 0 && now_ms - s->start_ms >= (int64_t)r->minutes * 60000)
            s->ended = SESSION_END_TIME;
    } else {
        if (s->graded > 0 && se <= r->se_stop)
            s->ended = SESSION_END_SE;
        else if (r->max_questions > 0 && s->asked >= r->max_questions)
            s->ended = SESSION_END_MAX;
    }
    return s->ended;
}

void session_asked(session *s, int64_t now_ms)
{
    s->asked++;
    s->pending = 1;
    s->last_ms = now_ms;
}

void session_graded(session *s, int grade, int64_t now_ms)
{
    if (!s->pending)
        return;
    s->pending = 0;
    s->graded += grade >= 0;
    s->last_ms = now_ms;
}

void session_exhausted(session *s)
{
    if (s->ended == SESSION_GO)
        s->ended = SESSION_END_NO_ITEMS;
}

const char *session_status_name(session_status st)
{
    switch (st) {
    case SESSION_GO:
        return "go on";
    case SESSION_WAIT_GRADE:
        return "waiting for a grade";
    case SESSION_END_COUNT:
        return "all questions asked";
    case SESSION_END_TIME:
        return "time is up";
    case SESSION_END_SE:
        return "ability measured precisely enough";
    case SESSION_END_MAX:
        return "maximum number of questions";
    case SESSION_END_NO_ITEMS:
        return "no more questions";
    }
    return "?";
}
