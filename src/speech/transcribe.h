/* transcribe.h: what was said in a recorded answer, with word times (pocketsphinx's n-gram
 * search over Debian's en-us model), and feedback on it (src/feedback).
 *
 * Language model: Debian's generic English model interpolated with a trigram model of the
 * loaded banks' own text (feedback_lm_arpa), so technical words become likely where the banks
 * make them likely. Pronunciations: the CMU dictionary, then assets/dict/viva.dict (bank words
 * it lacks, hand-checked or from flite's rules), then flite's letter-to-sound rules at open
 * for any bank word still missing (imported banks). Figures in docs/readme/feedback.md.
 *
 * Memory stays bounded for long answers: audio is decoded in utterances of at most
 * TRANSCRIBE_UTT_SECONDS, cut at the quietest moment, and only word times are kept.
 *
 * Threads: a transcriber (and a feedback_ctx) belongs to one thread at a time; open it on the
 * worker that will use it (about 1 s of CPU and 65 MiB) and keep it for the whole run.
 * Nothing here touches SDL, the store or the audio devices. */
#ifndef VIVA_TRANSCRIBE_H
#define VIVA_TRANSCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "bank.h"
#include "feedback.h"

#define TRANSCRIBE_RATE 16000
#define TRANSCRIBE_UTT_SECONDS 30
#define TRANSCRIBE_GENERIC_WORDS 20000

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
} transcribe_params;

enum { TRANSCRIBE_SEARCH_FAST = 0, TRANSCRIBE_SEARCH_FULL = 1 };

typedef struct transcriber transcriber;

/* Loads the models. Errors: VIVA_ENOTFOUND a model file or the dictionary is missing (err
 * names it and the Debian package), VIVA_EIO the decoder could not start. */
int transcribe_open(const transcribe_params *p, transcriber **out, char *err, size_t errlen);
void transcribe_close(transcriber *t);

/* Recognises `n` samples of 16 kHz mono audio. *words (malloc'd, caller frees; NULL when
 * *nwords is 0) receives the words in time order without silence and noise markers. Returns
 * VIVA_OK, or VIVA_EIO when the decoder failed (nothing is returned then). */
int transcribe_pcm(transcriber *t, const int16_t *pcm, size_t n, feedback_word **words,
                   size_t *nwords);

/* 1 if the recogniser can hear `word` (lower case): it has a pronunciation. */
int transcribe_knows(transcriber *t, const char *word);

/* Reads a sound file (WAV, FLAC, anything libsndfile reads) as 16 kHz mono: channels are
 * mixed, other rates resampled (libsamplerate). *pcm is malloc'd (caller frees). Errors:
 * VIVA_ENOTFOUND / VIVA_EIO / VIVA_EPARSE with the path and reason in err. */
int transcribe_read_file(const char *path, int16_t **pcm, size_t *frames, char *err,
                         size_t errlen);

/* ---- feedback on an answer: recognition plus scoring (what the kiosk calls) ---- */

typedef struct feedback_ctx feedback_ctx;

/* Opens the recogniser for `p` and the scoring model of p->bank (read during the call only; a
 * bank loaded later needs a new context). When the model or dictionary is missing this fails
 * with the reason in err: the caller logs that one line and runs without feedback. */
int feedback_open(const transcribe_params *p, feedback_ctx **out, char *err, size_t errlen);
void feedback_close(feedback_ctx *c);

/* Feedback on one answer to `it` (NULL or no key points: delivery only). The recording's level
 * is normalised first (level_normalise: a far too quiet recording is amplified and flagged in
 * out->level, a clipping one flagged). Silence (no speech found by the voice-activity detector)
 * gives out->speech == 0 and no suggested grade, without decoding. `out` is overwritten; free it with feedback_result_free. Returns VIVA_OK or
 * VIVA_EIO (decoder failure; `out` then holds no speech). One thread at a time per context. */
int feedback_analyse(feedback_ctx *c, const bank_item *it, const int16_t *pcm, size_t n,
                     feedback_result *out);

/* The recogniser and the scoring model inside (for transcribe_knows, tests and benchmarks). */
transcriber *feedback_transcriber(feedback_ctx *c);
const feedback_model *feedback_model_of(const feedback_ctx *c);

#endif
