/* cat.h: choosing the next question (computerised adaptive testing).
 *
 * The rule, in order:
 *   1. Eligibility: an item asked in this session is never eligible; an item asked less than
 *      `recent_ms` ago is skipped unless its review is due (if that leaves nothing, recency is
 *      ignored rather than ending the session).
 *   2. Reviews: while reviews are fewer than review_share x (questions so far + 1), the most
 *      overdue eligible item whose review is due is asked (earliest due time first).
 *   3. Content balancing (Kingsbury-Zara): among topics that still have eligible items, the
 *      topic furthest below its target share (target minus share asked so far) is chosen;
 *      the targets are the caller's, or equal shares, with the optional focus topic given
 *      `focus_share` and the others scaled to the rest. Ties are broken with the rng.
 *   4. Maximum Fisher information at the current theta within that topic, "randomesque":
 *      uniformly among the k most informative items (items tied with the k-th are included).
 * Same pool, state, options, seed and time give the same choice.
 *
 * Speed: information is first computed for every item in single precision by a loop the
 * compiler vectorises (GRM/2PL items with up to 4 categories; other items exactly), then the
 * items within a small margin of the k-th best are re-evaluated exactly in double precision
 * and ranked on those values, so the result is the exact MFI ranking. */
#ifndef VIVA_CAT_H
#define VIVA_CAT_H

#include <stddef.h>
#include <stdint.h>

#include "irt.h"
#include "rng.h"

#define CAT_NEVER  INT64_MIN /* last_ms: never asked */
#define CAT_NO_DUE INT64_MAX /* due_ms: no review scheduled */

/* The item pool: parameters and topic of every item, plus derived single-precision arrays
 * and a scratch area that cat_select() writes (so select from one thread at a time per pool,
 * even though it takes a const pointer). Owned by whoever called cat_pool_init(). */
typedef struct {
    size_t n;
    irt_item *items; /* n items, filled by the caller */
    int *topic;      /* n topic indices in 0..ntopics-1, filled by the caller */
    int ntopics;
    /* derived by cat_pool_prepare() */
    float *fa, *fe;      /* a, and exp(a b_k) for k = 1..3 (fe[(k - 1) n + i]) */
    unsigned char *fast; /* 1: item evaluated by the single-precision loop */
    float *approx;       /* scratch: approximate information per item */
    int *cand;           /* scratch: candidate indices */
    double *pairs;       /* scratch: (information, index) pairs for ranking */
    int *count;          /* scratch: eligible items per topic */
} cat_pool;

/* Allocate a pool of n items in ntopics topics (items zeroed, topics 0); aborts on OOM. */
void cat_pool_init(cat_pool *p, size_t n, int ntopics);
/* Recompute the derived arrays; call after filling or changing items (e.g. recalibration). */
void cat_pool_prepare(cat_pool *p);
void cat_pool_free(cat_pool *p);

/* What the selection knows about the candidate and this session. Arrays are borrowed and
 * may be NULL (NULL means: nothing asked, never asked, no reviews, no topic counts). */
typedef struct {
    double theta;               /* current ability estimate */
    const unsigned char *asked; /* n flags: asked in this session */
    const int64_t *last_ms;     /* n times an item was last asked, or CAT_NEVER */
    const int64_t *due_ms;      /* n review due times, or CAT_NO_DUE */
    const int *topic_asked;     /* ntopics counts of questions asked in this session */
    int n_asked;                /* questions asked in this session */
    int n_reviews;              /* of which were reviews */
} cat_state;

typedef struct {
    int randomesque;      /* k >= 1 */
    int balance;          /* 1: content balancing (step 3); 0: MFI over all topics */
    const double *target; /* ntopics target shares (any scale) or NULL for equal shares */
    int focus;            /* topic index to favour, or -1 */
    double focus_share;   /* share of questions from the focus topic; 1 = only that topic */
    int64_t recent_ms;    /* skip items asked less than this long ago unless due; 0 = off */
    double review_share;  /* share of questions given to due reviews, 0..1 */
} cat_options;

/* Defaults: k = 5, balancing on with equal shares, no focus, 3 days recency, 30% reviews. */
cat_options cat_defaults(void);

typedef struct {
    int item;    /* chosen item index, or -1 when no item is eligible */
    int topic;   /* its topic */
    int review;  /* 1 when chosen as a due review */
    double info; /* its information at theta */
} cat_choice;

/* Choose the next item. Returns the item index (also in out->item), or -1. */
int cat_select(const cat_pool *pool, const cat_state *st, const cat_options *opt, rng *r,
               int64_t now_ms, cat_choice *out);

#endif
