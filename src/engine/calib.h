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
 * authored difficulty. With prior_sd = 0.5 a handful of answers hardly moves an item, while a
 * question consistently graded far from what its level predicts drifts to its real
 * difficulty over tens of answers. Pure; caller-owned data. */
#ifndef VIVA_CALIB_H
#define VIVA_CALIB_H

#include <stddef.h>

#include "irt.h"

#define CALIB_DEFAULT_A 1.2
#define CALIB_STEP      1.0 /* spacing of the three thresholds */
#define CALIB_PRIOR_SD  0.5 /* prior SD of the difficulty shift */
#define CALIB_MAX_SHIFT 2.5 /* a shift never exceeds this (two and a half levels) */

/* Location of a level (clamped to 1..5): level - 3. */
double calib_level_location(int level);
/* GRM item for a bank level with discrimination a (a <= 0: CALIB_DEFAULT_A). */
irt_item calib_item_from_level(int level, double a);

typedef struct {
    double theta; /* the answering profile's ability estimate before the answer */
    int grade;    /* 0..ncat-1 */
} calib_obs;

/* MAP estimate of the shift of `authored` given n observations, with its SE (posterior
 * 1/sqrt(information + 1/prior_sd^2)). Returns the shift (0 with n == 0). */
double calib_shift(const irt_item *authored, const calib_obs *obs, size_t n, double prior_sd,
                   double *se);
/* `authored` with every threshold moved by `shift`. */
irt_item calib_apply(const irt_item *authored, double shift);

#endif
