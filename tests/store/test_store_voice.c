/* test_store_voice.c: a profile's voice adaptation in a real LMDB store: put, replace, read
 * back after reopening, clear; removed with its profile only; a damaged record is reported as
 * damaged and a new enrolment repairs it. */
#include "check.h"
#include "st_util.h"

#define T0 1700000000000LL

static void test_put_get_clear(void)
{
    char *dir = st_mktmp("voice");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    uint32_t ada;
    CHECK(store_profile_add(st, "Ada", T0, &ada) == 0);
    store_voice v;
    int found = 1;
    CHECK(store_voice_get(st, ada, &v, &found) == 0 && !found && v.data == NULL);
    store_voice in = {"1\n3\n13\n...", 11, T0 + 5, 12};
    CHECK(store_voice_put(st, ada, &in) == 0);
    CHECK(store_voice_put(st, 99, &in) == VIVA_ENOTFOUND); /* no such profile */
    store_voice empty = {"", 0, T0, 1};
    CHECK(store_voice_put(st, ada, &empty) == VIVA_EINVAL);
    store_close(st);
    st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    CHECK(store_voice_get(st, ada, &v, &found) == 0 && found);
    CHECK(v.len == 11 && v.data && memcmp(v.data, in.data, 11) == 0 && v.data[11] == '\0');
    CHECK(v.made_ms == T0 + 5 && v.sentences == 12);
    store_voice_free(&v);
    store_voice second = {"second", 6, T0 + 9, 10};
    CHECK(store_voice_put(st, ada, &second) == 0); /* replaces */
    CHECK(store_voice_get(st, ada, &v, &found) == 0 && found && v.len == 6 &&
          v.sentences == 10);
    store_voice_free(&v);
    CHECK(store_voice_clear(st, ada) == 0);
    CHECK(store_voice_get(st, ada, &v, &found) == 0 && !found);
    CHECK(store_voice_clear(st, ada) == 0); /* none: fine */
    store_close(st);
out:
    st_rmtmp(dir);
}

static void test_removal_and_damage(void)
{
    char *dir = st_mktmp("voice");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    uint32_t ada, bob;
    CHECK(store_profile_add(st, "Ada", T0, &ada) == 0);
    CHECK(store_profile_add(st, "Bob", T0, &bob) == 0);
    store_voice in = {"transform", 9, T0, 12};
    CHECK(store_voice_put(st, ada, &in) == 0 && store_voice_put(st, bob, &in) == 0);
    CHECK(store_profile_remove(st, ada) == 0);
    char key[32];
    void *data = NULL;
    size_t len;
    int found = 1;
    snprintf(key, sizeof key, "voice:%u", ada);
    CHECK(store_setting_get(st, key, &data, &len, &found) == 0 && !found);
    free(data);
    store_voice v;
    CHECK(store_voice_get(st, bob, &v, &found) == 0 && found); /* the other one stays */
    store_voice_free(&v);

    /* A damaged record: reported, never passed on as a transform. */
    snprintf(key, sizeof key, "voice:%u", bob);
    CHECK(store_setting_put(st, key, "\x07x", 2) == 0);
    st_log_start();
    CHECK(store_voice_get(st, bob, &v, &found) == VIVA_ECORRUPT && !found && !v.data);
    CHECK_MSG(st_log_has("reading a voice adaptation"), "%s", st_log_);
    vlog_set_sink(NULL, VLOG_INFO);
    CHECK(store_voice_put(st, bob, &in) == 0); /* enrolling again repairs it */
    CHECK(store_voice_get(st, bob, &v, &found) == 0 && found && v.len == 9);
    store_voice_free(&v);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0);
    store_close(st);
    st_rmtmp(dir);
}

int main(void)
{
    RUN(test_put_get_clear);
    RUN(test_removal_and_damage);
    return check_summary("store voice");
}
