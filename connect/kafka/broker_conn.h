/*
 * A blocking connection to one Kafka broker for kconnect's own group client (group_member.h):
 * TCP with a connect timeout, optional TLS (CA file or directory or the system's, client
 * certificate, SNI and host name check), ApiVersions, optional SASL PLAIN / SCRAM-SHA-256/512 login
 * (spec/connect-group-protocol.md §2), then request/response round trips with correlation ids.
 * Responses are bounded (KC_KAFKA_FRAME_MAX).
 *
 * Errors: KC_ERR_UNREACHABLE (resolve/connect), KC_ERR_TLS (handshake, certificate, host name),
 * KC_ERR_AUTH (SASL), KC_ERR_TIMEOUT, KC_ERR_IO (disconnect, malformed or mismatched response).
 * Messages name the broker, never the password.
 * Memory: the connection owns its socket, TLS session and last response. Threads: one at a time.
 */
#ifndef KC_KAFKA_BROKER_CONN_H
#define KC_KAFKA_BROKER_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/kafka/protocol.h"
#include "connect/kafka/scram.h"

typedef struct kc_broker_settings {
    int tls;                     /* SSL or SASL_SSL */
    int sasl;                    /* SASL_PLAINTEXT or SASL_SSL */
    kc_sasl_mech mech;
    const char *user;
    const char *password;
    const char *ca_location;     /* PEM file or directory; NULL = system default */
    const char *cert_location;   /* client certificate chain (PEM), optional */
    const char *key_location;    /* its key (PEM), optional */
    const char *key_password;
    int verify_host;             /* ssl.endpoint.identification.algorithm=https */
    const char *client_id;
    int connect_timeout_ms;      /* TCP + TLS + login; 0 = 10000 */
} kc_broker_settings;

typedef struct kc_broker_conn kc_broker_conn;

/* Connects to host:port and logs in. NULL with err. */
kc_broker_conn *kc_broker_conn_open(const kc_broker_settings *s, const char *host, int port, kc_error *err);
void kc_broker_conn_close(kc_broker_conn *c);

/* "host:port" of the connection. */
const char *kc_broker_conn_name(const kc_broker_conn *c);
/* The broker's highest version of api_key (from ApiVersions), or -1 when it does not list it. */
int kc_broker_conn_api_max(const kc_broker_conn *c, int16_t api_key);
/* A fresh correlation id for the next request. */
int32_t kc_broker_conn_next_corr(kc_broker_conn *c);

/* Sends a whole frame and waits up to timeout_ms for the response to corr. *payload (the frame
 * after its size, borrowed until the next call) and *len. Any failure leaves the connection
 * unusable (close it). 0, or -1 with err. */
int kc_broker_conn_roundtrip(kc_broker_conn *c, const void *frame, size_t frame_len, int32_t corr, int timeout_ms,
                             const unsigned char **payload, size_t *len, kc_error *err);

#endif
