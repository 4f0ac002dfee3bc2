/* Java client keys -> librdkafka: the mapping table, the JAAS parser and secret handling. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connect/config/client_config.h"
#include "connect/config/jaas.h"
#include "kc_test.h"

static kc_props *props_of(const char *text)
{
    kc_props *p = kc_props_new();
    kc_error err;
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FATAL(kc_props_load_string(p, text, strlen(text), "<test>", &err) == 0);
    return p;
}

/* Maps text for kind; returns the conf (or NULL with err filled). */
static rd_kafka_conf_t *map(const char *text, kc_client_kind kind, kc_error *err)
{
    kc_props *p = props_of(text);
    kc_error_clear(err);
    rd_kafka_conf_t *conf = kc_client_conf_new(p, kind, NULL, NULL, err);
    kc_props_free(p);
    return conf;
}

static const char *get(rd_kafka_conf_t *conf, const char *name)
{
    static char buf[4096];
    size_t size = sizeof buf;
    if (rd_kafka_conf_get(conf, name, buf, &size) != RD_KAFKA_CONF_OK)
        return "(unknown)";
    return buf;
}

static void test_table_targets_exist(void)
{
    size_t n;
    const kc_client_key *t = kc_client_config_table(&n);
    CU_ASSERT(n > 60);
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    for (size_t i = 0; i < n; i++) {
        if (t[i].map == KC_MAP_SAME || t[i].map == KC_MAP_RENAME) {
            /* UNKNOWN means the name does not exist; INVALID only that "1" is no value for it.
             * Topic-level names are forwarded to the default topic configuration. */
            char errstr[256];
            rd_kafka_conf_res_t r = rd_kafka_conf_set(conf, t[i].rdkafka, "1", errstr, sizeof errstr);
            if (r == RD_KAFKA_CONF_UNKNOWN)
                fprintf(stderr, "librdkafka lacks %s (row %s)\n", t[i].rdkafka, t[i].java);
            CU_ASSERT(r != RD_KAFKA_CONF_UNKNOWN);
        }
        if (t[i].map == KC_MAP_FUNC || t[i].map == KC_MAP_KCONNECT || t[i].map == KC_MAP_REFUSE)
            CU_ASSERT(t[i].apply != NULL);
        CU_ASSERT(t[i].doc != NULL && t[i].doc[0] != '\0');
        CU_ASSERT(kc_client_config_find(t[i].java) == &t[i]); /* no duplicate rows */
    }
    rd_kafka_conf_destroy(conf);
}

static void test_plain_sasl_ssl(void)
{
    char path[] = "/tmp/kc-ca-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    const char *pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    CU_ASSERT(write(fd, pem, strlen(pem)) == (ssize_t)strlen(pem));
    close(fd);
    char text[1024];
    snprintf(text, sizeof text,
             "bootstrap.servers=127.0.0.1:9093\n"
             "security.protocol=SASL_SSL\n"
             "sasl.mechanism=PLAIN\n"
             "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
             "username=\"alice\" password=\"alice-secret\";\n"
             "ssl.truststore.type=PEM\n"
             "ssl.truststore.location=%s\n", path);
    kc_error err;
    rd_kafka_conf_t *conf = map(text, KC_CLIENT_PRODUCER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "security.protocol"), "sasl_ssl");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.mechanisms"), "PLAIN");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.username"), "alice");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.password"), "alice-secret");
    CU_ASSERT_STRING_EQUAL(get(conf, "ssl.ca.location"), path);
    CU_ASSERT_STRING_EQUAL(get(conf, "bootstrap.servers"), "127.0.0.1:9093");
    rd_kafka_conf_destroy(conf);

    /* without ssl.truststore.type a PEM file is recognised by its content */
    snprintf(text, sizeof text, "security.protocol=SSL\nssl.truststore.location=%s\n", path);
    conf = map(text, KC_CLIENT_CONSUMER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "ssl.ca.location"), path);
    rd_kafka_conf_destroy(conf);
    unlink(path);
}

static void test_scram_and_protocol_case(void)
{
    kc_error err;
    rd_kafka_conf_t *conf = map(
        "kconnect.scram.bridge=never\n" /* librdkafka's own view; the bridged one is in test_kafka_protocol */
        "security.protocol=sasl_plaintext\nsasl.mechanism=SCRAM-SHA-512\n"
        "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule REQUIRED "
        "username='admin' password=\"p\\\\\\\"w\";\n",
        KC_CLIENT_ADMIN, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "security.protocol"), "sasl_plaintext");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.mechanisms"), "SCRAM-SHA-512");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.username"), "admin");
    CU_ASSERT_STRING_EQUAL(get(conf, "sasl.password"), "p\"w");
    rd_kafka_conf_destroy(conf);
}

static void test_bad_protocol_names_key(void)
{
    kc_error err;
    CU_ASSERT(map("security.protocol=TLS\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT(strstr(err.msg, "security.protocol") != NULL);
    CU_ASSERT(strstr(err.msg, "TLS") != NULL);
    CU_ASSERT(map("sasl.mechanism=OAUTHBEARER\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "OAUTHBEARER") != NULL);
}

static void test_jks_refused_with_advice(void)
{
    kc_error err;
    CU_ASSERT(map("ssl.truststore.type=JKS\nssl.truststore.location=/etc/hostname\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "ssl.truststore.type=JKS") != NULL);
    CU_ASSERT(strstr(err.msg, "PEM") != NULL);
    /* a binary (non-PEM) file without a type is what Java reads as JKS */
    CU_ASSERT(map("ssl.truststore.location=/etc/hostname\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "JKS") != NULL);
    CU_ASSERT(map("ssl.truststore.location=/nonexistent/ca.pem\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "/nonexistent/ca.pem") != NULL);
    CU_ASSERT(map("ssl.keystore.type=PKCS12\nssl.keystore.location=/etc/hostname\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "ssl.keystore.type=PKCS12") != NULL);
}

static void test_pem_store_password_refused_without_echo(void)
{
    kc_error err;
    CU_ASSERT(map("ssl.truststore.type=PEM\nssl.truststore.password=hunter2\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "ssl.truststore.password") != NULL);
    CU_ASSERT(strstr(err.msg, "hunter2") == NULL);
}

static void test_unknown_login_module(void)
{
    kc_error err;
    CU_ASSERT(map("sasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required "
                  "useKeyTab=true password=\"topsecret\";\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "Krb5LoginModule") != NULL);
    CU_ASSERT(strstr(err.msg, "PlainLoginModule") != NULL);
    CU_ASSERT(strstr(err.msg, "topsecret") == NULL);
    /* a syntax error names the problem, never the text */
    CU_ASSERT(map("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                  "username=\"u\" password=\"topsecret\"\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "semi-colon") != NULL);
    CU_ASSERT(strstr(err.msg, "topsecret") == NULL);
    CU_ASSERT(map("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                  "username=\"u\";\n", KC_CLIENT_ADMIN, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "password") != NULL);
}

static void test_jaas_grammar(void)
{
    kc_error err;
    kc_jaas *j = kc_jaas_parse("  /* lead */ org.x.M   Optional  a=b // tail\n c = \"d e\" f='g;h'  ; ", &err);
    CU_ASSERT_FATAL(j != NULL);
    CU_ASSERT_STRING_EQUAL(j->login_module, "org.x.M");
    CU_ASSERT_STRING_EQUAL(j->control_flag, "optional");
    CU_ASSERT_STRING_EQUAL(kc_props_get(j->options, "a"), "b");
    CU_ASSERT_STRING_EQUAL(kc_props_get(j->options, "c"), "d e");
    CU_ASSERT_STRING_EQUAL(kc_props_get(j->options, "f"), "g;h");
    CU_ASSERT_EQUAL(j->module_count, 1);
    kc_jaas_free(j);

    j = kc_jaas_parse("m required x=\"tab\\there\\101\";", &err);
    CU_ASSERT_FATAL(j != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(j->options, "x"), "tab\thereA");
    kc_jaas_free(j);

    CU_ASSERT(kc_jaas_parse("", &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Login module not specified in JAAS config");
    CU_ASSERT(kc_jaas_parse("m", &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Login module control flag not specified in JAAS config");
    CU_ASSERT(kc_jaas_parse("m always;", &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid login module control flag 'always' in JAAS config");
    CU_ASSERT(kc_jaas_parse("m required k;", &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "Value not specified for key 'k' in JAAS config");
    CU_ASSERT(kc_jaas_parse("m required k=v", &err) == NULL);
    CU_ASSERT_STRING_EQUAL(err.msg, "JAAS config entry not terminated by semi-colon");

    j = kc_jaas_parse("m1 required a=1; m2 sufficient b=2;", &err);
    CU_ASSERT_FATAL(j != NULL);
    CU_ASSERT_EQUAL(j->module_count, 2);
    CU_ASSERT_STRING_EQUAL(j->login_module, "m1");
    CU_ASSERT(kc_props_get(j->options, "b") == NULL);
    kc_jaas_free(j);
}

static void test_producer_values(void)
{
    kc_error err;
    rd_kafka_conf_t *conf = map("acks=all\nlinger.ms=7\nbatch.size=65536\ncompression.type=zstd\n"
                                "compression.zstd.level=5\nmax.in.flight.requests.per.connection=3\n"
                                "buffer.memory=33554432\nreceive.buffer.bytes=-1\nretries=9\n"
                                "delivery.timeout.ms=120000\nrequest.timeout.ms=15000\n",
                                KC_CLIENT_PRODUCER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "linger.ms"), "7");
    CU_ASSERT_STRING_EQUAL(get(conf, "batch.size"), "65536");
    CU_ASSERT_STRING_EQUAL(get(conf, "compression.codec"), "zstd");
    CU_ASSERT_STRING_EQUAL(get(conf, "compression.level"), "5");
    CU_ASSERT_STRING_EQUAL(get(conf, "max.in.flight"), "3");
    CU_ASSERT_STRING_EQUAL(get(conf, "queue.buffering.max.kbytes"), "32768");
    CU_ASSERT_STRING_EQUAL(get(conf, "socket.receive.buffer.bytes"), "0");
    CU_ASSERT_STRING_EQUAL(get(conf, "message.send.max.retries"), "9");
    CU_ASSERT_STRING_EQUAL(get(conf, "enable.idempotence"), "true");
    rd_kafka_conf_destroy(conf);

    CU_ASSERT(map("acks=2\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "acks") != NULL);
    CU_ASSERT(map("compression.type=brotli\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "brotli") != NULL);
    CU_ASSERT(map("linger.ms=soon\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "linger.ms") != NULL);
}

static void test_java_defaults(void)
{
    kc_error err;
    rd_kafka_conf_t *conf = map("acks=1\n", KC_CLIENT_PRODUCER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "enable.idempotence"), "false"); /* Java: quietly off with acks=1 */
    CU_ASSERT_STRING_EQUAL(get(conf, "queue.buffering.max.kbytes"), "32768"); /* buffer.memory's default */
    rd_kafka_conf_destroy(conf);
    conf = map("buffer.memory=1048576\n", KC_CLIENT_PRODUCER, &err); /* the user's setting wins */
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "queue.buffering.max.kbytes"), "1024");
    rd_kafka_conf_destroy(conf);
    conf = map("librdkafka.queue.buffering.max.kbytes=4096\n", KC_CLIENT_PRODUCER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "queue.buffering.max.kbytes"), "4096");
    rd_kafka_conf_destroy(conf);
    conf = map("group.id=g\n", KC_CLIENT_CONSUMER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "isolation.level"), "read_uncommitted");
    CU_ASSERT_STRING_EQUAL(get(conf, "group.id"), "g");
    rd_kafka_conf_destroy(conf);
}

static void test_consumer_values(void)
{
    kc_props *p = props_of("auto.offset.reset=none\nfetch.max.wait.ms=250\nmax.poll.records=2000\n"
                           "partition.assignment.strategy=org.apache.kafka.clients.consumer.RangeAssignor, "
                           "org.apache.kafka.clients.consumer.CooperativeStickyAssignor\n"
                           "isolation.level=read_committed\nacks=all\nno.such.key=1\n");
    kc_client_settings settings;
    kc_props *unused = kc_props_new();
    kc_error err;
    rd_kafka_conf_t *conf = kc_client_conf_new(p, KC_CLIENT_CONSUMER, &settings, unused, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "auto.offset.reset"), "error");
    CU_ASSERT_STRING_EQUAL(get(conf, "fetch.wait.max.ms"), "250");
    CU_ASSERT_STRING_EQUAL(get(conf, "partition.assignment.strategy"), "range,cooperative-sticky");
    CU_ASSERT_STRING_EQUAL(get(conf, "isolation.level"), "read_committed");
    CU_ASSERT_EQUAL(settings.max_poll_records, 2000);
    CU_ASSERT_EQUAL(settings.default_api_timeout_ms, 60000);
    /* a producer key given to a consumer and an unknown key are reported, not applied */
    CU_ASSERT_EQUAL(kc_props_count(unused), 2);
    CU_ASSERT(kc_props_get(unused, "acks") != NULL);
    CU_ASSERT(kc_props_get(unused, "no.such.key") != NULL);
    rd_kafka_conf_destroy(conf);
    kc_props_free(unused);
    kc_props_free(p);

    CU_ASSERT(map("max.poll.records=0\n", KC_CLIENT_CONSUMER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "max.poll.records") != NULL);
    CU_ASSERT(map("partition.assignment.strategy=org.apache.kafka.clients.consumer.StickyAssignor\n",
                  KC_CLIENT_CONSUMER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "StickyAssignor") != NULL);
}

static void test_endpoint_identification_and_refusals(void)
{
    kc_error err;
    rd_kafka_conf_t *conf = map("ssl.endpoint.identification.algorithm=\n", KC_CLIENT_ADMIN, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "ssl.endpoint.identification.algorithm"), "none");
    rd_kafka_conf_destroy(conf);
    CU_ASSERT(map("interceptor.classes=com.acme.Tracing\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "interceptor.classes") != NULL);
    conf = map("interceptor.classes=\nkey.serializer=org.apache.kafka.common.serialization.ByteArraySerializer\n",
               KC_CLIENT_PRODUCER, &err);
    CU_ASSERT(conf != NULL);
    if (conf)
        rd_kafka_conf_destroy(conf);
}

static void test_librdkafka_passthrough(void)
{
    kc_error err;
    rd_kafka_conf_t *conf = map("librdkafka.queue.buffering.max.messages=1234\n", KC_CLIENT_PRODUCER, &err);
    CU_ASSERT_FATAL(conf != NULL);
    CU_ASSERT_STRING_EQUAL(get(conf, "queue.buffering.max.messages"), "1234");
    rd_kafka_conf_destroy(conf);
    CU_ASSERT(map("librdkafka.sasl.password=\n librdkafka.no.such=1\n", KC_CLIENT_PRODUCER, &err) == NULL);
    CU_ASSERT(strstr(err.msg, "librdkafka.no.such") != NULL);
}

static void test_secrets(void)
{
    CU_ASSERT(kc_client_config_is_secret("sasl.jaas.config"));
    CU_ASSERT(kc_client_config_is_secret("producer.sasl.jaas.config"));
    CU_ASSERT(kc_client_config_is_secret("A.consumer.ssl.key.password"));
    CU_ASSERT(kc_client_config_is_secret("ssl.keystore.key"));
    CU_ASSERT(kc_client_config_is_secret("librdkafka.sasl.password"));
    CU_ASSERT(!kc_client_config_is_secret("sasl.mechanism"));
    CU_ASSERT(!kc_client_config_is_secret("bootstrap.servers"));
    CU_ASSERT(!kc_client_config_is_secret("passwordless.mode"));

    kc_props *p = props_of("sasl.jaas.config=x required password=\"s3cr3t\";\nbootstrap.servers=h:1\n"
                           "consumer.ssl.truststore.password=abc\n");
    kc_props *r = kc_client_config_redacted(p);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "sasl.jaas.config"), "[hidden]");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "consumer.ssl.truststore.password"), "[hidden]");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "bootstrap.servers"), "h:1");
    kc_props_free(r);
    kc_props_free(p);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"every SAME/RENAME target exists in librdkafka", test_table_targets_exist},
        {"SASL_SSL PLAIN with a PEM truststore", test_plain_sasl_ssl},
        {"SCRAM, protocol case, quoted escapes", test_scram_and_protocol_case},
        {"bad protocol and mechanism name the key", test_bad_protocol_names_key},
        {"JKS and PKCS12 refused with advice", test_jks_refused_with_advice},
        {"PEM store password refused, not echoed", test_pem_store_password_refused_without_echo},
        {"unknown login module refused without the password", test_unknown_login_module},
        {"JAAS grammar and Java's error texts", test_jaas_grammar},
        {"producer values", test_producer_values},
        {"Java defaults where librdkafka differs", test_java_defaults},
        {"consumer values, settings and unused keys", test_consumer_values},
        {"endpoint identification and refused Java classes", test_endpoint_identification_and_refusals},
        {"librdkafka. pass-through", test_librdkafka_passthrough},
        {"secrets are recognised and redacted", test_secrets},
        {NULL, NULL},
    };
    return kc_test_run("client_config", cases);
}
