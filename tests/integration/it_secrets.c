/*
 * it_secrets: the last integration test of a run. After the whole suite, no log file under the test
 * bed's state directory (kconnect's, Java Connect's and MirrorMaker's logs written by the tests, the
 * brokers' logs) and no REST answer the tests received (every kc_http answer is appended to
 * rest-responses.log) contains a test password: the test bed's SCRAM/PLAIN passwords, which the
 * tests hand to workers, connectors, replication tasks and config providers.
 * Broker data directories ("data": log segments hold the records, and the config topics of the
 * Java interoperability tests hold configs as Java writes them) and the jar cache are not logs.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "standalone_env.h"

typedef struct scan {
    const char *secrets[4];
    size_t nsecrets;
    long files, bytes, hits;
} scan;

static bool is_log(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && strcmp(name + n - 4, ".log") == 0) || (n > 4 && strcmp(name + n - 4, ".out") == 0);
}

static void scan_file(scan *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    s->files++;
    /* line by line is enough: a password never spans lines */
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        s->bytes += len;
        for (size_t i = 0; i < s->nsecrets; i++)
            if (memmem(line, (size_t)len, s->secrets[i], strlen(s->secrets[i]))) {
                s->hits++;
                printf("\n    %s:%ld holds a test password", path, lineno);
            }
    }
    free(line);
    fclose(f);
}

static void walk(scan *s, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 12) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, "data") ||
            !strcmp(e->d_name, "cache"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            walk(s, path, depth + 1);
        else if (S_ISREG(st.st_mode) && is_log(e->d_name))
            scan_file(s, path);
    }
    closedir(d);
}

static void test_no_password_in_logs_or_answers(void)
{
    scan s = {.nsecrets = 0};
    s.secrets[s.nsecrets++] = kc_testbed_require("KC_ADMIN_PASSWORD");
    s.secrets[s.nsecrets++] = kc_testbed_require("KC_USER_PASSWORD");
    const char *bed = kc_testbed_require("KC_TESTBED_DIR");
    char answers[1200];
    snprintf(answers, sizeof answers, "%s/rest-responses.log", bed);
    struct stat st;
    long recorded = stat(answers, &st) == 0 ? (long)st.st_size : -1;
    walk(&s, bed, 0);
    printf("\n    searched %ld log files (%ld bytes, of which %ld bytes of REST answers) for %zu test passwords: "
           "%ld hits",
           s.files, s.bytes, recorded, s.nsecrets, s.hits);
    CU_ASSERT(s.files > 0);
    CU_ASSERT(recorded > 0); /* the suite's REST answers were recorded and searched */
    CU_ASSERT_EQUAL(s.hits, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"no log file and no REST answer of the suite holds a test password", test_no_password_in_logs_or_answers},
        {NULL, NULL},
    };
    return kc_test_run("it_secrets", cases);
}
