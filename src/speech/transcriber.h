/* transcriber.h: speech to words for answer feedback, as one function table (like the voice
 * service's hands_backend.h and the GPIO backends of src/board), and feedback on an answer
 * through it (recognition, then the pure scoring of src/feedback).
 *
 * An engine turns 16 kHz mono samples into words with times and a confidence per word; the
 * feedback module scores those words and never sees the engine. Engines:
 *   transcriber_ps.c   pocketsphinx (transcribe.h): the default and, for now, the only one.
 * Adding one (whisper.cpp's libwhisper1, say) means a transcriber_<name>.c with its table, a
 * line in transcriber_find() and its build condition; nothing in src/feedback changes. An
 * engine is added only with a model that the tests can run here.
 *
 * Threads: an open engine (and a feedback_ctx) belongs to one thread at a time; open it on the
 * worker that will use it and keep it for the whole run. Nothing here touches SDL, the store
 * or the audio devices. */
#ifndef VIVA_TRANSCRIBER_H
#define VIVA_TRANSCRIBER_H

#include <stddef.h>
#include <stdint.h>

#include "adapt.h"
#include "bank.h"
#include "feedback.h"

#define TRANSCRIBE_RATE 16000 /* every engine takes 16 kHz mono */

struct transcriber_engine;

/* What an engine opens with. The first three mean the same to any engine; the rest are
 * pocketsphinx's knobs (another engine ignores them). A zeroed struct is the default. */
typedef struct {
    const char *model_dir; /* holds en-us/, cmudict-en-us.dict, en-us.lm.bin; NULL = Debian's */
    const char *dict;      /* extra pronunciations (assets/dict/viva.dict); NULL = none */
    const bank *bank;      /* banks for the language model; NULL = generic model only */
    double bank_weight;    /* share of the bank model in the mix, (0, 1); 0 = 0.5 */
    int no_generic;        /* 1: the bank model alone (to measure the choice, not for use) */
    int search;            /* 0 = TRANSCRIBE_SEARCH_FAST (the default), TRANSCRIBE_SEARCH_FULL:
                              pocketsphinx's defaults (second and lattice passes, wider beams) */
    int generic_words;     /* the dictionary keeps the generic model's N most probable words
                              plus every bank word; 0 = TRANSCRIBE_GENERIC_WORDS, -1 = all */
    int no_bank_lm;        /* 1: the generic model alone; `bank` still gives pronunciations
                              and the scoring weights (to measure the choice) */
    const char *options;   /* pocketsphinx options over viva's, "-maxhmmpf 3000 -beam 1e-60"
                              (for benchmarks); NULL = viva's */
    int no_level;          /* 1: feedback_analyse leaves the level alone (to measure it) */
    const struct transcriber_engine *engine; /* feedback_open's engine; NULL = the default */
} transcribe_params;

typedef struct transcriber_engine {
    const char *name; /* "pocketsphinx" */

    /* Loads the models for p: 0 and *out, or a viva_err with the reason (naming the missing
     * file and its Debian package) in err. VIVA_ENOTFOUND: a model or dictionary is missing. */
    int (*open)(const transcribe_params *p, void **out, char *err, size_t errlen);
    /* Recognises n samples: *words malloc'd (caller frees; NULL when *nwords is 0), in time
     * order, without silence and noise markers; each word's conf in 0..1, or negative when
     * the engine cannot tell. VIVA_OK, or VIVA_EIO (nothing returned). */
    int (*words)(void *eng, const int16_t *pcm, size_t n, feedback_word **words,
                 size_t *nwords);
    /* 1 if the engine can hear `word` (lower case); an engine without a fixed vocabulary
     * says 1. */
    int (*knows)(void *eng, const char *word);
    /* Applies a speaker adaptation (adapt.h: the transform's text; NULL = none) to what is
     * recognised from now on. VIVA_OK, VIVA_EPARSE (damaged: the previous one stays) or
     * VIVA_EIO, with err. NULL: the engine cannot adapt (feedback_adapt says so). */
    int (*adapt)(void *eng, const char *data, size_t len, char *err, size_t errlen);
    void (*close)(void *eng);
} transcriber_engine;

/* pocketsphinx (transcriber_ps.c). */
extern const transcriber_engine transcriber_pocketsphinx;

/* The engine feedback uses when none is named: pocketsphinx. */
const transcriber_engine *transcriber_default(void);
/* The engine called `name`, or NULL (an engine this build lacks). */
const transcriber_engine *transcriber_find(const char *name);

/* Reads a sound file (WAV, FLAC, anything libsndfile reads) as 16 kHz mono: channels are
 * mixed, other rates resampled (libsamplerate). *pcm is malloc'd (caller frees). Errors:
 * VIVA_ENOTFOUND / VIVA_EIO / VIVA_EPARSE with the path and reason in err. (transcribe.c) */
int transcribe_read_file(const char *path, int16_t **pcm, size_t *frames, char *err,
                         size_t errlen);

/* ---- feedback on an answer: recognition plus scoring (what the kiosk calls) ---- */

typedef struct feedback_ctx feedback_ctx;

/* Opens p->engine (NULL: transcriber_default()) for `p` and the scoring model of p->bank
 * (read during the call only; a bank loaded later needs a new context). When the model or
 * dictionary is missing this fails with the reason in err: the caller logs that one line and
 * runs without feedback. */
int feedback_open(const transcribe_params *p, feedback_ctx **out, char *err, size_t errlen);
void feedback_close(feedback_ctx *c);

/* Feedback on one answer to `it` (NULL or no key points: delivery only). The recording's level
 * is normalised first (level_normalise: a far too quiet recording is amplified and flagged in
 * out->level, a clipping one flagged). Silence (no speech
 * found by the voice-activity detector) gives out->speech == 0 and no suggested grade, without
 * decoding. `out` is overwritten; free it with feedback_result_free. Returns VIVA_OK or
 * VIVA_EIO (decoder failure; `out` then holds no speech). One thread at a time per context. */
int feedback_analyse(feedback_ctx *c, const bank_item *it, const int16_t *pcm, size_t n,
                     feedback_result *out);

/* The engine's words for n samples (its `words` function; for tests and benchmarks). */
int feedback_recognise(feedback_ctx *c, const int16_t *pcm, size_t n, feedback_word **words,
                        size_t *nwords);
/* Applies a profile's voice adaptation (NULL = none) to the analyses that follow; see the
 * engine's `adapt`. VIVA_ENOTFOUND when the engine cannot adapt. */
int feedback_adapt(feedback_ctx *c, const char *data, size_t len, char *err, size_t errlen);
/* Enrolment: estimates a voice adaptation from sentences read aloud (adapt_estimate), then
 * checks it on those sentences: each is recognised with the generic model and adapted, and
 * the adaptation is refused (VIVA_EINVAL, err says why and what to do) when it makes word
 * errors rise. On success *out is the transform (malloc'd) for store_voice_put. Either way the
 * context is left with no adaptation in force; the caller applies the profile's again. */
typedef struct {
    adapt_report estimate;
    double wer_before, wer_after; /* word errors on the enrolment sentences */
} feedback_enrol_report;
int feedback_enrol(feedback_ctx *c, const adapt_sentence *s, size_t n, const char *dict,
                   char **out, size_t *len, feedback_enrol_report *rep, char *err,
                   size_t errlen);
/* 1 if the context's engine can hear `word`. */
int feedback_knows(feedback_ctx *c, const char *word);
const transcriber_engine *feedback_engine(const feedback_ctx *c);
/* The scoring model inside (for tests and benchmarks). */
const feedback_model *feedback_model_of(const feedback_ctx *c);

#endif
