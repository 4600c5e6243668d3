/* topic.h: the topic areas viva knows by name. A bank may use other topic slugs too (a team's
 * own bank); those are shown by their slug. Slugs are lower-case ASCII letters, digits and '-'. */
#ifndef VIVA_TOPIC_H
#define VIVA_TOPIC_H

#include <stddef.h>

typedef struct {
    const char *slug; /* "postgres" */
    const char *name; /* "PostgreSQL", for display */
} topic_info;

size_t topic_count(void);
const topic_info *topic_at(size_t i);
/* The known topic with this slug, or NULL. */
const topic_info *topic_find(const char *slug);
/* A display name: the known name, or the slug itself. */
const char *topic_name(const char *slug);
/* 1 if `s` is a well-formed slug (1-32 chars of [a-z0-9-], starting with a letter). */
int topic_slug_valid(const char *s);

#endif
