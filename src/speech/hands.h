/* hands.h: the kiosk's voice service. Reads text aloud through the configured output device
 * and listens for spoken commands (speech_cmd.h ids) on the configured microphone, so a
 * session can run without touching anything.
 *
 * Speech and recording never overlap: hands_say stops listening first, and the caller listens
 * again once hands_speaking() is 0. While an answer is recorded the answer's own capture feeds
 * the spotter (hands_answer_feed, on that capture's writer thread) with only the end phrase
 * active, so positions are in the answer's samples and the phrase can be cut from it.
 *
 * Backends (hands_backend.h): flite + pocketsphinx where the build has them, otherwise a null
 * backend with which hands_open fails with VIVA_ENOTFOUND and a message starting "speech
 * unavailable". Every function accepts a NULL handle: it cannot speak or listen (0 from the
 * predicates, VIVA_ENOTFOUND "speech unavailable ..." from say and listen, no-ops otherwise).
 *
 * Threads: everything here is for the main thread except hands_answer_feed (the answer
 * capture's writer thread) and the hands_cmd_fn callback, which runs on a writer thread and
 * must only post an event. Synthesis runs on a worker thread of its own; playback starts from
 * hands_tick. */
#ifndef VIVA_HANDS_H
#define VIVA_HANDS_H

#include <stddef.h>
#include <stdint.h>

#include "audio.h"
#include "hands_backend.h" /* hands_cfg, the backend table */
#include "speech_cmd.h"    /* command ids and context masks (in every build) */

typedef struct hands hands;

typedef struct {
    int cmd;             /* speech_cmd_id */
    int64_t start, end;  /* samples of the stream it was heard in */
} hands_hit;

typedef void (*hands_cmd_fn)(void *ctx, const hands_hit *hit);

/* Loads the voice (if cfg->speak) and the command model (if cfg->listen) with this build's
 * backend. Returns 0, or a viva_err with a message in err (VIVA_ENOTFOUND when speech is
 * unavailable or cfg asks for nothing); when only one half could be loaded it returns 0 with a
 * sentence about the other half in err (err[0] == 0 when all is well). `cfg` is copied; `a` is
 * borrowed and must outlive the handle. */
int hands_open(const hands_cfg *cfg, audio *a, hands **out, char *err, size_t errlen);
/* The same with a chosen backend (hands_backend_null, in tests); hands_open uses
 * hands_backend_default(). */
int hands_open_with(const hands_backend *be, const hands_cfg *cfg, audio *a, hands **out,
                    char *err, size_t errlen);
void hands_close(hands *h);
int hands_can_speak(const hands *h);
int hands_can_listen(const hands *h);

/* Read `text` aloud: stops listening, synthesises on the worker thread and plays when ready
 * (from hands_tick). A call while speaking replaces what is said. */
int hands_say(hands *h, const char *text, char *err, size_t errlen);
/* Call every frame: starts playback when synthesis is done, closes a finished player, restarts
 * listening after a lost microphone. */
void hands_tick(hands *h);
int hands_speaking(const hands *h); /* synthesising or playing; 0 for NULL */
void hands_silence(hands *h);       /* stop speaking now */

/* Listen on the microphone for the commands in `mask` (SPEECH_MASK bits); fn is called on the
 * capture's writer thread. */
int hands_listen(hands *h, unsigned mask, hands_cmd_fn fn, void *ctx, char *err, size_t errlen);
void hands_set_context(hands *h, unsigned mask);
/* Any thread: the profile's voice adaptation (src/speech/adapt.h; NULL = none) for the commands
 * heard from now on. VIVA_OK; VIVA_ENOTFOUND when nothing listens or the backend cannot adapt;
 * VIVA_EPARSE (err says why) when it is not a usable transform. NULL h: VIVA_ENOTFOUND. */
int hands_adapt(hands *h, const char *data, size_t len, char *err, size_t errlen);
void hands_listen_stop(hands *h);
int hands_listening(const hands *h);

/* The answer's capture feeds the spotter: begin (main thread, no capture running: positions
 * start at 0 and only the end phrase counts), feed (writer thread), finish (main thread, after
 * the capture stopped). */
void hands_answer_begin(hands *h, hands_cmd_fn fn, void *ctx);
void hands_answer_feed(hands *h, const int16_t *pcm, size_t frames);
void hands_answer_finish(hands *h);

/* The phrase that triggers `cmd` ("moving on"), in every build; "" for no command. */
const char *hands_phrase(int cmd);

#endif
