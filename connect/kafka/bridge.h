/*
 * The SASL bridge: kconnect logs in to the broker itself and hands librdkafka an authenticated
 * plaintext byte stream.
 *
 * Why: Debian 12's librdkafka 2.0.2 sends the client nonce twice in the SCRAM client-final message
 * (fixed in librdkafka 2.6.1, confluentinc/librdkafka PR #4895). Kafka >= 4.0 checks the nonce as
 * RFC 5802 says, so every SCRAM-SHA-256/512 login of librdkafka < 2.6.1 fails with "invalid
 * credentials" although the credentials are right.
 *
 * How: a bridged client's librdkafka configuration says security.protocol=plaintext and has no
 * sasl.* / ssl.* settings; its socket_cb hands librdkafka one end of a socketpair(AF_UNIX) and its
 * connect_cb (called with the broker address librdkafka resolved, for bootstrap servers and for every
 * broker learned from metadata alike) hands the other end and that address to the bridge thread,
 * then reports the socket connected. The bridge thread connects to the broker over TCP, then TLS
 * when the original protocol was SASL_SSL (OpenSSL: the configured CA or the system's, host name
 * check per ssl.endpoint.identification.algorithm, client certificate if configured), then sends
 * ApiVersions, SaslHandshake v1 and SaslAuthenticate (v2, or v1 for brokers without v2) carrying a
 * SCRAM (scram.h) or PLAIN exchange. Once logged in it relays bytes both ways until either side
 * closes, then closes the other; librdkafka meanwhile waits for the answer to its own ApiVersions
 * request, which it wrote into the socketpair and which the bridge forwards after the login.
 *
 * Per-client state (the SASL/TLS settings, the TLS context, the last error) is attached with
 * librdkafka interceptors (on_new / on_conf_dup / on_conf_destroy and the broker threads'
 * on_thread_start), so it is owned by the configuration object and then by the client, and the
 * configuration's opaque stays free for the caller's callbacks.
 *
 * Errors: a failed login, TLS handshake or TCP connect closes librdkafka's end, which librdkafka
 * reports as a plain disconnect ("Disconnected while requesting ApiVersion") and retries with its
 * reconnect backoff. The real cause is kept as the client's (and the process's) last bridge error
 * (KC_ERR_AUTH, KC_ERR_TLS or KC_ERR_UNREACHABLE; the message names the broker and never the
 * password; a failed SCRAM login reads "SASL authentication error: <the broker's message>") and is
 * logged by "kconnect.kafka.bridge" (ERROR, repeats of the same message at most every 30 s).
 *
 * Limits: one bridge thread per process serves every bridged connection (PBKDF2 for SCRAM runs on
 * it, some milliseconds per login); re-authentication (KIP-368) is not done: when a broker sets
 * connections.max.reauth.ms it closes the connection at session expiry and librdkafka reconnects.
 * Buffers: each direction holds at most about KC_BRIDGE_BUFFER_MAX bytes (plus one read) before
 * reading from the other side pauses. The broker socket always has TCP_NODELAY (the relay forwards
 * requests in pieces; Nagle would hold back their tails). The TLS settings are loaded when the
 * configuration is made, so a broken CA or key is a configuration error, as with librdkafka.
 *
 * Files: bridge.c (settings, librdkafka hooks, errors, the thread), bridge_conn.c (one connection:
 * TCP -> TLS -> SASL -> relay), bridge_internal.h (what they share).
 *
 * Threads: kc_bridge_conf_take, kc_bridge_last_error and kc_bridge_connection_count from any
 * thread; the callbacks run on librdkafka's broker threads and only queue work for the bridge
 * thread (a libevent loop, started on first use). kc_bridge_shutdown from any thread but the
 * bridge thread; it also runs at exit (before OpenSSL's own clean-up).
 */
#ifndef KC_KAFKA_BRIDGE_H
#define KC_KAFKA_BRIDGE_H

#include <stddef.h>

#include <librdkafka/rdkafka.h>

#include "connect/api/error.h"

#define KC_BRIDGE_LOGGER "kconnect.kafka.bridge"
#define KC_BRIDGE_BUFFER_MAX (1024 * 1024)
/* librdkafka versions from this one on log in to Kafka 4 with SCRAM themselves (PR #4895). */
#define KC_BRIDGE_RDKAFKA_FIXED 0x020601ff

typedef enum kc_bridge_mode {
    KC_BRIDGE_AUTO,    /* SCRAM with a librdkafka older than 2.6.1 */
    KC_BRIDGE_ALWAYS,  /* every PLAIN or SCRAM login, whatever librdkafka's version */
    KC_BRIDGE_NEVER    /* librdkafka logs in itself */
} kc_bridge_mode;

/* "auto", "always", "never" (any case). 0, or -1 when unknown. */
int kc_bridge_mode_parse(const char *text, kc_bridge_mode *mode);

/* 1 when a client with this (mapped) configuration goes through the bridge under mode: its
 * security.protocol is SASL_PLAINTEXT or SASL_SSL and its mechanism SCRAM-SHA-256/512 (auto, with
 * librdkafka < 2.6.1) or one of those or PLAIN (always). */
int kc_bridge_wanted(const rd_kafka_conf_t *conf, kc_bridge_mode mode);

/* Takes over conf (a mapped configuration for which kc_bridge_wanted said 1) and returns a new
 * configuration with the same settings, except that librdkafka sees security.protocol=plaintext and
 * no sasl.* / ssl.* settings, and every broker connection goes through the bridge with the
 * original ones. The new configuration owns the bridge settings (freed with it, or with the client
 * that rd_kafka_new makes from it; rd_kafka_conf_dup copies them). NULL with err when the settings
 * cannot be bridged (conf is destroyed either way). */
rd_kafka_conf_t *kc_bridge_conf_take(rd_kafka_conf_t *conf, kc_error *err);

/* The last bridge error of client rk (of any bridged client when rk is NULL): 1 with *err filled,
 * 0 when there was none (or rk is not bridged). Errors stay until the next one replaces them. */
int kc_bridge_last_error(const rd_kafka_t *rk, kc_error *err);

/* Bridged connections open right now (setting up or relaying). */
size_t kc_bridge_connection_count(void);

/* Stops the bridge thread, closes every bridged connection and frees the loop; the next bridged
 * connection starts it again (connections librdkafka makes meanwhile fail and are retried). Runs by
 * itself at exit. For tests and orderly shutdowns. */
void kc_bridge_shutdown(void);

#endif
