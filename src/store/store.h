/* store.h: all of viva's state in one LMDB environment (data.mdb in the data directory):
 * question banks and items, item calibration, profiles, sessions, responses, recordings, ability
 * history, review schedule and settings. Every write is one LMDB transaction that is synced to
 * disk before the call returns, so a power cut keeps everything a call reported as done.
 *
 * Errors: every function returns 0 (VIVA_OK) or a viva_err from verr.h. Functions that take
 * `err, errlen` write a one-line message naming the path, the problem and the fix; the others
 * log the message once (module "store") and return the code. store_exit_code() maps an open
 * error to the documented process exit code (README, "Store exit codes").
 *
 * Threads: one store handle is shared by every thread of the process. Any thread may call any
 * function; LMDB serialises writers, readers use MDB_NOTLS, and map growth takes an internal
 * write lock, so callers never see MDB_MAP_FULL. Transactions are short and every value read is
 * copied out before the transaction ends. A store_rec handle belongs to the one thread that
 * appends to it (normally the audio writer thread); that thread may append while the UI thread
 * commits a grade. Callbacks of the *_iter functions run inside a read transaction: they must
 * not call back into the store for writing (reading is allowed) and should be quick.
 *
 * Single instance: store_open() takes an exclusive lock on <dir>/viva.lock; a second process
 * (or a second store_open in the same process) gets VIVA_EBUSY and the holder's PID in the
 * message. STORE_READONLY opens (backup, export) do not take the lock and may run beside the
 * kiosk. */
#ifndef VIVA_STORE_H
#define VIVA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "bank.h"

typedef struct store store;
typedef struct store_rec store_rec;

/* Current schema version (see store.md for the history and the migrations). */
#define STORE_SCHEMA_VERSION 4

/* Open flags. */
enum {
    STORE_READONLY = 1u << 0, /* no writes, no lock file; the store must exist */
    STORE_NOSYNC = 1u << 1,   /* skip fsync on commit: benchmarks and bulk test fixtures ONLY */
    STORE_NOCREATE = 1u << 2, /* fail with VIVA_ENOTFOUND when there is no store yet */
    /* The caller only reads: the store is opened read-only (no lock; works on read-only media
     * and beside a running viva), unless there is none yet or it has an older schema, in which
     * case it is opened as without this flag (created or upgraded). */
    STORE_READS = 1u << 3
};

/* Process exit codes for a store that cannot be opened (all >= 10, see store_exit_code). */
enum {
    STORE_EXIT_BUSY = 10,    /* another viva holds the data directory */
    STORE_EXIT_PERM = 11,    /* permission denied on the data directory or its files */
    STORE_EXIT_CORRUPT = 12, /* data.mdb is truncated or damaged */
    STORE_EXIT_VERSION = 13, /* data.mdb was written by a newer viva */
    STORE_EXIT_NOSPC = 14,   /* the disk (or the store's size limit) is full */
    STORE_EXIT_IO = 15,      /* another I/O error */
    STORE_EXIT_NOSTORE = 16  /* no store where one was required (restore source, export) */
};

/* Tuning and fault injection; zero-initialise and set what you need. */
typedef struct {
    unsigned flags;         /* STORE_* flags */
    uint64_t map_initial;   /* first map size in bytes; 0 = 64 MiB */
    uint64_t map_max;       /* growth cap; 0 = 1.25 GiB on 32-bit, 256 GiB on 64-bit */
    int backup_keep;        /* rotating backups kept by store_session_end; < 0 = default 5 */
    /* Fault injection for tests: called before each commit and each file write the store does
     * itself with a short operation name ("commit", "backup", "restore", "export", "lock");
     * a non-zero return is taken as that errno (for example ENOSPC); for "tmpfile" it makes a
     * backup write a named data.mdb.tmp as on a file system without O_TMPFILE. NULL in
     * production. */
    int (*fault)(void *ctx, const char *op);
    void *fault_ctx;
} store_options;

int store_open(const char *dir, unsigned flags, store **out, char *err, size_t errlen);
int store_open_ex(const char *dir, const store_options *opt, store **out, char *err,
                  size_t errlen);
/* Releases the lock; a NULL store is ignored. All store_rec handles must be finished first. */
void store_close(store *st);

/* Exit code for an error returned by store_open/store_restore (STORE_EXIT_*, or 1). */
int store_exit_code(int err);
const char *store_dir(const store *st);
/* Current map size and the cap, in bytes (for tests and `viva profiles`). */
void store_map_info(store *st, uint64_t *mapsize, uint64_t *cap, uint64_t *file_bytes);
/* The schema version found in the directory without migrating (0 = none); for tests. */
int store_peek_schema(const char *dir, uint32_t *version);
/* Small file helpers for the subcommands: the size of a file (-1 if absent) and mkdir -p
 * (returns an errno value, 0 when the directory exists afterwards). */
int64_t store_file_size(const char *path);
int store_mkdir_p(const char *dir, unsigned mode);

/* ---- Banks and items ------------------------------------------------------------------- */
/* Replace or create bank `name` with every item of `b` in one transaction: all or nothing. */
int store_bank_put(store *st, const char *name, const bank *b, int enabled);
int store_bank_set_enabled(store *st, const char *name, int on); /* VIVA_ENOTFOUND if absent */
int store_bank_remove(store *st, const char *name);             /* absent: VIVA_OK */
typedef int (*store_bank_fn)(void *ctx, const char *name, uint32_t count, int enabled);
/* Calls fn for every bank in name order; a non-zero return from fn stops and is returned. */
int store_bank_list(store *st, store_bank_fn fn, void *ctx);
/* Adds the items of bank `name` (NULL = every enabled bank, in name order) to `into` with
 * bank_add(); items that bank_add rejects (e.g. a duplicate id across banks) are skipped and
 * counted in *skipped (may be NULL). VIVA_ENOTFOUND if a named bank does not exist. */
int store_bank_load(store *st, const char *name, bank *into, size_t *skipped);

/* ---- Keyed blobs the engine and UI define (the store does not interpret them) ---------- */
/* Item calibration by item id; review schedule by (profile, item id); settings by key.
 * *_get: *data is malloc'd (caller frees) and *found tells whether the key exists. */
typedef int (*store_blob_fn)(void *ctx, const char *key, const void *data, size_t len);
int store_calib_put(store *st, const char *item_id, const void *data, size_t len);
int store_calib_get(store *st, const char *item_id, void **data, size_t *len, int *found);
int store_calib_del(store *st, const char *item_id);
int store_calib_iter(store *st, store_blob_fn fn, void *ctx);
int store_review_put(store *st, uint32_t profile, const char *item_id, const void *data,
                     size_t len);
int store_review_get(store *st, uint32_t profile, const char *item_id, void **data, size_t *len,
                     int *found);
int store_review_del(store *st, uint32_t profile, const char *item_id);
int store_review_iter(store *st, uint32_t profile, store_blob_fn fn, void *ctx);
/* The review schedule as typed cards, stored in the review table by a codec of the store
 * (version byte + little-endian fields). Cards written by viva before schema 3 as raw struct
 * bytes are read too (and converted by the 2 -> 3 migration). Entries of the review table that
 * are not cards (blobs put with store_review_put) are skipped by store_card_iter and reported as
 * not found by store_card_get. */
typedef struct {
    int last_grade;                /* grade of the last review, 0..3 */
    double stability, difficulty;  /* FSRS state (days; 1..10) */
    int64_t last_ms, due_ms;       /* last review, next review */
    int32_t reps, lapses;
} store_card;
int store_card_put(store *st, uint32_t profile, const char *item_id, const store_card *card);
int store_card_get(store *st, uint32_t profile, const char *item_id, store_card *out,
                   int *found);
typedef int (*store_card_fn)(void *ctx, const char *item_id, const store_card *card);
int store_card_iter(store *st, uint32_t profile, store_card_fn fn, void *ctx);
int store_setting_put(store *st, const char *key, const void *data, size_t len);
int store_setting_get(store *st, const char *key, void **data, size_t *len, int *found);
int store_setting_del(store *st, const char *key);
int store_setting_iter(store *st, store_blob_fn fn, void *ctx);

/* ---- Profiles ---------------------------------------------------------------------------- */
#define STORE_NAME_MAX 64 /* profile and bank names: 1..64 bytes of UTF-8, no control chars */

typedef struct {
    uint32_t id;
    char name[STORE_NAME_MAX + 1];
    int64_t created_ms;
} store_profile;

/* VIVA_EBUSY when the name is taken, VIVA_EINVAL when it is not a valid name. */
int store_profile_add(store *st, const char *name, int64_t now_ms, uint32_t *id);
int store_profile_rename(store *st, uint32_t id, const char *new_name);
/* Deletes the profile with its sessions, responses, answer analyses, recordings, ability
 * history and review schedule in one transaction. The freed pages may still hold the old bytes until
 * store_compact() (which `viva profiles remove` runs). */
int store_profile_remove(store *st, uint32_t id);
/* *found = 0 when there is no such profile (not an error). */
int store_profile_find(store *st, const char *name, store_profile *out, int *found);
int store_profile_get(store *st, uint32_t id, store_profile *out, int *found);
typedef int (*store_profile_fn)(void *ctx, const store_profile *p);
int store_profile_list(store *st, store_profile_fn fn, void *ctx); /* in id order */

/* ---- Voice adaptations (store_voice.c) ------------------------------------------------------ */
/* A profile's speaker adaptation (src/speech/adapt.h: the transform's text, a few KiB), kept
 * under the settings key "voice:<profile id>" with when it was made and from how many
 * sentences. A new one replaces the old in one transaction, so an enrolment that stops half
 * way keeps the previous adaptation. Removing the profile removes it. */
#define STORE_VOICE_MAX (64 * 1024)
typedef struct {
    const char *data; /* the transform's text (store_voice_get: malloc'd, NUL-terminated) */
    size_t len;
    int64_t made_ms;  /* wall clock */
    int sentences;
} store_voice;
/* VIVA_EINVAL: empty or over STORE_VOICE_MAX; VIVA_ENOTFOUND: no such profile. */
int store_voice_put(store *st, uint32_t profile, const store_voice *v);
/* *found 0 and VIVA_OK when the profile has none; VIVA_ECORRUPT when the record is damaged.
 * Free with store_voice_free. */
int store_voice_get(store *st, uint32_t profile, store_voice *out, int *found);
int store_voice_clear(store *st, uint32_t profile); /* none: VIVA_OK */
void store_voice_free(store_voice *v);

/* ---- Profile PINs (store_pin.c) ------------------------------------------------------------ */
/* An optional PIN of 4 to 8 digits per profile, kept as libsodium's argon2id string (salted,
 * STORE_PIN_OPSLIMIT passes over STORE_PIN_MEMLIMIT bytes) under the settings key
 * "pin:<profile id>", with the count of wrong PINs in a row and the end of the delay in force.
 * STORE_PIN_TRIES wrong PINs in a row start a delay of STORE_PIN_DELAY_MS, doubled by every
 * further wrong PIN up to STORE_PIN_DELAY_MAX_MS; the right PIN resets the count. The count
 * and the delay are in the store, so a restart does not reset them. Removing the profile
 * removes its PIN. A PIN guards the kiosk and `viva export`; it encrypts nothing. */
#define STORE_PIN_MIN 4
#define STORE_PIN_MAX 8
#define STORE_PIN_TRIES 5
#define STORE_PIN_DELAY_MS 30000
#define STORE_PIN_DELAY_MAX_MS (30000LL << 7) /* 64 minutes */
#define STORE_PIN_OPSLIMIT 3
#define STORE_PIN_MEMLIMIT (16u << 20)

enum { STORE_PIN_OK, STORE_PIN_WRONG, STORE_PIN_LOCKED, STORE_PIN_NONE };

typedef struct {
    int has_pin;
    int failures;    /* wrong PINs in a row */
    int64_t wait_ms; /* what is left of the delay in force at now_ms (0 = none) */
} store_pin_state;

/* 1 when `pin` is 4 to 8 ASCII digits. */
int store_pin_valid(const char *pin);
/* Sets (or replaces) the PIN of an existing profile; the count of wrong PINs starts again.
 * VIVA_EINVAL: not a valid PIN; VIVA_ENOTFOUND: no such profile. */
int store_pin_set(store *st, uint32_t profile, const char *pin);
/* Removes the PIN (none: VIVA_OK). */
int store_pin_clear(store *st, uint32_t profile);
int store_pin_status(store *st, uint32_t profile, int64_t now_ms, store_pin_state *out);
/* Checks `pin` at now_ms (wall clock): *result is STORE_PIN_OK, STORE_PIN_WRONG,
 * STORE_PIN_LOCKED (a delay is in force: the PIN was not even compared) or STORE_PIN_NONE (the
 * profile has no PIN); out (may be NULL) is the state afterwards. A wrong or right PIN is
 * recorded (synced) unless the store is read-only. VIVA_ECORRUPT: the record is damaged (no
 * PIN opens it; `viva profiles pin NAME --clear` removes it). */
int store_pin_check(store *st, uint32_t profile, const char *pin, int64_t now_ms, int *result,
                    store_pin_state *out);

/* ---- Sessions ---------------------------------------------------------------------------- */
typedef struct {
    uint64_t id;
    uint32_t profile;
    int64_t begin_ms, end_ms; /* end_ms 0 = not ended (still running or interrupted) */
} store_session;

int store_session_begin(store *st, uint32_t profile, int64_t now_ms, uint64_t *id);
/* Marks the session ended, then (if backup_keep > 0) writes a rotating backup to
 * <dir>/backups/ and deletes the oldest beyond backup_keep. A failed backup is logged and
 * returned as VIVA_EIO, but the session end itself is committed. */
int store_session_end(store *st, uint64_t id, int64_t now_ms);
int store_session_get(store *st, uint64_t id, store_session *out, int *found);
void store_set_backup_keep(store *st, int keep);

/* ---- Responses and ability history --------------------------------------------------------- */
#define STORE_ITEM_ID_MAX 64
#define STORE_TOPIC_MAX 64

typedef struct {
    uint64_t id;       /* assigned by store_response_put when 0 */
    uint32_t profile;
    uint64_t session;  /* 0 = none */
    char item_id[STORE_ITEM_ID_MAX + 1];
    char topic[STORE_TOPIC_MAX + 1]; /* the item's topic when answered ("" = unknown) */
    int64_t t_ms;       /* when the question was shown, ms since the epoch */
    int grade;          /* -1 ungraded, 0 missed .. 3 excellent */
    int64_t graded_ms;  /* when the grade was given; 0 = ungraded */
    int32_t duration_ms; /* answer duration */
    uint64_t recording; /* 0 = none */
    double theta_before, se_before, theta_after, se_after;
    int32_t talk_ms, longest_pause_ms, first_word_ms; /* -1 = unknown */
} store_response;

typedef struct {
    uint32_t profile;
    char topic[STORE_TOPIC_MAX + 1]; /* "" = overall ability */
    int64_t t_ms;
    double theta, se;
    uint32_t n_answers;
} store_ability;

/* Writes the response (new when r->id == 0: the id is assigned and written back; otherwise
 * replaces response r->id) and syncs before returning. */
int store_response_put(store *st, store_response *r);
/* Same, plus the ability points, in ONE synced transaction: use this after a grade, so the
 * grade and the ability it produced are either both on disk or neither. */
int store_grade_commit(store *st, store_response *r, const store_ability *points, size_t n);
/* Everything a grade changes, in ONE synced transaction: the response (as store_grade_commit),
 * the ability points and, when `card` is not NULL, the review card of (r->profile, r->item_id).
 * After a crash either all of them are on disk or none. */
int store_grade_save(store *st, store_response *r, const store_ability *points, size_t n,
                     const store_card *card);
/* Sets the grade (and the ability after it) of an existing response; synced. */
int store_response_grade(store *st, uint64_t id, int grade, int64_t graded_ms,
                         double theta_after, double se_after);
int store_response_get(store *st, uint64_t id, store_response *out, int *found);
typedef int (*store_response_fn)(void *ctx, const store_response *r);
/* A profile's responses in time order (t_ms, then id). */
int store_response_iter(store *st, uint32_t profile, store_response_fn fn, void *ctx);

int store_ability_append(store *st, const store_ability *a);
typedef int (*store_ability_fn)(void *ctx, const store_ability *a);
/* A profile's ability history for one topic (NULL = every topic, grouped by topic, "" first),
 * each topic in time order. */
int store_ability_iter(store *st, uint32_t profile, const char *topic, store_ability_fn fn,
                       void *ctx);

/* ---- Answer analysis ---------------------------------------------------------------------- */
/* The analysis of one answer (what `viva analyse --json` prints) as UTF-8 JSON text, keyed by
 * the response id. The store keeps the text as given (it does not parse it); at most
 * STORE_ANALYSIS_MAX bytes (VIVA_EINVAL beyond, and for text that is not UTF-8 or holds NUL).
 * Removing the profile removes its analyses. */
#define STORE_ANALYSIS_MAX 65536
/* One synced transaction; VIVA_ENOTFOUND if there is no such response. Replaces an older one. */
int store_analysis_put(store *st, uint64_t response_id, const char *json, size_t len);
/* *json is malloc'd and NUL-terminated (caller frees); NULL with *found = 0 when absent. */
int store_analysis_get(store *st, uint64_t response_id, char **json, size_t *len, int *found);
typedef int (*store_analysis_fn)(void *ctx, uint64_t response_id, const char *json, size_t len);
/* That profile's analyses in response order (the order of store_response_iter). */
int store_analysis_iter(store *st, uint32_t profile, store_analysis_fn fn, void *ctx);

/* ---- Recordings ---------------------------------------------------------------------------- */
/* Audio is 16-bit mono PCM, stored as chunks of at most one second in LMDB. Appends are
 * buffered; a full second is committed (synced) as one chunk, so a power cut loses at most the
 * last second. A recording interrupted by a crash is marked STORE_REC_INTERRUPTED at the next
 * open and keeps every committed chunk. */
enum { STORE_REC_RECORDING = 0, STORE_REC_DONE = 1, STORE_REC_INTERRUPTED = 2 };

typedef struct {
    uint64_t id;
    uint32_t profile;
    int sample_rate;
    int state;            /* STORE_REC_* */
    int64_t t_ms;         /* start */
    uint64_t frames;      /* committed frames */
    uint32_t chunks;
    uint64_t trim_start, trim_end; /* playback range [start, end); end 0 = to the end */
    int checksummed;      /* its chunks carry a CRC32 (recorded with schema 4 and later) */
} store_rec_info;

int store_rec_begin(store *st, uint32_t profile, int sample_rate, int64_t now_ms,
                    store_rec **out);
uint64_t store_rec_id(const store_rec *rec);
/* Frames of `rec` that are on disk (synced); the rest is in the one-second buffer. */
uint64_t store_rec_committed(const store_rec *rec);
/* Called from the thread that owns `rec`. VIVA_ENOSPC on a full disk: the recording stops
 * there (later appends return VIVA_ENOSPC too), everything committed before is kept. */
int store_rec_append(store *st, store_rec *rec, const int16_t *pcm, size_t frames);
/* Commits buffered frames now (normally not needed). */
int store_rec_flush(store *st, store_rec *rec);
/* Flushes, sets the trim range and the final state, and frees `rec` (also on error). */
int store_rec_finish(store *st, store_rec *rec, uint64_t trim_start, uint64_t trim_end);
/* A recording that belongs to an answer: store_rec_begin_answer starts the recording and saves
 * answer r (new when r->id == 0; r->recording set to the new recording) in ONE transaction;
 * store_rec_finish_answer flushes, then finishes the recording and saves r again in ONE
 * transaction. So no kill leaves a recording that no answer names. */
int store_rec_begin_answer(store *st, store_response *r, int sample_rate, int64_t now_ms,
                           store_rec **out);
int store_rec_finish_answer(store *st, store_rec *rec, uint64_t trim_start, uint64_t trim_end,
                            store_response *r);
int store_rec_info_get(store *st, uint64_t id, store_rec_info *out, int *found);
/* The trimmed audio; *pcm is malloc'd (caller frees). VIVA_ENOTFOUND if there is no such
 * recording. A chunk whose CRC32 does not match its bytes (bit rot) is read as silence and
 * logged with the recording's id and the chunk's index and time; the call still succeeds.
 * store_rec_export does the same. */
int store_rec_read(store *st, uint64_t id, int16_t **pcm, size_t *frames, int *rate);
/* Writes the trimmed audio to `path`; the format follows the extension: .wav, .flac, .ogg
 * (Opus). */
int store_rec_export(store *st, uint64_t id, const char *path);
typedef int (*store_rec_fn)(void *ctx, const store_rec_info *info);
int store_rec_iter(store *st, uint32_t profile, store_rec_fn fn, void *ctx);
int store_rec_delete(store *st, uint64_t id);

/* ---- Maintenance --------------------------------------------------------------------------- */
typedef struct {
    uint64_t profiles, sessions, responses, recordings, chunks, ability, banks, items;
    uint64_t analyses;
    uint64_t unnamed;  /* recordings no answer names (store_repair gives them one) */
    uint64_t damaged_chunks; /* audio chunks whose CRC32 does not match (counted as problems) */
    uint64_t problems; /* 0 = consistent */
    char first_problem[256];
} store_check_report;

/* What the recordings' repair did (at open, and again on store_repair). */
typedef struct {
    uint64_t interrupted; /* recordings cut short by a crash, marked interrupted */
    uint64_t adopted;     /* recordings no answer named, each given an ungraded answer */
} store_repair_report;
/* The repair that store_open runs (and logs): recordings left "recording" by a crash are marked
 * interrupted, and every recording that no answer names gets an ungraded answer (no question,
 * the recording's time), so the candidate can play it. *rep counts what this open and this call
 * did. One synced transaction. */
int store_repair(store *st, store_repair_report *rep);

/* Reads every record, decodes it and checks the references between them: chunks belong to a
 * recording, recordings and responses to a profile, frame counts match the chunks, indexes
 * match the records, analyses belong to an answer, and every audio chunk that carries a CRC32
 * matches it. VIVA_ECORRUPT when LMDB reports damage;
 * problems are counted in *rep. */
int store_check(store *st, store_check_report *rep);

/* Hot, compacting copy of the store into directory `dest` (created; must not hold a
 * data.mdb). Safe while other threads write. */
int store_backup(store *st, const char *dest, char *err, size_t errlen);
/* Rewrites data.mdb without free pages (needs a writable store; other threads must not be in
 * a call). Afterwards the bytes of deleted records are no longer in the file. */
int store_compact(store *st, char *err, size_t errlen);
/* Replaces the store in `dir` with the backup in `src` (a directory holding data.mdb). The
 * backup is verified first; the current data.mdb is kept as data.mdb.before-restore. Takes the
 * single-instance lock, so viva must not be running. */
int store_restore(const char *dir, const char *src, char *err, size_t errlen);
/* The newest rotating backup directory under <dir>/backups, or "" (for messages). */
void store_newest_backup(const char *dir, char *out, size_t len);

/* ---- Recovery (store_recover.c): the kiosk's way on when the store refuses to open ------- */
/* The newest complete backup under <dir>/backups (one holding data.mdb): its directory into
 * `path` ("" when there is none) and when its data file was written (*when_ms, ms since the
 * epoch; may be NULL). Returns 1 when there is one, else 0. */
int store_recover_backup(const char *dir, char *path, size_t len, int64_t *when_ms);
/* Keeps <dir>/data.mdb aside as data.mdb.damaged-YYYYmmdd-HHMMSS (UTC of now_ms; never
 * deleted; its path into `kept`, "" when there was none), then restores the newest complete
 * backup with store_restore. When the restore fails the data file is put back (kept is "")
 * and err says why. VIVA_ENOTFOUND: no backup; VIVA_EBUSY: another viva holds `dir`. Viva
 * must not have the store open. */
int store_recover_restore(const char *dir, int64_t now_ms, char *kept, size_t klen, char *err,
                          size_t errlen);

#endif
