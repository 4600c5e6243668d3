/* answer_fixture.h: the written answers (tests/feedback/answers, one .txt each) and their spoken
 * renderings (make_answers.sh), shared by the feedback tests and bench_feedback.
 *
 * An answer file starts with "question: ID", "covered: 1 3 ..." (the key points it is written
 * to cover, 1-based; empty for none) and "grade: G" (the grade that coverage deserves); the rest
 * is the text, where "[pause N]" stands for N seconds of silence. */
#ifndef VIVA_ANSWER_FIXTURE_H
#define VIVA_ANSWER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"

typedef struct {
    char name[128], voice[16], speed[16], wav[1024];
    char question[80];
    unsigned covered; /* bit k-1 for key point k */
    int grade;
    char *text;       /* without the header and the pause markers (malloc'd) */
    int nwords;       /* words of text (feedback_words) */
    double paused;    /* seconds of [pause N] */
} answer_fixture;

static void answer_count_word(void *ctx, const char *w)
{
    (void)w;
    (*(int *)ctx)++;
}

/* Reads answers/<name>.txt under `dir` into a (text malloc'd). Returns 0 or -1. */
static int answer_load(const char *dir, const char *name, answer_fixture *a)
{
    char path[1300], line[4096];
    snprintf(path, sizeof path, "%s/%s.txt", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    snprintf(a->name, sizeof a->name, "%s", name);
    a->covered = 0;
    a->grade = -1;
    a->paused = 0;
    a->question[0] = '\0';
    strbuf text = {0};
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "question:", 9) == 0) {
            sscanf(line + 9, " %79s", a->question);
        } else if (strncmp(line, "covered:", 8) == 0) {
            for (char *p = line + 8, *end; *p; p = end) {
                long k = strtol(p, &end, 10);
                if (end == p)
                    break;
                if (k >= 1 && k <= 16)
                    a->covered |= 1u << (k - 1);
            }
        } else if (strncmp(line, "grade:", 6) == 0) {
            a->grade = atoi(line + 6);
        } else {
            for (char *p = line; *p;) {
                char *m = strstr(p, "[pause ");
                if (!m) {
                    sb_append(&text, p);
                    break;
                }
                sb_appendn(&text, p, (size_t)(m - p));
                a->paused += atof(m + 7);
                p = strchr(m, ']');
                p = p ? p + 1 : m + strlen(m);
            }
        }
    }
    fclose(f);
    a->text = sb_take(&text);
    a->nwords = 0;
    feedback_words(a->text, answer_count_word, &a->nwords);
    return a->question[0] ? 0 : -1;
}

/* Runs make_answers.sh into `out` (extra: "" | "all" | answer names) and loads the manifest.
 * Returns the number of fixtures (*list malloc'd), or -1 (message printed) when the tools are
 * missing or speaking failed. */
static int answer_render(const char *src_dir, const char *out, const char *extra,
                         answer_fixture **list)
{
    char cmd[4096], path[1200];
    snprintf(cmd, sizeof cmd, "bash '%s/tests/feedback/make_answers.sh' '%s' %s", src_dir, out,
             extra);
    int rc = system(cmd);
    if (rc != 0) {
        fprintf(stderr, "answer fixtures: '%s' failed (%d)\n", cmd, rc);
        return -1;
    }
    snprintf(path, sizeof path, "%s/manifest.txt", out);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int n = 0, cap = 0;
    *list = NULL;
    char name[128], voice[16], speed[16], wav[1024], dir[1100];
    snprintf(dir, sizeof dir, "%s/tests/feedback/answers", src_dir);
    while (fscanf(f, "%127s %15s %15s %1023s", name, voice, speed, wav) == 4) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *list = xrealloc(*list, (size_t)cap * sizeof **list);
        }
        answer_fixture *a = &(*list)[n];
        memset(a, 0, sizeof *a);
        if (answer_load(dir, name, a) != 0) {
            fprintf(stderr, "answer fixtures: cannot read %s/%s.txt\n", dir, name);
            continue;
        }
        snprintf(a->voice, sizeof a->voice, "%s", voice);
        snprintf(a->speed, sizeof a->speed, "%s", speed);
        snprintf(a->wav, sizeof a->wav, "%s", wav);
        n++;
    }
    fclose(f);
    return n;
}

static void answer_free_list(answer_fixture *list, int n)
{
    for (int i = 0; i < n; i++)
        free(list[i].text);
    free(list);
}

#endif
