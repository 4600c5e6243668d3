/* describe.h: an ability estimate said in the bank's own terms, for the progress screen.
 *
 * A bank question of level L is the GRM item calib_item_from_level(L) (location L - 3,
 * thresholds L - 4, L - 3, L - 2 on the ability scale). At ability theta a candidate
 *   answers level-L questions "solidly"     when P(solid or better) >= 1/2 at level L,
 *                                 "in part"     when P(partial or better) >= 1/2,
 *                                 "excellently" when P(excellent) >= 1/2,
 * with the probabilities taken from the engine's own item model, so the words follow the
 * level mapping if it changes. Pure; buffers are caller-owned and always NUL-terminated
 * (text is cut if a buffer is short; 160 bytes hold every sentence with 40-byte names). */
#ifndef VIVA_DESCRIBE_H
#define VIVA_DESCRIBE_H

#include <stddef.h>

#define DESCRIBE_ROUGH_SE   0.5  /* an estimate with a larger SE is called "early" */
#define DESCRIBE_UNKNOWN_SE 0.9  /* from this SE on (the prior is 1) nothing is claimed */
#define DESCRIBE_MIN_ANSWERS 3   /* answers a topic needs before it is compared */
#define DESCRIBE_EVEN       0.3  /* topics closer than this (ability units) are "even" */

/* The highest level (1..5) answered solidly or better at least half the time, or 0. */
int describe_solid_level(double theta);
/* The level to practise at: the one whose questions' location is nearest theta (1..5), where
 * a question tells the most about the candidate and is a stretch but within reach. */
int describe_practice_level(double theta);

/* One sentence, e.g. "Answers level-3 questions solidly and level-4 questions in part",
 * "Answers level-3 questions solidly (early estimate)" when se > DESCRIBE_ROUGH_SE, or
 * "Too early to tell: answer a few more questions" when se >= DESCRIBE_UNKNOWN_SE or either
 * value is not finite. */
void describe_level(double theta, double se, char *buf, size_t len);

typedef struct {
    const char *name; /* display name */
    double theta, se; /* the topic's ability */
    int n;            /* graded answers in the topic */
} describe_topic;

typedef struct {
    int judged;             /* topics with at least min_answers answers */
    int strongest, weakest; /* indices; -1 unless two judged topics differ by DESCRIBE_EVEN+ */
    int practise;           /* index of the topic to practise next; -1 with no topics */
    int practise_level;     /* 1..5 (0 with no topics) */
} describe_pick;

/* Strongest and weakest among the judged topics (ties: the first). Practise next: the weakest
 * when there is one; else the topic with the fewest answers when some topic is not judged yet
 * (to place the candidate there); else the lowest. min_answers < 1 counts as 1. */
describe_pick describe_topics_pick(const describe_topic *t, int n, int min_answers);

/* Two sentences from describe_topics_pick. `topics`: "Strongest: Concurrency · weakest: SQL"
 * (plus " · 2 topics need more answers" when some are not judged), or why there is no such
 * pair. `next`: "Practise next: SQL, level-2 questions" and the like. */
void describe_topics(const describe_topic *t, int n, int min_answers, char *topics,
                     size_t tlen, char *next, size_t nlen);

#endif
