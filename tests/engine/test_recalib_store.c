/* test_recalib_store.c: recalibration through a real LMDB store (src/app/recalib.c) and through
 * the practice controller. A 12-question bank in a private asset directory; two profiles
 * answer: the level-1 questions are always missed, the level-5 ones always excellent, the rest
 * solid. Checked: session end stores a record per answered question (the 22-byte encoding,
 * the number of answers behind it), the easy questions move up and the hard ones down;
 * nothing is rewritten when nothing changed; the next practice (a new profile) estimates and
 * selects with level + stored shift, and differently than with the level alone; `viva bank
 * stats --calibrated` lists the moved questions by |shift|; removing the profiles removes the
 * records at the next update. All files live in a temporary directory removed at the end. */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ability.h"
#include "banks.h"
#include "calib.h"
#include "check.h"
#include "cli.h"
#include "practice.h"
#include "recalib.h"
#include "store.h"

static char root[512], assets[600], cfgdir[600];

static const char *const ids[12] = {"go.q1",  "go.q2",  "go.q3",  "go.q4",  "go.q5",  "go.q6",
                                    "sql.q1", "sql.q2", "sql.q3", "sql.q4", "sql.q5", "sql.q6"};
static const int levels[6] = {1, 2, 3, 3, 4, 5};

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void write_bank(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/bank", assets);
    mkdir(assets, 0700);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/bank/test.bank", assets);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    for (int i = 0; i < 12; i++)
        fprintf(f, "id: %s\ntopic: %s\nlevel: %d\nquestion: Question %d?\nkey: one\nkey: two\n\n",
                ids[i], i < 6 ? "go" : "sql", levels[i % 6], i);
    fclose(f);
}

static void app_init(viva_app *app, const char *data)
{
    memset(app, 0, sizeof *app);
    config_defaults(&app->cfg);
    app->cfg.record = 0;
    app->cfg.backups = 0;
    app->cfg.session_questions = 8;
    snprintf(app->asset_dir, sizeof app->asset_dir, "%s", assets);
    snprintf(app->data_dir, sizeof app->data_dir, "%s", data);
}

static int grade_for(const bank_item *it)
{
    return it->level == 1 ? 0 : it->level == 5 ? 3 : 2;
}

/* One practice session of `name`; returns the number of graded answers. */
static int session(viva_app *app, const char *name, uint64_t seed, int64_t t)
{
    practice *p;
    char notice[512], err[512];
    int code;
    if (practice_open(app, name, &p, notice, sizeof notice, err, sizeof err, &code) != 0) {
        fprintf(stderr, "practice_open: %s\n", err);
        CHECK(0);
        return 0;
    }
    CHECK(practice_can_save(p));
    practice_set_seed(p, seed);
    practice_begin_session(p, t);
    int n = 0;
    const bank_item *it;
    while ((it = practice_next(p, t)) != NULL) {
        t += 60000;
        practice_answer_end(p, t);
        practice_grade(p, grade_for(it), t);
        t += 1000;
        n++;
    }
    practice_end_session(p, t);
    practice_close(p);
    return n;
}

typedef struct {
    int count[12];
} answer_count;

static int count_answer(void *ctx, const store_response *r)
{
    answer_count *c = ctx;
    for (int i = 0; i < 12; i++)
        if (r->grade >= 0 && !strcmp(r->item_id, ids[i]))
            c->count[i]++;
    return 0;
}

typedef struct {
    uint32_t id[16];
    int n;
} profile_ids;

static int add_profile(void *ctx, const store_profile *p)
{
    profile_ids *l = ctx;
    if (l->n < 16)
        l->id[l->n++] = p->id;
    return 0;
}

static int get_record(store *st, const char *id, calib_record *rec)
{
    void *data = NULL;
    size_t len = 0;
    int found = 0;
    if (store_calib_get(st, id, &data, &len, &found) != 0 || !found) {
        free(data);
        return -1;
    }
    int rc = calib_record_decode(data, len, rec);
    CHECK(len == CALIB_RECORD_SIZE && ((unsigned char *)data)[0] == CALIB_RECORD_VERSION);
    free(data);
    return rc;
}

/* Runs `viva --data-dir DATA ARGS...` in-process; its standard output goes to `out`. */
static int viva_capture(const char *data, char *out, size_t len, const char *a1, const char *a2,
                        const char *a3, const char *a4)
{
    char path[700];
    snprintf(path, sizeof path, "%s/stdout.txt", root);
    char *argv[8] = {"viva",     "--data-dir", (char *)data, (char *)a1,
                     (char *)a2, (char *)a3,   (char *)a4,   NULL};
    int argc = 3;
    while (argc < 7 && argv[argc])
        argc++;
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    close(fd);
    int rc = app_main(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(out, 1, len - 1, f) : 0;
    out[n] = '\0';
    if (f)
        fclose(f);
    return rc;
}

/* Two profiles practise; their answers recalibrate the bank at each session end. */
static void test_practice_recalibrates(void)
{
    char data[700];
    snprintf(data, sizeof data, "%s/data", root);
    viva_app app;
    app_init(&app, data);
    int64_t t = 1767225600000; /* 2026-01-01 */
    int graded = 0;
    for (int day = 0; day < 3; day++) {
        graded += session(&app, "ann", 100 + (uint64_t)day, t + day * 86400000LL);
        graded += session(&app, "bob", 200 + (uint64_t)day, t + day * 86400000LL + 3600000);
    }
    CHECK(graded == 48);

    store *st = NULL;
    char err[512];
    CHECK(store_open(data, 0, &st, err, sizeof err) == 0);
    if (!st)
        return;
    answer_count c = {{0}};
    profile_ids pl = {{0}, 0};
    store_profile_list(st, add_profile, &pl);
    CHECK(pl.n == 2);
    for (int k = 0; k < pl.n; k++)
        store_response_iter(st, pl.id[k], count_answer, &c);
    int moved_up = 0, moved_down = 0, records = 0;
    double q1_shift = 0;
    for (int i = 0; i < 12; i++) {
        calib_record rec;
        int have = get_record(st, ids[i], &rec) == 0;
        CHECK_MSG(have == (c.count[i] > 0), "%s: %d answers, record %s", ids[i], c.count[i],
                  have ? "present" : "absent");
        if (!have)
            continue;
        records++;
        CHECK(rec.level == levels[i % 6]);
        CHECK_MSG(rec.n == (uint32_t)c.count[i], "%s: record says %u answers, the store has %d",
                  ids[i], rec.n, c.count[i]);
        printf("%-7s level %d: %2d answers, shift %+.3f (SE %.3f)\n", ids[i], rec.level, rec.n,
               rec.shift, rec.se);
        if (rec.level == 1) {
            CHECK(rec.shift > 0.2);
            moved_up++;
            if (i == 0)
                q1_shift = rec.shift;
        }
        if (rec.level == 5) {
            CHECK(rec.shift < -0.2);
            moved_down++;
        }
    }
    CHECK(records >= 8 && moved_up >= 1 && moved_down >= 1);

    /* Nothing new: nothing rewritten, and the pool is level + stored shift. */
    bank *b = bank_new();
    CHECK(banks_load_configured(&app, b) == 0 && bank_count(b) == 12);
    cat_pool pool, level;
    cat_pool_init(&pool, 12, 2);
    cat_pool_init(&level, 12, 2);
    for (int i = 0; i < 12; i++) {
        pool.topic[i] = level.topic[i] = i / 6;
        level.items[i] = calib_item_from_level(bank_at(b, (size_t)i)->level, 0);
    }
    cat_pool_prepare(&level);
    recalib_stats s;
    CHECK(recalib_update(st, b, &pool, &s) == 0);
    CHECK(s.written == 0 && s.removed == 0 && s.answers == 48 && (int)s.items == records);
    size_t applied = 0;
    CHECK(recalib_load(st, b, &pool, &applied) == 0 && (int)applied == records);
    for (int i = 0; i < 12; i++) {
        calib_record rec;
        double sh = get_record(st, bank_at(b, (size_t)i)->id, &rec) == 0 ? rec.shift : 0;
        for (int k = 0; k < 3; k++)
            CHECK(pool.items[i].b[k] == level.items[i].b[k] + sh);
    }
    if (q1_shift > 0) /* the easy question now informs most above its level */
        CHECK(irt_info(&pool.items[0], -2 + q1_shift) > irt_info(&level.items[0], -2 + q1_shift));
    store_close(st);
    st = NULL;

    /* The listing, largest |shift| first. */
    char out[8192];
    setenv("VIVA_ASSET_DIR", assets, 1);
    CHECK(viva_capture(data, out, sizeof out, "bank", "stats", "--calibrated", NULL) == 0);
    printf("%s", out);
    CHECK(strstr(out, "questions moved") != NULL);
    const char *first = strchr(out, '\n');
    double prev = 1e9;
    int rows = 0;
    /* Rows: id, topic name (may have spaces), level, shift, answers. */
    for (const char *line = first ? first + 1 : out; *line && *line != '\n';) {
        const char *end = strchr(line, '\n');
        size_t ll = end ? (size_t)(end - line) : strlen(line);
        char row[256], *tok[16];
        int nt = 0;
        snprintf(row, sizeof row, "%.*s", (int)(ll < 255 ? ll : 255), line);
        for (char *w = strtok(row, " "); w && nt < 16; w = strtok(NULL, " "))
            tok[nt++] = w;
        CHECK(nt >= 5);
        if (nt < 5)
            break;
        double sh = atof(tok[nt - 2]);
        CHECK(fabs(sh) <= prev + 1e-9);
        prev = fabs(sh);
        rows++;
        line = end ? end + 1 : line + ll;
    }
    CHECK(rows >= 2);
    CHECK(viva_capture(data, out, sizeof out, "bank", "stats", "--calibrated", "x") == 2);

    /* The next practice: a new profile, same seed and grades, once with the shifts and once
     * with them deleted. Its ability follows level + shift exactly, so it differs. */
    double theta_with = 0, theta_without = 0;
    int used_shift = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            CHECK(store_open(data, 0, &st, err, sizeof err) == 0);
            for (int i = 0; st && i < 12; i++)
                store_calib_del(st, ids[i]);
            store_close(st);
            st = NULL;
        }
        CHECK(store_open(data, 0, &st, err, sizeof err) == 0);
        calib_record recs[12];
        int has[12];
        for (int i = 0; st && i < 12; i++)
            has[i] = get_record(st, bank_at(b, (size_t)i)->id, &recs[i]) == 0;
        store_close(st);
        st = NULL;
        practice *p;
        char notice[512];
        int code;
        CHECK(practice_open(&app, pass ? "dave" : "carol", &p, notice, sizeof notice, err,
                            sizeof err, &code) == 0);
        practice_set_seed(p, 42);
        int64_t now = t + 10 * 86400000LL;
        practice_begin_session(p, now);
        ability_params ap = ability_defaults();
        ability expect;
        ability_init(&expect, &ap);
        const bank_item *it;
        while ((it = practice_next(p, now)) != NULL) {
            size_t i;
            for (i = 0; i < 12 && strcmp(bank_at(b, i)->id, it->id); i++)
                ;
            irt_item item = calib_item_from_level(it->level, 0);
            if (has[i]) {
                item = calib_apply(&item, recs[i].shift);
                used_shift += pass == 0 && fabs(recs[i].shift) > 0.05;
            }
            now += 60000;
            practice_answer_end(p, now);
            practice_grade(p, 2, now);
            ability_update(&expect, &ap, &item, 2, now);
            CHECK_NEAR(practice_get_ability(p, now).theta, expect.theta, 1e-12);
        }
        if (pass == 0)
            theta_with = practice_get_ability(p, now).theta;
        else
            theta_without = practice_get_ability(p, now).theta;
        practice_close(p); /* no session end: the shifts stay as they were */
    }
    printf("new profile after 8 solid answers: theta %+.4f with the shifts, %+.4f without\n",
           theta_with, theta_without);
    CHECK(used_shift > 0);
    CHECK(fabs(theta_with - theta_without) > 1e-3);

    /* Profiles removed: the answers behind the records are gone, so are the records. */
    CHECK(store_open(data, 0, &st, err, sizeof err) == 0);
    if (!st)
        goto out;
    pl.n = 0;
    store_profile_list(st, add_profile, &pl);
    CHECK(pl.n == 4);
    for (int k = 0; k < pl.n; k++)
        CHECK(store_profile_remove(st, pl.id[k]) == 0);
    CHECK(recalib_update(st, b, &pool, &s) == 0);
    CHECK(s.answers == 0 && s.items == 0);
    for (int i = 0; i < 12; i++) {
        calib_record rec;
        CHECK(get_record(st, ids[i], &rec) != 0);
        for (int k = 0; k < 3; k++)
            CHECK(pool.items[i].b[k] == level.items[i].b[k]);
    }
    store_close(st);
    CHECK(viva_capture(data, out, sizeof out, "bank", "stats", "--calibrated", NULL) == 0);
    CHECK(strstr(out, "no question has moved") != NULL);
out:
    cat_pool_free(&pool);
    cat_pool_free(&level);
    bank_free(b);
}

/* A record that does not decode is ignored (logged) and rewritten at the next update. */
static void test_bad_record(void)
{
    char data[700];
    snprintf(data, sizeof data, "%s/data-bad", root);
    mkdir(data, 0700);
    store *st = NULL;
    char err[512];
    CHECK(store_open(data, 0, &st, err, sizeof err) == 0);
    if (!st)
        return;
    viva_app app;
    app_init(&app, data);
    bank *b = bank_new();
    banks_load_configured(&app, b);
    uint32_t prof;
    CHECK(store_profile_add(st, "eve", 0, &prof) == 0);
    for (int k = 0; k < 4; k++) {
        store_response r;
        memset(&r, 0, sizeof r);
        r.profile = prof;
        snprintf(r.item_id, sizeof r.item_id, "go.q3");
        r.t_ms = 1000 + k;
        r.grade = 0;
        r.graded_ms = 2000 + k;
        r.se_before = 0.5;
        r.talk_ms = r.longest_pause_ms = r.first_word_ms = -1;
        CHECK(store_response_put(st, &r) == 0);
    }
    CHECK(store_calib_put(st, "go.q3", "\x07garbage", 8) == 0);
    cat_pool pool;
    cat_pool_init(&pool, bank_count(b), 2);
    size_t applied = 9;
    CHECK(recalib_load(st, b, &pool, &applied) == 0 && applied == 0);
    CHECK(pool.items[2].b[1] == 0); /* level 3: the level item */
    recalib_stats s;
    CHECK(recalib_update(st, b, &pool, &s) == 0);
    CHECK(s.written == 1 && s.answers == 4 && s.applied == 1);
    calib_record rec;
    CHECK(get_record(st, "go.q3", &rec) == 0 && rec.n == 4 && rec.shift > 0);
    CHECK(pool.items[2].b[1] == rec.shift);
    /* A record made for another level (the question was re-levelled) does not apply. */
    calib_record other = {4, 1.0, 0.1, 4};
    unsigned char enc[CALIB_RECORD_SIZE];
    calib_record_encode(&other, enc);
    CHECK(store_calib_put(st, "go.q3", enc, sizeof enc) == 0);
    CHECK(recalib_load(st, b, &pool, &applied) == 0 && applied == 0);
    CHECK(pool.items[2].b[1] == 0);
    CHECK(recalib_update(st, b, &pool, &s) == 0 && s.written == 1);
    CHECK(get_record(st, "go.q3", &rec) == 0 && rec.level == 3);
    cat_pool_free(&pool);
    store_close(st);
    bank_free(b);
}

int main(void)
{
    const char *base = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/viva-recalib-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(assets, sizeof assets, "%s/assets", root);
    snprintf(cfgdir, sizeof cfgdir, "%s/config", root);
    mkdir(cfgdir, 0700);
    setenv("XDG_CONFIG_HOME", cfgdir, 1);
    write_bank();
    RUN(test_practice_recalibrates);
    RUN(test_bad_record);
    if (!getenv("VIVA_KEEP_TMP"))
        nftw(root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_summary("recalib store");
}
