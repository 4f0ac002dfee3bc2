/*
 * VerifiableSourceConnector / VerifiableSinkConnector: task configs, the records of the source
 * task and its resume point, ThroughputThrottler's arithmetic, and the stdout lines byte for byte
 * (expected lines were printed by Kafka 4.3.1's classes with Jackson 2.21 on Java 17).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connectors/verifiable/verifiable.h"
#include "kc_test.h"

/* ---- hooks: captured output, a settable clock, a scripted offset store ------------------------ */

static FILE *out;
static int64_t clock_ms;
static int64_t fake_now(void) { return clock_ms; }

static kc_value *committed;          /* what the fake store answers (borrowed) */
static int offset_calls;
static int32_t asked_id = -1;
static kc_value_type asked_id_type;

static int fake_offset(kc_source_task_context *ctx, const kc_value *partition, kc_value **offset, kc_error *err)
{
    (void)ctx;
    (void)err;
    offset_calls++;
    const kc_value *id = kc_value_map_get_str(partition, "id");
    asked_id_type = kc_value_get_type(id);
    asked_id = kc_value_get_int32(id);
    CU_ASSERT_EQUAL(kc_value_map_size(partition), 1);
    *offset = committed ? kc_value_copy(committed) : NULL;
    return 0;
}

static void hooks_on(void)
{
    out = tmpfile();
    CU_ASSERT_FATAL(out != NULL);
    clock_ms = 1700000000123LL;
    offset_calls = 0;
    asked_id = -1;
    kc_verifiable_hooks h = {.out = out, .now_ms = fake_now, .offset = fake_offset};
    kc_verifiable_set_hooks(&h);
}

static void hooks_off(void)
{
    kc_verifiable_set_hooks(NULL);
    fclose(out);
    out = NULL;
}

/* Everything printed since the last call (a static buffer), then the capture starts over. */
static const char *captured(void)
{
    static char buf[1 << 16];
    fflush(out);
    rewind(out);
    size_t n = fread(buf, 1, sizeof buf - 1, out);
    buf[n] = '\0';
    CU_ASSERT(ftruncate(fileno(out), 0) == 0);
    rewind(out);
    return buf;
}

static kc_props *props(const char *const *kv)
{
    kc_props *p = kc_props_new();
    for (size_t i = 0; kv[i]; i += 2)
        kc_props_set(p, kv[i], kv[i + 1]);
    return p;
}

/* ---- connectors -------------------------------------------------------------------------------- */

static void test_plugins_and_aliases(void)
{
    CU_ASSERT_STRING_EQUAL(kc_verifiable_source_connector.class_name,
                           "org.apache.kafka.connect.tools.VerifiableSourceConnector");
    CU_ASSERT_EQUAL(kc_verifiable_source_connector.kind, KC_PLUGIN_SOURCE);
    CU_ASSERT_STRING_EQUAL(kc_verifiable_sink_connector.class_name,
                           "org.apache.kafka.connect.tools.VerifiableSinkConnector");
    CU_ASSERT_EQUAL(kc_verifiable_sink_connector.kind, KC_PLUGIN_SINK);
    /* Java's config() is an empty ConfigDef, and an empty table makes a valid definition */
    CU_ASSERT_EQUAL(kc_verifiable_source_connector.config_count, 0);
    CU_ASSERT_EQUAL(kc_verifiable_sink_connector.config_count, 0);
    kc_error err;
    kc_config_table t = {kc_verifiable_source_connector.config, kc_verifiable_source_connector.config_count};
    kc_config_def *def = kc_config_def_new(&t, 1, NULL, &err);
    CU_ASSERT_FATAL(def != NULL);
    CU_ASSERT_EQUAL(kc_config_def_count(def), 0);
    kc_config_def_free(def);

    kc_plugins_reset();
    CU_ASSERT_EQUAL_FATAL(kc_verifiable_connectors_register(&err), 0);
    const char *source_names[] = {"org.apache.kafka.connect.tools.VerifiableSourceConnector",
                                  "VerifiableSourceConnector", "VerifiableSource"};
    const char *sink_names[] = {"org.apache.kafka.connect.tools.VerifiableSinkConnector", "VerifiableSinkConnector",
                                "VerifiableSink"};
    for (size_t i = 0; i < 3; i++) {
        const kc_plugin_desc *d = kc_plugins_find(KC_PLUGIN_SOURCE, source_names[i], &err);
        CU_ASSERT(d && d->vtable == &kc_verifiable_source_connector);
        d = kc_plugins_find(KC_PLUGIN_SINK, sink_names[i], &err);
        CU_ASSERT(d && d->vtable == &kc_verifiable_sink_connector);
    }
    CU_ASSERT(kc_plugins_find(KC_PLUGIN_SOURCE, "Verifiable", &err) == NULL);
    CU_ASSERT_EQUAL(kc_verifiable_connectors_register(&err), -1); /* twice */
    kc_plugins_reset();
}

static void check_task_configs(const kc_connector_plugin *plugin)
{
    static const char *const kv[] = {"name", "vc", "connector.class", "VerifiableSource", "tasks.max", "3",
                                     "topic", "verifiable", "throughput", "100", NULL};
    kc_props *config = props(kv);
    kc_error err;
    void *c = plugin->create();
    CU_ASSERT_FATAL(c != NULL);
    CU_ASSERT_EQUAL_FATAL(plugin->start(c, NULL, config, &err), 0);
    kc_props_free(config); /* the connector keeps its own copy */
    kc_task_configs tc = {0};
    CU_ASSERT_EQUAL_FATAL(plugin->task_configs(c, 3, &tc, &err), 0);
    CU_ASSERT_EQUAL_FATAL(tc.count, 3);
    for (size_t i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "%zu", i);
        CU_ASSERT_STRING_EQUAL(kc_props_get(tc.items[i], "id"), id);
        CU_ASSERT_STRING_EQUAL(kc_props_get(tc.items[i], "name"), "vc");
        CU_ASSERT_STRING_EQUAL(kc_props_get(tc.items[i], "topic"), "verifiable");
        CU_ASSERT_STRING_EQUAL(kc_props_get(tc.items[i], "throughput"), "100");
        CU_ASSERT_STRING_EQUAL(kc_props_get(tc.items[i], "tasks.max"), "3");
        CU_ASSERT_EQUAL(kc_props_count(tc.items[i]), 6);
    }
    kc_task_configs_clear(&tc);
    plugin->stop(c);
    plugin->destroy(c);
}

static void test_task_configs(void)
{
    check_task_configs(&kc_verifiable_source_connector);
    check_task_configs(&kc_verifiable_sink_connector);
}

/* ---- source task ------------------------------------------------------------------------------- */

static void *start_source(const char *const *kv, kc_error *err, int *rc)
{
    const kc_source_task_plugin *tp = kc_verifiable_source_connector.source_task;
    kc_props *config = props(kv);
    void *t = tp->create();
    CU_ASSERT_FATAL(t != NULL);
    /* the context pointer is only handed to the offset hook */
    *rc = tp->start(t, (kc_source_task_context *)&committed, config, err);
    kc_props_free(config);
    return t;
}

static void test_source_resumes_after_committed_seqno(void)
{
    hooks_on();
    committed = kc_value_map_new();
    kc_value_map_put_str_new(committed, "seqno", kc_value_int64(41));
    static const char *const kv[] = {"name", "vs", "id", "1", "topic", "t", "throughput", "-1", NULL};
    kc_error err;
    int rc;
    const kc_source_task_plugin *tp = kc_verifiable_source_connector.source_task;
    void *t = start_source(kv, &err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(offset_calls, 1);
    CU_ASSERT_EQUAL(asked_id, 1);
    CU_ASSERT_EQUAL(asked_id_type, KC_VALUE_INT32); /* Map.of("id", <Integer>) */

    kc_record_list batch = {0};
    CU_ASSERT_EQUAL_FATAL(tp->poll(t, &batch, &err), 0);
    CU_ASSERT_EQUAL_FATAL(batch.count, 1);
    kc_record *r = batch.items[0];
    CU_ASSERT_STRING_EQUAL(r->topic, "t");
    CU_ASSERT_EQUAL(r->kafka_partition, KC_NO_PARTITION);
    CU_ASSERT_EQUAL(r->timestamp, KC_NO_TIMESTAMP);
    CU_ASSERT(kc_schema_equals(r->key_schema, kc_schema_int32()));
    CU_ASSERT_EQUAL(kc_value_get_type(r->key), KC_VALUE_INT32);
    CU_ASSERT_EQUAL(kc_value_get_int32(r->key), 1);
    CU_ASSERT(kc_schema_equals(r->value_schema, kc_schema_int64()));
    CU_ASSERT_EQUAL(kc_value_get_type(r->value), KC_VALUE_INT64);
    CU_ASSERT_EQUAL(kc_value_get_int64(r->value), 42);
    CU_ASSERT_EQUAL(kc_value_map_size(r->source_partition), 1);
    CU_ASSERT_EQUAL(kc_value_get_type(kc_value_map_get_str(r->source_partition, "id")), KC_VALUE_INT32);
    CU_ASSERT_EQUAL(kc_value_get_int32(kc_value_map_get_str(r->source_partition, "id")), 1);
    CU_ASSERT_EQUAL(kc_value_map_size(r->source_offset), 1);
    CU_ASSERT_EQUAL(kc_value_get_type(kc_value_map_get_str(r->source_offset, "seqno")), KC_VALUE_INT64);
    CU_ASSERT_EQUAL(kc_value_get_int64(kc_value_map_get_str(r->source_offset, "seqno")), 42);
    CU_ASSERT_STRING_EQUAL(captured(), "{\"task\":1,\"seqno\":42,\"time_ms\":1700000000123,\"name\":\"vs\",\"topic\":\"t\"}\n");

    clock_ms += 5;
    CU_ASSERT_EQUAL_FATAL(tp->poll(t, &batch, &err), 0);
    CU_ASSERT_EQUAL_FATAL(batch.count, 2);
    CU_ASSERT_EQUAL(kc_value_get_int64(batch.items[1]->value), 43);
    CU_ASSERT_EQUAL(kc_value_get_int64(kc_value_map_get_str(batch.items[1]->source_offset, "seqno")), 43);
    CU_ASSERT_STRING_EQUAL(captured(), "{\"task\":1,\"seqno\":43,\"time_ms\":1700000000128,\"name\":\"vs\",\"topic\":\"t\"}\n");

    /* acknowledged (and, partition -1, filtered) records print a committed line each */
    clock_ms = 1700000000200LL;
    tp->commit_record(t, batch.items[0], 0, 17);
    tp->commit_record(t, batch.items[1], -1, -1);
    CU_ASSERT_STRING_EQUAL(captured(),
                           "{\"committed\":true,\"task\":1,\"seqno\":42,\"time_ms\":1700000000200,\"name\":\"vs\",\"topic\":\"t\"}\n"
                           "{\"committed\":true,\"task\":1,\"seqno\":43,\"time_ms\":1700000000200,\"name\":\"vs\",\"topic\":\"t\"}\n");
    kc_record_list_clear(&batch);
    tp->stop(t);
    tp->destroy(t);
    kc_value_free(committed);
    committed = NULL;
    hooks_off();
}

static void test_source_fresh_start_and_complete_records(void)
{
    hooks_on();
    committed = NULL;
    static const char *const kv[] = {"name", "vs \"q\"", "id", "0", "topic", "t2", "throughput", "1000",
                                     "complete.record.data", "TRUE", NULL};
    kc_error err;
    int rc;
    const kc_source_task_plugin *tp = kc_verifiable_source_connector.source_task;
    void *t = start_source(kv, &err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    kc_record_list batch = {0};
    CU_ASSERT_EQUAL_FATAL(tp->poll(t, &batch, &err), 0);
    CU_ASSERT_EQUAL_FATAL(batch.count, 1);
    kc_record *r = batch.items[0];
    CU_ASSERT_EQUAL(kc_value_get_int64(kc_value_map_get_str(r->source_offset, "seqno")), 0);
    CU_ASSERT_EQUAL(kc_value_get_int32(r->key), 0);
    CU_ASSERT_EQUAL_FATAL(kc_value_get_type(r->value), KC_VALUE_STRUCT);
    const char *fields[] = {"name", "task", "topic", "time_ms", "seqno"};
    CU_ASSERT_EQUAL_FATAL(kc_schema_field_count(r->value_schema), 5);
    for (size_t i = 0; i < 5; i++)
        CU_ASSERT_STRING_EQUAL(kc_field_name(kc_schema_field_at(r->value_schema, i)), fields[i]);
    CU_ASSERT_STRING_EQUAL(kc_value_get_string(kc_value_struct_get(r->value, "name", &err), NULL), "vs \"q\"");
    CU_ASSERT_EQUAL(kc_value_get_int32(kc_value_struct_get(r->value, "task", &err)), 0);
    CU_ASSERT_STRING_EQUAL(kc_value_get_string(kc_value_struct_get(r->value, "topic", &err), NULL), "t2");
    CU_ASSERT_EQUAL(kc_value_get_int64(kc_value_struct_get(r->value, "time_ms", &err)), 1700000000123LL);
    CU_ASSERT_EQUAL(kc_value_get_int64(kc_value_struct_get(r->value, "seqno", &err)), 0);
    CU_ASSERT_STRING_EQUAL(captured(),
                           "{\"task\":0,\"seqno\":0,\"time_ms\":1700000000123,\"name\":\"vs \\\"q\\\"\",\"topic\":\"t2\"}\n");
    /* Java's commitRecord hands the Struct to Jackson, which cannot write it */
    tp->commit_record(t, r, 0, 0);
    CU_ASSERT_STRING_EQUAL(captured(),
                           "Bad data can't be written as json: No serializer found for class "
                           "org.apache.kafka.connect.data.Struct and no properties discovered to create BeanSerializer "
                           "(to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS) (through reference "
                           "chain: java.util.HashMap[\"seqno\"])\n");
    kc_record_list_clear(&batch);
    tp->destroy(t);
    hooks_off();
}

static void test_source_bad_config(void)
{
    hooks_on();
    committed = NULL;
    kc_error err;
    int rc;
    const kc_source_task_plugin *tp = kc_verifiable_source_connector.source_task;
    static const char *const bad_id[] = {"name", "v", "id", "x1", "topic", "t", "throughput", "1", NULL};
    void *t = start_source(bad_id, &err, &rc);
    CU_ASSERT_EQUAL(rc, -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid VerifiableSourceTask configuration: For input string: \"x1\"");
    tp->destroy(t);
    static const char *const no_throughput[] = {"name", "v", "id", "0", "topic", "t", NULL};
    t = start_source(no_throughput, &err, &rc);
    CU_ASSERT_EQUAL(rc, -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid VerifiableSourceTask configuration: Cannot parse null string: null");
    tp->destroy(t);
    static const char *const big_id[] = {"name", "v", "id", "2147483648", "topic", "t", "throughput", "1", NULL};
    t = start_source(big_id, &err, &rc);
    CU_ASSERT_EQUAL(rc, -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid VerifiableSourceTask configuration: For input string: \"2147483648\"");
    tp->destroy(t);
    static const char *const no_topic[] = {"name", "v", "id", "0", "throughput", "1", NULL};
    t = start_source(no_topic, &err, &rc);
    CU_ASSERT_EQUAL(rc, -1);
    tp->destroy(t);
    committed = kc_value_map_new(); /* an offset without seqno */
    kc_value_map_put_str_new(committed, "other", kc_value_int64(1));
    static const char *const ok[] = {"name", "v", "id", "0", "topic", "t", "throughput", "1", NULL};
    t = start_source(ok, &err, &rc);
    CU_ASSERT_EQUAL(rc, -1);
    tp->destroy(t);
    kc_value_free(committed);
    committed = NULL;

    int32_t i32;
    int64_t i64;
    CU_ASSERT(kc_verifiable_parse_int("-2147483648", &i32, &err) == 0 && i32 == INT32_MIN);
    CU_ASSERT(kc_verifiable_parse_int("+7", &i32, &err) == 0 && i32 == 7);
    CU_ASSERT_EQUAL(kc_verifiable_parse_int("", &i32, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "For input string: \"\"");
    CU_ASSERT_EQUAL(kc_verifiable_parse_int("-", &i32, &err), -1);
    CU_ASSERT_EQUAL(kc_verifiable_parse_int(" 1", &i32, &err), -1);
    CU_ASSERT(kc_verifiable_parse_long("-9223372036854775808", &i64, &err) == 0 && i64 == INT64_MIN);
    CU_ASSERT(kc_verifiable_parse_long("9223372036854775807", &i64, &err) == 0 && i64 == INT64_MAX);
    CU_ASSERT_EQUAL(kc_verifiable_parse_long("9223372036854775808", &i64, &err), -1);
    CU_ASSERT_EQUAL(captured()[0], '\0'); /* nothing printed */
    hooks_off();
}

/* ---- throttling -------------------------------------------------------------------------------- */

static void test_throttler_math(void)
{
    kc_verifiable_throttler t;
    kc_verifiable_throttler_init(&t, -1, 1000);
    CU_ASSERT_FALSE(kc_verifiable_throttler_should_throttle(&t, 1000000, 1001));

    kc_verifiable_throttler_init(&t, 1000, 1000);
    CU_ASSERT_EQUAL(t.sleep_time_ns, 1000000);
    CU_ASSERT_FALSE(kc_verifiable_throttler_should_throttle(&t, 5, 1000));    /* no time elapsed yet */
    CU_ASSERT_FALSE(kc_verifiable_throttler_should_throttle(&t, 1000, 2000)); /* exactly on target */
    CU_ASSERT_TRUE(kc_verifiable_throttler_should_throttle(&t, 1001, 2000));
    CU_ASSERT_TRUE(kc_verifiable_throttler_should_throttle(&t, 2, 1001));     /* 2 in 1 ms */
    /* a 1 ms deficit is below the 2 ms minimum sleep: it accumulates */
    CU_ASSERT_EQUAL(kc_verifiable_throttler_charge(&t), 0);
    CU_ASSERT_EQUAL(t.sleep_deficit_ns, 1000000);
    CU_ASSERT_EQUAL(kc_verifiable_throttler_charge(&t), 2000000);
    CU_ASSERT_EQUAL(t.sleep_deficit_ns, 0);

    kc_verifiable_throttler_init(&t, 3, 0);
    CU_ASSERT_EQUAL(t.sleep_time_ns, 333333333);
    CU_ASSERT_EQUAL(kc_verifiable_throttler_charge(&t), 333333333);
    CU_ASSERT_FALSE(kc_verifiable_throttler_should_throttle(&t, 3, 1000));
    CU_ASSERT_TRUE(kc_verifiable_throttler_should_throttle(&t, 4, 1000));

    /* elapsed seconds are a Java float: 16777217 ms rounds to 16777216 ms */
    kc_verifiable_throttler_init(&t, 1000, 0);
    CU_ASSERT_TRUE(kc_verifiable_throttler_should_throttle(&t, 16777217, 16777217));

    kc_verifiable_throttler_init(&t, 0, 0); /* throughput 0: one record, then wait for stop */
    CU_ASSERT_EQUAL(t.sleep_time_ns, INT64_MAX);
    CU_ASSERT_FALSE(kc_verifiable_throttler_should_throttle(&t, 0, 10));
    CU_ASSERT_TRUE(kc_verifiable_throttler_should_throttle(&t, 1, 10));
    CU_ASSERT_EQUAL(kc_verifiable_throttler_charge(&t), -1);
}

static void *stop_later(void *task)
{
    usleep(50000);
    kc_verifiable_source_connector.source_task->stop(task);
    return NULL;
}

static void test_throughput_zero_waits_for_stop(void)
{
    hooks_on();
    committed = NULL;
    static const char *const kv[] = {"name", "vz", "id", "0", "topic", "t", "throughput", "0", NULL};
    kc_error err;
    int rc;
    const kc_source_task_plugin *tp = kc_verifiable_source_connector.source_task;
    void *t = start_source(kv, &err, &rc);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    kc_record_list batch = {0};
    CU_ASSERT_EQUAL(tp->poll(t, &batch, &err), 0);
    CU_ASSERT_EQUAL(batch.count, 1);
    clock_ms += 1000;
    pthread_t th;
    pthread_create(&th, NULL, stop_later, t);
    CU_ASSERT_EQUAL(tp->poll(t, &batch, &err), 0); /* held until stop */
    pthread_join(th, NULL);
    CU_ASSERT_EQUAL(batch.count, 1);
    CU_ASSERT_EQUAL(tp->poll(t, &batch, &err), 0); /* stopped: returns at once, nothing */
    CU_ASSERT_EQUAL(batch.count, 1);
    CU_ASSERT_STRING_EQUAL(captured(), "{\"task\":0,\"seqno\":0,\"time_ms\":1700000000123,\"name\":\"vz\",\"topic\":\"t\"}\n");
    kc_record_list_clear(&batch);
    tp->destroy(t);
    hooks_off();
}

/* ---- sink task --------------------------------------------------------------------------------- */

static kc_record *sink_record(const char *topic, int32_t partition, int64_t offset, kc_value *key, kc_value *value)
{
    kc_record *r = kc_record_new(topic);
    r->kafka_partition = partition;
    r->kafka_offset = offset;
    kc_record_set_key_new(r, NULL, key);
    kc_record_set_value_new(r, NULL, value);
    return r;
}

static void test_sink_lines_and_flush(void)
{
    hooks_on();
    clock_ms = 1000;
    const kc_sink_task_plugin *tp = kc_verifiable_sink_connector.sink_task;
    static const char *const kv[] = {"name", "vsink", "id", "2", "topics", "t,u", NULL};
    kc_props *config = props(kv);
    kc_error err;
    void *t = tp->create();
    CU_ASSERT_EQUAL_FATAL(tp->start(t, NULL, config, &err), 0);
    kc_props_free(config);
    kc_record *rs[4] = {
        sink_record("t", 0, 10, kc_value_int32(1), kc_value_int64(5)),
        sink_record("t", 1, 11, NULL, kc_value_string("a\"b\n")),
        sink_record("u", 0, 3, kc_value_int64(0), kc_value_int64(0)),
        sink_record("t", 0, 11, kc_value_int32(1), kc_value_int64(6)),
    };
    CU_ASSERT_EQUAL_FATAL(tp->put(t, rs, 4, &err), 0);
    CU_ASSERT_STRING_EQUAL(captured(),
        "{\"task\":1,\"seqno\":5,\"offset\":10,\"time_ms\":1000,\"name\":\"vsink\",\"topic\":\"t\",\"sinkTask\":2}\n"
        "{\"task\":null,\"seqno\":\"a\\\"b\\n\",\"offset\":11,\"time_ms\":1000,\"name\":\"vsink\",\"topic\":\"t\",\"sinkTask\":2}\n"
        "{\"task\":0,\"seqno\":0,\"offset\":3,\"time_ms\":1000,\"name\":\"vsink\",\"topic\":\"u\",\"sinkTask\":2}\n"
        "{\"task\":1,\"seqno\":6,\"offset\":11,\"time_ms\":1000,\"name\":\"vsink\",\"topic\":\"t\",\"sinkTask\":2}\n");

    /* flush prints the records of the flushed partitions (in the order of the offsets given), with
     * the flush time and "flushed":true, once */
    clock_ms = 2000;
    kc_partition_offset offs[] = {{"t", 1, 12}, {"t", 0, 12}, {"x", 0, 1}};
    CU_ASSERT_EQUAL(tp->flush(t, offs, 3, &err), 0);
    CU_ASSERT_STRING_EQUAL(captured(),
        "{\"task\":null,\"seqno\":\"a\\\"b\\n\",\"offset\":11,\"time_ms\":2000,\"name\":\"vsink\",\"topic\":\"t\",\"sinkTask\":2,\"flushed\":true}\n"
        "{\"task\":1,\"seqno\":5,\"offset\":10,\"time_ms\":2000,\"name\":\"vsink\",\"topic\":\"t\",\"sinkTask\":2,\"flushed\":true}\n"
        "{\"task\":1,\"seqno\":6,\"offset\":11,\"time_ms\":2000,\"name\":\"vsink\",\"topic\":\"t\",\"sinkTask\":2,\"flushed\":true}\n");
    CU_ASSERT_EQUAL(tp->flush(t, offs, 3, &err), 0);
    CU_ASSERT_STRING_EQUAL(captured(), "");

    /* a value Jackson cannot write: the put and the flush lines are its message */
    kc_value *st = NULL;
    const kc_schema *schema;
    {
        kc_schema_builder *b = kc_schema_builder_struct();
        kc_schema_builder_field(b, "f", kc_schema_int32());
        schema = kc_schema_builder_build(b, &err);
        st = kc_value_struct_new(schema, &err);
    }
    kc_record *bad = sink_record("u", 0, 4, kc_value_int32(0), st);
    CU_ASSERT_EQUAL(tp->put(t, &bad, 1, &err), 0);
    kc_partition_offset u0 = {"u", 0, 5};
    clock_ms = 3000;
    CU_ASSERT_EQUAL(tp->flush(t, &u0, 1, &err), 0);
    const char *bad_line = "Bad data can't be written as json: No serializer found for class "
                           "org.apache.kafka.connect.data.Struct and no properties discovered to create BeanSerializer "
                           "(to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS) (through reference "
                           "chain: java.util.HashMap[\"seqno\"])\n";
    char expect[4096];
    snprintf(expect, sizeof expect, "%s{\"task\":0,\"seqno\":0,\"offset\":3,\"time_ms\":3000,\"name\":\"vsink\","
                                    "\"topic\":\"u\",\"sinkTask\":2,\"flushed\":true}\n%s", bad_line, bad_line);
    CU_ASSERT_STRING_EQUAL(captured(), expect);
    kc_record_free(bad);
    kc_schema_unref(schema);
    for (size_t i = 0; i < 4; i++)
        kc_record_free(rs[i]);
    /* records never flushed are freed with the task */
    kc_record *left = sink_record("t", 0, 20, kc_value_int32(1), kc_value_int64(7));
    CU_ASSERT_EQUAL(tp->put(t, &left, 1, &err), 0);
    kc_record_free(left);
    tp->stop(t);
    tp->destroy(t);
    hooks_off();

    t = tp->create();
    static const char *const no_id[] = {"name", "vsink", NULL};
    config = props(no_id);
    CU_ASSERT_EQUAL(tp->start(t, NULL, config, &err), -1);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid VerifiableSourceTask configuration: Cannot parse null string: null");
    kc_props_free(config);
    tp->destroy(t);
}

/* ---- Jackson's rendering of any value ---------------------------------------------------------- */

static void expect_value(const char *key, kc_value *v, const char *json, const char *bad)
{
    size_t len = 0;
    char *why = NULL;
    char *got = kc_verifiable_json_value_new(key, v, &len, &why);
    if (json) {
        CU_ASSERT_PTR_NOT_NULL(got);
        if (got) {
            CU_ASSERT_STRING_EQUAL(got, json);
            CU_ASSERT_EQUAL(len, strlen(json));
        }
    } else {
        CU_ASSERT_PTR_NULL(got);
        CU_ASSERT_PTR_NOT_NULL(why);
        if (why)
            CU_ASSERT_STRING_EQUAL(why, bad);
    }
    free(got);
    free(why);
    kc_value_free(v);
}

#define STRUCT_MSG                                                                                             \
    "No serializer found for class org.apache.kafka.connect.data.Struct and no properties discovered to "     \
    "create BeanSerializer (to avoid exception, disable SerializationFeature.FAIL_ON_EMPTY_BEANS)"

static void test_jackson_values(void)
{
    kc_error err;
    expect_value("seqno", kc_value_string("\b\f\r\x01\x7f/\xc3\xa9\xf0\x9f\x98\x80\t\\"),
                 "\"\\b\\f\\r\\u0001\x7f/\xc3\xa9\xf0\x9f\x98\x80\\t\\\\\"", NULL);
    expect_value("seqno", kc_value_string_len("a\0b\x1f", 4), "\"a\\u0000b\\u001F\"", NULL);
    static const uint8_t bytes[] = {1, 2, 3, 255};
    expect_value("seqno", kc_value_bytes(bytes, 4), "\"AQID/w==\"", NULL);
    expect_value("seqno", kc_value_bytes(NULL, 0), "\"\"", NULL);
    expect_value("seqno", kc_value_float64(1.0), "1.0", NULL);
    expect_value("seqno", kc_value_float64(1e7), "1.0E7", NULL);
    expect_value("seqno", kc_value_float64(-0.0), "-0.0", NULL);
    expect_value("seqno", kc_value_float64(1.0e-5), "1.0E-5", NULL);
    expect_value("seqno", kc_value_float64(123456789.0), "1.23456789E8", NULL);
    expect_value("seqno", kc_value_float64(0.0 / 0.0), "\"NaN\"", NULL);
    expect_value("seqno", kc_value_float64(1.0 / 0.0), "\"Infinity\"", NULL);
    expect_value("seqno", kc_value_float32(-1.0f / 0.0f), "\"-Infinity\"", NULL);
    expect_value("seqno", kc_value_float32(1.5f), "1.5", NULL);
    expect_value("seqno", kc_value_boolean(true), "true", NULL);
    expect_value("seqno", kc_value_int8(3), "3", NULL);
    expect_value("seqno", kc_value_int16(-4), "-4", NULL);
    expect_value("seqno", kc_value_int64(INT64_MIN), "-9223372036854775808", NULL);
    expect_value("seqno", kc_value_null(), "null", NULL);
    expect_value("seqno", NULL, "null", NULL);
    expect_value("seqno", kc_value_decimal_parse("1E+3", 4, &err), "1E+3", NULL);
    expect_value("seqno", kc_value_decimal_parse("0.0000001", 9, &err), "1E-7", NULL);
    expect_value("seqno", kc_value_decimal_parse("12.340", 6, &err), "12.340", NULL);
    expect_value("seqno", kc_value_timestamp(1234), "1234", NULL);

    kc_value *arr = kc_value_array_new();
    kc_value_array_append_new(arr, kc_value_int32(1));
    kc_value_array_append_new(arr, kc_value_string("x"));
    kc_value_array_append_new(arr, kc_value_null());
    expect_value("seqno", arr, "[1,\"x\",null]", NULL);

    /* map keys as Jackson's key serializers print them */
    kc_value *m = kc_value_map_new();
    kc_value_map_put_new(m, kc_value_float64(1.5), kc_value_string("a"));
    kc_value_map_put_new(m, kc_value_boolean(true), kc_value_int64(2));
    static const uint8_t one[] = {1};
    kc_value_map_put_new(m, kc_value_bytes(one, 1), kc_value_int32(1));
    kc_value_map_put_new(m, kc_value_timestamp(5), kc_value_string("a"));
    kc_value_map_put_new(m, kc_value_timestamp(-1), kc_value_int32(1));
    kc_value_map_put_new(m, kc_value_decimal_parse("1E+3", 4, &err), kc_value_int32(1));
    kc_value_map_put_new(m, kc_value_float32(2.5f), kc_value_int32(1));
    kc_value *list_key = kc_value_array_new();
    kc_value_array_append_new(list_key, kc_value_int32(1));
    kc_value_array_append_new(list_key, kc_value_int32(2));
    kc_value_map_put_new(m, list_key, kc_value_string("a"));
    expect_value("seqno", m,
                 "{\"1.5\":\"a\",\"true\":2,\"AQ==\":1,\"1970-01-01T00:00:00.005+00:00\":\"a\","
                 "\"1969-12-31T23:59:59.999+00:00\":1,\"1E+3\":1,\"2.5\":1,\"[1, 2]\":\"a\"}", NULL);

    /* failures, with Jackson's reference chain */
    kc_schema_builder *b = kc_schema_builder_struct();
    kc_schema_builder_field(b, "name", kc_schema_string());
    kc_schema_builder_field(b, "seqno", kc_schema_int64());
    const kc_schema *schema = kc_schema_builder_build(b, &err);
    CU_ASSERT_FATAL(schema != NULL);
    kc_value *st = kc_value_struct_new(schema, &err);
    kc_value_struct_put_new(st, "name", kc_value_string("x"), &err);
    kc_value_struct_put_new(st, "seqno", kc_value_int64(3), &err);

    expect_value("task", kc_value_copy(st), NULL, STRUCT_MSG " (through reference chain: java.util.HashMap[\"task\"])");
    kc_value *inner = kc_value_map_new();
    kc_value_map_put_str_new(inner, "z", kc_value_copy(st));
    kc_value *list = kc_value_array_new();
    kc_value_array_append_new(list, kc_value_int64(1));
    kc_value_array_append_new(list, inner);
    m = kc_value_map_new();
    kc_value_map_put_str_new(m, "k", list);
    expect_value("seqno", m, NULL,
                 STRUCT_MSG " (through reference chain: java.util.HashMap[\"seqno\"]->java.util.HashMap[\"k\"]->"
                            "java.util.ArrayList[1]->java.util.HashMap[\"z\"])");
    kc_value *nk = kc_value_map_new();
    kc_value_map_put_new(nk, kc_value_null(), kc_value_int32(1));
    list = kc_value_array_new();
    kc_value_array_append_new(list, nk);
    expect_value("seqno", list, NULL,
                 "Null key for a Map not allowed in JSON (use a converting NullKeySerializer?) (through reference "
                 "chain: java.util.HashMap[\"seqno\"]->java.util.ArrayList[0]->java.util.HashMap[\"null\"])");
    /* a struct as a map key is printed with toString */
    m = kc_value_map_new();
    kc_value_map_put_new(m, kc_value_copy(st), kc_value_string("a"));
    expect_value("seqno", m, "{\"Struct{name=x,seqno=3}\":\"a\"}", NULL);
    kc_value_free(st);
    kc_schema_unref(schema);

    /* the top-level writer */
    kc_verifiable_json j;
    kc_verifiable_json_init(&j);
    size_t len;
    char *line = kc_verifiable_json_take(&j, &len);
    CU_ASSERT(line && strcmp(line, "{}") == 0 && len == 2);
    free(line);
}

/* ---- whole lines from many threads ------------------------------------------------------------- */

#define PRINTERS 4
#define LINES_EACH 2000

static void *printer(void *arg)
{
    int id = (int)(intptr_t)arg;
    char line[5000];
    for (int i = 0; i < LINES_EACH; i++) {
        int n = snprintf(line, sizeof line, "{\"p\":%d,\"i\":%d,\"pad\":\"", id, i);
        int pad = (i * 37 + id * 101) % 4000; /* some lines larger than a stdio buffer */
        memset(line + n, 'a' + id, (size_t)pad);
        n += pad;
        n += snprintf(line + n, sizeof line - (size_t)n, "\"}");
        kc_verifiable_print_line(line, (size_t)n);
    }
    return NULL;
}

static void test_lines_stay_whole(void)
{
    hooks_on();
    pthread_t th[PRINTERS];
    for (int i = 0; i < PRINTERS; i++)
        pthread_create(&th[i], NULL, printer, (void *)(intptr_t)i);
    for (int i = 0; i < PRINTERS; i++)
        pthread_join(th[i], NULL);
    fflush(out);
    rewind(out);
    char line[6000];
    int count = 0, next[PRINTERS] = {0};
    while (fgets(line, sizeof line, out)) {
        int p, i, off = 0;
        CU_ASSERT_FATAL(sscanf(line, "{\"p\":%d,\"i\":%d,\"pad\":\"%n", &p, &i, &off) == 2 && off > 0);
        CU_ASSERT_FATAL(p >= 0 && p < PRINTERS);
        CU_ASSERT_EQUAL(i, next[p]); /* each thread's lines in order, none lost */
        next[p] = i + 1;
        size_t pad = strspn(line + off, (char[]){(char)('a' + p), 0});
        CU_ASSERT_EQUAL(pad, (size_t)((i * 37 + p * 101) % 4000));
        CU_ASSERT_STRING_EQUAL(line + off + pad, "\"}\n");
        count++;
    }
    CU_ASSERT_EQUAL(count, PRINTERS * LINES_EACH);
    hooks_off();
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"class names, aliases, empty ConfigDef", test_plugins_and_aliases},
        {"task configs: tasks.max copies with id 0..n-1", test_task_configs},
        {"source: resumes after the committed seqno; records, lines, committed lines", test_source_resumes_after_committed_seqno},
        {"source: seqno 0 without an offset; complete.record.data struct", test_source_fresh_start_and_complete_records},
        {"source: bad configs fail start with Java's messages", test_source_bad_config},
        {"ThroughputThrottler arithmetic", test_throttler_math},
        {"throughput 0: a poll is held until stop", test_throughput_zero_waits_for_stop},
        {"sink: put and flushed lines", test_sink_lines_and_flush},
        {"Jackson's rendering of Connect values and its failures", test_jackson_values},
        {"lines from several threads stay whole", test_lines_stay_whole},
        {NULL, NULL},
    };
    return kc_test_run("verifiable", cases);
}
