/* test_store_pin.c: profile PINs in a real LMDB store: set, check, clear; wrong PINs in a row
 * start a delay that survives closing and opening the store again; removing the profile
 * removes its PIN; a read-only open checks without writing; a damaged record opens nothing. */
#include <string.h>

#include "check.h"
#include "st_util.h"
#include "verr.h"

static const int64_t T0 = 1800000000000LL; /* a wall-clock time in 2027 */

static void test_set_check_clear(void)
{
    char *dir = st_mktmp("pin");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    uint32_t ada, bob;
    CHECK(store_profile_add(st, "Ada", T0, &ada) == 0);
    CHECK(store_profile_add(st, "Bob", T0, &bob) == 0);
    store_pin_state s;
    CHECK(store_pin_status(st, ada, T0, &s) == 0 && !s.has_pin);
    int res = -1;
    CHECK(store_pin_check(st, ada, "1234", T0, &res, NULL) == 0 && res == STORE_PIN_NONE);

    CHECK(store_pin_valid("1234") && store_pin_valid("12345678"));
    CHECK(!store_pin_valid("123") && !store_pin_valid("123456789") && !store_pin_valid("12a4") &&
          !store_pin_valid("") && !store_pin_valid(NULL));
    CHECK(store_pin_set(st, ada, "12a4") == VIVA_EINVAL);
    CHECK(store_pin_set(st, 999, "1234") == VIVA_ENOTFOUND);
    CHECK(store_pin_set(st, ada, "2468") == 0);

    /* The record holds a salted argon2id string, never the digits. */
    void *data = NULL;
    size_t len = 0;
    int found = 0;
    char key[32];
    snprintf(key, sizeof key, "pin:%u", ada);
    CHECK(store_setting_get(st, key, &data, &len, &found) == 0 && found);
    CHECK(data && strstr(data, "$argon2id$") && !strstr(data, "2468"));
    free(data);

    CHECK(store_pin_status(st, ada, T0, &s) == 0 && s.has_pin && s.failures == 0);
    CHECK(store_pin_status(st, bob, T0, &s) == 0 && !s.has_pin); /* per profile */
    CHECK(store_pin_check(st, ada, "2468", T0, &res, &s) == 0 && res == STORE_PIN_OK);
    CHECK(store_pin_check(st, ada, "2469", T0, &res, &s) == 0 && res == STORE_PIN_WRONG);
    CHECK(s.failures == 1 && s.wait_ms == 0);
    CHECK(store_pin_check(st, ada, "2468", T0, &res, &s) == 0 && res == STORE_PIN_OK);
    CHECK(s.failures == 0); /* the right PIN resets the count */

    CHECK(store_pin_clear(st, ada) == 0);
    CHECK(store_pin_status(st, ada, T0, &s) == 0 && !s.has_pin);
    CHECK(store_pin_clear(st, ada) == 0); /* none: fine */
    store_close(st);
    st_rmtmp(dir);
}

static void test_delay_survives_reopen(void)
{
    char *dir = st_mktmp("pin");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    uint32_t ada;
    CHECK(store_profile_add(st, "Ada", T0, &ada) == 0);
    CHECK(store_pin_set(st, ada, "135790") == 0);
    int res;
    store_pin_state s;
    for (int i = 1; i < STORE_PIN_TRIES; i++) {
        CHECK(store_pin_check(st, ada, "000000", T0 + i, &res, &s) == 0);
        CHECK(res == STORE_PIN_WRONG && s.failures == i && s.wait_ms == 0);
    }
    CHECK(store_pin_check(st, ada, "000000", T0 + 10, &res, &s) == 0 && res == STORE_PIN_WRONG);
    CHECK(s.failures == STORE_PIN_TRIES && s.wait_ms == STORE_PIN_DELAY_MS);
    store_close(st);

    /* A restart does not reset it: even the right PIN is not compared during the delay. */
    st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    CHECK(store_pin_status(st, ada, T0 + 10 + 1000, &s) == 0);
    CHECK(s.has_pin && s.failures == STORE_PIN_TRIES && s.wait_ms == STORE_PIN_DELAY_MS - 1000);
    CHECK(store_pin_check(st, ada, "135790", T0 + 10 + 1000, &res, &s) == 0);
    CHECK(res == STORE_PIN_LOCKED && s.wait_ms == STORE_PIN_DELAY_MS - 1000);
    /* A clock set back cannot stretch the delay beyond its length. */
    CHECK(store_pin_status(st, ada, T0 - 3600000, &s) == 0 && s.wait_ms == STORE_PIN_DELAY_MS);

    /* After it, one more wrong PIN doubles the delay; the right one ends it all. */
    int64_t t = T0 + 10 + STORE_PIN_DELAY_MS;
    CHECK(store_pin_check(st, ada, "111111", t, &res, &s) == 0 && res == STORE_PIN_WRONG);
    CHECK(s.failures == STORE_PIN_TRIES + 1 && s.wait_ms == 2 * STORE_PIN_DELAY_MS);
    t += 2 * STORE_PIN_DELAY_MS;
    CHECK(store_pin_check(st, ada, "135790", t, &res, &s) == 0 && res == STORE_PIN_OK);
    CHECK(s.failures == 0 && s.wait_ms == 0);

    /* A read-only open (export) checks without writing. */
    for (int i = 0; i < 2; i++)
        CHECK(store_pin_check(st, ada, "999999", t, &res, &s) == 0 && res == STORE_PIN_WRONG);
    store_close(st);
    char err[1024];
    CHECK(store_open(dir, STORE_READONLY, &st, err, sizeof err) == 0);
    CHECK(store_pin_check(st, ada, "999999", t, &res, &s) == 0 && res == STORE_PIN_WRONG);
    CHECK(s.failures == 3);
    CHECK(store_pin_status(st, ada, t, &s) == 0 && s.failures == 2); /* nothing written */
    CHECK(store_pin_check(st, ada, "135790", t, &res, &s) == 0 && res == STORE_PIN_OK);
    store_close(st);
    st_rmtmp(dir);
}

static void test_removal_and_damage(void)
{
    char *dir = st_mktmp("pin");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        return;
    uint32_t ada, bob;
    CHECK(store_profile_add(st, "Ada", T0, &ada) == 0);
    CHECK(store_profile_add(st, "Bob", T0, &bob) == 0);
    CHECK(store_pin_set(st, ada, "4321") == 0);
    CHECK(store_pin_set(st, bob, "8765") == 0);
    CHECK(store_profile_remove(st, ada) == 0);
    char key[32];
    void *data = NULL;
    size_t len;
    int found = 1;
    snprintf(key, sizeof key, "pin:%u", ada);
    CHECK(store_setting_get(st, key, &data, &len, &found) == 0 && !found);
    free(data);
    store_pin_state s;
    CHECK(store_pin_status(st, bob, T0, &s) == 0 && s.has_pin); /* the other one stays */

    /* A damaged record keeps the guard and opens to no PIN. */
    snprintf(key, sizeof key, "pin:%u", bob);
    CHECK(store_setting_put(st, key, "v1 x", 4) == 0);
    st_log_start();
    int res = -1;
    CHECK(store_pin_status(st, bob, T0, &s) == VIVA_ECORRUPT && s.has_pin);
    CHECK(store_pin_check(st, bob, "8765", T0, &res, &s) == VIVA_ECORRUPT);
    CHECK(res != STORE_PIN_OK);
    CHECK(st_log_has("PIN record of profile"));
    vlog_set_sink(NULL, VLOG_INFO);
    CHECK(store_pin_set(st, bob, "8765") == 0); /* setting it again repairs it */
    CHECK(store_pin_check(st, bob, "8765", T0, &res, &s) == 0 && res == STORE_PIN_OK);
    store_close(st);
    st_rmtmp(dir);
}

int main(void)
{
    RUN(test_set_check_clear);
    RUN(test_delay_survives_reopen);
    RUN(test_removal_and_damage);
    return check_summary("store pin");
}
