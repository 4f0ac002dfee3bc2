/*
 * The worker's configuration: building the definition of a mode, parsing the worker properties
 * into kc_worker_config with Java's start-up checks, the REST server's settings, and the client
 * settings Java's Worker gives connector clients.
 */
#include "connect/worker/worker_config_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/api/log.h"
#include "connect/config/config_providers.h"
#include "connect/config/jaas.h"

#define LOGGER "kconnect.worker.config"

#define BASIC_AUTH_EXTENSION "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension"

/* ---- small helpers ----------------------------------------------------------------------------- */

bool kc_worker_is_blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if ((unsigned char)*s > ' ')
            return false;
    return true;
}

static int oom(kc_error *err)
{
    return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
}

/* The items of a list joined with ",". New string; NULL when out of memory. */
static char *join_list(char *const *items, size_t count)
{
    size_t len = 1;
    for (size_t i = 0; i < count; i++)
        len += strlen(items[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        if (i)
            strcat(s, ",");
        strcat(s, items[i]);
    }
    return s;
}

static const char *const protocol_names[] = { "eager", "compatible", "sessioned" };

int kc_worker_protocol_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof protocol_names / sizeof protocol_names[0]; i++)
        if (strcasecmp(name, protocol_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *kc_worker_protocol_name(kc_worker_protocol protocol)
{
    return (unsigned)protocol < sizeof protocol_names / sizeof protocol_names[0] ? protocol_names[protocol]
                                                                                 : "unknown";
}

/* Java's JCA names of the HMAC algorithms kconnect signs with, and OpenSSL's digest names. */
static const struct {
    const char *java;
    const char *digest;
} hmacs[] = {
    { "HmacMD5", "MD5" },
    { "HmacSHA1", "SHA1" },
    { "HmacSHA224", "SHA224" },
    { "HmacSHA256", "SHA256" },
    { "HmacSHA384", "SHA384" },
    { "HmacSHA512", "SHA512" },
    { "HmacSHA512/224", "SHA512-224" },
    { "HmacSHA512/256", "SHA512-256" },
    { "HmacSHA3-224", "SHA3-224" },
    { "HmacSHA3-256", "SHA3-256" },
    { "HmacSHA3-384", "SHA3-384" },
    { "HmacSHA3-512", "SHA3-512" },
};

const char *kc_worker_config_hmac_digest(const char *java_algorithm)
{
    for (size_t i = 0; java_algorithm && i < sizeof hmacs / sizeof hmacs[0]; i++)
        if (strcasecmp(java_algorithm, hmacs[i].java) == 0)
            return hmacs[i].digest;
    return NULL;
}

char *kc_worker_config_transactional_id(const kc_worker_config *wc, char *buf, size_t size)
{
    snprintf(buf, size, "connect-cluster-%s", wc->group_id ? wc->group_id : "null");
    return buf;
}

char *kc_worker_config_sink_group_id(const char *connector, char *buf, size_t size)
{
    snprintf(buf, size, "connect-%s", connector);
    return buf;
}

/* ---- the definition ---------------------------------------------------------------------------- */

kc_config_def *kc_worker_config_def_new(kc_worker_mode mode, const kc_config_def_opts *opts, kc_error *err)
{
    kc_config_table tables[2] = { kc_worker_config_base_table() };
    if (mode == KC_WORKER_STANDALONE)
        tables[1] = kc_worker_config_standalone_table();
    else if (mode == KC_WORKER_DISTRIBUTED)
        tables[1] = kc_worker_config_distributed_table();
    else {
        kc_error_set(err, KC_ERR_INVALID, "unknown worker mode %d", (int)mode);
        return NULL;
    }
    return kc_config_def_new(tables, 2, opts, err);
}

/* ---- REST basic authentication (kconnect, REST spec §1.6) --------------------------------------- */

/* Skips white space and comments of a JAAS login configuration file. */
static const char *skip_blank(const char *p)
{
    for (;;) {
        while (*p && (unsigned char)*p <= ' ')
            p++;
        if (p[0] == '/' && p[1] == '/') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            p = end ? end + 2 : p + strlen(p);
        } else {
            return p;
        }
    }
}

/* The body of the entry named `name` ("Name { ... };") of a JAAS login configuration text: a new
 * string, or NULL when there is none (*oom set when out of memory). */
static char *jaas_entry(const char *text, const char *name, bool *out_of_memory)
{
    const char *p = text;
    *out_of_memory = false;
    while (*(p = skip_blank(p))) {
        const char *id = p;
        while (*p && (unsigned char)*p > ' ' && *p != '{')
            p++;
        size_t id_len = (size_t)(p - id);
        p = skip_blank(p);
        if (*p != '{')
            return NULL;
        const char *body = ++p;
        char quote = 0;
        for (; *p && (quote || *p != '}'); p++) {
            if (quote && *p == '\\' && p[1])
                p++;
            else if (quote && *p == quote)
                quote = 0;
            else if (!quote && (*p == '"' || *p == '\''))
                quote = *p;
        }
        if (!*p)
            return NULL;
        if (id_len == strlen(name) && strncmp(id, name, id_len) == 0) {
            char *out = strndup(body, (size_t)(p - body));
            *out_of_memory = out == NULL;
            return out;
        }
        p = skip_blank(p + 1);
        if (*p == ';')
            p++;
    }
    return NULL;
}

/* The `file` option of the KafkaConnect entry of the JAAS login configuration file at path. */
static char *jaas_credentials_file(const char *path, kc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kc_error_set(err, KC_ERR_IO, "rest.auth.jaas.config: cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(KC_JAAS_MAX_BYTES + 1);
    size_t n = text ? fread(text, 1, KC_JAAS_MAX_BYTES + 1, f) : 0;
    int failed = ferror(f);
    fclose(f);
    if (!text) {
        oom(err);
        return NULL;
    }
    if (failed || n > KC_JAAS_MAX_BYTES) {
        free(text);
        kc_error_set(err, failed ? KC_ERR_IO : KC_ERR_INVALID, "rest.auth.jaas.config: %s %s", path,
                     failed ? "cannot be read" : "is larger than 64 KiB");
        return NULL;
    }
    text[n] = '\0';
    bool no_memory;
    char *body = jaas_entry(text, "KafkaConnect", &no_memory);
    free(text);
    if (!body) {
        if (no_memory)
            oom(err);
        else
            kc_error_set(err, KC_ERR_INVALID, "rest.auth.jaas.config: %s has no KafkaConnect entry", path);
        return NULL;
    }
    kc_jaas *jaas = kc_jaas_parse(body, err);
    free(body);
    if (!jaas) {
        kc_error_prefix(err, "rest.auth.jaas.config: the KafkaConnect entry of %s", path);
        return NULL;
    }
    const char *file = kc_props_get(jaas->options, "file");
    char *out = file ? strdup(file) : NULL;
    kc_jaas_free(jaas);
    if (!file)
        kc_error_set(err, KC_ERR_INVALID, "rest.auth.jaas.config: the KafkaConnect entry of %s has no file option",
                     path);
    else if (!out)
        oom(err);
    return out;
}

/* rest.extension.classes: kconnect runs no Java extension; the basic authentication one is built in. */
static int rest_authentication(kc_worker_config *wc, kc_error *err)
{
    size_t n;
    char *const *classes = kc_config_get_list(wc->parsed, "rest.extension.classes", &n);
    bool basic = false;
    for (size_t i = 0; classes && i < n; i++) {
        if (strcmp(classes[i], BASIC_AUTH_EXTENSION) == 0 ||
            strcmp(classes[i], "BasicAuthSecurityRestExtension") == 0 || strcmp(classes[i], "basic-auth") == 0)
            basic = true;
        else
            return kc_error_set(err, KC_ERR_INVALID, "REST extension class %s is not supported by kconnect",
                                classes[i]);
    }
    if (!basic)
        return 0;
    const char *file = kc_config_get_string(wc->parsed, "rest.auth.basic.file");
    const char *jaas = kc_config_get_string(wc->parsed, "rest.auth.jaas.config");
    if (!kc_worker_is_blank(file)) {
        if (!(wc->rest_basic_auth_file = strdup(file)))
            return oom(err);
        return 0;
    }
    if (kc_worker_is_blank(jaas))
        return kc_error_set(err, KC_ERR_INVALID,
                            "rest.extension.classes names %s, but neither rest.auth.basic.file nor "
                            "rest.auth.jaas.config says where its credentials are",
                            BASIC_AUTH_EXTENSION);
    wc->rest_basic_auth_file = jaas_credentials_file(jaas, err);
    return wc->rest_basic_auth_file ? 0 : -1;
}

/* ---- parsing ----------------------------------------------------------------------------------- */

static int32_t int_or(const kc_config_parsed *parsed, const char *name, int32_t absent)
{
    const kc_config_value *v = kc_config_parsed_get(parsed, name);
    return v && !v->is_null ? (int32_t)v->integer : absent;
}

/* WorkerConfig.logInternalConverterRemovalWarnings */
static void warn_internal_converters(const kc_props *props)
{
    for (size_t i = 0; i < kc_props_count(props); i++) {
        const char *key = kc_props_key_at(props, i);
        if (strncmp(key, "internal.key.converter", 22) == 0 || strncmp(key, "internal.value.converter", 24) == 0)
            kc_log(KC_LOG_WARN, LOGGER,
                   "The worker has been configured with an internal converter property (%s). Support for these "
                   "properties was removed in Kafka 3.0 and specifying them has no effect.",
                   key);
    }
}

static void fill_worker(kc_worker_config *wc)
{
    const kc_config_parsed *p = wc->parsed;
    wc->key_converter = kc_config_get_string(p, "key.converter");
    wc->value_converter = kc_config_get_string(p, "value.converter");
    wc->header_converter = kc_config_get_string(p, "header.converter");
    wc->task_shutdown_graceful_timeout_ms = kc_config_get_long(p, "task.shutdown.graceful.timeout.ms");
    wc->offset_flush_interval_ms = kc_config_get_long(p, "offset.flush.interval.ms");
    wc->offset_flush_timeout_ms = kc_config_get_long(p, "offset.flush.timeout.ms");
    wc->plugin_discovery = kc_config_get_string(p, "plugin.discovery");
    wc->connector_client_config_override_policy = kc_config_get_string(p, "connector.client.config.override.policy");
    wc->topic_creation_enable = kc_config_get_bool(p, "topic.creation.enable");
    wc->topic_tracking_enable = kc_config_get_bool(p, "topic.tracking.enable");
    wc->topic_tracking_allow_reset = kc_config_get_bool(p, "topic.tracking.allow.reset");
    wc->rest_advertised_host_name = kc_config_get_string(p, "rest.advertised.host.name");
    wc->rest_advertised_port = int_or(p, "rest.advertised.port", -1);
    wc->rest_advertised_listener = kc_config_get_string(p, "rest.advertised.listener");
}

static void fill_distributed(kc_worker_config *wc)
{
    const kc_config_parsed *p = wc->parsed;
    wc->group_id = kc_config_get_string(p, "group.id");
    wc->session_timeout_ms = kc_config_get_int(p, "session.timeout.ms");
    wc->rebalance_timeout_ms = kc_config_get_int(p, "rebalance.timeout.ms");
    wc->heartbeat_interval_ms = kc_config_get_int(p, "heartbeat.interval.ms");
    const char *eos = kc_config_get_string(p, "exactly.once.source.support");
    wc->exactly_once_source_support = strcasecmp(eos, "enabled") == 0     ? KC_WORKER_EOS_ENABLED
                                      : strcasecmp(eos, "preparing") == 0 ? KC_WORKER_EOS_PREPARING
                                                                          : KC_WORKER_EOS_DISABLED;
    wc->request_timeout_ms = kc_config_get_int(p, "request.timeout.ms");
    wc->retry_backoff_ms = kc_config_get_long(p, "retry.backoff.ms");
    wc->worker_sync_timeout_ms = kc_config_get_int(p, "worker.sync.timeout.ms");
    wc->worker_unsync_backoff_ms = kc_config_get_int(p, "worker.unsync.backoff.ms");
    wc->offset_storage_topic = kc_config_get_string(p, "offset.storage.topic");
    wc->offset_storage_partitions = kc_config_get_int(p, "offset.storage.partitions");
    wc->offset_storage_replication_factor = kc_config_get_short(p, "offset.storage.replication.factor");
    wc->config_storage_topic = kc_config_get_string(p, "config.storage.topic");
    wc->config_storage_replication_factor = kc_config_get_short(p, "config.storage.replication.factor");
    wc->status_storage_topic = kc_config_get_string(p, "status.storage.topic");
    wc->status_storage_partitions = kc_config_get_int(p, "status.storage.partitions");
    wc->status_storage_replication_factor = kc_config_get_short(p, "status.storage.replication.factor");
    wc->connect_protocol = (kc_worker_protocol)kc_worker_protocol_parse(kc_config_get_string(p, "connect.protocol"));
    wc->scheduled_rebalance_max_delay_ms = kc_config_get_int(p, "scheduled.rebalance.max.delay.ms");
    wc->inter_worker_key_ttl_ms = kc_config_get_int(p, "inter.worker.key.ttl.ms");
    wc->inter_worker_key_generation_algorithm = kc_config_get_string(p, "inter.worker.key.generation.algorithm");
    wc->inter_worker_key_size = int_or(p, "inter.worker.key.size", -1);
    wc->inter_worker_signature_algorithm = kc_config_get_string(p, "inter.worker.signature.algorithm");
}

/* DistributedConfig.validateInterWorkerKeyConfigs: a key generator can be built with the key size,
 * and the signature algorithm is one of the verification algorithms. */
static int check_inter_worker_keys(const kc_worker_config *wc, kc_error *err)
{
    if (wc->inter_worker_key_size != -1 && wc->inter_worker_key_size < 40)
        return kc_error_set(err, KC_ERR_INVALID,
                            "Unable to create key generator with algorithm %s and key size %d: "
                            "Key length must be at least 40 bits",
                            wc->inter_worker_key_generation_algorithm, (int)wc->inter_worker_key_size);
    size_t n;
    char *const *verification = kc_config_get_list(wc->parsed, "inter.worker.verification.algorithms", &n);
    for (size_t i = 0; verification && i < n; i++)
        if (strcmp(verification[i], wc->inter_worker_signature_algorithm) == 0)
            return 0;
    return kc_error_set(err, KC_ERR_INVALID,
                        "Invalid value %s for configuration inter.worker.signature.algorithm: Signature algorithm "
                        "must be present in inter.worker.verification.algorithms list",
                        wc->inter_worker_signature_algorithm);
}

static int fill_rest(kc_worker_config *wc, kc_error *err)
{
    size_t n;
    char *const *items = kc_config_get_list(wc->parsed, "listeners", &n);
    if (!(wc->listeners = join_list(items, n)))
        return oom(err);
    items = kc_config_get_list(wc->parsed, "admin.listeners", &n);
    if (items && !(wc->admin_listeners = join_list(items, n)))
        return oom(err);
    return rest_authentication(wc, err);
}

kc_worker_config *kc_worker_config_new(kc_worker_mode mode, const kc_props *props,
                                       const kc_config_def_opts *opts, kc_error *err)
{
    kc_worker_config *wc = calloc(1, sizeof *wc);
    if (!wc) {
        oom(err);
        return NULL;
    }
    wc->mode = mode;
    if (!(wc->def = kc_worker_config_def_new(mode, opts, err)))
        goto fail;
    /* AbstractConfig's constructor: ${provider:[path:]key} references in the worker config are
     * resolved by the providers it declares before anything is parsed; originals() are resolved */
    if (!(wc->originals = kc_config_providers_resolve_worker_new(props, err)))
        goto fail;
    props = wc->originals;
    if (!(wc->parsed = kc_config_parse(wc->def, props, err)))
        goto fail;
    size_t n;
    char *const *servers = kc_config_get_list(wc->parsed, "bootstrap.servers", &n);
    if (!(wc->bootstrap_servers = join_list(servers, n))) {
        oom(err);
        goto fail;
    }
    fill_worker(wc);
    warn_internal_converters(props);
    if (mode == KC_WORKER_STANDALONE) {
        wc->offset_storage_file_filename = kc_config_get_string(wc->parsed, "offset.storage.file.filename");
    } else {
        fill_distributed(wc);
        if (check_inter_worker_keys(wc, err) < 0)
            goto fail;
    }
    if (fill_rest(wc, err) < 0)
        goto fail;
    return wc;
fail:
    kc_worker_config_free(wc);
    return NULL;
}

void kc_worker_config_free(kc_worker_config *wc)
{
    if (!wc)
        return;
    free(wc->bootstrap_servers);
    free(wc->listeners);
    free(wc->admin_listeners);
    free(wc->rest_basic_auth_file);
    kc_config_parsed_free(wc->parsed);
    kc_props_free(wc->originals);
    kc_config_def_free(wc->def);
    free(wc);
}

void kc_worker_config_rest(const kc_worker_config *wc, kc_rest_config *out)
{
    memset(out, 0, sizeof *out);
    out->listeners = wc->listeners;
    out->admin_listeners = wc->admin_listeners;
    out->advertised_host = wc->rest_advertised_host_name;
    out->advertised_port = wc->rest_advertised_port;
    out->advertised_listener = wc->rest_advertised_listener;
    out->cors_allowed_origins = kc_config_get_string(wc->parsed, "access.control.allow.origin");
    out->cors_allowed_methods = kc_config_get_string(wc->parsed, "access.control.allow.methods");
    out->response_headers = kc_config_get_string(wc->parsed, "response.http.headers.config");
    out->basic_auth_file = wc->rest_basic_auth_file;
    out->worker = wc->originals;
}

/* ---- client settings of connectors ------------------------------------------------------------- */

static int set_all(kc_props *p, const char *const *kv)
{
    for (; kv[0]; kv += 2)
        if (kv[1] && kc_props_set(p, kv[0], kv[1]) < 0)
            return -1;
    return 0;
}

/* The worker's keys that start with prefix, the prefix stripped, copied into p. */
static int merge_prefixed(kc_props *p, const kc_props *worker, const char *prefix)
{
    kc_props *sub = kc_props_subset(worker, prefix, 1);
    int rc = sub ? kc_props_merge(p, sub) : -1;
    kc_props_free(sub);
    return rc;
}

static kc_props *client_props(const kc_worker_config *wc, const char *const *base, const char *prefix,
                              bool unprefixed, kc_error *err)
{
    kc_props *p = kc_props_new();
    if (!p || set_all(p, base) < 0)
        goto fail;
    for (size_t i = 0; unprefixed && i < kc_props_count(wc->originals); i++) {
        const char *key = kc_props_key_at(wc->originals, i);
        /* WorkerConfig.originals() leaves config.providers out */
        if (strncmp(key, "admin.", 6) == 0 || strncmp(key, "producer.", 9) == 0 ||
            strncmp(key, "consumer.", 9) == 0 || strcmp(key, "config.providers") == 0)
            continue;
        if (kc_props_set(p, key, kc_props_value_at(wc->originals, i)) < 0)
            goto fail;
    }
    if (merge_prefixed(p, wc->originals, prefix) < 0)
        goto fail;
    return p;
fail:
    kc_props_free(p);
    oom(err);
    return NULL;
}

kc_props *kc_worker_config_producer_props_new(const kc_worker_config *wc, const char *client_id, kc_error *err)
{
    const char *const base[] = {
        "bootstrap.servers", wc->bootstrap_servers,
        "enable.idempotence", "false",
        "acks", "all",
        "max.in.flight.requests.per.connection", "1",
        "delivery.timeout.ms", "2147483647",
        "client.id", client_id,
        NULL, NULL,
    };
    return client_props(wc, base, "producer.", false, err);
}

kc_props *kc_worker_config_consumer_props_new(const kc_worker_config *wc, const char *group_id,
                                              const char *client_id, kc_error *err)
{
    const char *const base[] = {
        "group.id", group_id,
        "client.id", client_id,
        "bootstrap.servers", wc->bootstrap_servers,
        "enable.auto.commit", "false",
        "auto.offset.reset", "earliest",
        NULL, NULL,
    };
    return client_props(wc, base, "consumer.", false, err);
}

kc_props *kc_worker_config_admin_props_new(const kc_worker_config *wc, const char *client_id, kc_error *err)
{
    const char *const base[] = {
        "bootstrap.servers", wc->bootstrap_servers,
        "client.id", client_id,
        NULL, NULL,
    };
    return client_props(wc, base, "admin.", true, err);
}

/* ---- generated reference ----------------------------------------------------------------------- */

static const char WORKER_DOCS_HEAD[] =
    "# Worker configuration\n"
    "\n"
    "Generated from the tables of `connect/worker/worker_config_keys.c` by the `kc_docs` build target;\n"
    "do not edit. The keys, types, defaults, valid values, importance and descriptions are those of\n"
    "Apache Kafka 4.3.1's `WorkerConfig`, `StandaloneConfig` and `DistributedConfig`, in the order of\n"
    "Java's generated documentation.\n"
    "\n"
    "Kafka client keys (`security.protocol`, `ssl.*`, `sasl.*`, ...), unprefixed or prefixed with\n"
    "`producer.`, `consumer.` or `admin.`, are accepted as Java accepts them and translated for\n"
    "librdkafka by `connect/config/client_config.c`; they are not repeated here.\n";

char *kc_worker_config_docs_new(void)
{
    char *doc = strdup(WORKER_DOCS_HEAD);
    if (!doc || kc_config_docs_append(&doc, "Both modes", kc_worker_config_base_table()) < 0 ||
        kc_config_docs_append(&doc, "Standalone mode", kc_worker_config_standalone_table()) < 0 ||
        kc_config_docs_append(&doc, "Distributed mode", kc_worker_config_distributed_table()) < 0) {
        free(doc);
        return NULL;
    }
    return doc;
}
