/* practice_pin.c: the profile PINs as the kiosk driver sees them (see practice.h): by profile
 * name, on the practice's store handle. */
#include <string.h>

#include "practice_int.h"

static int find(practice *p, const char *name, uint32_t *id)
{
    store_profile prof;
    int found = 0;
    if (!p->st || store_profile_find(p->st, name, &prof, &found) != 0 || !found)
        return -1;
    *id = prof.id;
    return 0;
}

int practice_pin_state(practice *p, const char *name, int64_t now_ms, store_pin_state *out)
{
    memset(out, 0, sizeof *out);
    uint32_t id;
    if (find(p, name, &id) != 0)
        return 0; /* no store, or no such profile yet: no PIN */
    return store_pin_status(p->st, id, now_ms, out);
}

int practice_pin_check(practice *p, const char *name, const char *pin, int64_t now_ms,
                       int *result, store_pin_state *out)
{
    memset(out, 0, sizeof *out);
    *result = STORE_PIN_NONE;
    uint32_t id;
    if (find(p, name, &id) != 0)
        return 0;
    return store_pin_check(p->st, id, pin, now_ms, result, out);
}
