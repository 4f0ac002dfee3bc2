/*
 * it_java_takeover: Java Kafka Connect (distributed, from the test bed's jars) creates connectors
 * (running, paused, stopped, a sink) and commits source offsets, then stops; a kconnect worker starts
 * on the same group and the same three topics, shows the same connectors, configs and target states
 * and resumes the sources from Java's offsets. kconnect then does the same operations Java did and
 * the test compares the config-topic bytes both wrote. Then the reverse: Java starts on the topics
 * kconnect wrote last and shows and resumes what kconnect left.
 */
#include "dist_cluster.h"
#include "java_worker.h"

#define JAVA 0
#define KC 1

static char *get_json_text(dc_cluster *c, int w, const char *path)
{
    json_t *j = NULL;
    if (dc_request(c, w, "GET", path, NULL, 30000, &j) != 200) {
        json_decref(j);
        return NULL;
    }
    char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

static const char *state_of(dc_cluster *c, int w, const char *name, char *buf, size_t size)
{
    char path[256];
    snprintf(path, sizeof path, "/connectors/%s/status", name);
    json_t *j = NULL;
    buf[0] = '\0';
    if (dc_request(c, w, "GET", path, NULL, 10000, &j) == 200)
        snprintf(buf, size, "%s", json_string_value(json_object_get(json_object_get(j, "connector"), "state")) ?: "");
    json_decref(j);
    return buf;
}

/* Waits until connector name on worker w reports state (and, when tasks >= 0, that many RUNNING tasks). */
static int wait_state(dc_cluster *c, int w, const char *name, const char *state, int tasks, int timeout_ms)
{
    long until = kc_test_now_ms() + timeout_ms;
    char path[256];
    snprintf(path, sizeof path, "/connectors/%s/status", name);
    while (kc_test_now_ms() < until) {
        json_t *j = NULL;
        if (dc_request(c, w, "GET", path, NULL, 5000, &j) == 200) {
            const char *s = json_string_value(json_object_get(json_object_get(j, "connector"), "state"));
            int running = 0;
            size_t i;
            json_t *t;
            json_array_foreach(json_object_get(j, "tasks"), i, t)
                running += strcmp(json_string_value(json_object_get(t, "state")) ?: "", "RUNNING") == 0;
            bool ok = s && strcmp(s, state) == 0 && (tasks < 0 || running == tasks);
            json_decref(j);
            if (ok)
                return 0;
        } else {
            json_decref(j);
        }
        usleep(300 * 1000);
    }
    return -1;
}

static void create(dc_cluster *c, int w, const char *name, const char *cls, int tasks, const char *topic_key,
                   const char *topic)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"name\":\"%s\",\"config\":{\"connector.class\":\"org.apache.kafka.connect.tools.%s\",\"tasks.max\":"
             "\"%d\",\"%s\":\"%s\",\"throughput\":\"50\"}}", name, cls, tasks, topic_key, topic);
    CU_ASSERT_EQUAL(dc_request(c, w, "POST", "/connectors", body, 60000, NULL), 201);
}

/* The seqno a source task resumed from, from the worker's "resuming from seqno N" log line (last one). */
static long resumed_from(const char *log, const char *task_name)
{
    FILE *f = fopen(log, "r");
    long seq = -1;
    char line[4096], needle[256];
    snprintf(needle, sizeof needle, "Started VerifiableSourceTask %s producing", task_name);
    while (f && fgets(line, sizeof line, f)) {
        const char *p = strstr(line, needle);
        const char *q = p ? strstr(p, "resuming from seqno ") : NULL;
        if (q)
            seq = atol(q + strlen("resuming from seqno "));
    }
    if (f)
        fclose(f);
    return seq;
}

/* The committed offset (seqno) of source task id of connector in the offsets topic, -1 when none. */
static long committed_seqno(const char *group, const char *connector, int id)
{
    char topic[256], key[256];
    snprintf(topic, sizeof topic, "%s-offsets", group);
    snprintf(key, sizeof key, "[\"%s\",{\"id\":%d}]", connector, id);
    jw_records rs;
    long seq = -1;
    if (jw_read_topic(topic, &rs) == 0) {
        const jw_record *r = jw_last(&rs, key);
        json_t *v = r && r->value ? json_loads(r->value, 0, NULL) : NULL;
        if (json_is_integer(json_object_get(v, "seqno")))
            seq = (long)json_integer_value(json_object_get(v, "seqno"));
        json_decref(v);
    }
    jw_records_free(&rs);
    return seq;
}

/* value of key a with every occurrence of from_x replaced by to_x (for comparing two connectors' records). */
static char *renamed(const char *value, const char *from1, const char *to1, const char *from2, const char *to2)
{
    size_t cap = strlen(value) * 2 + 256;
    char *out = calloc(1, cap);
    const char *p = value;
    while (*p) {
        if (from1 && strncmp(p, from1, strlen(from1)) == 0) {
            strcat(out, to1);
            p += strlen(from1);
        } else if (from2 && strncmp(p, from2, strlen(from2)) == 0) {
            strcat(out, to2);
            p += strlen(from2);
        } else {
            strncat(out, p, 1);
            p++;
        }
    }
    return out;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Two JSON arrays of strings hold the same names (in any order: Java lists its own way). */
static bool same_names(const char *a, const char *b)
{
    json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
    bool same = json_is_array(x) && json_is_array(y) && json_array_size(x) == json_array_size(y);
    size_t n = json_array_size(x);
    const char **sa = calloc(n + 1, sizeof *sa), **sb = calloc(n + 1, sizeof *sb);
    for (size_t i = 0; same && i < n; i++) {
        sa[i] = json_string_value(json_array_get(x, i));
        sb[i] = json_string_value(json_array_get(y, i));
        same = sa[i] && sb[i];
    }
    if (same) {
        qsort(sa, n, sizeof *sa, by_string);
        qsort(sb, n, sizeof *sb, by_string);
        for (size_t i = 0; same && i < n; i++)
            same = strcmp(sa[i], sb[i]) == 0;
    }
    free(sa);
    free(sb);
    json_decref(x);
    json_decref(y);
    return same;
}

static bool json_same(const char *a, const char *b)
{
    json_t *x = json_loads(a, 0, NULL), *y = json_loads(b, 0, NULL);
    bool same = x && y && json_equal(x, y);
    json_decref(x);
    json_decref(y);
    return same;
}

static void compare_bytes(const jw_records *rs, const char *java_key, const char *kc_key, const char *jn,
                          const char *kn, const char *jt, const char *kt, bool exact)
{
    const jw_record *a = jw_last(rs, java_key), *b = jw_last(rs, kc_key);
    CU_ASSERT_PTR_NOT_NULL(a);
    CU_ASSERT_PTR_NOT_NULL(b);
    if (!a || !b || !a->value || !b->value)
        return;
    char *expect = renamed(a->value, jn, kn, jt, kt);
    bool same_bytes = strcmp(expect, b->value) == 0;
    fprintf(stderr, "  %-28s vs %-28s %s\n     java:     %s\n     kconnect: %s\n", java_key, kc_key,
            same_bytes ? "identical bytes (names substituted)" : "differ", a->value, b->value);
    if (exact)
        CU_ASSERT(same_bytes);
    CU_ASSERT(json_same(expect, b->value));
    free(expect);
}

static void test_takeover(void)
{
    dc_cluster c;
    dc_init(&c, "it-java", "sessioned", false);
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(c.props[i], "a");
        fputs("plugin.discovery=service_load\n", f);
        fclose(f);
    }
    char t[4][200];
    for (int i = 0; i < 4; i++)
        snprintf(t[i], sizeof t[i], "%s-t%d", c.group, i);

    /* ---- 1. Java creates and runs ---- */
    long j0 = kc_test_now_ms();
    c.pid[JAVA] = jw_start(c.dir, c.props[JAVA], c.log[JAVA]);
    CU_ASSERT_FATAL(c.pid[JAVA] > 0);
    CU_ASSERT_EQUAL_FATAL(jw_wait_ready(c.port[JAVA], 120000), 0);
    fprintf(stderr, "Java Connect ready %ld ms after start\n", kc_test_now_ms() - j0);
    create(&c, JAVA, "src", "VerifiableSourceConnector", 2, "topic", t[0]);
    create(&c, JAVA, "snk", "VerifiableSinkConnector", 1, "topics", t[0]);
    create(&c, JAVA, "paused-src", "VerifiableSourceConnector", 1, "topic", t[1]);
    create(&c, JAVA, "stopped-src", "VerifiableSourceConnector", 1, "topic", t[2]);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "paused-src", "RUNNING", 1, 60000), 0);
    CU_ASSERT_EQUAL(dc_request(&c, JAVA, "PUT", "/connectors/paused-src/pause", NULL, 30000, NULL), 202);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "stopped-src", "RUNNING", 1, 60000), 0);
    CU_ASSERT_EQUAL(dc_request(&c, JAVA, "PUT", "/connectors/stopped-src/stop", NULL, 30000, NULL), 204);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "src", "RUNNING", 2, 60000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "paused-src", "PAUSED", -1, 60000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "stopped-src", "STOPPED", -1, 60000), 0);
    sleep(4);
    const char *names[] = {"src", "snk", "paused-src", "stopped-src"};
    char *java_cfg[4];
    for (int i = 0; i < 4; i++) {
        char path[200];
        snprintf(path, sizeof path, "/connectors/%s/config", names[i]);
        java_cfg[i] = get_json_text(&c, JAVA, path);
        CU_ASSERT_PTR_NOT_NULL(java_cfg[i]);
    }
    char *java_list = get_json_text(&c, JAVA, "/connectors");
    CU_ASSERT_NOT_EQUAL(kc_stop_process(c.pid[JAVA], SIGTERM, 60000), -1); /* stopped within 60 s */
    c.pid[JAVA] = 0;
    long java_offset[2] = {committed_seqno(c.group, "src", 0), committed_seqno(c.group, "src", 1)};
    fprintf(stderr, "Java committed src offsets: task 0 seqno %ld, task 1 seqno %ld\n", java_offset[0],
            java_offset[1]);
    CU_ASSERT(java_offset[0] > 0 && java_offset[1] > 0);

    /* ---- 2. kconnect takes over ---- */
    long k0 = kc_test_now_ms();
    CU_ASSERT_EQUAL_FATAL(dc_start(&c, KC), 0);
    CU_ASSERT_EQUAL(wait_state(&c, KC, "src", "RUNNING", 2, 60000), 0);
    fprintf(stderr, "kconnect ran Java's connectors %ld ms after its start\n", kc_test_now_ms() - k0);
    char *kc_list = get_json_text(&c, KC, "/connectors");
    CU_ASSERT(kc_list && java_list && same_names(kc_list, java_list));
    for (int i = 0; i < 4; i++) {
        char path[200];
        snprintf(path, sizeof path, "/connectors/%s/config", names[i]);
        char *mine = get_json_text(&c, KC, path);
        CU_ASSERT(mine && java_cfg[i] && strcmp(mine, java_cfg[i]) == 0);
        free(mine);
    }
    char st[64];
    CU_ASSERT_STRING_EQUAL(state_of(&c, KC, "paused-src", st, sizeof st), "PAUSED");
    CU_ASSERT_STRING_EQUAL(state_of(&c, KC, "stopped-src", st, sizeof st), "STOPPED");
    CU_ASSERT_EQUAL(wait_state(&c, KC, "snk", "RUNNING", 1, 30000), 0);
    for (int i = 0; i < 2; i++) {
        char task[64];
        snprintf(task, sizeof task, "src-%d", i);
        long from = resumed_from(c.log[KC], task);
        fprintf(stderr, "kconnect resumed %s at seqno %ld (Java's committed offset %ld)\n", task, from,
                java_offset[i]);
        CU_ASSERT_EQUAL(from, java_offset[i] + 1);
    }
    /* the same operations as Java's, for the byte comparison */
    create(&c, KC, "kc-paused", "VerifiableSourceConnector", 1, "topic", t[3]);
    create(&c, KC, "kc-stopped", "VerifiableSourceConnector", 1, "topic", t[3]);
    CU_ASSERT_EQUAL(wait_state(&c, KC, "kc-paused", "RUNNING", 1, 60000), 0);
    CU_ASSERT_EQUAL(dc_request(&c, KC, "PUT", "/connectors/kc-paused/pause", NULL, 30000, NULL), 202);
    CU_ASSERT_EQUAL(wait_state(&c, KC, "kc-stopped", "RUNNING", 1, 60000), 0);
    CU_ASSERT_EQUAL(dc_request(&c, KC, "PUT", "/connectors/kc-stopped/stop", NULL, 30000, NULL), 204);
    CU_ASSERT_EQUAL(wait_state(&c, KC, "kc-paused", "PAUSED", -1, 30000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, KC, "kc-stopped", "STOPPED", -1, 30000), 0);
    sleep(3);
    CU_ASSERT_EQUAL(kc_stop_process(c.pid[KC], SIGTERM, 40000), 0);
    c.pid[KC] = 0;
    long kc_offset[2] = {committed_seqno(c.group, "src", 0), committed_seqno(c.group, "src", 1)};
    CU_ASSERT(kc_offset[0] > java_offset[0] && kc_offset[1] > java_offset[1]);

    char topic[256];
    snprintf(topic, sizeof topic, "%s-configs", c.group);
    jw_records rs;
    CU_ASSERT_EQUAL(jw_read_topic(topic, &rs), 0);
    fprintf(stderr, "config topic records (Java's first, then kconnect's, for the same operations):\n");
    compare_bytes(&rs, "connector-paused-src", "connector-kc-paused", "paused-src", "kc-paused", t[1], t[3], true);
    compare_bytes(&rs, "target-state-paused-src", "target-state-kc-paused", NULL, NULL, NULL, NULL, true);
    compare_bytes(&rs, "target-state-stopped-src", "target-state-kc-stopped", NULL, NULL, NULL, NULL, true);
    compare_bytes(&rs, "commit-stopped-src", "commit-kc-stopped", NULL, NULL, NULL, NULL, true);
    compare_bytes(&rs, "commit-paused-src", "commit-kc-paused", NULL, NULL, NULL, NULL, true);
    /* task configs: the same map; Java's order comes from two HashMap copies (storage spec §3.3) */
    compare_bytes(&rs, "task-paused-src-0", "task-kc-paused-0", "paused-src", "kc-paused", t[1], t[3], false);
    jw_records_free(&rs);
    snprintf(topic, sizeof topic, "%s-status", c.group);
    CU_ASSERT_EQUAL(jw_read_topic(topic, &rs), 0);
    const jw_record *js = jw_last(&rs, "status-connector-paused-src"), *ks = jw_last(&rs, "status-connector-kc-paused");
    if (js && ks && js->value && ks->value) {
        fprintf(stderr, "  status-connector-paused-src: %s\n  status-connector-kc-paused:  %s\n", js->value,
                ks->value);
        json_t *a = json_loads(js->value, 0, NULL), *b = json_loads(ks->value, 0, NULL);
        const char *ka[8], *kb[8];
        size_t na = 0, nb = 0;
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v) if (na < 8) ka[na++] = k;
        json_object_foreach(b, k, v) if (nb < 8) kb[nb++] = k;
        CU_ASSERT_EQUAL(na, nb);
        for (size_t i = 0; i < na && i < nb; i++)
            CU_ASSERT_STRING_EQUAL(ka[i], kb[i]);
        CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(a, "state")) ?: "",
                               json_string_value(json_object_get(b, "state")) ?: "?");
        json_decref(a);
        json_decref(b);
    } else {
        CU_FAIL("status records of paused-src / kc-paused not found");
    }
    jw_records_free(&rs);

    /* ---- 3. Java takes over from kconnect ---- */
    c.pid[JAVA] = jw_start(c.dir, c.props[JAVA], c.log[JAVA]);
    CU_ASSERT_EQUAL_FATAL(jw_wait_ready(c.port[JAVA], 120000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "src", "RUNNING", 2, 90000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "kc-paused", "PAUSED", -1, 60000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "kc-stopped", "STOPPED", -1, 60000), 0);
    CU_ASSERT_EQUAL(wait_state(&c, JAVA, "paused-src", "PAUSED", -1, 60000), 0);
    char *java_list2 = get_json_text(&c, JAVA, "/connectors");
    json_t *l2 = java_list2 ? json_loads(java_list2, 0, NULL) : NULL;
    CU_ASSERT_EQUAL(json_array_size(l2), 6);
    json_decref(l2);
    free(java_list2);
    sleep(2);
    for (int i = 0; i < 2; i++) {
        char task[64];
        snprintf(task, sizeof task, "src-%d", i);
        long from = resumed_from(c.log[JAVA], task);
        fprintf(stderr, "Java resumed %s at seqno %ld (kconnect's committed offset %ld)\n", task, from, kc_offset[i]);
        CU_ASSERT_EQUAL(from, kc_offset[i] + 1);
    }
    kc_stop_process(c.pid[JAVA], SIGTERM, 60000);
    c.pid[JAVA] = 0;
    for (int i = 0; i < 4; i++)
        free(java_cfg[i]);
    free(java_list);
    free(kc_list);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"Java Connect -> kconnect -> Java Connect on the same group and topics", test_takeover},
        {NULL, NULL},
    };
    return kc_test_run("it_java_takeover", cases);
}
