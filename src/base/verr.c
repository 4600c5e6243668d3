/* verr.c: descriptions for the project error codes. */
#include "verr.h"

static const char *const messages[VIVA_ERR_COUNT] = {
    [VIVA_OK] = "success",
    [VIVA_ENOMEM] = "out of memory",
    [VIVA_EIO] = "input/output error",
    [VIVA_EPARSE] = "malformed input",
    [VIVA_ERANGE] = "value out of range",
    [VIVA_EINVAL] = "invalid argument",
    [VIVA_EBUSY] = "resource busy",
    [VIVA_ENOSPC] = "no space left on device",
    [VIVA_ENODEV] = "no such device",
    [VIVA_ECORRUPT] = "data is corrupted",
    [VIVA_EVERSION] = "data was written by a newer version of viva",
    [VIVA_EPERM] = "permission denied",
    [VIVA_ENOTFOUND] = "not found",
    [VIVA_ELIMIT] = "input exceeds a size limit",
};

const char *viva_strerror(int err)
{
    if (err < 0 || err >= VIVA_ERR_COUNT || !messages[err])
        return "unknown error";
    return messages[err];
}
