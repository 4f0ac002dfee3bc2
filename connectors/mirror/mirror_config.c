/* MirrorMaker 2 connector configuration: tables, parsing, client properties; see mirror_config.h. */
#include "mirror_config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connectors/mirror/filters.h"
#include "connectors/mirror/provenance.h"

/* ---- tables ----------------------------------------------------------------------------------- */

#define SECURITY_PROTOCOL_DOC "Protocol used to communicate with brokers."

/* The class keys are declared STRING with a check of the classes kconnect provides: the worker's
 * CLASS lookup (kc_transforms_class_exists) does not know the MM2 classes, and would refuse them. */
static int check_class(const char *name, const kc_config_value *value, void *opaque, kc_error *err)
{
    const char *const *known = opaque;
    const char *v = value->is_null ? NULL : value->string;
    for (size_t i = 0; v && known[i]; i++) {
        const char *simple = strrchr(known[i], '.');
        if (strcmp(v, known[i]) == 0 || (simple && strcmp(v, simple + 1) == 0))
            return 0;
    }
    return kc_config_error_invalid(err, name, value, "Class %s could not be found.", v ? v : "null");
}

static const char *const policy_classes[] = {KC_MIRROR_DEFAULT_POLICY_CLASS, KC_MIRROR_IDENTITY_POLICY_CLASS,
                                             KC_MIRROR_MAPPING_POLICY_CLASS, NULL};
static const char *const admin_classes[] = {"org.apache.kafka.clients.admin.ForwardingAdmin", NULL};
static const char *const topic_filter_classes[] = {KC_MIRROR_DEFAULT_TOPIC_FILTER_CLASS, NULL};
static const char *const config_filter_classes[] = {KC_MIRROR_DEFAULT_CONFIG_FILTER_CLASS, NULL};
#define CLASS_CHECK(list) KC_CONFIG_CHECK(check_class, (void *)(list), "a class kconnect provides")

/* MirrorConnectorConfig.BASE_CONNECTOR_CONFIG_DEF minus ConnectorConfig, as Java 4.3.1 defines it
 * (defaults and importances dumped from the jar). Of the CommonClientConfigs security keys only the
 * ones an operator commonly sets are declared (they are declared for validation only; clients are
 * configured from the prefixed keys). */
#define MIRROR_COMMON_KEYS                                                                                      \
    KC_CONFIG_KEY(KC_MIRROR_ENABLED_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",                        \
                  .importance = KC_CONFIG_LOW, .documentation = "Whether to replicate source->target."),       \
    KC_CONFIG_KEY(KC_MIRROR_SOURCE_ALIAS_CONFIG, KC_CONFIG_STRING, .importance = KC_CONFIG_HIGH,                \
                  .documentation = "Alias of source cluster"),                                                 \
    KC_CONFIG_KEY(KC_MIRROR_TARGET_ALIAS_CONFIG, KC_CONFIG_STRING, .default_value = KC_MIRROR_TARGET_ALIAS_DEFAULT, \
                  .importance = KC_CONFIG_HIGH, .documentation = "Alias of target cluster. Used in metrics reporting."), \
    KC_CONFIG_KEY(KC_MIRROR_ADMIN_TIMEOUT_CONFIG, KC_CONFIG_LONG, .default_value = "60000",                    \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Timeout for administrative tasks, e.g. detecting new topics."),            \
    KC_CONFIG_KEY(KC_MIRROR_POLICY_CLASS_CONFIG, KC_CONFIG_STRING, .validator = CLASS_CHECK(policy_classes), .default_value = KC_MIRROR_DEFAULT_POLICY_CLASS, \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Class which defines the remote topic naming convention."),                 \
    KC_CONFIG_KEY(KC_MIRROR_POLICY_SEPARATOR_CONFIG, KC_CONFIG_STRING,                                         \
                  .default_value = KC_MIRROR_POLICY_SEPARATOR_DEFAULT, .importance = KC_CONFIG_LOW,            \
                  .documentation = "Separator used in remote topic naming convention."),                       \
    KC_CONFIG_KEY(KC_MIRROR_POLICY_INTERNAL_SEPARATOR_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",      \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Whether to use replication.policy.separator to control the names of "     \
                                   "topics used for checkpoints and offset syncs. By default, custom "        \
                                   "separators are used in these topic names; however if upgrading MirrorMaker " \
                                   "from older versions that did not support this config, it may be necessary " \
                                   "to set this to 'false' in order to continue using the previous names."),  \
    KC_CONFIG_KEY(KC_MIRROR_POLICY_TOPIC_MAPPING_CONFIG, KC_CONFIG_STRING, .default_value = "",                \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "kconnect's MappingReplicationPolicy: source:target topic name pairs, "    \
                                   "comma-separated."),                                                        \
    KC_CONFIG_KEY(KC_MIRROR_FORWARDING_ADMIN_CLASS_CONFIG, KC_CONFIG_STRING, .validator = CLASS_CHECK(admin_classes),                                    \
                  .default_value = "org.apache.kafka.clients.admin.ForwardingAdmin", .importance = KC_CONFIG_LOW, \
                  .documentation = "Class which extends ForwardingAdmin to define custom cluster resource "   \
                                   "management (topics, configs, etc)."),                                      \
    KC_CONFIG_KEY(KC_MIRROR_METRIC_REPORTERS_CONFIG, KC_CONFIG_LIST,                                           \
                  .default_value = "org.apache.kafka.common.metrics.JmxReporter", .importance = KC_CONFIG_LOW, \
                  .documentation = "A list of classes to use as metrics reporters."),                          \
    KC_CONFIG_KEY("security.protocol", KC_CONFIG_STRING, .default_value = "PLAINTEXT",                         \
                  .validator = KC_CONFIG_IN_ANY_CASE("SASL_SSL", "PLAINTEXT", "SSL", "SASL_PLAINTEXT"),        \
                  .importance = KC_CONFIG_MEDIUM, .documentation = SECURITY_PROTOCOL_DOC),                     \
    KC_CONFIG_KEY("ssl.keystore.type", KC_CONFIG_STRING, .default_value = "JKS", .importance = KC_CONFIG_MEDIUM, \
                  .documentation = "The file format of the key store file."),                                  \
    KC_CONFIG_KEY("ssl.keystore.location", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL,                  \
                  .importance = KC_CONFIG_HIGH, .documentation = "The location of the key store file."),       \
    KC_CONFIG_KEY("ssl.keystore.password", KC_CONFIG_PASSWORD, .default_value = KC_CONFIG_NULL,                \
                  .importance = KC_CONFIG_HIGH, .documentation = "The store password for the key store file."), \
    KC_CONFIG_KEY("ssl.key.password", KC_CONFIG_PASSWORD, .default_value = KC_CONFIG_NULL,                     \
                  .importance = KC_CONFIG_HIGH,                                                                \
                  .documentation = "The password of the private key in the key store file."),                 \
    KC_CONFIG_KEY("ssl.truststore.type", KC_CONFIG_STRING, .default_value = "JKS",                             \
                  .importance = KC_CONFIG_MEDIUM, .documentation = "The file format of the trust store file."), \
    KC_CONFIG_KEY("ssl.truststore.location", KC_CONFIG_STRING, .default_value = KC_CONFIG_NULL,                \
                  .importance = KC_CONFIG_HIGH, .documentation = "The location of the trust store file."),     \
    KC_CONFIG_KEY("ssl.truststore.password", KC_CONFIG_PASSWORD, .default_value = KC_CONFIG_NULL,              \
                  .importance = KC_CONFIG_HIGH, .documentation = "The password for the trust store file."),    \
    KC_CONFIG_KEY("ssl.endpoint.identification.algorithm", KC_CONFIG_STRING, .default_value = "https",         \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "The endpoint identification algorithm to validate server hostname using " \
                                   "server certificate. "),                                                    \
    KC_CONFIG_KEY("sasl.mechanism", KC_CONFIG_STRING, .default_value = "GSSAPI", .importance = KC_CONFIG_MEDIUM, \
                  .documentation = "SASL mechanism used for client connections."),                             \
    KC_CONFIG_KEY("sasl.jaas.config", KC_CONFIG_PASSWORD, .default_value = KC_CONFIG_NULL,                     \
                  .importance = KC_CONFIG_MEDIUM,                                                              \
                  .documentation = "JAAS login context parameters for SASL connections in the format used by " \
                                   "JAAS configuration files.")

#define MIRROR_SOURCE_KEYS                                                                                      \
    KC_CONFIG_KEY(KC_MIRROR_TOPICS_CONFIG, KC_CONFIG_LIST, .default_value = KC_MIRROR_TOPICS_DEFAULT,          \
                  .importance = KC_CONFIG_HIGH,                                                                \
                  .documentation = "Topics to replicate. Supports comma-separated topic names and regexes."),  \
    KC_CONFIG_KEY(KC_MIRROR_TOPICS_EXCLUDE_CONFIG, KC_CONFIG_LIST, .default_value = KC_MIRROR_TOPICS_EXCLUDE_DEFAULT, \
                  .importance = KC_CONFIG_HIGH,                                                                \
                  .documentation = "Excluded topics. Supports comma-separated topic names and regexes. "       \
                                   "Excludes take precedence over includes."),                                 \
    KC_CONFIG_KEY(KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_CONFIG, KC_CONFIG_LIST,                                  \
                  .default_value = KC_MIRROR_CONFIG_PROPERTIES_EXCLUDE_DEFAULT, .importance = KC_CONFIG_HIGH,  \
                  .documentation = "Topic config properties that should not be replicated. Supports "          \
                                   "comma-separated property names and regexes."),                             \
    KC_CONFIG_KEY(KC_MIRROR_TOPIC_FILTER_CLASS_CONFIG, KC_CONFIG_STRING, .validator = CLASS_CHECK(topic_filter_classes),                                        \
                  .default_value = KC_MIRROR_DEFAULT_TOPIC_FILTER_CLASS, .importance = KC_CONFIG_LOW,          \
                  .documentation = "TopicFilter to use. Selects topics to replicate."),                        \
    KC_CONFIG_KEY(KC_MIRROR_CONFIG_FILTER_CLASS_CONFIG, KC_CONFIG_STRING, .validator = CLASS_CHECK(config_filter_classes),                                       \
                  .default_value = KC_MIRROR_DEFAULT_CONFIG_FILTER_CLASS, .importance = KC_CONFIG_LOW,         \
                  .documentation = "ConfigPropertyFilter to use. Selects topic config  properties to replicate."), \
    KC_CONFIG_KEY(KC_MIRROR_CONSUMER_POLL_TIMEOUT_CONFIG, KC_CONFIG_LONG, .default_value = "1000",             \
                  .importance = KC_CONFIG_LOW, .documentation = "Timeout when polling source cluster."),       \
    KC_CONFIG_KEY(KC_MIRROR_REFRESH_TOPICS_ENABLED_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",         \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Whether to periodically check for new topics and partitions."),            \
    KC_CONFIG_KEY(KC_MIRROR_REFRESH_TOPICS_INTERVAL_CONFIG, KC_CONFIG_LONG, .default_value = "600",            \
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of topic refresh."),                \
    KC_CONFIG_KEY(KC_MIRROR_SYNC_TOPIC_CONFIGS_ENABLED_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",     \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Whether to periodically configure remote topics to match their "          \
                                   "corresponding upstream topics."),                                          \
    KC_CONFIG_KEY(KC_MIRROR_SYNC_TOPIC_CONFIGS_INTERVAL_CONFIG, KC_CONFIG_LONG, .default_value = "600",        \
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of topic config sync."),            \
    KC_CONFIG_KEY(KC_MIRROR_SYNC_TOPIC_ACLS_ENABLED_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",        \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Whether to periodically configure remote topic ACLs to match their "      \
                                   "corresponding upstream topics."),                                          \
    KC_CONFIG_KEY(KC_MIRROR_SYNC_TOPIC_ACLS_INTERVAL_CONFIG, KC_CONFIG_LONG, .default_value = "600",           \
                  .importance = KC_CONFIG_LOW, .documentation = "Frequency of topic ACL sync."),               \
    KC_CONFIG_KEY(KC_MIRROR_REPLICATION_FACTOR_CONFIG, KC_CONFIG_INT, .default_value = "2",                    \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Replication factor for newly created remote topics."),                     \
    KC_CONFIG_KEY(KC_MIRROR_OFFSET_SYNCS_RF_CONFIG, KC_CONFIG_SHORT, .default_value = "3",                     \
                  .importance = KC_CONFIG_LOW, .documentation = "Replication factor for offset-syncs topic."), \
    KC_CONFIG_KEY(KC_MIRROR_OFFSET_LAG_MAX_CONFIG, KC_CONFIG_LONG, .default_value = "100",                     \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "How out-of-sync a remote partition can be before it is resynced."),        \
    KC_CONFIG_KEY(KC_MIRROR_OFFSET_SYNCS_LOCATION_CONFIG, KC_CONFIG_STRING, .default_value = "source",         \
                  .validator = KC_CONFIG_IN("source", "target"), .importance = KC_CONFIG_LOW,                 \
                  .documentation = "The location (source/target) of the offset-syncs topic."),                 \
    KC_CONFIG_KEY(KC_MIRROR_EMIT_OFFSET_SYNCS_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",              \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Whether to store the new offset of the replicated records in offset-syncs " \
                                   "topic or not. MirrorCheckpointConnector will not be able to sync group "   \
                                   "offsets or emit checkpoints if emit.checkpoints.enabled and/or "           \
                                   "sync.group.offsets.enabled are enabled while emit.offset-syncs.enabled is " \
                                   "disabled."),                                                               \
    KC_CONFIG_KEY(KC_MIRROR_HEARTBEATS_REPLICATION_CONFIG, KC_CONFIG_BOOLEAN, .default_value = "true",         \
                  .importance = KC_CONFIG_LOW,                                                                 \
                  .documentation = "Whether to replicate the heartbeats topics even when the topic filter "    \
                                   "does not include them. If set to true, heartbeats topics identified by "  \
                                   "the replication policy will always be replicated, regardless of the "     \
                                   "topic filter configuration. If set to false, heartbeats topics will only " \
                                   "be replicated if the topic filter allows."),                               \
    KC_CONFIG_KEY(KC_MIRROR_METRIC_NAMES_FORMATS_CONFIG, KC_CONFIG_LIST, .default_value = "legacy",            \
                  .validator = KC_CONFIG_LIST_IN("legacy", "new"), .importance = KC_CONFIG_LOW,                \
                  .documentation = "Deprecated. The formats in which metrics are emitted. Valid values are "   \
                                   "legacy and new."),                                                         \
    KC_CONFIG_KEY(KC_PROVENANCE_ENABLED_CONFIG, KC_CONFIG_BOOLEAN, .default_value = KC_PROVENANCE_ENABLED_DEFAULT, \
                  .importance = KC_CONFIG_LOW, .documentation = KC_PROVENANCE_ENABLED_DOC)

static const kc_config_key common_keys[] = {MIRROR_COMMON_KEYS};
static const kc_config_key source_keys[] = {MIRROR_COMMON_KEYS, MIRROR_SOURCE_KEYS};

kc_config_table kc_mirror_connector_config_table(void)
{
    return KC_CONFIG_TABLE(common_keys);
}

kc_config_table kc_mirror_source_config_table(void)
{
    return KC_CONFIG_TABLE(source_keys);
}

/* ---- client connection keys (MirrorClientConfig.CLIENT_CONFIG_DEF of 4.3.1) ------------------- */

static const char *const connection_keys[] = {
    "bootstrap.servers", "security.protocol", "ssl.protocol", "ssl.provider", "ssl.cipher.suites",
    "ssl.enabled.protocols", "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password",
    "ssl.key.password", "ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
    "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password", "ssl.keymanager.algorithm",
    "ssl.trustmanager.algorithm", "ssl.endpoint.identification.algorithm", "ssl.secure.random.implementation",
    "ssl.engine.factory.class", "sasl.kerberos.service.name", "sasl.kerberos.kinit.cmd",
    "sasl.kerberos.ticket.renew.window.factor", "sasl.kerberos.ticket.renew.jitter",
    "sasl.kerberos.min.time.before.relogin", "sasl.login.refresh.window.factor",
    "sasl.login.refresh.window.jitter", "sasl.login.refresh.min.period.seconds",
    "sasl.login.refresh.buffer.seconds", "sasl.mechanism", "sasl.jaas.config",
    "sasl.client.callback.handler.class", "sasl.login.callback.handler.class", "sasl.login.class",
    "sasl.login.connect.timeout.ms", "sasl.login.read.timeout.ms", "sasl.login.retry.backoff.max.ms",
    "sasl.login.retry.backoff.ms", "sasl.oauthbearer.jwt.retriever.class", "sasl.oauthbearer.jwt.validator.class",
    "sasl.oauthbearer.scope", "sasl.oauthbearer.client.credentials.client.id",
    "sasl.oauthbearer.client.credentials.client.secret", "sasl.oauthbearer.assertion.algorithm",
    "sasl.oauthbearer.assertion.claim.aud", "sasl.oauthbearer.assertion.claim.exp.seconds",
    "sasl.oauthbearer.assertion.claim.iss", "sasl.oauthbearer.assertion.claim.jti.include",
    "sasl.oauthbearer.assertion.claim.nbf.seconds", "sasl.oauthbearer.assertion.claim.sub",
    "sasl.oauthbearer.assertion.file", "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase", "sasl.oauthbearer.assertion.template.file",
    "sasl.oauthbearer.scope.claim.name", "sasl.oauthbearer.sub.claim.name", "sasl.oauthbearer.token.endpoint.url",
    "sasl.oauthbearer.jwks.endpoint.url", "sasl.oauthbearer.jwks.endpoint.refresh.ms",
    "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
    "sasl.oauthbearer.clock.skew.seconds", "sasl.oauthbearer.expected.audience",
    "sasl.oauthbearer.expected.issuer", "sasl.oauthbearer.header.urlencode",
};

int kc_mirror_is_client_connection_key(const char *key)
{
    for (size_t i = 0; i < sizeof connection_keys / sizeof connection_keys[0]; i++)
        if (strcmp(key, connection_keys[i]) == 0)
            return 1;
    return 0;
}

/* ---- kc_mirror_config ------------------------------------------------------------------------- */

void kc_mirror_config_free(kc_mirror_config *c)
{
    if (!c)
        return;
    kc_mirror_policy_free(c->policy);
    kc_config_parsed_free(c->parsed);
    kc_config_def_free(c->def);
    kc_props_free(c->originals);
    free(c);
}

kc_mirror_config *kc_mirror_config_new(const kc_props *props, const kc_config_table *tables, size_t ntables,
                                       kc_error *err)
{
    kc_mirror_config *c = calloc(1, sizeof *c);
    if (!c || !(c->originals = kc_props_copy(props))) {
        free(c);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    if (!(c->def = kc_config_def_new(tables, ntables, NULL, err)) || !(c->parsed = kc_config_parse(c->def, props, err)))
        goto fail;
    c->name = kc_props_get(c->originals, "name");
    c->source_alias = kc_config_get_string(c->parsed, KC_MIRROR_SOURCE_ALIAS_CONFIG);
    c->target_alias = kc_config_get_string(c->parsed, KC_MIRROR_TARGET_ALIAS_CONFIG);
    c->enabled = kc_config_get_bool(c->parsed, KC_MIRROR_ENABLED_CONFIG);
    c->admin_timeout_ms = kc_config_get_long(c->parsed, KC_MIRROR_ADMIN_TIMEOUT_CONFIG);
    c->task_index = -1;
    const char *ti = kc_props_get(props, KC_MIRROR_TASK_INDEX_CONFIG);
    if (ti) {
        char *end;
        errno = 0;
        long v = strtol(ti, &end, 10);
        if (errno || end == ti || *end || v < 0 || v > INT_MAX) {
            kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: Not a number of type INT", ti,
                         KC_MIRROR_TASK_INDEX_CONFIG);
            goto fail;
        }
        c->task_index = (int)v;
    }
    if (!(c->policy = kc_mirror_policy_new(c->originals, err)))
        goto fail;
    return c;
fail:
    kc_mirror_config_free(c);
    return NULL;
}

char *kc_mirror_entity_label_new(const kc_mirror_config *c, int task_index)
{
    const char *name = c->name ? c->name : "null";
    size_t n = strlen(c->source_alias) + strlen(c->target_alias) + strlen(name) + 32;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (task_index < 0)
        snprintf(s, n, "%s->%s|%s", c->source_alias, c->target_alias, name);
    else
        snprintf(s, n, "%s->%s|%s-%d", c->source_alias, c->target_alias, name, task_index);
    return s;
}

/* Copies the entries of src whose key starts with prefix (stripped) into dst; connection_only keeps
 * only client-connection keys. */
static int put_prefixed(kc_props *dst, const kc_props *src, const char *prefix, bool connection_only)
{
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < kc_props_count(src); i++) {
        const char *k = kc_props_key_at(src, i);
        if (strncmp(k, prefix, plen) != 0)
            continue;
        if (connection_only && !kc_mirror_is_client_connection_key(k + plen))
            continue;
        if (kc_props_set(dst, k + plen, kc_props_value_at(src, i)) != 0)
            return -1;
    }
    return 0;
}

kc_props *kc_mirror_client_props_new(const kc_props *originals, kc_mirror_cluster cluster, kc_mirror_client kind,
                                     const char *label, const char *role, kc_error *err)
{
    static const char *const kinds[] = {"consumer.", "producer.", "admin."};
    const char *cl = cluster == KC_MIRROR_CLUSTER_SOURCE ? "source." : "target.";
    char cluster_prefix[32], cluster_kind_prefix[32];
    snprintf(cluster_prefix, sizeof cluster_prefix, "%scluster.", cl);
    snprintf(cluster_kind_prefix, sizeof cluster_kind_prefix, "%s%s", cl, kinds[kind]);
    kc_props *p = kc_props_new();
    if (!p || put_prefixed(p, originals, cluster_prefix, true) != 0 || put_prefixed(p, originals, kinds[kind], false) != 0 ||
        put_prefixed(p, originals, cluster_kind_prefix, false) != 0)
        goto oom;
    if (kind == KC_MIRROR_CLIENT_CONSUMER) {
        if (kc_props_set(p, "enable.auto.commit", "false") != 0)
            goto oom;
        if (!kc_props_get(p, "auto.offset.reset") && kc_props_set(p, "auto.offset.reset", "earliest") != 0)
            goto oom;
    }
    const char *configured = kc_props_get(p, "client.id");
    size_t n = (configured ? strlen(configured) + 1 : 0) + strlen(label) + strlen(role) + 2;
    char *id = malloc(n);
    if (!id)
        goto oom;
    if (configured)
        snprintf(id, n, "%s|%s|%s", configured, label, role);
    else
        snprintf(id, n, "%s|%s", label, role);
    int rc = kc_props_set(p, "client.id", id);
    free(id);
    if (rc != 0)
        goto oom;
    return p;
oom:
    kc_props_free(p);
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    return NULL;
}

/* ---- MirrorSourceConfig ----------------------------------------------------------------------- */

static int64_t interval_ms(const kc_mirror_config *c, const char *enabled, const char *seconds)
{
    if (!kc_config_get_bool(c->parsed, enabled))
        return -1;
    int64_t s = kc_config_get_long(c->parsed, seconds);
    return s > INT64_MAX / 1000 ? INT64_MAX : s * 1000;
}

void kc_mirror_source_settings_read(const kc_mirror_config *c, kc_mirror_source_settings *out)
{
    memset(out, 0, sizeof *out);
    out->consumer_poll_timeout_ms = kc_config_get_long(c->parsed, KC_MIRROR_CONSUMER_POLL_TIMEOUT_CONFIG);
    out->refresh_topics_interval_ms =
        interval_ms(c, KC_MIRROR_REFRESH_TOPICS_ENABLED_CONFIG, KC_MIRROR_REFRESH_TOPICS_INTERVAL_CONFIG);
    out->sync_topic_configs_interval_ms =
        interval_ms(c, KC_MIRROR_SYNC_TOPIC_CONFIGS_ENABLED_CONFIG, KC_MIRROR_SYNC_TOPIC_CONFIGS_INTERVAL_CONFIG);
    out->sync_topic_acls_interval_ms =
        interval_ms(c, KC_MIRROR_SYNC_TOPIC_ACLS_ENABLED_CONFIG, KC_MIRROR_SYNC_TOPIC_ACLS_INTERVAL_CONFIG);
    out->replication_factor = kc_config_get_int(c->parsed, KC_MIRROR_REPLICATION_FACTOR_CONFIG);
    out->offset_syncs_replication_factor = kc_config_get_short(c->parsed, KC_MIRROR_OFFSET_SYNCS_RF_CONFIG);
    out->offset_lag_max = kc_config_get_long(c->parsed, KC_MIRROR_OFFSET_LAG_MAX_CONFIG);
    const char *loc = kc_config_get_string(c->parsed, KC_MIRROR_OFFSET_SYNCS_LOCATION_CONFIG);
    out->offset_syncs_at_source = !loc || strcmp(loc, "source") == 0;
    out->emit_offset_syncs = kc_config_get_bool(c->parsed, KC_MIRROR_EMIT_OFFSET_SYNCS_CONFIG);
    out->heartbeats_replication = kc_config_get_bool(c->parsed, KC_MIRROR_HEARTBEATS_REPLICATION_CONFIG);
}

char *kc_mirror_offset_syncs_topic_new(const kc_mirror_config *c, bool at_source, kc_error *err)
{
    char *out = NULL;
    if (kc_mirror_policy_offset_syncs_topic(c->policy, at_source ? c->target_alias : c->source_alias, &out, err) != 0)
        return NULL;
    return out;
}

/* ---- task.assigned.partitions ----------------------------------------------------------------- */

char *kc_mirror_encode_topic_partitions(const kc_topic_partition *tps, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(tps[i].topic) + 14;
    char *s = malloc(len), *p = s;
    if (!s)
        return NULL;
    *p = '\0';
    for (size_t i = 0; i < n; i++)
        p += snprintf(p, len - (size_t)(p - s), "%s%s-%d", i ? "," : "", tps[i].topic, (int)tps[i].partition);
    return s;
}

void kc_mirror_topic_partitions_free(kc_topic_partition *tps, size_t n)
{
    for (size_t i = 0; tps && i < n; i++)
        free((char *)tps[i].topic);
    free(tps);
}

int kc_mirror_decode_topic_partitions(const char *s, kc_topic_partition **out, size_t *n, kc_error *err)
{
    *out = NULL;
    *n = 0;
    if (!s || !*s)
        return 0;
    size_t cap = 1;
    for (const char *q = s; *q; q++)
        cap += *q == ',';
    kc_topic_partition *tps = calloc(cap, sizeof *tps);
    if (!tps)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    size_t count = 0;
    const char *start = s;
    for (;;) {
        const char *end = strchr(start, ',');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        const char *dash = NULL;
        for (size_t i = 0; i < len; i++)
            if (start[i] == '-')
                dash = start + i;
        char num[16];
        size_t nl = dash ? len - (size_t)(dash + 1 - start) : 0;
        char *e = NULL;
        long v = -1;
        if (dash && nl > 0 && nl < sizeof num) {
            memcpy(num, dash + 1, nl);
            num[nl] = '\0';
            errno = 0;
            v = strtol(num, &e, 10);
        }
        if (!dash || nl == 0 || nl >= sizeof num || *e || errno || v < INT32_MIN || v > INT32_MAX) {
            kc_mirror_topic_partitions_free(tps, count);
            return kc_error_set(err, KC_ERR_INVALID, "Invalid topic-partition '%.*s' in %s", (int)len, start,
                                KC_MIRROR_TASK_PARTITIONS_CONFIG);
        }
        char *topic = strndup(start, (size_t)(dash - start));
        if (!topic) {
            kc_mirror_topic_partitions_free(tps, count);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        tps[count].topic = topic;
        tps[count].partition = (int32_t)v;
        count++;
        if (!end)
            break;
        start = end + 1;
    }
    *out = tps;
    *n = count;
    return 0;
}
