/* adapt.h: speaker adaptation. A profile reads a few sentences aloud once; from those
 * recordings viva estimates an MLLR transform of the acoustic model's means (one global
 * class, one 13x13 matrix and offset per feature stream) that moves Debian's generic en-us
 * model towards this voice, this room and this microphone. The transcriber then applies it
 * to that profile's answers (transcribe_adapt).
 *
 * The estimation runs Debian's own tools, each a child process in a private temporary
 * directory that is removed afterwards:
 *   sphinx_fe (sphinxbase-utils)                     recordings -> cepstra
 *   pocketsphinx_mdef_convert (pocketsphinx)         the model definition as text, for bw
 *   bw, mllr_solve (sphinxtrain, /usr/lib/sphinxtrain) statistics -> the transform
 * Debian's en-us model ships its mixture weights only as pocketsphinx's 8-bit `sendump`;
 * bw needs them as floats, so adapt.c expands them first (adapt_write_mixw).
 *
 * The transform is a small text (about 5 KiB) that the store keeps per profile
 * (store_voice_put). Nothing here touches SDL, the store or the audio devices. */
#ifndef VIVA_ADAPT_H
#define VIVA_ADAPT_H

#include <stddef.h>
#include <stdint.h>

/* One enrolment sentence: 16 kHz mono samples and the words that were read. */
typedef struct {
    const int16_t *pcm;
    size_t n;
    const char *text;
} adapt_sentence;

/* The sentences viva asks a profile to read (our own text, 240 words: about 80 s of speech at
 * an ordinary pace; technical words of the banks on purpose). */
size_t adapt_script_count(void);
const char *adapt_script(size_t i);

typedef struct {
    size_t used;      /* sentences with all words pronounceable and speech enough for them */
    size_t aligned;   /* of those, the ones bw aligned to their text */
    double seconds;   /* speech in the used sentences (the voice-activity detector's) */
    double cpu_s;     /* CPU of the child processes */
} adapt_report;

/* 0 when the tools are installed; otherwise VIVA_ENOTFOUND and err names the missing program
 * and its Debian package. model_dir: as transcribe_params.model_dir (NULL = Debian's). */
int adapt_check(const char *model_dir, char *err, size_t errlen);

/* Estimates a transform from the sentences. dict: viva's extra pronunciations (added to the
 * CMU dictionary; NULL = none). On success *out is the transform's text (malloc'd, caller
 * frees) and *len its length. A sentence with a word no dictionary has, or with too little
 * speech for its words (silence, a sentence left half read), is left out. Each is
 * level-normalised first, as feedback_analyse does. Errors, with the reason in err:
 * VIVA_ENOTFOUND (a tool or model file missing), VIVA_EINVAL (fewer than 3 usable sentences or
 * under 20 s of speech in them; or bw could not align 3 of them to their words),
 * VIVA_EIO (a tool failed: err quotes its last log line). */
int adapt_estimate(const adapt_sentence *s, size_t n, const char *model_dir, const char *dict,
                   char **out, size_t *len, adapt_report *rep, char *err, size_t errlen);

/* 0 when `data` is a transform this model can use (one class, 3 streams of 13, finite
 * numbers, a non-degenerate matrix); otherwise -1 with the reason in err. */
int adapt_check_transform(const char *data, size_t len, char *err, size_t errlen);

/* Applies a transform (NULL = the identity: the generic model) to a pocketsphinx decoder, for
 * what it decodes from its next utterance on. VIVA_EPARSE: not a usable transform (err says
 * why; the previous one stays); VIVA_EIO: pocketsphinx refused it. Used by the transcriber
 * and the command spotter. */
struct ps_decoder_s;
int adapt_apply(struct ps_decoder_s *ps, const char *data, size_t len, char *err,
                size_t errlen);

/* The identity transform (puts the generic model back): static text. */
const char *adapt_identity(void);

/* Expands a sendump into a sphinx3 mixture_weights file (for bw). 0, or -1 with err. */
int adapt_write_mixw(const char *sendump, const char *out, char *err, size_t errlen);

#endif
