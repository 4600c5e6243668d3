/* test_catr.c: the engine reproduces catR's values: EAP (theta and SE), MAP, ML and WLE for
 * GRM, GPCM and 2PL response patterns, and item information on a theta grid.
 * The values come from tests/engine/fixtures/catr_sample.json (a copy of the project's shared
 * catR sample) and, when VIVA_SHARED_DIR is set and present, from the shared file itself. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "estimate.h"
#include "irt.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = 0;
    fclose(f);
    return s;
}

static int read_items(const cJSON *arr, irt_model m, irt_item *out)
{
    int n = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, arr)
    {
        irt_item *it = &out[n++];
        int np = cJSON_GetArraySize(row);
        it->model = m;
        it->ncat = np;
        it->a = cJSON_GetArrayItem(row, 0)->valuedouble;
        for (int k = 1; k < np; k++)
            it->b[k - 1] = cJSON_GetArrayItem(row, k)->valuedouble;
    }
    return n;
}

static double num(const cJSON *o, const char *a, const char *b)
{
    return cJSON_GetObjectItem(cJSON_GetObjectItem(o, a), b)->valuedouble;
}

/* Checks every case and info table of one catR sample file; returns the number of values
 * compared. */
static int check_file(const char *path)
{
    char *text = slurp(path);
    CHECK_MSG(text != NULL, "cannot read %s", path);
    if (!text)
        return 0;
    cJSON *root = cJSON_Parse(text);
    CHECK_MSG(root != NULL, "%s is not JSON", path);
    int compared = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases"))
    {
        irt_model m;
        CHECK(irt_model_parse(cJSON_GetObjectItem(c, "model")->valuestring, &m) == 0);
        irt_item items[16];
        int x[16];
        int n = read_items(cJSON_GetObjectItem(c, "items"), m, items);
        const cJSON *r;
        int i = 0;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(c, "responses"))
        {
            int idx = cJSON_GetArrayItem(r, 0)->valueint;
            irt_item tmp = items[idx];
            items[idx] = tmp;
            x[i++] = cJSON_GetArrayItem(r, 1)->valueint;
        }
        CHECK(i == n); /* the sample answers every item once, in order */
        est_opts o = est_defaults();
        est_result eap = est_eap(items, x, (size_t)n, &o);
        est_result map = est_map(items, x, (size_t)n, &o);
        est_result ml = est_ml(items, x, (size_t)n, &o);
        est_result wle = est_wle(items, x, (size_t)n, &o);
        CHECK_NEAR(eap.theta, num(c, "eap", "theta"), 1e-9);
        CHECK_NEAR(eap.se, num(c, "eap", "se"), 1e-9);
        CHECK_NEAR(map.theta, num(c, "map", "theta"), 1e-6);
        CHECK_NEAR(ml.theta, num(c, "ml", "theta"), 1e-6);
        CHECK_NEAR(wle.theta, num(c, "wle", "theta"), 1e-6);
        compared += 5;
    }
    const cJSON *tab;
    cJSON_ArrayForEach(tab, cJSON_GetObjectItem(root, "item_info"))
    {
        irt_model m;
        CHECK(irt_model_parse(tab->string, &m) == 0);
        irt_item items[16];
        int n = read_items(cJSON_GetObjectItem(tab, "items"), m, items);
        const cJSON *thetas = cJSON_GetObjectItem(tab, "thetas");
        const cJSON *info = cJSON_GetObjectItem(tab, "info_by_theta_then_item");
        for (int t = 0; t < cJSON_GetArraySize(thetas); t++) {
            double th = cJSON_GetArrayItem(thetas, t)->valuedouble;
            for (int j = 0; j < n; j++) {
                double want = cJSON_GetArrayItem(cJSON_GetArrayItem(info, t), j)->valuedouble;
                CHECK_NEAR(irt_info(&items[j], th), want, 1e-9);
                compared++;
            }
        }
    }
    cJSON_Delete(root);
    free(text);
    return compared;
}

static void test_fixture(void)
{
    const char *src = getenv("VIVA_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/engine/fixtures/catr_sample.json", src ? src : "..");
    int n = check_file(path);
    printf("fixture: %d values compared\n", n);
    CHECK(n >= 30 + 45);
}

static void test_shared(void)
{
    const char *dir = getenv("VIVA_SHARED_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/irt/catr-sample.json", dir ? dir : "");
    FILE *f = dir ? fopen(path, "rb") : NULL;
    if (!f)
        SKIP("no shared catR sample at %s (VIVA_SHARED_DIR=%s)", path, dir ? dir : "unset");
    fclose(f);
    int n = check_file(path);
    printf("shared: %d values compared\n", n);
    CHECK(n >= 30 + 45);
}

int main(void)
{
    RUN(test_fixture);
    RUN(test_shared);
    return check_summary("engine catr");
}
