/* feedback_score.c: delivery figures, key-point coverage and the suggested grade of one answer
 * (feedback.h), and the result as JSON.
 *
 * Term weights: weight(t) = ln(1 + N / (1 + df(t))) with N the number of key points in the
 * loaded banks and df(t) how many of them use the stem t, so "goroutine" weighs more than
 * "value". A stem the question itself or another key point of the same question uses weighs
 * half: it tells this key point apart less. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"

/* ---- the model: document frequency of stems over key points --------------------------------- */

typedef struct {
    char *stem;
    unsigned df;
} df_slot;

struct feedback_model {
    df_slot *slots;
    size_t nslots, used;
    unsigned nkeys;
    double share; /* FEEDBACK_COVER_SHARE unless a benchmark sets another */
};

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static df_slot *model_slot(const feedback_model *m, const char *stem)
{
    size_t mask = m->nslots - 1;
    for (size_t h = hash_str(stem) & mask;; h = (h + 1) & mask)
        if (!m->slots[h].stem || strcmp(m->slots[h].stem, stem) == 0)
            return &m->slots[h];
}

static void model_grow(feedback_model *m)
{
    if (m->nslots && (m->used + 1) * 2 <= m->nslots)
        return;
    df_slot *old = m->slots;
    size_t oldn = m->nslots;
    m->nslots = oldn ? oldn * 2 : 1024;
    m->slots = xcalloc(m->nslots, sizeof *m->slots);
    for (size_t i = 0; i < oldn; i++)
        if (old[i].stem)
            *model_slot(m, old[i].stem) = old[i];
    free(old);
}

/* A small set of distinct stems (the terms of one key point, or the question's). */
#define STEM_SET_MAX 64
typedef struct {
    char stem[STEM_SET_MAX][FEEDBACK_WORD_MAX];
    char word[STEM_SET_MAX][FEEDBACK_WORD_MAX]; /* first surface form */
    int n;
} stem_set;

static int set_find(const stem_set *s, const char *stem)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->stem[i], stem) == 0)
            return i;
    return -1;
}

static void add_content_word(void *ctx, const char *word)
{
    stem_set *s = ctx;
    char st[FEEDBACK_WORD_MAX];
    if (feedback_stopword(word) || strlen(word) < 2)
        return;
    feedback_stem(word, st);
    if (s->n < STEM_SET_MAX && set_find(s, st) < 0) {
        snprintf(s->stem[s->n], FEEDBACK_WORD_MAX, "%s", st);
        snprintf(s->word[s->n], FEEDBACK_WORD_MAX, "%s", word);
        s->n++;
    }
}

feedback_model *feedback_model_new(const bank *b)
{
    feedback_model *m = xcalloc(1, sizeof *m);
    model_grow(m);
    stem_set *terms = xmalloc(sizeof *terms);
    for (size_t i = 0; b && i < bank_count(b); i++) {
        const bank_item *it = bank_at(b, i);
        for (int k = 0; k < it->nkeys; k++) {
            terms->n = 0;
            feedback_words(it->keys[k], add_content_word, terms);
            m->nkeys++;
            for (int t = 0; t < terms->n; t++) {
                model_grow(m);
                df_slot *s = model_slot(m, terms->stem[t]);
                if (!s->stem) {
                    s->stem = xstrdup(terms->stem[t]);
                    m->used++;
                }
                s->df++;
            }
        }
    }
    free(terms);
    return m;
}

void feedback_model_free(feedback_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nslots; i++)
        free(m->slots[i].stem);
    free(m->slots);
    free(m);
}

static double term_weight(const feedback_model *m, const char *stem)
{
    unsigned df = 0;
    if (m) {
        const df_slot *s = model_slot(m, stem);
        df = s->stem ? s->df : 0;
    }
    double n = m && m->nkeys ? m->nkeys : 100;
    return log(1.0 + n / (1.0 + df));
}

/* ---- fillers and delivery ------------------------------------------------------------------ */

static int plain_filler(const char *w)
{
    static const char *const f[] = {"um", "uh", "er", "erm", "uhm", "ah", "hmm", "mm", "mhm"};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcmp(w, f[i]) == 0)
            return 1;
    return 0;
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return 1;
    return 0;
}

/* Marks fillers in is_filler[]; returns how many fillers (a "you know" counts once). A "like"
 * is a filler when it follows a pause (0.3 s), a filler or the start, and no word that takes
 * "like" as a verb or preposition ("would like", "looks like", "something like"). A "you
 * know" is one unless it asks or introduces a clause ("do you know", "you know that"). */
static int mark_fillers(const feedback_word *w, size_t n, char *is_filler)
{
    static const char *const like_verbs[] = {
        "would", "i'd", "you'd", "we'd", "they'd", "look", "looks", "looked", "looking",
        "feel", "feels", "felt", "seem", "seems", "sound", "sounds", "something", "anything",
        "nothing", "things", "much", "more", "not", "don't", "didn't", "doesn't", "i", "you",
        "we", "they", "just", "exactly", "also", "really", "is", "are", "be", "was", "were",
        NULL};
    static const char *const know_before[] = {"do", "did", "don't", "if", "to", "you'll",
                                              "would", "will", "should", "might", NULL};
    static const char *const know_after[] = {"that", "what", "how", "why", "whether", "if",
                                             "when", "where", "which", "who", "about", "the",
                                             NULL};
    int count = 0;
    memset(is_filler, 0, n);
    for (size_t i = 0; i < n; i++) {
        if (plain_filler(w[i].text)) {
            is_filler[i] = 1;
            count++;
        } else if (strcmp(w[i].text, "like") == 0) {
            int after_gap = i == 0 || w[i].start - w[i - 1].end >= 0.3 || is_filler[i - 1];
            int verb = i > 0 && in_list(w[i - 1].text, like_verbs);
            if (after_gap && !(verb && !is_filler[i - 1] && w[i].start - w[i - 1].end < 0.3)) {
                is_filler[i] = 1;
                count++;
            }
        } else if (strcmp(w[i].text, "you") == 0 && i + 1 < n &&
                   strcmp(w[i + 1].text, "know") == 0) {
            int asks = i > 0 && in_list(w[i - 1].text, know_before);
            int clause = i + 2 < n && in_list(w[i + 2].text, know_after);
            if (!asks && !clause) {
                is_filler[i] = is_filler[i + 1] = 1;
                count++;
                i++;
            }
        }
    }
    return count;
}

/* ---- coverage ------------------------------------------------------------------------------ */

/* Is every content stem of `phrase` heard? Writes the surface words heard into `said`. */
static int phrase_heard(const stem_set *heard, const char *phrase, char *said, size_t len)
{
    stem_set *p = xmalloc(sizeof *p);
    p->n = 0;
    feedback_words(phrase, add_content_word, p);
    int ok = p->n > 0;
    said[0] = '\0';
    for (int i = 0; ok && i < p->n; i++) {
        int h = set_find(heard, p->stem[i]);
        if (h < 0) {
            ok = 0;
        } else {
            size_t used = strlen(said);
            snprintf(said + used, len - used, "%s%s", used ? " " : "", heard->word[h]);
        }
    }
    free(p);
    return ok;
}

static void add_heard(feedback_key *k, const char *word)
{
    for (int i = 0; i < k->nheard; i++)
        if (strcmp(k->heard[i], word) == 0)
            return;
    if (k->nheard < FEEDBACK_MAX_HEARD)
        snprintf(k->heard[k->nheard++], FEEDBACK_WORD_MAX, "%s", word);
}

/* Key point with a `terms` line: groups separated by ',', alternatives by '|'. */
static void cover_terms(const stem_set *heard, const char *terms, feedback_key *k)
{
    int groups = 0, got = 0;
    const char *p = terms;
    while (*p) {
        size_t glen = strcspn(p, ",");
        char group[BANK_TERMS_MAX + 1];
        snprintf(group, sizeof group, "%.*s", (int)glen, p);
        groups++;
        int hit = 0;
        for (char *alt = group; alt && !hit;) {
            char *bar = strchr(alt, '|');
            if (bar)
                *bar = '\0';
            char said[FEEDBACK_WORD_MAX];
            if (phrase_heard(heard, alt, said, sizeof said)) {
                hit = 1;
                add_heard(k, said);
            }
            alt = bar ? bar + 1 : NULL;
        }
        got += hit;
        p += glen;
        if (*p == ',')
            p++;
    }
    k->covered = groups > 0 && 2 * got >= groups;
}

/* Is `stem` a term of another key point of the item than `self`? */
static int shared_term(const bank_item *it, int self, const char *stem)
{
    int found = 0;
    stem_set *s = xmalloc(sizeof *s);
    for (int k = 0; k < it->nkeys && !found; k++) {
        if (k == self)
            continue;
        s->n = 0;
        feedback_words(it->keys[k], add_content_word, s);
        found = set_find(s, stem) >= 0;
    }
    free(s);
    return found;
}

static void cover_auto(const feedback_model *m, const stem_set *heard, const stem_set *question,
                       const bank_item *it, int self, feedback_key *k)
{
    stem_set *t = xmalloc(sizeof *t);
    t->n = 0;
    feedback_words(it->keys[self], add_content_word, t);
    double total = 0, got = 0;
    int nheard = 0;
    for (int i = 0; i < t->n; i++) {
        double w = term_weight(m, t->stem[i]);
        /* what the question or a sibling key point also says tells this point apart less */
        if (set_find(question, t->stem[i]) >= 0 || shared_term(it, self, t->stem[i]))
            w *= 0.5;
        total += w;
        int h = set_find(heard, t->stem[i]);
        if (h >= 0) {
            got += w;
            nheard++;
            add_heard(k, heard->word[h]);
        }
    }
    double share = m && m->share > 0 ? m->share : FEEDBACK_COVER_SHARE;
    k->covered = total > 0 && got >= share * total && (t->n < 3 || nheard >= 2);
    free(t);
}

void feedback_model_set_cover_share(feedback_model *m, double share)
{
    m->share = share > 0 && share <= 1 ? share : FEEDBACK_COVER_SHARE;
}

int feedback_grade(int covered, int nkeys)
{
    if (nkeys <= 0)
        return -1;
    if (covered >= nkeys)
        return 3;
    if (2 * covered >= nkeys)
        return 2;
    return covered > 0 ? 1 : 0;
}

/* Recognisers mark noise and silence as "<sil>", "[NOISE]", "++UM++"; alternatives "word(2)". */
static int is_marker(const char *w)
{
    return !*w || *w == '<' || *w == '[' || *w == '+';
}

double feedback_confidence(const feedback_word *words, size_t n)
{
    double sum = 0;
    size_t counted = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_marker(words[i].text) || plain_filler(words[i].text))
            continue;
        if (!(words[i].conf >= 0)) /* negative, or not a number */
            return -1;
        sum += words[i].conf > 1 ? 1 : words[i].conf;
        counted++;
    }
    return counted ? sum / (double)counted : -1;
}

void feedback_score(const feedback_model *m, const bank_item *it, const feedback_word *words,
                    size_t n, feedback_result *out)
{
    memset(out, 0, sizeof *out);
    out->suggested_grade = -1;
    out->confidence = -1;
    feedback_word *w = xcalloc(n ? n : 1, sizeof *w);
    size_t nw = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_marker(words[i].text))
            continue;
        w[nw] = words[i];
        w[nw].text[FEEDBACK_WORD_MAX - 1] = '\0';
        char *paren = strchr(w[nw].text, '(');
        if (paren)
            *paren = '\0';
        nw++;
    }
    char *is_filler = xcalloc(nw ? nw : 1, 1);
    out->fillers = mark_fillers(w, nw, is_filler);

    strbuf tr = {0};
    for (size_t i = 0; i < nw; i++) {
        sb_append(&tr, i ? " " : "");
        sb_append(&tr, w[i].text);
        out->words += !is_filler[i];
    }
    out->transcript = sb_take(&tr);
    out->speech = nw > 0;
    if (out->speech) {
        out->confidence = feedback_confidence(words, n);
        out->sure = out->confidence >= FEEDBACK_SURE_CONFIDENCE;
    }

    if (nw > 0) {
        double paused = 0;
        for (size_t i = 1; i < nw; i++) {
            double gap = w[i].start - w[i - 1].end;
            if (gap > out->longest_pause)
                out->longest_pause = gap;
            if (gap > FEEDBACK_PAUSE_SECONDS) {
                out->pauses = xrealloc(out->pauses, (size_t)(out->npauses + 1) *
                                                        sizeof *out->pauses);
                out->pauses[out->npauses].start = w[i - 1].end;
                out->pauses[out->npauses].seconds = gap;
                out->npauses++;
                paused += gap;
            }
        }
        out->talk_seconds = w[nw - 1].end - w[0].start - paused;
        if (out->talk_seconds > 0) {
            out->words_per_minute = out->words * 60.0 / out->talk_seconds;
            out->fillers_per_minute = out->fillers * 60.0 / out->talk_seconds;
        }
    }

    if (it) {
        stem_set *heard = xmalloc(sizeof *heard), *question = xmalloc(sizeof *question);
        heard->n = question->n = 0;
        for (size_t i = 0; i < nw; i++)
            if (!is_filler[i])
                feedback_words(w[i].text, add_content_word, heard);
        feedback_words(it->question ? it->question : "", add_content_word, question);
        out->nkeys = it->nkeys;
        for (int k = 0; k < it->nkeys; k++) {
            feedback_key *fk = &out->keys[k];
            fk->text = it->keys[k];
            if (!out->speech)
                continue;
            if (it->terms[k])
                cover_terms(heard, it->terms[k], fk);
            else
                cover_auto(m, heard, question, it, k, fk);
            out->ncovered += fk->covered;
        }
        if (out->speech)
            out->suggested_grade = feedback_grade(out->ncovered, out->nkeys);
        free(heard);
        free(question);
    }
    free(is_filler);
    free(w);
}

void feedback_result_free(feedback_result *r)
{
    if (!r)
        return;
    free(r->transcript);
    free(r->pauses);
    memset(r, 0, sizeof *r);
    r->suggested_grade = -1;
    r->confidence = -1;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static void json_str(strbuf *out, const char *s)
{
    sb_appendc(out, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            sb_appendc(out, '\\');
            sb_appendc(out, (char)c);
        } else if (c == '\n') {
            sb_append(out, "\\n");
        } else if (c < 0x20) {
            sb_appendf(out, "\\u%04x", c);
        } else {
            sb_appendc(out, (char)c);
        }
    }
    sb_appendc(out, '"');
}

void feedback_result_json(const feedback_result *r, strbuf *out)
{
    sb_append(out, "{\"transcript\":");
    json_str(out, r->transcript ? r->transcript : "");
    sb_appendf(out, ",\"words\":%d,\"talk_seconds\":%.2f,\"words_per_minute\":%.1f,\"pauses\":[",
               r->words, r->talk_seconds, r->words_per_minute);
    for (int i = 0; i < r->npauses; i++)
        sb_appendf(out, "%s{\"start\":%.2f,\"seconds\":%.2f}", i ? "," : "", r->pauses[i].start,
                   r->pauses[i].seconds);
    sb_appendf(out, "],\"longest_pause\":%.2f,\"fillers\":%d,\"key_points\":[", r->longest_pause,
               r->fillers);
    for (int k = 0; k < r->nkeys; k++) {
        const feedback_key *fk = &r->keys[k];
        sb_append(out, k ? ",{\"text\":" : "{\"text\":");
        json_str(out, fk->text);
        sb_appendf(out, ",\"covered\":%s,\"heard\":[", fk->covered ? "true" : "false");
        for (int h = 0; h < fk->nheard; h++) {
            sb_append(out, h ? "," : "");
            json_str(out, fk->heard[h]);
        }
        sb_append(out, "]}");
    }
    if (r->confidence >= 0 && r->confidence <= 1)
        sb_appendf(out, "],\"confidence\":%.3f", r->confidence);
    else
        sb_append(out, "],\"confidence\":null");
    sb_appendf(out, ",\"sure\":%s", r->sure ? "true" : "false");
    if (r->suggested_grade >= 0)
        sb_appendf(out, ",\"suggested_grade\":%d", r->suggested_grade);
    else
        sb_append(out, ",\"suggested_grade\":null");
    sb_append(out, ",\"microphone\":");
    if (feedback_level_text(r->level))
        json_str(out, feedback_level_text(r->level));
    else
        sb_append(out, "null");
    sb_appendc(out, '}');
}

const char *feedback_level_text(int level)
{
    return level == FEEDBACK_LEVEL_QUIET     ? "the microphone is very quiet"
           : level == FEEDBACK_LEVEL_CLIPPED ? "the microphone is too loud: the recording clips"
                                             : NULL;
}
