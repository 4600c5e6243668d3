/* test_store_crc.c: bit rot in the audio is found. A recording of ten one-second chunks, each
 * with its own byte pattern, is written to a real LMDB file; the file is closed and one byte in
 * the middle of each chunk's samples is changed on disk (LMDB checks no data pages, so only the
 * chunk's CRC32 can tell). Then: store_check counts ten damaged chunks and names the first;
 * playback and export succeed with silence in place of each damaged second and a log line
 * naming the recording and the chunk; the intact chunks read back exactly; `viva store check`
 * reports it with the corrupt-store exit code. Before the checksums, none of this was seen (the
 * issue's finding: 8 of 10 corrupted audio pages went undetected). */
#include <fcntl.h>
#include <sndfile.h>

#include "cli.h"
#include "check.h"
#include "st_util.h"

#define RATE 16000
#define CHUNKS 10

static int16_t sample_of(int chunk)
{
    /* Little-endian bytes 'A' + chunk, 'Z': a pattern found nowhere else in the file. */
    return (int16_t)(uint16_t)((0x41 + chunk) | 0x5a << 8);
}

static uint64_t write_recording(const char *dir, uint32_t *profile)
{
    store *st = st_open_ok(dir);
    uint64_t id = 0;
    if (!st)
        return 0;
    CHECK(store_profile_add(st, "Ida", 1, profile) == 0);
    store_response r = st_resp(*profile, "q-1", 100, -1);
    store_rec *rec;
    CHECK(store_rec_begin_answer(st, &r, RATE, 100, &rec) == 0);
    int16_t *pcm = xmalloc(RATE * sizeof *pcm);
    for (int c = 0; c < CHUNKS; c++) {
        for (int i = 0; i < RATE; i++)
            pcm[i] = sample_of(c);
        CHECK(store_rec_append(st, rec, pcm, RATE) == 0);
    }
    free(pcm);
    id = store_rec_id(rec);
    CHECK(store_rec_finish_answer(st, rec, 0, 0, &r) == 0);
    store_close(st);
    return id;
}

/* The first place of needle in hay (memmem is not C11). */
static const char *find(const strbuf *hay, const unsigned char *needle, size_t n)
{
    for (size_t i = 0; hay->len >= n && i <= hay->len - n; i++)
        if (memcmp(hay->s + i, needle, n) == 0)
            return hay->s + i;
    return NULL;
}

/* Changes one byte in the middle of every chunk's samples in data.mdb; returns how many. */
static int rot(const char *dir, unsigned seed)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    FILE *f = fopen(path, "r+b");
    if (!f)
        return 0;
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&sb, buf, n);
    int done = 0;
    for (int c = 0; c < CHUNKS; c++) {
        unsigned char pat[64];
        for (int i = 0; i < 64; i += 2) {
            pat[i] = (unsigned char)(0x41 + c);
            pat[i + 1] = 0x5a;
        }
        const char *at = find(&sb, pat, sizeof pat);
        if (!at)
            continue;
        seed = seed * 1103515245u + 12345u;
        size_t off = (size_t)(at - sb.s) + 64 + (seed >> 8) % (2 * RATE - 200);
        unsigned char b = (unsigned char)sb.s[off] ^ 0x10;
        if (fseek(f, (long)off, SEEK_SET) == 0 && fwrite(&b, 1, 1, f) == 1)
            done++;
    }
    fclose(f);
    sb_free(&sb);
    return done;
}

static int viva_check(const char *dir, char *out, size_t outlen)
{
    char *argv[] = {"viva", "--data-dir", (char *)dir, "store", "check", NULL};
    char path[4200];
    snprintf(path, sizeof path, "%s.out", dir);
    fflush(stdout);
    int saved = dup(1), fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    int rc = app_main(5, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ssize_t n = pread(fd, out, outlen - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
    return rc;
}

static void test_rot_is_found(void)
{
    char *dir = st_mktmp("crc");
    uint32_t profile = 0;
    uint64_t id = write_recording(dir, &profile);
    CHECK(id != 0);
    char out[4096];
    CHECK(viva_check(dir, out, sizeof out) == EXIT_OK && strstr(out, "consistent"));
    CHECK_MSG(rot(dir, 20261207) == CHUNKS, "the chunks' bytes were not all found in the file");

    store *st = NULL;
    char err[1024];
    CHECK(store_open(dir, STORE_READONLY, &st, err, sizeof err) == 0);
    if (!st)
        goto out;
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.damaged_chunks == CHUNKS && rep.problems >= CHUNKS,
              "%llu of %d damaged chunks found", (unsigned long long)rep.damaged_chunks, CHUNKS);
    CHECK_MSG(strstr(rep.first_problem, ", chunk 0: the audio is damaged"), "%s",
              rep.first_problem);

    /* Playback: every second is silence now, each logged with the recording and chunk. */
    st_log_start();
    int16_t *pcm = NULL;
    size_t frames = 0;
    CHECK(store_rec_read(st, id, &pcm, &frames, NULL) == 0 && frames == CHUNKS * RATE);
    int silent = 1;
    for (size_t i = 0; pcm && i < frames; i++)
        silent &= pcm[i] == 0;
    CHECK(silent);
    free(pcm);
    char want[128];
    snprintf(want, sizeof want, "recording %llu, chunk 9 (9.0 s to 10.0 s): the audio is damaged",
             (unsigned long long)id);
    CHECK_MSG(st_log_has(want) && st_log_has("plays as silence"), "%s", st_log_);

    /* Export: a complete file, silent where the audio was damaged. */
    char wav[4200];
    snprintf(wav, sizeof wav, "%s/out.wav", dir);
    CHECK(store_rec_export(st, id, wav) == 0);
    SF_INFO info = {0};
    SNDFILE *sf = sf_open(wav, SFM_READ, &info);
    CHECK(sf && info.frames == CHUNKS * RATE);
    if (sf)
        sf_close(sf);
    store_close(st);

    CHECK(viva_check(dir, out, sizeof out) == STORE_EXIT_CORRUPT);
    CHECK_MSG(strstr(out, "problems; the first: recording") && strstr(out, "chunk 0"), "%s",
              out);
out:
    st_rmtmp(dir);
}

/* One damaged chunk among intact ones: only its second is silent. */
static void test_one_chunk(void)
{
    char *dir = st_mktmp("crc1");
    uint32_t profile = 0;
    uint64_t id = write_recording(dir, &profile);
    /* Damage chunk 3 only: rot() finds each pattern; flip just the fourth. */
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", dir);
    FILE *f = fopen(path, "r+b");
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(&sb, buf, n);
    unsigned char pat[64];
    for (int i = 0; i < 64; i += 2)
        pat[i] = 0x41 + 3, pat[i + 1] = 0x5a;
    const char *at = find(&sb, pat, sizeof pat);
    CHECK(at != NULL);
    if (f && at) {
        unsigned char z[8] = {0};
        fseek(f, (long)(at - sb.s) + 5000, SEEK_SET);
        CHECK(fwrite(z, 1, sizeof z, f) == sizeof z);
    }
    if (f)
        fclose(f);
    sb_free(&sb);
    store *st = st_open_ok(dir);
    int16_t *pcm = NULL;
    size_t frames = 0;
    CHECK(st && store_rec_read(st, id, &pcm, &frames, NULL) == 0 && frames == CHUNKS * RATE);
    int ok = 1;
    for (size_t i = 0; pcm && i < frames; i++)
        ok &= pcm[i] == (i / RATE == 3 ? 0 : sample_of((int)(i / RATE)));
    CHECK(ok);
    free(pcm);
    store_check_report rep;
    CHECK(st && store_check(st, &rep) == 0 && rep.damaged_chunks == 1 && rep.problems == 1);
    store_close(st);
    st_rmtmp(dir);
}

int main(void)
{
    char *cfg = st_mktmp("crccfg");
    setenv("XDG_CONFIG_HOME", cfg, 1);
    st_log_start();
    RUN(test_rot_is_found);
    RUN(test_one_chunk);
    st_rmtmp(cfg);
    return check_summary("store_crc");
}
