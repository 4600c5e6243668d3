/* file.h: the project's one whole-file reader. Reads into a NUL-terminated malloc'd buffer with
 * a size limit, so a caller that parses the text can use it as a C string and a huge or endless
 * input (a device, a FIFO) cannot exhaust memory.
 *
 * Errors are errno values (0 = success): the caller words the message, naming the file, e.g.
 * "%s: cannot read: %s" with strerror(rc), or its own sentence for EFBIG. On error *out and
 * *len are left alone and nothing stays allocated. */
#ifndef VIVA_FILE_H
#define VIVA_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Read the file at `path`: *out (the caller frees it) holds *len bytes and a NUL after them.
 * Errors: whatever fopen sets (ENOENT, EACCES, ...), EISDIR for a directory, EFBIG when the
 * file holds more than max_bytes, EIO (or the errno of the failed read) for a read error. */
int file_read(const char *path, size_t max_bytes, char **out, size_t *len);

/* The same from an open stream (standard input, a pipe) until its end; `f` stays open. */
int file_read_stream(FILE *f, size_t max_bytes, char **out, size_t *len);

#endif
