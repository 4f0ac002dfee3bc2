/*
 * KafkaBasedLog + TopicAdmin start-up checks on librdkafka. See kafka_log.h for the contract.
 */
#include "storage/kafka_log.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/log.h"
#include "connect/config/client_config.h"

#define LOG_LOGGER "org.apache.kafka.connect.util.KafkaBasedLog"
#define ADMIN_LOGGER "org.apache.kafka.connect.util.TopicAdmin"
#define METADATA_BUDGET_MS 30000
#define STOP_FLUSH_MS 30000
#define ASYNC_QUEUE_WAIT_MS 60000
#define READ_ONLY_MSG "This KafkaBasedLog was created in read-only mode and does not support write operations"

typedef struct send_op {
    kc_kafka_log *log;
    kc_kafka_log_send_cb cb;    /* async */
    void *opaque;
    int sync;                   /* the sender waits on done */
    int abandoned;              /* the sync sender gave up: the delivery report frees */
    int done;
    rd_kafka_resp_err_t err;
    char errstr[256];
    int32_t partition;
    int64_t offset;
} send_op;

struct kc_kafka_log {
    char *topic;
    kc_props *producer_props;   /* NULL = read-only */
    kc_props *consumer_props;
    kc_props *admin_props;      /* NULL = no topic initialisation */
    int has_spec;
    kc_kafka_log_topic_spec spec;
    char *spec_property;
    char *spec_purpose;
    kc_props *spec_configs;
    kc_kafka_log_consume_cb consume_cb;
    void *opaque;

    rd_kafka_t *producer;
    rd_kafka_t *consumer;
    rd_kafka_t *admin;          /* end offsets (and topic init); NULL without admin props */
    int started;
    int stopped;
    int nparts;
    int64_t *pos;               /* next offset to read, -1 unknown */
    int64_t *lo;
    int64_t *end;
    char *last_error;
};

/* ---- helpers ------------------------------------------------------------------------------------ */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int remaining_ms(int64_t deadline)
{
    int64_t r = deadline - now_ms();
    if (r < 0)
        return 0;
    return r > 0x7fffffff ? 0x7fffffff : (int)r;
}

__attribute__((format(printf, 4, 5)))
static int fail(kc_kafka_log *log, kc_error *err, kc_error_code code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = malloc(n > 0 ? (size_t)n + 1 : 1);
    if (text) {
        va_start(ap, fmt);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
        va_end(ap);
        free(log->last_error);
        log->last_error = text;
        return kc_error_set(err, code, "%s", text);
    }
    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int kc_kafka_log_cleanup_policy_message(char *buf, size_t size, const char *topic,
                                        const char *property, const char *purpose,
                                        const char *found)
{
    return snprintf(buf, size,
                    "Topic '%s' supplied via the '%s' property is required to have "
                    "'cleanup.policy=compact' to guarantee consistency and durability of %s, but "
                    "found the topic currently has 'cleanup.policy=%s'. Continuing would likely "
                    "result in eventually losing %s and problems restarting this Connect cluster in "
                    "the future. Change the '%s' property in the Connect worker configurations to use "
                    "a topic with 'cleanup.policy=compact'.",
                    topic, property, purpose, found, purpose, property);
}

/* ---- construction ------------------------------------------------------------------------------- */

kc_kafka_log *kc_kafka_log_new(const char *topic, const kc_props *producer_props,
                               const kc_props *consumer_props, const kc_props *admin_props,
                               const kc_kafka_log_topic_spec *spec,
                               kc_kafka_log_consume_cb consume_cb, void *opaque, kc_error *err)
{
    if (!topic || !*topic) {
        kc_error_set(err, KC_ERR_INVALID, "KafkaBasedLog needs a topic name");
        return NULL;
    }
    if (!consumer_props) {
        kc_error_set(err, KC_ERR_INVALID, "KafkaBasedLog needs consumer properties");
        return NULL;
    }
    if (admin_props && (!spec || !spec->property || !spec->purpose)) {
        kc_error_set(err, KC_ERR_INVALID,
                     "KafkaBasedLog with an admin client needs a topic spec with property and purpose");
        return NULL;
    }
    kc_kafka_log *log = calloc(1, sizeof *log);
    if (!log) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    log->topic = strdup(topic);
    log->consumer_props = kc_props_copy(consumer_props);
    int oom = !log->topic || !log->consumer_props;
    if (producer_props) {
        log->producer_props = kc_props_copy(producer_props);
        oom |= !log->producer_props;
    }
    if (admin_props) {
        log->admin_props = kc_props_copy(admin_props);
        oom |= !log->admin_props;
    }
    if (spec) {
        log->has_spec = 1;
        log->spec = *spec;
        log->spec_property = dup_or_null(spec->property);
        log->spec_purpose = dup_or_null(spec->purpose);
        oom |= (spec->property && !log->spec_property) || (spec->purpose && !log->spec_purpose);
        if (spec->configs) {
            log->spec_configs = kc_props_copy(spec->configs);
            oom |= !log->spec_configs;
        }
        log->spec.property = log->spec_property;
        log->spec.purpose = log->spec_purpose;
        log->spec.configs = log->spec_configs;
        if (log->spec.create_timeout_ms <= 0)
            log->spec.create_timeout_ms = 60000;
        if (log->spec.retry_backoff_ms <= 0)
            log->spec.retry_backoff_ms = 100;
    }
    log->consume_cb = consume_cb;
    log->opaque = opaque;
    if (oom) {
        kc_kafka_log_free(log);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    return log;
}

/* ---- TopicAdmin ----------------------------------------------------------------------------------- */

/* Java HashSet iteration order for a small set of strings (table of 16 buckets, enough for up to
 * 12 entries; more never occur in a cleanup.policy). */
static unsigned java_bucket(const char *s)
{
    int32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (int32_t)((uint32_t)h * 31u + *p);
    uint32_t u = (uint32_t)h;
    return (u ^ (u >> 16)) & 15u;
}

/* Normalises a cleanup.policy value into a Java-ordered, comma-joined set in out. Returns 1 when the
 * set is exactly {compact}. */
static int normalise_policy(const char *value, char *out, size_t size)
{
    char items[16][64];
    int n = 0;
    const char *p = value ? value : "";
    while (*p && n < 16) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len && len < sizeof items[0]) {
            char tmp[64];
            for (size_t i = 0; i < len; i++)
                tmp[i] = (char)tolower((unsigned char)p[i]);
            tmp[len] = 0;
            int dup = 0;
            for (int i = 0; i < n; i++)
                dup |= strcmp(items[i], tmp) == 0;
            if (!dup)
                memcpy(items[n++], tmp, len + 1);
        }
        if (!q)
            break;
        p = q + 1;
    }
    size_t off = 0;
    out[0] = 0;
    int first = 1;
    for (unsigned b = 0; b < 16; b++)
        for (int i = 0; i < n; i++)
            if (java_bucket(items[i]) == b) {
                int w = snprintf(out + off, off < size ? size - off : 0, "%s%s", first ? "" : ",",
                                 items[i]);
                if (w > 0)
                    off += (size_t)w;
                if (off >= size)
                    off = size - 1;
                first = 0;
            }
    return n == 1 && strcmp(items[0], "compact") == 0;
}

static rd_kafka_event_t *admin_wait(rd_kafka_queue_t *q, rd_kafka_event_type_t type, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        rd_kafka_event_t *ev = rd_kafka_queue_poll(q, remaining_ms(deadline));
        if (!ev || rd_kafka_event_type(ev) == type)
            return ev;
        rd_kafka_event_destroy(ev);
        if (now_ms() >= deadline)
            return NULL;
    }
}

static int verify_policy(kc_kafka_log *log, rd_kafka_t *admin, int timeout_ms, kc_error *err)
{
    rd_kafka_ConfigResource_t *res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, log->topic);
    rd_kafka_queue_t *q = rd_kafka_queue_new(admin);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(admin, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
    char errstr[256];
    rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, errstr, sizeof errstr);
    rd_kafka_DescribeConfigs(admin, &res, 1, opts, q);
    rd_kafka_event_t *ev = admin_wait(q, RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT, timeout_ms + 5000);
    const char *policy = NULL;
    int found = 0;
    const char *why = "no answer";
    if (ev && rd_kafka_event_error(ev)) {
        why = rd_kafka_event_error_string(ev);
    } else if (ev) {
        const rd_kafka_DescribeConfigs_result_t *r = rd_kafka_event_DescribeConfigs_result(ev);
        size_t nres = 0;
        const rd_kafka_ConfigResource_t **rs = r ? rd_kafka_DescribeConfigs_result_resources(r, &nres) : NULL;
        if (nres >= 1 && rd_kafka_ConfigResource_error(rs[0])) {
            why = rd_kafka_ConfigResource_error_string(rs[0]);
            if (!why)
                why = rd_kafka_err2str(rd_kafka_ConfigResource_error(rs[0]));
        } else if (nres >= 1) {
            size_t nent = 0;
            const rd_kafka_ConfigEntry_t **ents = rd_kafka_ConfigResource_configs(rs[0], &nent);
            for (size_t i = 0; i < nent; i++)
                if (strcmp(rd_kafka_ConfigEntry_name(ents[i]), "cleanup.policy") == 0) {
                    policy = rd_kafka_ConfigEntry_value(ents[i]);
                    found = 1;
                }
            if (!found)
                why = "no cleanup.policy in the topic's configs";
        }
    }
    int rc = 0;
    if (!found) {
        kc_log(KC_LOG_INFO, ADMIN_LOGGER,
               "Unable to use admin client to verify the cleanup policy of '%s' topic is 'compact', "
               "either because the broker is an older version or because the Kafka principal used "
               "for the internal topics does not have the required permission to describe topic "
               "configurations. (%s)",
               log->topic, why ? why : "unknown");
    } else {
        char set[512];
        if (!normalise_policy(policy, set, sizeof set)) {
            char *msg = NULL;
            int n = kc_kafka_log_cleanup_policy_message(NULL, 0, log->topic, log->spec.property,
                                                        log->spec.purpose, set);
            msg = n > 0 ? malloc((size_t)n + 1) : NULL;
            if (msg) {
                kc_kafka_log_cleanup_policy_message(msg, (size_t)n + 1, log->topic,
                                                    log->spec.property, log->spec.purpose, set);
                rc = fail(log, err, KC_ERR_INVALID, "%s", msg);
                free(msg);
            } else {
                rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            }
        } else {
            kc_log(KC_LOG_DEBUG, ADMIN_LOGGER, "Topic '%s' has cleanup.policy=compact", log->topic);
        }
    }
    if (ev)
        rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_queue_destroy(q);
    rd_kafka_ConfigResource_destroy(res);
    return rc;
}

/* Creates the topic or verifies the existing one (§6.3, §6.4). */
static int make_admin(kc_kafka_log *log, kc_error *err)
{
    kc_error e;
    kc_error_clear(&e);
    rd_kafka_conf_t *conf = kc_client_conf_new(log->admin_props, KC_CLIENT_ADMIN, NULL, NULL, &e);
    if (!conf)
        return fail(log, err, e.code, "admin client configuration: %s", e.msg);
    char errstr[512];
    log->admin = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!log->admin) {
        rd_kafka_conf_destroy(conf);
        return fail(log, err, KC_ERR_INTERNAL, "admin client: %s", errstr);
    }
    return 0;
}

static int init_topic(kc_kafka_log *log, kc_error *err)
{
    char errstr[512];
    rd_kafka_t *admin = log->admin;
    const kc_kafka_log_topic_spec *s = &log->spec;
    int64_t deadline = now_ms() + s->create_timeout_ms;
    int rc = 0;
    int verify = 0;
    for (;;) {
        rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(log->topic, s->partitions,
                                                        s->replication_factor, errstr, sizeof errstr);
        if (!nt) {
            rc = fail(log, err, KC_ERR_INVALID, "Unable to create topic(s) '%s': %s", log->topic, errstr);
            break;
        }
        for (size_t i = 0; s->configs && i < kc_props_count(s->configs); i++) {
            const char *k = kc_props_key_at(s->configs, i);
            if (strcmp(k, "cleanup.policy") != 0)
                rd_kafka_NewTopic_set_config(nt, k, kc_props_value_at(s->configs, i));
        }
        rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
        rd_kafka_queue_t *q = rd_kafka_queue_new(admin);
        rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(admin, RD_KAFKA_ADMIN_OP_CREATETOPICS);
        int left = remaining_ms(deadline);
        if (left < 1000)
            left = 1000;
        rd_kafka_AdminOptions_set_request_timeout(opts, left, errstr, sizeof errstr);
        rd_kafka_AdminOptions_set_operation_timeout(opts, left, errstr, sizeof errstr);
        rd_kafka_CreateTopics(admin, &nt, 1, opts, q);
        rd_kafka_event_t *ev = admin_wait(q, RD_KAFKA_EVENT_CREATETOPICS_RESULT, left + 5000);
        rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR__TIMED_OUT;
        char msg[512];
        snprintf(msg, sizeof msg, "no answer");
        if (ev && rd_kafka_event_error(ev)) {
            code = rd_kafka_event_error(ev);
            snprintf(msg, sizeof msg, "%s", rd_kafka_event_error_string(ev));
        } else if (ev) {
            const rd_kafka_CreateTopics_result_t *r = rd_kafka_event_CreateTopics_result(ev);
            size_t n = 0;
            const rd_kafka_topic_result_t **tr = r ? rd_kafka_CreateTopics_result_topics(r, &n) : NULL;
            if (n >= 1) {
                code = rd_kafka_topic_result_error(tr[0]);
                const char *es = rd_kafka_topic_result_error_string(tr[0]);
                snprintf(msg, sizeof msg, "%s", es ? es : rd_kafka_err2str(code));
            }
        }
        if (ev)
            rd_kafka_event_destroy(ev);
        rd_kafka_AdminOptions_destroy(opts);
        rd_kafka_queue_destroy(q);
        rd_kafka_NewTopic_destroy(nt);

        if (code == RD_KAFKA_RESP_ERR_NO_ERROR) {
            kc_log(KC_LOG_INFO, ADMIN_LOGGER, "Created topic (name=%s, numPartitions=%d, "
                   "replicationFactor=%d) on brokers", log->topic, s->partitions, s->replication_factor);
            break;
        }
        if (code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
            kc_log(KC_LOG_DEBUG, ADMIN_LOGGER, "Found existing topic '%s'", log->topic);
            verify = 1;
            break;
        }
        if (code == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION ||
            code == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED ||
            code == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED) {
            kc_log(KC_LOG_DEBUG, ADMIN_LOGGER, "Unable to create topic '%s' (%s); assuming it exists "
                   "or will be auto-created", log->topic, msg);
            verify = 1;
            break;
        }
        if (code == RD_KAFKA_RESP_ERR_INVALID_CONFIG) {
            rc = fail(log, err, KC_ERR_INVALID, "Unable to create topic(s) '%s': %s", log->topic, msg);
            break;
        }
        int retriable = code == RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR ||
                        code == RD_KAFKA_RESP_ERR__TIMED_OUT ||
                        code == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT ||
                        code == RD_KAFKA_RESP_ERR__TRANSPORT;
        if (retriable && remaining_ms(deadline) > s->retry_backoff_ms) {
            kc_log(KC_LOG_WARN, ADMIN_LOGGER, "'%s' topic creation failed due to '%s', retrying, %dms remaining",
                   log->topic, msg, remaining_ms(deadline));
            sleep_ms(s->retry_backoff_ms);
            continue;
        }
        if (retriable) {
            kc_log(KC_LOG_ERROR, ADMIN_LOGGER, "Timeout expired while trying to create topic(s) (%s)", msg);
            rc = fail(log, err, KC_ERR_TIMEOUT,
                      "Timed out while checking for or creating topic(s) '%s'. This could indicate a "
                      "connectivity issue, unavailable topic partitions, or if this is your first use "
                      "of the topic it may have taken too long to create.", log->topic);
            break;
        }
        kc_log(KC_LOG_ERROR, ADMIN_LOGGER, "Error while attempting to create/find topic(s) '%s': %s",
               log->topic, msg);
        rc = fail(log, err, KC_ERR_INTERNAL, "Error while attempting to create/find topic(s) '%s'",
                  log->topic);
        break;
    }
    if (rc == 0 && verify) {
        int left = remaining_ms(deadline);
        rc = verify_policy(log, admin, left < 5000 ? 5000 : left, err);
    }
    return rc;
}

/* ---- clients ------------------------------------------------------------------------------------- */

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *conf_opaque)
{
    (void)rk;
    (void)conf_opaque;
    send_op *op = m->_private;
    if (!op)
        return;
    op->err = m->err;
    op->partition = m->err ? -1 : m->partition;
    op->offset = m->err ? -1 : m->offset;
    if (m->err)
        snprintf(op->errstr, sizeof op->errstr, "%s", rd_kafka_err2str(m->err));
    if (op->sync) {
        op->done = 1;
        if (op->abandoned)
            free(op);
        return;
    }
    if (op->cb) {
        kc_error e;
        kc_error_clear(&e);
        if (m->err)
            kc_error_set(&e, m->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT ? KC_ERR_TIMEOUT : KC_ERR_IO,
                         "Failed to write to topic '%s': %s", op->log->topic, op->errstr);
        op->cb(op->opaque, m->err ? &e : NULL, op->partition, op->offset);
    }
    free(op);
}

static int make_producer(kc_kafka_log *log, kc_error *err)
{
    kc_props *p = kc_props_copy(log->producer_props);
    if (!p)
        return fail(log, err, KC_ERR_INTERNAL, "out of memory");
    /* §2.2: no partitioner settings of the worker reach internal-topic producers. */
    for (size_t i = kc_props_count(p); i-- > 0;)
        if (strncmp(kc_props_key_at(p, i), "partitioner", 11) == 0)
            kc_props_remove(p, kc_props_key_at(p, i));
    int bad = kc_props_set(p, "acks", "all") || kc_props_set(p, "max.in.flight.requests.per.connection", "1") ||
              kc_props_set(p, "enable.idempotence", "false");
    kc_error e;
    kc_error_clear(&e);
    rd_kafka_conf_t *conf = bad ? NULL : kc_client_conf_new(p, KC_CLIENT_PRODUCER, NULL, NULL, &e);
    kc_props_free(p);
    if (!conf)
        return fail(log, err, bad ? KC_ERR_INTERNAL : e.code, "producer configuration: %s",
                    bad ? "out of memory" : e.msg);
    char errstr[512];
    if (rd_kafka_conf_set(conf, "partitioner", "murmur2_random", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return fail(log, err, KC_ERR_INTERNAL, "producer configuration: %s", errstr);
    }
    rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
    log->producer = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!log->producer) {
        rd_kafka_conf_destroy(conf);
        return fail(log, err, KC_ERR_INTERNAL, "producer: %s", errstr);
    }
    return 0;
}

static int make_consumer(kc_kafka_log *log, kc_error *err)
{
    kc_props *p = kc_props_copy(log->consumer_props);
    if (!p)
        return fail(log, err, KC_ERR_INTERNAL, "out of memory");
    size_t glen = strlen(log->topic) + 32;
    char *group = malloc(glen);
    int bad = !group;
    if (group) {
        snprintf(group, glen, "%s-kconnect-log", log->topic);
        bad = kc_props_set(p, "group.id", group) || kc_props_set(p, "enable.auto.commit", "false") ||
              kc_props_set(p, "auto.offset.reset", "earliest");
    }
    free(group);
    kc_error e;
    kc_error_clear(&e);
    rd_kafka_conf_t *conf = bad ? NULL : kc_client_conf_new(p, KC_CLIENT_CONSUMER, NULL, NULL, &e);
    kc_props_free(p);
    if (!conf)
        return fail(log, err, bad ? KC_ERR_INTERNAL : e.code, "consumer configuration: %s",
                    bad ? "out of memory" : e.msg);
    char errstr[512];
    if (rd_kafka_conf_set(conf, "enable.auto.offset.store", "false", errstr, sizeof errstr) != RD_KAFKA_CONF_OK ||
        rd_kafka_conf_set(conf, "enable.partition.eof", "true", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return fail(log, err, KC_ERR_INTERNAL, "consumer configuration: %s", errstr);
    }
    log->consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!log->consumer) {
        rd_kafka_conf_destroy(conf);
        return fail(log, err, KC_ERR_INTERNAL, "consumer: %s", errstr);
    }
    rd_kafka_poll_set_consumer(log->consumer);
    return 0;
}

/* Partition count from metadata, retried with 100..1000 ms backoff for up to 30 s (§6.2 step 4). */
static int lookup_partitions(kc_kafka_log *log, kc_error *err)
{
    int64_t deadline = now_ms() + METADATA_BUDGET_MS;
    int64_t backoff = 100;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(log->consumer, log->topic, NULL);
    if (!rkt)
        return fail(log, err, KC_ERR_INTERNAL, "topic handle: %s", rd_kafka_err2str(rd_kafka_last_error()));
    int count = 0;
    for (;;) {
        const struct rd_kafka_metadata *md = NULL;
        int left = remaining_ms(deadline);
        rd_kafka_resp_err_t e = rd_kafka_metadata(log->consumer, 0, rkt, &md, left > 5000 ? 5000 : (left ? left : 1));
        if (e == RD_KAFKA_RESP_ERR_NO_ERROR && md) {
            if (md->topic_cnt == 1 && md->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR)
                count = md->topics[0].partition_cnt;
            rd_kafka_metadata_destroy(md);
        }
        if (count > 0 || now_ms() + backoff > deadline)
            break;
        sleep_ms(backoff);
        backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
    }
    rd_kafka_topic_destroy(rkt);
    if (count <= 0)
        return fail(log, err, KC_ERR_TIMEOUT,
                    "Could not look up partition metadata for topic '%s' in the allotted period. This "
                    "could indicate a connectivity issue, unavailable topic partitions, or if this is "
                    "your first use of the topic it may have taken too long to create.", log->topic);
    log->nparts = count;
    return 0;
}

static int assign_all(kc_kafka_log *log, kc_error *err)
{
    log->pos = malloc(sizeof *log->pos * (size_t)log->nparts);
    log->lo = malloc(sizeof *log->lo * (size_t)log->nparts);
    log->end = malloc(sizeof *log->end * (size_t)log->nparts);
    rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(log->nparts);
    if (!log->pos || !log->lo || !log->end || !l) {
        if (l)
            rd_kafka_topic_partition_list_destroy(l);
        return fail(log, err, KC_ERR_INTERNAL, "out of memory");
    }
    for (int p = 0; p < log->nparts; p++) {
        log->pos[p] = -1;
        log->lo[p] = 0;
        log->end[p] = 0;
        rd_kafka_topic_partition_list_add(l, log->topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
    }
    rd_kafka_resp_err_t e = rd_kafka_assign(log->consumer, l);
    rd_kafka_topic_partition_list_destroy(l);
    if (e)
        return fail(log, err, KC_ERR_INTERNAL, "assigning the partitions of '%s': %s", log->topic,
                    rd_kafka_err2str(e));
    return 0;
}

/* ---- consuming ----------------------------------------------------------------------------------- */

/* Handles one consumer event; returns 1 when a record was delivered. */
static int handle_message(kc_kafka_log *log, rd_kafka_message_t *m)
{
    int delivered = 0;
    int32_t p = m->partition;
    int ours = m->rkt && p >= 0 && p < log->nparts && strcmp(rd_kafka_topic_name(m->rkt), log->topic) == 0;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (ours && m->offset > log->pos[p])
            log->pos[p] = m->offset;
    } else if (m->err) {
        kc_log(KC_LOG_WARN, LOG_LOGGER, "Error polling: %s", rd_kafka_message_errstr(m));
    } else if (ours) {
        if (log->consume_cb) {
            kc_kafka_log_record r;
            r.key = m->key;
            r.key_len = m->key ? m->key_len : 0;
            r.value = m->payload;
            r.value_len = m->payload ? m->len : 0;
            r.partition = p;
            r.offset = m->offset;
            r.timestamp = rd_kafka_message_timestamp(m, NULL);
            log->consume_cb(log->opaque, &r);
        }
        if (m->offset + 1 > log->pos[p])
            log->pos[p] = m->offset + 1;
        delivered = 1;
    }
    rd_kafka_message_destroy(m);
    return delivered;
}

static int partition_done(const kc_kafka_log *log, int p)
{
    if (log->pos[p] >= 0)
        return log->pos[p] >= log->end[p];
    return log->lo[p] >= log->end[p];
}

static int retriable_err(rd_kafka_resp_err_t e)
{
    return e == RD_KAFKA_RESP_ERR__TIMED_OUT || e == RD_KAFKA_RESP_ERR__TRANSPORT ||
           e == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE || e == RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION ||
           e == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT || e == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
           e == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || e == RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION ||
           e == RD_KAFKA_RESP_ERR__WAIT_COORD || e == RD_KAFKA_RESP_ERR__IN_PROGRESS;
}

static int read_to_end(kc_kafka_log *log, int64_t deadline, kc_error *err)
{
    /* End offsets through the admin handle: the consumer's broker connections are busy with
     * long-polling fetches (fetch.wait.max.ms), behind which a ListOffsets would wait. */
    rd_kafka_t *wm = log->admin ? log->admin : log->consumer;
    int64_t backoff = 100;
    for (int p = 0; p < log->nparts; p++) {
        for (;;) {
            int64_t lo = 0, hi = 0;
            int left = remaining_ms(deadline);
            rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(wm, log->topic, p, &lo, &hi,
                                                                     left ? left : 1);
            if (!e) {
                log->lo[p] = lo;
                log->end[p] = hi;
                break;
            }
            if (!retriable_err(e) || remaining_ms(deadline) <= 0)
                return fail(log, err, retriable_err(e) ? KC_ERR_TIMEOUT : KC_ERR_IO,
                            "Failed to read the end offsets of topic '%s' partition %d: %s", log->topic,
                            p, rd_kafka_err2str(e));
            kc_log(KC_LOG_WARN, LOG_LOGGER, "Retriable error while reading end offsets of topic '%s': %s; "
                   "retrying", log->topic, rd_kafka_err2str(e));
            int wait = remaining_ms(deadline);
            sleep_ms(wait > backoff ? backoff : wait);
            backoff = backoff * 2 > 1000 ? 1000 : backoff * 2;
        }
    }
    for (;;) {
        int all = 1;
        for (int p = 0; p < log->nparts && all; p++)
            all = partition_done(log, p);
        if (all)
            return 0;
        int left = remaining_ms(deadline);
        if (left <= 0)
            return fail(log, err, KC_ERR_TIMEOUT, "Timeout while reading log to end for topic '%s'",
                        log->topic);
        rd_kafka_message_t *m = rd_kafka_consumer_poll(log->consumer, left > 500 ? 500 : left);
        if (m)
            handle_message(log, m);
    }
}

/* ---- public API ------------------------------------------------------------------------------------ */

int kc_kafka_log_start(kc_kafka_log *log, int timeout_ms, kc_error *err)
{
    if (log->started || log->stopped)
        return fail(log, err, KC_ERR_INVALID, "KafkaBasedLog for topic '%s' was already started", log->topic);
    const char *iso = kc_props_get(log->consumer_props, "isolation.level");
    if (!log->admin_props && iso && strcmp(iso, "read_committed") == 0)
        return fail(log, err, KC_ERR_INVALID, "Must provide a TopicAdmin to KafkaBasedLog when consumer "
                    "is configured with isolation.level set to read_committed");
    kc_log(KC_LOG_INFO, LOG_LOGGER, "Starting KafkaBasedLog with topic %s", log->topic);
    log->started = 1;
    if (log->admin_props && (make_admin(log, err) || init_topic(log, err)))
        goto failed;
    if (log->producer_props && make_producer(log, err))
        goto failed;
    if (make_consumer(log, err) || lookup_partitions(log, err))
        goto failed;
    if (log->has_spec && log->spec.require_single_partition && log->nparts > 1) {
        fail(log, err, KC_ERR_INVALID, "Topic '%s' supplied via the '%s' property is required to have a "
             "single partition in order to guarantee consistency of %s, but found %d partitions.",
             log->topic, log->spec.property ? log->spec.property : "config.storage.topic",
             log->spec.purpose ? log->spec.purpose : "connector configurations", log->nparts);
        goto failed;
    }
    if (assign_all(log, err) || read_to_end(log, now_ms() + (timeout_ms > 0 ? timeout_ms : 0), err))
        goto failed;
    kc_log(KC_LOG_INFO, LOG_LOGGER, "Finished reading KafkaBasedLog for topic %s", log->topic);
    kc_log(KC_LOG_INFO, LOG_LOGGER, "Started KafkaBasedLog for topic %s", log->topic);
    return 0;
failed:
    kc_kafka_log_stop(log);
    return -1;
}

int kc_kafka_log_partition_count(const kc_kafka_log *log)
{
    return log ? log->nparts : 0;
}

static int check_running(kc_kafka_log *log, kc_error *err)
{
    if (!log->started || log->stopped || !log->consumer)
        return fail(log, err, KC_ERR_UNAVAILABLE, "KafkaBasedLog for topic '%s' is not running", log->topic);
    return 0;
}

int kc_kafka_log_flush(kc_kafka_log *log, int timeout_ms, kc_error *err)
{
    if (!log->producer)
        return 0;
    if (rd_kafka_flush(log->producer, timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return fail(log, err, KC_ERR_TIMEOUT, "Timed out flushing the producer of topic '%s' "
                    "(%d records outstanding)", log->topic, rd_kafka_outq_len(log->producer));
    return 0;
}

int kc_kafka_log_read_to_end(kc_kafka_log *log, int timeout_ms, kc_error *err)
{
    if (check_running(log, err))
        return -1;
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (kc_kafka_log_flush(log, remaining_ms(deadline), err))
        return -1;
    return read_to_end(log, deadline, err);
}

int kc_kafka_log_poll(kc_kafka_log *log, int timeout_ms)
{
    if (!log->started || log->stopped || !log->consumer)
        return 0;
    if (log->producer)
        rd_kafka_poll(log->producer, 0);
    int n = 0;
    rd_kafka_message_t *m = rd_kafka_consumer_poll(log->consumer, timeout_ms);
    while (m) {
        n += handle_message(log, m);
        m = rd_kafka_consumer_poll(log->consumer, 0);
    }
    return n;
}

static rd_kafka_resp_err_t produce(kc_kafka_log *log, const void *key, size_t key_len, const void *value,
                                   size_t value_len, int32_t partition, send_op *op)
{
    return rd_kafka_producev(log->producer, RD_KAFKA_V_TOPIC(log->topic),
                             RD_KAFKA_V_PARTITION(partition < 0 ? RD_KAFKA_PARTITION_UA : partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_KEY((void *)key, key ? key_len : 0),
                             RD_KAFKA_V_VALUE((void *)value, value ? value_len : 0),
                             RD_KAFKA_V_OPAQUE(op), RD_KAFKA_V_END);
}

/* Produces, waiting for queue room until deadline. */
static int produce_wait(kc_kafka_log *log, const void *key, size_t key_len, const void *value,
                        size_t value_len, int32_t partition, send_op *op, int64_t deadline, kc_error *err)
{
    for (;;) {
        rd_kafka_resp_err_t e = produce(log, key, key_len, value, value_len, partition, op);
        if (!e)
            return 0;
        if (e != RD_KAFKA_RESP_ERR__QUEUE_FULL || remaining_ms(deadline) <= 0)
            return fail(log, err, e == RD_KAFKA_RESP_ERR__QUEUE_FULL ? KC_ERR_TIMEOUT : KC_ERR_IO,
                        "Failed to write to topic '%s': %s", log->topic, rd_kafka_err2str(e));
        rd_kafka_poll(log->producer, 100);
    }
}

static int check_writable(kc_kafka_log *log, kc_error *err)
{
    if (!log->producer_props)
        return fail(log, err, KC_ERR_INVALID, READ_ONLY_MSG);
    if (check_running(log, err))
        return -1;
    return 0;
}

int kc_kafka_log_send(kc_kafka_log *log, const void *key, size_t key_len, const void *value,
                      size_t value_len, int32_t partition, int timeout_ms, int32_t *partition_out,
                      int64_t *offset_out, kc_error *err)
{
    if (check_writable(log, err))
        return -1;
    send_op *op = calloc(1, sizeof *op);
    if (!op)
        return fail(log, err, KC_ERR_INTERNAL, "out of memory");
    op->log = log;
    op->sync = 1;
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    if (produce_wait(log, key, key_len, value, value_len, partition, op, deadline, err)) {
        free(op);
        return -1;
    }
    while (!op->done) {
        int left = remaining_ms(deadline);
        if (left <= 0)
            break;
        rd_kafka_poll(log->producer, left > 100 ? 100 : left);
    }
    if (!op->done) {
        op->abandoned = 1; /* the delivery report frees it */
        return fail(log, err, KC_ERR_TIMEOUT, "Timed out waiting for the acknowledgement of a record "
                    "sent to topic '%s'", log->topic);
    }
    int rc = 0;
    if (op->err)
        rc = fail(log, err, op->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT ? KC_ERR_TIMEOUT : KC_ERR_IO,
                  "Failed to write to topic '%s': %s", log->topic, op->errstr);
    else {
        if (partition_out)
            *partition_out = op->partition;
        if (offset_out)
            *offset_out = op->offset;
    }
    free(op);
    return rc;
}

int kc_kafka_log_send_async(kc_kafka_log *log, const void *key, size_t key_len, const void *value,
                            size_t value_len, int32_t partition, kc_kafka_log_send_cb cb,
                            void *opaque, kc_error *err)
{
    if (check_writable(log, err))
        return -1;
    send_op *op = calloc(1, sizeof *op);
    if (!op)
        return fail(log, err, KC_ERR_INTERNAL, "out of memory");
    op->log = log;
    op->cb = cb;
    op->opaque = opaque;
    if (produce_wait(log, key, key_len, value, value_len, partition, op, now_ms() + ASYNC_QUEUE_WAIT_MS, err)) {
        free(op);
        return -1;
    }
    rd_kafka_poll(log->producer, 0);
    return 0;
}

void kc_kafka_log_stop(kc_kafka_log *log)
{
    if (!log || log->stopped)
        return;
    log->stopped = 1;
    if (log->started)
        kc_log(KC_LOG_INFO, LOG_LOGGER, "Stopping KafkaBasedLog for topic %s", log->topic);
    if (log->producer) {
        if (rd_kafka_flush(log->producer, STOP_FLUSH_MS) != RD_KAFKA_RESP_ERR_NO_ERROR) {
            kc_log(KC_LOG_WARN, LOG_LOGGER, "Failed to flush the producer of topic '%s' while stopping; "
                   "%d records are failed", log->topic, rd_kafka_outq_len(log->producer));
            rd_kafka_purge(log->producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
            rd_kafka_flush(log->producer, 5000);
        }
        rd_kafka_destroy(log->producer);
        log->producer = NULL;
    }
    if (log->consumer) {
        rd_kafka_consumer_close(log->consumer);
        rd_kafka_destroy(log->consumer);
        log->consumer = NULL;
    }
    if (log->admin) {
        rd_kafka_destroy(log->admin);
        log->admin = NULL;
    }
    if (log->started)
        kc_log(KC_LOG_INFO, LOG_LOGGER, "Stopped KafkaBasedLog for topic %s", log->topic);
}

void kc_kafka_log_free(kc_kafka_log *log)
{
    if (!log)
        return;
    kc_kafka_log_stop(log);
    free(log->topic);
    kc_props_free(log->producer_props);
    kc_props_free(log->consumer_props);
    kc_props_free(log->admin_props);
    free(log->spec_property);
    free(log->spec_purpose);
    kc_props_free(log->spec_configs);
    free(log->pos);
    free(log->lo);
    free(log->end);
    free(log->last_error);
    free(log);
}

const char *kc_kafka_log_last_error(const kc_kafka_log *log)
{
    return log && log->last_error ? log->last_error : "";
}
