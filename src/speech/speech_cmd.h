/* speech_cmd.h: spoken commands. A keyword-spotting recogniser (pocketsphinx's kws search over
 * Debian's en-us acoustic model) listens to a stream of 16 kHz mono int16 samples and reports
 * the two-word command phrases below with where they lie in the stream, in samples, so that the
 * caller can cut an "end of answer" phrase from the recording it belongs to.
 *
 * Only the commands in the current context mask are reported; the rest are heard and dropped.
 * While the candidate answers, the mask should be SPEECH_CTX_ANSWER (the end phrase alone), so
 * nothing said in an answer can skip or grade it by accident; the end phrase also has its own,
 * stricter threshold.
 *
 * Threads: speech_cmd_feed, speech_cmd_reset and speech_cmd_close belong to one thread at a time
 * (normally the capture's writer thread, inside an audio_sink); speech_cmd_set_context and
 * speech_cmd_context may be called from any thread (the mask is atomic). */
#ifndef VIVA_SPEECH_CMD_H
#define VIVA_SPEECH_CMD_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    SPEECH_CMD_NONE = 0,
    SPEECH_CMD_START,           /* start the session */
    SPEECH_CMD_REPEAT,          /* read the question again */
    SPEECH_CMD_SKIP,            /* skip this question */
    SPEECH_CMD_END_ANSWER,      /* my answer is over */
    SPEECH_CMD_PLAY,            /* play my answer back */
    SPEECH_CMD_GRADE_MISSED,    /* self-grade 0 */
    SPEECH_CMD_GRADE_PARTIAL,   /* self-grade 1 */
    SPEECH_CMD_GRADE_SOLID,     /* self-grade 2 */
    SPEECH_CMD_GRADE_EXCELLENT, /* self-grade 3 */
    SPEECH_CMD_NEXT,            /* next question */
    SPEECH_CMD_STOP,            /* stop the session */
    SPEECH_CMD_COUNT
} speech_cmd_id;

#define SPEECH_MASK(cmd) (1u << (cmd))
#define SPEECH_CTX_NONE 0u
#define SPEECH_CTX_ALL (((1u << SPEECH_CMD_COUNT) - 1u) & ~1u)
/* Suggested masks for the moments of a session (the UI may use its own). */
#define SPEECH_CTX_IDLE (SPEECH_MASK(SPEECH_CMD_START))
#define SPEECH_CTX_THINK                                                                      \
    (SPEECH_MASK(SPEECH_CMD_REPEAT) | SPEECH_MASK(SPEECH_CMD_SKIP) | SPEECH_MASK(SPEECH_CMD_STOP))
#define SPEECH_CTX_ANSWER (SPEECH_MASK(SPEECH_CMD_END_ANSWER))
#define SPEECH_CTX_REVIEW                                                                     \
    (SPEECH_MASK(SPEECH_CMD_PLAY) | SPEECH_MASK(SPEECH_CMD_GRADE_MISSED) |                    \
     SPEECH_MASK(SPEECH_CMD_GRADE_PARTIAL) | SPEECH_MASK(SPEECH_CMD_GRADE_SOLID) |            \
     SPEECH_MASK(SPEECH_CMD_GRADE_EXCELLENT) | SPEECH_MASK(SPEECH_CMD_NEXT) |                 \
     SPEECH_MASK(SPEECH_CMD_REPEAT) | SPEECH_MASK(SPEECH_CMD_STOP))

/* The phrase to say for a command ("next question"), for the on-screen hints, and a short
 * identifier ("next"). Both are static strings; "" / "none" for SPEECH_CMD_NONE. */
const char *speech_cmd_phrase(speech_cmd_id cmd);
const char *speech_cmd_name(speech_cmd_id cmd);
/* The tuned log10 spotting threshold of the phrase (before speech_cmd_params' shift); 0 for
 * SPEECH_CMD_NONE. The phrase table (speech_phrase.c) is in every build. */
double speech_cmd_threshold(speech_cmd_id cmd);

typedef struct speech_cmd speech_cmd;

typedef struct {
    const char *model_dir; /* holds en-us/ and cmudict-en-us.dict; NULL/"" = Debian's */
    double threshold_shift; /* added to the log10 spotting threshold of every phrase but the
                               end phrase (each has a tuned one): +5 = 1e5 times stricter,
                               fewer false commands and more missed ones; -5 = more eager */
    double end_threshold;   /* log10 threshold of the end phrase (< 0);
                               0 = SPEECH_CMD_END_THRESHOLD */
    unsigned context;      /* initial context mask */
} speech_cmd_params;

#define SPEECH_CMD_END_THRESHOLD (-30.0)

/* A recognised command. Positions count samples fed since open or the last reset. */
typedef struct {
    speech_cmd_id cmd;
    int64_t start, end; /* where the phrase was heard: cut the recording at `start` */
    int64_t heard_at;   /* samples fed when it was recognised (end..heard_at = latency) */
} speech_cmd_hit;

/* Load the model (about 1 s and 30 MB). Errors: VIVA_ENOTFOUND the model directory lacks the
 * files (err names them and the Debian package, pocketsphinx-en-us), VIVA_EIO the decoder could
 * not start. */
int speech_cmd_open(const speech_cmd_params *p, speech_cmd **out, char *err, size_t errlen);

/* Any thread: which commands are reported from now on (SPEECH_MASK bits). */
void speech_cmd_set_context(speech_cmd *r, unsigned mask);
unsigned speech_cmd_context(const speech_cmd *r);

/* Feed the next `frames` samples. Writes up to `max` recognised commands into hits (in order)
 * and returns how many (0 = none). Never fails: decoder trouble restarts the utterance. */
int speech_cmd_feed(speech_cmd *r, const int16_t *pcm, size_t frames, speech_cmd_hit *hits,
                    int max);

/* Any thread: a voice adaptation (adapt.h: the transform's text; NULL = the generic model) for
 * the commands heard from the next speech_cmd_feed on (the feeding thread puts it in force
 * between two chunks, starting a new utterance). VIVA_EPARSE: not a usable transform (err
 * says why; nothing changes). A transform pocketsphinx refuses later is logged and the
 * generic model used. */
int speech_cmd_adapt(speech_cmd *r, const char *data, size_t len, char *err, size_t errlen);

/* Forget what was heard and count positions from 0 again (a new stream, e.g. a new answer). */
void speech_cmd_reset(speech_cmd *r);

void speech_cmd_close(speech_cmd *r);

#endif
