/*
 * MirrorMaker 2 dedicated mode configuration (Java's MirrorMakerConfig). See mirror_maker_config.h.
 */
#include "connect/mirror/mirror_maker_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* MirrorClientConfig.CLIENT_CONFIG_DEF's names (connect-mirror-client 4.3.1): the client
 * connection keys a cluster's settings copy to its producer., consumer. and admin. clients. */
static const char *const CLIENT_KEYS[] = {
    "bootstrap.servers",
    "sasl.client.callback.handler.class",
    "sasl.jaas.config",
    "sasl.kerberos.kinit.cmd",
    "sasl.kerberos.min.time.before.relogin",
    "sasl.kerberos.service.name",
    "sasl.kerberos.ticket.renew.jitter",
    "sasl.kerberos.ticket.renew.window.factor",
    "sasl.login.callback.handler.class",
    "sasl.login.class",
    "sasl.login.connect.timeout.ms",
    "sasl.login.read.timeout.ms",
    "sasl.login.refresh.buffer.seconds",
    "sasl.login.refresh.min.period.seconds",
    "sasl.login.refresh.window.factor",
    "sasl.login.refresh.window.jitter",
    "sasl.login.retry.backoff.max.ms",
    "sasl.login.retry.backoff.ms",
    "sasl.mechanism",
    "sasl.oauthbearer.assertion.algorithm",
    "sasl.oauthbearer.assertion.claim.aud",
    "sasl.oauthbearer.assertion.claim.exp.seconds",
    "sasl.oauthbearer.assertion.claim.iss",
    "sasl.oauthbearer.assertion.claim.jti.include",
    "sasl.oauthbearer.assertion.claim.nbf.seconds",
    "sasl.oauthbearer.assertion.claim.sub",
    "sasl.oauthbearer.assertion.file",
    "sasl.oauthbearer.assertion.private.key.file",
    "sasl.oauthbearer.assertion.private.key.passphrase",
    "sasl.oauthbearer.assertion.template.file",
    "sasl.oauthbearer.client.credentials.client.id",
    "sasl.oauthbearer.client.credentials.client.secret",
    "sasl.oauthbearer.clock.skew.seconds",
    "sasl.oauthbearer.expected.audience",
    "sasl.oauthbearer.expected.issuer",
    "sasl.oauthbearer.header.urlencode",
    "sasl.oauthbearer.jwks.endpoint.refresh.ms",
    "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
    "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
    "sasl.oauthbearer.jwks.endpoint.url",
    "sasl.oauthbearer.jwt.retriever.class",
    "sasl.oauthbearer.jwt.validator.class",
    "sasl.oauthbearer.scope",
    "sasl.oauthbearer.scope.claim.name",
    "sasl.oauthbearer.sub.claim.name",
    "sasl.oauthbearer.token.endpoint.url",
    "security.protocol",
    "ssl.cipher.suites",
    "ssl.enabled.protocols",
    "ssl.endpoint.identification.algorithm",
    "ssl.engine.factory.class",
    "ssl.key.password",
    "ssl.keymanager.algorithm",
    "ssl.keystore.certificate.chain",
    "ssl.keystore.key",
    "ssl.keystore.location",
    "ssl.keystore.password",
    "ssl.keystore.type",
    "ssl.protocol",
    "ssl.provider",
    "ssl.secure.random.implementation",
    "ssl.trustmanager.algorithm",
    "ssl.truststore.certificates",
    "ssl.truststore.location",
    "ssl.truststore.password",
    "ssl.truststore.type",
};

/* The names of MirrorSourceConfig, MirrorCheckpointConfig and MirrorHeartbeatConfig's
 * CONNECTOR_CONFIG_DEF (connect-mirror 4.3.1) besides the client keys above (all of which, except
 * bootstrap.servers, are names of those ConfigDefs too): the top-level keys passed on to connectors. */
static const char *const CONNECTOR_KEYS[] = {
    "admin.timeout.ms",
    "checkpoints.topic.replication.factor",
    "config.action.reload",
    "config.properties.exclude",
    "config.property.filter.class",
    "config.providers",
    "connector.class",
    "connector.plugin.version",
    "consumer.poll.timeout.ms",
    "emit.checkpoints.enabled",
    "emit.checkpoints.interval.seconds",
    "emit.heartbeats.enabled",
    "emit.heartbeats.interval.seconds",
    "emit.offset-syncs.enabled",
    "enabled",
    "errors.log.enable",
    "errors.log.include.messages",
    "errors.retry.delay.max.ms",
    "errors.retry.timeout",
    "errors.tolerance",
    "forwarding.admin.class",
    "group.filter.class",
    "groups",
    "groups.exclude",
    "header.converter",
    "header.converter.plugin.version",
    "heartbeats.replication.enabled",
    "heartbeats.topic.replication.factor",
    "key.converter",
    "key.converter.plugin.version",
    "metric.names.formats",
    "metric.reporters",
    "name",
    "offset-syncs.topic.location",
    "offset-syncs.topic.replication.factor",
    "offset.lag.max",
    "predicates",
    "refresh.groups.enabled",
    "refresh.groups.interval.seconds",
    "refresh.topics.enabled",
    "refresh.topics.interval.seconds",
    "replication.factor",
    "replication.policy.class",
    "replication.policy.internal.topic.separator.enabled",
    "replication.policy.separator",
    "source.cluster.alias",
    "sync.group.offsets.enabled",
    "sync.group.offsets.interval.seconds",
    "sync.topic.acls.enabled",
    "sync.topic.acls.interval.seconds",
    "sync.topic.configs.enabled",
    "sync.topic.configs.interval.seconds",
    "target.cluster.alias",
    "tasks.max",
    "tasks.max.enforce",
    "topic.filter.class",
    "topics",
    "topics.exclude",
    "transforms",
    "value.converter",
    "value.converter.plugin.version",
};

/* Top-level key prefixes copied into every herder's worker properties (workerConfig). */
static const char *const WORKER_PREFIXES[] = {
    "offset.storage", "config.storage", "status.storage", "key.converter", "value.converter",
    "header.converter", "task", "worker", "replication.policy",
};

#define BYTE_ARRAY_CONVERTER "org.apache.kafka.connect.converters.ByteArrayConverter"

static const char *const CONNECTOR_NAMES[KC_MM2_CONNECTOR_COUNT] = {
    "MirrorSourceConnector", "MirrorHeartbeatConnector", "MirrorCheckpointConnector"};
static const char *const CONNECTOR_CLASSES[KC_MM2_CONNECTOR_COUNT] = {
    "org.apache.kafka.connect.mirror.MirrorSourceConnector",
    "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
    "org.apache.kafka.connect.mirror.MirrorCheckpointConnector"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *kc_mirror_maker_connector_name(kc_mm2_connector which)
{
    return (unsigned)which < KC_MM2_CONNECTOR_COUNT ? CONNECTOR_NAMES[which] : NULL;
}

const char *kc_mirror_maker_connector_class(kc_mm2_connector which)
{
    return (unsigned)which < KC_MM2_CONNECTOR_COUNT ? CONNECTOR_CLASSES[which] : NULL;
}

static bool in_table(const char *const *table, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i], key) == 0)
            return true;
    return false;
}

static bool is_connector_key(const char *key)
{
    return in_table(CONNECTOR_KEYS, COUNT(CONNECTOR_KEYS), key) ||
           (strcmp(key, "bootstrap.servers") != 0 && in_table(CLIENT_KEYS, COUNT(CLIENT_KEYS), key));
}

/* Java's key.matches("(^consumer.*|^producer.*|^admin.*)"): the key starts with one of the words. */
static bool is_client_kind_key(const char *key)
{
    return strncmp(key, "consumer", 8) == 0 || strncmp(key, "producer", 8) == 0 || strncmp(key, "admin", 5) == 0;
}

/* Boolean.parseBoolean */
static bool parse_boolean(const char *v)
{
    return v && strcasecmp(v, "true") == 0;
}

static int put_if_absent(kc_props *p, const char *key, const char *value)
{
    return kc_props_get(p, key) ? 0 : kc_props_set(p, key, value);
}

static int put_prefixed(kc_props *p, const char *prefix, const char *key, const char *value, bool if_absent)
{
    size_t n = strlen(prefix) + strlen(key) + 1;
    char *k = malloc(n);
    if (!k)
        return -1;
    snprintf(k, n, "%s%s", prefix, key);
    int rc = if_absent ? put_if_absent(p, k, value) : kc_props_set(p, k, value);
    free(k);
    return rc;
}

/* putAll of the entries of props whose key starts with prefix (kept whole). */
static int merge_with_prefix(kc_props *dst, const kc_props *props, const char *prefix)
{
    kc_props *sub = kc_props_subset(props, prefix, 0);
    int rc = sub ? kc_props_merge(dst, sub) : -1;
    kc_props_free(sub);
    return rc;
}

/* putAll of the entries of props whose key starts with prefix, the prefix stripped (a key equal to
 * the prefix is left out, as Utils.entriesWithPrefix does). */
static int merge_stripped(kc_props *dst, const kc_props *props, const char *prefix)
{
    kc_props *sub = kc_props_subset(props, prefix, 1);
    int rc = sub ? kc_props_merge(dst, sub) : -1;
    kc_props_free(sub);
    return rc;
}

static char *concat3(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

kc_props *kc_mirror_maker_cluster_props(const kc_props *props, const char *cluster)
{
    char *prefix = concat3(cluster, ".", "");
    kc_props *p = prefix ? kc_props_subset(props, prefix, 1) : NULL;
    free(prefix);
    if (!p)
        return NULL;
    static const char *const kinds[] = {"producer.", "consumer.", "admin."};
    int rc = 0;
    for (size_t i = 0; i < COUNT(CLIENT_KEYS) && rc == 0; i++) {
        const char *v = kc_props_get(p, CLIENT_KEYS[i]);
        if (!v)
            continue;
        char *copy = strdup(v); /* v is borrowed from p, which the next puts change */
        if (!copy) {
            rc = -1;
            break;
        }
        for (size_t k = 0; k < COUNT(kinds) && rc == 0; k++)
            rc = put_prefixed(p, kinds[k], CLIENT_KEYS[i], copy, true);
        free(copy);
    }
    for (size_t i = 0; i < COUNT(CLIENT_KEYS) && rc == 0; i++) {
        const char *v = kc_props_get(props, CLIENT_KEYS[i]);
        if (!v)
            continue;
        for (size_t k = 0; k < COUNT(kinds) && rc == 0; k++)
            rc = put_prefixed(p, kinds[k], CLIENT_KEYS[i], v, true);
        if (rc == 0)
            rc = put_if_absent(p, CLIENT_KEYS[i], v);
    }
    if (rc != 0) {
        kc_props_free(p);
        return NULL;
    }
    return p;
}

kc_props *kc_mirror_maker_worker_props(const kc_props *props, const char *source, const char *target)
{
    kc_props *p = kc_mirror_maker_cluster_props(props, target);
    char *flow = concat3(source, "->", target);
    char *group = concat3(source, "-mm2", "");
    char *offsets = concat3("mm2-offsets.", source, ".internal");
    char *status = concat3("mm2-status.", source, ".internal");
    char *configs = concat3("mm2-configs.", source, ".internal");
    int rc = p && flow && group && offsets && status && configs ? 0 : -1;
    for (size_t i = 0; i < COUNT(WORKER_PREFIXES) && rc == 0; i++)
        rc = merge_with_prefix(p, props, WORKER_PREFIXES[i]);
    /* Java resolves ${provider:path:key} here (transform) and then adds config.providers* */
    if (rc == 0)
        rc = merge_with_prefix(p, props, "config.providers");
    if (rc == 0)
        rc = put_if_absent(p, "client.id", flow) | put_if_absent(p, "group.id", group) |
             put_if_absent(p, "offset.storage.topic", offsets) | put_if_absent(p, "status.storage.topic", status) |
             put_if_absent(p, "config.storage.topic", configs) |
             put_if_absent(p, "key.converter", BYTE_ARRAY_CONVERTER) |
             put_if_absent(p, "value.converter", BYTE_ARRAY_CONVERTER) |
             put_if_absent(p, "header.converter", BYTE_ARRAY_CONVERTER);
    free(flow);
    free(group);
    free(offsets);
    free(status);
    free(configs);
    if (rc != 0) {
        kc_props_free(p);
        return NULL;
    }
    return p;
}

/* Adds cluster's properties under cluster_prefix ("source.cluster.") and, for the client kinds'
 * keys, under client_prefix ("source."). */
static int merge_cluster(kc_props *dst, const kc_props *props, const char *cluster, const char *cluster_prefix,
                         const char *client_prefix)
{
    kc_props *cp = kc_mirror_maker_cluster_props(props, cluster);
    if (!cp)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < kc_props_count(cp) && rc == 0; i++) {
        const char *k = kc_props_key_at(cp, i);
        if (!is_client_kind_key(k))
            rc = put_prefixed(dst, cluster_prefix, k, kc_props_value_at(cp, i), false);
    }
    for (size_t i = 0; i < kc_props_count(cp) && rc == 0; i++) {
        const char *k = kc_props_key_at(cp, i);
        if (is_client_kind_key(k))
            rc = put_prefixed(dst, client_prefix, k, kc_props_value_at(cp, i), false);
    }
    kc_props_free(cp);
    return rc;
}

kc_props *kc_mirror_maker_connector_props(const kc_props *props, const char *source, const char *target,
                                          kc_mm2_connector which)
{
    if ((unsigned)which >= KC_MM2_CONNECTOR_COUNT)
        return NULL;
    kc_props *p = kc_props_new();
    char *flow_prefix = concat3(source, "->", target);
    char *stripped = flow_prefix ? concat3(flow_prefix, ".", "") : NULL;
    int rc = p && stripped ? 0 : -1;
    for (size_t i = 0; i < kc_props_count(props) && rc == 0; i++)
        if (is_connector_key(kc_props_key_at(props, i)))
            rc = kc_props_set(p, kc_props_key_at(props, i), kc_props_value_at(props, i));
    if (rc == 0)
        rc = merge_with_prefix(p, props, "config.providers");
    if (rc == 0)
        rc = merge_with_prefix(p, props, "replication.policy");
    if (rc == 0)
        rc = merge_cluster(p, props, source, "source.cluster.", "source.");
    if (rc == 0)
        rc = merge_cluster(p, props, target, "target.cluster.", "target.");
    if (rc == 0)
        rc = put_if_absent(p, "name", CONNECTOR_NAMES[which]) |
             put_if_absent(p, "connector.class", CONNECTOR_CLASSES[which]) |
             put_if_absent(p, "source.cluster.alias", source) | put_if_absent(p, "target.cluster.alias", target);
    if (rc == 0)
        rc = merge_stripped(p, props, stripped);
    if (rc == 0)
        rc = put_if_absent(p, "enabled", "false");
    free(flow_prefix);
    free(stripped);
    if (rc != 0) {
        kc_props_free(p);
        return NULL;
    }
    return p;
}

static const char *pair_get(const kc_props *props, const char *source, const char *target, const char *key)
{
    size_t n = strlen(source) + strlen(target) + strlen(key) + 4;
    char *k = malloc(n);
    if (!k)
        return NULL;
    snprintf(k, n, "%s->%s.%s", source, target, key);
    const char *v = kc_props_get(props, k);
    free(k);
    return v;
}

bool kc_mirror_maker_pair_exists(const kc_props *props, const char *source, const char *target)
{
    if (parse_boolean(pair_get(props, source, target, "enabled")))
        return true;
    const char *hb = pair_get(props, source, target, "emit.heartbeats.enabled");
    if (!hb)
        hb = kc_props_get(props, "emit.heartbeats.enabled");
    return hb ? parse_boolean(hb) : true; /* MirrorHeartbeatConfig.EMIT_HEARTBEATS_ENABLED_DEFAULT */
}

/* ---- the whole file ------------------------------------------------------------------------------ */

static char *trim_dup(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n' || *s == '\f')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == '\f'))
        n--;
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

/* ConfigDef LIST: the trimmed value split at commas, items trimmed; "" is the empty list, an empty
 * item is refused (4.3's message). Duplicates are dropped (MirrorMakerConfig.clusters() is a set). */
static int parse_clusters(kc_mm2_config *c, const char *value, kc_error *err)
{
    const char *s = value;
    char *all = trim_dup(s, strlen(s));
    if (!all)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = 0;
    if (*all) {
        for (const char *p = all;;) {
            size_t n = strcspn(p, ",");
            char *alias = trim_dup(p, n);
            if (!alias) {
                rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                break;
            }
            if (!*alias) {
                free(alias);
                rc = kc_error_set(err, KC_ERR_INVALID, "Configuration 'clusters' values must not be empty.");
                break;
            }
            bool dup = false;
            for (size_t i = 0; i < c->cluster_count; i++)
                dup = dup || strcmp(c->clusters[i], alias) == 0;
            if (dup) {
                free(alias);
            } else {
                char **grown = realloc(c->clusters, (c->cluster_count + 1) * sizeof *grown);
                if (!grown) {
                    free(alias);
                    rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                    break;
                }
                c->clusters = grown;
                c->clusters[c->cluster_count++] = alias;
            }
            if (!p[n])
                break;
            p += n + 1;
        }
    }
    free(all);
    return rc;
}

static bool listed(char *const *targets, size_t ntargets, const char *alias)
{
    if (!targets || ntargets == 0)
        return true;
    for (size_t i = 0; i < ntargets; i++)
        if (strcmp(targets[i], alias) == 0)
            return true;
    return false;
}

static int check_settings(kc_mm2_config *c, const kc_props *props, kc_error *err)
{
    const char *rest = kc_props_get(props, "dedicated.mode.enable.internal.rest");
    if (rest) {
        char *v = trim_dup(rest, strlen(rest));
        if (!v)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        bool ok = strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0;
        c->enable_internal_rest = strcasecmp(v, "true") == 0;
        free(v);
        if (!ok)
            return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration "
                                "dedicated.mode.enable.internal.rest: Expected value to be either true or false",
                                rest);
    }
    const char *sp = kc_props_get(props, "security.protocol");
    if (sp) {
        static const char *const protocols[] = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};
        char *v = trim_dup(sp, strlen(sp));
        if (!v)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        bool ok = false;
        for (size_t i = 0; i < COUNT(protocols); i++)
            ok = ok || strcasecmp(v, protocols[i]) == 0;
        free(v);
        if (!ok)
            return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration security.protocol: "
                                "String must be one of (case insensitive): SASL_SSL PLAINTEXT SASL_PLAINTEXT SSL",
                                sp);
    }
    return 0;
}

static int add_herder(kc_mm2_config *c, const kc_props *props, const char *source, const char *target)
{
    kc_mm2_herder *grown = realloc(c->herders, (c->herder_count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    c->herders = grown;
    kc_mm2_herder *h = &c->herders[c->herder_count];
    memset(h, 0, sizeof *h);
    c->herder_count++;
    h->source = strdup(source);
    h->target = strdup(target);
    h->flow = concat3(source, "->", target);
    h->enabled = parse_boolean(pair_get(props, source, target, "enabled"));
    h->worker = kc_mirror_maker_worker_props(props, source, target);
    if (!h->source || !h->target || !h->flow || !h->worker)
        return -1;
    for (int i = 0; i < KC_MM2_CONNECTOR_COUNT; i++)
        if (!(h->connectors[i] = kc_mirror_maker_connector_props(props, source, target, (kc_mm2_connector)i)))
            return -1;
    return 0;
}

kc_mm2_config *kc_mirror_maker_config_new(const kc_props *props, char *const *targets, size_t ntargets,
                                          kc_error *err)
{
    kc_mm2_config *c = calloc(1, sizeof *c);
    if (!c) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    const char *clusters = kc_props_get(props, "clusters");
    if (!clusters) {
        kc_error_set(err, KC_ERR_INVALID, "Missing required configuration \"clusters\" which has no default value.");
        goto fail;
    }
    if (parse_clusters(c, clusters, err) != 0 || check_settings(c, props, err) != 0)
        goto fail;
    for (size_t s = 0; s < c->cluster_count; s++) {
        for (size_t t = 0; t < c->cluster_count; t++) {
            const char *source = c->clusters[s], *target = c->clusters[t];
            if (s == t || !listed(targets, ntargets, target) || !kc_mirror_maker_pair_exists(props, source, target))
                continue;
            if (add_herder(c, props, source, target) != 0) {
                kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                goto fail;
            }
        }
    }
    if (c->herder_count == 0) {
        kc_error_set(err, KC_ERR_INVALID, "No source->target replication flows.");
        goto fail;
    }
    return c;
fail:
    kc_mirror_maker_config_free(c);
    return NULL;
}

void kc_mirror_maker_config_free(kc_mm2_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->cluster_count; i++)
        free(c->clusters[i]);
    free(c->clusters);
    for (size_t i = 0; i < c->herder_count; i++) {
        kc_mm2_herder *h = &c->herders[i];
        free(h->source);
        free(h->target);
        free(h->flow);
        kc_props_free(h->worker);
        for (int k = 0; k < KC_MM2_CONNECTOR_COUNT; k++)
            kc_props_free(h->connectors[k]);
    }
    free(c->herders);
    free(c);
}
