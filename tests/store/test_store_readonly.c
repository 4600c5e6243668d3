/* test_store_readonly.c: a store on read-only media. The store is written, then seen through a
 * read-only bind mount (in a private mount namespace, so nothing outside the test sees it; root
 * ignores file permissions, so chmod could not make it read-only). Opening it for writing
 * fails with a message about read-only media, not chown/chmod; `viva profiles` lists it,
 * `viva store check` and export read it; `viva profiles add` is refused with the same cause.
 * Needs root (CAP_SYS_ADMIN) for the mount: skipped with the reason otherwise. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>

#include "cli.h"
#include "check.h"
#include "st_util.h"

static char *cfg;

/* Runs viva with stdout and stderr in `out`; returns the exit code. */
static int viva5(const char *dir, const char *a1, const char *a2, const char *a3,
                 const char *a4, const char *a5, char *out, size_t outlen)
{
    char *argv[10] = {"viva", "--data-dir", (char *)dir};
    int argc = 3;
    const char *more[] = {a1, a2, a3, a4, a5};
    for (int i = 0; i < 5 && more[i]; i++)
        argv[argc++] = (char *)more[i];
    char path[4200];
    snprintf(path, sizeof path, "%s/out.txt", cfg);
    fflush(NULL);
    int o = dup(1), e = dup(2), fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    int rc = app_main(argc, argv);
    fflush(NULL);
    dup2(o, 1);
    dup2(e, 2);
    close(o);
    close(e);
    ssize_t n = pread(fd, out, outlen - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    return rc;
}

static int viva_out(const char *dir, const char *a1, const char *a2, const char *a3, char *out,
                    size_t outlen)
{
    return viva5(dir, a1, a2, a3, NULL, NULL, out, outlen);
}

static void test_read_only_media(void)
{
    if (geteuid() != 0)
        SKIP("needs root for a read-only bind mount (root ignores chmod, so nothing else makes "
             "a directory read-only for it)");
    if (unshare(CLONE_NEWNS) != 0)
        SKIP("cannot make a private mount namespace: %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        SKIP("cannot make the mounts private: %s", strerror(errno));
    char *dir = st_mktmp("rw"), *ro = st_mktmp("ro");
    store *st = st_open_ok(dir);
    uint32_t p = 0;
    CHECK(st && store_profile_add(st, "Ann", 1, &p) == 0);
    store_response r = st_resp(p, "q-1", 5, 2);
    CHECK(st && store_response_put(st, &r) == 0);
    store_close(st);
    if (mount(dir, ro, NULL, MS_BIND, NULL) != 0) {
        st_rmtmp(dir);
        st_rmtmp(ro);
        SKIP("bind mount refused: %s", strerror(errno));
    }
    if (mount(NULL, ro, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0) {
        umount2(ro, MNT_DETACH);
        st_rmtmp(dir);
        st_rmtmp(ro);
        SKIP("read-only remount refused: %s", strerror(errno));
    }

    /* Opening for writing: the cause, not chown/chmod. */
    char err[1024];
    st = NULL;
    CHECK(store_open(ro, 0, &st, err, sizeof err) == VIVA_EPERM && !st);
    CHECK_MSG(strstr(err, "read-only media") && !strstr(err, "chown"), "%s", err);
    store_close(st);

    char out[8192];
    CHECK_MSG(viva_out(ro, "profiles", NULL, NULL, out, sizeof out) == EXIT_OK, "%s", out);
    CHECK_MSG(strstr(out, "Ann") && strstr(out, "1 answers"), "%s", out);
    CHECK_MSG(viva_out(ro, "profiles", "list", NULL, out, sizeof out) == EXIT_OK, "%s", out);
    CHECK_MSG(viva_out(ro, "store", "check", NULL, out, sizeof out) == EXIT_OK &&
              strstr(out, "consistent"), "%s", out);
    char exp[4200];
    snprintf(exp, sizeof exp, "%s/export", cfg);
    CHECK_MSG(viva5(ro, "export", "--profile", "Ann", "--out", exp, out, sizeof out) == EXIT_OK,
              "%s", out);
    CHECK(viva_out(ro, "profiles", "add", "Bo", out, sizeof out) == STORE_EXIT_PERM);
    CHECK_MSG(strstr(out, "read-only media") && !strstr(out, "chown"), "%s", out);
    CHECK(viva_out(ro, "store", "check", "--repair", out, sizeof out) == STORE_EXIT_PERM);
    CHECK_MSG(strstr(out, "read-only media"), "%s", out);

    CHECK(umount2(ro, MNT_DETACH) == 0);
    st_rmtmp(dir);
    st_rmtmp(ro);
}

int main(void)
{
    cfg = st_mktmp("rocfg");
    setenv("XDG_CONFIG_HOME", cfg, 1);
    st_log_start();
    RUN(test_read_only_media);
    st_rmtmp(cfg);
    return check_summary("store_readonly");
}
