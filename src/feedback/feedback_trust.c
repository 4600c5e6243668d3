/* feedback_trust.c: whether a suggested grade is preselected (feedback.h, "trust").
 *
 * The rule: preselect (and say) the suggestion only when the analysis is sure (its confidence
 * reached FEEDBACK_SURE_CONFIDENCE) and the profile has not kept disagreeing: of its last ten
 * graded answers with a sure suggestion, at least four counted and fewer than half equal to
 * the suggestion stops preselection. Sure suggestions keep being counted while nothing is
 * preselected, against grades the candidate then gave unprompted, so a profile whose grades
 * agree again (a better microphone, an adaptation to the voice) gets its preselection back. */
#include "feedback.h"

void feedback_record_add(feedback_record *rec, int suggested, int sure, int grade)
{
    if (!sure || suggested < 0 || suggested > 3 || grade < 0 || grade > 3)
        return;
    int same = suggested == grade;
    rec->agreed[rec->next] = (unsigned char)same;
    rec->next = (rec->next + 1) % FEEDBACK_AGREE_WINDOW;
    if (rec->n < FEEDBACK_AGREE_WINDOW)
        rec->n++;
    rec->total++;
    rec->total_agreed += same;
}

int feedback_record_disagrees(const feedback_record *rec)
{
    if (!rec || rec->n < FEEDBACK_AGREE_MIN)
        return 0;
    int agreed = 0;
    for (int i = 0; i < rec->n; i++)
        agreed += rec->agreed[i];
    return 2 * agreed < rec->n;
}

int feedback_preselect(const feedback_result *r, const feedback_record *rec)
{
    if (!r || !r->speech || !r->sure || r->suggested_grade < 0 || r->suggested_grade > 3)
        return -1;
    return feedback_record_disagrees(rec) ? -1 : r->suggested_grade;
}
