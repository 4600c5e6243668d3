/* similar.h: near-duplicate detection for question texts.
 *
 * A text is reduced to a set of features: its content words (lower-cased, a plural 's'
 * dropped, common function words and interview boilerplate such as "explain" or "what"
 * removed) and each pair of neighbouring content words. Two texts are near-duplicates when
 * the Jaccard index of their feature sets (shared / combined) reaches a threshold;
 * SIMILAR_DEFAULT flags rewordings that keep most content words in order (tests/import pins
 * examples on both sides of it).
 *
 * An index answers "which stored text is closest to this one" through an inverted list from
 * feature to texts, so a query costs the length of the lists it touches, not the index size.
 * Features shared by more than SIMILAR_POSTING_MAX texts are too common to tell texts apart
 * and are not followed (they still count in the feature-set sizes), which keeps a query
 * bounded on very large banks. Owned by one thread at a time (queries use scratch space). */
#ifndef VIVA_SIMILAR_H
#define VIVA_SIMILAR_H

#include <stddef.h>

#define SIMILAR_DEFAULT 0.6
#define SIMILAR_POSTING_MAX 4096

typedef struct similar_index similar_index;

similar_index *similar_new(void);
void similar_free(similar_index *ix);

/* Add a text; returns its index (0, 1, 2, ... in call order). The text is not kept. */
size_t similar_add(similar_index *ix, const char *text);
size_t similar_count(const similar_index *ix);

/* The index of the added text most similar to `text` with a score >= threshold, or -1.
 * *score (may be NULL) receives the best score found (0 when none). */
long similar_best(similar_index *ix, const char *text, double threshold, double *score);

/* Jaccard similarity of two texts' feature sets, 0..1 (1 for two texts with no features). */
double similar_score(const char *a, const char *b);

#endif
