/* store_os.h: the store's own file operations (bottom layer, no store types). Every function
 * returns an errno value (0 = done) unless it says otherwise. */
#ifndef VIVA_STORE_OS_H
#define VIVA_STORE_OS_H

#include <stdint.h>

int os_fsync_dir(const char *dir);
/* Copy `from` to `to` and fsync it; `fault` (may be NULL) may fail any write with "restore". */
int os_copy_file(const char *from, const char *to, int (*fault)(void *, const char *),
                 void *fault_ctx);
int os_mkdir_p(const char *dir, unsigned mode);
int os_rm_rf(const char *path);
int os_is_dir(const char *path);    /* 1 or 0 */
int64_t os_file_size(const char *path); /* -1 if absent */
/* errno -> viva_err (ENOSPC -> VIVA_ENOSPC, EACCES -> VIVA_EPERM, ...). */
int verr_from_errno(int e);

#endif
