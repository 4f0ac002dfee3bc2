/* Java client keys -> librdkafka, driven by one table (see client_config.h). */
#include "client_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connect/kafka/bridge.h"
#include "jaas.h"

typedef struct kc_client_map_ctx {
    rd_kafka_conf_t *conf;
    const kc_props *props;
    kc_client_kind kind;
    kc_client_settings *settings;
    const kc_client_key *row;
    kc_bridge_mode bridge;       /* kconnect.scram.bridge */
} kc_client_map_ctx;

#define HIDDEN "[hidden]"

/* rd_kafka_conf_set with an error that names the Java key and hides secret values. */
static int conf_set(kc_client_map_ctx *ctx, const char *name, const char *value, kc_error *err)
{
    char errstr[512];
    if (rd_kafka_conf_set(ctx->conf, name, value, errstr, sizeof errstr) == RD_KAFKA_CONF_OK)
        return 0;
    const char *java = ctx->row ? ctx->row->java : name;
    if (ctx->row && ctx->row->secret)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s", HIDDEN, java);
    return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: %s", value, java,
                        errstr);
}

static int invalid(kc_client_map_ctx *ctx, const char *value, kc_error *err, const char *why)
{
    return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration %s: %s",
                        ctx->row->secret ? HIDDEN : value, ctx->row->java, why);
}

static int parse_long(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_int_value(kc_client_map_ctx *ctx, const char *value, int *out, kc_error *err)
{
    long long v;
    if (parse_long(value, &v) != 0 || v < -2147483648LL || v > 2147483647LL)
        return invalid(ctx, value, err, "Not a number of type INT");
    *out = (int)v;
    return 0;
}

/* ---- translation functions ------------------------------------------------------------------- */

static int map_security_protocol(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    static const char *const names[] = {"PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(value, names[i]) == 0) {
            char lower[32];
            size_t n = strlen(names[i]);
            for (size_t j = 0; j <= n; j++)
                lower[j] = (char)tolower((unsigned char)names[i][j]);
            return conf_set(ctx, "security.protocol", lower, err);
        }
    }
    return invalid(ctx, value, err, "String must be one of: PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
}

static int map_sasl_mechanism(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (strcmp(value, "OAUTHBEARER") == 0)
        return invalid(ctx, value, err,
                       "OAUTHBEARER is not supported by kconnect; use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
    if (strcmp(value, "PLAIN") && strcmp(value, "SCRAM-SHA-256") && strcmp(value, "SCRAM-SHA-512") &&
        strcmp(value, "GSSAPI"))
        return invalid(ctx, value, err, "supported mechanisms are PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 and GSSAPI");
    return conf_set(ctx, "sasl.mechanisms", value, err);
}

static int map_jaas(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    kc_jaas *jaas = kc_jaas_parse(value, err);
    if (!jaas)
        return kc_error_prefix(err, "Invalid value %s for configuration sasl.jaas.config", HIDDEN);
    int rc = -1;
    if (strcmp(jaas->login_module, KC_JAAS_PLAIN_MODULE) != 0 &&
        strcmp(jaas->login_module, KC_JAAS_SCRAM_MODULE) != 0) {
        kc_error_set(err, KC_ERR_INVALID,
                     "sasl.jaas.config: login module %s cannot be used by kconnect; use "
                     KC_JAAS_PLAIN_MODULE " or " KC_JAAS_SCRAM_MODULE
                     " with username=\"...\" password=\"...\"", jaas->login_module);
        goto out;
    }
    if (jaas->module_count > 1) {
        kc_error_set(err, KC_ERR_INVALID, "sasl.jaas.config: %d login modules given; kconnect takes exactly one",
                     jaas->module_count);
        goto out;
    }
    const char *user = kc_props_get(jaas->options, "username");
    const char *password = kc_props_get(jaas->options, "password");
    if (!user || !password) {
        kc_error_set(err, KC_ERR_INVALID, "sasl.jaas.config: %s needs the options username and password",
                     jaas->login_module);
        goto out;
    }
    if (conf_set(ctx, "sasl.username", user, err) || conf_set(ctx, "sasl.password", password, err))
        goto out;
    rc = 0;
out:
    kc_jaas_free(jaas);
    return rc;
}

/* Store type: the explicit ssl.*store.type, or "PEM" when the file or text looks like PEM. */
static int store_type_is_pem(kc_client_map_ctx *ctx, const char *type_key, const char *sniff_path,
                             const char *what, kc_error *err)
{
    const char *type = kc_props_get(ctx->props, type_key);
    if (type && strcasecmp(type, "PEM") == 0)
        return 0;
    if (type && *type) {
        return kc_error_set(err, KC_ERR_INVALID,
                            "%s=%s cannot be read by kconnect: convert the %s to PEM "
                            "(e.g. keytool -exportcert -rfc, or openssl pkcs12 -nodes) and set %s=PEM",
                            type_key, type, what, type_key);
    }
    if (sniff_path) {
        char head[4096];
        FILE *f = fopen(sniff_path, "r");
        if (!f)
            return kc_error_set(err, KC_ERR_INVALID, "%s: cannot read %s: %s", ctx->row->java, sniff_path,
                                strerror(errno));
        size_t n = fread(head, 1, sizeof head - 1, f);
        fclose(f);
        head[n] = '\0';
        if (strstr(head, "-----BEGIN "))
            return 0;
    }
    return kc_error_set(err, KC_ERR_INVALID,
                        "%s is set without %s, so Java would read a JKS file; kconnect reads PEM only: "
                        "convert the %s to PEM and set %s=PEM", ctx->row->java, type_key, what, type_key);
}

static int check_readable(kc_client_map_ctx *ctx, const char *path, kc_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return kc_error_set(err, KC_ERR_INVALID, "%s: cannot read %s: %s", ctx->row->java, path,
                            strerror(errno));
    fclose(f);
    return 0;
}

static int map_truststore_location(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (check_readable(ctx, value, err) ||
        store_type_is_pem(ctx, "ssl.truststore.type", value, "truststore", err))
        return -1;
    return conf_set(ctx, "ssl.ca.location", value, err);
}

static int map_truststore_certificates(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    /* Java insists on ssl.truststore.type=PEM here; inline text is PEM anyway, so only a type that
     * says otherwise is refused */
    const char *type = kc_props_get(ctx->props, "ssl.truststore.type");
    if (type && strcasecmp(type, "PEM") != 0)
        return kc_error_set(err, KC_ERR_INVALID,
                            "ssl.truststore.certificates can be specified only for PEM, but ssl.truststore.type is %s",
                            type);
    return conf_set(ctx, "ssl.ca.pem", value, err);
}

static int map_store_type(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (strcasecmp(value, "PEM") && strcasecmp(value, "JKS") && strcasecmp(value, "PKCS12"))
        return invalid(ctx, value, err, "String must be one of: JKS, PKCS12, PEM");
    return 0; /* read by the location / certificates rows */
}

static int map_store_password(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (!*value)
        return 0;
    const char *type_key = strstr(ctx->row->java, "truststore") ? "ssl.truststore.type" : "ssl.keystore.type";
    const char *type = kc_props_get(ctx->props, type_key);
    if (type && strcasecmp(type, "PEM") != 0)
        return 0; /* the location row refuses the non-PEM store with the useful message */
    return kc_error_set(err, KC_ERR_INVALID,
                        "%s cannot be specified with PEM format, only ssl.key.password may be specified "
                        "(for an encrypted key)", ctx->row->java);
}

static int map_keystore_location(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (check_readable(ctx, value, err) ||
        store_type_is_pem(ctx, "ssl.keystore.type", value, "keystore", err))
        return -1;
    /* a PEM keystore file holds the private key and the certificate chain */
    if (conf_set(ctx, "ssl.certificate.location", value, err))
        return -1;
    return conf_set(ctx, "ssl.key.location", value, err);
}

static int map_keystore_pem(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    int is_key = strcmp(ctx->row->java, "ssl.keystore.key") == 0;
    const char *other = is_key ? "ssl.keystore.certificate.chain" : "ssl.keystore.key";
    if (!kc_props_get(ctx->props, other))
        return kc_error_set(err, KC_ERR_INVALID, "%s is set without %s; a PEM key store needs both",
                            ctx->row->java, other);
    return conf_set(ctx, is_key ? "ssl.key.pem" : "ssl.certificate.pem", value, err);
}

static int map_endpoint_identification(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (!*value)
        return conf_set(ctx, "ssl.endpoint.identification.algorithm", "none", err);
    if (strcasecmp(value, "https") == 0)
        return conf_set(ctx, "ssl.endpoint.identification.algorithm", "https", err);
    return invalid(ctx, value, err, "use https (check the broker's host name) or an empty value (no check)");
}

static int map_acks(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (strcmp(value, "all") == 0 || strcmp(value, "-1") == 0)
        return conf_set(ctx, "acks", "-1", err);
    if (strcmp(value, "0") == 0 || strcmp(value, "1") == 0)
        return conf_set(ctx, "acks", value, err);
    return invalid(ctx, value, err, "String must be one of: all, -1, 0, 1");
}

static int map_compression(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    static const char *const codecs[] = {"none", "gzip", "snappy", "lz4", "zstd"};
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++)
        if (strcmp(value, codecs[i]) == 0)
            return conf_set(ctx, "compression.codec", value, err);
    return invalid(ctx, value, err, "String must be one of: none, gzip, snappy, lz4, zstd");
}

static int map_compression_level(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    /* compression.<codec>.level applies only when that codec is the one in use */
    const char *codec = kc_props_get(ctx->props, "compression.type");
    char want[64];
    snprintf(want, sizeof want, "compression.%s.level", codec ? codec : "");
    if (!codec || strcmp(want, ctx->row->java) != 0)
        return 0;
    return conf_set(ctx, "compression.level", value, err);
}

static int map_socket_buffer(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    int v = 0;
    if (parse_int_value(ctx, value, &v, err))
        return -1;
    char buf[32];
    snprintf(buf, sizeof buf, "%d", v < 0 ? 0 : v); /* Java -1 = OS default = librdkafka 0 */
    return conf_set(ctx, strstr(ctx->row->java, "receive") ? "socket.receive.buffer.bytes"
                                                            : "socket.send.buffer.bytes", buf, err);
}

static int map_buffer_memory(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    long long v;
    if (parse_long(value, &v) != 0 || v < 0)
        return invalid(ctx, value, err, "Not a non-negative number of type LONG");
    long long kb = v / 1024 < 1 ? 1 : v / 1024;
    if (kb > 2147483647LL)
        kb = 2147483647LL;
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", kb);
    return conf_set(ctx, "queue.buffering.max.kbytes", buf, err);
}

static int map_auto_offset_reset(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (strcmp(value, "earliest") == 0 || strcmp(value, "latest") == 0)
        return conf_set(ctx, "auto.offset.reset", value, err);
    if (strcmp(value, "none") == 0)
        return conf_set(ctx, "auto.offset.reset", "error", err);
    return invalid(ctx, value, err, "String must be one of: earliest, latest, none");
}

static int map_assignment_strategy(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    static const struct { const char *java, *native; } names[] = {
        {"org.apache.kafka.clients.consumer.RangeAssignor", "range"},
        {"org.apache.kafka.clients.consumer.RoundRobinAssignor", "roundrobin"},
        {"org.apache.kafka.clients.consumer.CooperativeStickyAssignor", "cooperative-sticky"},
    };
    char out[256] = "";
    char *copy = strdup(value);
    if (!copy)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*tok))
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && isspace((unsigned char)end[-1]))
            *--end = '\0';
        const char *native = NULL;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (strcmp(tok, names[i].java) == 0)
                native = names[i].native;
        if (!native) {
            rc = invalid(ctx, value, err,
                         "kconnect's consumer offers RangeAssignor, RoundRobinAssignor and CooperativeStickyAssignor");
            break;
        }
        if (strlen(out) + strlen(native) + 2 < sizeof out) {
            if (*out)
                strcat(out, ",");
            strcat(out, native);
        }
    }
    free(copy);
    if (rc == 0 && *out)
        rc = conf_set(ctx, "partition.assignment.strategy", out, err);
    return rc;
}

static int map_request_timeout(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    int v = 0;
    if (parse_int_value(ctx, value, &v, err))
        return -1;
    if (ctx->settings)
        ctx->settings->request_timeout_ms = v;
    return conf_set(ctx, ctx->kind == KC_CLIENT_PRODUCER ? "request.timeout.ms" : "socket.timeout.ms", value, err);
}

static int map_kconnect_int(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    int v = 0;
    if (parse_int_value(ctx, value, &v, err))
        return -1;
    if (v <= 0 && strcmp(ctx->row->java, "max.poll.records") == 0)
        return invalid(ctx, value, err, "Value must be at least 1");
    if (!ctx->settings)
        return 0;
    if (strcmp(ctx->row->java, "max.poll.records") == 0)
        ctx->settings->max_poll_records = v;
    else if (strcmp(ctx->row->java, "default.api.timeout.ms") == 0)
        ctx->settings->default_api_timeout_ms = v;
    return 0;
}

static int map_scram_bridge(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    if (kc_bridge_mode_parse(value, &ctx->bridge) != 0)
        return invalid(ctx, value, err, "String must be one of: auto, always, never");
    return 0;
}

static int map_refuse_if_set(kc_client_map_ctx *ctx, const char *value, kc_error *err)
{
    const char *v = value;
    while (isspace((unsigned char)*v))
        v++;
    if (!*v)
        return 0;
    return kc_error_set(err, KC_ERR_INVALID, "%s cannot be honoured by kconnect: %s", ctx->row->java,
                        ctx->row->doc);
}

/* ---- the table ------------------------------------------------------------------------------- */

#define P KC_CLIENT_PRODUCER
#define C KC_CLIENT_CONSUMER
#define A KC_CLIENT_ADMIN
#define ALL KC_CLIENT_ANY
#define SAME(k, cl, doc) {k, cl, KC_MAP_SAME, k, NULL, 0, doc}
#define RENAME(k, cl, to, doc) {k, cl, KC_MAP_RENAME, to, NULL, 0, doc}
#define FUNC(k, cl, fn, secret, doc) {k, cl, KC_MAP_FUNC, NULL, fn, secret, doc}
#define KCONN(k, cl, doc) {k, cl, KC_MAP_KCONNECT, NULL, map_kconnect_int, 0, doc}
#define IGNORE(k, cl, doc) {k, cl, KC_MAP_IGNORE, NULL, NULL, 0, doc}
#define REFUSE(k, cl, doc) {k, cl, KC_MAP_REFUSE, NULL, map_refuse_if_set, 0, doc}

static const kc_client_key table[] = {
    /* connection and identity */
    SAME("bootstrap.servers", ALL, "host:port list of the brokers to bootstrap from"),
    SAME("client.id", ALL, "client id sent with every request"),
    SAME("client.rack", C, "rack of the consumer, for follower fetching"),
    SAME("metadata.max.age.ms", ALL, "period of metadata refreshes"),
    SAME("connections.max.idle.ms", ALL, "close idle connections after this time"),
    SAME("reconnect.backoff.ms", ALL, "initial wait before reconnecting to a broker"),
    SAME("reconnect.backoff.max.ms", ALL, "maximum wait before reconnecting to a broker"),
    SAME("retry.backoff.ms", ALL, "wait before retrying a failed request"),
    SAME("socket.connection.setup.timeout.ms", ALL, "time allowed to set up a connection (TCP, TLS, SASL)"),
    FUNC("request.timeout.ms", ALL, map_request_timeout, 0,
         "producer: request.timeout.ms; consumer and admin: socket.timeout.ms"),
    KCONN("default.api.timeout.ms", C | A, "timeout of admin and consumer calls that take none of their own"),
    FUNC("receive.buffer.bytes", ALL, map_socket_buffer, 0, "socket receive buffer; -1 = OS default"),
    FUNC("send.buffer.bytes", ALL, map_socket_buffer, 0, "socket send buffer; -1 = OS default"),
    IGNORE("client.dns.lookup", ALL, "librdkafka resolves every address of a name and tries them in turn"),
    IGNORE("metadata.recovery.strategy", ALL, "librdkafka re-bootstraps on its own"),
    IGNORE("metadata.recovery.rebootstrap.trigger.ms", ALL, "librdkafka re-bootstraps on its own"),
    IGNORE("socket.connection.setup.timeout.max.ms", ALL, "librdkafka has a single setup timeout"),
    IGNORE("retry.backoff.max.ms", ALL, "librdkafka 2.0 backs off by retry.backoff.ms only"),

    /* security */
    FUNC("security.protocol", ALL, map_security_protocol, 0, "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
    FUNC("sasl.mechanism", ALL, map_sasl_mechanism, 0, "PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or GSSAPI"),
    FUNC("sasl.jaas.config", ALL, map_jaas, 1,
         "PlainLoginModule or ScramLoginModule with username and password"),
    SAME("sasl.kerberos.service.name", ALL, "Kerberos principal name of the brokers (GSSAPI)"),
    FUNC("ssl.truststore.type", ALL, map_store_type, 0, "PEM (JKS and PKCS12 must be converted to PEM)"),
    FUNC("ssl.truststore.location", ALL, map_truststore_location, 0, "PEM file of the CA certificates to trust"),
    FUNC("ssl.truststore.certificates", ALL, map_truststore_certificates, 0, "CA certificates in PEM, inline"),
    FUNC("ssl.truststore.password", ALL, map_store_password, 1, "not used with PEM"),
    FUNC("ssl.keystore.type", ALL, map_store_type, 0, "PEM (JKS and PKCS12 must be converted to PEM)"),
    FUNC("ssl.keystore.location", ALL, map_keystore_location, 0,
         "PEM file holding the client's private key and certificate chain"),
    FUNC("ssl.keystore.key", ALL, map_keystore_pem, 1, "the client's private key in PEM (PKCS#8), inline"),
    FUNC("ssl.keystore.certificate.chain", ALL, map_keystore_pem, 0, "the client's certificate chain in PEM, inline"),
    FUNC("ssl.keystore.password", ALL, map_store_password, 1, "not used with PEM; use ssl.key.password"),
    {"ssl.key.password", ALL, KC_MAP_SAME, "ssl.key.password", NULL, 1, "password of an encrypted private key"},
    FUNC("ssl.endpoint.identification.algorithm", ALL, map_endpoint_identification, 0,
         "https checks the broker's host name against its certificate; empty disables the check"),
    IGNORE("ssl.protocol", ALL, "OpenSSL negotiates the highest TLS version both sides support"),
    IGNORE("ssl.enabled.protocols", ALL, "OpenSSL negotiates the highest TLS version both sides support"),
    IGNORE("ssl.keymanager.algorithm", ALL, "a JSSE setting"),
    IGNORE("ssl.trustmanager.algorithm", ALL, "a JSSE setting"),
    IGNORE("ssl.secure.random.implementation", ALL, "a JSSE setting"),
    IGNORE("ssl.provider", ALL, "a JSSE setting"),
    REFUSE("ssl.cipher.suites", ALL,
           "Java cipher suite names differ from OpenSSL's; set librdkafka.ssl.cipher.suites with OpenSSL names"),
    REFUSE("ssl.engine.factory.class", ALL, "a Java class; kconnect uses OpenSSL"),
    REFUSE("sasl.client.callback.handler.class", ALL, "a Java class; use PLAIN or SCRAM with sasl.jaas.config"),
    REFUSE("sasl.login.callback.handler.class", ALL, "a Java class; use PLAIN or SCRAM with sasl.jaas.config"),
    REFUSE("sasl.login.class", ALL, "a Java class; use PLAIN or SCRAM with sasl.jaas.config"),
    REFUSE("security.providers", ALL, "Java security providers; kconnect uses OpenSSL"),
    IGNORE("sasl.login.refresh.window.factor", ALL, "OAUTHBEARER/Kerberos token refresh, not used"),
    IGNORE("sasl.login.refresh.window.jitter", ALL, "OAUTHBEARER/Kerberos token refresh, not used"),
    IGNORE("sasl.login.refresh.min.period.seconds", ALL, "OAUTHBEARER/Kerberos token refresh, not used"),
    IGNORE("sasl.login.refresh.buffer.seconds", ALL, "OAUTHBEARER/Kerberos token refresh, not used"),
    IGNORE("sasl.login.connect.timeout.ms", ALL, "OAUTHBEARER login, not used"),
    IGNORE("sasl.login.read.timeout.ms", ALL, "OAUTHBEARER login, not used"),
    IGNORE("sasl.login.retry.backoff.ms", ALL, "OAUTHBEARER login, not used"),
    IGNORE("sasl.login.retry.backoff.max.ms", ALL, "OAUTHBEARER login, not used"),
    FUNC("kconnect.scram.bridge", ALL, map_scram_bridge, 0,
         "auto (default): kconnect logs in itself (TCP, TLS, SASL) and hands librdkafka the authenticated "
         "connection when the mechanism is SCRAM and librdkafka is older than 2.6.1, whose SCRAM login Kafka 4 "
         "rejects; always: also for PLAIN and with any librdkafka; never: librdkafka logs in itself"),

    /* producer */
    FUNC("acks", P, map_acks, 0, "all (-1), 1 or 0"),
    SAME("linger.ms", P, "time to wait for more records before sending a batch"),
    SAME("batch.size", P, "maximum bytes of a batch per partition"),
    FUNC("compression.type", P, map_compression, 0, "none, gzip, snappy, lz4 or zstd"),
    FUNC("compression.gzip.level", P, map_compression_level, 0, "level when compression.type=gzip"),
    FUNC("compression.lz4.level", P, map_compression_level, 0, "level when compression.type=lz4"),
    FUNC("compression.zstd.level", P, map_compression_level, 0, "level when compression.type=zstd"),
    RENAME("max.in.flight.requests.per.connection", P, "max.in.flight", "unacknowledged requests per broker"),
    SAME("enable.idempotence", P, "exactly-once per partition for retried sends (Java default true)"),
    SAME("delivery.timeout.ms", P, "time a record may take from send to acknowledgement"),
    RENAME("retries", P, "message.send.max.retries", "retries of a failed produce request"),
    FUNC("buffer.memory", P, map_buffer_memory, 0, "bytes the producer may buffer (kilobytes in librdkafka)"),
    RENAME("max.request.size", P, "message.max.bytes", "largest request the producer sends"),
    SAME("transactional.id", P, "transactional producer id"),
    SAME("transaction.timeout.ms", P, "transaction timeout"),
    IGNORE("max.block.ms", P, "kconnect's produce calls never block on metadata"),
    IGNORE("partitioner.class", P, "kconnect sets the partition of each record itself"),
    IGNORE("partitioner.ignore.keys", P, "kconnect sets the partition of each record itself"),
    IGNORE("partitioner.adaptive.partitioning.enable", P, "kconnect sets the partition of each record itself"),
    IGNORE("partitioner.availability.timeout.ms", P, "kconnect sets the partition of each record itself"),
    IGNORE("key.serializer", P, "kconnect hands bytes to the producer"),
    IGNORE("value.serializer", P, "kconnect hands bytes to the producer"),

    /* consumer */
    SAME("group.id", C, "consumer group"),
    SAME("group.instance.id", C, "static membership id"),
    SAME("session.timeout.ms", C, "group session timeout"),
    SAME("heartbeat.interval.ms", C, "group heartbeat interval"),
    SAME("max.poll.interval.ms", C, "maximum time between polls before the member leaves the group"),
    SAME("enable.auto.commit", C, "commit offsets periodically in the background"),
    SAME("auto.commit.interval.ms", C, "period of automatic commits"),
    FUNC("auto.offset.reset", C, map_auto_offset_reset, 0, "earliest, latest or none"),
    SAME("isolation.level", C, "read_uncommitted (Java's default) or read_committed"),
    SAME("fetch.min.bytes", C, "bytes a fetch waits for"),
    SAME("fetch.max.bytes", C, "maximum bytes of one fetch response"),
    RENAME("fetch.max.wait.ms", C, "fetch.wait.max.ms", "longest wait of a fetch for fetch.min.bytes"),
    SAME("max.partition.fetch.bytes", C, "maximum bytes per partition of one fetch"),
    SAME("check.crcs", C, "verify record CRCs"),
    SAME("allow.auto.create.topics", C, "let subscriptions create missing topics"),
    FUNC("partition.assignment.strategy", C, map_assignment_strategy, 0,
         "RangeAssignor, RoundRobinAssignor or CooperativeStickyAssignor"),
    KCONN("max.poll.records", C, "records kconnect hands to a task per poll"),
    IGNORE("exclude.internal.topics", C, "kconnect never subscribes to internal topics by pattern"),
    IGNORE("group.protocol", C, "librdkafka 2.0 speaks the classic group protocol"),
    IGNORE("key.deserializer", C, "kconnect reads bytes from the consumer"),
    IGNORE("value.deserializer", C, "kconnect reads bytes from the consumer"),

    /* Java plug-ins and metrics */
    REFUSE("interceptor.classes", P | C, "Java interceptors cannot run in kconnect; remove them"),
    IGNORE("metric.reporters", ALL, "kconnect exposes its own metrics"),
    IGNORE("metrics.num.samples", ALL, "kconnect exposes its own metrics"),
    IGNORE("metrics.sample.window.ms", ALL, "kconnect exposes its own metrics"),
    IGNORE("metrics.recording.level", ALL, "kconnect exposes its own metrics"),
    IGNORE("auto.include.jmx.reporter", ALL, "kconnect exposes its own metrics"),
    IGNORE("enable.metrics.push", ALL, "client telemetry (KIP-714) is not in librdkafka 2.0"),
};

#undef P
#undef C
#undef A
#undef ALL

const kc_client_key *kc_client_config_table(size_t *count)
{
    if (count)
        *count = sizeof table / sizeof table[0];
    return table;
}

const kc_client_key *kc_client_config_find(const char *key)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(table[i].java, key) == 0)
            return &table[i];
    return NULL;
}

void kc_client_settings_init(kc_client_settings *settings)
{
    settings->max_poll_records = 500;
    settings->default_api_timeout_ms = 60000;
    settings->request_timeout_ms = 30000;
}

/* Java's defaults where librdkafka's differ in a way an operator would notice. */
static int apply_java_defaults(kc_client_map_ctx *ctx, kc_error *err)
{
    ctx->row = NULL;
    if (ctx->kind == KC_CLIENT_CONSUMER && !kc_props_get(ctx->props, "isolation.level"))
        if (conf_set(ctx, "isolation.level", "read_uncommitted", err))
            return -1;
    if (ctx->kind == KC_CLIENT_PRODUCER && !kc_props_get(ctx->props, "enable.idempotence")) {
        /* Java enables idempotence unless the other settings conflict with it, then quietly not */
        const char *acks = kc_props_get(ctx->props, "acks");
        const char *inflight = kc_props_get(ctx->props, "max.in.flight.requests.per.connection");
        const char *retries = kc_props_get(ctx->props, "retries");
        long long n;
        int ok = (!acks || !strcmp(acks, "all") || !strcmp(acks, "-1")) &&
                 (!inflight || (parse_long(inflight, &n) == 0 && n <= 5)) &&
                 (!retries || (parse_long(retries, &n) == 0 && n > 0));
        if (conf_set(ctx, "enable.idempotence", ok ? "true" : "false", err))
            return -1;
    }
    /* Java's buffer.memory default (33554432 bytes) instead of librdkafka's 1 GB queue: a source task
     * that outruns its producer blocks at 32 MB as Java's send() does. A buffer.memory or
     * librdkafka.queue.buffering.max.kbytes in props is applied after this and wins. */
    if (ctx->kind == KC_CLIENT_PRODUCER && conf_set(ctx, "queue.buffering.max.kbytes", "32768", err))
        return -1;
    return 0;
}

rd_kafka_conf_t *kc_client_conf_new(const kc_props *props, kc_client_kind kind,
                                    kc_client_settings *settings, kc_props *unused, kc_error *err)
{
    kc_client_map_ctx ctx = {.props = props, .kind = kind, .settings = settings, .bridge = KC_BRIDGE_AUTO};
    if (settings)
        kc_client_settings_init(settings);
    ctx.conf = rd_kafka_conf_new();
    if (!ctx.conf) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    if (apply_java_defaults(&ctx, err))
        goto fail;
    size_t n = kc_props_count(props);
    for (size_t i = 0; i < n; i++) {
        const char *key = kc_props_key_at(props, i);
        const char *value = kc_props_value_at(props, i);
        if (strncmp(key, "librdkafka.", 11) == 0) {
            ctx.row = NULL;
            char errstr[512];
            if (rd_kafka_conf_set(ctx.conf, key + 11, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
                kc_error_set(err, KC_ERR_INVALID, "%s: %s", key,
                             kc_client_config_is_secret(key) ? "invalid value" : errstr);
                goto fail;
            }
            continue;
        }
        const kc_client_key *row = kc_client_config_find(key);
        if (!row || !(row->clients & kind)) {
            if (unused && kc_props_set(unused, key, "") != 0) {
                kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
                goto fail;
            }
            continue;
        }
        ctx.row = row;
        int rc = 0;
        switch (row->map) {
        case KC_MAP_SAME:
        case KC_MAP_RENAME:
            rc = conf_set(&ctx, row->rdkafka, value, err);
            break;
        case KC_MAP_FUNC:
        case KC_MAP_KCONNECT:
        case KC_MAP_REFUSE:
            rc = row->apply(&ctx, value, err);
            break;
        case KC_MAP_IGNORE:
            break;
        }
        if (rc)
            goto fail;
    }
    /* SCRAM with librdkafka < 2.6.1: kconnect logs in itself (client_config.h, bridge.h) */
    if (kc_bridge_wanted(ctx.conf, ctx.bridge))
        return kc_bridge_conf_take(ctx.conf, err);
    return ctx.conf;
fail:
    rd_kafka_conf_destroy(ctx.conf);
    return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0 && (n == m || s[n - m - 1] == '.');
}

int kc_client_config_is_secret(const char *key)
{
    static const char *const suffixes[] = {"password", "sasl.jaas.config", "ssl.keystore.key",
                                           "ssl.key.pem", "sasl.oauthbearer.client.secret"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (ends_with(key, suffixes[i]))
            return 1;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].secret && ends_with(key, table[i].java))
            return 1;
    return 0;
}

kc_props *kc_client_config_redacted(const kc_props *props)
{
    kc_props *out = kc_props_new();
    if (!out)
        return NULL;
    for (size_t i = 0; i < kc_props_count(props); i++) {
        const char *key = kc_props_key_at(props, i);
        if (kc_props_set(out, key, kc_client_config_is_secret(key) ? HIDDEN : kc_props_value_at(props, i))) {
            kc_props_free(out);
            return NULL;
        }
    }
    return out;
}
