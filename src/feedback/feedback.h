/* feedback.h: feedback on one spoken answer, from the words a recogniser heard: which key points
 * of the question were covered (and by which words), delivery (talk time, words per minute,
 * pauses, fillers) and a suggested grade. Pure: words with times in, numbers and text out; no
 * audio, no recogniser, no I/O (the recogniser is src/speech/transcribe.h, which also offers
 * feedback_analyse() on audio).
 *
 * Coverage (docs/readme/feedback.md): a key point's terms are the content words of its text,
 * stemmed ("receivers" -> "receiv"), weighted by how rare they are among all key points of the
 * loaded banks (a word every key point uses says little); words the question itself or another
 * key point of the same question uses count half, since they tell this point apart less.
 * The key point is covered when the heard terms carry at least FEEDBACK_COVER_SHARE of the
 * weight (and two terms when it has three or more). A key point with a `terms:` line in the
 * bank (bank.h) uses those instead: groups separated by ',', alternatives by '|'; covered when
 * at least half the groups were heard.
 *
 * Threads: a feedback_model is read-only after feedback_model_new, so any number of threads may
 * score with it at once. A feedback_result belongs to its caller. */
#ifndef VIVA_FEEDBACK_H
#define VIVA_FEEDBACK_H

#include <stddef.h>

#include "bank.h"
#include "strbuf.h"

#define FEEDBACK_WORD_MAX 48        /* bytes of one recognised word, with the NUL */
#define FEEDBACK_PAUSE_SECONDS 2.0  /* a gap between words longer than this is a pause */
#define FEEDBACK_COVER_SHARE 0.40   /* share of a key point's term weight that covers it (chosen on the tuning half of bench_heldout) */
#define FEEDBACK_MAX_HEARD 16       /* terms listed per key point */
#define FEEDBACK_SURE_CONFIDENCE 0.42 /* an analysis at least this confident may preselect its
                                         grade (chosen on the fixtures' tuning half:
                                         docs/readme/feedback.md) */

/* One recognised word; times in seconds from the start of the recording. Fillers ("um", "uh")
 * are words too; silence and noise are not passed in. */
typedef struct {
    char text[FEEDBACK_WORD_MAX]; /* lower case, as the recogniser spells it */
    double start, end;
    double conf; /* how sure the recogniser is of this word, 0..1 (pocketsphinx: the word's
                    posterior in the utterance's lattice); negative: it cannot tell */
} feedback_word;

typedef struct {
    double start, seconds;
} feedback_pause;

typedef struct {
    const char *text;                      /* the key point (points into the bank item) */
    int covered;                           /* 1 covered, 0 not */
    int nheard;
    char heard[FEEDBACK_MAX_HEARD][FEEDBACK_WORD_MAX]; /* terms heard, as said, in bank order */
} feedback_key;

typedef struct {
    int speech;              /* 0: no speech was heard (everything below is 0/empty) */
    char *transcript;        /* malloc'd; the words without fillers' noise markers */
    int words;               /* words said, fillers excluded */
    double talk_seconds;     /* first word to last, minus the pauses over 2 s */
    double words_per_minute; /* words / talk minutes (0 without talk) */
    feedback_pause *pauses;  /* malloc'd; gaps between words over FEEDBACK_PAUSE_SECONDS */
    int npauses;
    double longest_pause;    /* the longest gap between two words, seconds (0 for < 2 words) */
    int fillers;             /* "um", "uh", "er", "you know", "like" used as a filler */
    double fillers_per_minute;
    feedback_key keys[BANK_MAX_KEYS]; /* in bank order */
    int nkeys;               /* 0: the question has no key points (delivery only) */
    int ncovered;
    int suggested_grade;     /* 0..3, or -1 when no speech was heard or there are no keys */
    double confidence;       /* how sure the recognition was, 0..1 (feedback_confidence);
                                negative: unknown (no speech, or no word confidences) */
    int sure;                /* 1: confident enough to preselect and say the suggestion
                                (confidence >= FEEDBACK_SURE_CONFIDENCE); 0 otherwise */
    int level;               /* FEEDBACK_LEVEL_*: what the recording's level says about the
                                microphone (set by feedback_analyse; feedback_score: OK) */
} feedback_result;

/* The recording's level (feedback_result.level; JSON "microphone"). */
enum {
    FEEDBACK_LEVEL_OK = 0,
    FEEDBACK_LEVEL_QUIET,   /* far too quiet: amplified before recognition */
    FEEDBACK_LEVEL_CLIPPED, /* too loud: the recording clips, words may be lost */
};
/* What to tell the candidate about `level` ("the microphone is very quiet"), or NULL for OK. */
const char *feedback_level_text(int level);

typedef struct feedback_model feedback_model;

/* Term weights from every key point of `b` (the loaded banks). The model keeps no pointer into
 * `b`. Never fails (out of memory aborts). */
feedback_model *feedback_model_new(const bank *b);
void feedback_model_free(feedback_model *m);
/* Another share than FEEDBACK_COVER_SHARE (0, 1], for measuring the choice (bench_heldout);
 * not thread-safe against scoring with the same model. */
void feedback_model_set_cover_share(feedback_model *m, double share);

/* Scores an answer to `it` (may be NULL: delivery only) from `n` recognised words in time
 * order. `out` is overwritten; free it with feedback_result_free. `it` must outlive `out`
 * (keys[].text points into it). */
void feedback_score(const feedback_model *m, const bank_item *it, const feedback_word *words,
                    size_t n, feedback_result *out);
void feedback_result_free(feedback_result *r);

/* How sure the recognition of an answer was, 0..1: the mean of the words' confidences, fillers
 * and noise markers excluded (what the grade rests on); negative when there are no such words
 * or a word's confidence is unknown. */
double feedback_confidence(const feedback_word *words, size_t n);

/* The grade suggested by `covered` of `nkeys` key points: 3 all, 2 at least half, 1 at least
 * one, 0 none; -1 when nkeys is 0. */
int feedback_grade(int covered, int nkeys);

/* Appends the result as one JSON object (fields: transcript, words, talk_seconds,
 * words_per_minute, pauses [{start, seconds}], longest_pause, fillers, key_points
 * [{text, covered, heard}], confidence (0..1, null when unknown), sure (true/false),
 * suggested_grade (null when none), microphone (null, or feedback_level_text)) to `out`. */
void feedback_result_json(const feedback_result *r, strbuf *out);

/* ---- trust: when the suggestion is preselected (feedback_trust.c) ---- */

/* A profile's record: did the candidate's own grade equal the suggestion, for the last
 * FEEDBACK_AGREE_WINDOW graded answers whose analysis was sure (the ones viva would preselect
 * or did). Unsure analyses and analyses without a confidence (saved before it existed) are
 * not counted: they never preselect. A zeroed record is a profile with no history. */
#define FEEDBACK_AGREE_WINDOW 10
#define FEEDBACK_AGREE_MIN 4 /* counted answers before the record can stop preselection */
typedef struct feedback_record_s {
    unsigned char agreed[FEEDBACK_AGREE_WINDOW]; /* a ring: 1 equal, 0 different */
    int n, next;                                 /* entries (<= the window), next slot */
    int total, total_agreed;                     /* every counted answer, for the log */
} feedback_record;

/* Counts one graded answer (grade 0..3) whose analysis suggested `suggested` (0..3, -1 none)
 * and was sure or not. Only sure suggestions and real grades count. */
void feedback_record_add(feedback_record *rec, int suggested, int sure, int grade);
/* 1 when the profile keeps disagreeing: at least FEEDBACK_AGREE_MIN answers in the window and
 * fewer than half of them equal to the suggestion. */
int feedback_record_disagrees(const feedback_record *rec);
/* The one decision, for the review screen and hands-free alike: the grade to preselect and
 * say (0..3), or -1 to ask for the grade without a verdict (no suggestion, the analysis is not
 * sure, or the profile keeps disagreeing; rec NULL = no history). */
int feedback_preselect(const feedback_result *r, const feedback_record *rec);

/* ---- text: the one tokeniser shared by the language model, the dictionary and scoring ---- */

/* Calls fn for every spoken word of `text` in order, lower case: runs of letters (with an inner
 * apostrophe; a final "'s" is dropped), camel case split ("WaitGroup" -> "wait", "group"),
 * digits dropped. Returns the number of words. */
typedef void (*feedback_word_fn)(void *ctx, const char *word);
int feedback_words(const char *text, feedback_word_fn fn, void *ctx);

/* Stem of a lower-case word into out (at most FEEDBACK_WORD_MAX bytes): plural, -ing, -ed, -ly,
 * -er, -ation ... stripped, -ize spelled -ise, synonyms mapped ("k8s" -> "kubernet"). */
void feedback_stem(const char *word, char *out);
/* 1 if the lower-case word carries no content (articles, pronouns, common verbs, fillers). */
int feedback_stopword(const char *word);

/* ---- language model text from banks ---- */

/* Appends an ARPA-format trigram language model of the text of every item of `b` (questions,
 * key points, terms, reference answers; sentences split at . ? ! ; :) to `out`, with absolute
 * discounting and back-off. Returns the vocabulary size (0 for an empty bank: nothing
 * appended). */
size_t feedback_lm_arpa(const bank *b, strbuf *out);

#endif
