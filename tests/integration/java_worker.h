/*
 * Java Kafka Connect next to kconnect in the integration tests: start a Java distributed worker from
 * the test bed's jars (KC_KAFKA_LIB; the connect-test-plugins jar brings the Verifiable connectors),
 * and read a compacted internal topic record by record (to compare the bytes each side wrote).
 * Threads: the test's main thread only.
 */
#ifndef KC_IT_JAVA_WORKER_H
#define KC_IT_JAVA_WORKER_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kc_test.h"
#include "storage/kafka_log.h"

/* Starts `java ... ConnectDistributed props` with stdout/stderr to log; INFO logging on stderr.
 * Returns the pid (or -1). */
static inline int jw_start(const char *dir, const char *props, const char *log)
{
    char log4j[1200], cp[1200], log4j_opt[1300];
    snprintf(log4j, sizeof log4j, "%s/java-log4j2.properties", dir);
    FILE *f = fopen(log4j, "w");
    if (!f)
        return -1;
    fputs("status = warn\nappender.e.type = Console\nappender.e.name = E\nappender.e.target = SYSTEM_ERR\n"
          "appender.e.layout.type = PatternLayout\nappender.e.layout.pattern = [%d] %p %m (%c)%n\n"
          "rootLogger.level = info\nrootLogger.appenderRef.e.ref = E\nlogger.k.name = org.apache.kafka.clients\n"
          "logger.k.level = warn\n", f);
    fclose(f);
    snprintf(cp, sizeof cp, "%s/*", kc_testbed_require("KC_KAFKA_LIB"));
    snprintf(log4j_opt, sizeof log4j_opt, "-Dlog4j2.configurationFile=%s", log4j);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execlp("java", "java", "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
               "-Djava.awt.headless=true", log4j_opt, "-cp", cp, "org.apache.kafka.connect.cli.ConnectDistributed",
               props, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits until `GET /connectors` on port answers 200 (Java answers only once the herder started). */
static inline int jw_wait_ready(int port, int timeout_ms)
{
    long until = kc_test_now_ms() + timeout_ms;
    kc_http_reply r = {0};
    while (kc_test_now_ms() < until) {
        if (kc_http_json(port, "GET", "/connectors", NULL, &r) == 0 && r.status == 200) {
            kc_http_reply_free(&r);
            return 0;
        }
        usleep(300 * 1000);
    }
    kc_http_reply_free(&r);
    return -1;
}

/* ---- reading an internal topic -------------------------------------------------------------------- */

typedef struct jw_record {
    char *key;
    char *value;        /* NULL: tombstone */
    size_t value_len;
    int32_t partition;
    int64_t offset;
} jw_record;

typedef struct jw_records {
    jw_record *items;
    size_t count;
} jw_records;

static inline void jw_collect(void *opaque, const kc_kafka_log_record *r)
{
    jw_records *rs = opaque;
    jw_record *grown = realloc(rs->items, (rs->count + 1) * sizeof *grown);
    if (!grown)
        return;
    rs->items = grown;
    jw_record *x = &rs->items[rs->count++];
    memset(x, 0, sizeof *x);
    x->key = r->key ? strndup(r->key, r->key_len) : NULL;
    if (r->value) {
        x->value = malloc(r->value_len + 1);
        memcpy(x->value, r->value, r->value_len);
        x->value[r->value_len] = '\0';
        x->value_len = r->value_len;
    }
    x->partition = r->partition;
    x->offset = r->offset;
}

static inline void jw_records_free(jw_records *rs)
{
    for (size_t i = 0; i < rs->count; i++) {
        free(rs->items[i].key);
        free(rs->items[i].value);
    }
    free(rs->items);
    memset(rs, 0, sizeof *rs);
}

/* Reads topic on cluster A (PLAINTEXT) from the beginning to its end. */
static inline int jw_read_topic(const char *topic, jw_records *out)
{
    memset(out, 0, sizeof *out);
    kc_props *p = kc_props_new();
    kc_props_set(p, "bootstrap.servers", kc_testbed_require("KC_A_PLAINTEXT"));
    kc_error err;
    kc_kafka_log *log = kc_kafka_log_new(topic, NULL, p, NULL, NULL, jw_collect, out, &err);
    kc_props_free(p);
    if (!log)
        return -1;
    int rc = kc_kafka_log_start(log, 30000, &err);
    if (rc != 0)
        fprintf(stderr, "reading %s: %s\n", topic, err.msg);
    kc_kafka_log_free(log);
    return rc;
}

/* The last record of key in rs (NULL when none). */
static inline const jw_record *jw_last(const jw_records *rs, const char *key)
{
    for (size_t i = rs->count; i-- > 0;)
        if (rs->items[i].key && strcmp(rs->items[i].key, key) == 0)
            return &rs->items[i];
    return NULL;
}

#endif
