/* test_feedback_units.c: the pure feedback core (feedback.h) and the bank's `terms:` field:
 * tokeniser, stemmer, fillers and delivery from word times, coverage with automatic and
 * explicit terms, the grade rule, the JSON fields, and the bank language model's ARPA text
 * (counts match, every distribution sums to one). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "check.h"
#include "feedback.h"

/* ---- text ---------------------------------------------------------------------------------- */

static void join_word(void *ctx, const char *w)
{
    strbuf *sb = ctx;
    if (sb->len)
        sb_appendc(sb, ' ');
    sb_append(sb, w);
}

static void check_words(const char *text, const char *want)
{
    strbuf sb = {0};
    feedback_words(text, join_word, &sb);
    CHECK_STR(sb_str(&sb), want);
    sb_free(&sb);
}

static void test_tokeniser(void)
{
    check_words("sync.WaitGroup's Add, RWMutex and IDs", "sync wait group add rw mutex and ids");
    check_words("k8s on http2 with GOMAXPROCS=4; don't panic!", "kubernetes on http with "
                "gomaxprocs don't panic");
    check_words("Go 1.22 changed 'loop' variables", "go changed loop variables");
    check_words("", "");
    check_words("HTTPServer APIs", "http server apis");
}

static void stem_of(const char *w, char *out)
{
    feedback_stem(w, out);
}

static void check_same_stem(const char *a, const char *b)
{
    char sa[FEEDBACK_WORD_MAX], sb[FEEDBACK_WORD_MAX];
    stem_of(a, sa);
    stem_of(b, sb);
    CHECK_MSG(strcmp(sa, sb) == 0, "%s -> %s, %s -> %s", a, sa, b, sb);
}

static void test_stems(void)
{
    check_same_stem("receiver", "receives");
    check_same_stem("received", "receive");
    check_same_stem("buffered", "buffer");
    check_same_stem("synchronisation", "synchronize");
    check_same_stem("synchronise", "synchronizes");
    check_same_stem("behaviour", "behavior");
    check_same_stem("blocks", "blocking");
    check_same_stem("goroutines", "goroutine");
    check_same_stem("db", "database");
    check_same_stem("stopped", "stop");
    char s[FEEDBACK_WORD_MAX];
    stem_of("status", s);
    CHECK_STR(s, "status"); /* not a plural */
    stem_of("analysis", s);
    CHECK_STR(s, "analysis");
    char a[FEEDBACK_WORD_MAX], b[FEEDBACK_WORD_MAX];
    stem_of("mutex", a);
    stem_of("channel", b);
    CHECK(strcmp(a, b) != 0);
    CHECK(feedback_stopword("the"));
    CHECK(feedback_stopword("um"));
    CHECK(!feedback_stopword("goroutine"));
    CHECK(!feedback_stopword("deadlock"));
}

/* ---- delivery ------------------------------------------------------------------------------ */

/* Words of `text` spoken one per `step` seconds (0.3 s long); a "|N" token inserts N seconds. */
static size_t make_words(const char *text, double step, feedback_word *w, size_t max)
{
    size_t n = 0;
    double t = 1.0;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *tok = strtok(buf, " "); tok && n < max; tok = strtok(NULL, " ")) {
        if (tok[0] == '|') {
            t += atof(tok + 1);
            continue;
        }
        snprintf(w[n].text, sizeof w[n].text, "%s", tok);
        w[n].start = t;
        w[n].end = t + 0.3;
        w[n].conf = 0.9; /* a recogniser sure of every word */
        t += step;
        n++;
    }
    return n;
}

static void test_delivery(void)
{
    feedback_word w[64];
    feedback_result r;
    /* 10 words at 0.5 s each, a 3 s gap, 10 more: talk = 20 * 0.5 - 0.2 + 0.3 ... computed */
    size_t n = make_words("a b c d e f g h i j |3 k l m n o p q r s t", 0.5, w, 64);
    feedback_score(NULL, NULL, w, n, &r);
    CHECK(r.speech);
    CHECK(r.words == 20);
    CHECK(r.npauses == 1);
    /* word j ends at 1 + 9*0.5 + 0.3 = 5.8; k starts at 1 + 10*0.5 + 3 = 9.0 */
    CHECK_NEAR(r.pauses[0].start, 5.8, 1e-9);
    CHECK_NEAR(r.pauses[0].seconds, 3.2, 1e-9);
    CHECK_NEAR(r.longest_pause, 3.2, 1e-9);
    /* first start 1.0, last end 1 + 19*0.5 + 3 + 0.3 = 13.8; minus the pause: 9.6 s */
    CHECK_NEAR(r.talk_seconds, 9.6, 1e-9);
    CHECK_NEAR(r.words_per_minute, 20 * 60 / 9.6, 1e-9);
    CHECK(r.suggested_grade == -1); /* no question: delivery only */
    CHECK(r.nkeys == 0);
    feedback_result_free(&r);

    /* a pause of exactly 2 s or less is not one */
    n = make_words("a b |1.7 c", 0.5, w, 64);
    feedback_score(NULL, NULL, w, n, &r);
    CHECK(r.npauses == 0);
    CHECK_NEAR(r.longest_pause, 1.9, 1e-9);
    feedback_result_free(&r);
}

static void test_fillers(void)
{
    feedback_word w[64];
    feedback_result r;
    size_t n = make_words("um the channel uh blocks you know until a receiver is there", 0.5, w,
                          64);
    feedback_score(NULL, NULL, w, n, &r);
    CHECK(r.fillers == 3); /* um, uh, you know */
    CHECK(r.words == 8);
    CHECK_STR(r.transcript, "um the channel uh blocks you know until a receiver is there");
    feedback_result_free(&r);

    /* "like" after a pause is a filler; "looks like", "do you know", "you know that" are not */
    n = make_words("it looks like a queue |0.5 like the buffer do you know it you know that "
                   "well",
                   0.4, w, 64);
    feedback_score(NULL, NULL, w, n, &r);
    CHECK_MSG(r.fillers == 1, "fillers %d", r.fillers);
    feedback_result_free(&r);

    /* recogniser markers and alternative numbers are dropped */
    n = make_words("<s> goroutine(2) [NOISE] ++breath++ leaks </s>", 0.5, w, 64);
    feedback_score(NULL, NULL, w, n, &r);
    CHECK_STR(r.transcript, "goroutine leaks");
    CHECK(r.words == 2);
    feedback_result_free(&r);

    /* no words: no speech */
    feedback_score(NULL, NULL, NULL, 0, &r);
    CHECK(!r.speech);
    CHECK(r.words == 0);
    CHECK(r.suggested_grade == -1);
    feedback_result_free(&r);
}

/* ---- coverage ------------------------------------------------------------------------------ */

static const char *bank_text =
    "id: t.chan\n"
    "topic: concurrency\n"
    "level: 1\n"
    "question: What is the difference between a buffered and an unbuffered channel?\n"
    "key: an unbuffered send blocks until a receiver takes the value, so both sides "
    "synchronise\n"
    "key: a buffered send blocks only when the buffer is full\n"
    "key: the buffer decouples producer and consumer for short bursts\n"
    "key: a buffer does not fix a consumer that is permanently slower\n"
    "terms: slow consumer, delay|postpone, overflow\n"
    "\n"
    "id: t.other\n"
    "topic: go\n"
    "level: 1\n"
    "question: What does defer do?\n"
    "key: the call runs when the surrounding function returns\n"
    "key: deferred calls run in last-in first-out order\n";

static bank *test_bank(void)
{
    bank *b = bank_new();
    CHECK(bank_parse(b, "t.bank", bank_text, strlen(bank_text), NULL, NULL) == 0);
    return b;
}

static void score_text(const feedback_model *m, const bank_item *it, const char *text,
                       feedback_result *r)
{
    feedback_word w[256];
    size_t n = make_words(text, 0.4, w, 256);
    feedback_score(m, it, w, n, r);
}

static void test_coverage(void)
{
    bank *b = test_bank();
    feedback_model *m = feedback_model_new(b);
    const bank_item *it = bank_find(b, "t.chan");
    CHECK(it && it->terms[3] && !it->terms[0]);
    feedback_result r;

    score_text(m, it, "with an unbuffered channel the sender blocks until the receiver takes the "
               "value so they synchronise", &r);
    CHECK(r.nkeys == 4);
    CHECK(r.keys[0].covered);
    CHECK(!r.keys[1].covered);
    CHECK(!r.keys[2].covered);
    CHECK(!r.keys[3].covered);
    CHECK(r.ncovered == 1);
    CHECK(r.suggested_grade == 1);
    CHECK(r.keys[0].nheard >= 4);
    CHECK_STR(r.keys[0].heard[0], "unbuffered");
    CHECK(r.keys[0].text == it->keys[0]);
    feedback_result_free(&r);

    /* explicit terms: "slow consumer" (both words) and "delay": 2 of 3 groups */
    score_text(m, it, "the buffer decouples the producer and the consumer during short bursts "
               "but a slow consumer only gets delayed", &r);
    CHECK(r.keys[2].covered);
    CHECK(r.keys[3].covered);
    CHECK(r.keys[3].nheard == 2);
    CHECK_STR(r.keys[3].heard[0], "slow consumer");
    CHECK(r.suggested_grade == 2);
    feedback_result_free(&r);

    /* one word of a two-word alternative is not the alternative; one group of three is not
     * enough */
    score_text(m, it, "it is slow", &r);
    CHECK(!r.keys[3].covered && r.keys[3].nheard == 0);
    feedback_result_free(&r);
    score_text(m, it, "the consumer gets delayed", &r);
    CHECK(!r.keys[3].covered && r.keys[3].nheard == 1);
    feedback_result_free(&r);

    /* repeating the question covers nothing */
    score_text(m, it, "the difference between a buffered and an unbuffered channel", &r);
    CHECK(r.ncovered == 0);
    CHECK(r.suggested_grade == 0);
    feedback_result_free(&r);

    /* everything */
    score_text(m, it, "an unbuffered send blocks until a receiver takes the value so both sides "
               "synchronise a buffered send blocks only when the buffer is full the buffer "
               "decouples producer and consumer for short bursts and cannot fix a consumer that "
               "is permanently slower because a slow consumer only delays it", &r);
    CHECK(r.ncovered == 4);
    CHECK(r.suggested_grade == 3);
    feedback_result_free(&r);

    /* silence with a question: key points listed, none covered, no grade */
    feedback_score(m, it, NULL, 0, &r);
    CHECK(r.nkeys == 4 && r.ncovered == 0 && r.suggested_grade == -1);
    feedback_result_free(&r);

    feedback_model_free(m);
    bank_free(b);
}

static void test_grade(void)
{
    CHECK(feedback_grade(0, 4) == 0);
    CHECK(feedback_grade(1, 4) == 1);
    CHECK(feedback_grade(2, 4) == 2);
    CHECK(feedback_grade(3, 4) == 2);
    CHECK(feedback_grade(4, 4) == 3);
    CHECK(feedback_grade(2, 5) == 1);
    CHECK(feedback_grade(3, 5) == 2);
    CHECK(feedback_grade(5, 5) == 3);
    CHECK(feedback_grade(0, 0) == -1);
}

/* ---- trust: the confidence and the preselection rule ---------------------------------------- */

static void test_confidence(void)
{
    feedback_word w[16];
    size_t n = make_words("um so the channel blocks uh", 0.4, w, 16);
    /* the words' mean, fillers and markers aside: (0.2 + 0.6 + 1.0 + 0.6) / 4 */
    w[1].conf = 0.2, w[2].conf = 0.6, w[3].conf = 1.0, w[4].conf = 0.6;
    w[0].conf = w[5].conf = 0.0; /* "um", "uh": not what the grade rests on */
    CHECK_NEAR(feedback_confidence(w, n), 0.6, 1e-9);
    snprintf(w[5].text, sizeof w[5].text, "[NOISE]");
    CHECK_NEAR(feedback_confidence(w, n), 0.6, 1e-9);
    /* above 1 counts as 1; one word the engine cannot judge makes the whole unknown */
    w[3].conf = 1.7;
    CHECK_NEAR(feedback_confidence(w, n), 0.6, 1e-9);
    w[2].conf = NAN; /* not a number: unknown, never sure */
    CHECK(feedback_confidence(w, n) < 0);
    w[2].conf = -1;
    CHECK(feedback_confidence(w, n) < 0);
    CHECK(feedback_confidence(w, 1) < 0); /* only a filler */
    CHECK(feedback_confidence(NULL, 0) < 0);

    /* sure at the threshold and above, not below; unknown is never sure */
    bank *b = test_bank();
    const bank_item *it = bank_find(b, "t.other");
    feedback_result r;
    n = make_words("when the function returns the deferred call runs", 0.4, w, 16);
    for (size_t i = 0; i < n; i++)
        w[i].conf = FEEDBACK_SURE_CONFIDENCE;
    feedback_score(NULL, it, w, n, &r);
    CHECK(r.speech && r.sure && r.suggested_grade >= 0);
    CHECK_NEAR(r.confidence, FEEDBACK_SURE_CONFIDENCE, 1e-9);
    feedback_result_free(&r);
    w[0].conf = FEEDBACK_SURE_CONFIDENCE - 0.1;
    feedback_score(NULL, it, w, n, &r);
    CHECK(r.speech && !r.sure && r.confidence < FEEDBACK_SURE_CONFIDENCE);
    feedback_result_free(&r);
    w[0].conf = -1;
    feedback_score(NULL, it, w, n, &r);
    CHECK(r.speech && !r.sure && r.confidence < 0);
    feedback_result_free(&r);
    feedback_score(NULL, it, NULL, 0, &r); /* no speech: unknown, not sure */
    CHECK(!r.speech && !r.sure && r.confidence < 0);
    feedback_result_free(&r);
    bank_free(b);
}

static void test_preselect(void)
{
    feedback_result r;
    memset(&r, 0, sizeof r);
    r.speech = 1, r.sure = 1, r.suggested_grade = 2, r.confidence = 0.8;
    feedback_record rec;
    memset(&rec, 0, sizeof rec);
    CHECK(feedback_preselect(&r, NULL) == 2); /* no history: a sure suggestion is preselected */
    CHECK(feedback_preselect(&r, &rec) == 2);
    r.sure = 0;
    CHECK(feedback_preselect(&r, &rec) == -1); /* not sure: asked without a verdict */
    r.sure = 1, r.suggested_grade = -1;
    CHECK(feedback_preselect(&r, &rec) == -1);
    r.suggested_grade = 2, r.speech = 0;
    CHECK(feedback_preselect(&r, &rec) == -1);
    r.speech = 1;
    CHECK(feedback_preselect(NULL, &rec) == -1);

    /* unsure suggestions and ungraded answers are not counted */
    for (int i = 0; i < 20; i++) {
        feedback_record_add(&rec, 3, 0, 0);
        feedback_record_add(&rec, 3, 1, -1);
        feedback_record_add(&rec, -1, 1, 2);
    }
    CHECK(rec.n == 0 && rec.total == 0 && feedback_preselect(&r, &rec) == 2);
    /* three disagreements are not yet a record; the fourth is */
    for (int i = 0; i < FEEDBACK_AGREE_MIN - 1; i++)
        feedback_record_add(&rec, 1, 1, 3);
    CHECK(!feedback_record_disagrees(&rec) && feedback_preselect(&r, &rec) == 2);
    feedback_record_add(&rec, 1, 1, 3);
    CHECK(feedback_record_disagrees(&rec) && feedback_preselect(&r, &rec) == -1);
    /* half agreeing is not "keeps disagreeing": 4 of 8 */
    for (int i = 0; i < 4; i++)
        feedback_record_add(&rec, 2, 1, 2);
    CHECK(rec.n == 8 && !feedback_record_disagrees(&rec));
    /* only the last ten count: after ten agreements the old disagreements are gone... */
    for (int i = 0; i < FEEDBACK_AGREE_WINDOW; i++)
        feedback_record_add(&rec, 0, 1, 0);
    CHECK(rec.n == FEEDBACK_AGREE_WINDOW && !feedback_record_disagrees(&rec));
    CHECK(rec.total == 18 && rec.total_agreed == 14);
    /* ...and six new disagreements of ten stop it again */
    for (int i = 0; i < 6; i++)
        feedback_record_add(&rec, 3, 1, 1);
    CHECK(feedback_record_disagrees(&rec) && feedback_preselect(&r, &rec) == -1);
    /* agreeing again (grades given unprompted) brings it back: 4 of 10 not yet, 5 of 10 yes */
    for (int i = 0; i < 4; i++)
        feedback_record_add(&rec, 2, 1, 2);
    CHECK(feedback_record_disagrees(&rec));
    feedback_record_add(&rec, 2, 1, 2);
    CHECK(!feedback_record_disagrees(&rec) && feedback_preselect(&r, &rec) == 2);
}

static void test_json(void)
{
    bank *b = test_bank();
    const bank_item *it = bank_find(b, "t.other");
    feedback_result r;
    feedback_word w[8];
    size_t n = make_words("the \"call\" runs |2.5 when the function returns", 0.4, w, 8);
    feedback_score(NULL, it, w, n, &r);
    strbuf sb = {0};
    feedback_result_json(&r, &sb);
    const char *j = sb_str(&sb);
    static const char *const fields[] = {"{\"transcript\":", ",\"words\":", ",\"talk_seconds\":",
                                         ",\"words_per_minute\":", ",\"pauses\":[{\"start\":",
                                         ",\"seconds\":", ",\"longest_pause\":", ",\"fillers\":",
                                         ",\"key_points\":[{\"text\":", ",\"covered\":true",
                                         ",\"heard\":[", "],\"confidence\":0.900",
                                         ",\"sure\":true", ",\"suggested_grade\":2",
                                         ",\"microphone\":null}"};
    const char *at = j;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = strstr(at, fields[i]);
        CHECK_MSG(f != NULL, "field %s missing or out of order in %s", fields[i], j);
        if (f)
            at = f;
    }
    CHECK(strstr(j, "the \\\"call\\\" runs") != NULL);
    sb_free(&sb);
    feedback_result_free(&r);

    feedback_score(NULL, it, NULL, 0, &r);
    sb_clear(&sb);
    feedback_result_json(&r, &sb);
    CHECK(strstr(sb_str(&sb), "\"suggested_grade\":null,\"microphone\":null}") != NULL);
    CHECK(strstr(sb_str(&sb), "\"confidence\":null,\"sure\":false,") != NULL);
    CHECK(strstr(sb_str(&sb), "\"transcript\":\"\"") != NULL);
    CHECK(strstr(sb_str(&sb), "\"covered\":false,\"heard\":[]") != NULL);
    sb_free(&sb);
    feedback_result_free(&r);
    bank_free(b);
}

/* ---- the language model's ARPA text --------------------------------------------------------- */

typedef struct {
    char words[3][FEEDBACK_WORD_MAX];
    double lp, bo;
    int order;
} arpa_line;

static void test_lm(void)
{
    bank *b = test_bank();
    strbuf sb = {0};
    size_t v = feedback_lm_arpa(b, &sb);
    CHECK(v > 20);
    char *text = sb_take(&sb);
    long declared[4] = {0}, seen[4] = {0};
    arpa_line *lines = xcalloc(4096, sizeof *lines);
    int nl = 0, order = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        int o;
        long c;
        if (sscanf(line, "ngram %d=%ld", &o, &c) == 2 && o >= 1 && o <= 3) {
            declared[o] = c;
        } else if (sscanf(line, "\\%d-grams:", &o) == 1) {
            order = o;
        } else if (order && line[0] != '\\' && nl < 4096) {
            arpa_line *a = &lines[nl];
            a->order = order;
            a->bo = 0;
            char *p = line, *end;
            a->lp = strtod(p, &end);
            p = end;
            for (int k = 0; k < order; k++) {
                int used = 0;
                sscanf(p, " %47s%n", a->words[k], &used);
                p += used;
            }
            a->bo = strtod(p, &end);
            seen[order]++;
            nl++;
        }
    }
    for (int o = 1; o <= 3; o++)
        CHECK_MSG(declared[o] == seen[o] && seen[o] > 0, "order %d: %ld declared, %ld seen", o,
                  declared[o], seen[o]);
    /* unigrams sum to one */
    double sum = 0;
    for (int i = 0; i < nl; i++)
        if (lines[i].order == 1)
            sum += pow(10, lines[i].lp);
    CHECK_NEAR(sum, 1.0, 1e-3);
    /* every unigram history: seen bigrams + back-off * unseen unigrams = 1 */
    int checked = 0;
    for (int h = 0; h < nl; h++) {
        if (lines[h].order != 1 || lines[h].bo == 0)
            continue;
        double seen_p = 0, seen_uni = 0;
        for (int i = 0; i < nl; i++) {
            if (lines[i].order != 2 || strcmp(lines[i].words[0], lines[h].words[0]) != 0)
                continue;
            seen_p += pow(10, lines[i].lp);
            for (int u = 0; u < nl; u++)
                if (lines[u].order == 1 && strcmp(lines[u].words[0], lines[i].words[1]) == 0)
                    seen_uni += pow(10, lines[u].lp);
        }
        double total = seen_p + pow(10, lines[h].bo) * (1 - seen_uni);
        CHECK_MSG(fabs(total - 1) < 2e-3, "history %s sums to %f", lines[h].words[0], total);
        checked++;
    }
    CHECK(checked > 10);
    free(lines);
    free(text);
    bank_free(b);

    /* an empty bank gives nothing */
    bank *e = bank_new();
    strbuf s2 = {0};
    CHECK(feedback_lm_arpa(e, &s2) == 0);
    CHECK(s2.len == 0);
    bank_free(e);
}

/* ---- the bank's terms field ----------------------------------------------------------------- */

typedef struct {
    char msg[8][256];
    int line[8];
    int n;
} diags;

static void collect(void *ctx, const char *file, int line, const char *message)
{
    diags *d = ctx;
    (void)file;
    if (d->n < 8) {
        snprintf(d->msg[d->n], sizeof d->msg[0], "%s", message);
        d->line[d->n++] = line;
    }
}

static int parse_diag(const char *text, diags *d)
{
    bank *b = bank_new();
    memset(d, 0, sizeof *d);
    int n = bank_parse(b, "t.bank", text, strlen(text), collect, d);
    bank_free(b);
    return n;
}

static void test_bank_terms(void)
{
    diags d;
    const char *head = "id: t.x\ntopic: go\nlevel: 1\nquestion: q?\n";
    char text[1024];
    snprintf(text, sizeof text, "%sterms: early\nkey: a\nkey: b\n", head);
    CHECK(parse_diag(text, &d) == 1);
    CHECK(d.n == 1 && strstr(d.msg[0], "'terms' must follow the 'key'") && d.line[0] == 5);

    snprintf(text, sizeof text, "%skey: a\nterms: x\nterms: y\nkey: b\n", head);
    CHECK(parse_diag(text, &d) == 1);
    CHECK(d.n == 1 && strstr(d.msg[0], "at most once") && d.line[0] == 7);

    snprintf(text, sizeof text, "%skey: a\nterms: x,,y\nkey: b\n", head);
    CHECK(parse_diag(text, &d) == 1);
    CHECK(d.n == 1 && strstr(d.msg[0], "terms of key point 1: empty group"));

    snprintf(text, sizeof text, "%skey: a\nkey: b\nterms: x|\n", head);
    CHECK(parse_diag(text, &d) == 1);
    CHECK(d.n == 1 && strstr(d.msg[0], "terms of key point 2: empty alternative"));

    snprintf(text, sizeof text, "%skey: a\nterms: x; y\nkey: b\n", head);
    CHECK(parse_diag(text, &d) == 1);
    CHECK(d.n == 1 && strstr(d.msg[0], "character ';'"));

    /* a comment between key and terms is fine; continuation lines join */
    snprintf(text, sizeof text, "%skey: a\n# why\nterms: slow consumer,\n  delay|postpone\n"
             "key: b\n", head);
    bank *b = bank_new();
    CHECK(bank_parse(b, "t.bank", text, strlen(text), NULL, NULL) == 0);
    const bank_item *it = bank_find(b, "t.x");
    CHECK(it && it->terms[0] && !it->terms[1]);
    if (it && it->terms[0]) {
        CHECK_STR(it->terms[0], "slow consumer, delay|postpone");
        /* written back after its key; the copy parses to the same item */
        strbuf out = {0};
        bank_format_item(it, &out);
        CHECK(strstr(sb_str(&out), "key: a\nterms: slow consumer, delay|postpone\nkey: b\n"));
        bank *b2 = bank_new();
        CHECK(bank_parse(b2, "u.bank", out.s, out.len, NULL, NULL) == 0);
        const bank_item *it2 = bank_find(b2, "t.x");
        CHECK(it2 && it2->terms[0] && strcmp(it2->terms[0], it->terms[0]) == 0);
        bank_free(b2);
        sb_free(&out);
    }
    bank_free(b);
}

int main(void)
{
    RUN(test_tokeniser);
    RUN(test_stems);
    RUN(test_delivery);
    RUN(test_fillers);
    RUN(test_coverage);
    RUN(test_grade);
    RUN(test_json);
    RUN(test_confidence);
    RUN(test_preselect);
    RUN(test_lm);
    RUN(test_bank_terms);
    return check_summary("feedback units");
}
