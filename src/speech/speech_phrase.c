/* speech_phrase.c: the command phrases of speech_cmd.h with their names and spotting
 * thresholds. Plain data, built in every build (also without pocketsphinx), so the screens can
 * show the phrases and `viva voice phrases` can list them anywhere. */
#include "speech_cmd.h"

/* The phrases share no word, so one phrase's word cannot carry another command. Thresholds
 * (log10) were tuned on four flite voices at two speeds against 15 minutes of flite-spoken
 * technical talk (tests/speech, docs/readme/speech.md): the phrases that the talk triggered
 * ("skip ahead", "stop session") are stricter. */
static const struct {
    const char *name, *phrase;
    double threshold;
} commands[SPEECH_CMD_COUNT] = {
    [SPEECH_CMD_NONE] = {"none", "", 0},
    [SPEECH_CMD_START] = {"start", "start practice", -30},
    [SPEECH_CMD_REPEAT] = {"repeat", "repeat question", -30},
    [SPEECH_CMD_SKIP] = {"skip", "skip ahead", -20},
    [SPEECH_CMD_END_ANSWER] = {"end", "finish answer", SPEECH_CMD_END_THRESHOLD},
    [SPEECH_CMD_PLAY] = {"play", "play recording", -30},
    [SPEECH_CMD_GRADE_MISSED] = {"missed", "missed entirely", -30},
    [SPEECH_CMD_GRADE_PARTIAL] = {"partial", "partly right", -30},
    [SPEECH_CMD_GRADE_SOLID] = {"solid", "pretty solid", -30},
    [SPEECH_CMD_GRADE_EXCELLENT] = {"excellent", "absolutely excellent", -30},
    [SPEECH_CMD_NEXT] = {"next", "moving on", -30},
    [SPEECH_CMD_STOP] = {"stop", "stop session", -20},
};

const char *speech_cmd_phrase(speech_cmd_id cmd)
{
    return cmd > SPEECH_CMD_NONE && cmd < SPEECH_CMD_COUNT ? commands[cmd].phrase : "";
}

const char *speech_cmd_name(speech_cmd_id cmd)
{
    return cmd > SPEECH_CMD_NONE && cmd < SPEECH_CMD_COUNT ? commands[cmd].name : "none";
}

double speech_cmd_threshold(speech_cmd_id cmd)
{
    return cmd > SPEECH_CMD_NONE && cmd < SPEECH_CMD_COUNT ? commands[cmd].threshold : 0.0;
}
