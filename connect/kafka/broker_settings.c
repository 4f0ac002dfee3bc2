/* Group client settings from Java client properties; see broker_settings.h. */
#include "connect/kafka/broker_settings.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <librdkafka/rdkafka.h>

#include "connect/config/client_config.h"

static char *conf_str(rd_kafka_conf_t *conf, const char *name)
{
    size_t size = 0;
    if (rd_kafka_conf_get(conf, name, NULL, &size) != RD_KAFKA_CONF_OK || size <= 1)
        return NULL;
    char *v = malloc(size);
    if (v && rd_kafka_conf_get(conf, name, v, &size) != RD_KAFKA_CONF_OK) {
        free(v);
        return NULL;
    }
    return v;
}

static const char *keep(kc_broker_settings_owned *o, char *v)
{
    for (size_t i = 0; i < sizeof o->strings / sizeof o->strings[0]; i++)
        if (!o->strings[i]) {
            o->strings[i] = v;
            return v;
        }
    free(v);
    return NULL;
}

int kc_broker_settings_from_props(const kc_props *props, const char *client_id, kc_broker_settings_owned *out,
                                  kc_error *err)
{
    memset(out, 0, sizeof *out);
    kc_props *copy = kc_props_copy(props);
    if (!copy || kc_props_set(copy, "kconnect.scram.bridge", "never") != 0) {
        kc_props_free(copy);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    rd_kafka_conf_t *conf = kc_client_conf_new(copy, KC_CLIENT_CONSUMER, NULL, NULL, err);
    kc_props_free(copy);
    if (!conf)
        return -1;
    char *proto = conf_str(conf, "security.protocol");
    int rc = 0;
    kc_broker_settings *s = &out->s;
    s->connect_timeout_ms = 10000;
    s->tls = proto && (strcasecmp(proto, "ssl") == 0 || strcasecmp(proto, "sasl_ssl") == 0);
    s->sasl = proto && (strcasecmp(proto, "sasl_plaintext") == 0 || strcasecmp(proto, "sasl_ssl") == 0);
    free(proto);
    if (s->sasl) {
        char *mech = conf_str(conf, "sasl.mechanisms");
        if (!mech || kc_sasl_mech_parse(mech, &s->mech) != 0)
            rc = kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration sasl.mechanism: the group "
                              "client logs in with PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", mech ? mech : "GSSAPI");
        free(mech);
        s->user = keep(out, conf_str(conf, "sasl.username"));
        s->password = keep(out, conf_str(conf, "sasl.password"));
        if (rc == 0 && (!s->user || !s->password))
            rc = kc_error_set(err, KC_ERR_INVALID, "sasl.jaas.config: the login module needs username and password");
    }
    if (s->tls) {
        s->ca_location = keep(out, conf_str(conf, "ssl.ca.location"));
        s->cert_location = keep(out, conf_str(conf, "ssl.certificate.location"));
        s->key_location = keep(out, conf_str(conf, "ssl.key.location"));
        s->key_password = keep(out, conf_str(conf, "ssl.key.password"));
        char *alg = conf_str(conf, "ssl.endpoint.identification.algorithm");
        s->verify_host = alg && strcasecmp(alg, "https") == 0;
        free(alg);
    }
    s->client_id = client_id ? keep(out, strdup(client_id)) : NULL;
    rd_kafka_conf_destroy(conf);
    if (rc != 0)
        kc_broker_settings_clear(out);
    return rc;
}

void kc_broker_settings_clear(kc_broker_settings_owned *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < sizeof o->strings / sizeof o->strings[0]; i++) {
        if (o->strings[i] && o->strings[i] == o->s.password)
            memset(o->strings[i], 0, strlen(o->strings[i]));
        free(o->strings[i]);
    }
    memset(o, 0, sizeof *o);
}
