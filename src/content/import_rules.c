/* import_rules.c: the importer's judgement calls, in one place so they can be read and changed:
 * which topic a section or question belongs to, what counts as a question, which sections are
 * skipped, and the prior level a question gets. docs/readme/import.md describes the same rules
 * for users; keep the two in step. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "import_int.h"
#include "topic.h"

/* ---- topics --------------------------------------------------------------------------------
 * Keyword -> topic slug, tried in this order; the first keyword found wins. Matching is
 * case-insensitive at word boundaries; a trailing '*' makes the keyword a prefix ("optimi*"
 * matches "optimise" and "optimization"). More specific entries come before broader ones:
 * "api design" before "grpc", "garbage collect*" before "memory", "test*" before "ddd". */
static const struct {
    const char *kw;
    const char *slug;
} topic_kw[] = {
    {"behavio*", "behavioural"},     {"leadership", "behavioural"},
    {"tell me about", "behavioural"}, {"a time when", "behavioural"},
    {"a time you", "behavioural"},   {"challenge you", "behavioural"},
    {"challenges you", "behavioural"}, {"mentor*", "behavioural"},
    {"disagreed", "behavioural"},    {"api design", "rest"},
    {"test*", "testing"},            {"tdd", "testing"},
    {"bdd", "testing"},              {"mock*", "testing"},
    {"postgres*", "postgres"},       {"pg_*", "postgres"},
    {"pgbouncer", "postgres"},       {"mvcc", "postgres"},
    {"vacuum", "postgres"},          {"mariadb", "mysql"},
    {"mysql*", "mysql"},             {"innodb", "mysql"},
    {"myisam", "mysql"},             {"binlog", "mysql"},
    {"mongo*", "mongodb"},           {"nosql", "mongodb"},
    {"bson", "mongodb"},             {"redis", "redis"},
    {"memcached", "redis"},          {"kafka", "messaging"},
    {"rabbitmq", "messaging"},       {"nats", "messaging"},
    {"message broker", "messaging"}, {"message queue*", "messaging"},
    {"messag*", "messaging"},        {"dead letter", "messaging"},
    {"pub/sub", "messaging"},        {"grpc", "grpc"},
    {"protobuf", "grpc"},            {"protocol buffers", "grpc"},
    {"kubernetes", "kubernetes"},    {"k8s", "kubernetes"},
    {"helm", "kubernetes"},          {"pod*", "kubernetes"},
    {"ingress", "kubernetes"},       {"docker*", "docker"},
    {"container*", "docker"},        {"prometheus", "observability"},
    {"observability", "observability"}, {"monitor*", "observability"},
    {"tracing", "observability"},    {"logging", "observability"},
    {"logs", "observability"},       {"metrics", "observability"},
    {"slo", "observability"},        {"git", "cicd"},
    {"ci/cd", "cicd"},               {"ci-cd", "cicd"},
    {"ci", "cicd"},                  {"aws", "cloud"},
    {"gcp", "cloud"},                {"cloud", "cloud"},
    {"s3", "cloud"},                 {"lambda", "cloud"},
    {"security", "security"},        {"secur*", "security"},
    {"jwt", "security"},             {"oauth*", "security"},
    {"oidc", "security"},            {"tls", "security"},
    {"authenticat*", "security"},    {"injection", "security"},
    {"password*", "security"},       {"xss", "security"},
    {"pprof", "performance"},        {"profil*", "performance"},
    {"false sharing", "performance"}, {"garbage collect*", "gc"},      {"gc", "gc"},
    {"gogc", "gc"},                  {"gomemlimit", "gc"},
    {"write barrier*", "gc"},        {"escape analysis", "runtime"},
    {"scheduler", "runtime"},        {"scheduling", "runtime"},
    {"gmp", "runtime"},              {"gomaxprocs", "runtime"},
    {"runtime", "runtime"},          {"stack*", "runtime"},
    {"heap", "runtime"},             {"memory", "runtime"},
    {"preempt*", "runtime"},         {"concurren*", "concurrency"},
    {"goroutine*", "concurrency"},   {"channel*", "concurrency"},
    {"mutex*", "concurrency"},       {"rwmutex", "concurrency"},
    {"sync.*", "concurrency"},       {"synchroniz*", "concurrency"},
    {"atomic*", "concurrency"},      {"race*", "concurrency"},
    {"deadlock*", "concurrency"},    {"cancellation", "concurrency"},
    {"semaphore*", "concurrency"},   {"waitgroup", "concurrency"},
    {"worker pool", "concurrency"},  {"performance", "performance"},
    {"latency", "performance"},      {"optimi*", "performance"},
    {"benchmark*", "performance"},   {"cap theorem", "distributed"},
    {"pacelc", "distributed"},       {"consensus", "distributed"},
    {"raft", "distributed"},         {"paxos", "distributed"},
    {"distributed", "distributed"},  {"saga", "distributed"},
    {"idempoten*", "distributed"},   {"eventual consistency", "distributed"},
    {"consisten*", "distributed"},   {"outbox", "distributed"},
    {"circuit breaker*", "distributed"}, {"rate limit*", "system-design"},
    {"cach*", "system-design"},
    {"system design", "system-design"}, {"design a", "system-design"},
    {"capacity", "system-design"},   {"load balanc*", "system-design"},
    {"rest", "rest"},                {"restful", "rest"},
    {"http*", "rest"},               {"api*", "rest"},
    {"websocket*", "rest"},          {"pagination", "rest"},
    {"cors", "rest"},                {"sql", "sql"},
    {"database*", "sql"},            {"index*", "sql"},
    {"transaction*", "sql"},         {"join", "sql"},
    {"normaliz*", "sql"},            {"normal forms", "sql"},
    {"isolation level*", "sql"},     {"orm", "sql"},
    {"migration*", "sql"},           {"connection pool*", "sql"},
    {"shard*", "sql"},               {"replication", "sql"},
    {"deploy*", "cicd"},           {"microservice*", "architecture"},
    {"clean architecture", "architecture"}, {"architect*", "architecture"},
    {"domain-driven*", "architecture"}, {"ddd", "architecture"},
    {"cqrs", "architecture"},        {"solid", "architecture"},
    {"event sourcing", "architecture"}, {"repository pattern*", "architecture"},
    {"soa", "architecture"},         {"algorithm*", "algorithms"},
    {"data structure*", "algorithms"}, {"complexity", "algorithms"},
    {"linked list*", "algorithms"},  {"sort*", "algorithms"},
    {"trees", "algorithms"},         {"graphs", "algorithms"},
    {"dynamic programming", "algorithms"}, {"lru cache", "algorithms"},
    {"network*", "networking"},      {"tcp", "networking"},
    {"dns", "networking"},           {"golang", "go"},
    {"go", "go"},                    {"interface*", "go"},
    {"slice*", "go"},                {"map*", "go"},
    {"generic*", "go"},              {"reflect*", "go"},
    {"error*", "go"},                {"panic*", "go"},
    {"defer", "go"},
};

#define NKW (sizeof topic_kw / sizeof topic_kw[0])

const char *import_topic_of(const char *text)
{
    for (size_t i = 0; i < NKW; i++)
        if (imp_has_word_ci(text, topic_kw[i].kw))
            return topic_kw[i].slug;
    return NULL;
}

int imp_section_topics(const char *title, const char *slugs[], int max)
{
    int n = 0;
    for (size_t i = 0; i < NKW && n < max; i++) {
        if (!imp_has_word_ci(title, topic_kw[i].kw))
            continue;
        int dup = 0;
        for (int k = 0; k < n; k++)
            dup |= strcmp(slugs[k], topic_kw[i].slug) == 0;
        if (!dup)
            slugs[n++] = topic_kw[i].slug;
    }
    return n;
}

/* The first topic the question's words name (table order) among `set`, or NULL. */
static const char *named_in(const char *question, const char *const set[], int n)
{
    for (size_t i = 0; i < NKW; i++) {
        if (!imp_has_word_ci(question, topic_kw[i].kw))
            continue;
        for (int k = 0; k < n; k++)
            if (strcmp(set[k], topic_kw[i].slug) == 0)
                return set[k];
    }
    return NULL;
}

/* A part is "broad" when it names no topic or only the Go language itself; questions in a
 * broad part take the topic their own words name. In a specific sub-section a question takes
 * one of the sub-section's topics its words name, else one of its section's (not Go) its words
 * name, else the sub-section's first: a question naming Postgres under "Transactions, locks"
 * in "Databases (PostgreSQL & SQL)" is `postgres`, one naming no product there `sql`. Without
 * a specific sub-section the section decides the same way. */
const char *imp_question_topic(const char *question, const char *const sub[], int nsub,
                               const char *const sec[], int nsec)
{
    const char *t;
    if (nsub > 0) {
        if ((t = named_in(question, sub, nsub)) != NULL)
            return t;
        const char *parent[8];
        int np = 0;
        for (int i = 0; i < nsec && np < 8; i++)
            if (strcmp(sec[i], "go") != 0)
                parent[np++] = sec[i];
        if ((t = named_in(question, parent, np)) != NULL)
            return t;
        return sub[0];
    }
    int broad = nsec == 0 || (nsec == 1 && strcmp(sec[0], "go") == 0);
    if (broad) {
        t = import_topic_of(question);
        return t ? t : "go"; /* the documents viva targets are about Go back ends */
    }
    t = named_in(question, sec, nsec);
    return t ? t : sec[0];
}

/* ---- framing and ordering -------------------------------------------------------------------
 * Framing is read from the title, headings and introduction (the caller passes that text):
 * "senior", "staff engineer", "principal", "tech lead" -> senior; "mid-level", "mid level",
 * "intermediate" -> mid; "junior", "entry-level", "beginner", "graduate" -> junior. Senior is
 * checked first because senior documents often mention the other levels in passing. */
import_framing imp_detect_framing(const char *text)
{
    static const char *senior[] = {"senior", "staff engineer", "principal", "tech lead"};
    static const char *mid[] = {"mid-level", "mid level", "midlevel", "intermediate"};
    static const char *junior[] = {"junior", "entry-level", "entry level", "beginner*",
                                   "graduate"};
    for (size_t i = 0; i < sizeof senior / sizeof senior[0]; i++)
        if (imp_has_word_ci(text, senior[i]))
            return IMPORT_FRAMING_SENIOR;
    for (size_t i = 0; i < sizeof mid / sizeof mid[0]; i++)
        if (imp_has_word_ci(text, mid[i]))
            return IMPORT_FRAMING_MID;
    for (size_t i = 0; i < sizeof junior / sizeof junior[0]; i++)
        if (imp_has_word_ci(text, junior[i]))
            return IMPORT_FRAMING_JUNIOR;
    return IMPORT_FRAMING_NONE;
}

/* A document is "ordered" when its introduction says its lists go from easy to hard. */
int imp_detect_ordered(const char *text)
{
    static const char *cues[] = {"warm-up to", "warm up to", "easy to hard", "easiest to",
                                 "basic to advanced", "beginner to advanced",
                                 "increasing difficulty", "ordered from", "graded list"};
    for (size_t i = 0; i < sizeof cues / sizeof cues[0]; i++)
        if (imp_has_ci(text, cues[i]))
            return 1;
    return 0;
}

/* ---- levels ---------------------------------------------------------------------------------
 * Levels: 1 warm-up, 2 junior, 3 mid-level, 4 senior, 5 staff.
 * The framing gives a range and a base:   senior 2..5 base 4, mid 1..4 base 3,
 *                                          junior 1..3 base 2, none 1..5 base 3.
 * Ordered list (the document says so): level = lo + round((hi - lo) * pos), pos = i / (n - 1)
 *   for the i-th of n questions in its list (0.5 for a list of one).
 * Otherwise: level = base + wording, clamped to the range, where wording is +1 when the
 *   question has at least one "deep" cue and no more shallow openings than deep cues, -1 when
 *   it has no deep cue and a shallow cue, else 0.
 *   Deep cues: internals, implement, design, production, trade-off, scale, optimise, tune,
 *   debug, diagnose, failure, consistency models, advanced, "under the hood", "why".
 *   Shallow cues: starts with "what is/are", "define", "name", "list", "is there", "have you
 *   (heard|used)", or is shorter than 8 words (not applied to "Term – definition" items,
 *   whose text is always short). */
static const char *deep_cues[] = {
    "internal*", "under the hood", "implement*", "design*", "production", "trade-off*",
    "tradeoff*", "at scale", "scal*", "optimi*", "tune", "tuning", "debug*", "diagnos*",
    "failure*", "failover", "consensus", "linearizab*", "exactly-once", "advanced",
    "zero-downtime", "bottleneck*", "why", "architect*", "leak*", "contention",
};
static const char *shallow_starts[] = {
    "what is ", "what are ", "what's ", "define ", "name ", "list ", "is there ",
    "have you heard", "have you used", "what does ",
};

int imp_level(const char *question, import_framing f, double pos, int term, const char **rule)
{
    int lo = 1, hi = 5, base = 3;
    switch (f) {
    case IMPORT_FRAMING_SENIOR:
        lo = 2, hi = 5, base = 4;
        break;
    case IMPORT_FRAMING_MID:
        lo = 1, hi = 4, base = 3;
        break;
    case IMPORT_FRAMING_JUNIOR:
        lo = 1, hi = 3, base = 2;
        break;
    default:
        break;
    }
    if (pos >= 0) {
        *rule = "position in a warm-up-to-deep list";
        return lo + (int)floor((hi - lo) * pos + 0.5);
    }
    int deep = 0, shallow = 0;
    for (size_t i = 0; i < sizeof deep_cues / sizeof deep_cues[0]; i++)
        deep += imp_has_word_ci(question, deep_cues[i]);
    for (size_t i = 0; i < sizeof shallow_starts / sizeof shallow_starts[0]; i++)
        shallow += imp_starts_ci(question, shallow_starts[i]);
    int w = deep > 0 && deep >= shallow ? 1 : 0;
    if (deep == 0 && (shallow || (!term && imp_word_count(question) < 8)))
        w = -1;
    *rule = w > 0 ? "framing + deep wording" : w < 0 ? "framing + warm-up wording" : "framing";
    int level = base + w;
    return level < lo ? lo : level > hi ? hi : level;
}

/* ---- what counts ------------------------------------------------------------------------ */

/* First words of prompts that need no question mark ("Explain ...", "Talk about ..."). */
static const char *prompt_words[] = {
    "how", "what", "what's", "whats", "why", "when", "where", "which", "who", "whom", "whose",
    "is", "are", "do", "does", "did", "can", "could", "would", "should", "will", "have", "has",
    "if", "explain", "discuss", "describe", "tell", "talk", "define", "implement", "walk",
    "differentiate", "difference", "differences", "compare", "contrast", "state", "prevent",
    "write", "provide", "design", "give", "name", "list", "let's", "lets", "show", "build",
    "outline", "identify", "summarize", "summarise", "estimate", "elaborate", "demonstrate",
    "illustrate", "suppose", "imagine", "assume", "read", "instrument", "share", "in",
};

int imp_is_question(const char *text)
{
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == ')' || text[n - 1] == '"'))
        n--;
    if (n && text[n - 1] == '?')
        return 1;
    char word[16];
    size_t k = 0;
    while (k < sizeof word - 1 && text[k] && (isalpha((unsigned char)text[k]) || text[k] == '\''))
        word[k] = (char)tolower((unsigned char)text[k]), k++;
    word[k] = '\0';
    if (!k || (text[k] && text[k] != ' ' && text[k] != ','))
        return 0;
    if (!strcmp(word, "in") && !imp_starts_ci(text, "in what"))
        return 0;
    for (size_t i = 0; i < sizeof prompt_words / sizeof prompt_words[0]; i++)
        if (!strcmp(word, prompt_words[i]))
            return 1;
    return 0;
}

int imp_is_closing_question(const char *text)
{
    static const char *closing[] = {"any questions", "do you have any questions",
                                    "questions for us", "questions for me",
                                    "anything else you would like"};
    for (size_t i = 0; i < sizeof closing / sizeof closing[0]; i++)
        if (imp_starts_ci(text, closing[i]))
            return 1;
    return 0;
}

/* Section titles that hold no questions: navigation, metadata of an interview report and
 * closing parts. An entry ending in '*' matches the start of a title; the others must be the
 * whole title (ignoring case and a trailing ':'), so "Status" is skipped but "HTTP status
 * codes" is not. */
int imp_is_skip_section(const char *title)
{
    static const char *skip[] = {
        "table of contents", "contents", "toc", "last words*", "final words*", "conclusion*",
        "closing*", "wrap-up*", "wrap up*", "summary", "final thoughts*", "references",
        "further reading*", "resources", "about the author*", "comments", "score", "status",
        "interview process", "interview date*", "interview duration", "interview platform",
        "apply way", "final-mile*", "checklist*", "related posts*", "share this*",
    };
    size_t tn = strlen(title);
    while (tn && (title[tn - 1] == ':' || title[tn - 1] == ' '))
        tn--;
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++) {
        size_t l = strlen(skip[i]);
        if (skip[i][l - 1] == '*') {
            if (imp_ncasecmp(title, skip[i], l - 1) == 0)
                return 1;
        } else if (l == tn && imp_ncasecmp(title, skip[i], l) == 0) {
            return 1;
        }
    }
    return 0;
}
