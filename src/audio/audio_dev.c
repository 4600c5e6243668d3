/* audio_dev.c: starting PortAudio quietly, the device list, choosing a device by name, and
 * turning PortAudio errors into sentences that name the device. */
#define _GNU_SOURCE /* RTLD_DEFAULT */
#include <alsa/asoundlib.h>
#include <ctype.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_int.h"
#include "verr.h"
#include "vlog.h"

/* alsa-lib prints every failed probe of its configuration (surround51, rear, ...) on stderr
 * while PortAudio lists devices. The handler is process-wide and set once, from audio_open. */
static void alsa_quiet(const char *file, int line, const char *function, int err,
                       const char *fmt, ...)
{
    (void)file, (void)line, (void)function, (void)err, (void)fmt;
}

/* PortAudio's JACK probe makes libjack print "Cannot connect to server socket..." when no JACK
 * server runs (the normal case on a kiosk). libjack is loaded as PortAudio's dependency, so its
 * message hooks are looked up at run time: no build dependency on JACK's headers. */
static void jack_quiet(const char *msg)
{
    (void)msg;
}

static void silence_jack(void)
{
    static const char *const setters[] = {"jack_set_error_function", "jack_set_info_function"};
    for (size_t i = 0; i < sizeof setters / sizeof setters[0]; i++) {
        void *sym = dlsym(RTLD_DEFAULT, setters[i]);
        if (sym) {
            void (*set)(void (*)(const char *));
            memcpy(&set, &sym, sizeof set);
            set(jack_quiet);
        }
    }
}

static int pa_start(audio *a)
{
    PaError pe = Pa_Initialize();
    if (pe != paNoError) {
        snprintf(a->init_error, sizeof a->init_error, "PortAudio did not start: %s",
                 Pa_GetErrorText(pe));
        VLOG_E("audio", "%s", a->init_error);
        a->pa_ok = 0;
        return VIVA_EIO;
    }
    a->pa_ok = 1;
    a->init_error[0] = '\0';
    return VIVA_OK;
}

int audio_open(audio **out, char *err, size_t errlen)
{
    audio *a = calloc(1, sizeof *a);
    if (!a)
        return VIVA_ENOMEM;
    snd_lib_error_set_handler(alsa_quiet);
    silence_jack();
    /* Never let PortAudio's JACK probe start a JACK server on a kiosk. */
    setenv("JACK_NO_START_SERVER", "1", 0);
    int rc = pa_start(a);
    if (rc) {
        snprintf(err, errlen, "audio: %s", a->init_error);
        free(a);
        return rc;
    }
    *out = a;
    int n = Pa_GetDeviceCount();
    VLOG_D("audio", "PortAudio %s: %d device%s", Pa_GetVersionText(), n, n == 1 ? "" : "s");
    return VIVA_OK;
}

void audio_close(audio *a)
{
    if (!a)
        return;
    if (a->pa_ok)
        Pa_Terminate();
    free(a);
}

int audio_rescan(audio *a, char *err, size_t errlen)
{
    if (a->open_streams > 0) {
        snprintf(err, errlen, "audio: cannot look for new devices while %d stream%s open",
                 a->open_streams, a->open_streams == 1 ? " is" : "s are");
        return VIVA_EBUSY;
    }
    if (a->pa_ok)
        Pa_Terminate();
    a->pa_ok = 0;
    int rc = pa_start(a);
    if (rc) {
        snprintf(err, errlen, "audio: %s", a->init_error);
        return rc;
    }
    a->need_rescan = 0;
    VLOG_I("audio", "devices rescanned: %d found", Pa_GetDeviceCount());
    return VIVA_OK;
}

void audio_rescan_if_needed(audio *a)
{
    char err[256];
    if ((a->need_rescan || !a->pa_ok) && a->open_streams == 0 && audio_rescan(a, err, sizeof err))
        VLOG_W("audio", "%s", err);
}

static int device_count(audio *a)
{
    int n = a->pa_ok ? Pa_GetDeviceCount() : 0;
    return n < 0 ? 0 : n;
}

static int has_dir(const PaDeviceInfo *d, int input)
{
    return d && (input ? d->maxInputChannels : d->maxOutputChannels) > 0;
}

int audio_devices(audio *a, audio_device_info **list)
{
    int n = device_count(a);
    *list = NULL;
    if (n == 0)
        return 0;
    audio_device_info *l = calloc((size_t)n, sizeof *l);
    if (!l)
        return 0;
    PaDeviceIndex din = Pa_GetDefaultInputDevice(), dout = Pa_GetDefaultOutputDevice();
    for (int i = 0; i < n; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!d)
            continue;
        const PaHostApiInfo *h = Pa_GetHostApiInfo(d->hostApi);
        snprintf(l[i].name, sizeof l[i].name, "%s", d->name ? d->name : "?");
        snprintf(l[i].host_api, sizeof l[i].host_api, "%s", h && h->name ? h->name : "?");
        l[i].max_input = d->maxInputChannels;
        l[i].max_output = d->maxOutputChannels;
        l[i].default_rate = d->defaultSampleRate;
        l[i].is_default_input = i == din;
        l[i].is_default_output = i == dout;
        if (d->maxInputChannels > 0) {
            PaStreamParameters ip = {i, 1, paInt16, d->defaultHighInputLatency, NULL};
            l[i].input_16k_mono = Pa_IsFormatSupported(&ip, NULL, AUDIO_RATE) == paNoError;
        }
    }
    *list = l;
    return n;
}

void audio_device_names(audio *a, int input, char *buf, size_t len)
{
    int n = device_count(a);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used + 1 < len; i++) {
        const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
        if (!has_dir(d, input))
            continue;
        int w = snprintf(buf + used, len - used, "%s\"%s\"", used ? ", " : "", d->name);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= len && len > 4)
        memcpy(buf + len - 4, "...", 4);
    if (!buf[0])
        snprintf(buf, len, "none");
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < nl && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == nl)
            return 1;
    }
    return nl == 0;
}

int audio_find_device(audio *a, const char *name, int input, PaDeviceIndex *idx, char *err,
                      size_t errlen)
{
    const char *dir = input ? "input" : "output";
    const char *what = input ? "microphone" : "speaker";
    int n = device_count(a);
    char names[512];
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= has_dir(Pa_GetDeviceInfo(i), input);
    if (!any) {
        snprintf(err, errlen, "audio: no %s found: PortAudio lists no %s device%s%s", what, dir,
                 a->pa_ok ? "" : "; ", a->pa_ok ? "" : a->init_error);
        return VIVA_ENODEV;
    }
    if (!name || !name[0]) {
        PaDeviceIndex d = input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
        if (d == paNoDevice || !has_dir(Pa_GetDeviceInfo(d), input)) {
            for (d = 0; d < n && !has_dir(Pa_GetDeviceInfo(d), input); d++)
                ;
            VLOG_W("audio", "no default %s device; using \"%s\"", dir, Pa_GetDeviceInfo(d)->name);
        }
        *idx = d;
        return VIVA_OK;
    }
    /* Pass 0: exact; 1: substring; 2: substring ignoring case. First match of a pass wins. */
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i < n; i++) {
            const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
            if (!has_dir(d, input) || !d->name)
                continue;
            int hit = pass == 0   ? strcmp(d->name, name) == 0
                      : pass == 1 ? strstr(d->name, name) != NULL
                                  : contains_nocase(d->name, name);
            if (hit) {
                *idx = i;
                return VIVA_OK;
            }
        }
    }
    audio_device_names(a, input, names, sizeof names);
    snprintf(err, errlen, "audio: no %s device named \"%s\"; %s devices: %s", dir, name, dir,
             names);
    return VIVA_ENODEV;
}

int audio_pa_error(PaError pe, const char *what, const char *device, char *err, size_t errlen)
{
    const char *detail = Pa_GetErrorText(pe);
    if (pe == paUnanticipatedHostError) {
        const PaHostErrorInfo *h = Pa_GetLastHostErrorInfo();
        if (h && h->errorText && h->errorText[0])
            detail = h->errorText;
    }
    switch (pe) {
    case paDeviceUnavailable:
        snprintf(err, errlen, "audio: %s device \"%s\" is busy or unavailable (is another "
                 "program using it?): %s", what, device, detail);
        return VIVA_EBUSY;
    case paInvalidSampleRate:
    case paSampleFormatNotSupported:
    case paInvalidChannelCount:
        snprintf(err, errlen, "audio: %s device \"%s\" does not support the format: %s", what,
                 device, detail);
        return VIVA_EINVAL;
    case paInsufficientMemory:
        snprintf(err, errlen, "audio: %s device \"%s\": out of memory", what, device);
        return VIVA_ENOMEM;
    default:
        snprintf(err, errlen, "audio: %s device \"%s\" cannot be opened (unplugged or "
                 "broken?): %s", what, device, detail);
        return VIVA_EIO;
    }
}

const char *audio_end_name(audio_end e)
{
    switch (e) {
    case AUDIO_GOING:
        return "going";
    case AUDIO_END_SILENCE:
        return "silence";
    case AUDIO_END_LIMIT:
        return "time limit";
    case AUDIO_END_COMMAND:
        return "command";
    case AUDIO_END_DEVICE_LOST:
        return "device lost";
    case AUDIO_END_SINK_FAILED:
        return "sink failed";
    }
    return "?";
}
