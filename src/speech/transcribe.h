/* transcribe.h: the pocketsphinx transcriber: what was said in a recorded answer, with word
 * times and confidences (pocketsphinx's n-gram search over Debian's en-us model). Callers use
 * it through the function table of transcriber.h (transcriber_ps.c); this header is for that
 * table, tests and benchmarks.
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

#include "transcriber.h"

#define TRANSCRIBE_UTT_SECONDS 30
#define TRANSCRIBE_GENERIC_WORDS 20000

enum { TRANSCRIBE_SEARCH_FAST = 0, TRANSCRIBE_SEARCH_FULL = 1 };

typedef struct transcriber transcriber;

/* Loads the models. Errors: VIVA_ENOTFOUND a model file or the dictionary is missing (err
 * names it and the Debian package), VIVA_EIO the decoder could not start. */
int transcribe_open(const transcribe_params *p, transcriber **out, char *err, size_t errlen);
void transcribe_close(transcriber *t);

/* Recognises `n` samples of 16 kHz mono audio. *words (malloc'd, caller frees; NULL when
 * *nwords is 0) receives the words in time order without silence and noise markers, each with
 * its posterior in the utterance's lattice as its confidence. Returns
 * VIVA_OK, or VIVA_EIO when the decoder failed (nothing is returned then). */
int transcribe_pcm(transcriber *t, const int16_t *pcm, size_t n, feedback_word **words,
                   size_t *nwords);

/* Applies a speaker adaptation (adapt.h; the transform's text, NULL = none: the generic model)
 * to what is recognised from now on. VIVA_EPARSE: not a usable transform (err says why; the
 * previous adaptation stays); VIVA_EIO: pocketsphinx refused it. */
int transcribe_adapt(transcriber *t, const char *data, size_t len, char *err, size_t errlen);

/* 1 if the recogniser can hear `word` (lower case): it has a pronunciation. */
int transcribe_knows(transcriber *t, const char *word);

#endif
