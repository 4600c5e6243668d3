/* banks.h: loading question banks from files into a bank (see core/bank.h). */
#ifndef VIVA_BANKS_H
#define VIVA_BANKS_H

#include "app.h"
#include "bank.h"
#include "store.h"

#define BANK_FILE_MAX (64u << 20) /* larger files are refused with a message */

/* Load one bank file into b. Problems are printed to stderr as "file:line: message" (at most
 * `max_messages` of them; 0 = all, -1 = none). Returns the number of problems, counting an unreadable
 * file as one. */
int banks_load_file(bank *b, const char *path, int max_messages);

/* Load the built-in bank (every *.bank file under <assets>/bank, in name order, unless
 * bank.builtin is off) and the configured extra files. Returns the number of problems.
 * _ex prints at most max_messages problems per file (0 = all, -1 = none). */
int banks_load_configured(const viva_app *app, bank *b);
int banks_load_configured_ex(const viva_app *app, bank *b, int max_messages);

/* Add the questions of every enabled bank in the store (in name order) to b. A question whose
 * id b already holds (from the built-in bank, a configured file or an earlier bank) is skipped
 * with a log line naming the id and both files with their lines. Returns the number skipped. */
size_t banks_load_store(store *st, bank *b);

/* The built-in bank's files, sorted; returns the count and a malloc'd array of malloc'd paths
 * (free with banks_free_list). */
size_t banks_builtin_files(const viva_app *app, char ***paths);
void banks_free_list(char **paths, size_t n);

#endif
