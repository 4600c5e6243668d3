/* test_nodev.c: viva on a machine without any sound device (ALSA's configuration without the
 * virtual devices, on a machine with no sound card; skipped where a card exists). PortAudio still starts; capture and playback fail with
 * VIVA_ENODEV and a sentence saying there is no microphone / speaker; a later attempt (after
 * the rescan that failure asks for) fails the same way instead of crashing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "verr.h"

static void test_no_device(void)
{
    const char *cfg = getenv("ALSA_CONFIG_PATH");
    if (!cfg || strstr(cfg, "virtual-audio"))
        SKIP("ALSA_CONFIG_PATH names the virtual devices (run through ctest)");
    char err[512];
    audio *a = NULL;
    CHECK(audio_open(&a, err, sizeof err) == 0);
    if (!a)
        return;
    audio_device_info *l;
    int n = audio_devices(a, &l);
    int inputs = 0;
    for (int i = 0; i < n; i++)
        inputs += l[i].max_input > 0;
    free(l);
    if (inputs > 0) {
        audio_close(a);
        SKIP("this machine has %d input device%s: cannot show the no-device case", inputs,
             inputs == 1 ? "" : "s");
    }
    for (int round = 0; round < 2; round++) {
        audio_capture_params p = {0};
        audio_capture *c = NULL;
        CHECK(audio_capture_start(a, &p, &c, err, sizeof err) == VIVA_ENODEV);
        CHECK(c == NULL);
        CHECK_MSG(strstr(err, "no microphone") != NULL, "%s", err);
        fprintf(stderr, "(expected) %s\n", err);
        p.device = "USB";
        CHECK(audio_capture_start(a, &p, &c, err, sizeof err) == VIVA_ENODEV);
        int16_t pcm[100] = {0};
        audio_player *pl = NULL;
        CHECK(audio_player_open(a, NULL, pcm, 100, AUDIO_RATE, &pl, err, sizeof err) ==
              VIVA_ENODEV);
        CHECK_MSG(strstr(err, "no speaker") != NULL, "%s", err);
    }
    char names[128];
    audio_device_names(a, 1, names, sizeof names);
    CHECK_STR(names, "none");
    audio_close(a);
}

int main(void)
{
    RUN(test_no_device);
    return check_summary("nodev");
}
