/*
 * Connectivity check: connect to a cluster with Java-style client settings and report its cluster
 * id and broker count, or one precise error within a bounded time.
 *
 * The check bootstraps a librdkafka client from the mapped settings (client_config.h), asks for
 * metadata without topics and classifies what went wrong:
 *   KC_ERR_AUTH         SASL authentication failed (wrong user, password or mechanism)
 *   KC_ERR_TLS          TLS handshake or certificate verification failed (wrong CA, host name)
 *   KC_ERR_UNREACHABLE  no broker answered (refused, unresolvable, timed out at TCP level)
 *   KC_ERR_TIMEOUT      connected, but no metadata arrived before the deadline
 *   KC_ERR_INVALID      the settings themselves are wrong (names the key)
 * Authentication and TLS failures end the check at once; an unreachable cluster is retried until
 * the deadline, so a broker that is just starting still passes.
 *
 * Threads: blocking; call from any thread but the herder's event loop. Memory: result is filled
 * in place (fixed-size fields). Secrets: error texts come from librdkafka's broker errors, which
 * never carry passwords, and from the mapping, which hides secret values.
 */
#ifndef KC_KAFKA_CHECK_CONNECTION_H
#define KC_KAFKA_CHECK_CONNECTION_H

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_CHECK_DEFAULT_TIMEOUT_MS 10000

typedef struct kc_cluster_info {
    char cluster_id[128];
    int broker_count;
    int controller_id;          /* -1 when unknown */
    char bootstrap[512];        /* the bootstrap.servers that were used */
    long elapsed_ms;            /* time the check took */
} kc_cluster_info;

/* Runs the check. 0 with info filled, or -1 with err classified as above. */
int kc_check_connection(const kc_props *client_props, int timeout_ms, kc_cluster_info *info,
                        kc_error *err);

#endif
