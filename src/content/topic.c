/* topic.c: the built-in topic table. Order is the order shown on screen. */
#include "topic.h"

#include <string.h>

static const topic_info topics[] = {
    {"go", "Go language"},
    {"runtime", "Go runtime & memory"},
    {"gc", "Garbage collection"},
    {"concurrency", "Concurrency"},
    {"performance", "Performance & profiling"},
    {"testing", "Testing"},
    {"sql", "SQL"},
    {"postgres", "PostgreSQL"},
    {"mysql", "MySQL / MariaDB"},
    {"mongodb", "MongoDB"},
    {"redis", "Redis"},
    {"messaging", "Messaging (Kafka, RabbitMQ)"},
    {"distributed", "Distributed systems"},
    {"system-design", "System design"},
    {"rest", "REST & HTTP APIs"},
    {"grpc", "gRPC"},
    {"networking", "Networking"},
    {"security", "Security"},
    {"docker", "Docker"},
    {"kubernetes", "Kubernetes"},
    {"cloud", "Cloud"},
    {"observability", "Observability"},
    {"cicd", "CI/CD & Git"},
    {"architecture", "Architecture"},
    {"algorithms", "Algorithms & data structures"},
    {"behavioural", "Behavioural"},
};

size_t topic_count(void)
{
    return sizeof topics / sizeof topics[0];
}

const topic_info *topic_at(size_t i)
{
    return i < topic_count() ? &topics[i] : NULL;
}

const topic_info *topic_find(const char *slug)
{
    for (size_t i = 0; i < topic_count(); i++)
        if (strcmp(topics[i].slug, slug) == 0)
            return &topics[i];
    return NULL;
}

const char *topic_name(const char *slug)
{
    const topic_info *t = topic_find(slug);
    return t ? t->name : slug;
}

int topic_slug_valid(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 32 || s[0] < 'a' || s[0] > 'z')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}
