/* speech_say.h: what viva says aloud in hands-free practice beyond the command phrases: the
 * verdict and grade prompt after an answer, and the summary at the end of a session. Pure
 * text building (no flite, no audio), in every build; short sentences that read well aloud
 * (numbers as words, key points in short form). */
#ifndef VIVA_SPEECH_SAY_H
#define VIVA_SPEECH_SAY_H

#include <stddef.h>

typedef struct {
    int analysed;               /* an analysis is there (else: a plain grade prompt) */
    int speech;                 /* it heard speech */
    int sure;                   /* confident enough to give a verdict */
    int suggested;              /* 0..3, or -1 */
    int nkeys, ncovered;
    const char *const *keys;    /* nkeys key points in bank order, or NULL */
    const int *covered;         /* per key point: 1 heard */
} speech_verdict_in;

/* The grade prompt: the verdict with the key points missed in short form ("That sounded
 * solid: three of four key points. Not heard: lock ordering. Your grade? Say ..."); only the
 * question when the analysis is unsure or absent. */
void speech_verdict(const speech_verdict_in *in, char *buf, size_t len);

/* A key point in short form, for speech: its text up to the first ':', ';', '(', ',' or dash,
 * at most six words ("Lock ordering: always acquire..." -> "lock ordering"). */
void speech_key_short(const char *key, char *buf, size_t len);

typedef struct {
    int asked, graded;
    int keys_covered, keys_total; /* keys_total 0: no analysis */
    double theta_start, theta_now, se_now;
    const char *unsaved_why;      /* NULL when every grade was saved */
} speech_summary_in;

/* The end-of-session summary: questions and grades, key points covered, the ability's change
 * in words ("up a little"). */
void speech_session_summary(const speech_summary_in *in, char *buf, size_t len);

/* "none", "one" .. "twelve", then digits. */
const char *speech_count_word(int n, char *buf, size_t len);

#endif
