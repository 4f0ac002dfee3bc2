/* Config and status topic records (storage spec §3, §5, §8): Java's exact key and value bytes for
 * every record kind, decoding of each, and the read rules (tombstones, malformed values, task keys,
 * generation conflicts). */
#include <stdlib.h>
#include <string.h>

#include "kc_test.h"
#include "storage/config_records.h"
#include "storage/status_records.h"

/* ---- helpers ---------------------------------------------------------------------------------------- */

static int bytes_eq(const char *got, size_t got_len, const char *want, size_t want_len)
{
    return got && got_len == want_len && memcmp(got, want, want_len) == 0;
}

#define ASSERT_BYTES(got, got_len, want) CU_ASSERT(bytes_eq((got), (got_len), (want), strlen(want)))

static int hex_eq(const char *got, size_t got_len, const char *hex)
{
    unsigned char want[512];
    size_t n = 0;
    for (const char *p = hex; *p;) {
        if (*p == ' ') {
            p++;
            continue;
        }
        unsigned v = 0;
        sscanf(p, "%2x", &v);
        want[n++] = (unsigned char)v;
        p += 2;
    }
    return got && got_len == n && memcmp(got, want, n) == 0;
}

static void decode_cfg(const char *key, const char *value, kc_config_event *ev)
{
    kc_error err;
    CU_ASSERT_EQUAL(kc_config_record_decode(key, key ? strlen(key) : 0, value, value ? strlen(value) : 0, ev, &err), 0);
}

static void decode_st(const char *key, const char *value, kc_status_event *ev)
{
    kc_error err;
    CU_ASSERT_EQUAL(kc_status_record_decode(key, strlen(key), value, value ? strlen(value) : 0, ev, &err), 0);
}

static const char *prop(const kc_config_event *ev, const char *k, int *found)
{
    *found = 0;
    for (size_t i = 0; i < ev->props.count; i++)
        if (strcmp(ev->props.keys[i], k) == 0) {
            *found = 1;
            return ev->props.values[i];
        }
    return NULL;
}

/* ---- config topic: keys (§3.1, §8) ---------------------------------------------------------------------- */

static void test_config_keys(void)
{
    char *k = kc_config_key_connector("my-source");
    CU_ASSERT(hex_eq(k, strlen(k), "63 6f 6e 6e 65 63 74 6f 72 2d 6d 79 2d 73 6f 75 72 63 65"));
    free(k);
    struct {
        char *got;
        const char *want;
    } v[] = {
        {kc_config_key_task("c", 0), "task-c-0"},
        {kc_config_key_task("my-source", 12), "task-my-source-12"},
        {kc_config_key_commit("c"), "commit-c"},
        {kc_config_key_target_state("my-source"), "target-state-my-source"},
        {kc_config_key_task_count("c"), "tasks-fencing-c"},
        {kc_config_key_restart("c"), "restart-connector-c"},
        {kc_config_key_logger("org.foo"), "logger-cluster-org.foo"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        CU_ASSERT_PTR_NOT_NULL(v[i].got);
        CU_ASSERT_STRING_EQUAL(v[i].got ? v[i].got : "", v[i].want);
        free(v[i].got);
    }
}

/* ---- config topic: values (§3.2, §3.3, §8 items 1-12) ------------------------------------------------- */

static void test_connector_config_bytes(void)
{
    kc_error err;
    size_t len = 0;
    /* §8.1 */
    const char *keys[] = {"connector.class", "name"};
    const char *vals[] = {"FileStreamSource", "my-source"};
    char *v = kc_config_value_properties(keys, vals, 2, &len, &err);
    ASSERT_BYTES(v, len, "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"name\":\"my-source\"}}");
    free(v);
    /* §3.3 offset 0 */
    const char *k0[] = {"connector.class", "tasks.max", "file", "topic", "name"};
    const char *v0[] = {"FileStreamSource", "1", "/tmp/in.txt", "lines", "my-source"};
    v = kc_config_value_properties(k0, v0, 5, &len, &err);
    ASSERT_BYTES(v, len,
                 "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"tasks.max\":\"1\",\"file\":\"/tmp/in.txt\","
                 "\"topic\":\"lines\",\"name\":\"my-source\"}}");
    free(v);
    /* the same from a kc_props, in its order */
    kc_props *p = kc_props_new();
    for (int i = 0; i < 5; i++)
        kc_props_set(p, k0[i], v0[i]);
    char *v2 = kc_config_value_properties_from(p, &len, &err);
    ASSERT_BYTES(v2, len,
                 "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"tasks.max\":\"1\",\"file\":\"/tmp/in.txt\","
                 "\"topic\":\"lines\",\"name\":\"my-source\"}}");
    free(v2);
    kc_props_free(p);
    /* empty map */
    v = kc_config_value_properties(NULL, NULL, 0, &len, &err);
    ASSERT_BYTES(v, len, "{\"properties\":{}}");
    free(v);
}

static void test_task_config_bytes(void)
{
    kc_error err;
    size_t len = 0;
    /* §3.3 offset 1, JDK 17 order and JDK >= 19 order: both 191 bytes */
    const char *k17[] = {"connector.class", "file", "task.class", "tasks.max", "name", "topic"};
    const char *v17[] = {"FileStreamSource", "/tmp/in.txt", "org.apache.kafka.connect.file.FileStreamSourceTask", "1",
                         "my-source", "lines"};
    char *v = kc_config_value_properties(k17, v17, 6, &len, &err);
    ASSERT_BYTES(v, len,
                 "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"file\":\"/tmp/in.txt\",\"task.class\":"
                 "\"org.apache.kafka.connect.file.FileStreamSourceTask\",\"tasks.max\":\"1\",\"name\":\"my-source\","
                 "\"topic\":\"lines\"}}");
    CU_ASSERT_EQUAL(len, 191);
    free(v);
    const char *k25[] = {"connector.class", "name", "topic", "file", "task.class", "tasks.max"};
    const char *v25[] = {"FileStreamSource", "my-source", "lines", "/tmp/in.txt",
                         "org.apache.kafka.connect.file.FileStreamSourceTask", "1"};
    v = kc_config_value_properties(k25, v25, 6, &len, &err);
    ASSERT_BYTES(v, len,
                 "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"name\":\"my-source\",\"topic\":\"lines\","
                 "\"file\":\"/tmp/in.txt\",\"task.class\":\"org.apache.kafka.connect.file.FileStreamSourceTask\","
                 "\"tasks.max\":\"1\"}}");
    CU_ASSERT_EQUAL(len, 191);
    free(v);
}

static void test_property_escapes_and_null(void)
{
    kc_error err;
    size_t len = 0;
    /* §8.11: a"b\c/d LF U+0001 é TAB U+001F -> 50 bytes */
    const char *k[] = {"k"};
    const char *val[] = {"a\"b\\c/d\n\001\xc3\xa9\t\037"};
    char *v = kc_config_value_properties(k, val, 1, &len, &err);
    CU_ASSERT(hex_eq(v, len,
                     "7b 22 70 72 6f 70 65 72 74 69 65 73 22 3a 7b 22 6b 22 3a 22 61 5c 22 62 5c 5c 63 2f 64 5c 6e 5c 75 30 "
                     "30 30 31 c3 a9 5c 74 5c 75 30 30 31 46 22 7d 7d"));
    CU_ASSERT_EQUAL(len, 50);
    free(v);
    /* U+1F600 -> \uD83D\uDE00, 35 bytes */
    const char *emoji[] = {"\xf0\x9f\x98\x80"};
    v = kc_config_value_properties(k, emoji, 1, &len, &err);
    ASSERT_BYTES(v, len, "{\"properties\":{\"k\":\"\\uD83D\\uDE00\"}}");
    CU_ASSERT_EQUAL(len, 35);
    free(v);
    /* §8.12: null value written, not omitted */
    const char *k2[] = {"a", "k"};
    const char *v2[] = {"x", NULL};
    v = kc_config_value_properties(k2, v2, 2, &len, &err);
    ASSERT_BYTES(v, len, "{\"properties\":{\"a\":\"x\",\"k\":null}}");
    free(v);
    /* invalid UTF-8 is refused */
    const char *bad[] = {"\xff"};
    v = kc_config_value_properties(k, bad, 1, &len, &err);
    CU_ASSERT_PTR_NULL(v);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
}

static void test_commit_and_task_count_bytes(void)
{
    kc_error err;
    size_t len = 0;
    char *v = kc_config_value_commit(1, &len, &err);
    CU_ASSERT(hex_eq(v, len, "7b 22 74 61 73 6b 73 22 3a 31 7d")); /* §3.3 offset 2, 11 bytes */
    free(v);
    v = kc_config_value_commit(0, &len, &err);
    ASSERT_BYTES(v, len, "{\"tasks\":0}"); /* §8.5 */
    free(v);
    v = kc_config_value_commit(2, &len, &err);
    ASSERT_BYTES(v, len, "{\"tasks\":2}"); /* §8.4 */
    free(v);
    v = kc_config_value_task_count(3, &len, &err);
    ASSERT_BYTES(v, len, "{\"task-count\":3}"); /* §8.10 */
    free(v);
}

static void test_target_state_bytes(void)
{
    kc_error err;
    size_t len = 0;
    char *v = kc_config_value_target_state(KC_TARGET_STARTED, &len, &err);
    ASSERT_BYTES(v, len, "{\"state\":\"STARTED\",\"state.v2\":\"STARTED\"}");
    free(v);
    v = kc_config_value_target_state(KC_TARGET_PAUSED, &len, &err);
    ASSERT_BYTES(v, len, "{\"state\":\"PAUSED\",\"state.v2\":\"PAUSED\"}");
    free(v);
    v = kc_config_value_target_state(KC_TARGET_STOPPED, &len, &err);
    CU_ASSERT(hex_eq(v, len,
                     "7b 22 73 74 61 74 65 22 3a 22 50 41 55 53 45 44 22 2c 22 73 74 61 74 65 2e 76 32 22 3a 22 53 54 4f 50 "
                     "50 45 44 22 7d"));
    CU_ASSERT_EQUAL(len, 39);
    free(v);
}

static void test_session_restart_logger_bytes(void)
{
    kc_error err;
    size_t len = 0;
    unsigned char key[32];
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)i;
    char *v = kc_config_value_session_key(key, 32, "HmacSHA256", 1700000000000LL, &len, &err);
    ASSERT_BYTES(v, len,
                 "{\"key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\",\"algorithm\":\"HmacSHA256\","
                 "\"creation-timestamp\":1700000000000}");
    free(v);
    const char *want[4] = {"{\"include-tasks\":false,\"only-failed\":false}",
                           "{\"include-tasks\":false,\"only-failed\":true}",
                           "{\"include-tasks\":true,\"only-failed\":false}", "{\"include-tasks\":true,\"only-failed\":true}"};
    for (int i = 0; i < 4; i++) {
        v = kc_config_value_restart(i & 2, i & 1, &len, &err);
        ASSERT_BYTES(v, len, want[i]);
        free(v);
    }
    v = kc_config_value_logger_level("debug", &len, &err); /* §8.9: case preserved */
    ASSERT_BYTES(v, len, "{\"level\":\"debug\"}");
    free(v);
}

/* ---- config topic: decoding (§3.1, §3.2, §8 items 13-20) ---------------------------------------------- */

static void test_decode_connector(void)
{
    kc_config_event ev;
    decode_cfg("connector-my-source", "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"k\":null}}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_CONNECTOR_CONFIG);
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-source");
    CU_ASSERT_EQUAL(ev.props.count, 2);
    int found = 0;
    CU_ASSERT_STRING_EQUAL(prop(&ev, "connector.class", &found), "FileStreamSource");
    CU_ASSERT(prop(&ev, "k", &found) == NULL && found);
    kc_config_event_free(&ev);

    /* tombstone, the JSON text null and a zero-length value all mean removal */
    const char *removals[] = {NULL, "null", "", "  "};
    for (int i = 0; i < 4; i++) {
        decode_cfg("connector-c", removals[i], &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_CONNECTOR_REMOVED);
        CU_ASSERT_STRING_EQUAL(ev.connector, "c");
        kc_config_event_free(&ev);
    }
    /* wrong shapes are skipped, with Java's log line */
    decode_cfg("connector-c", "[1]", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(ev.reason,
                           "Ignoring configuration for connector 'c' because it is in the wrong format: java.util.ArrayList");
    kc_config_event_free(&ev);
    decode_cfg("connector-c", "{\"properties\":\"x\"}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(
        ev.reason, "Invalid data for config for connector 'c': 'properties' field should be a Map but is java.lang.String");
    kc_config_event_free(&ev);
    decode_cfg("connector-c", "{}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    kc_config_event_free(&ev);
    decode_cfg("connector-c", "{\"properties\":{\"a\":{\"b\":1}}}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    CU_ASSERT_EQUAL(ev.props.count, 0);
    kc_config_event_free(&ev);
}

static void test_decode_task_config_and_keys(void)
{
    kc_config_event ev;
    /* §8.18 */
    decode_cfg("task-my-src-0", "{\"properties\":{\"a\":\"b\"}}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_TASK_CONFIG);
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-src");
    CU_ASSERT_EQUAL(ev.task, 0);
    CU_ASSERT_EQUAL(ev.props.count, 1);
    kc_config_event_free(&ev);
    const char *bad[] = {"task-foo", "task-foo-x", "task-a--", "task-foo-99999999999", "task--"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        decode_cfg(bad[i], "{\"properties\":{}}", &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
        kc_config_event_free(&ev);
    }
    decode_cfg("task-foo", "{\"properties\":{}}", &ev);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Ignoring task configuration because task-foo couldn't be parsed as a task config key");
    kc_config_event_free(&ev);
    /* Java split: trailing empty parts dropped, sign accepted, empty name possible */
    struct {
        const char *key, *conn;
        int task;
    } ok[] = {{"task-a-0-", "a", 0}, {"task-a-b-c-+7", "a-b-c", 7}, {"task--3", "", 3}, {"task-x--1", "x-", 1},
              {"task-x--1--", "x-", 1}, {"task-c-2147483647", "c", 2147483647}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        decode_cfg(ok[i].key, "{\"properties\":{}}", &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_TASK_CONFIG);
        CU_ASSERT_STRING_EQUAL(ev.connector ? ev.connector : "?", ok[i].conn);
        CU_ASSERT_EQUAL(ev.task, ok[i].task);
        kc_config_event_free(&ev);
    }
    /* task tombstones are ignored */
    decode_cfg("task-c-0", NULL, &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Ignoring task configuration for task c-0 because it is unexpectedly null");
    kc_config_event_free(&ev);
    decode_cfg("task-c-0", "5", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    kc_config_event_free(&ev);
}

static void test_decode_commit(void)
{
    kc_config_event ev;
    decode_cfg("commit-my-source", "{\"tasks\":1}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_COMMIT);
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-source");
    CU_ASSERT(ev.commit_ok);
    CU_ASSERT_EQUAL(ev.tasks, 1);
    kc_config_event_free(&ev);
    /* integral only, truncated to 32 bits (Java (int) of a Long) */
    decode_cfg("commit-c", "{\"tasks\":4294967298}", &ev);
    CU_ASSERT(ev.commit_ok && ev.tasks == 2);
    kc_config_event_free(&ev);
    /* unusable values stay COMMIT events (the store applies rule 1 first) with commit_ok false */
    const char *bad[] = {NULL, "[]", "{}", "{\"tasks\":1.0}", "{\"tasks\":\"1\"}", "{\"tasks\":null}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        decode_cfg("commit-c", bad[i], &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_COMMIT);
        CU_ASSERT(!ev.commit_ok);
        CU_ASSERT(ev.reason[0] != '\0');
        kc_config_event_free(&ev);
    }
    /* §8.13 / §8.14 completeness */
    int only1[] = {1};
    CU_ASSERT(!kc_config_task_ids_complete(only1, 1, 2));
    int both[] = {1, 0};
    CU_ASSERT(kc_config_task_ids_complete(both, 2, 2));
    CU_ASSERT(kc_config_task_ids_complete(both, 2, 1)); /* extra id allowed */
    CU_ASSERT(kc_config_task_ids_complete(NULL, 0, 0));
    CU_ASSERT(!kc_config_task_ids_complete(NULL, 0, 1));
}

static void test_decode_target_state(void)
{
    kc_config_event ev;
    struct {
        const char *value;
        kc_config_event_kind kind;
        kc_target_state target;
    } v[] = {
        {"{\"state\":\"STARTED\",\"state.v2\":\"STARTED\"}", KC_CONFIG_EV_TARGET_STATE, KC_TARGET_STARTED},
        {"{\"state\":\"PAUSED\"}", KC_CONFIG_EV_TARGET_STATE, KC_TARGET_PAUSED},                      /* §8.17 V0 */
        {"{\"state\":\"PAUSED\",\"state.v2\":\"STOPPED\"}", KC_CONFIG_EV_TARGET_STATE, KC_TARGET_STOPPED},
        {"{\"state\":\"PAUSED\",\"state.v2\":5}", KC_CONFIG_EV_TARGET_STATE, KC_TARGET_PAUSED},       /* fall back */
        {"{\"state\":\"PAUSED\",\"state.v2\":null}", KC_CONFIG_EV_TARGET_STATE, KC_TARGET_PAUSED},
        {"{\"state.v2\":\"stopped\"}", KC_CONFIG_EV_IGNORED, 0},                                      /* case */
        {"{\"state\":\"RUNNING\"}", KC_CONFIG_EV_IGNORED, 0},
        {"{\"state\":1}", KC_CONFIG_EV_IGNORED, 0},
        {"\"PAUSED\"", KC_CONFIG_EV_IGNORED, 0},
        {NULL, KC_CONFIG_EV_TARGET_STATE_REMOVED, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        decode_cfg("target-state-c", v[i].value, &ev);
        CU_ASSERT_EQUAL(ev.kind, v[i].kind);
        CU_ASSERT_STRING_EQUAL(ev.connector, "c");
        if (v[i].kind == KC_CONFIG_EV_TARGET_STATE)
            CU_ASSERT_EQUAL(ev.target, v[i].target);
        kc_config_event_free(&ev);
    }
    decode_cfg("target-state-c", "{\"state\":\"Paused\"}", &ev);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Invalid target state for connector 'c': Paused");
    kc_config_event_free(&ev);
    /* round trip of what we write */
    for (int s = KC_TARGET_STARTED; s <= KC_TARGET_STOPPED; s++) {
        kc_error err;
        size_t len = 0;
        char *val = kc_config_value_target_state((kc_target_state)s, &len, &err);
        decode_cfg("target-state-c", val, &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_TARGET_STATE);
        CU_ASSERT_EQUAL(ev.target, (kc_target_state)s);
        kc_config_event_free(&ev);
        free(val);
    }
}

static void test_decode_task_count_session_restart_logger(void)
{
    kc_config_event ev;
    decode_cfg("tasks-fencing-c", "{\"task-count\":3}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_TASK_COUNT);
    CU_ASSERT_STRING_EQUAL(ev.connector, "c");
    CU_ASSERT_EQUAL(ev.tasks, 3);
    kc_config_event_free(&ev);
    decode_cfg("tasks-fencing-c", NULL, &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Ignoring task count record for connector 'c' because it is in the wrong format: null");
    kc_config_event_free(&ev);
    decode_cfg("tasks-fencing-c", "{\"task-count\":\"3\"}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    kc_config_event_free(&ev);

    decode_cfg("session-key",
               "{\"key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\",\"algorithm\":\"HmacSHA256\","
               "\"creation-timestamp\":1700000000000}",
               &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_SESSION_KEY);
    CU_ASSERT_EQUAL(ev.session_key_len, 32);
    CU_ASSERT(ev.session_key && ev.session_key[0] == 0 && ev.session_key[31] == 31);
    CU_ASSERT_STRING_EQUAL(ev.algorithm, "HmacSHA256");
    CU_ASSERT_EQUAL(ev.creation_ms, 1700000000000LL);
    kc_config_event_free(&ev);
    /* Java's basic decoder: padding optional */
    decode_cfg("session-key", "{\"key\":\"AAE\",\"algorithm\":\"a\",\"creation-timestamp\":1}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_SESSION_KEY);
    CU_ASSERT_EQUAL(ev.session_key_len, 2);
    kc_config_event_free(&ev);
    const char *bad[] = {
        NULL,
        "[]",
        "{\"key\":1,\"algorithm\":\"a\",\"creation-timestamp\":1}",
        "{\"key\":\"AA=E\",\"algorithm\":\"a\",\"creation-timestamp\":1}", /* invalid Base64 */
        "{\"key\":\"A\",\"algorithm\":\"a\",\"creation-timestamp\":1}",
        "{\"key\":\"AA=\",\"algorithm\":\"a\",\"creation-timestamp\":1}",
        "{\"key\":\"AA\\nAA\",\"algorithm\":\"a\",\"creation-timestamp\":1}",
        "{\"key\":\"AAAA\",\"algorithm\":null,\"creation-timestamp\":1}",
        "{\"key\":\"AAAA\",\"algorithm\":\"a\",\"creation-timestamp\":1.7E12}", /* must be a Long */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        decode_cfg("session-key", bad[i], &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
        kc_config_event_free(&ev);
    }
    decode_cfg("session-key", NULL, &ev);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Ignoring session key because it is unexpectedly null");
    kc_config_event_free(&ev);

    decode_cfg("restart-connector-c", "{\"include-tasks\":true,\"only-failed\":false}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_RESTART);
    CU_ASSERT_STRING_EQUAL(ev.connector, "c");
    CU_ASSERT(ev.include_tasks && !ev.only_failed);
    kc_config_event_free(&ev);
    decode_cfg("restart-connector-c", "{\"include-tasks\":\"yes\",\"only-failed\":true}", &ev); /* default false */
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_RESTART);
    CU_ASSERT(!ev.include_tasks && ev.only_failed);
    kc_config_event_free(&ev);
    decode_cfg("restart-connector-c", NULL, &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    kc_config_event_free(&ev);

    decode_cfg("logger-cluster-org.foo", "{\"level\":\"debug\"}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_LOGGER_LEVEL);
    CU_ASSERT_STRING_EQUAL(ev.connector, "org.foo");
    CU_ASSERT_STRING_EQUAL(ev.level, "debug");
    kc_config_event_free(&ev);
    const char *lbad[] = {NULL, "1", "{\"level\":3}", "{}"};
    for (size_t i = 0; i < 4; i++) {
        decode_cfg("logger-cluster-org.foo", lbad[i], &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
        kc_config_event_free(&ev);
    }
}

static void test_decode_dispatch_and_offsets(void)
{
    kc_config_event ev;
    /* §8.19: unknown key with JSON -> ignored (offset advances); non-JSON -> NOT_JSON (it does not) */
    decode_cfg("foo-bar", "{\"a\":1}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Discarding config update record with invalid key: foo-bar");
    kc_config_event_free(&ev);
    decode_cfg("connector-c", "{not json", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_NOT_JSON);
    static const char conv[] = "Failed to convert config data to Kafka Connect format: ";
    CU_ASSERT(strncmp(ev.reason, conv, sizeof conv - 1) == 0);
    kc_config_event_free(&ev);
    decode_cfg("foo-bar", "{not json", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_NOT_JSON);
    kc_config_event_free(&ev);
    /* dispatch order: target-state- before connector-, tasks-fencing- is not task- */
    decode_cfg("tasks-fencing-x-1", "{\"task-count\":1}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_TASK_COUNT);
    CU_ASSERT_STRING_EQUAL(ev.connector, "x-1");
    kc_config_event_free(&ev);
    decode_cfg("session-key-2", "{}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    kc_config_event_free(&ev);
    decode_cfg(NULL, "{}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_CONFIG_EV_IGNORED);
    kc_config_event_free(&ev);
    /* Jackson reader rules apply: trailing content ignored, BOM skipped */
    decode_cfg("commit-c", "{\"tasks\":2} trailing", &ev);
    CU_ASSERT(ev.kind == KC_CONFIG_EV_COMMIT && ev.commit_ok && ev.tasks == 2);
    kc_config_event_free(&ev);
    decode_cfg("commit-c", "\xef\xbb\xbf{\"tasks\":007}", &ev);
    CU_ASSERT(ev.kind == KC_CONFIG_EV_COMMIT && ev.commit_ok && ev.tasks == 7);
    kc_config_event_free(&ev);
}

/* The §3.3 example stream, applied through a minimal replay of §3.2's rules (one connector). */
static void test_example_stream(void)
{
    static const struct {
        const char *key, *value;
    } stream[] = {
        {"connector-my-source", "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"tasks.max\":\"1\","
                                "\"file\":\"/tmp/in.txt\",\"topic\":\"lines\",\"name\":\"my-source\"}}"},
        {"task-my-source-0", "{\"properties\":{\"connector.class\":\"FileStreamSource\",\"file\":\"/tmp/in.txt\","
                             "\"task.class\":\"org.apache.kafka.connect.file.FileStreamSourceTask\",\"tasks.max\":\"1\","
                             "\"name\":\"my-source\",\"topic\":\"lines\"}}"},
        {"commit-my-source", "{\"tasks\":1}"},
        {"commit-my-source", "{\"tasks\":0}"},
        {"target-state-my-source", "{\"state\":\"PAUSED\",\"state.v2\":\"STOPPED\"}"},
        {"connector-my-source", NULL},
        {"target-state-my-source", NULL},
    };
    static const kc_config_event_kind kinds[] = {
        KC_CONFIG_EV_CONNECTOR_CONFIG, KC_CONFIG_EV_TASK_CONFIG,         KC_CONFIG_EV_COMMIT,
        KC_CONFIG_EV_COMMIT,           KC_CONFIG_EV_TARGET_STATE,        KC_CONFIG_EV_CONNECTOR_REMOVED,
        KC_CONFIG_EV_TARGET_STATE_REMOVED};
    int has_config = 0, task_count = -1, deferred = 0, applied = 0;
    kc_target_state target = KC_TARGET_STARTED;
    int has_target = 0;
    long offset = 0;
    for (size_t i = 0; i < sizeof stream / sizeof stream[0]; i++) {
        kc_config_event ev;
        decode_cfg(stream[i].key, stream[i].value, &ev);
        CU_ASSERT_EQUAL(ev.kind, kinds[i]);
        if (ev.kind != KC_CONFIG_EV_NOT_JSON)
            offset = (long)i + 1;
        switch (ev.kind) {
        case KC_CONFIG_EV_CONNECTOR_CONFIG:
            has_config = 1;
            if (!has_target) {
                has_target = 1;
                target = KC_TARGET_STARTED;
            }
            break;
        case KC_CONFIG_EV_TASK_CONFIG:
            deferred++;
            break;
        case KC_CONFIG_EV_COMMIT:
            CU_ASSERT(ev.commit_ok);
            if (deferred >= ev.tasks)
                applied = deferred;
            deferred = 0;
            task_count = ev.tasks;
            break;
        case KC_CONFIG_EV_TARGET_STATE:
            has_target = 1;
            target = ev.target;
            break;
        case KC_CONFIG_EV_CONNECTOR_REMOVED:
            has_config = 0;
            task_count = -1;
            applied = 0;
            break;
        case KC_CONFIG_EV_TARGET_STATE_REMOVED:
            has_target = has_config;
            break;
        default:
            break;
        }
        if (i == 2)
            CU_ASSERT(applied == 1 && task_count == 1);
        if (i == 4)
            CU_ASSERT(task_count == 0 && target == KC_TARGET_STOPPED);
        kc_config_event_free(&ev);
    }
    CU_ASSERT(!has_config && !has_target && task_count == -1);
    CU_ASSERT_EQUAL(offset, 7);
}

/* ---- status topic (§5, §8 items 27-32) ------------------------------------------------------------- */

static void test_status_keys(void)
{
    char *k = kc_status_key_connector("my-source");
    CU_ASSERT_STRING_EQUAL(k, "status-connector-my-source");
    free(k);
    k = kc_status_key_task("my-source", 0);
    CU_ASSERT_STRING_EQUAL(k, "status-task-my-source-0");
    free(k);
    k = kc_status_key_task("c", 0);
    CU_ASSERT_STRING_EQUAL(k, "status-task-c-0"); /* §8.28 */
    free(k);
    k = kc_status_key_topic("lines", "my-source");
    CU_ASSERT_STRING_EQUAL(k, "status-topic-lines:connector-my-source");
    free(k);
}

static void test_status_value_bytes(void)
{
    kc_error err;
    size_t len = 0;
    char *v = kc_status_value_encode(KC_STATE_RUNNING, NULL, "10.0.0.5:8083", 7, &len, &err);
    CU_ASSERT(hex_eq(v, len,
                     "7b 22 73 74 61 74 65 22 3a 22 52 55 4e 4e 49 4e 47 22 2c 22 74 72 61 63 65 22 3a 6e 75 6c 6c 2c 22 77 "
                     "6f 72 6b 65 72 5f 69 64 22 3a 22 31 30 2e 30 2e 30 2e 35 3a 38 30 38 33 22 2c 22 67 65 6e 65 72 61 74 "
                     "69 6f 6e 22 3a 37 7d"));
    CU_ASSERT_EQUAL(len, 75);
    free(v);
    v = kc_status_value_encode(KC_STATE_FAILED,
                               "org.apache.kafka.connect.errors.ConnectException: boom\n\tat Foo.bar(Foo.java:1)\n",
                               "10.0.0.5:8083", 7, &len, &err);
    ASSERT_BYTES(v, len,
                 "{\"state\":\"FAILED\",\"trace\":\"org.apache.kafka.connect.errors.ConnectException: boom\\n\\tat "
                 "Foo.bar(Foo.java:1)\\n\",\"worker_id\":\"10.0.0.5:8083\",\"generation\":7}");
    free(v);
    static const kc_state states[] = {KC_STATE_UNASSIGNED, KC_STATE_PAUSED, KC_STATE_RESTARTING, KC_STATE_STOPPED};
    static const char *const names[] = {"UNASSIGNED", "PAUSED", "RESTARTING", "STOPPED"};
    for (int i = 0; i < 4; i++) {
        char want[128];
        snprintf(want, sizeof want, "{\"state\":\"%s\",\"trace\":null,\"worker_id\":\"w:1\",\"generation\":-1}", names[i]);
        v = kc_status_value_encode(states[i], NULL, "w:1", -1, &len, &err);
        ASSERT_BYTES(v, len, want);
        free(v);
    }
    /* DESTROYED is a tombstone (§8.28) */
    CU_ASSERT(kc_status_is_tombstone(KC_STATE_DESTROYED));
    CU_ASSERT(!kc_status_is_tombstone(KC_STATE_FAILED));
    CU_ASSERT_PTR_NULL(kc_status_value_encode(KC_STATE_DESTROYED, NULL, "w:1", 1, &len, &err));
    /* §8.32 */
    v = kc_status_topic_value_encode("lines", "my-source", 0, 1700000000123LL, &len, &err);
    ASSERT_BYTES(v, len,
                 "{\"topic\":{\"name\":\"lines\",\"connector\":\"my-source\",\"task\":0,\"discoverTimestamp\":1700000000123}}");
    free(v);
}

static void test_status_decode(void)
{
    kc_status_event ev;
    decode_st("status-connector-my-source", "{\"state\":\"RUNNING\",\"trace\":null,\"worker_id\":\"10.0.0.5:8083\",\"generation\":7}",
              &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_CONNECTOR);
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-source");
    CU_ASSERT_EQUAL(ev.status.state, KC_STATE_RUNNING);
    CU_ASSERT_PTR_NULL(ev.status.trace);
    CU_ASSERT_STRING_EQUAL(ev.status.worker_id, "10.0.0.5:8083");
    CU_ASSERT_EQUAL(ev.status.generation, 7);
    kc_status_event_free(&ev);
    /* missing trace / worker_id become null; generation truncated to 32 bits */
    decode_st("status-connector-c", "{\"state\":\"FAILED\",\"generation\":4294967303}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_CONNECTOR);
    CU_ASSERT(ev.status.trace == NULL && ev.status.worker_id == NULL && ev.status.generation == 7);
    kc_status_event_free(&ev);
    /* §8.31: a connector tombstone */
    decode_st("status-connector-c", NULL, &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_CONNECTOR_REMOVED);
    CU_ASSERT_STRING_EQUAL(ev.connector, "c");
    kc_status_event_free(&ev);
    /* failures: skipped, never a removal */
    const char *bad[] = {"", "x", "[]", "{\"state\":\"running\",\"generation\":1}", "{\"state\":\"RUNNING\"}",
                         "{\"state\":\"RUNNING\",\"generation\":1.0}", "{\"state\":\"RUNNING\",\"trace\":1,\"generation\":1}",
                         "{\"state\":\"RUNNING\",\"worker_id\":[],\"generation\":1}", "{\"generation\":1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        decode_st("status-connector-c", bad[i], &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
        kc_status_event_free(&ev);
    }
    /* DESTROYED is an enum name, so Java's valueOf accepts it on read */
    decode_st("status-connector-c", "{\"state\":\"DESTROYED\",\"generation\":1}", &ev);
    CU_ASSERT(ev.kind == KC_STATUS_EV_CONNECTOR && ev.status.state == KC_STATE_DESTROYED);
    kc_status_event_free(&ev);
    decode_st("status-connector-", "{\"state\":\"RUNNING\",\"generation\":1}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
    kc_status_event_free(&ev);

    decode_st("status-task-my-source-0", "{\"state\":\"UNASSIGNED\",\"trace\":null,\"worker_id\":\"w\",\"generation\":7}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_TASK);
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-source");
    CU_ASSERT_EQUAL(ev.task, 0);
    CU_ASSERT_EQUAL(ev.status.state, KC_STATE_UNASSIGNED);
    kc_status_event_free(&ev);
    decode_st("status-task-c-1", NULL, &ev);
    CU_ASSERT(ev.kind == KC_STATUS_EV_TASK_REMOVED && ev.task == 1);
    kc_status_event_free(&ev);
    const char *badkeys[] = {"status-task-c", "status-task-c-x", "status-task-"};
    for (int i = 0; i < 3; i++) {
        decode_st(badkeys[i], "{\"state\":\"RUNNING\",\"generation\":1}", &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
        kc_status_event_free(&ev);
    }
    decode_st("status-task-c-0", "{\"state\":\"RUNNING\"}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Failed to parse task status with key status-task-c-0");
    kc_status_event_free(&ev);

    decode_st("status-topic-lines:connector-my-source",
              "{\"topic\":{\"name\":\"lines\",\"connector\":\"my-source\",\"task\":0,\"discoverTimestamp\":1700000000123}}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_TOPIC);
    CU_ASSERT_STRING_EQUAL(ev.topic, "lines");
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-source");
    CU_ASSERT_STRING_EQUAL(ev.topic_status.topic, "lines");
    CU_ASSERT_STRING_EQUAL(ev.topic_status.connector, "my-source");
    CU_ASSERT_EQUAL(ev.topic_status.task, 0);
    CU_ASSERT_EQUAL(ev.topic_status.discover_ms, 1700000000123LL);
    kc_status_event_free(&ev);
    /* the first ':' ends the topic; the 10 chars after it are skipped, not verified */
    decode_st("status-topic-a:b:connector-c", NULL, &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_TOPIC_REMOVED);
    CU_ASSERT_STRING_EQUAL(ev.topic, "a");
    CU_ASSERT_STRING_EQUAL(ev.connector, "r-c");
    kc_status_event_free(&ev);
    decode_st("status-topic-t:XXXXXXXXXXmy-c", NULL, &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_TOPIC_REMOVED);
    CU_ASSERT_STRING_EQUAL(ev.connector, "my-c");
    kc_status_event_free(&ev);
    const char *tbad[] = {"status-topic-lines", "status-topic-:connector-c", "status-topic-t:connector-",
                          "status-topic-t:conn"};
    for (int i = 0; i < 4; i++) {
        decode_st(tbad[i], NULL, &ev);
        CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
        kc_status_event_free(&ev);
    }
    decode_st("status-topic-t:connector-c", "{\"topic\":{\"name\":\"t\",\"connector\":\"c\",\"task\":\"0\",\"discoverTimestamp\":1}}",
              &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
    kc_status_event_free(&ev);
    decode_st("status-foo", "{}", &ev);
    CU_ASSERT_EQUAL(ev.kind, KC_STATUS_EV_IGNORED);
    CU_ASSERT_STRING_EQUAL(ev.reason, "Discarding record with invalid key status-foo");
    kc_status_event_free(&ev);
}

static void test_generation_rules(void)
{
    /* §8.29 write side */
    kc_status_value cached = {KC_STATE_RUNNING, NULL, "B", 8};
    CU_ASSERT(!kc_status_can_write_safely(&cached, "A", 7));
    cached.generation = 7;
    CU_ASSERT(kc_status_can_write_safely(&cached, "A", 7));
    cached.generation = 8;
    cached.worker_id = "A";
    CU_ASSERT(kc_status_can_write_safely(&cached, "A", 7));
    CU_ASSERT(kc_status_can_write_safely(NULL, "A", 0));
    cached.worker_id = NULL;
    CU_ASSERT(!kc_status_can_write_safely(&cached, "A", 7));
    CU_ASSERT(kc_status_can_write_safely(&cached, "A", 8));

    /* §8.30 read side */
    kc_status_value running7 = {KC_STATE_RUNNING, NULL, "B", 7};
    kc_status_value un7 = {KC_STATE_UNASSIGNED, NULL, "A", 7};
    kc_status_value un8 = {KC_STATE_UNASSIGNED, NULL, "A", 8};
    kc_status_value failed6 = {KC_STATE_FAILED, NULL, "A", 6};
    CU_ASSERT(!kc_status_task_read_replaces(&running7, &un7));
    CU_ASSERT(kc_status_task_read_replaces(&running7, &un8));
    CU_ASSERT(kc_status_task_read_replaces(&running7, &failed6));
    CU_ASSERT(kc_status_task_read_replaces(NULL, &un7));
    CU_ASSERT(kc_status_task_read_replaces(&un8, &un7));
}

/* The §5.6 example stream through the decoder and the read rule. */
static void test_status_example_stream(void)
{
    static const struct {
        const char *key, *value;
    } stream[] = {
        {"status-connector-my-source", "{\"state\":\"RUNNING\",\"trace\":null,\"worker_id\":\"10.0.0.5:8083\",\"generation\":7}"},
        {"status-task-my-source-0", "{\"state\":\"RUNNING\",\"trace\":null,\"worker_id\":\"10.0.0.6:8083\",\"generation\":7}"},
        {"status-topic-lines:connector-my-source",
         "{\"topic\":{\"name\":\"lines\",\"connector\":\"my-source\",\"task\":0,\"discoverTimestamp\":1700000000123}}"},
        {"status-task-my-source-0", "{\"state\":\"UNASSIGNED\",\"trace\":null,\"worker_id\":\"10.0.0.6:8083\",\"generation\":7}"},
        {"status-task-my-source-0", NULL},
        {"status-connector-my-source", NULL},
    };
    kc_status_value task = {KC_STATE_UNASSIGNED, NULL, NULL, 0};
    int have_task = 0, have_conn = 0, topics = 0;
    for (size_t i = 0; i < sizeof stream / sizeof stream[0]; i++) {
        kc_status_event ev;
        decode_st(stream[i].key, stream[i].value, &ev);
        switch (ev.kind) {
        case KC_STATUS_EV_CONNECTOR:
            have_conn = 1;
            break;
        case KC_STATUS_EV_CONNECTOR_REMOVED:
            have_conn = have_task = 0;
            break;
        case KC_STATUS_EV_TASK:
            if (kc_status_task_read_replaces(have_task ? &task : NULL, &ev.status)) {
                task.state = ev.status.state;
                task.generation = ev.status.generation;
                have_task = 1;
            }
            break;
        case KC_STATUS_EV_TASK_REMOVED:
            have_task = 0;
            break;
        case KC_STATUS_EV_TOPIC:
            topics++;
            break;
        default:
            CU_FAIL("unexpected event");
        }
        if (i == 3)
            CU_ASSERT(have_task && task.state == KC_STATE_RUNNING); /* stale UNASSIGNED ignored */
        kc_status_event_free(&ev);
    }
    CU_ASSERT(!have_conn && !have_task && topics == 1);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"config keys", test_config_keys},
        {"connector config bytes", test_connector_config_bytes},
        {"task config bytes", test_task_config_bytes},
        {"property escapes and null", test_property_escapes_and_null},
        {"commit and task count bytes", test_commit_and_task_count_bytes},
        {"target state bytes", test_target_state_bytes},
        {"session key, restart, logger bytes", test_session_restart_logger_bytes},
        {"decode connector config", test_decode_connector},
        {"decode task config and keys", test_decode_task_config_and_keys},
        {"decode commit", test_decode_commit},
        {"decode target state", test_decode_target_state},
        {"decode task count, session key, restart, logger", test_decode_task_count_session_restart_logger},
        {"decode dispatch and offsets", test_decode_dispatch_and_offsets},
        {"config example stream", test_example_stream},
        {"status keys", test_status_keys},
        {"status value bytes", test_status_value_bytes},
        {"status decode", test_status_decode},
        {"generation rules", test_generation_rules},
        {"status example stream", test_status_example_stream},
        {NULL, NULL},
    };
    return kc_test_run("storage_records", cases);
}
