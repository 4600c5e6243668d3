/* test_file.c: file.h on real files in the test's working directory: contents and the NUL
 * after them, the empty file, the limit (exactly at it, one byte over, before reading a large
 * file), a missing file, a directory, an unreadable file (skipped as root, visibly), and the
 * stream variant on a pipe and on a stream whose reads fail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "file.h"

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

static void test_contents(void)
{
    write_file("t_file_a.txt", "hello\0world", 11);
    char *s = NULL;
    size_t n = 0;
    CHECK(file_read("t_file_a.txt", 100, &s, &n) == 0);
    CHECK(s && n == 11 && memcmp(s, "hello\0world", 11) == 0 && s[11] == 0);
    free(s);

    write_file("t_file_empty.txt", "", 0);
    s = NULL;
    CHECK(file_read("t_file_empty.txt", 100, &s, &n) == 0);
    CHECK(s && n == 0 && s[0] == 0);
    free(s);
}

static void test_limit(void)
{
    write_file("t_file_ten.txt", "0123456789", 10);
    char *s = NULL;
    size_t n = 7;
    CHECK(file_read("t_file_ten.txt", 10, &s, &n) == 0 && n == 10);
    free(s);
    s = NULL;
    n = 7;
    CHECK(file_read("t_file_ten.txt", 9, &s, &n) == EFBIG);
    CHECK(s == NULL && n == 7); /* left alone on error */
    CHECK(file_read("t_file_ten.txt", 0, &s, &n) == EFBIG);

    /* Larger than one read chunk: the limit also holds across chunks of a stream. */
    size_t big = 200000;
    char *data = malloc(big);
    memset(data, 'x', big);
    write_file("t_file_big.txt", data, big);
    free(data);
    CHECK(file_read("t_file_big.txt", big, &s, &n) == 0 && n == big && s[big] == 0);
    free(s);
    FILE *f = fopen("t_file_big.txt", "rb");
    s = NULL;
    CHECK(f && file_read_stream(f, big - 1, &s, &n) == EFBIG && s == NULL);
    if (f)
        fclose(f);
}

static void test_errors(void)
{
    char *s = NULL;
    size_t n = 0;
    CHECK(file_read("t_file_does_not_exist.txt", 100, &s, &n) == ENOENT);
    mkdir("t_file_dir", 0755);
    CHECK(file_read("t_file_dir", 100, &s, &n) == EISDIR);
    /* A stream whose reads fail (a directory opened with fopen): an errno value, no buffer. */
    FILE *f = fopen("t_file_dir", "rb");
    if (f) {
        int rc = file_read_stream(f, 100, &s, &n);
        CHECK_MSG(rc == EISDIR || rc == EIO, "rc %d", rc);
        fclose(f);
    }
    CHECK(s == NULL);
    if (geteuid() == 0) {
        fprintf(stderr, "skip part: running as root, permissions do not stop reads\n");
        return;
    }
    write_file("t_file_secret.txt", "x", 1);
    chmod("t_file_secret.txt", 0);
    CHECK(file_read("t_file_secret.txt", 100, &s, &n) == EACCES);
}

static void test_pipe(void)
{
    FILE *p = popen("printf 'one\\ntwo\\n'", "r");
    CHECK(p != NULL);
    if (!p)
        return;
    char *s = NULL;
    size_t n = 0;
    CHECK(file_read_stream(p, 1000, &s, &n) == 0);
    CHECK(s && n == 8 && !strcmp(s, "one\ntwo\n"));
    free(s);
    pclose(p);
}

int main(void)
{
    RUN(test_contents);
    RUN(test_limit);
    RUN(test_errors);
    RUN(test_pipe);
    return check_summary("file");
}
