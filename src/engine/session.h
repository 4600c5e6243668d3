/* session.h: the rules that end a session, as a small state machine the UI drives.
 *
 *   session_start(&s, &rules, now)            at the start
 *   while (session_next(&s, se, now) == SESSION_GO) {
 *       ... cat_select(), show the question ...
 *       session_asked(&s, now);                when the question is shown
 *       ... record, grade ...
 *       session_graded(&s, grade, now);        when the candidate grades it (or skips: -1)
 *   }
 * Practice sessions end after `questions` questions or `minutes` minutes (whichever comes
 * first; 0 disables a limit; a question already shown is always finished). Assessment
 * sessions end when the SE falls to `se_stop` (after at least one graded answer) or after
 * `max_questions`. Time is passed in; pure; one owner at a time. */
#ifndef VIVA_SESSION_H
#define VIVA_SESSION_H

#include <stdint.h>

typedef enum { SESSION_PRACTICE, SESSION_ASSESSMENT } session_mode;

typedef enum {
    SESSION_GO = 0,      /* ask another question */
    SESSION_WAIT_GRADE,  /* a question is out and has not been graded yet */
    SESSION_END_COUNT,   /* practice: question count reached */
    SESSION_END_TIME,    /* practice: time is up */
    SESSION_END_SE,      /* assessment: SE target reached */
    SESSION_END_MAX,     /* assessment: maximum number of questions */
    SESSION_END_NO_ITEMS /* the caller found no eligible question (session_exhausted) */
} session_status;

typedef struct {
    session_mode mode;
    int questions;     /* practice: questions per session (0 = no limit) */
    int minutes;       /* practice: minutes per session (0 = no limit) */
    double se_stop;    /* assessment: stop at SE <= this */
    int max_questions; /* assessment: stop after this many */
} session_rules;

typedef struct {
    session_rules rules;
    int64_t start_ms, last_ms;
    int asked;            /* questions shown */
    int graded;           /* answers graded (skips excluded) */
    int pending;          /* 1 while a shown question awaits its grade */
    session_status ended; /* SESSION_GO until the session has ended */
} session;

void session_start(session *s, const session_rules *r, int64_t now_ms);
/* What to do next, given the current SE of the ability estimate. Once an END status has been
 * returned, it is returned again on every later call. */
session_status session_next(session *s, double se, int64_t now_ms);
void session_asked(session *s, int64_t now_ms);
/* grade 0..3, or -1 for a skipped question. */
void session_graded(session *s, int grade, int64_t now_ms);
/* The caller found no question to ask: end the session. */
void session_exhausted(session *s);
/* Short English name of a status ("time is up"). */
const char *session_status_name(session_status st);

#endif
