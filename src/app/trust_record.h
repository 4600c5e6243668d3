/* trust_record.h: a profile's agreement with the suggested grades (feedback_record), read from
 * its stored answers and their analyses, and what one stored analysis says about its trust.
 * The store keeps analyses as the JSON text `viva analyse --json` prints; an analysis saved
 * before confidences existed has no "confidence" and "sure": it reads as unknown (not sure)
 * and is not counted. */
#ifndef VIVA_TRUST_RECORD_H
#define VIVA_TRUST_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "feedback.h"
#include "store.h"

/* One stored analysis: its suggested grade (-1 none), confidence (negative: unknown) and sure
 * flag (0 unless the record says true). Text that is not a JSON object reads as none of them. */
void trust_analysis_parse(const char *json, size_t len, int *suggested, double *confidence,
                          int *sure);

/* The record of `profile` from its graded answers with an analysis, oldest first (the last 200
 * graded answers are looked at: enough for the window of sure ones). *out is zeroed first; on a store error it holds what was read before it and the error is
 * returned. */
int trust_record_load(store *st, uint32_t profile, feedback_record *out);

#endif
