/* cmd_irt.c: `viva irt`: one IRT computation as a JSON request on stdin and a JSON reply on
 * stdout, for cross-checking the engine against catR and for scripts. Request and reply
 * formats are in the README ("Engine"); bad input exits with EXIT_USAGE and a message naming
 * the field and the problem. */
#include <cjson/cJSON.h>
#include <math.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "file.h"

enum { IRT_REQUEST_MAX = 64 << 20 }; /* a request larger than this is a mistake */
#include "cat.h"
#include "estimate.h"
#include "irt.h"
#include "strbuf.h"

#define MAX_ITEMS 100000

/* Parses "items" into an array; on error writes the message and returns NULL. */
static irt_item *parse_items(const cJSON *arr, irt_model m, int *count, char *err, size_t len)
{
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1) {
        snprintf(err, len, "items: expected a non-empty array of parameter rows");
        return NULL;
    }
    int n = cJSON_GetArraySize(arr);
    if (n > MAX_ITEMS) {
        snprintf(err, len, "items: %d items, at most %d", n, MAX_ITEMS);
        return NULL;
    }
    irt_item *items = xcalloc((size_t)n, sizeof *items);
    int i = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, arr)
    {
        double v[IRT_MAX_CAT + 1];
        int np = cJSON_IsArray(row) ? cJSON_GetArraySize(row) : -1, k = 0;
        const cJSON *x;
        if (np < 0) {
            snprintf(err, len, "items[%d]: expected an array of numbers", i);
            goto fail;
        }
        cJSON_ArrayForEach(x, row)
        {
            if (!cJSON_IsNumber(x)) {
                snprintf(err, len, "items[%d][%d]: expected a number", i, k);
                goto fail;
            }
            if (k < IRT_MAX_CAT + 1)
                v[k] = x->valuedouble;
            k++;
        }
        char msg[200];
        if (irt_item_from_row(m, v, np > IRT_MAX_CAT + 1 ? IRT_MAX_CAT + 1 : np, &items[i], msg,
                              sizeof msg) != 0) {
            snprintf(err, len, "items[%d]: %s", i, msg);
            goto fail;
        }
        i++;
    }
    *count = n;
    return items;
fail:
    free(items);
    return NULL;
}

static cJSON *est_json(est_result r, int with_finite)
{
    cJSON *o = cJSON_CreateObject();
    /* cJSON prints NaN and infinities as null. */
    cJSON_AddNumberToObject(o, "theta", r.theta);
    cJSON_AddNumberToObject(o, "se", r.se);
    if (with_finite)
        cJSON_AddBoolToObject(o, "finite", r.finite);
    return o;
}

static int fail_usage(const char *msg)
{
    fprintf(stderr, "viva irt: %s\n", msg);
    return EXIT_USAGE;
}

int cmd_irt(viva_app *app, int argc, char **argv)
{
    if (argc > 1) {
        FILE *out = strcmp(argv[1], "--help") && strcmp(argv[1], "-h") ? stderr : stdout;
        fprintf(out, "usage: viva irt < request.json\n"
                     "Reads one JSON request (model, items, responses, optional prior and thetas)\n"
                     "and prints EAP, MAP, ML and WLE estimates, the next item and, with thetas,\n"
                     "probabilities and information. See the README, section \"Engine\".\n");
        return out == stdout ? EXIT_OK : EXIT_USAGE;
    }
    int rc = EXIT_USAGE, nitems = 0;
    char err[300] = "";
    irt_item *items = NULL, *answered = NULL;
    int *x = NULL;
    unsigned char *asked = NULL;
    char *text = NULL;
    size_t tlen;
    int rerr = file_read_stream(stdin, IRT_REQUEST_MAX, &text, &tlen);
    if (rerr) {
        fprintf(stderr, "viva irt: standard input: %s\n",
                rerr == EFBIG ? "the request is over 64 MiB" : strerror(rerr));
        free(items);
        return EXIT_USAGE;
    }
    cJSON *req = cJSON_Parse(text), *reply = NULL;
    if (!req || !cJSON_IsObject(req)) {
        const char *at = cJSON_GetErrorPtr();
        snprintf(err, sizeof err, "request: not a JSON object (error near byte %ld)",
                 at && req == NULL ? (long)(at - text) : 0L);
        goto out;
    }
    const cJSON *jm = cJSON_GetObjectItem(req, "model");
    irt_model model;
    if (!cJSON_IsString(jm)) {
        snprintf(err, sizeof err, "model: missing; expected \"grm\", \"gpcm\" or \"2pl\"");
        goto out;
    }
    if (irt_model_parse(jm->valuestring, &model) != 0) {
        snprintf(err, sizeof err,
                 "model: unknown model \"%.40s\"; expected \"grm\", \"gpcm\" "
                 "or \"2pl\"",
                 jm->valuestring);
        goto out;
    }
    items = parse_items(cJSON_GetObjectItem(req, "items"), model, &nitems, err, sizeof err);
    if (!items)
        goto out;

    est_opts eo = est_defaults();
    const cJSON *prior = cJSON_GetObjectItem(req, "prior");
    if (prior) {
        const cJSON *m = cJSON_GetObjectItem(prior, "mean"), *sd = cJSON_GetObjectItem(prior, "sd");
        if (!cJSON_IsObject(prior) || (m && !cJSON_IsNumber(m)) || (sd && !cJSON_IsNumber(sd))) {
            snprintf(err, sizeof err, "prior: expected {\"mean\": number, \"sd\": number}");
            goto out;
        }
        if (m)
            eo.prior_mean = m->valuedouble;
        if (sd)
            eo.prior_sd = sd->valuedouble;
        if (!(eo.prior_sd > 0) || !isfinite(eo.prior_sd) || !isfinite(eo.prior_mean)) {
            snprintf(err, sizeof err, "prior: sd must be a finite number > 0 and mean finite");
            goto out;
        }
    }

    const cJSON *jr = cJSON_GetObjectItem(req, "responses");
    if (jr && !cJSON_IsArray(jr)) {
        snprintf(err, sizeof err, "responses: expected an array of [item_index, category]");
        goto out;
    }
    int nresp = jr ? cJSON_GetArraySize(jr) : 0, i = 0;
    answered = xcalloc((size_t)nresp + 1, sizeof *answered);
    x = xcalloc((size_t)nresp + 1, sizeof *x);
    asked = xcalloc((size_t)nitems, 1);
    const cJSON *r;
    cJSON_ArrayForEach(r, jr)
    {
        const cJSON *ji = cJSON_GetArrayItem(r, 0), *jc = cJSON_GetArrayItem(r, 1);
        if (!cJSON_IsArray(r) || cJSON_GetArraySize(r) != 2 || !cJSON_IsNumber(ji) ||
            !cJSON_IsNumber(jc)) {
            snprintf(err, sizeof err, "responses[%d]: expected [item_index, category]", i);
            goto out;
        }
        double di = ji->valuedouble, dc = jc->valuedouble;
        if (di != floor(di) || di < 0 || di >= nitems) {
            snprintf(err, sizeof err, "responses[%d]: item index %g out of range 0..%d", i, di,
                     nitems - 1);
            goto out;
        }
        int idx = (int)di;
        if (dc != floor(dc) || dc < 0 || dc >= items[idx].ncat) {
            snprintf(err, sizeof err,
                     "responses[%d]: category %g out of range 0..%d for item "
                     "%d",
                     i, dc, items[idx].ncat - 1, idx);
            goto out;
        }
        if (asked[idx]) {
            snprintf(err, sizeof err, "responses[%d]: item %d is answered twice", i, idx);
            goto out;
        }
        asked[idx] = 1;
        answered[i] = items[idx];
        x[i++] = (int)dc;
    }
    const cJSON *jt = cJSON_GetObjectItem(req, "thetas"), *t;
    if (jt && !cJSON_IsArray(jt)) {
        snprintf(err, sizeof err, "thetas: expected an array of numbers");
        goto out;
    }
    i = 0;
    cJSON_ArrayForEach(t, jt)
    {
        if (!cJSON_IsNumber(t) || !isfinite(t->valuedouble)) {
            snprintf(err, sizeof err, "thetas[%d]: expected a finite number", i);
            goto out;
        }
        i++;
    }

    reply = cJSON_CreateObject();
    est_result eap = est_eap(answered, x, (size_t)nresp, &eo);
    cJSON_AddItemToObject(reply, "eap", est_json(eap, 0));
    cJSON_AddItemToObject(reply, "map", est_json(est_map(answered, x, (size_t)nresp, &eo), 0));
    cJSON_AddItemToObject(reply, "ml", est_json(est_ml(answered, x, (size_t)nresp, &eo), 1));
    cJSON_AddItemToObject(reply, "wle", est_json(est_wle(answered, x, (size_t)nresp, &eo), 0));

    /* Next item: maximum information at the EAP among unanswered items, no randomesque. */
    cat_pool pool;
    cat_pool_init(&pool, (size_t)nitems, 1);
    memcpy(pool.items, items, (size_t)nitems * sizeof *items);
    cat_pool_prepare(&pool);
    cat_state st = {eap.theta, asked, NULL, NULL, NULL, nresp, 0};
    cat_options co = {1, 0, NULL, -1, 0.0, 0, 0.0};
    rng g;
    rng_seed(&g, 1);
    cat_choice ch;
    if (cat_select(&pool, &st, &co, &g, 0, &ch) >= 0) {
        cJSON *next = cJSON_AddObjectToObject(reply, "next");
        cJSON_AddNumberToObject(next, "item", ch.item);
        cJSON_AddNumberToObject(next, "info", ch.info);
    } else {
        cJSON_AddNullToObject(reply, "next");
    }
    cat_pool_free(&pool);

    if (jt) {
        cJSON *at = cJSON_AddArrayToObject(reply, "at");
        cJSON_ArrayForEach(t, jt)
        {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddNumberToObject(e, "theta", t->valuedouble);
            cJSON *prob = cJSON_AddArrayToObject(e, "prob");
            cJSON *info = cJSON_AddArrayToObject(e, "info");
            for (int j = 0; j < nitems; j++) {
                double p[IRT_MAX_CAT];
                irt_probs(&items[j], t->valuedouble, p, NULL, NULL);
                cJSON_AddItemToArray(prob, cJSON_CreateDoubleArray(p, items[j].ncat));
                cJSON_AddItemToArray(info, cJSON_CreateNumber(irt_info(&items[j], t->valuedouble)));
            }
            cJSON_AddItemToArray(at, e);
        }
    }
    char *s = cJSON_PrintUnformatted(reply);
    printf("%s\n", s);
    free(s);
    rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
out:
    if (rc == EXIT_USAGE)
        fail_usage(err);
    cJSON_Delete(reply);
    cJSON_Delete(req);
    free(text);
    free(items);
    free(answered);
    free(x);
    free(asked);
    (void)app;
    return rc;
}
