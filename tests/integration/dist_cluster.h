/*
 * A three-worker kconnect cluster on the test bed's cluster A, shared by it_distributed_cluster and
 * it_protocols: start / kill / restart workers, create connectors through any worker, read the
 * cluster's statuses, and count the VerifiableSource -> VerifiableSink pipeline from the workers'
 * stdout (the connectors print one JSON line per record, as Java's do).
 * Threads: the test's main thread only.
 */
#ifndef KC_IT_DIST_CLUSTER_H
#define KC_IT_DIST_CLUSTER_H

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kc_test.h"

#define DC_WORKERS 3
#define DC_MAX_DELAY_MS 10000

typedef struct dc_cluster {
    char dir[1024];
    char group[128];
    const char *protocol;
    bool scram;
    int port[DC_WORKERS];
    int pid[DC_WORKERS];
    char props[DC_WORKERS][1100];
    char log[DC_WORKERS][1100];
    long started_ms[DC_WORKERS];
} dc_cluster;

static inline void dc_client_keys(FILE *f, bool scram, const char *prefix)
{
    if (!scram)
        return;
    fprintf(f, "%ssecurity.protocol=SASL_SSL\n%ssasl.mechanism=SCRAM-SHA-512\n"
               "%ssasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
               "username=\"%s\" password=\"%s\";\n%sssl.truststore.type=PEM\n%sssl.truststore.location=%s\n",
            prefix, prefix, prefix, kc_testbed_require("KC_ADMIN_USER"), kc_testbed_require("KC_ADMIN_PASSWORD"),
            prefix, prefix, kc_testbed_require("KC_CA_FILE"));
}

static inline void dc_init(dc_cluster *c, const char *name, const char *protocol, bool scram)
{
    memset(c, 0, sizeof *c);
    const char *base = kc_testbed("KC_TESTBED_DIR");
    snprintf(c->dir, sizeof c->dir, "%s/%s-%s-%ld", base ? base : "/tmp", name, protocol, (long)getpid());
    mkdir(c->dir, 0755);
    snprintf(c->group, sizeof c->group, "%s-%s-%ld", name, protocol, (long)getpid());
    c->protocol = protocol;
    c->scram = scram;
    for (int i = 0; i < DC_WORKERS; i++) {
        c->port[i] = kc_free_port();
        snprintf(c->props[i], sizeof c->props[i], "%s/worker-%d.properties", c->dir, i);
        snprintf(c->log[i], sizeof c->log[i], "%s/worker-%d.log", c->dir, i);
        FILE *f = fopen(c->props[i], "w");
        fprintf(f, "bootstrap.servers=%s\n", kc_testbed_require(scram ? "KC_A_SASL_SSL" : "KC_A_PLAINTEXT"));
        fprintf(f, "group.id=%s\nconfig.storage.topic=%s-configs\noffset.storage.topic=%s-offsets\n"
                   "status.storage.topic=%s-status\nconfig.storage.replication.factor=1\n"
                   "offset.storage.replication.factor=1\nstatus.storage.replication.factor=1\n"
                   "offset.storage.partitions=5\nconnect.protocol=%s\nscheduled.rebalance.max.delay.ms=%d\n"
                   "offset.flush.interval.ms=1000\nlisteners=http://127.0.0.1:%d\n"
                   "session.timeout.ms=6000\nheartbeat.interval.ms=2000\n"
                   "key.converter=org.apache.kafka.connect.json.JsonConverter\n"
                   "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                   "key.converter.schemas.enable=false\nvalue.converter.schemas.enable=false\n",
                c->group, c->group, c->group, c->group, protocol, DC_MAX_DELAY_MS, c->port[i]);
        dc_client_keys(f, scram, "");
        dc_client_keys(f, scram, "producer.");
        dc_client_keys(f, scram, "consumer.");
        dc_client_keys(f, scram, "admin.");
        fclose(f);
    }
}

static inline int dc_start(dc_cluster *c, int i)
{
    char *args[] = {"distributed", c->props[i], NULL};
    c->started_ms[i] = kc_test_now_ms();
    c->pid[i] = kc_spawn(c->log[i], args);
    return c->pid[i] > 0 && kc_wait_rest(c->port[i], 30000) == 0 ? 0 : -1;
}

static inline void dc_kill(dc_cluster *c, int i, int sig)
{
    if (c->pid[i] > 0)
        kc_stop_process(c->pid[i], sig, 30000);
    c->pid[i] = 0;
}

static inline void dc_stop_all(dc_cluster *c)
{
    for (int i = 0; i < DC_WORKERS; i++)
        if (c->pid[i] > 0) {
            int status = kc_stop_process(c->pid[i], SIGTERM, 40000);
            CU_ASSERT_EQUAL(status, 0);
            c->pid[i] = 0;
        }
}

/* A JSON request to worker i; retries 409 (rebalance, no leader yet) until timeout_ms. Returns the
 * final status; *body (may be NULL) receives the parsed answer. */
static inline int dc_request(dc_cluster *c, int i, const char *method, const char *path, const char *json,
                             int timeout_ms, json_t **body)
{
    long until = kc_test_now_ms() + timeout_ms;
    kc_http_reply r = {0};
    int status = -1;
    for (;;) {
        if (kc_http_json(c->port[i], method, path, json, &r) == 0) {
            status = r.status;
            if (status != 409 || kc_test_now_ms() > until)
                break;
        } else if (kc_test_now_ms() > until) {
            break;
        }
        usleep(250 * 1000);
    }
    if (body)
        *body = r.body ? json_loads(r.body, JSON_DECODE_ANY, NULL) : NULL;
    kc_http_reply_free(&r);
    return status;
}

/* The cluster's view from worker i: number of RUNNING tasks per worker port (tasks[k] for worker k),
 * of all tasks, and whether every listed connector and task is RUNNING. */
typedef struct dc_view {
    int running[DC_WORKERS];
    int other;       /* RUNNING on a worker id that is none of ours (must stay 0) */
    int total_tasks;
    int running_tasks;
    int connectors_running;
    int connectors;
} dc_view;

static inline int dc_worker_of(const dc_cluster *c, const char *worker_id)
{
    const char *colon = worker_id ? strrchr(worker_id, ':') : NULL;
    int port = colon ? atoi(colon + 1) : -1;
    for (int k = 0; k < DC_WORKERS; k++)
        if (c->port[k] == port)
            return k;
    return -1;
}

static inline int dc_view_of(dc_cluster *c, int i, dc_view *v)
{
    memset(v, 0, sizeof *v);
    json_t *all = NULL;
    if (dc_request(c, i, "GET", "/connectors?expand=status", NULL, 0, &all) != 200 || !json_is_object(all)) {
        json_decref(all);
        return -1;
    }
    const char *name;
    json_t *e;
    json_object_foreach(all, name, e) {
        json_t *st = json_object_get(e, "status");
        v->connectors++;
        json_t *conn = json_object_get(st, "connector");
        if (conn && strcmp(json_string_value(json_object_get(conn, "state")) ?: "", "RUNNING") == 0)
            v->connectors_running++;
        size_t k;
        json_t *t;
        json_array_foreach(json_object_get(st, "tasks"), k, t) {
            v->total_tasks++;
            if (strcmp(json_string_value(json_object_get(t, "state")) ?: "", "RUNNING") != 0)
                continue;
            v->running_tasks++;
            int w = dc_worker_of(c, json_string_value(json_object_get(t, "worker_id")));
            if (w >= 0)
                v->running[w]++;
            else
                v->other++;
        }
    }
    json_decref(all);
    return 0;
}

/* Waits until worker i's view shows `connectors` connectors and `tasks` tasks all RUNNING, only on
 * the workers in `alive` (bitmask), spread with at most one task of difference among them. Returns
 * the elapsed ms, or -1 after timeout_ms. */
static inline long dc_wait_balanced(dc_cluster *c, int i, int connectors, int tasks, unsigned alive, int timeout_ms)
{
    long start = kc_test_now_ms();
    dc_view v;
    while (kc_test_now_ms() - start < timeout_ms) {
        if (dc_view_of(c, i, &v) == 0 && v.connectors == connectors && v.connectors_running == connectors &&
            v.total_tasks == tasks && v.running_tasks == tasks && v.other == 0) {
            int lo = 1 << 30, hi = -1;
            bool stray = false;
            for (int k = 0; k < DC_WORKERS; k++) {
                if (!(alive & (1u << k))) {
                    stray |= v.running[k] != 0;
                    continue;
                }
                lo = v.running[k] < lo ? v.running[k] : lo;
                hi = v.running[k] > hi ? v.running[k] : hi;
            }
            if (!stray && hi - lo <= 1)
                return kc_test_now_ms() - start;
        }
        usleep(200 * 1000);
    }
    dc_view_of(c, i, &v);
    fprintf(stderr, "not balanced: %d/%d connectors, %d/%d tasks running; per worker %d %d %d, other %d\n",
            v.connectors_running, v.connectors, v.running_tasks, v.total_tasks, v.running[0], v.running[1],
            v.running[2], v.other);
    return -1;
}

/* ---- counting the pipeline -------------------------------------------------------------------------- */

/* A set of (topic index, task, seqno) as a bitmap per (topic, task). */
#define DC_TOPICS 8
#define DC_TASKS 8
#define DC_SEQ_MAX 200000

typedef struct dc_counts {
    unsigned char *acked[DC_TOPICS][DC_TASKS];
    unsigned char *received[DC_TOPICS][DC_TASKS];
    long acked_n, received_n, duplicates;
} dc_counts;

static inline void dc_counts_free(dc_counts *k)
{
    for (int t = 0; t < DC_TOPICS; t++)
        for (int s = 0; s < DC_TASKS; s++) {
            free(k->acked[t][s]);
            free(k->received[t][s]);
        }
    memset(k, 0, sizeof *k);
}

static inline void dc_mark(unsigned char **slot, long seqno, long *n, long *dup)
{
    if (seqno < 0 || seqno >= DC_SEQ_MAX)
        return;
    if (!*slot)
        *slot = calloc(DC_SEQ_MAX / 8 + 1, 1);
    unsigned char bit = (unsigned char)(1u << (seqno % 8));
    if ((*slot)[seqno / 8] & bit) {
        if (dup)
            (*dup)++;
        return;
    }
    (*slot)[seqno / 8] |= bit;
    (*n)++;
}

/* Reads every worker log: source lines with "committed" are acked records of topic <prefix><n>;
 * sink lines without "flushed" are received records. */
static inline void dc_count(dc_cluster *c, const char *topic_prefix, dc_counts *k)
{
    dc_counts_free(k);
    size_t plen = strlen(topic_prefix);
    for (int i = 0; i < DC_WORKERS; i++) {
        FILE *f = fopen(c->log[i], "r");
        if (!f)
            continue;
        char line[4096];
        while (fgets(line, sizeof line, f)) {
            if (line[0] != '{')
                continue;
            json_t *o = json_loads(line, 0, NULL);
            const char *topic = json_string_value(json_object_get(o, "topic"));
            json_t *task = json_object_get(o, "task"), *seq = json_object_get(o, "seqno");
            if (o && topic && strncmp(topic, topic_prefix, plen) == 0 && json_is_integer(task) &&
                json_is_integer(seq)) {
                int ti = atoi(topic + plen), ta = (int)json_integer_value(task);
                long sq = (long)json_integer_value(seq);
                if (ti >= 0 && ti < DC_TOPICS && ta >= 0 && ta < DC_TASKS) {
                    if (json_object_get(o, "sinkTask")) {
                        if (!json_object_get(o, "flushed"))
                            dc_mark(&k->received[ti][ta], sq, &k->received_n, &k->duplicates);
                    } else if (json_is_true(json_object_get(o, "committed"))) {
                        dc_mark(&k->acked[ti][ta], sq, &k->acked_n, NULL);
                    }
                }
            }
            json_decref(o);
        }
        fclose(f);
    }
}

/* Acked records the sinks never received. */
static inline long dc_lost(const dc_counts *k)
{
    long lost = 0;
    for (int t = 0; t < DC_TOPICS; t++)
        for (int s = 0; s < DC_TASKS; s++) {
            if (!k->acked[t][s])
                continue;
            for (long b = 0; b < DC_SEQ_MAX / 8 + 1; b++) {
                unsigned char a = k->acked[t][s][b], r = k->received[t][s] ? k->received[t][s][b] : 0;
                lost += __builtin_popcount((unsigned)(a & (unsigned char)~r));
            }
        }
    return lost;
}

/* Milliseconds from a kconnect worker's first log line to its first "Joined group" line (the log's
 * own timestamps, "2026-12-02T00:00:22.491Z"), -1 when not found. */
static inline long dc_join_ms(const char *log)
{
    FILE *f = fopen(log, "r");
    char line[4096];
    long first = -1, joined = -1;
    while (f && fgets(line, sizeof line, f)) {
        int h, m, sec, ms;
        if (sscanf(line, "%*4d-%*2d-%*2dT%2d:%2d:%2d.%3dZ", &h, &m, &sec, &ms) != 4)
            continue;
        long t = ((h * 60L + m) * 60 + sec) * 1000 + ms;
        if (first < 0)
            first = t;
        if (strstr(line, "Joined group at generation")) {
            joined = t;
            break;
        }
    }
    if (f)
        fclose(f);
    return first >= 0 && joined >= 0 ? joined - first : -1;
}

/* ---- the whole scenario (issue: it_distributed_cluster / it_protocols) ---------------------------- */

typedef struct dc_result {
    long join_ms;        /* from the first start to every connector and task running, balanced */
    long failover_ms;    /* from the kill -9 to every task running on the two others */
    long rejoin_ms;      /* from the restart to balanced over three again */
    long acked, received, lost, duplicates;
} dc_result;

#define DC_SOURCES 3
#define DC_TASKS_PER 3

/* Three workers, 3 VerifiableSource + 3 VerifiableSink connectors with 3 tasks each created through
 * the three workers in turn; kill -9 one worker, restart it; pause the sources and count. */
static inline void dc_scenario(const char *name, const char *protocol, bool scram, dc_result *res)
{
    memset(res, 0, sizeof *res);
    dc_cluster c;
    dc_init(&c, name, protocol, scram);
    long t0 = kc_test_now_ms();
    for (int i = 0; i < DC_WORKERS; i++)
        CU_ASSERT_EQUAL_FATAL(dc_start(&c, i), 0);
    char body[2048], path[256];
    int created = 0;
    for (int n = 0; n < DC_SOURCES; n++) {
        snprintf(body, sizeof body,
                 "{\"name\":\"src-%d\",\"config\":{\"connector.class\":\"org.apache.kafka.connect.tools."
                 "VerifiableSourceConnector\",\"tasks.max\":\"%d\",\"topic\":\"%s-t%d\",\"throughput\":\"200\"}}",
                 n, DC_TASKS_PER, c.group, n);
        int st = dc_request(&c, n % DC_WORKERS, "POST", "/connectors", body, 90000, NULL);
        CU_ASSERT_EQUAL(st, 201);
        created += st == 201;
        snprintf(body, sizeof body,
                 "{\"name\":\"snk-%d\",\"config\":{\"connector.class\":\"org.apache.kafka.connect.tools."
                 "VerifiableSinkConnector\",\"tasks.max\":\"%d\",\"topics\":\"%s-t%d\"}}",
                 n, DC_TASKS_PER, c.group, n);
        st = dc_request(&c, (n + 1) % DC_WORKERS, "POST", "/connectors", body, 90000, NULL);
        CU_ASSERT_EQUAL(st, 201);
        created += st == 201;
    }
    CU_ASSERT_EQUAL(created, 2 * DC_SOURCES);
    /* a write to an existing name through a follower is refused by the leader, relayed */
    snprintf(body, sizeof body, "{\"name\":\"src-0\",\"config\":{\"connector.class\":\"org.apache.kafka.connect."
                                "tools.VerifiableSourceConnector\",\"topic\":\"x\"}}");
    for (int i = 0; i < DC_WORKERS; i++) {
        json_t *e = NULL;
        CU_ASSERT_EQUAL(dc_request(&c, i, "POST", "/connectors", body, 0, &e), 409);
        const char *msg = json_string_value(json_object_get(e, "message"));
        CU_ASSERT(msg && (strcmp(msg, "Connector src-0 already exists") == 0 || strstr(msg, "rebalance")));
        json_decref(e);
    }
    int conns = 2 * DC_SOURCES, tasks = 2 * DC_SOURCES * DC_TASKS_PER;
    long bal = dc_wait_balanced(&c, 0, conns, tasks, 7u, 120000);
    CU_ASSERT(bal >= 0);
    res->join_ms = kc_test_now_ms() - t0;
    fprintf(stderr, "[%s %s] %d connectors, %d tasks running and balanced %ld ms after start\n", name, protocol,
            conns, tasks, res->join_ms);
    for (int i = 0; i < DC_WORKERS; i++)
        fprintf(stderr, "[%s %s] worker %d: from process start to joined the group %ld ms\n", name, protocol, i,
                dc_join_ms(c.log[i]));
    for (int i = 1; i < DC_WORKERS; i++) { /* every worker sees the same */
        dc_view v;
        CU_ASSERT_EQUAL(dc_view_of(&c, i, &v), 0);
        CU_ASSERT_EQUAL(v.connectors, conns);
    }
    sleep(3);

    /* kill -9 worker 2: its work moves within scheduled.rebalance.max.delay.ms + 10 s */
    long kill_at = kc_test_now_ms();
    dc_kill(&c, 2, SIGKILL);
    long moved = dc_wait_balanced(&c, 0, conns, tasks, 3u, DC_MAX_DELAY_MS + 40000);
    CU_ASSERT(moved >= 0);
    res->failover_ms = moved >= 0 ? kc_test_now_ms() - kill_at : -1;
    CU_ASSERT(res->failover_ms >= 0 && res->failover_ms <= DC_MAX_DELAY_MS + 10000);
    fprintf(stderr, "[%s %s] after kill -9 of a worker, all tasks ran on the other two %ld ms later\n", name,
            protocol, res->failover_ms);
    sleep(2);

    /* restart it: it takes its share back */
    long restart_at = kc_test_now_ms();
    CU_ASSERT_EQUAL_FATAL(dc_start(&c, 2), 0);
    long back = dc_wait_balanced(&c, 1, conns, tasks, 7u, 120000);
    CU_ASSERT(back >= 0);
    res->rejoin_ms = back >= 0 ? kc_test_now_ms() - restart_at : -1;
    fprintf(stderr, "[%s %s] restarted worker back in the balance %ld ms after its start\n", name, protocol,
            res->rejoin_ms);
    sleep(3);

    /* stop producing, let the sinks drain, count */
    for (int n = 0; n < DC_SOURCES; n++) {
        snprintf(path, sizeof path, "/connectors/src-%d/pause", n);
        CU_ASSERT_EQUAL(dc_request(&c, n % DC_WORKERS, "PUT", path, NULL, 30000, NULL), 202);
    }
    char prefix[200];
    snprintf(prefix, sizeof prefix, "%s-t", c.group);
    dc_counts k = {0};
    long until = kc_test_now_ms() + 60000;
    do {
        sleep(2);
        dc_count(&c, prefix, &k);
    } while (dc_lost(&k) > 0 && kc_test_now_ms() < until);
    res->acked = k.acked_n;
    res->received = k.received_n;
    res->duplicates = k.duplicates;
    res->lost = dc_lost(&k);
    fprintf(stderr, "[%s %s] records acknowledged by Kafka: %ld, received by the sinks: %ld distinct (+%ld "
            "duplicates), lost: %ld\n", name, protocol, res->acked, res->received, res->duplicates, res->lost);
    CU_ASSERT(res->acked > 1000);
    CU_ASSERT_EQUAL(res->lost, 0);
    dc_counts_free(&k);
    dc_stop_all(&c);
}

#endif
