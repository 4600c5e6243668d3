/* test_import.c: the importer (core/import.h) and near-duplicate index (core/similar.h).
 *
 * Counting rules asserted here (docs/readme/import.md says the same for users):
 *  - markdown lists: each top-level bullet or numbered item that reads as a question or a
 *    prompt counts once, under the heading level used more than once; a line that follows a
 *    bullet with no blank line between continues it; skipped: front matter, contents, dates,
 *    process/score/status sections, closing sections ("Last Words", "Final Thoughts"), the
 *    closing "Any questions?".
 *  - "Term – definition" lines count once each under the last bare section line; section lines
 *    with no terms under them (footers) give nothing.
 *  - numbered questions with answer bodies: a column-0 "N." line with the next number (and the
 *    '*' marks if the document uses them) counts; numbered points inside an answer do not.
 *  - outline with a table of contents: every indented numbered item under a numbered section
 *    counts; the contents, prose and "•" checklists do not.
 *  - plain text: every line ending in '?' counts, except closing questions.
 * Expected numbers for the five seed documents were counted by hand from the documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "file.h"
#include "import.h"
#include "similar.h"
#include "topic.h"
#include "utf8.h"
#include "verr.h"

typedef struct {
    char msgs[16][300];
    int lines[16];
    int n;
} diags;

static void collect(void *ctx, const char *file, int line, const char *message)
{
    diags *d = ctx;
    if (d->n < 16) {
        snprintf(d->msgs[d->n], sizeof d->msgs[0], "%s: %s", file, message);
        d->lines[d->n++] = line;
    }
}

static int has_msg(const diags *d, int line, const char *part)
{
    for (int i = 0; i < d->n; i++)
        if ((line < 0 || d->lines[i] == line) && strstr(d->msgs[i], part))
            return 1;
    return 0;
}

static char path_buf[4096];
static const char *fixture(const char *name)
{
    const char *src = getenv("VIVA_SOURCE_DIR");
    snprintf(path_buf, sizeof path_buf, "%s/tests/content/fixtures/%s", src ? src : "../..", name);
    return path_buf;
}

static int parse_file(const char *path, import_doc *doc, diags *d)
{
    size_t len;
    char *text = NULL;
    int e = file_read(path, IMPORT_FILE_MAX, &text, &len);
    if (e) {
        fprintf(stderr, "cannot read %s: %s\n", path, strerror(e));
        memset(doc, 0, sizeof *doc);
        return -1;
    }
    memset(d, 0, sizeof *d);
    int rc = import_parse(path, text, len, doc, collect, d);
    free(text);
    return rc;
}

static int parse_text(const char *text, size_t len, import_doc *doc, diags *d)
{
    memset(d, 0, sizeof *d);
    return import_parse("t.md", text, len, doc, collect, d);
}

/* Questions in `section` (NULL = all), optionally only in `sub`. */
static int count_in(const import_doc *doc, const char *section, const char *sub)
{
    int n = 0;
    for (size_t i = 0; i < doc->count; i++)
        if ((!section || !strcmp(doc->q[i].section, section)) &&
            (!sub || !strcmp(doc->q[i].subsection, sub)))
            n++;
    return n;
}

static int answered(const import_doc *doc)
{
    int n = 0;
    for (size_t i = 0; i < doc->count; i++)
        n += doc->q[i].answer != NULL;
    return n;
}

static const import_question *find_q(const import_doc *doc, const char *part)
{
    for (size_t i = 0; i < doc->count; i++)
        if (strstr(doc->q[i].question, part))
            return &doc->q[i];
    return NULL;
}

static void check_invariants(const import_doc *doc)
{
    for (size_t i = 0; i < doc->count; i++) {
        const import_question *q = &doc->q[i];
        CHECK(q->level >= 1 && q->level <= 5);
        CHECK(q->nkeys >= 0 && q->nkeys <= BANK_MAX_KEYS);
        for (int k = 0; k < q->nkeys; k++) /* never a made-up point */
            CHECK_MSG(!strstr(q->keys[k], "a precise definition") &&
                          !strstr(q->keys[k], "concrete example or use case") &&
                          !strstr(q->keys[k], "Situation and task"),
                      "%s: placeholder key point '%s'", q->question, q->keys[k]);
        CHECK(strlen(q->question) <= BANK_QUESTION_MAX);
        CHECK(topic_slug_valid(q->topic));
    }
}

/* ---- the five shapes, on our own fixtures -------------------------------------------------- */

static void test_bullets(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("bullets.md"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_BULLETS);
    CHECK_STR(doc.title, "Practice Questions for a Backend Role");
    CHECK(doc.framing == IMPORT_FRAMING_MID);
    CHECK(doc.count == 6);
    CHECK(count_in(&doc, "Go", NULL) == 4);
    CHECK(count_in(&doc, "Redis", NULL) == 2);
    CHECK(count_in(&doc, "Final Thoughts", NULL) == 0); /* closing section */
    CHECK(answered(&doc) == 0);
    const import_question *q = find_q(&doc, "race detector");
    CHECK(q && strstr(q->question, "and what it taught you")); /* wrapped bullet */
    CHECK(q && q->line == 14);
    q = find_q(&doc, "defer");
    CHECK(q && !strcmp(q->question, "Explain how defer runs when a function returns."));
    q = find_q(&doc, "single-threaded");
    CHECK(q && !strcmp(q->topic, "redis") && q->level == 4); /* mid-level base 3, "why" +1 */
    q = find_q(&doc, "What is a goroutine");
    CHECK(q && q->level == 2 && q->nkeys == 0); /* "what is" -1; no answer: no key points */
    check_invariants(&doc);
    import_doc_free(&doc);
}

static void test_terms(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("terms.txt"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_TERMS);
    CHECK_STR(doc.title, "Backend Terms Worth Knowing");
    CHECK(doc.count == 5);
    CHECK(count_in(&doc, "Storage", NULL) == 3);
    CHECK(count_in(&doc, "Messaging", NULL) == 2);
    CHECK(count_in(&doc, "About the author", NULL) == 0);
    CHECK(answered(&doc) == 5);
    const import_question *q = find_q(&doc, "Vacuum");
    CHECK(q && !strcmp(q->question, "Explain: Vacuum (Storage)"));
    CHECK(q && !strcmp(q->topic, "postgres"));
    CHECK(q && q->nkeys == 2 && !strcmp(q->keys[0], "reclaims space held by dead row versions"));
    q = find_q(&doc, "Consumer group");
    CHECK(q && !strcmp(q->topic, "messaging"));
    check_invariants(&doc);
    import_doc_free(&doc);
}

static void test_numbered(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("numbered.txt"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_NUMBERED);
    CHECK(doc.count == 4); /* "1. Allocation" and "2. Rehashing" are answer points */
    CHECK(answered(&doc) == 4);
    const import_question *q = find_q(&doc, "hash map");
    CHECK(q && q->answer && strstr(q->answer, "m := make(map[string]int)")); /* unfenced code */
    CHECK(q && q->answer && strstr(q->answer, "2. Rehashing"));
    CHECK(q && q->nkeys == 3 && !strcmp(q->keys[0], "Load factor")); /* Interview Insight */
    q = find_q(&doc, "backpressure");
    CHECK(q && q->nkeys == 3 && !strcmp(q->keys[2], "Load shedding")); /* answer bullets */
    q = find_q(&doc, "slow endpoint");
    CHECK(q && q->level == 4 && q->line == 27); /* no framing: base 3, production +1 */
    check_invariants(&doc);
    import_doc_free(&doc);
}

static void test_outline(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("outline.txt"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_OUTLINE);
    CHECK_STR(doc.title, "Staff-Track Senior Engineer Question List");
    CHECK(doc.framing == IMPORT_FRAMING_SENIOR);
    CHECK(doc.ordered == 1);
    CHECK(doc.count == 10);
    CHECK(count_in(&doc, "Storage", NULL) == 5);
    CHECK(count_in(&doc, "Storage", "Indexes") == 3);
    CHECK(count_in(&doc, "Storage", "Replication") == 2);
    CHECK(count_in(&doc, "Networking", NULL) == 4);
    CHECK(count_in(&doc, "People", NULL) == 1); /* the checklist bullets do not count */
    /* Senior range 2..5 by position: 3 items -> 2, 4(3.5 rounds up), 5; 2 items -> 2, 5. */
    CHECK(find_q(&doc, "What is an index")->level == 2);
    CHECK(find_q(&doc, "planner skip")->level == 4);
    CHECK(find_q(&doc, "multi-tenant")->level == 5);
    CHECK(find_q(&doc, "replica do")->level == 2);
    CHECK(find_q(&doc, "replication lag")->level == 5);
    CHECK(find_q(&doc, "team's mind")->level == 4); /* a list of one sits in the middle */
    const import_question *q = find_q(&doc, "head-of-line");
    CHECK(q && strstr(q->question, "HTTP/3 differ on it")); /* wrapped item */
    CHECK(q && !strcmp(q->topic, "networking"));
    q = find_q(&doc, "team's mind");
    CHECK(q && !strcmp(q->topic, "behavioural") && q->nkeys == 0);
    check_invariants(&doc);
    import_doc_free(&doc);
}

static void test_report(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("report.md"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_REPORT);
    CHECK(doc.framing == IMPORT_FRAMING_SENIOR);
    CHECK_STR(doc.title, "acme | \xd8\xaf\xda\xa9\xd8\xaa\xd8\xb1"); /* repaired Persian */
    CHECK(doc.repaired > 0);
    CHECK(doc.count == 4); /* dates, "Any questions?" and the score are not questions */
    CHECK(count_in(&doc, "Technical Interview", NULL) == 4);
    CHECK(answered(&doc) == 2);
    const import_question *q = find_q(&doc, "circuit breaker");
    CHECK(q && q->answer && strstr(q->answer, "a while \xe2\x86\x92 the dependency"));
    CHECK(q && q->answer && strstr(q->answer, "Circuit breaker pattern (https://example.com/cb)"));
    CHECK(q && q->answer && !strstr(q->answer, "Answer")); /* <summary> dropped */
    q = find_q(&doc, "schema change");
    CHECK(q && q->line == 24); /* the bullet indented by one space is still a question */
    q = find_q(&doc, "queue is unhealthy");
    CHECK(q && q->nkeys == 1 && !strcmp(q->keys[0], "Queue metrics")); /* not padded */
    check_invariants(&doc);
    import_doc_free(&doc);
}

static void test_plain(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("plain.txt"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_PLAIN);
    CHECK(doc.count == 3);
    CHECK(count_in(&doc, "Caching", NULL) == 2);
    CHECK(count_in(&doc, "Queues", NULL) == 1);
    import_doc_free(&doc);
}

/* ---- the seed documents (absent on a user's clone) ------------------------------------------ */

typedef struct {
    const char *section;
    int n;
} sec_count;

static int seeds_dir(char *out, size_t n)
{
    const char *shared = getenv("VIVA_SHARED_DIR");
    if (!shared)
        return 0;
    snprintf(out, n, "%s/seeds", shared);
    FILE *f;
    char probe[4200];
    snprintf(probe, sizeof probe, "%s/000_49a25d8ed098544e.txt", out);
    f = fopen(probe, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

static void check_seed(const char *name, import_shape shape, int total, int with_answers,
                       const sec_count *secs, size_t nsecs)
{
    char dir[4096], path[4200];
    if (!seeds_dir(dir, sizeof dir))
        return;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    import_doc doc;
    diags d;
    CHECK_MSG(parse_file(path, &doc, &d) == VIVA_OK, "%s", name);
    CHECK_MSG(doc.shape == shape, "%s: shape %s", name, import_shape_name(doc.shape));
    CHECK_MSG((int)doc.count == total, "%s: %zu questions, expected %d", name, doc.count, total);
    CHECK_MSG(answered(&doc) == with_answers, "%s: %d answered, expected %d", name,
              answered(&doc), with_answers);
    int sum = 0;
    for (size_t i = 0; i < nsecs; i++) {
        int n = count_in(&doc, secs[i].section, NULL);
        CHECK_MSG(n == secs[i].n, "%s: section \"%s\" has %d, expected %d", name,
                  secs[i].section, n, secs[i].n);
        sum += secs[i].n;
    }
    CHECK_MSG(sum == total, "%s: the sections listed add up to %d, not %d", name, sum, total);
    check_invariants(&doc);
    import_doc_free(&doc);
}

static void test_seeds(void)
{
    char dir[4096];
    if (!seeds_dir(dir, sizeof dir))
        SKIP("seed documents not found under $VIVA_SHARED_DIR/seeds (not part of a clone); "
             "the fixtures cover the same shapes");
    /* 000: "## Section" headings, one bullet per question; "Last Words" is a closing part;
     * the Prometheus bullet wrapped onto a second line counts once. */
    static const sec_count s0[] = {
        {"Go", 25},          {"SQL", 29},        {"PostgreSQL", 12}, {"MariaDB", 13},
        {"MongoDB", 11},     {"Redis", 13},      {"RabbitMQ", 14},   {"Git", 21},
        {"RESTful", 10},     {"gRPC", 11},       {"Docker", 9},      {"Kubernetes", 18},
        {"Prometheus", 10},  {"Clean Architecture", 13}, {"Domain-Driven-Design", 17},
        {"CQRS", 17},        {"SOLID", 6},
    };
    check_seed("000_49a25d8ed098544e.txt", IMPORT_SHAPE_BULLETS, 249, 0, s0,
               sizeof s0 / sizeof s0[0]);
    /* 001: one "Term – definition" line per question; the footer ("Go Development
     * Architecture Practice", comments) has no term lines. */
    static const sec_count s1[] = {
        {"Go Basics", 27},  {"Go Concurrency Programming", 15}, {"Go Runtime", 15},
        {"Microservices", 14}, {"Container Technology", 23}, {"Redis", 35}, {"MySQL", 28},
    };
    check_seed("001_243469bea5aec468.txt", IMPORT_SHAPE_TERMS, 157, 157, s1,
               sizeof s1 / sizeof s1[0]);
    /* 002: "***1." .. "*68." questions, each with an answer body; no section headings. */
    static const sec_count s2[] = {{"", 68}};
    check_seed("002_2080be2975d76e1b.txt", IMPORT_SHAPE_NUMBERED, 68, 68, s2, 1);
    /* 003: the 15 numbered sections of its table of contents; the checklist is not counted. */
    static const sec_count s3[] = {
        {"Golang Language & Runtime", 50},
        {"Concurrency", 14},
        {"Algorithms & Data Structures", 15},
        {"Databases (PostgreSQL & SQL)", 27},
        {"NoSQL (MongoDB)", 10},
        {"Messaging (Kafka / RabbitMQ / NATS)", 17},
        {"Distributed Systems", 15},
        {"System Design", 15},
        {"API Design (REST / gRPC / WebSocket)", 10},
        {"Security", 10},
        {"Testing (TDD / BDD / DDD)", 10},
        {"DevOps (Docker / Kubernetes / CI-CD)", 10},
        {"Observability", 10},
        {"Cloud (AWS / GCP)", 10},
        {"Behavioral & Leadership", 12},
    };
    check_seed("003_2336967478bf2663.txt", IMPORT_SHAPE_OUTLINE, 235, 0, s3,
               sizeof s3 / sizeof s3[0]);
    /* 004: 21 bullets under "Technical Interview", less the closing "Any questions?";
     * 13 have a <details> answer (3 of them links only). */
    static const sec_count s4[] = {{"Technical Interview", 20}};
    check_seed("004_e54bbbd9cb7ecd17.txt", IMPORT_SHAPE_REPORT, 20, 13, s4, 1);

    /* Sub-sections and signals of 003 and 004. */
    char path[4200];
    snprintf(path, sizeof path, "%s/003_2336967478bf2663.txt", dir);
    import_doc doc;
    diags d;
    parse_file(path, &doc, &d);
    static const sec_count sub3[] = {
        {"Goroutines, Scheduler & the GMP Model", 9}, {"Channels & select", 6},
        {"Synchronization primitives", 7}, {"Context & cancellation", 5},
        {"Memory: stack vs heap, escape analysis, GC", 6}, {"Interfaces, types, generics", 6},
        {"Internals: slices, maps, strings", 5}, {"Errors, reflection, profiling", 6},
    };
    for (size_t i = 0; i < sizeof sub3 / sizeof sub3[0]; i++)
        CHECK_MSG(count_in(&doc, "Golang Language & Runtime", sub3[i].section) == sub3[i].n,
                  "003 sub-section %s", sub3[i].section);
    CHECK(doc.framing == IMPORT_FRAMING_SENIOR && doc.ordered);
    CHECK(find_q(&doc, "Explain the GMP model")->level == 2);
    CHECK(find_q(&doc, "detect and debug a goroutine leak")->level == 5);
    /* A question naming Postgres under a sub-section about SQL in "Databases (PostgreSQL &
     * SQL)" is a PostgreSQL question (it was filed under sql). */
    const import_question *pq = find_q(&doc, "SKIP LOCKED");
    CHECK(pq && !strcmp(pq->topic, "postgres"));
    pq = find_q(&doc, "deadlock in Postgres");
    CHECK(pq && !strcmp(pq->topic, "postgres"));
    pq = find_q(&doc, "Optimistic vs pessimistic locking");
    CHECK(pq && !strcmp(pq->topic, "sql")); /* names no product: the sub-section's topic */
    /* The closing checklist's six bullets are listed as skipped, with their lines. */
    CHECK(doc.skipped == 6 && has_msg(&d, 378, "skipped: ") && has_msg(&d, 383, "a bullet"));
    import_doc_free(&doc);
    snprintf(path, sizeof path, "%s/004_e54bbbd9cb7ecd17.txt", dir);
    parse_file(path, &doc, &d);
    CHECK(doc.repaired > 100);
    const import_question *q = find_q(&doc, "garbage collection pressure");
    CHECK(q && q->answer && strstr(q->answer, "allocations \xe2\x86\x92 faster heap growth"));
    CHECK(!find_q(&doc, "Any questions"));
    /* The four dates, the duration and "Any questions?" are listed as skipped. */
    CHECK(doc.skipped == 6 && has_msg(&d, 19, "'Interview Date'") &&
          has_msg(&d, 159, "closing question"));
    import_doc_free(&doc);
}

/* ---- questions as headings and table rows; what is skipped is listed --------------------- */

static void test_headings_and_tables(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_file(fixture("headings.md"), &doc, &d) == VIVA_OK);
    CHECK(doc.shape == IMPORT_SHAPE_BULLETS);
    CHECK_STR(doc.title, "Notes From Three Interviews"); /* the "# ..." in code is no heading */
    CHECK(doc.count == 4);
    /* "####" questions: the text up to the next heading is the answer, code included. */
    const import_question *q = find_q(&doc, "row lock");
    CHECK(q && q->line == 7 && !strcmp(q->section, "Databases (PostgreSQL & SQL)") &&
          !strcmp(q->subsection, "Locks and transactions"));
    CHECK(q && !strcmp(q->topic, "postgres")); /* names Postgres; the section lists it */
    CHECK(q && q->answer && strstr(q->answer, "blocks writers of that row"));
    CHECK(q && q->nkeys == 2 && !strcmp(q->keys[1], "Table locks come from DDL such as ALTER TABLE"));
    q = find_q(&doc, "optimistic locking");
    CHECK(q && q->answer && strstr(q->answer, "# not a heading") && strstr(q->answer, "think time"));
    CHECK(q && !strcmp(q->topic, "sql"));
    /* Table rows: the question cell, the cells after it as the answer. */
    q = find_q(&doc, "What is a WAL?");
    CHECK(q && q->line == 26 && q->answer &&
          !strcmp(q->answer, "durability before the data pages are written"));
    q = find_q(&doc, "four isolation levels");
    CHECK(q && q->line == 27 && !strcmp(q->subsection, "Quick round"));
    /* Every block not imported, with its line and why; the header row is the table's frame. */
    CHECK(doc.skipped == 3 && d.n == 3);
    CHECK(has_msg(&d, 28, "skipped: table row") && has_msg(&d, 28, "no cell that reads as a question"));
    CHECK(has_msg(&d, 30, "skipped: 'Is a question in prose counted?'"));
    CHECK(has_msg(&d, 34, "under 'Wrap-up'"));
    check_invariants(&doc);
    import_doc_free(&doc);

    /* Questions as "###" headings only (no list anywhere): still found. */
    static const char only[] = "# Go\n\n### What does GOMAXPROCS set?\n\nThe number of Ps.\n\n"
                               "### Why are maps not safe for concurrent writes?\n\nNo locking.\n";
    CHECK(parse_text(only, sizeof only - 1, &doc, &d) == VIVA_OK);
    CHECK(doc.count == 2 && find_q(&doc, "GOMAXPROCS") && find_q(&doc, "GOMAXPROCS")->answer);
    import_doc_free(&doc);
}

/* ---- no made-up key points ------------------------------------------------------------------ */

static void test_no_placeholder_keys(void)
{
    import_doc doc;
    diags d;
    /* Nothing to derive key points from: none, not "What it is: a precise definition". */
    static const char bare[] = "## Go\n\n- What is a goroutine?\n- Tell me about a hard bug.\n";
    CHECK(parse_text(bare, sizeof bare - 1, &doc, &d) == VIVA_OK);
    CHECK(doc.count == 2 && doc.q[0].nkeys == 0 && doc.q[1].nkeys == 0);
    /* A bank item without key points is valid: delivery feedback only. */
    bank *b = bank_new();
    bank_item it;
    import_to_item(&doc.q[0], "t.go.1", "t.md:3", &it);
    CHECK(bank_add(b, &it, NULL, NULL) == 0 && bank_count(b) == 1);
    bank_free(b);
    import_doc_free(&doc);
    /* One derived point stays one: no "A concrete example or use case" added. */
    static const char one[] = "1. What does defer do?\n"
                              "Runs a call when the function returns.\n\n"
                              "2. What is a slice?\nA view of an array.\n";
    CHECK(parse_text(one, sizeof one - 1, &doc, &d) == VIVA_OK);
    CHECK(doc.count == 2 && doc.q[0].nkeys == 1);
    check_invariants(&doc);
    import_doc_free(&doc);
}

/* ---- bad input -------------------------------------------------------------------------------- */

static void test_empty_and_binary(void)
{
    import_doc doc;
    diags d;
    CHECK(parse_text("", 0, &doc, &d) == VIVA_EPARSE);
    CHECK(has_msg(&d, 0, "empty"));
    import_doc_free(&doc);
    CHECK(parse_text("  \n\n\t\n", 6, &doc, &d) == VIVA_EPARSE);
    CHECK(has_msg(&d, 0, "white space"));
    import_doc_free(&doc);
    static const char bin[] = "## Go\n- What is a slice?\n\x7f" "ELF\0\0\x01\x02";
    CHECK(parse_text(bin, sizeof bin - 1, &doc, &d) == VIVA_EPARSE);
    CHECK(has_msg(&d, 3, "binary"));
    CHECK(doc.count == 0);
    import_doc_free(&doc);
    char noise[4096];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (char)(1 + (i * 7) % 31); /* control bytes, no NUL */
    CHECK(parse_text(noise, sizeof noise, &doc, &d) == VIVA_EPARSE);
    CHECK(has_msg(&d, 0, "binary"));
    import_doc_free(&doc);
    CHECK(parse_text("just prose.\nno questions here.\n", 31, &doc, &d) == VIVA_EPARSE);
    CHECK(has_msg(&d, 0, "no questions found"));
    import_doc_free(&doc);
}

static void test_invalid_utf8(void)
{
    import_doc doc;
    diags d;
    /* Line 3 is Latin-1 ("caf\xe9"), not UTF-8: reported with its line, read as Windows-1252. */
    static const char t[] = "## Go\n- What is a goroutine?\n- Why is the caf\xe9 closed?\n";
    CHECK(parse_text(t, sizeof t - 1, &doc, &d) == VIVA_OK);
    CHECK(has_msg(&d, 3, "invalid UTF-8 at byte 17"));
    CHECK(doc.count == 2 && doc.warnings == 1);
    CHECK(find_q(&doc, "caf\xc3\xa9 closed"));
    import_doc_free(&doc);
}

/* A fuzz finding: an answer line indented with a tab was cut at its column count (a tab is 4
 * columns but 1 byte), which started the stored answer inside a character (invalid UTF-8) or
 * read past the end of the line. Every string of every question is valid UTF-8, and the
 * answer is the line's text. */
static void test_tab_indented_answer(void)
{
    import_doc doc;
    diags d;
    static const char t[] = "## Go\n\n- What is a goroutine?\n\n\t\xc3\xa9t\xc3\xa9: a cheap "
                            "thread.\n\t\t\xc3\xa9\n- Why?\n\n\tx\n";
    CHECK(parse_text(t, sizeof t - 1, &doc, &d) == VIVA_OK);
    const import_question *q = find_q(&doc, "goroutine");
    CHECK(q && q->answer && !strcmp(q->answer, "\xc3\xa9t\xc3\xa9: a cheap thread.\n\t\t\xc3\xa9"));
    for (size_t i = 0; i < doc.count; i++) {
        const import_question *x = &doc.q[i];
        CHECK(utf8_check(x->question, strlen(x->question), NULL));
        CHECK(!x->answer || utf8_check(x->answer, strlen(x->answer), NULL));
        for (int k = 0; k < x->nkeys; k++)
            CHECK(utf8_check(x->keys[k], strlen(x->keys[k]), NULL));
    }
    import_doc_free(&doc);
}

/* An imported answer is tidied into one the bank format holds exactly: no trailing white
 * space, no line of just "." (it becomes an empty line). */
static void test_answer_tidied(void)
{
    import_doc doc;
    diags d;
    static const char t[] = "1. What is a goroutine?\n\tA cheap thread. \n\t.\n\tSecond part.\n"
                            "2. What is a channel?\nA pipe between goroutines.\n";
    CHECK(parse_text(t, sizeof t - 1, &doc, &d) == VIVA_OK);
    const import_question *q = find_q(&doc, "goroutine");
    CHECK(q && q->answer && !strstr(q->answer, " \n") && !strstr(q->answer, "\n.\n"));
    import_doc_free(&doc);
    /* A fuzz finding: DEL (0x7f) was kept, and bank_add refuses a control character. */
    static const char del[] = "## Go\n- Ho\x7fw does a map grow?\n- What is a slice?\n";
    CHECK(parse_text(del, sizeof del - 1, &doc, &d) == VIVA_OK);
    CHECK(find_q(&doc, "Ho w does a map grow?"));
    for (size_t i = 0; i < doc.count; i++) {
        bank_item it;
        import_to_item(&doc.q[i], "x.y", "t.md:1", &it);
        bank *b = bank_new();
        CHECK(bank_add(b, &it, NULL, NULL) == 0);
        bank_free(b);
    }
    import_doc_free(&doc);
}

static void test_too_large(void)
{
    import_doc doc;
    diags d;
    size_t n = (size_t)IMPORT_FILE_MAX + 1;
    char *big = malloc(n);
    memset(big, 'a', n);
    CHECK(parse_text(big, n, &doc, &d) == VIVA_ELIMIT);
    CHECK(has_msg(&d, 0, "at most 16 MiB"));
    import_doc_free(&doc);
    free(big);
}

static void test_long_line(void)
{
    import_doc doc;
    diags d;
    size_t n = 1u << 20;
    strbuf sb = {0};
    sb_append(&sb, "## Go\n- What is a channel?\n- ");
    for (size_t i = 0; i < n; i++)
        sb_appendc(&sb, (char)('a' + i % 26));
    sb_append(&sb, "?\n- What is a mutex?\n");
    CHECK(parse_text(sb.s, sb.len, &doc, &d) == VIVA_OK);
    CHECK(has_msg(&d, 3, "lines over 16384 bytes are skipped"));
    CHECK(doc.count == 2);
    import_doc_free(&doc);
    /* A long but allowed question is cut to the bank's limit at a word boundary. */
    sb_clear(&sb);
    sb_append(&sb, "- Why");
    for (int i = 0; i < 400; i++)
        sb_append(&sb, " word");
    sb_append(&sb, "?\n- What is a map?\n");
    CHECK(parse_text(sb.s, sb.len, &doc, &d) == VIVA_OK);
    CHECK(doc.count == 2 && strlen(doc.q[0].question) <= BANK_QUESTION_MAX);
    CHECK(has_msg(&d, 1, "cut to the bank's limit"));
    import_doc_free(&doc);
    sb_free(&sb);
}

static void test_deep_nesting(void)
{
    import_doc doc;
    diags d;
    strbuf sb = {0};
    /* 3000 levels of nested bullets, then 20000 nested <details>, then 20000 '>' quotes: no
     * recursion anywhere, so this is only a matter of time and memory proportional to input. */
    sb_append(&sb, "## Deep\n- What is nesting?\n");
    for (int i = 0; i < 3000; i++) {
        for (int k = 0; k < i % 200; k++)
            sb_appendc(&sb, ' ');
        sb_append(&sb, "- How deep?\n");
    }
    sb_append(&sb, "\n- What is inside the details?\n");
    for (int i = 0; i < 20000; i++)
        sb_append(&sb, "    <details><summary>x</summary>\n");
    sb_append(&sb, "    text\n");
    for (int i = 0; i < 20000; i++)
        sb_append(&sb, "    </details>\n");
    sb_append(&sb, "\n");
    for (int i = 0; i < 20000; i++)
        sb_appendc(&sb, '>');
    sb_append(&sb, " What is quoted?\n- What comes after?\n");
    int rc = parse_text(sb.s, sb.len, &doc, &d);
    CHECK(rc == VIVA_OK);
    CHECK(find_q(&doc, "What is nesting"));
    CHECK(find_q(&doc, "What comes after"));
    const import_question *q = find_q(&doc, "inside the details");
    CHECK(q && q->answer && strstr(q->answer, "text"));
    check_invariants(&doc);
    import_doc_free(&doc);
    sb_free(&sb);
}

static void test_mojibake(void)
{
    /* "→" (E2 86 92) seen as Windows-1252 is "â†’"; Persian "ح" (D8 AD) lost its soft hyphen. */
    char a[] = "fast \xc3\xa2\xe2\x80\xa0\xe2\x80\x99 slow";
    size_t n = strlen(a);
    CHECK(import_repair_mojibake(a, &n) == 1);
    CHECK_STR(a, "fast \xe2\x86\x92 slow");
    CHECK(n == strlen(a));
    char b[] = "\xc3\x98\xc2\xa7\xc3\x98\xc3\x98\xc2\xa8"; /* "Ø§ØØ¨" */
    n = strlen(b);
    CHECK(import_repair_mojibake(b, &n) == 3);
    CHECK_STR(b, "\xd8\xa7\xd8\xad\xd8\xa8"); /* ا ح ب */
    /* Genuine Latin-1 words stay as they are. */
    char c[] = "na\xc3\xafve \xc3\x98re caf\xc3\xa9";
    n = strlen(c);
    CHECK(import_repair_mojibake(c, &n) == 0);
    CHECK_STR(c, "na\xc3\xafve \xc3\x98re caf\xc3\xa9");
    /* Emoji through the Turkish code page: "ğŸ“œ" is F0 9F 93 9C. */
    char e[] = "\xc4\x9f\xc5\xb8\xe2\x80\x9c\xc5\x93";
    n = strlen(e);
    CHECK(import_repair_mojibake(e, &n) == 1);
    CHECK_STR(e, "\xf0\x9f\x93\x9c");
}

static void test_topics_and_questions(void)
{
    CHECK_STR(import_topic_of("Databases (PostgreSQL & SQL)"), "postgres");
    CHECK_STR(import_topic_of("API Design (REST / gRPC / WebSocket)"), "rest");
    CHECK_STR(import_topic_of("Testing (TDD / BDD / DDD)"), "testing");
    CHECK_STR(import_topic_of("MariaDB"), "mysql");
    CHECK_STR(import_topic_of("Prometheus"), "observability");
    CHECK(import_topic_of("Interview Date") == NULL);
    CHECK(import_looks_like_bank("# c\n\nid: x\n", 10));
    CHECK(!import_looks_like_bank("## Go\n- id: x\n", 14));
}

/* ---- near-duplicates ------------------------------------------------------------------------- */

static void test_similar(void)
{
    CHECK_NEAR(similar_score("What is a goroutine?", "what is a GOROUTINE"), 1.0, 1e-12);
    CHECK(similar_score("How does Redis persistence work?", "Explain the Kafka consumer group") <
          0.1);
    /* A reworded question with the same content words is a near-duplicate ... */
    double s = similar_score("Explain the difference between buffered and unbuffered channels.",
                             "What is the difference between buffered and unbuffered channels?");
    CHECK(s >= SIMILAR_DEFAULT);
    /* ... a question on a neighbouring subject is not. */
    s = similar_score("What is the difference between buffered and unbuffered channels?",
                      "What happens when you send on a closed channel?");
    CHECK(s < SIMILAR_DEFAULT);
    similar_index *ix = similar_new();
    CHECK(similar_add(ix, "How does garbage collection work in Go?") == 0);
    CHECK(similar_add(ix, "What are the differences between sync.Mutex and sync.RWMutex?") == 1);
    CHECK(similar_add(ix, "Explain the CAP theorem.") == 2);
    double score;
    CHECK(similar_best(ix, "Explain how garbage collection works in Go.", SIMILAR_DEFAULT,
                       &score) == 0);
    CHECK(score >= SIMILAR_DEFAULT);
    CHECK(similar_best(ix, "Differences between sync.Mutex and sync.RWMutex", SIMILAR_DEFAULT,
                       NULL) == 1);
    CHECK(similar_best(ix, "How do you design a URL shortener?", SIMILAR_DEFAULT, &score) == -1);
    CHECK(score < SIMILAR_DEFAULT);
    CHECK(similar_count(ix) == 3);
    similar_free(ix);
}

int main(void)
{
    RUN(test_bullets);
    RUN(test_terms);
    RUN(test_numbered);
    RUN(test_outline);
    RUN(test_report);
    RUN(test_plain);
    RUN(test_seeds);
    RUN(test_headings_and_tables);
    RUN(test_no_placeholder_keys);
    RUN(test_empty_and_binary);
    RUN(test_invalid_utf8);
    RUN(test_tab_indented_answer);
    RUN(test_answer_tidied);
    RUN(test_too_large);
    RUN(test_long_line);
    RUN(test_deep_nesting);
    RUN(test_mojibake);
    RUN(test_topics_and_questions);
    RUN(test_similar);
    return check_summary("import");
}
