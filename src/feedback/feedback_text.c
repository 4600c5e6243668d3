/* feedback_text.c: the tokeniser, stemmer and stop words shared by the bank language model, the
 * pronunciation dictionary and coverage scoring (feedback.h). The three must agree on what a
 * word is, or a term the model can hear would never match the key point it belongs to.
 *
 * The stemmer is a small suffix stripper, not Porter's: it only has to map the forms a speaker
 * uses for one idea ("receiver", "receives", "received") to one string, and it is applied the
 * same way to the bank and to the transcript, so over-stemming costs little. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static int is_alpha(char c)
{
    return is_upper(c) || is_lower(c);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Spoken forms of tokens that mix letters and digits (the digits are dropped otherwise). */
static const struct {
    const char *written, *spoken;
} mixed[] = {
    {"k8s", "kubernetes"}, {"i18n", "internationalisation"}, {"l10n", "localisation"},
    {"o11y", "observability"},
};

static void emit(feedback_word_fn fn, void *ctx, const char *s, size_t n, int *count)
{
    char w[FEEDBACK_WORD_MAX];
    if (n == 0)
        return;
    if (n >= sizeof w)
        n = sizeof w - 1;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)s[i]);
    w[n] = '\0';
    /* a final "'s" is dropped; other apostrophes stay inside ("don't") */
    if (n > 2 && w[n - 2] == '\'' && w[n - 1] == 's')
        w[n - 2] = '\0';
    fn(ctx, w);
    (*count)++;
}

/* Emits one run of letters and apostrophes, split at camel-case boundaries: "WaitGroup" ->
 * wait group, "RWMutex" -> rw mutex; "IDs" and "APIs" stay whole (a plural of capitals). */
static void emit_run(feedback_word_fn fn, void *ctx, const char *s, size_t n, int *count)
{
    size_t start = 0;
    for (size_t i = 1; i < n; i++) {
        int split = 0;
        if (is_upper(s[i]) && is_lower(s[i - 1]))
            split = 1;
        else if (is_upper(s[i]) && is_upper(s[i - 1]) && i + 1 < n && is_lower(s[i + 1]) &&
                 !(s[i + 1] == 's' && (i + 2 == n || !is_alpha(s[i + 2]))))
            split = 1;
        if (split) {
            emit(fn, ctx, s + start, i - start, count);
            start = i;
        }
    }
    emit(fn, ctx, s + start, n - start, count);
}

int feedback_words(const char *text, feedback_word_fn fn, void *ctx)
{
    int count = 0;
    const char *p = text;
    while (*p) {
        if (!is_alpha(*p) && !is_digit(*p)) {
            p++;
            continue;
        }
        /* a token: letters, digits and inner apostrophes */
        const char *q = p;
        int letters = 0, digits = 0;
        while (is_alpha(*q) || is_digit(*q) || (*q == '\'' && is_alpha(q[1]) && q > p)) {
            letters += is_alpha(*q);
            digits += is_digit(*q);
            q++;
        }
        size_t n = (size_t)(q - p);
        if (digits && letters) {
            int done = 0;
            for (size_t m = 0; m < sizeof mixed / sizeof mixed[0]; m++) {
                if (strlen(mixed[m].written) == n && strncasecmp(mixed[m].written, p, n) == 0) {
                    emit(fn, ctx, mixed[m].spoken, strlen(mixed[m].spoken), &count);
                    done = 1;
                }
            }
            /* otherwise the letter runs alone: "http2" -> http, "ipv6" -> ipv */
            for (const char *r = p; !done && r < q;) {
                const char *e = r;
                while (e < q && !is_digit(*e))
                    e++;
                emit_run(fn, ctx, r, (size_t)(e - r), &count);
                while (e < q && is_digit(*e))
                    e++;
                r = e;
            }
        } else if (letters) {
            emit_run(fn, ctx, p, n, &count);
        }
        p = q;
    }
    return count;
}

/* ---- stop words ---------------------------------------------------------------------------- */

static const char *const stopwords[] = {
    "a", "about", "above", "actually", "after", "again", "against", "ah", "all", "also",
    "although", "always", "am", "an", "and", "another", "any", "anything", "are", "around", "as",
    "at", "basically", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "can't", "cannot", "could", "did", "didn't", "do", "does", "doesn't",
    "doing", "don't", "done", "down", "during", "e", "each", "eg", "either", "else", "er", "erm",
    "etc", "even", "ever", "every", "few", "first", "for", "from", "further", "g", "get", "gets",
    "getting", "go's", "going", "got", "had", "has", "have", "having", "he", "her", "here",
    "hers", "him", "his", "hmm", "how", "however", "i", "i'm", "ie", "if", "in", "instead",
    "into", "is", "isn't", "it", "it'll", "its", "itself", "just", "kind", "know", "less",
    "let", "lets", "like", "lot", "lots", "made", "make", "makes", "many", "may", "me", "mean",
    "means", "might", "mm", "more", "most", "much", "must", "my", "need", "needs", "never", "no",
    "nor", "not", "now", "of", "off", "often", "oh", "ok", "okay", "on", "once", "one", "ones",
    "only", "onto", "or", "other", "others", "our", "out", "over", "own", "per", "quite",
    "rather", "really", "right", "said", "same", "say", "says", "second", "see", "she", "should",
    "since", "so", "some", "something", "sort", "still", "such", "than", "that", "that'll", "the",
    "their", "them", "themselves", "then", "there", "these", "they", "they're", "thing",
    "things", "this", "those", "though", "through", "thus", "to", "too", "two", "uh", "uhm",
    "um", "under", "until", "up", "upon", "us", "use", "used", "uses", "using", "usually",
    "very", "via", "want", "was", "way", "ways", "we", "well", "were", "what", "when", "where",
    "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within",
    "without", "won't", "would", "yeah", "yes", "yet", "you", "your", "yours",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int feedback_stopword(const char *word)
{
    const char *key = word;
    return bsearch(&key, stopwords, sizeof stopwords / sizeof stopwords[0], sizeof stopwords[0],
                   cmp_str) != NULL;
}

/* ---- stemming ------------------------------------------------------------------------------ */

/* Words that mean the same to a listener; the left one is replaced before stemming. */
static const struct {
    const char *from, *to;
} synonyms[] = {
    {"db", "database"},          {"dbs", "databases"},       {"postgresql", "postgres"},
    {"config", "configuration"}, {"configs", "configuration"}, {"repo", "repository"},
    {"repos", "repositories"},   {"app", "application"},     {"apps", "applications"},
    {"async", "asynchronous"},   {"k8s", "kubernetes"},      {"info", "information"},
    {"stats", "statistics"},     {"env", "environment"},     {"prod", "production"},
    {"args", "arguments"},       {"arg", "argument"},        {"msg", "message"},
    {"msgs", "messages"},        {"ttl", "expiry"},          {"timeout", "deadline"},
    {"timeouts", "deadlines"},   {"golang", "go"},
};

static int ends(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n > k && memcmp(w + n - k, suf, k) == 0;
}

static int vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Replaces the suffix `suf` of w (length *n) by `rep` if the stem keeps at least `min` bytes
 * and a vowel. Returns 1 when it did. */
static int swap(char *w, size_t *n, const char *suf, const char *rep, size_t min)
{
    size_t k = strlen(suf);
    if (!ends(w, *n, suf) || *n - k < min)
        return 0;
    int v = 0;
    for (size_t i = 0; i < *n - k; i++)
        v |= vowel(w[i]);
    if (!v)
        return 0;
    size_t r = strlen(rep);
    if (*n - k + r >= FEEDBACK_WORD_MAX)
        return 0;
    memcpy(w + *n - k, rep, r + 1);
    *n = *n - k + r;
    return 1;
}

/* "stopp" -> "stop", "runn" -> "run"; not "ll", "ss", "zz", "ff" (call, pass, buff). */
static void undouble(char *w, size_t *n)
{
    if (*n >= 4 && w[*n - 1] == w[*n - 2] && !vowel(w[*n - 1]) && w[*n - 1] != 'l' &&
        w[*n - 1] != 's' && w[*n - 1] != 'z' && w[*n - 1] != 'f') {
        w[--*n] = '\0';
    }
}

static int strip_once(char *w, size_t *n)
{
    static const struct {
        const char *suf, *rep;
        int undouble;
    } rules[] = {
        {"isations", "ise", 0}, {"isation", "ise", 0}, {"ations", "ate", 0}, {"ation", "ate", 0},
        {"ements", "", 0},      {"ement", "", 0},      {"ments", "", 0},     {"ment", "", 0},
        {"nesses", "", 0},      {"ness", "", 0},       {"ities", "", 0},     {"ity", "", 0},
        {"encies", "ent", 0},   {"ency", "ent", 0},    {"ancies", "ant", 0}, {"ancy", "ant", 0},
        {"ies", "y", 0},        {"ied", "y", 0},       {"sses", "ss", 0},    {"xes", "x", 0},
        {"ches", "ch", 0},      {"shes", "sh", 0},     {"ings", "", 1},      {"ing", "", 1},
        {"edly", "", 1},        {"ed", "", 1},         {"ly", "", 0},        {"ers", "", 1},
        {"er", "", 1},          {"ors", "", 0},        {"or", "", 0},        {"able", "", 0},
        {"ible", "", 0},        {"al", "", 0},         {"ous", "", 0},       {"ive", "", 0},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (swap(w, n, rules[i].suf, rules[i].rep, 3)) {
            if (rules[i].undouble)
                undouble(w, n);
            return 1;
        }
    }
    /* a plain plural: not "ss", "us", "is" (class, status, analysis) */
    if (*n > 3 && w[*n - 1] == 's' && w[*n - 2] != 's' && w[*n - 2] != 'u' && w[*n - 2] != 'i') {
        w[--*n] = '\0';
        return 1;
    }
    return 0;
}

void feedback_stem(const char *word, char *out)
{
    const char *src = word;
    for (size_t i = 0; i < sizeof synonyms / sizeof synonyms[0]; i++)
        if (strcmp(word, synonyms[i].from) == 0)
            src = synonyms[i].to;
    size_t n = strlen(src);
    if (n >= FEEDBACK_WORD_MAX)
        n = FEEDBACK_WORD_MAX - 1;
    memcpy(out, src, n);
    out[n] = '\0';
    /* spelling: -ize/-yze as -ise/-yse, -our as -or (behaviour, honour) */
    for (size_t i = 1; i + 1 < n; i++) {
        if (out[i] == 'z' && (out[i - 1] == 'i' || out[i - 1] == 'y') &&
            (out[i + 1] == 'e' || out[i + 1] == 'i' || out[i + 1] == 'a'))
            out[i] = 's';
    }
    if (n > 5 && ends(out, n, "our"))
        swap(out, &n, "our", "or", 3);
    /* strip up to three suffixes: "synchronisations" -> synchronise -> synchronis */
    for (int pass = 0; pass < 3; pass++) {
        if (n > 3 && out[n - 1] == 'e')
            out[--n] = '\0';
        if (!strip_once(out, &n))
            break;
    }
    if (n > 3 && out[n - 1] == 'e')
        out[--n] = '\0';
}
