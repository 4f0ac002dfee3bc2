/*
 * Internals of the SASL bridge (bridge.h), shared by its two files:
 *   bridge.c       the per-client settings, librdkafka's callbacks and interceptors, the registry of
 *                  clients and their last errors, and the bridge thread;
 *   bridge_conn.c  one bridged connection, layer by layer: TCP -> TLS -> SASL -> relay.
 *
 * Threads: a kc_bridge_cfg is immutable after kc_bridge_conf_take except for the fields under its
 * lock (its SSL_CTX is only read: SSL_new is thread-safe); it is reference counted because
 * connections on the bridge thread may outlive their client by a moment. A kc_bridge_conn belongs
 * to the thread that made it until it is queued, then to the bridge thread.
 */
#ifndef KC_KAFKA_BRIDGE_INTERNAL_H
#define KC_KAFKA_BRIDGE_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>

#include <event2/event.h>
#include <openssl/ssl.h>

#include "bridge.h"
#include "scram.h"

typedef struct kc_bridge_cfg {
    kc_sasl_mech mech;
    char *user;
    char *password;
    int tls;                      /* SASL_SSL */
    char *ca_location;            /* ssl.ca.location (file or directory) */
    char *ca_pem;                 /* ssl.ca.pem */
    char *cert_location;          /* ssl.certificate.location */
    char *key_location;           /* ssl.key.location */
    char *key_password;           /* ssl.key.password */
    char *cert_pem;               /* ssl.certificate.pem */
    char *key_pem;                /* ssl.key.pem */
    char *ciphers;                /* ssl.cipher.suites */
    int verify_peer;              /* enable.ssl.certificate.verification */
    int verify_host;              /* ssl.endpoint.identification.algorithm=https */
    char *client_id;
    int setup_timeout_ms;         /* login deadline per connection */
    int keepalive, sndbuf, rcvbuf;      /* socket.keepalive.enable, socket.*.buffer.bytes */
    SSL_CTX *ssl_ctx;             /* SASL_SSL: made by kc_bridge_conf_take, shared by copies */

    pthread_mutex_t lock;         /* guards the fields below */
    int refs;
    kc_error last_error;
    char logged_msg[KC_ERROR_MSG_MAX];
    long logged_ms;

    const rd_kafka_t *rk;         /* bridge.c's registry lock: the client, from on_new to on_destroy */
    struct kc_bridge_cfg *next;   /* bridge.c's registry lock */
} kc_bridge_cfg;

kc_bridge_cfg *kc_bridge_cfg_ref(kc_bridge_cfg *cfg);
/* Drops a reference; the last one frees the settings (wiping the secrets) and the TLS context. */
void kc_bridge_cfg_unref(kc_bridge_cfg *cfg);

/* Records an error as cfg's and the process's last bridge error and logs it (ERROR, or DEBUG for
 * a repeat within 30 s). Any thread. */
void kc_bridge_record_error(kc_bridge_cfg *cfg, kc_error_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

long kc_bridge_now_ms(void);

/* Makes cfg->ssl_ctx from the TLS settings (CA, client certificate and key, ciphers, verification)
 * unless it exists. 0, or -1 with err (KC_ERR_TLS naming the setting and OpenSSL's reason). */
int kc_bridge_tls_context(kc_bridge_cfg *cfg, kc_error *err);

typedef enum kc_bridge_state {
    KC_BRIDGE_QUEUED,         /* handed over by connect_cb, not yet picked up */
    KC_BRIDGE_CONNECTING,     /* TCP connect in progress */
    KC_BRIDGE_TLS,            /* TLS handshake */
    KC_BRIDGE_API_VERSIONS,   /* ApiVersions sent */
    KC_BRIDGE_HANDSHAKE,      /* SaslHandshake sent */
    KC_BRIDGE_AUTH,           /* SaslAuthenticate round(s) */
    KC_BRIDGE_RELAY,          /* logged in: relaying */
    KC_BRIDGE_DRAINING        /* one side closed: flushing what is left to the other */
} kc_bridge_state;

typedef struct kc_bridge_conn {
    struct kc_bridge_conn *next, *prev;  /* the hand-over queue (bridge.c), then the live list */
    kc_bridge_cfg *cfg;                  /* a reference */
    struct event_base *base;
    char broker[300];                    /* "sasl_ssl://host:port", for messages */
    char host[256];                      /* for SNI and the host name check */
    char addr_text[80];                  /* "ipv4#127.0.0.1:9093" */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    int local_fd;                        /* librdkafka's peer, until `local` owns it */
    int up_fd;                           /* the broker socket, until `up` owns it */
    struct bufferevent *local;
    struct bufferevent *up;
    struct event *connect_ev;
    struct event *deadline;
    kc_bridge_state state;
    long started_ms;
    int32_t corr;
    int16_t api_versions_version;
    int16_t auth_version;
    int auth_round;
    kc_scram *scram;
} kc_bridge_conn;

/* A connection to the broker at addr (librdkafka's node name id, "host:port") for librdkafka's
 * socketpair end peer, which it takes over on success. Takes a reference to cfg. Any thread.
 * NULL with *errnum set (peer untouched) on a bad address or out of memory. */
kc_bridge_conn *kc_bridge_conn_new(kc_bridge_cfg *cfg, int peer, const struct sockaddr *addr, int addrlen,
                                   const char *id, int *errnum);

/* Starts c on base: watches librdkafka's end, connects, logs in, relays. Bridge thread. */
void kc_bridge_conn_start(kc_bridge_conn *c, struct event_base *base);

/* Closes c (started or not) and frees it. Bridge thread, or any thread for a c never started. */
void kc_bridge_conn_close(kc_bridge_conn *c);

/* Closes every started connection (kc_bridge_shutdown, after the bridge thread was joined). */
void kc_bridge_conn_close_all(void);

#endif
