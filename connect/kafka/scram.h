/*
 * SASL client mechanisms kconnect speaks itself: SCRAM-SHA-256 / SCRAM-SHA-512 (RFC 5802,
 * RFC 7677) and PLAIN (RFC 4616). Pure: no I/O, no clock; the caller carries the bytes in
 * SaslAuthenticate requests (protocol.h).
 *
 * SCRAM exchange (spec/connect-group-protocol.md §2.4):
 *   client-first  "n,,n=<saslname>,r=<client nonce>"                 kc_scram_client_first
 *   server-first  "r=<client nonce + server nonce>,s=<salt>,i=<n>"    -> kc_scram_client_final
 *   client-final  "c=biws,r=<full nonce>,p=<base64 ClientProof>"
 *   server-final  "v=<base64 ServerSignature>" or "e=<error>"         -> kc_scram_server_final
 * SaltedPassword = PBKDF2-HMAC-H(password, salt, i) (no SASLprep: Kafka uses the UTF-8 bytes as
 * they are); the server signature is checked in constant time. Iterations below 4096 (Kafka's
 * minimum) or above KC_SCRAM_MAX_ITERATIONS are refused.
 *
 * Memory: kc_scram_new returns a state freed with kc_scram_free, which wipes the password and
 * the derived keys. Messages returned are borrowed from the state, valid until the next call or
 * kc_scram_free. Threads: a state belongs to one thread at a time.
 * Secrets: error messages never contain the password or a proof.
 */
#ifndef KC_KAFKA_SCRAM_H
#define KC_KAFKA_SCRAM_H

#include <stddef.h>

#include "connect/api/error.h"

#define KC_SCRAM_MIN_ITERATIONS 4096
#define KC_SCRAM_MAX_ITERATIONS 1000000

typedef enum kc_sasl_mech {
    KC_SASL_PLAIN = 1,
    KC_SASL_SCRAM_SHA_256,
    KC_SASL_SCRAM_SHA_512
} kc_sasl_mech;

/* "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512" (exact case) -> mech. 0, or -1 when unknown. */
int kc_sasl_mech_parse(const char *name, kc_sasl_mech *mech);
const char *kc_sasl_mech_name(kc_sasl_mech mech);

/* PLAIN's single message "\0user\0password" (empty authzid) into out (capacity cap).
 * Returns its length, or -1 when it does not fit. out holds the password: wipe it after use. */
long kc_sasl_plain_message(const char *user, const char *password, char *out, size_t cap);

/* The RFC 5802 saslname of user: '=' -> "=3D", ',' -> "=2C". New string (free), NULL on OOM. */
char *kc_scram_saslname(const char *user);

typedef struct kc_scram kc_scram;

/* A SCRAM client for mech (SHA-256 or SHA-512). nonce NULL draws a fresh random printable nonce
 * (tests pass a fixed one). NULL with err on a bad argument or out of memory. */
kc_scram *kc_scram_new(kc_sasl_mech mech, const char *user, const char *password, const char *nonce,
                       kc_error *err);
void kc_scram_free(kc_scram *s);

/* The client-first message. Borrowed. */
const char *kc_scram_client_first(kc_scram *s, size_t *len);

/* Checks server-first (nonce prefix, salt, iteration bounds), derives the keys and returns the
 * client-final message in *out (borrowed). -1 with err KC_ERR_AUTH when the server's message is
 * unacceptable ("e=" error, wrong nonce, too few iterations, malformed). */
int kc_scram_client_final(kc_scram *s, const char *server_first, size_t len, const char **out, size_t *out_len,
                          kc_error *err);

/* Verifies server-final's ServerSignature. 0, or -1 with err KC_ERR_AUTH ("e=" error, mismatch:
 * the broker does not know the password, so it is not the broker we meant to talk to). */
int kc_scram_server_final(kc_scram *s, const char *server_final, size_t len, kc_error *err);

#endif
