/* Replication tasks -> MirrorMaker 2 connector configs (spec 8.2-8.7); see replication_task.h.
 *
 * Per flow S->T (pull: P->L; push: L->P; both: P->L, then L->P), every connector carries:
 *   name, connector.class, source.cluster.alias, target.cluster.alias,
 *   source.cluster.<k> / target.cluster.<k>  the two clusters' connection keys,
 *   producer.override.<k>                    the peer's connection keys when the connector's target
 *                                            cluster (where its records go) is the peer,
 *   key/value/header.converter               ByteArrayConverter,
 *   replication.policy.class                 Default (rename), Identity, or kconnect's Mapping with
 *                                            replication.policy.topic.mapping=src:dst,...
 * Source connector <name>-source-S-T: tasks.max=tasks, topics (regex verbatim, or names with '.'
 *   escaped, joined with ','; mapping sources added), topics.exclude=.*internal, .*\.replica, __.*,
 *   replication.factor=replicas (automatic: min(3, brokers of T)), offset-syncs.topic.location
 *   (pull-only: target; push and both: source), offset-syncs.topic.replication.factor=min(3, brokers
 *   of the cluster hosting it), emit.offset-syncs.enabled=true, sync.topic.acls.enabled=false,
 *   sync.topic.configs.enabled=true, refresh.topics.interval.seconds=30,
 *   source.consumer.auto.offset.reset=earliest ("latest" is stored offsets, spec 8.5), with a codec producer.override.compression.type
 *   and config.properties.exclude=<MM2 default>, compression\.type; with add_source_header
 *   kc.provenance.header.enabled=true.
 * Checkpoint connector <name>-checkpoint-S-T (sync_consumer_offsets): tasks.max=1, the same topics,
 *   topics.exclude, offset-syncs.topic.location and emit.offset-syncs.enabled as the source
 *   connector, groups=.*, emit.checkpoints.interval.seconds, sync.group.offsets.enabled=true,
 *   sync.group.offsets.interval.seconds (sync_interval_seconds),
 *   checkpoints.topic.replication.factor=min(3, brokers of T).
 * Heartbeat connector <name>-heartbeat-S-T: aliases T -> S (it writes S's heartbeats topic),
 *   tasks.max=1, emit.heartbeats.enabled=true, heartbeats.topic.replication.factor=min(3, brokers
 *   of S); left out for the pull flow when the peer is read-only.
 */
#include "connect/replication/replication_task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/mirror/filters.h"
#include "connectors/mirror/mirror_config.h"
#include "connectors/mirror/replication_policy.h"

#define SOURCE_CLASS "org.apache.kafka.connect.mirror.MirrorSourceConnector"
#define CHECKPOINT_CLASS "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"
#define HEARTBEAT_CLASS "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector"
#define BYTE_ARRAY_CONVERTER "org.apache.kafka.connect.converters.ByteArrayConverter"
#define PLAIN_MODULE "org.apache.kafka.common.security.plain.PlainLoginModule"
#define SCRAM_MODULE "org.apache.kafka.common.security.scram.ScramLoginModule"

static int oom(kc_error *err) { return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); }

typedef enum cluster { LOCAL, PEER } cluster;

typedef struct flow {
    cluster src, dst;
    bool syncs_at_source; /* offset-syncs.topic.location */
} flow;

typedef struct ctx {
    const kc_replication_spec *s;
    const kc_replication_env *env;
    kc_props *peer;   /* the peer's connection keys (Java names) */
    char *topics;     /* the topics value */
    char *mapping;    /* replication.policy.topic.mapping, or NULL */
} ctx;

static const char *alias(const ctx *c, cluster k) { return k == LOCAL ? c->s->current_alias : c->s->peer_alias; }

static int brokers_rf(const ctx *c, cluster k)
{
    int n = k == LOCAL ? c->env->local_brokers : c->env->peer_brokers;
    return n > 0 && n < KC_REPLICATION_REPLICAS_AUTO_MAX ? n : KC_REPLICATION_REPLICAS_AUTO_MAX;
}

/* ---- strings --------------------------------------------------------------------------------- */

typedef struct buf {
    char *s;
    size_t len, cap;
    bool failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* The finished string (new), or NULL when out of memory. */
static char *done(buf *b)
{
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    if (!b->s)
        return strdup("");
    return b->s;
}

/* A topic name as a regex literal: every '.' escaped (topic names contain only [A-Za-z0-9._-]). */
static void put_literal(buf *b, const char *topic)
{
    for (const char *c = topic; *c; c++)
        puts_(b, *c == '.' ? "\\." : (char[]){*c, '\0'});
}

static bool listed(const kc_replication_spec *s, const char *topic)
{
    for (size_t i = 0; i < s->topic_count; i++)
        if (strcmp(s->topics[i], topic) == 0)
            return true;
    return false;
}

/* topics: the regex verbatim or the escaped names, then mapping sources not listed already. */
static char *topics_value(const kc_replication_spec *s)
{
    buf b = {0};
    bool first = true;
    if (s->topics_regex) {
        puts_(&b, s->topics_regex);
        first = false;
    }
    for (size_t i = 0; i < s->topic_count; i++, first = false) {
        if (!first)
            puts_(&b, ",");
        put_literal(&b, s->topics[i]);
    }
    for (size_t i = 0; i < s->mapping_count; i++) {
        if (listed(s, s->topic_mapping[i].source))
            continue;
        if (!first)
            puts_(&b, ",");
        put_literal(&b, s->topic_mapping[i].source);
        first = false;
    }
    return done(&b);
}

static char *mapping_value(const kc_replication_spec *s)
{
    buf b = {0};
    for (size_t i = 0; i < s->mapping_count; i++) {
        if (i)
            puts_(&b, ",");
        puts_(&b, s->topic_mapping[i].source);
        puts_(&b, ":");
        puts_(&b, s->topic_mapping[i].target);
    }
    return done(&b);
}

/* A JAAS quoted string: '"' and '\' escaped (Kafka's JaasConfig tokenizer reads them back). */
static void put_jaas_quoted(buf *b, const char *s)
{
    puts_(b, "\"");
    for (const char *c = s; *c; c++) {
        if (*c == '"' || *c == '\\')
            puts_(b, "\\");
        put(b, c, 1);
    }
    puts_(b, "\"");
}

/* ---- the peer's connection keys -------------------------------------------------------------- */

static int peer_connection(ctx *c, kc_error *err)
{
    const kc_replication_spec *s = c->s;
    kc_props *p = c->peer = kc_props_new();
    if (!p)
        return oom(err);
    int rc = kc_props_set(p, "bootstrap.servers", s->peer_bootstrap_servers);
    rc |= kc_props_set(p, "security.protocol", kc_replication_security_name(s->peer_security_protocol));
    if (s->peer_security_protocol != KC_REPLICATION_PLAINTEXT) {
        const char *ref = c->env->peer_password_ref;
        size_t n = ref ? strlen(ref) : 0;
        if (n < 4 || strncmp(ref, "${", 2) != 0 || ref[n - 1] != '}' || strpbrk(ref, "\"\\"))
            return kc_error_set(err, KC_ERR_INVALID,
                                "the peer password of replication '%s' must be given as a config provider reference "
                                "${provider:path:key} (it is never stored in clear)",
                                s->name);
        buf jaas = {0};
        puts_(&jaas, s->peer_sasl_mechanism == KC_REPLICATION_PLAIN ? PLAIN_MODULE : SCRAM_MODULE);
        puts_(&jaas, " required username=");
        put_jaas_quoted(&jaas, s->peer_username);
        puts_(&jaas, " password=\"");
        puts_(&jaas, ref);
        puts_(&jaas, "\";");
        char *text = done(&jaas);
        if (!text)
            return oom(err);
        rc |= kc_props_set(p, "sasl.mechanism", kc_replication_mechanism_name(s->peer_sasl_mechanism));
        rc |= kc_props_set(p, "sasl.jaas.config", text);
        free(text);
    }
    if (s->peer_security_protocol == KC_REPLICATION_SASL_SSL) {
        rc |= kc_props_set(p, "ssl.endpoint.identification.algorithm", "https");
        const char *ca = s->peer_ca_certificate;
        if (ca && *ca) {
            rc |= kc_props_set(p, "ssl.truststore.type", "PEM");
            rc |= kc_props_set(p, strstr(ca, "-----BEGIN") ? "ssl.truststore.certificates" : "ssl.truststore.location",
                               ca);
        }
    }
    return rc ? oom(err) : 0;
}

/* Copies the connection keys of cluster k to props under prefix. */
static int put_connection(const ctx *c, kc_props *props, const char *prefix, cluster k)
{
    const kc_props *src = k == LOCAL ? c->env->local_connection : c->peer;
    char key[256];
    for (size_t i = 0; i < kc_props_count(src); i++) {
        const char *name = kc_props_key_at(src, i);
        if (!kc_mirror_is_client_connection_key(name))
            continue;
        snprintf(key, sizeof key, "%s%s", prefix, name);
        if (kc_props_set(props, key, kc_props_value_at(src, i)))
            return -1;
    }
    return 0;
}

/* ---- the connectors -------------------------------------------------------------------------- */

static const char *const kind_words[] = {"source", "checkpoint", "heartbeat"};

static char *connector_name(const kc_replication_spec *s, kc_replication_connector_kind kind, const char *src,
                            const char *dst)
{
    char *out = NULL;
    return asprintf(&out, "%s-%s-%s-%s", s->name, kind_words[kind], src, dst) < 0 ? NULL : out;
}

static int set_int(kc_props *p, const char *key, long v)
{
    char text[24];
    snprintf(text, sizeof text, "%ld", v);
    return kc_props_set(p, key, text);
}

/* The keys every connector of the task carries; cluster_src / cluster_dst are the connector's own
 * source and target (swapped for the heartbeat connector). */
static int put_common(const ctx *c, kc_props *p, const char *name, const char *cls, cluster csrc, cluster cdst)
{
    int rc = kc_props_set(p, "name", name);
    rc |= kc_props_set(p, "connector.class", cls);
    rc |= kc_props_set(p, KC_MIRROR_SOURCE_ALIAS_CONFIG, alias(c, csrc));
    rc |= kc_props_set(p, KC_MIRROR_TARGET_ALIAS_CONFIG, alias(c, cdst));
    rc |= put_connection(c, p, "source.cluster.", csrc);
    rc |= put_connection(c, p, "target.cluster.", cdst);
    if (cdst == PEER)
        rc |= put_connection(c, p, "producer.override.", PEER);
    rc |= kc_props_set(p, "key.converter", BYTE_ARRAY_CONVERTER);
    rc |= kc_props_set(p, "value.converter", BYTE_ARRAY_CONVERTER);
    rc |= kc_props_set(p, "header.converter", BYTE_ARRAY_CONVERTER);
    const char *policy = c->mapping         ? KC_MIRROR_MAPPING_POLICY_CLASS
                         : c->s->rename_topics ? KC_MIRROR_DEFAULT_POLICY_CLASS
                                               : KC_MIRROR_IDENTITY_POLICY_CLASS;
    rc |= kc_props_set(p, KC_MIRROR_POLICY_CLASS_CONFIG, policy);
    if (c->mapping)
        rc |= kc_props_set(p, KC_MIRROR_POLICY_TOPIC_MAPPING_CONFIG, c->mapping);
    return rc;
}

static int put_selection(const ctx *c, kc_props *p, const flow *f)
{
    int rc = kc_props_set(p, KC_MIRROR_TOPICS_CONFIG, c->topics);
    rc |= kc_props_set(p, KC_MIRROR_TOPICS_EXCLUDE_CONFIG, KC_REPLICATION_TOPICS_EXCLUDE);
    rc |= kc_props_set(p, KC_MIRROR_OFFSET_SYNCS_LOCATION_CONFIG, f->syncs_at_source ? "source" : "target");
    rc |= kc_props_set(p, KC_MIRROR_EMIT_OFFSET_SYNCS_CONFIG, "true");
    return rc;
}

static int source_config(const ctx *c, const flow *f, kc_props *p, const char *name)
{
    const kc_replication_spec *s = c->s;
    int rc = put_common(c, p, name, SOURCE_CLASS, f->src, f->dst);
    rc |= set_int(p, "tasks.max", s->tasks);
    rc |= put_selection(c, p, f);
    rc |= set_int(p, KC_MIRROR_REPLICATION_FACTOR_CONFIG, s->replicas > 0 ? s->replicas : brokers_rf(c, f->dst));
    rc |= set_int(p, KC_MIRROR_OFFSET_SYNCS_RF_CONFIG, brokers_rf(c, f->syncs_at_source ? f->src : f->dst));
    rc |= kc_props_set(p, KC_MIRROR_SYNC_TOPIC_ACLS_ENABLED_CONFIG, "false");
    rc |= kc_props_set(p, KC_MIRROR_SYNC_TOPIC_CONFIGS_ENABLED_CONFIG, "true");
    rc |= kc_props_set(p, KC_MIRROR_REFRESH_TOPICS_INTERVAL_CONFIG, "30");
    /* spec 8.5: "latest" is applied once, as Connect offsets stored at creation by the REST module
     * (replication_start_offsets.h); the consumer starts anything else at its first record */
    rc |= kc_props_set(p, "source.consumer.auto.offset.reset", "earliest");
    if (s->compression != KC_REPLICATION_COMPRESSION_NONE) {
        rc |= kc_props_set(p, "producer.override.compression.type", kc_replication_compression_name(s->compression));
        rc |= kc_props_set(p, KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_CONFIG,
                           KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_DEFAULT ", compression\\.type");
    }
    if (s->add_source_header)
        rc |= kc_props_set(p, "kc.provenance.header.enabled", "true");
    return rc;
}

static int checkpoint_config(const ctx *c, const flow *f, kc_props *p, const char *name)
{
    const kc_replication_spec *s = c->s;
    int rc = put_common(c, p, name, CHECKPOINT_CLASS, f->src, f->dst);
    rc |= kc_props_set(p, "tasks.max", "1");
    rc |= put_selection(c, p, f);
    rc |= kc_props_set(p, KC_MIRROR_GROUPS_CONFIG, ".*");
    rc |= set_int(p, "emit.checkpoints.interval.seconds", s->sync_interval_seconds);
    rc |= kc_props_set(p, "sync.group.offsets.enabled", "true");
    rc |= set_int(p, "sync.group.offsets.interval.seconds", s->sync_interval_seconds);
    /* groups that start consuming after the task was created are found within the sync interval
     * (at most the product's 30 s refresh), not MirrorMaker's default 10 minutes */
    rc |= set_int(p, "refresh.groups.interval.seconds", s->sync_interval_seconds < 30 ? s->sync_interval_seconds : 30);
    rc |= set_int(p, "checkpoints.topic.replication.factor", brokers_rf(c, f->dst));
    return rc;
}

static int heartbeat_config(const ctx *c, const flow *f, kc_props *p, const char *name)
{
    int rc = put_common(c, p, name, HEARTBEAT_CLASS, f->dst, f->src);
    rc |= kc_props_set(p, "tasks.max", "1");
    rc |= kc_props_set(p, "emit.heartbeats.enabled", "true");
    rc |= set_int(p, "heartbeats.topic.replication.factor", brokers_rf(c, f->src));
    return rc;
}

/* The flows of s in order (pull first). Returns their number. */
static size_t flows_of(const kc_replication_spec *s, flow out[2])
{
    size_t n = 0;
    if (s->direction != KC_REPLICATION_PUSH)
        out[n++] = (flow){PEER, LOCAL, s->direction == KC_REPLICATION_BOTH};
    if (s->direction != KC_REPLICATION_PULL)
        out[n++] = (flow){LOCAL, PEER, true};
    return n;
}

static int add_connector(const ctx *c, const flow *f, kc_replication_connector_kind kind,
                         kc_replication_connectors *out, kc_error *err)
{
    kc_replication_connector *k = &out->items[out->count];
    *k = (kc_replication_connector){.kind = kind};
    const char *src = alias(c, f->src), *dst = alias(c, f->dst);
    if (!(k->name = connector_name(c->s, kind, src, dst)) || !(k->flow_source = strdup(src)) ||
        !(k->flow_target = strdup(dst)) || !(k->config = kc_props_new())) {
        out->count++; /* freed with the rest */
        return oom(err);
    }
    out->count++;
    int rc = kind == KC_REPLICATION_SOURCE_CONNECTOR       ? source_config(c, f, k->config, k->name)
             : kind == KC_REPLICATION_CHECKPOINT_CONNECTOR ? checkpoint_config(c, f, k->config, k->name)
                                                           : heartbeat_config(c, f, k->config, k->name);
    return rc ? oom(err) : 0;
}

int kc_replication_connectors_build(const kc_replication_spec *s, const kc_replication_env *env,
                                    kc_replication_connectors *out, kc_error *err)
{
    *out = (kc_replication_connectors){0};
    if (!env->local_connection || !kc_props_get(env->local_connection, "bootstrap.servers"))
        return kc_error_set(err, KC_ERR_INVALID,
                            "the local cluster's connection settings (bootstrap.servers at least) are required");
    if ((unsigned)s->direction > KC_REPLICATION_BOTH)
        return kc_error_set(err, KC_ERR_INVALID, "direction is required: pull, push or both");
    ctx c = {.s = s, .env = env};
    int rc = -1;
    if (peer_connection(&c, err))
        goto out;
    if (!(c.topics = topics_value(s)) || (s->mapping_count && !(c.mapping = mapping_value(s)))) {
        oom(err);
        goto out;
    }
    flow flows[2];
    size_t nflows = flows_of(s, flows);
    if (!(out->items = calloc(nflows * 3, sizeof *out->items))) {
        oom(err);
        goto out;
    }
    for (size_t i = 0; i < nflows; i++) {
        const flow *f = &flows[i];
        if (add_connector(&c, f, KC_REPLICATION_SOURCE_CONNECTOR, out, err))
            goto out;
        if (s->sync_consumer_offsets && add_connector(&c, f, KC_REPLICATION_CHECKPOINT_CONNECTOR, out, err))
            goto out;
        /* the heartbeat connector of S->T writes into S: left out when S is a read-only peer */
        bool skip = f->src == PEER && env->peer_read_only;
        if (!skip && add_connector(&c, f, KC_REPLICATION_HEARTBEAT_CONNECTOR, out, err))
            goto out;
    }
    out->initial_state = s->start_immediately ? "RUNNING" : "STOPPED";
    rc = 0;
out:
    kc_props_free(c.peer);
    free(c.topics);
    free(c.mapping);
    if (rc)
        kc_replication_connectors_free(out);
    return rc;
}

void kc_replication_connectors_free(kc_replication_connectors *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        free(c->items[i].name);
        free(c->items[i].flow_source);
        free(c->items[i].flow_target);
        kc_props_free(c->items[i].config);
    }
    free(c->items);
    *c = (kc_replication_connectors){0};
}

const kc_replication_connector *kc_replication_connectors_find(const kc_replication_connectors *c, const char *name)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->items[i].name, name) == 0)
            return &c->items[i];
    return NULL;
}

int kc_replication_connector_names(const kc_replication_spec *s, char ***names, size_t *n, kc_error *err)
{
    *names = NULL;
    *n = 0;
    flow flows[2];
    size_t nflows = flows_of(s, flows);
    char **v = calloc(nflows * 3 + 1, sizeof *v);
    if (!v)
        return oom(err);
    size_t k = 0;
    for (size_t i = 0; i < nflows; i++)
        for (int kind = 0; kind < 3; kind++) {
            const char *src = flows[i].src == LOCAL ? s->current_alias : s->peer_alias;
            const char *dst = flows[i].dst == LOCAL ? s->current_alias : s->peer_alias;
            if (!(v[k] = connector_name(s, (kc_replication_connector_kind)kind, src, dst))) {
                kc_replication_names_free(v, k);
                return oom(err);
            }
            k++;
        }
    *names = v;
    *n = k;
    return 0;
}

void kc_replication_names_free(char **names, size_t n)
{
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
}
