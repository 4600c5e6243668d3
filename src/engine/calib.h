/* calib.h: item parameters from the bank's levels, and slow recalibration of difficulty.
 *
 * Prior parameters (GRM, 4 self-grade categories): a question of level L (1 warm-up .. 5
 * staff-level) has location L - 3 (so -2, -1, 0, 1, 2 on the ability scale, where 0 is the
 * typical candidate) and thresholds location - 1, location, location + 1: a candidate whose
 * ability equals the location grades it "solid or better" half the time, "partial or better"
 * 77% and "excellent" 23% of the time with the default a = 1.2; see CALIB_* below. Discrimination
 * is fixed per item (the bank does not set it; CALIB_DEFAULT_A).
 *
 * Recalibration: an item's thresholds all move by one shift s, estimated by MAP from every
 * graded answer to that item on the device (any profile), each with the answering profile's
 * ability estimate before the answer, and a prior s ~ N(0, prior_sd^2) centred on the
 * authored difficulty (the shrinkage). With prior_sd = 0.35 (CALIB_PRIOR_SD: authors rarely
 * miss by a whole level) a handful of answers hardly moves an item: two misses by candidates
 * estimated at 0 move a level-3 question by +0.21 and a level-1 question by +0.28, while a
 * question consistently graded far from what its level predicts drifts to its real difficulty
 * over tens of answers. The ability behind an answer is itself uncertain (se): the answer is scored
 * with the item's discrimination attenuated to a / sqrt(1 + pi a^2 se^2 / 8), the logistic-normal
 * approximation of averaging over that uncertainty, so answers given while a profile was new
 * (se near 1) count for less than those of a well-measured profile.
 *
 * Anchoring: while candidates improve, their estimates lag behind their real ability, so every
 * question looks easier than its level says by about the same amount; fed back, that would make
 * the items easier, the estimates lower, and so on. The bank's levels fix the scale, so an
 * offset shared by all questions is estimated first (calib_common_shift: one shift for every
 * answer, prior N(0, 1)) and taken as a bias of the ability estimates, not of the questions;
 * each question's shift is estimated relative to it (calib_shifts) and only that is applied.
 * So that the mis-levelled questions themselves do not pull the common shift, it is estimated
 * a second time without the questions whose relative shift reached CALIB_TRIM (0.5).
 * A bank that is too hard as a whole is therefore not corrected: that is the scale itself.
 *
 * Stored form (calib_record_encode/decode): 22 bytes, version byte 1, the level the shift is
 * relative to (1 byte), shift and SE as IEEE-754 binary64 little-endian, the number of answers
 * as uint32 little-endian. A record for another level (the question was re-levelled since)
 * does not apply. Pure; caller-owned data. */
#ifndef VIVA_CALIB_H
#define VIVA_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include "irt.h"

#define CALIB_DEFAULT_A 1.2
#define CALIB_STEP      1.0  /* spacing of the three thresholds */
#define CALIB_PRIOR_SD  0.35 /* prior SD of the difficulty shift */
#define CALIB_MAX_SHIFT 2.5  /* a shift never exceeds this (two and a half levels) */
#define CALIB_COMMON_SD 1.0  /* prior SD of the shift shared by all items */
#define CALIB_TRIM      0.5  /* items that move this much are left out of the common shift */

/* Location of a level (clamped to 1..5): level - 3. */
double calib_level_location(int level);
/* GRM item for a bank level with discrimination a (a <= 0: CALIB_DEFAULT_A). */
irt_item calib_item_from_level(int level, double a);

typedef struct {
    double theta; /* the answering profile's ability estimate before the answer */
    double se;    /* its SE (0: taken as exact) */
    int grade;    /* 0..ncat-1 */
} calib_obs;

/* MAP estimate of the shift of `authored` given n observations, with its SE (posterior
 * 1/sqrt(information + 1/prior_sd^2)). prior_sd <= 0: CALIB_PRIOR_SD. Returns the shift
 * (0 with n == 0), within +-CALIB_MAX_SHIFT. Observations with a grade outside 0..ncat-1 are
 * ignored. */
double calib_shift(const irt_item *authored, const calib_obs *obs, size_t n, double prior_sd,
                   double *se);
/* One item's answers, for calib_common_shift. */
typedef struct {
    const irt_item *item; /* as authored */
    const calib_obs *obs;
    size_t n;
} calib_group;

/* The shift shared by every item: MAP over all the groups' answers with one common shift and
 * the prior N(0, prior_sd^2) (prior_sd <= 0: CALIB_COMMON_SD), with its SE. Returns 0 with no
 * answers. */
double calib_common_shift(const calib_group *groups, size_t ng, double prior_sd, double *se);

/* Every item's shift as applied: the common shift first, then each item's shift relative to
 * it (calib_shift of the item moved by the common shift, prior N(0, prior_sd^2)); shift[i]
 * (and se[i] unless se is NULL) for groups[i]. Returns the common shift, which is NOT part of
 * shift[i] (see "Anchoring" above). */
double calib_shifts(const calib_group *groups, size_t ng, double prior_sd, double *shift,
                    double *se);

/* `authored` with every threshold moved by `shift`. */
irt_item calib_apply(const irt_item *authored, double shift);

/* One item's stored recalibration. */
#define CALIB_RECORD_VERSION 1
#define CALIB_RECORD_SIZE    22
typedef struct {
    int level;    /* bank level (1..5) the shift is relative to */
    double shift; /* difficulty shift, |shift| <= CALIB_MAX_SHIFT */
    double se;    /* its posterior SE, > 0 */
    uint32_t n;   /* graded answers behind the estimate */
} calib_record;

void calib_record_encode(const calib_record *r, unsigned char out[CALIB_RECORD_SIZE]);
/* 0, or -1 when `data` is not a version-1 record of CALIB_RECORD_SIZE bytes with a level in
 * 1..5, a finite shift within +-CALIB_MAX_SHIFT and a finite positive SE. */
int calib_record_decode(const void *data, size_t len, calib_record *out);

#endif
