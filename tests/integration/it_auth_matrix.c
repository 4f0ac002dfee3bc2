/*
 * it_auth_matrix: every listener and SASL mechanism of both test bed clusters, through the Java-style
 * client configuration an operator writes (mapped by connect/config/client_config).
 *
 * Scenario, for clusters A and B and each of PLAINTEXT, SASL_PLAINTEXT+PLAIN,
 * SASL_PLAINTEXT+SCRAM-SHA-512, SASL_SSL+PLAIN and SASL_SSL+SCRAM-SHA-512: produce 1,000 keyed
 * records with acks=all to a fresh topic, then consume them in a group and count exactly 1,000.
 * Then `kconnect check-connection` with a wrong password must fail with an authentication error, and
 * with the wrong CA with a TLS error, each within 10 s; and the restricted user may write to its
 * prefix but not elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"
#include "connect/kafka/check_connection.h"
#include "kc_test.h"

#define RECORDS 1000

typedef struct combo {
    const char *name;
    const char *listener;   /* suffix of the env variable: PLAINTEXT, SASL_PLAINTEXT, SASL_SSL */
    const char *protocol;
    const char *mechanism;  /* NULL for PLAINTEXT */
} combo;

static const combo combos[] = {
    {"plaintext", "PLAINTEXT", "PLAINTEXT", NULL},
    {"sasl-plaintext-plain", "SASL_PLAINTEXT", "SASL_PLAINTEXT", "PLAIN"},
    {"sasl-plaintext-scram", "SASL_PLAINTEXT", "SASL_PLAINTEXT", "SCRAM-SHA-512"},
    {"sasl-ssl-plain", "SASL_SSL", "SASL_SSL", "PLAIN"},
    {"sasl-ssl-scram", "SASL_SSL", "SASL_SSL", "SCRAM-SHA-512"},
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* The client properties an operator would write for this combination. New kc_props. */
static kc_props *client_props(const char *cluster, const combo *c, const char *user, const char *password,
                              const char *ca_file)
{
    char var[64], line[1024];
    kc_props *p = kc_props_new();
    snprintf(var, sizeof var, "KC_%s_%s", cluster, c->listener);
    kc_props_set(p, "bootstrap.servers", kc_testbed_require(var));
    kc_props_set(p, "security.protocol", c->protocol);
    if (c->mechanism) {
        kc_props_set(p, "sasl.mechanism", c->mechanism);
        snprintf(line, sizeof line, "org.apache.kafka.common.security.%s required username=\"%s\" password=\"%s\";",
                 strcmp(c->mechanism, "PLAIN") == 0 ? "plain.PlainLoginModule" : "scram.ScramLoginModule",
                 user, password);
        kc_props_set(p, "sasl.jaas.config", line);
    }
    if (strcmp(c->protocol, "SASL_SSL") == 0) {
        kc_props_set(p, "ssl.truststore.type", "PEM");
        kc_props_set(p, "ssl.truststore.location", ca_file);
    }
    return p;
}

static kc_props *admin_props(const char *cluster, const combo *c)
{
    return client_props(cluster, c, kc_testbed_require("KC_ADMIN_USER"), kc_testbed_require("KC_ADMIN_PASSWORD"),
                        kc_testbed_require("KC_CA_FILE"));
}

typedef struct delivery {
    int ok, failed;
    rd_kafka_resp_err_t last_err;
} delivery;

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
    (void)rk;
    delivery *d = opaque;
    if (m->err) {
        d->failed++;
        d->last_err = m->err;
    } else {
        d->ok++;
    }
}

/* Produces n keyed records to topic; returns how many were acknowledged. */
static int produce(const kc_props *props, const char *topic, int n, rd_kafka_resp_err_t *last_err)
{
    kc_error err;
    kc_props *p = kc_props_copy(props);
    kc_props_set(p, "acks", "all");
    kc_props_set(p, "linger.ms", "5");
    kc_props_set(p, "delivery.timeout.ms", "30000");
    rd_kafka_conf_t *conf = kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &err);
    kc_props_free(p);
    CU_ASSERT_FATAL(conf != NULL);
    delivery d = {0};
    rd_kafka_conf_set_opaque(conf, &d);
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    for (int i = 0; i < n; i++) {
        char key[32], value[256];
        snprintf(key, sizeof key, "k%d", i);
        snprintf(value, sizeof value, "record %d of %s", i, topic);
        rd_kafka_resp_err_t e;
        while ((e = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key, strlen(key)),
                                      RD_KAFKA_V_VALUE(value, strlen(value)),
                                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) ==
               RD_KAFKA_RESP_ERR__QUEUE_FULL)
            rd_kafka_poll(rk, 10);
        CU_ASSERT(e == RD_KAFKA_RESP_ERR_NO_ERROR);
        rd_kafka_poll(rk, 0);
    }
    rd_kafka_flush(rk, 40000);
    rd_kafka_destroy(rk);
    if (last_err)
        *last_err = d.last_err;
    return d.ok;
}

/* Consumes topic in a new group from the start until n records arrived or 60 s passed. */
static int consume(const kc_props *props, const char *topic, int n)
{
    kc_error err;
    kc_props *p = kc_props_copy(props);
    char group[256];
    snprintf(group, sizeof group, "%s-group", topic);
    kc_props_set(p, "group.id", group);
    kc_props_set(p, "auto.offset.reset", "earliest");
    rd_kafka_conf_t *conf = kc_client_conf_new(p, KC_CLIENT_CONSUMER, NULL, NULL, &err);
    kc_props_free(p);
    CU_ASSERT_FATAL(conf != NULL);
    char errstr[512];
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    CU_ASSERT_FATAL(rk != NULL);
    rd_kafka_poll_set_consumer(rk);
    rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(sub, topic, RD_KAFKA_PARTITION_UA);
    CU_ASSERT(rd_kafka_subscribe(rk, sub) == RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_topic_partition_list_destroy(sub);
    int got = 0, bad = 0;
    long deadline = now_ms() + 60000;
    while (got < n && now_ms() < deadline) {
        rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 200);
        if (!m)
            continue;
        if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            char want[32];
            snprintf(want, sizeof want, "k%d", got);
            if (m->key_len != strlen(want) || memcmp(m->key, want, m->key_len) != 0)
                bad++;
            got++;
        }
        rd_kafka_message_destroy(m);
    }
    CU_ASSERT_EQUAL(bad, 0); /* one partition: keys arrive in the order they were sent */
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return got;
}

static void run_combo(const char *cluster, const combo *c)
{
    char topic[128];
    snprintf(topic, sizeof topic, "it-auth-%s-%s-%ld", cluster, c->name, (long)getpid());
    kc_props *p = admin_props(cluster, c);
    long t0 = now_ms();
    rd_kafka_resp_err_t last = RD_KAFKA_RESP_ERR_NO_ERROR;
    int acked = produce(p, topic, RECORDS, &last);
    int consumed = consume(p, topic, RECORDS);
    printf("\n    %s %-22s produced %d, consumed %d in %ld ms%s%s", cluster, c->name, acked, consumed,
           now_ms() - t0, last ? ", last error: " : "", last ? rd_kafka_err2str(last) : "");
    CU_ASSERT_EQUAL(acked, RECORDS);
    CU_ASSERT_EQUAL(consumed, RECORDS);
    kc_props_free(p);
}

static void test_cluster_a(void)
{
    for (size_t i = 0; i < sizeof combos / sizeof combos[0]; i++)
        run_combo("A", &combos[i]);
}

static void test_cluster_b(void)
{
    for (size_t i = 0; i < sizeof combos / sizeof combos[0]; i++)
        run_combo("B", &combos[i]);
}

/* Runs `kconnect check-connection file`; returns its exit status, stderr in out, time in *ms. */
static int run_check_cli(const kc_props *props, char *out, size_t out_len, long *ms)
{
    char path[] = "/tmp/kc-it-client-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    FILE *f = fdopen(fd, "w");
    for (size_t i = 0; i < kc_props_count(props); i++) {
        fprintf(f, "%s=", kc_props_key_at(props, i));
        for (const char *v = kc_props_value_at(props, i); *v; v++) /* escape for .properties */
            fprintf(f, *v == '\\' ? "\\\\" : "%c", *v);
        fputc('\n', f);
    }
    fclose(f);
    const char *bin = getenv("KCONNECT_BIN");
    CU_ASSERT_FATAL(bin != NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' check-connection '%s' 2>&1", bin, path);
    long t0 = now_ms();
    FILE *pipe = popen(cmd, "r");
    CU_ASSERT_FATAL(pipe != NULL);
    size_t n = fread(out, 1, out_len - 1, pipe);
    out[n] = '\0';
    int status = pclose(pipe);
    *ms = now_ms() - t0;
    unlink(path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_wrong_password_is_auth_error(void)
{
    for (int i = 0; i < 2; i++) {
        const char *cluster = i == 0 ? "A" : "B";
        const combo *c = &combos[4]; /* SASL_SSL + SCRAM-SHA-512 */
        kc_props *p = client_props(cluster, c, kc_testbed_require("KC_ADMIN_USER"), "not-the-password",
                                   kc_testbed_require("KC_CA_FILE"));
        char out[4096];
        long ms;
        int rc = run_check_cli(p, out, sizeof out, &ms);
        printf("\n    %s wrong password: exit %d after %ld ms: %s", cluster, rc, ms, out);
        CU_ASSERT_EQUAL(rc, 5);
        CU_ASSERT(strstr(out, "authentication failed") != NULL);
        CU_ASSERT(strstr(out, "not-the-password") == NULL);
        CU_ASSERT(ms < 10000);
        kc_props_free(p);

        /* the same through PLAIN on the plaintext SASL listener */
        p = client_props(cluster, &combos[1], kc_testbed_require("KC_ADMIN_USER"), "wrong",
                         kc_testbed_require("KC_CA_FILE"));
        rc = run_check_cli(p, out, sizeof out, &ms);
        CU_ASSERT_EQUAL(rc, 5);
        CU_ASSERT(ms < 10000);
        kc_props_free(p);
    }
}

static void test_wrong_ca_is_tls_error(void)
{
    for (int i = 0; i < 2; i++) {
        const char *cluster = i == 0 ? "A" : "B";
        kc_props *p = client_props(cluster, &combos[3], kc_testbed_require("KC_ADMIN_USER"),
                                   kc_testbed_require("KC_ADMIN_PASSWORD"), kc_testbed_require("KC_WRONG_CA_FILE"));
        char out[4096];
        long ms;
        int rc = run_check_cli(p, out, sizeof out, &ms);
        printf("\n    %s wrong CA: exit %d after %ld ms: %s", cluster, rc, ms, out);
        CU_ASSERT_EQUAL(rc, 4);
        CU_ASSERT(strstr(out, "TLS failure") != NULL);
        CU_ASSERT(ms < 10000);
        kc_props_free(p);
    }
}

static void test_check_connection_reports_cluster(void)
{
    for (int i = 0; i < 2; i++) {
        const char *cluster = i == 0 ? "A" : "B";
        kc_props *p = admin_props(cluster, &combos[4]);
        kc_cluster_info info;
        kc_error err;
        int rc = kc_check_connection(p, 10000, &info, &err);
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        char var[64];
        snprintf(var, sizeof var, "KC_%s_CLUSTER_ID", cluster);
        CU_ASSERT_STRING_EQUAL(info.cluster_id, kc_testbed_require(var));
        snprintf(var, sizeof var, "KC_%s_BROKERS", cluster);
        CU_ASSERT_EQUAL(info.broker_count, atoi(kc_testbed_require(var)));
        kc_props_free(p);
    }
    /* nothing listens there: unreachable, within the deadline */
    kc_props *p = kc_props_new();
    kc_props_set(p, "bootstrap.servers", "127.0.0.1:1");
    kc_cluster_info info;
    kc_error err;
    long t0 = now_ms();
    CU_ASSERT_EQUAL(kc_check_connection(p, 2000, &info, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_UNREACHABLE);
    CU_ASSERT(now_ms() - t0 < 5000);
    kc_props_free(p);
}

static void test_restricted_user_acls(void)
{
    const combo *c = &combos[4];
    kc_props *p = client_props("A", c, kc_testbed_require("KC_USER"), kc_testbed_require("KC_USER_PASSWORD"),
                               kc_testbed_require("KC_CA_FILE"));
    char topic[128];
    snprintf(topic, sizeof topic, "%sit-auth-%ld", kc_testbed_require("KC_USER_TOPIC_PREFIX"), (long)getpid());
    rd_kafka_resp_err_t last;
    CU_ASSERT_EQUAL(produce(p, topic, 10, &last), 10);
    snprintf(topic, sizeof topic, "denied-it-auth-%ld", (long)getpid());
    CU_ASSERT_EQUAL(produce(p, topic, 1, &last), 0);
    CU_ASSERT(last == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
    kc_props_free(p);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    static const kc_test_case cases[] = {
        {"cluster A: 5 listener/mechanism combinations, 1000 records each", test_cluster_a},
        {"cluster B: 5 listener/mechanism combinations, 1000 records each", test_cluster_b},
        {"check-connection reports cluster id and brokers", test_check_connection_reports_cluster},
        {"wrong password: authentication error within 10 s", test_wrong_password_is_auth_error},
        {"wrong CA: TLS error within 10 s", test_wrong_ca_is_tls_error},
        {"restricted user: own prefix only", test_restricted_user_acls},
        {NULL, NULL},
    };
    return kc_test_run("it_auth_matrix", cases);
}
