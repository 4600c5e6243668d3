/* store_cross.c: writes that span several tables in ONE transaction (above the tables):
 * the grade (response, ability points, review card) and the removal of a profile with
 * everything that belongs to it (its PIN and voice adaptation too). */
#include <stdlib.h>
#include <string.h>

#include "store_ability.h"
#include "store_analysis.h"
#include "store_pin.h"
#include "store_profiles.h"
#include "store_rec.h"
#include "store_responses.h"
#include "store_reviews.h"
#include "store_sessions.h"
#include "store_txn.h"
#include "store_voice.h"
#include "verr.h"

/* ---- Grade --------------------------------------------------------------------------------- */

typedef struct {
    store_response *r;
    const store_ability *pts;
    size_t n;
    const store_card *card;
    uint64_t id0; /* the caller's id: 0 for a new answer */
} grade_ctx;

static int grade_txn(store *st, MDB_txn *txn, void *vctx)
{
    grade_ctx *c = vctx;
    /* store_write runs this again after a full map, also when the commit itself failed:
     * each run starts from the caller's answer, never from an id an aborted run took. */
    c->r->id = c->id0;
    int rc = response_put_txn(st, txn, c->r);
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        if (c->pts[i].profile != c->r->profile)
            rc = STORE_RC(VIVA_EINVAL);
        else
            rc = ability_put_txn(st, txn, &c->pts[i]);
    }
    if (rc == 0 && c->card)
        rc = card_put_txn(st, txn, c->r->profile, c->r->item_id, c->card);
    return rc;
}

int store_grade_save(store *st, store_response *r, const store_ability *points, size_t n,
                     const store_card *card)
{
    if (!response_valid(r) || (n && !points) || (card && !card_valid(card)))
        return VIVA_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!memchr(points[i].topic, 0, sizeof points[i].topic))
            return VIVA_EINVAL;
    grade_ctx c = {r, points, n, card, r->id};
    int e = store_write(st, "saving an answer", grade_txn, &c);
    if (e)
        r->id = c.id0; /* nothing was saved: the answer keeps the id it came with */
    return e;
}

int store_grade_commit(store *st, store_response *r, const store_ability *points, size_t n)
{
    return store_grade_save(st, r, points, n, NULL);
}

int store_response_put(store *st, store_response *r)
{
    return store_grade_save(st, r, NULL, 0, NULL);
}

/* ---- Profile removal ----------------------------------------------------------------------- */

static int profile_remove_txn(store *st, MDB_txn *txn, void *vctx)
{
    uint32_t id = *(const uint32_t *)vctx;
    store_profile p;
    int rc = profile_load(st, txn, id, &p);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ENOTFOUND) : rc;
    /* Analyses first: they are found through the answers' index. */
    rc = analysis_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = responses_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = rec_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = sessions_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = ability_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = reviews_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = pin_del_profile_txn(st, txn, id);
    if (rc == 0)
        rc = voice_del_profile_txn(st, txn, id);
    return rc ? rc : profiles_del_txn(st, txn, &p);
}

int store_profile_remove(store *st, uint32_t id)
{
    return store_write(st, "removing a profile", profile_remove_txn, &id);
}
