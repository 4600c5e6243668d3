/* run.c: `viva run`, the kiosk's driver: the SDL event loop that owns the window.
 *
 * Everything that happens - a key, a touch, a GPIO button, a gamepad, a spoken command, the
 * recorder ending the answer, viva finishing a sentence, playback stopping, the analysis
 * coming in - becomes a kiosk event (src/kiosk); the machine answers with actions, which this
 * file carries out on the practice controller, the voice service and the audio edge, feeding
 * any result straight back. The screens are drawn from the machine's model (run_view.c).
 *
 * The loop is event-driven: while a countdown runs it draws at the display's refresh rate;
 * when nothing moves it draws nothing and sleeps. A script (--script) injects timed input and
 * asks for screenshots (--screenshot DIR), so a whole run can be replayed on a machine without
 * a display using SDL's offscreen driver. SIGTERM and SIGINT end the loop cleanly. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <SDL.h>

#include "board_cfg.h"
#include "board_notify.h"
#include "file.h"
#include "run.h"
#include "runner.h"
#include "script.h"
#include "vlog.h"

_Static_assert((int)KIOSK_KB_DELETE == (int)SCREEN_KB_DELETE &&
                   (int)KIOSK_KB_DONE == (int)SCREEN_KB_DONE &&
                   (int)KIOSK_KB_CANCEL == (int)SCREEN_KB_CANCEL,
               "the kiosk and the keyboard view name the special keys alike");
_Static_assert((int)KIOSK_PROGRESS_GRAPH == (int)SCREEN_PROGRESS_GRAPH &&
                   (int)KIOSK_PROGRESS_BACK == (int)SCREEN_PROGRESS_BACK,
               "the kiosk and the progress view name the targets alike");

/* Set by the signal handler, read by the loop: the one flag a handler may touch. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Three buttons are enough: previous (Left/PageUp/GPIO), next (Right/PageDown/GPIO) and select
 * (Enter/Space/GPIO). Presentation clickers send PageUp/PageDown/B/period. Esc goes back: out
 * of a session to its summary, out of a menu to home, and from home quits. */
static kiosk_key key_of_sym(SDL_Keycode k)
{
    switch (k) {
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
    case SDLK_SPACE:
    case SDLK_PERIOD:
        return KIOSK_KEY_SELECT;
    case SDLK_RIGHT:
    case SDLK_PAGEDOWN:
        return KIOSK_KEY_NEXT;
    case SDLK_DOWN:
        return KIOSK_KEY_DOWN; /* next, or a row down on the on-screen keyboard */
    case SDLK_LEFT:
    case SDLK_PAGEUP:
        return KIOSK_KEY_PREV;
    case SDLK_UP:
        return KIOSK_KEY_UP;
    case SDLK_ESCAPE:
    case SDLK_BACKSPACE:
        return KIOSK_KEY_BACK;
    case SDLK_p:
    case SDLK_b:
        return KIOSK_KEY_PLAY;
    case SDLK_LEFTBRACKET:
        return KIOSK_KEY_BACK5;
    case SDLK_RIGHTBRACKET:
        return KIOSK_KEY_FWD5;
    case SDLK_0:
        return KIOSK_KEY_GRADE0;
    case SDLK_1:
        return KIOSK_KEY_GRADE1;
    case SDLK_2:
        return KIOSK_KEY_GRADE2;
    case SDLK_3:
        return KIOSK_KEY_GRADE3;
    case SDLK_t:
        return KIOSK_KEY_RETRY;
    case SDLK_c:
        return KIOSK_KEY_COMPARE;
    case SDLK_r:
        return KIOSK_KEY_REFERENCE;
    default:
        return KIOSK_KEY_NONE;
    }
}

/* Gamepads: A/Start = select, d-pad or shoulder buttons = previous/next, X = play, Y = back 5 s.
 * There is deliberately no quit button: on a kiosk a pad must not end the program. */
static int keyboard_step(void *u, int index, int rows)
{
    return screen_keyboard_step(u, index, rows);
}

static kiosk_key key_of_pad(Uint8 button)
{
    switch (button) {
    case SDL_CONTROLLER_BUTTON_A:
    case SDL_CONTROLLER_BUTTON_START:
        return KIOSK_KEY_SELECT;
    case SDL_CONTROLLER_BUTTON_DPAD_LEFT:
    case SDL_CONTROLLER_BUTTON_LEFTSHOULDER:
        return KIOSK_KEY_PREV;
    case SDL_CONTROLLER_BUTTON_DPAD_UP:
        return KIOSK_KEY_UP;
    case SDL_CONTROLLER_BUTTON_DPAD_RIGHT:
    case SDL_CONTROLLER_BUTTON_RIGHTSHOULDER:
        return KIOSK_KEY_NEXT;
    case SDL_CONTROLLER_BUTTON_DPAD_DOWN:
        return KIOSK_KEY_DOWN;
    case SDL_CONTROLLER_BUTTON_X:
        return KIOSK_KEY_PLAY;
    case SDL_CONTROLLER_BUTTON_Y:
        return KIOSK_KEY_BACK5;
    default:
        return KIOSK_KEY_NONE;
    }
}

/* GPIO thread: a button press becomes the same action as its key, through the event queue. */
static void on_button(void *ctx, int button, int pressed)
{
    const run *r = ctx;
    if (!pressed)
        return;
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = r->button_event;
    e.user.code = button;
    SDL_PushEvent(&e);
}

/* ---- the loop ---------------------------------------------------------------------------------- */

/* Waits for an event and takes it into *e, or with e == NULL only reports that one is
 * queued. SDL_WaitEventTimeout spins in 1 ms steps when the joystick subsystem is on (gamepads) or
 * the video driver cannot block, which costs a few percent of a core on an idle screen.
 * Waiting in 10 ms sleeps keeps input latency under 10 ms at a fraction of the cost. */
static int wait_event(SDL_Event *e, int timeout_ms)
{
    for (int waited = 0;; waited += 10) {
        if (SDL_PollEvent(e))
            return 1;
        if (waited >= timeout_ms || stop_requested)
            return 0;
        int step = timeout_ms - waited < 10 ? timeout_ms - waited : 10;
        SDL_Delay((Uint32)(step > 0 ? step : 1));
    }
}

static int load_script(const char *path, script *s)
{
    char *text;
    size_t len;
    int e = file_read(path, 1u << 20, &text, &len);
    if (e) {
        fprintf(stderr, "viva run: %s: cannot read: %s\n", path, strerror(e));
        return -1;
    }
    char err[512];
    int rc = script_parse(s, path, text, err, sizeof err);
    free(text);
    if (rc != 0)
        fprintf(stderr, "viva run: %s\n", err);
    return rc;
}

static void inject(ui *u, const script_event *ev)
{
    SDL_Event e;
    memset(&e, 0, sizeof e);
    if (ev->kind == SCRIPT_KEY) {
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = ev->key;
        e.key.state = SDL_PRESSED;
        SDL_PushEvent(&e);
        e.type = SDL_KEYUP;
        e.key.state = SDL_RELEASED;
        SDL_PushEvent(&e);
    } else if (ev->kind == SCRIPT_TYPE) {
        e.type = SDL_TEXTINPUT;
        snprintf(e.text.text, sizeof e.text.text, "%.31s", ev->name);
        SDL_PushEvent(&e);
    } else if (ev->kind == SCRIPT_TAP) {
        e.type = SDL_MOUSEBUTTONUP;
        e.button.button = SDL_BUTTON_LEFT;
        e.button.x = (Sint32)(ev->x * ui_w(u));
        e.button.y = (Sint32)(ev->y * ui_h(u));
        SDL_PushEvent(&e);
    } else if (ev->kind == SCRIPT_QUIT) {
        e.type = SDL_QUIT;
        SDL_PushEvent(&e);
    }
}

/* One SDL event as a kiosk event (type -1: nothing for the machine). */
static void translate(run *r, const SDL_Event *e, kiosk_event *k)
{
    memset(k, 0, sizeof *k);
    k->type = (kiosk_event_type)-1;
    k->now_ms = r->now;
    if (e->type == SDL_QUIT) {
        k->type = KIOSK_EV_KEY;
        k->i = KIOSK_KEY_QUIT;
    } else if (e->type == SDL_KEYDOWN) {
        SDL_Keycode sym = e->key.keysym.sym;
        int typing = r->k.screen == KIOSK_KEYBOARD;
        k->type = KIOSK_EV_KEY;
        k->i = key_of_sym(sym);
        if (typing && sym >= 32 && sym < 127) {
            k->type = (kiosk_event_type)-1; /* typed text arrives as SDL_TEXTINPUT */
        } else if (typing && sym == SDLK_BACKSPACE) {
            k->type = KIOSK_EV_TEXT;
            k->text = "\b";
        } else if (typing && r->k.typed_on_keyboard &&
                   (sym == SDLK_RETURN || sym == SDLK_KP_ENTER)) {
            k->i = KIOSK_KEY_ENTER_TYPED; /* typed on a keyboard: Enter means Done */
        }
        run_pin_key(r, sym, k);
        if (r->k.screen == KIOSK_REVIEW && (sym == SDLK_UP || sym == SDLK_DOWN))
            k->i = sym == SDLK_UP ? KIOSK_KEY_PAGE_UP : KIOSK_KEY_PAGE_DOWN; /* the transcript */
    } else if (run_review_drag(r, e)) {
        /* scrolling the transcript by touch (or the release that ends it) */
    } else if (e->type == SDL_TEXTINPUT) {
        k->type = KIOSK_EV_TEXT;
        k->text = e->text.text;
    } else if (e->type == SDL_MOUSEBUTTONUP || e->type == SDL_FINGERUP) {
        int x = e->type == SDL_FINGERUP ? (int)(e->tfinger.x * ui_w(r->u)) : e->button.x;
        int y = e->type == SDL_FINGERUP ? (int)(e->tfinger.y * ui_h(r->u)) : e->button.y;
        k->type = KIOSK_EV_TOUCH;
        k->i = run_hit(r, x, y);
    } else if (e->type == r->audio_event && e->user.code == AUDIO_GOING) {
        k->type = KIOSK_EV_PAUSE; /* silence after speech, or speech again */
        k->i = (int)(intptr_t)e->user.data1;
        k->ms = (int64_t)(intptr_t)e->user.data2;
        if (k->i)
            VLOG_I("run", "answer paused: asking \"Still thinking?\" (%.1f s to its end)",
                   k->ms / 1000.0);
        else
            VLOG_I("run", "answer resumed: speech again, the same answer goes on");
    } else if (e->type == r->audio_event) {
        k->type = KIOSK_EV_CAPTURE_END;
        k->i = e->user.code == AUDIO_END_DEVICE_LOST;
        r->answer_end = e->user.code;
    } else if (e->type == r->voice_event) {
        VLOG_I("run", "voice command: %s", hands_phrase(e->user.code));
        k->type = KIOSK_EV_VOICE;
        k->i = run_cmd_of(e->user.code);
        k->sample = (int64_t)(intptr_t)e->user.data1;
    } else if (e->type == r->button_event) {
        k->type = KIOSK_EV_KEY;
        k->i = e->user.code == BOARD_BUTTON_PREV   ? KIOSK_KEY_PREV
               : e->user.code == BOARD_BUTTON_NEXT ? KIOSK_KEY_NEXT
                                                   : KIOSK_KEY_SELECT;
    } else if (e->type == SDL_CONTROLLERDEVICEADDED) {
        if (SDL_GameControllerOpen(e->cdevice.which))
            VLOG_I("run", "gamepad connected: %s",
                   SDL_GameControllerNameForIndex(e->cdevice.which));
    } else if (e->type == SDL_CONTROLLERBUTTONDOWN) {
        k->type = KIOSK_EV_KEY;
        k->i = key_of_pad(e->cbutton.button);
    } else if (run_analysis_event(r->an, r->pr, e, k) && (int)k->type < 0) {
        run_tell_settings(r); /* the recogniser did not load: answers are not analysed */
    }
}

/* Edges the machine hears about: speech ended, playback started or stopped. */
static void poll_edges(run *r)
{
    if (r->hf)
        hands_tick(r->hf);
    int speaking = r->hf && hands_speaking(r->hf);
    if (r->was_speaking && !speaking) {
        r->was_speaking = 0;
        kiosk_event done = {.type = KIOSK_EV_SPEECH_DONE, .now_ms = r->now};
        run_feed(r, &done);
    }
    double pos, len;
    int playing = 0;
    if (r->pr)
        practice_play_position(r->pr, &pos, &len, &playing);
    if (playing != r->was_playing) {
        r->was_playing = playing;
        kiosk_event pe = {.type = KIOSK_EV_PLAYBACK, .now_ms = r->now, .i = playing};
        run_feed(r, &pe);
    }
    kiosk_event tick = {.type = KIOSK_EV_TICK, .now_ms = r->now};
    run_feed(r, &tick);
}

/* Notices written for viva by the system around it (the image's viva-settings script names the
 * bad lines of the owner's settings file there): the file named by VIVA_NOTICE_FILE, its lines
 * joined, shown on the first screen. No variable, no file or an empty one: nothing to show. A
 * store notice (answers cannot be saved) comes first and is not replaced. */
static void tell_file_notice(run *r)
{
    const char *path = getenv("VIVA_NOTICE_FILE");
    if (!path || !*path || r->notice0[0])
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char text[sizeof r->notice0];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
        text[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (text[i] == '\n' || text[i] == '\r' || text[i] == '\t')
            text[i] = ' ';
    if (n == 0)
        return;
    VLOG_I("run", "notice from %s: %s", path, text);
    kiosk_event ev = {.type = KIOSK_EV_NOTICE, .text = text};
    run_feed(r, &ev);
}

int run_kiosk(viva_app *app, const run_options *opt)
{
    if (app->cfg.rotation % 90 != 0) {
        fprintf(stderr, "viva: display.rotation: %d is not 0, 90, 180 or 270\n",
                app->cfg.rotation);
        return EXIT_USAGE;
    }
    script scr = {0};
    if (opt->script_path && load_script(opt->script_path, &scr) != 0)
        return EXIT_USAGE;
    if (opt->shot_dir && mkdir(opt->shot_dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "viva run: --screenshot %s: %s\n", opt->shot_dir, strerror(errno));
        script_free(&scr);
        return EXIT_USAGE;
    }

    /* From here on SIGTERM/SIGINT end the run cleanly (the loop checks the flag). */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    run r;
    memset(&r, 0, sizeof r);
    r.app = app;
    char notice[320], err[512];
    int exit_code;
    /* A store that refuses to open (damaged, newer, locked, unreadable) does not stop the
     * kiosk: the window opens on the recovery screen (no restart loop under systemd). */
    if (practice_open(app, NULL, &r.pr, notice, sizeof notice, err, sizeof err,
                      &exit_code) != 0) {
        fprintf(stderr, "viva: %s\n", err);
        script_free(&scr);
        return EXIT_FAIL;
    }
    kiosk_event refused;
    run_store_outcome(&r, exit_code, err, "", &refused);
    snprintf(r.notice0, sizeof r.notice0, "%s", notice);
    r.have_seed = opt->have_seed;
    r.seed = opt->seed;
    if (opt->have_seed)
        practice_set_seed(r.pr, opt->seed);

    ui_options uo = {
        .width = app->cfg.display_width,
        .height = app->cfg.display_height,
        .fullscreen = app->cfg.fullscreen,
        .rotation = app->cfg.rotation,
        .video_driver = app->cfg.video_driver,
        .font_path = app->cfg.font,
        .high_contrast = app->cfg.high_contrast,
        .title = "viva",
    };
    int no_display;
    if (ui_open(&uo, &r.u, &no_display, err, sizeof err) != 0) {
        fprintf(stderr, "viva: %s\n", err);
        practice_close(r.pr);
        script_free(&scr);
        return no_display ? EXIT_NODISPLAY : EXIT_FAIL;
    }
    r.audio_event = SDL_RegisterEvents(4);
    r.button_event = r.audio_event + 1;
    r.voice_event = r.audio_event + 2;
    run_analysis_open(app, practice_bank(r.pr), r.audio_event + 3, &r.an);
    board_gpio_config gc;
    app_gpio_config(&app->cfg, &gc);
    board_buttons *buttons = NULL;
    if (board_buttons_open(&gc, on_button, &r, &buttons, err, sizeof err) != 0) {
        /* Buttons are a convenience: keys, touch and the clicker still work. */
        VLOG_W("gpio", "%s", err);
        buttons = NULL;
    }

    kiosk_init(&r.k, screen_keyboard_nkeys(), screen_keyboard_key);
    r.k.key_step = keyboard_step;
    r.k.key_step_ctx = r.u;
    Uint32 start = SDL_GetTicks();
    run_tell_settings(&r);
    if (refused.type == KIOSK_EV_STORE_REFUSED)
        run_feed(&r, &refused); /* START then shows the recovery screen */
    /* Several candidates share the device: they choose who they are first. */
    char names[2][STORE_NAME_MAX + 1];
    static const char prefix[] = "Answers cannot be saved: ";
    kiosk_event st = {
        .type = KIOSK_EV_START,
        .i = practice_can_save(r.pr),
        .n = practice_can_save(r.pr) ? practice_profiles(r.pr, names, 2) : 0,
        .text = strncmp(r.notice0, prefix, sizeof prefix - 1) == 0 ? r.notice0 + sizeof prefix - 1
                                                                   : r.notice0,
    };
    run_feed(&r, &st);
    tell_file_notice(&r);
    run_pin_start(&r);

    int shots = 0, first_frame_logged = 0, dirty = 1, hands_tried = 0, rc = EXIT_OK;
    const char *pending_shot = NULL;
    char shot_name[64];
    while (r.k.running && !stop_requested && r.pr) {
        r.now = SDL_GetTicks() - start;
        const script_event *ev;
        /* Script time starts at the first frame, so a slow start (qemu) shifts nothing. A
         * screenshot ends the batch: it is taken of this frame before later events apply. */
        while (first_frame_logged && !pending_shot && (ev = script_due(&scr, (Uint32)r.now))) {
            if (ev->kind == SCRIPT_SCREENSHOT) {
                snprintf(shot_name, sizeof shot_name, "%s", ev->name);
                pending_shot = shot_name;
            } else {
                inject(r.u, ev);
            }
        }
        kiosk_screen before = r.k.screen;
        if (first_frame_logged && !hands_tried) {
            /* The spotter's model takes about a second to load: after the first frame. */
            hands_tried = 1;
            run_open_hands(&r);
            run_tell_speech(&r);
        }
        poll_edges(&r);
        if (!r.k.running || !r.pr)
            break;
        int frame_ms = run_frame_ms(&r);
        if (r.k.screen != before)
            dirty = 1;
        board_watchdog_kick();
        if (buttons)
            board_buttons_set_led(buttons, r.k.screen == KIOSK_ANSWER && r.k.recording);
        /* Draw only when something changed: an idle screen costs no rendering at all. */
        if (!(dirty || frame_ms || pending_shot)) {
            int sw = script_wait_ms(&scr, SDL_GetTicks() - start);
            int64_t dl = kiosk_next_deadline(&r.k, r.now);
            int wait = sw >= 0 && sw < 250 ? sw : 250;
            if (dl >= 0 && dl < wait)
                wait = (int)dl;
            /* Only look: the event stays first in the queue (popping and pushing it back would
             * put it behind later ones) and is handled below, after a redraw. */
            if (wait_event(NULL, wait))
                dirty = 1;
            continue;
        }
        dirty = 0;
        run_draw(&r);
        if (pending_shot) {
            char path[PATH_MAX + 80];
            snprintf(path, sizeof path, "%s/%s.png", opt->shot_dir ? opt->shot_dir : ".",
                     pending_shot);
            if (ui_screenshot(r.u, path, err, sizeof err) != 0) {
                fprintf(stderr, "viva: %s\n", err);
                rc = EXIT_FAIL;
            } else {
                shots++;
                VLOG_I("run", "screenshot %s", path);
            }
            pending_shot = NULL;
        }
        ui_present(r.u);
        if (!first_frame_logged) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            VLOG_I("run", "first frame %.1f ms after start",
                   (ts.tv_sec + ts.tv_nsec / 1e9 - app->start_s) * 1000.0);
            first_frame_logged = 1;
            board_notify_ready();
            start = SDL_GetTicks();
        }

        /* Sleep until input, the next script event, or the next countdown frame. */
        int timeout = frame_ms ? frame_ms : 250;
        int sw = script_wait_ms(&scr, SDL_GetTicks() - start);
        if (sw >= 0 && sw < timeout)
            timeout = sw;
        SDL_Event e;
        int got = wait_event(&e, timeout);
        while (got && r.k.running && r.pr) {
            r.now = SDL_GetTicks() - start;
            dirty = 1;
            kiosk_event ke;
            translate(&r, &e, &ke);
            if ((int)ke.type >= 0)
                run_feed(&r, &ke);
            got = SDL_PollEvent(&e);
        }
    }
    board_notify_stopping();
    if (stop_requested)
        VLOG_I("run", "stopping on signal");
    if (opt->shot_dir)
        VLOG_I("run", "%d screenshot%s written to %s", shots, shots == 1 ? "" : "s",
               opt->shot_dir);
    /* A running answer is saved (ungraded) before the store closes. */
    run_close_hands(&r); /* no stream may outlive the practice's audio handle */
    if (r.pr && !stop_requested)
        run_analysis_drain(r.an, r.pr, 15000); /* answers just given keep their feedback */
    run_analysis_close(r.an);
    r.an = NULL;
    if (r.pr) {
        if (r.k.screen == KIOSK_ANSWER)
            practice_answer_end(r.pr, run_wall_ms());
        practice_end_session(r.pr, run_wall_ms());
        run_free_progress(&r);
        run_review_free(&r);
    } else {
        rc = EXIT_FAIL;
    }
    if (buttons)
        board_buttons_close(buttons);
    ui_close(r.u);
    practice_close(r.pr);
    script_free(&scr);
    return rc;
}

