/*
 * VerifiableSourceConnector and VerifiableSinkConnector: Apache Kafka's system-test connectors
 * (org.apache.kafka.connect.tools, the connect-test-plugins jar of 4.3.1), with Java's class names,
 * configs, task configs and stdout lines, so one connector config runs on a Java worker and on
 * kconnect and a test can count records end to end by reading the workers' standard output.
 *
 * Connectors: no config keys of their own (Java's config() is an empty ConfigDef); task_configs
 * gives tasks.max copies of the connector config, each with "id" = "0", "1", ...
 * Source task (config name, id, topic, throughput, complete.record.data): one record per poll, key
 * INT32 <id>, value INT64 <seqno> (or, with complete.record.data=true, a struct name/task/topic/
 * time_ms/seqno), source partition {"id": <id>}, source offset {"seqno": <seqno>}; it resumes at
 * the committed seqno + 1. throughput (records/s) throttles like Java's ThroughputThrottler: < 0
 * never, 0 blocks until stopped. Every poll prints a line, every acknowledged record a "committed"
 * line. Sink task (config name, id): prints a line per record put, and a "flushed" line per record
 * when the offsets of its topic partition are flushed.
 * Lines are what Jackson's ObjectMapper writes for Java's HashMap, in HashMap iteration order:
 *   source poll:   {"task":1,"seqno":42,"time_ms":1700000000123,"name":"src","topic":"t"}
 *   source commit: {"committed":true,"task":1,"seqno":42,"time_ms":...,"name":"src","topic":"t"}
 *   sink put:      {"task":1,"seqno":42,"offset":7,"time_ms":...,"name":"snk","topic":"t","sinkTask":0}
 *   sink flush:    the put line with the flush time and ,"flushed":true before the closing brace
 * A value Jackson cannot write (a Struct, a null map key) makes the whole line
 * "Bad data can't be written as json: <Jackson's message>", as in Java.
 *
 * Threads: connector and task functions as connector.h says. Lines go to standard output (or the
 * FILE a test installed) each with one fwrite and an fflush under one process-wide mutex, so lines
 * from all task threads stay whole. The hooks below are set by tests before any task starts.
 * Memory: as connector.h says for every connector (task configs and polled records are handed to
 * the worker); the JSON helpers return malloc'd strings the caller frees.
 */
#ifndef KC_CONNECTORS_VERIFIABLE_H
#define KC_CONNECTORS_VERIFIABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "connect/api/connector.h"

extern const kc_connector_plugin kc_verifiable_source_connector;
extern const kc_connector_plugin kc_verifiable_sink_connector;

/* Registers both with the plugin registry. */
int kc_verifiable_connectors_register(kc_error *err);

/* ---- test hooks (verifiable.c) ---------------------------------------------------------------- */

typedef int (*kc_verifiable_offset_fn)(kc_source_task_context *ctx, const kc_value *partition, kc_value **offset,
                                       kc_error *err);
typedef struct kc_verifiable_hooks {
    FILE *out;                        /* NULL: stdout */
    int64_t (*now_ms)(void);          /* NULL: the wall clock (System.currentTimeMillis) */
    kc_verifiable_offset_fn offset;   /* NULL: kc_source_task_context_offset */
} kc_verifiable_hooks;

/* Installs hooks (copied; NULL restores the defaults). Tests only, while no task runs. */
void kc_verifiable_set_hooks(const kc_verifiable_hooks *hooks);

/* ---- shared by the two connectors (verifiable.c) ---------------------------------------------- */

/* The connector half, the same for both (Java's two connector classes are identical): keeps a copy
 * of the config; task_configs returns max_tasks copies with "id" set to "0", "1", ... */
void *kc_verifiable_connector_create(void);
int kc_verifiable_connector_start(void *self, kc_connector_context *ctx, const kc_props *config, kc_error *err);
int kc_verifiable_connector_task_configs(void *self, int max_tasks, kc_task_configs *out, kc_error *err);
void kc_verifiable_connector_stop(void *self);
void kc_verifiable_connector_destroy(void *self);

/* Current time in epoch ms (the clock hook). */
int64_t kc_verifiable_now_ms(void);
/* The committed offset of partition (the offset hook); as kc_source_task_context_offset. */
int kc_verifiable_read_offset(kc_source_task_context *ctx, const kc_value *partition, kc_value **offset,
                              kc_error *err);
/* Writes len bytes of line plus "\n" as one fwrite under the output mutex, then flushes. Write
 * errors are ignored, as Java's System.out ignores them. */
void kc_verifiable_print_line(const char *line, size_t len);

/* Integer.parseInt / Long.parseLong (radix 10, optional sign, no spaces). 0, or -1 with
 * err = Java's NumberFormatException message ("For input string: \"x\"", "Cannot parse null
 * string: null"). */
int kc_verifiable_parse_int(const char *s, int32_t *out, kc_error *err);
int kc_verifiable_parse_long(const char *s, int64_t *out, kc_error *err);

/* A line being built the way Jackson writes a Map<String, Object>: keys and values in the order
 * given (the caller puts them in HashMap order). Out of memory and Jackson's serialization
 * failures are sticky: the first one wins and later calls do nothing. */
typedef struct kc_verifiable_json {
    char *buf;
    size_t len, cap;
    bool oom;
    char *bad;        /* Jackson's exception message (malloc'd) once a value could not be written */
    const char *key;  /* the member being written (for the reference chain of a failure) */
    size_t key_len;
    int members;
} kc_verifiable_json;

void kc_verifiable_json_init(kc_verifiable_json *j);
void kc_verifiable_json_free(kc_verifiable_json *j);
/* Members of the top-level object (begin is implicit). */
void kc_verifiable_json_key(kc_verifiable_json *j, const char *key);
void kc_verifiable_json_int64(kc_verifiable_json *j, int64_t v);
void kc_verifiable_json_bool(kc_verifiable_json *j, bool v);
void kc_verifiable_json_string(kc_verifiable_json *j, const char *s); /* NULL writes null */
/* Pre-written JSON (a fragment from kc_verifiable_json_value_new) written as it is. */
void kc_verifiable_json_raw(kc_verifiable_json *j, const char *json, size_t len);
/* Any Connect value as Jackson writes the Java object it stands for: integers and Date as
 * numbers, Float/Double as Java prints them ("NaN" and infinities quoted), BigDecimal.toString,
 * bytes as Base64, lists, maps (keys as Jackson's key serializers print them), and a Struct as
 * Jackson's "No serializer found" failure. Containers are named java.util.ArrayList / HashMap in
 * the reference chain (what JsonConverter builds). */
void kc_verifiable_json_value(kc_verifiable_json *j, const kc_value *v);
/* Closes the object and hands the line over (malloc'd, NUL-terminated, *len without the NUL):
 * the JSON, or "Bad data can't be written as json: <message>" after a failure. NULL when out of
 * memory. Leaves j empty (free it or init it again). */
char *kc_verifiable_json_take(kc_verifiable_json *j, size_t *len);

/* The JSON of v alone as member key of the top-level map would hold it: a new string (*len its
 * length), or NULL with *bad set to Jackson's message (malloc'd) or, both NULL, out of memory. */
char *kc_verifiable_json_value_new(const char *key, const kc_value *v, size_t *len, char **bad);

/* ---- ThroughputThrottler (verifiable_source.c) ------------------------------------------------- */

typedef struct kc_verifiable_throttler {
    double target;              /* records per second; < 0 no throttling, 0 wait until woken */
    int64_t start_ms;
    int64_t sleep_time_ns;      /* per record when target > 0, else INT64_MAX */
    int64_t sleep_deficit_ns;
} kc_verifiable_throttler;

#define KC_VERIFIABLE_MIN_SLEEP_NS 2000000LL

void kc_verifiable_throttler_init(kc_verifiable_throttler *t, double target, int64_t start_ms);
/* shouldThrottle: true when amount_so_far records since start_ms exceed target/s at send_start_ms
 * (Java's float arithmetic for the elapsed seconds). */
bool kc_verifiable_throttler_should_throttle(const kc_verifiable_throttler *t, int64_t amount_so_far,
                                             int64_t send_start_ms);
/* The sleep half of throttle(): adds one record's sleep time to the deficit and returns how many
 * ns to sleep now (then the deficit is cleared), 0 while the deficit is below
 * KC_VERIFIABLE_MIN_SLEEP_NS, or -1 when target is 0 (sleep until woken). */
int64_t kc_verifiable_throttler_charge(kc_verifiable_throttler *t);

#endif
