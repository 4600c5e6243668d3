/* practice_int.h: what the practice controller's files share (practice.c: opening, the
 * session, recording, grading; practice_history.c: playback and the queries of the home and
 * progress screens). Nobody else includes it. */
#ifndef VIVA_PRACTICE_INT_H
#define VIVA_PRACTICE_INT_H

#include "ability.h"
#include "cat.h"
#include "fsrs.h"
#include "practice.h"
#include "rng.h"
#include "session.h"

#define MAX_TOPICS 64
#define RATE 16000

/* A question's review card: the FSRS state and the grade that produced it. In the store it is a
 * store_card (the store's card codec), converted in practice.c. */
typedef struct {
    int last_grade;
    fsrs_card card;
} card_blob;

struct practice {
    viva_app *app;
    store *st;
    audio *au;
    bank *b;
    uint32_t profile;
    uint64_t session_id;

    /* engine */
    cat_pool pool;
    cat_options opt;
    const char *topics[MAX_TOPICS]; /* slugs, borrowed from bank items */
    int ntopics;
    unsigned char *asked;
    int64_t *last_ms, *due_ms;
    card_blob *cards;
    unsigned char *has_card;
    int topic_asked[MAX_TOPICS];
    int n_reviews;
    ability overall;
    ability dev[MAX_TOPICS];
    ability_params ap, tp;
    fsrs_params fp;
    session sess;
    rng r;
    uint64_t seed; /* fixed seed for repeatable runs (have_seed) */
    int have_seed;

    /* the current question */
    int cur;
    int cur_review;
    int attempt; /* 1-based attempt at the current question (practice_retry) */
    store_response resp;
    double theta_before, se_before;
    audio_capture *cap;
    store_rec *rec;
    int sink_failed;
    audio_player *player;
    int16_t *pcm;
    size_t frames;
    void (*tap)(void *ctx, const int16_t *pcm, size_t frames); /* hears the answer too */
    void *tap_ctx;
    int64_t cut_at; /* end the recording here (a spoken end phrase starts here); -1 = no */
    char profile_name[STORE_NAME_MAX + 1];

    practice_summary sum;
    char notice[512];
};

/* Stops and frees the player and the loaded answer audio (practice_history.c). */
void practice_stop_player_(practice *p);

#endif
