/* verr.h: the project's error codes. 0 is success; every function that can fail returns one of
 * these (or a negative value documented on the function). "Not found" is a result, not an error,
 * and is reported through an out-parameter or a separate return value. */
#ifndef VIVA_VERR_H
#define VIVA_VERR_H

typedef enum {
    VIVA_OK = 0,
    VIVA_ENOMEM,    /* allocation failed */
    VIVA_EIO,       /* a read or write failed; errno-style detail is in the log line */
    VIVA_EPARSE,    /* malformed input (file:line in the diagnostics) */
    VIVA_ERANGE,    /* a value is outside what the function accepts */
    VIVA_EINVAL,    /* a caller passed something the contract forbids */
    VIVA_EBUSY,     /* a resource is held by someone else (lock, device) */
    VIVA_ENOSPC,    /* the disk is full */
    VIVA_ENODEV,    /* a device is missing */
    VIVA_ECORRUPT,  /* stored data is damaged */
    VIVA_EVERSION,  /* stored data is from a newer program */
    VIVA_EPERM,     /* permission denied */
    VIVA_ENOTFOUND, /* used only where the contract says absence is an error */
    VIVA_ELIMIT,    /* an input exceeds a documented size limit */
    VIVA_ERR_COUNT
} viva_err;

/* A short English description of `err`; never NULL. */
const char *viva_strerror(int err);

#endif
