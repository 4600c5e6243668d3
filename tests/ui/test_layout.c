/* test_layout.c: every screen state drawn in a real SDL window (offscreen driver) at each
 * supported size, 800x480 to 3840x2160 and two portrait ones, with the frame's text boxes
 * recorded by ui.c (ui_layout_record) and checked by layout_check(): no two texts overlap, no
 * text crosses the countdown ring, leaves the window or its box, is cut or split inside a
 * word, or is smaller than the readable floor. A finding fails the test with the state, the
 * size and the text(s) named.
 *
 * The screens are listed in one table, `states`: a new screen state is one row (a name and a
 * function that fills the view and draws it). Realistic data (the strings the app shows, the
 * bank's longest questions and key points) must come out clean; rows with hostile data (a
 * 300-character title) may end in "..." after a whole word (LAYOUT_ALLOW_ELLIPSIS) and must
 * not overlap or cut words. Rows marked `pending` belong to screens another change is
 * rewriting: their findings are printed, and fail only with LAYOUT_STRICT=1.
 *
 * LAYOUT_SHOTS=dir saves each frame as dir/<state>-<W>x<H>.png; LAYOUT_ONLY=text draws only
 * the states whose name contains it. */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "layout.h"
#include "screens.h"

static const int sizes[][2] = {{800, 480},   {1024, 600}, {1280, 720}, {1920, 1080},
                               {3840, 2160}, {720, 1280}, {480, 800}};
enum { NSIZES = sizeof sizes / sizeof sizes[0] };

/* ---- the data ----------------------------------------------------------------------------------- */

static const char *const hostile =
    "Explain how you would design a distributed rate limiter for an API gateway serving forty "
    "regions, how the counters stay consistent when the network partitions, and what you "
    "would tell a customer whose requests were dropped during the failover";

/* The bank's longest question and key points (assets/bank), as the app shows them. */
static const char *const long_question =
    "A user updates their profile and the next request, served from a secondary, shows old "
    "data. How do MongoDB causally consistent sessions address this, and what are the "
    "requirements?";
static const char *const bank_keys[] = {
    "big keys: O(N) commands (HGETALL, SMEMBERS) or DEL on huge collections block the thread; "
    "iterate with SCAN, delete with UNLINK",
    "L4 balances TCP/UDP connections without looking at content; L7 understands HTTP/gRPC "
    "requests and can route by path or header",
    "prefetch (basic.qos) caps unacknowledged messages per consumer: too high hurts fairness "
    "and memory, too low hurts throughput",
    "Add before starting each goroutine, Done when it finishes (usually deferred), Wait to "
    "block until the count is zero",
    "a WaitGroup must not be copied after first use; pass a pointer",
};
static const int bank_covered[] = {1, 0, 1, 0, 1};
static const char *const bank_heard[] = {"SCAN, UNLINK", NULL, "prefetch, fairness", NULL,
                                         "pointer"};

/* A profile name of the longest kind the store takes (64 bytes). */
static const char *const long_name =
    "Maximilian Alexander von Hohenberg-Wittelsbach, third of that name";

/* ---- menus ------------------------------------------------------------------------------------- */

static const char *const home_items[] = {"Start practice", "Topic: Algorithms & data structures",
                                         "Progress", "Settings", "Profile: alex", "Quit"};

static void home(ui *u)
{
    menu_view v = {
        .title = "viva",
        .subtitle = "alex  ·  ability +0.31 ± 0.38 after 12 answers  ·  2 reviews due",
        .items = home_items,
        .nitems = 6,
        .focus = 0,
        .hint = "Up/Down: choose · Enter: select · Esc: quit · Say: \"start practice\"",
    };
    screen_menu(u, &v);
}

static void home_notice(ui *u)
{
    menu_view v = {
        .title = "viva",
        .subtitle = "Maximilian  ·  no answers yet: your first session sets the level",
        .items = home_items,
        .nitems = 6,
        .focus = 5,
        .notice = "Speech unavailable: the voice files are missing, so questions are shown "
                  "but not read aloud",
        .hint = "Up/Down: choose · Enter: select · Esc: quit",
    };
    screen_menu(u, &v);
}

static void home_long_name(ui *u)
{
    char sub[200], item[100];
    snprintf(sub, sizeof sub, "%s  ·  ability -1.84 ± 0.92 after 143 answers  ·  12 reviews due",
             long_name);
    snprintf(item, sizeof item, "Profile: %s", long_name);
    const char *items[] = {"Start practice", "Topic: Algorithms & data structures", "Progress",
                           "Settings", item, "Quit"};
    menu_view v = {.title = "viva", .subtitle = sub, .items = items, .nitems = 6, .focus = 4,
                   .hint = "Up/Down: choose · Enter: select · Esc: quit · Say: \"start "
                           "practice\""};
    screen_menu(u, &v);
}

static void profiles(ui *u)
{
    static const char *const items[] = {"alex", "Maximilian", "sam-2", "New profile..."};
    menu_view v = {.title = "Who is practising?",
                   .subtitle = "Choose your profile, or make a new one",
                   .items = items,
                   .nitems = 4,
                   .focus = 3,
                   .notice = "That name is taken: choose another",
                   .hint = "Up/Down: choose · Enter: select · Esc: back"};
    screen_menu(u, &v);
}

static const char *const settings_items[] = {
    "Thinking time: 30 s", "Answer time: 120 s",   "Questions per session: 10",
    "Topic: Messaging (Kafka, RabbitMQ)", "Read questions aloud: on", "Voice commands: on",
    "Hands-free: off", "Microphone: USB PnP Sound Device: Audio (hw:1,0)",
    "Speaker: system default", "Back"};

static void settings(ui *u)
{
    menu_view v = {.title = "Settings",
                   .subtitle = "Select changes a setting; it is kept for next time",
                   .items = settings_items,
                   .nitems = 10,
                   .focus = 0,
                   .hint = "Up/Down: choose · Enter: select · Esc: back"};
    screen_menu(u, &v);
}

static void settings_end(ui *u)
{
    menu_view v = {.title = "Settings",
                   .subtitle = "Select changes a setting; it is kept for next time",
                   .items = settings_items,
                   .nitems = 10,
                   .focus = 7,
                   .hint = "Up/Down: choose · Enter: select · Esc: back"};
    screen_menu(u, &v);
}

static void error_mic(ui *u)
{
    static const char *const items[] = {"Try again", "Practise without recording", "Settings",
                                        "Home"};
    menu_view v = {.title = "No microphone",
                   .body = "The microphone \"USB PnP Sound Device\" could not be opened. Plug "
                           "one in and choose Try again, pick another one in Settings, or "
                           "practise without recording.",
                   .items = items,
                   .nitems = 4,
                   .focus = 0,
                   .hint = "Up/Down: choose · Enter: select · Esc: back"};
    screen_menu(u, &v);
}

static void error_storage(ui *u)
{
    static const char *const items[] = {"Try again", "Practise without saving"};
    menu_view v = {.title = "Answers cannot be saved",
                   .body = "You can practise, but nothing will be saved until this is fixed. "
                           "The data folder /var/lib/viva is not writable.",
                   .items = items,
                   .nitems = 2,
                   .focus = 1,
                   .hint = "Up/Down: choose · Enter: select · Esc: back"};
    screen_menu(u, &v);
}

static void menu_hostile(ui *u)
{
    const char *items[12] = {"Start practice", hostile, "Progress"};
    char more[9][32];
    for (int i = 0; i < 9; i++) {
        snprintf(more[i], sizeof more[i], "Topic %d: networking", i + 1);
        items[3 + i] = more[i];
    }
    menu_view v = {.title = hostile, .subtitle = hostile, .body = hostile, .items = items,
                   .nitems = 12, .focus = 1, .notice = hostile, .hint = hostile};
    screen_menu(u, &v);
}

static void message(ui *u)
{
    screen_message(u, "Practice is paused",
                   "The microphone was unplugged during your answer. What you said so far is "
                   "kept; plug it in again to go on.",
                   "Enter: go on");
}

/* ---- keyboard, PIN, recovery ------------------------------------------------------------------- */

static void keyboard(ui *u)
{
    keyboard_view v = {"New profile: type a name", "alex-2", 39,
                       "That name is taken: choose another",
                       "Type, or choose keys with Left/Right and Enter · Esc: back"};
    screen_keyboard(u, &v);
}

static void keyboard_empty(ui *u)
{
    keyboard_view v = {"New profile: type a name", "", 0, NULL,
                       "Type, or choose keys with Left/Right and Enter · Esc: back"};
    screen_keyboard(u, &v);
}

static void keyboard_long_name(ui *u)
{
    keyboard_view v = {"New profile: type a name", long_name, 40, NULL,
                       "Type, or choose keys with Left/Right and Enter · Esc: back"};
    screen_keyboard(u, &v);
}

static void keyboard_hostile(ui *u)
{
    keyboard_view v = {hostile, hostile, 36, hostile, hostile};
    screen_keyboard(u, &v);
}

static pin_view pin_base(void)
{
    pin_view v = {.title = "Maximilian: PIN",
                  .subtitle = "This profile has a PIN",
                  .digits = 3,
                  .labels = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Delete", "0", "OK",
                             "Back"},
                  .focus = 11,
                  .hint = "Digits, or choose keys with Left/Right and Enter · Esc: back"};
    return v;
}

static void pin(ui *u)
{
    pin_view v = pin_base();
    screen_pin(u, &v);
}

static void pin_long_name(ui *u)
{
    char title[100];
    snprintf(title, sizeof title, "%s: PIN", long_name);
    pin_view v = pin_base();
    v.title = title;
    v.notice = "Wrong PIN. Try again.";
    screen_pin(u, &v);
}

static void pin_wrong(ui *u)
{
    pin_view v = pin_base();
    v.digits = 0;
    v.notice = "Wrong PIN. Try again.";
    screen_pin(u, &v);
}

static void pin_wait(ui *u)
{
    pin_view v = pin_base();
    v.waiting = 1;
    v.focus = 12;
    v.notice = "Too many wrong PINs: wait, then try again. 28 s left. Or choose Back for "
               "another profile.";
    screen_pin(u, &v);
}

static void recover(ui *u)
{
    static const char *const items[] = {"Restore the backup of 6 Dec 2026 at 12:00", "Try again",
                                        "Practise without saving", "Details"};
    recover_view v = {.title = "Your saved answers cannot be opened",
                      .body = "The saved answers were written by a newer version of viva, "
                              "which this one cannot read. Nothing has been deleted.",
                      .items = items,
                      .nitems = 4,
                      .notice = "The backup could not be restored and nothing was changed; "
                                "Details says why.",
                      .hint = "Left/Right: choose · Enter: select"};
    screen_recover(u, &v);
}

static void recover_confirm(ui *u)
{
    static const char *const items[] = {"Restore now", "Back"};
    recover_view v = {.title = "Restore the newest backup?",
                      .body = "Your answers go back to how they were on 6 Dec 2026 at 12:00; "
                              "anything saved after that is not in the backup. The damaged "
                              "file is kept aside, not deleted.",
                      .items = items,
                      .nitems = 2,
                      .hint = "Left/Right: choose · Enter: select"};
    screen_recover(u, &v);
}

static void recover_details(ui *u)
{
    static const char *const back[] = {"Back"};
    static const char *const details[] = {
        "What the store says",
        "store: /var/lib/viva/data.mdb is truncated (20000 bytes, its header needs 57344); "
        "fix: restore from a backup with 'viva restore DIR' (see 'viva backup')",
        "Data folder", "/var/lib/viva",
        "Check the store", "viva --data-dir /var/lib/viva store check",
        "Restore the newest backup",
        "systemctl stop viva; viva --data-dir /var/lib/viva restore "
        "/var/lib/viva/backups/20261206-120000-s000001"};
    recover_view v = {.title = "Details for a technician", .details = details, .ndetails = 4,
                      .items = back, .nitems = 1, .hint = "Enter: back"};
    screen_recover(u, &v);
}

static void recover_details_long(ui *u)
{
    static const char *const back[] = {"Back"};
    static const char *const details[] = {
        "What the store says",
        "store: /media/usb-stick/interview-practice/viva-data/data.mdb: database was written "
        "by schema 7, this viva reads up to schema 5; fix: install a newer viva",
        "Data folder", "/media/usb-stick/interview-practice/viva-data",
        "Check the store",
        "viva --data-dir /media/usb-stick/interview-practice/viva-data store check",
        "Restore the newest backup",
        "systemctl stop viva; viva --data-dir /media/usb-stick/interview-practice/viva-data "
        "restore /media/usb-stick/interview-practice/viva-data/backups/20261206-120000-s000001"};
    recover_view v = {.title = "Details for a technician", .details = details, .ndetails = 4,
                      .items = back, .nitems = 1, .hint = "Enter: back"};
    screen_recover(u, &v);
}

static void recover_working(ui *u)
{
    recover_view v = {.title = "Restoring the backup...",
                      .body = "The backup is checked, then put in place. This takes a moment."};
    screen_recover(u, &v);
}

/* ---- the question ------------------------------------------------------------------------------ */

static question_view question_base(void)
{
    question_view v = {.topic = "Algorithms & data structures",
                       .level = 3,
                       .question = long_question,
                       .phase = PHASE_THINK,
                       .seconds_left = 24,
                       .phase_seconds = 30,
                       .number = 10,
                       .total = 10,
                       .level_db = NAN,
                       .hint = "Enter: answer now · Esc: stop · Say: \"repeat question\", "
                               "\"skip ahead\", \"stop session\""};
    return v;
}

static void question_speak(ui *u)
{
    question_view v = question_base();
    v.phase = PHASE_SPEAK;
    v.seconds_left = v.phase_seconds = 1;
    v.hint = "Enter: skip the reading · Esc: stop";
    screen_question(u, &v);
}

static void question_think(ui *u)
{
    question_view v = question_base();
    screen_question(u, &v);
}

static void question_short(ui *u)
{
    question_view v = question_base();
    v.topic = "SQL";
    v.level = 1;
    v.question = "What is an index?";
    v.number = 2;
    v.total = 0; /* open-ended: "Question 2" */
    v.hint = "Enter: answer now · Esc: stop";
    screen_question(u, &v);
}

static void question_answer(ui *u)
{
    question_view v = question_base();
    v.phase = PHASE_ANSWER;
    v.seconds_left = 583;
    v.phase_seconds = 600;
    v.recording = 1;
    v.level_db = -20;
    v.hint = "Enter: end the answer · Esc: stop · Say: \"finish answer\"";
    screen_question(u, &v);
}

static void question_quiet(ui *u)
{
    question_view v = question_base();
    v.topic = "Messaging (Kafka, RabbitMQ)";
    v.phase = PHASE_ANSWER;
    v.seconds_left = 9;
    v.phase_seconds = 120;
    v.recording = 1;
    v.level_db = -52;
    v.notice = "Speak up: the microphone hears very little";
    v.hint = "Enter: end the answer · Esc: stop";
    screen_question(u, &v);
}

static void question_over(ui *u)
{
    question_view v = question_base();
    v.phase = PHASE_OVER;
    v.seconds_left = 0;
    v.notice = "Your last grade could not be saved: the disk is full. Earlier answers are kept.";
    screen_question(u, &v);
}

static void question_paused(ui *u)
{
    question_view v = question_base();
    v.phase = PHASE_ANSWER;
    v.seconds_left = 74;
    v.phase_seconds = 120;
    v.recording = 1;
    v.level_db = -58;
    v.pause_prompt = "Still thinking? Keep talking, or press select to finish";
    v.pause_left = 9;
    v.pause_seconds = 12;
    v.hint = "Enter: end the answer · Esc: stop · Say: \"finish answer\"";
    screen_question(u, &v);
}

/* ---- review and compare ------------------------------------------------------------------------- */

static float wave[200];

/* The bank's longest reference answer (concurrency.memory-model), as the app shows it. */
static const char *const long_reference =
    "The memory model defines when a read is guaranteed to observe a write. Within a goroutine, "
    "program order applies; across goroutines, only synchronisation creates ordering: channel "
    "operations (a send before its receive completes, a close before a receive of the zero "
    "value, the k-th receive on a capacity-C channel before the (k+C)-th send completes), mutex "
    "unlocks before subsequent locks, Once completion before Do returns, starting a goroutine "
    "after the go statement, and atomic operations, which Go defines as sequentially "
    "consistent. The 2022 revision states that a data-race-free program behaves sequentially "
    "consistently, and that racy programs may observe surprising results and, for multi-word "
    "values, even memory corruption. Practically, a goroutine polling a plain boolean set by "
    "another may never see the change because the compiler can keep it in a register; it needs "
    "an atomic.Bool, a channel or a lock. Nothing is synchronised by goroutine exit itself, "
    "which is why you wait with a WaitGroup or channel.";

/* A long spoken answer (about 200 words, two minutes of talk) as the recogniser gives it: key
 * terms of the key points above and fillers marked. */
static const char *const said_text =
    "so um the first thing is big keys because a command like HGETALL or SMEMBERS on a huge "
    "collection is O(N) and it blocks the single thread so uh you iterate with SCAN instead and "
    "you delete with UNLINK which frees the memory in the background then for the load "
    "balancer an L4 one only sees TCP connections while an L7 one understands HTTP and can "
    "route by path or header um for RabbitMQ the prefetch setting basic.qos caps how many "
    "messages a consumer holds without acknowledging them and if it is too high you lose "
    "fairness and memory and if it is too low you lose throughput and then for the WaitGroup "
    "you call Add before you start each goroutine and Done when it finishes usually with a "
    "defer and Wait blocks until the counter is zero uh and you must never copy a WaitGroup "
    "after using it so you pass a pointer like you know to the functions that need it and I "
    "think that covers the main points but um I would also mention that you should measure "
    "before you change any of this because the profile often shows the real bottleneck is "
    "somewhere else entirely like in the network or in the database and not in the code you "
    "were looking at";
static const char *const said_terms[] = {"HGETALL", "SMEMBERS", "SCAN",   "UNLINK",  "L4",
                                         "L7",      "prefetch", "basic.qos", "fairness",
                                         "Add",     "Done",     "Wait",   "pointer", "WaitGroup"};
static char said_buf[2048];
static const char *said[400];
static unsigned char said_kind[400];
static int nsaid;

static void split_transcript(void)
{
    if (nsaid)
        return;
    snprintf(said_buf, sizeof said_buf, "%s", said_text);
    for (char *p = strtok(said_buf, " "); p && nsaid < 400; p = strtok(NULL, " ")) {
        unsigned char k = REVIEW_WORD_PLAIN;
        if (!strcmp(p, "um") || !strcmp(p, "uh") || !strcmp(p, "like"))
            k = REVIEW_WORD_FILLER;
        for (size_t i = 0; i < sizeof said_terms / sizeof said_terms[0]; i++)
            if (!strcmp(p, said_terms[i]))
                k = REVIEW_WORD_TERM;
        said[nsaid] = p;
        said_kind[nsaid++] = k;
    }
}

static review_view review_base(void)
{
    static const double pause_at[] = {31.0, 77.5, 104.0}, pause_len[] = {3.4, 2.6, 2.2};
    for (int i = 0; i < 200; i++)
        wave[i] = (float)(0.5 + 0.45 * ((i * 37) % 23 - 11) / 11.0);
    split_transcript();
    review_view v = {
        .topic = "Messaging (Kafka, RabbitMQ)",
        .level = 3,
        .question = long_question,
        .keys = bank_keys,
        .nkeys = 5,
        .selected = -1,
        .has_recording = 1,
        .wave = wave,
        .nwave = 200,
        .play_len = 128,
        .hint = "Left/Right: choose, then Enter · 0-3: grade · P: play · T: try again · Say: "
                "\"missed\xC2\xA0" "entirely\", \"partly\xC2\xA0right\", \"pretty\xC2\xA0solid\", "
                "\"absolutely\xC2\xA0" "excellent\", \"play\xC2\xA0recording\", \"moving\xC2\xA0on\"",
        .analysis_state = REVIEW_ANALYSIS_READY,
        .key_covered = bank_covered,
        .key_heard = bank_heard,
        .delivery = "2 min 8 s · 94 words/min · 3 pauses over 2 s (longest 3.4 s) · 2.3 "
                    "fillers/min",
        .suggested = 1,
        .words = said,
        .word_kind = said_kind,
        .nwords = nsaid,
        .pace = "a little slow: 94 words/min; 120-160 is easy to follow",
        .pauses = "3 long pauses, marked above (longest 3.4\xC2\xA0s) · 2\xC2\xA0min 8\xC2\xA0s of "
                  "talk", /* as run_review.c writes it */
        .pause_at = pause_at,
        .pause_len = pause_len,
        .npauses = 3,
        .reference = long_reference,
    };
    return v;
}

static void review_ready(ui *u)
{
    review_view v = review_base();
    screen_review(u, &v);
}

static void review_transcript_end(ui *u)
{
    review_view v = review_base();
    v.transcript_line = 10000; /* the last page */
    v.selected = REVIEW_HIT_TRANSCRIPT;
    screen_review(u, &v);
}

static void review_reference(ui *u)
{
    review_view v = review_base();
    v.show_reference = 1;
    v.selected = REVIEW_HIT_REFERENCE;
    screen_review(u, &v);
}

/* The reference answer's last page (it takes two at the smallest sizes: paged, never cut). */
static void review_reference_end(ui *u)
{
    review_view v = review_base();
    v.show_reference = 1;
    v.reference_page = 1000;
    screen_review(u, &v);
}

static void review_unsure(ui *u)
{
    review_view v = review_base();
    v.unsure = 1;
    screen_review(u, &v);
}

static void review_attempt2(ui *u)
{
    review_view v = review_base();
    v.attempt = 2;
    v.has_earlier = 1;
    v.selected = REVIEW_HIT_COMPARE;
    v.attempt_note = "Attempt 2 is practice: its grade is kept with it; your level counts a "
                     "question's first attempt only.";
    screen_review(u, &v);
}

static void review_running(ui *u)
{
    review_view v = review_base();
    v.analysis_state = REVIEW_ANALYSIS_RUNNING;
    v.words = NULL;
    v.nwords = 0;
    v.pace = v.pauses = NULL;
    v.npauses = 0;
    v.delivery = NULL;
    v.hint = "Left/Right: choose a grade, then Enter · 0-3: grade · P: play";
    screen_review(u, &v);
}

static void review_no_speech(ui *u)
{
    review_view v = review_base();
    v.analysis_state = REVIEW_ANALYSIS_NO_SPEECH;
    v.key_covered = NULL;
    v.key_heard = NULL;
    v.words = NULL;
    v.nwords = 0;
    v.pace = v.pauses = NULL;
    v.npauses = 0;
    v.delivery = "0 min 45 s recorded · no words recognised";
    v.suggested = 0;
    v.selected = 0;
    v.notice = "Recording stopped: the disk is full. Everything saved before is kept.";
    screen_review(u, &v);
}

static compare_view compare_base(void)
{
    static const int first[] = {1, 0, 0, 1, 0}, second[] = {1, 1, 1, 1, 1};
    compare_view v = {
        .question = long_question,
        .keys = bank_keys,
        .nkeys = 5,
        .side = {{1, "14:03", 1, 1, first, 2, "182 words/min · too fast", 48},
                 {2, "14:05", -1, 1, second, 5, "a little slow: 94 words/min", 128}},
        .playing = 1,
        .play_pos = 12,
        .play_len = 128,
        .focus = 0,
        .hint = "Enter: select · Left/Right: choose · P: play both · Esc: back to the review",
    };
    return v;
}

static void compare(ui *u)
{
    compare_view v = compare_base();
    screen_compare(u, &v);
}

static void compare_idle(ui *u)
{
    compare_view v = compare_base();
    v.playing = -1;
    v.side[0].analysed = 0;
    v.focus = 1;
    screen_compare(u, &v);
}

/* ---- summary, progress ---------------------------------------------------------------------- */

static summary_view summary_base(void)
{
    static const char *const topics[] = {"Concurrency", "Messaging (Kafka, RabbitMQ)",
                                         "Algorithms & data structures"};
    static const double th[] = {0.8, -0.4, 0.1}, se[] = {0.35, 0.4, 0.6};
    static const int n[] = {5, 4, 1};
    static const session_figures prev[] = {{0.48, 118, 2.1}, {0.52, 124, 1.8}, {0.55, 131, 1.6}};
    summary_view v = {
        .asked = 10, .graded = 9, .theta_start = -0.2, .se_start = 0.6, .theta_now = 0.31,
        .se_now = 0.38, .talk_s = 412, .ntopics = 3, .topic = topics, .topic_theta = th,
        .topic_se = se, .topic_n = n, .reason = "10 questions asked",
        .hint = "Enter: home · Say: \"start practice\"", .keys_covered = 14, .keys_total = 23,
        .wpm = 128, .fillers_per_min = 1.5, .prev = prev, .nprev = 3,
    };
    return v;
}

static void summary(ui *u)
{
    summary_view v = summary_base();
    screen_summary(u, &v);
}

/* The session's ten questions listed beside (or under) the bars: the bank's longest among
 * them, one answered a second time, one no longer in the bank. */
static void summary_questions(ui *u)
{
    static summary_question q[10];
    static const char *const texts[] = {
        "What is an index?", NULL, "Explain the difference between a process and a thread.",
        "How does a WaitGroup work, and what mistake is common with it?",
        "What does prefetch do in RabbitMQ?", "When would you pick L7 over L4 load balancing?",
        "Why is HGETALL on a huge hash a problem in Redis?", NULL,
        "What is a deadlock, and how do you avoid one?", "What is a consumer group in Kafka?"};
    for (int i = 0; i < 10; i++)
        q[i] = (summary_question){i == 1 || i == 7 ? long_question : texts[i], i % 4 - (i == 9),
                                  i == 7 ? 2 : 1, i != 4, i % 5, 5};
    q[4].question = NULL; /* no longer in the bank */
    summary_view v = summary_base();
    v.questions = q;
    v.nquestions = 10;
    screen_summary(u, &v);
}

static progress_view progress_base(int focus)
{
    static progress_point pts[12];
    static progress_row rows[12];
    static char when[12][32];
    static const char *const topics[] = {"Concurrency", "Messaging (Kafka, RabbitMQ)", "SQL"};
    for (int i = 0; i < 12; i++) {
        pts[i] = (progress_point){i * 0.002, -0.5 + i * 0.07, 0.9 - i * 0.04};
        snprintf(when[i], sizeof when[i], "7 Dec 04:%02d", 50 - i * 2);
        rows[i] = (progress_row){when[i], topics[i % 3], i % 2 ? long_question : "What is an index?",
                                 i % 4, 1, i % 3 + 1, 3, 1, i % 5, 5};
    }
    static const session_figures figs[] = {{0.48, 118, 2.1}, {0.52, 124, 1.8}};
    progress_view v = {
        .title = "Progress: alex",
        .series = {"Overall", pts, 12},
        .series_label = "Overall (1 of 4)",
        .rows = rows,
        .nrows = 12,
        .focus = focus,
        .playing_row = -1,
        .hint = "Enter: play this answer · Up/Down: choose · Esc: back",
        .level_text = "Answers level-3 questions solidly and level-4 questions in part",
        .topics_text = "Strongest: Concurrency · weakest: SQL · 1 topic needs more answers",
        .next_text = "Practise next: SQL, level-2 questions",
        .sessions = figs,
        .nsessions = 2,
    };
    return v;
}

static void progress(ui *u)
{
    progress_view v = progress_base(0);
    screen_progress(u, &v);
}

/* The focused row holds the bank's longest question, which opens to show it whole. */
static void progress_open(ui *u)
{
    progress_view v = progress_base(1);
    screen_progress(u, &v);
}

/* ---- the table ---------------------------------------------------------------------------------- */

typedef struct {
    const char *name;
    void (*draw)(ui *u);
    unsigned allow;      /* LAYOUT_ALLOW_ELLIPSIS for hostile data */
    const char *pending; /* NULL, or why findings do not fail yet (another change's screen) */
} screen_state;

#define HOSTILE LAYOUT_ALLOW_ELLIPSIS
/* A list whose rows may end a long question in "..." after a whole word because the focused
 * row shows it whole (test_progress_open checks that it does, and that nothing else is cut). */
#define OPENS LAYOUT_ALLOW_ELLIPSIS

static const screen_state states[] = {
    {"home", home, 0, NULL},
    {"home-notice", home_notice, 0, NULL},
    {"home-long-name", home_long_name, 0, NULL},
    {"profiles", profiles, 0, NULL},
    {"settings", settings, 0, NULL},
    {"settings-scrolled", settings_end, 0, NULL},
    {"error-mic", error_mic, 0, NULL},
    {"error-storage", error_storage, 0, NULL},
    {"menu-hostile", menu_hostile, HOSTILE, NULL},
    {"message", message, 0, NULL},
    {"keyboard", keyboard, 0, NULL},
    {"keyboard-empty", keyboard_empty, 0, NULL},
    {"keyboard-long-name", keyboard_long_name, 0, NULL},
    {"keyboard-hostile", keyboard_hostile, HOSTILE, NULL},
    {"pin", pin, 0, NULL},
    {"pin-long-name", pin_long_name, 0, NULL},
    {"pin-wrong", pin_wrong, 0, NULL},
    {"pin-wait", pin_wait, 0, NULL},
    {"recover", recover, 0, NULL},
    {"recover-confirm", recover_confirm, 0, NULL},
    {"recover-details", recover_details, 0, NULL},
    {"recover-details-long", recover_details_long, 0, NULL},
    {"recover-working", recover_working, 0, NULL},
    {"question-speak", question_speak, 0, NULL},
    {"question-think", question_think, 0, NULL},
    {"question-short", question_short, 0, NULL},
    {"question-answer", question_answer, 0, NULL},
    {"question-quiet", question_quiet, 0, NULL},
    {"question-over", question_over, 0, NULL},
    {"question-paused", question_paused, 0, NULL},
    {"review", review_ready, 0, NULL},
    {"review-transcript-end", review_transcript_end, 0, NULL},
    {"review-reference", review_reference, 0, NULL},
    {"review-reference-end", review_reference_end, 0, NULL},
    {"review-unsure", review_unsure, 0, NULL},
    {"review-attempt2", review_attempt2, 0, NULL},
    {"review-analysing", review_running, 0, NULL},
    {"review-no-speech", review_no_speech, 0, NULL},
    {"compare", compare, 0, NULL},
    {"compare-idle", compare_idle, 0, NULL},
    {"summary", summary, 0, NULL},
    {"summary-questions", summary_questions, 0, NULL},
    {"progress", progress, OPENS, NULL},
    {"progress-open", progress_open, OPENS, NULL},
};
enum { NSTATES = sizeof states / sizeof states[0] };

/* ---- running it --------------------------------------------------------------------------------- */

typedef struct {
    const screen_state *s;
    const char *size;
    int strict;
} report_ctx;

static void report(void *vctx, const char *finding)
{
    const report_ctx *c = vctx;
    fprintf(stderr, "%s %s %s: %s\n", c->strict ? "FAIL" : "pending", c->s->name, c->size,
            finding);
}

static int found[NSTATES][NSIZES];

/* The checker itself: texts drawn over each other, across the ring, past the window's edge,
 * and a word too long for its box are all reported (the test is no test if it cannot fail). */
static ui *u;      /* the window of the size under test */
static int cur;    /* its index in sizes */
static const char *only, *shots;
static int strict_all;

static void test_checker(void)
{
    const ui_theme *t = ui_colors(u);
    layout_log *l = ui_layout_record(u, 1);
    CHECK(l != NULL);
    if (!l)
        return;
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);
    ui_text(u, "Concurrency  ·  level 3", 20, t->dim, 10, 10, UI_LEFT);
    ui_text(u, "Question 2 of 10", 20, t->dim, 150, 10, UI_LEFT);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) == 1);
    ui_present(u);

    ui_ring(u, 200, 200, 60, 12, 0.5, t->accent, t->panel);
    ui_text(u, "0:45", 24, t->text, 200, 185, UI_CENTER);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) == 0); /* inside the ring */
    ui_text(u, "answer · recording", 20, t->bad, 200, 215, UI_CENTER);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) == 1); /* across it */
    ui_present(u);

    ui_text(u, "past the edge", 20, t->text, ui_w(u) - 30, 10, UI_LEFT);
    ui_text(u, "tiny", 8, t->text, 10, 100, UI_LEFT);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) == 2);
    ui_present(u);

    /* A word wider than its box at the floor size: split, and reported. */
    ui_text_box(u, "Supercalifragilisticexpialidocious", (SDL_Rect){10, 10, 60, 80}, 20, 12,
                t->text, UI_LEFT);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) >= 1);
    ui_present(u);
    /* Too much text for its box: "..." after a whole word, allowed only when asked for. */
    ui_text_box(u, hostile, (SDL_Rect){10, 10, 300, 40}, 20, 12, t->text, UI_LEFT);
    const layout_text *r = layout_log_texts(l);
    int n = layout_log_ntexts(l), cut = 0;
    for (int i = 0; i < n; i++)
        if (r[i].cut == LAYOUT_CUT_WORD) {
            cut++;
            CHECK(strstr(r[i].line, "...") != NULL);
            CHECK(r[i].cut_at > 0 && hostile[r[i].cut_at] == ' ');
        }
    CHECK(cut == 1);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) == 1);
    CHECK(layout_check(l, ui_w(u), ui_h(u), LAYOUT_ALLOW_ELLIPSIS, NULL, NULL) == 0);
    ui_present(u);
    /* A path breaks after a '/', not inside a name. */
    ui_text_box(u, "/var/lib/viva/backups/20261206-120000-s000001", (SDL_Rect){10, 10, 200, 200},
                20, 20, t->text, UI_LEFT);
    CHECK(layout_check(l, ui_w(u), ui_h(u), 0, NULL, NULL) == 0);
    CHECK(layout_log_ntexts(l) >= 2);
    ui_present(u);
}

/* Progress may shorten questions only because the focused row opens: with the focus on the
 * bank's longest question, that question is drawn whole inside the focused row (the hit test
 * finds that row under it), and every shortened text is a row's question (topic and attempt
 * before it) shortened after a word. */
static void test_progress_open(void)
{
    layout_log *l = ui_layout_record(u, 1);
    progress_view v = progress_base(1);
    screen_progress(u, &v);
    const layout_text *r = layout_log_texts(l);
    int n = layout_log_ntexts(l), whole = 0;
    const char *end = long_question + strlen(long_question) - strlen("requirements?");
    for (int i = 0; i < n; i++) {
        if (r[i].cut != LAYOUT_CUT_NONE)
            CHECK_MSG(r[i].cut == LAYOUT_CUT_WORD && (strstr(r[i].text, long_question) ||
                                                      strstr(r[i].text, "What is an index?")),
                      "%dx%d: \"%s\" shortened", ui_w(u), ui_h(u), r[i].line);
        size_t ll = strlen(r[i].line), el = strlen(end);
        if (r[i].cut == LAYOUT_CUT_NONE && strstr(r[i].text, long_question) && ll >= el &&
            strcmp(r[i].line + ll - el, end) == 0 &&
            screen_progress_hit(u, &v, r[i].ink.x + r[i].ink.w / 2,
                                r[i].ink.y + r[i].ink.h / 2) == 1)
            whole++;
    }
    CHECK_MSG(whole == 1, "%dx%d: the focused row's question is not drawn whole", ui_w(u),
              ui_h(u));
    ui_present(u);
}

static void test_states(void)
{
    int k = cur;
    char size[32];
    snprintf(size, sizeof size, "%dx%d", ui_w(u), ui_h(u));
    layout_log *l = ui_layout_record(u, 1);
    for (int i = 0; i < NSTATES; i++) {
        const screen_state *s = &states[i];
        if (only && !strstr(s->name, only))
            continue;
        s->draw(u);
        report_ctx c = {s, size, strict_all || !s->pending};
        found[i][k] = layout_check(l, ui_w(u), ui_h(u), s->allow, report, &c);
        if (c.strict)
            CHECK_MSG(found[i][k] == 0, "%s at %s: %d layout finding(s), listed above", s->name,
                      size, found[i][k]);
        if (shots) {
            char path[512], err[256];
            snprintf(path, sizeof path, "%s/%s-%s.png", shots, s->name, size);
            CHECK_MSG(ui_screenshot(u, path, err, sizeof err) == 0, "%s", err);
        }
        ui_present(u);
    }
}

int main(void)
{
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    only = getenv("LAYOUT_ONLY");
    shots = getenv("LAYOUT_SHOTS");
    const char *strict = getenv("LAYOUT_STRICT");
    strict_all = strict && *strict && strcmp(strict, "0") != 0;
    for (int k = 0; k < NSIZES; k++) {
        u = NULL;
        cur = k;
        ui_options o = {.width = sizes[k][0], .height = sizes[k][1], .title = "test_layout"};
        int no_display = 0;
        char err[512];
        if (ui_open(&o, &u, &no_display, err, sizeof err) != 0) {
            if (no_display) {
                printf("skipped: %s\n", err);
                return 0;
            }
            fprintf(stderr, "ui_open: %s\n", err);
            return 1;
        }
        CHECK(ui_w(u) == sizes[k][0] && ui_h(u) == sizes[k][1]);
        if (k == 0)
            RUN(test_checker);
        RUN(test_states);
        if (!only || strstr("progress-open", only))
            RUN(test_progress_open);
        ui_close(u);
    }
    /* Findings per state and size: the table the report quotes. */
    printf("%-20s", "findings");
    for (int k = 0; k < NSIZES; k++)
        printf(" %5dx%-5d", sizes[k][0], sizes[k][1]);
    printf("\n");
    for (int i = 0; i < NSTATES; i++) {
        if (only && !strstr(states[i].name, only))
            continue;
        printf("%-20s", states[i].name);
        for (int k = 0; k < NSIZES; k++)
            printf(" %11d", found[i][k]);
        printf("%s\n", states[i].pending ? "  (pending)" : "");
    }
    return check_summary("layout");
}
