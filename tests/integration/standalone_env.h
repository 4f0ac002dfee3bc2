/* Helpers shared by the standalone integration tests: worker files for the test bed's cluster A. */
#ifndef KC_IT_STANDALONE_ENV_H
#define KC_IT_STANDALONE_ENV_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kc_test.h"

/* Writes a worker.properties for cluster A into dir. security: "PLAINTEXT" or "SASL_SSL-SCRAM".
 * The client settings are written three times (worker, producer., consumer.), as Java needs. */
static inline void it_write_worker(const char *dir, int port, const char *security, int flush_ms, const char *extra)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/worker.properties", dir);
    FILE *f = fopen(path, "w");
    bool scram = strcmp(security, "SASL_SSL-SCRAM") == 0;
    fprintf(f, "bootstrap.servers=%s\n", kc_testbed_require(scram ? "KC_A_SASL_SSL" : "KC_A_PLAINTEXT"));
    fprintf(f, "key.converter=org.apache.kafka.connect.storage.StringConverter\n"
               "value.converter=org.apache.kafka.connect.storage.StringConverter\n"
               "offset.storage.file.filename=%s/offsets.dat\noffset.flush.interval.ms=%d\n"
               "listeners=http://127.0.0.1:%d\n", dir, flush_ms, port);
    if (scram) {
        const char *prefixes[] = {"", "producer.", "consumer.", "admin."};
        for (int i = 0; i < 4; i++)
            fprintf(f, "%ssecurity.protocol=SASL_SSL\n%ssasl.mechanism=SCRAM-SHA-512\n"
                       "%ssasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                       "username=\"%s\" password=\"%s\";\n%sssl.truststore.type=PEM\n%sssl.truststore.location=%s\n",
                    prefixes[i], prefixes[i], prefixes[i], kc_testbed_require("KC_ADMIN_USER"),
                    kc_testbed_require("KC_ADMIN_PASSWORD"), prefixes[i], prefixes[i], kc_testbed_require("KC_CA_FILE"));
    }
    if (extra)
        fputs(extra, f);
    fclose(f);
}

/* A fresh directory under the test bed's state folder. */
static inline void it_make_dir(char *out, size_t len, const char *name)
{
    const char *base = kc_testbed("KC_TESTBED_DIR");
    snprintf(out, len, "%s/%s-%ld", base ? base : "/tmp", name, (long)getpid());
    mkdir(out, 0755);
}

/* Counts the lines of a file (0 when it does not exist). */
static inline long it_count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    long n = 0;
    int c;
    while ((c = getc(f)) != EOF)
        if (c == '\n')
            n++;
    fclose(f);
    return n;
}

#endif
