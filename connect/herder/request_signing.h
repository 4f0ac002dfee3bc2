/*
 * Signing of internal (worker-to-worker) REST requests, KIP-507 (REST spec §11.3 and §13.4; Java's
 * InternalRequestSignature, DistributedHerder.requestNotSignedProperly, DistributedConfig's key
 * generator): session keys, the X-Connect-Authorization HMAC and its verification with Java's
 * status codes and messages.
 *
 * The module owns no state: no key, no configuration, no global. The herder keeps the session key
 * (read from the config topic) and the worker's inter.worker.* settings and passes them in.
 * Algorithms are JCA names ("HmacSHA256"), mapped to OpenSSL digests by
 * kc_worker_config_hmac_digest (case-insensitive, as the JCA looks them up).
 *
 * Threads: any; every function is reentrant (OpenSSL's HMAC and RAND_bytes are thread-safe).
 * Memory: nothing is allocated for the caller; outputs go to caller-provided buffers.
 * Secrets: keys and MACs never appear in an error message.
 */
#ifndef KC_HERDER_REQUEST_SIGNING_H
#define KC_HERDER_REQUEST_SIGNING_H

#include <stddef.h>

#include "connect/api/error.h"

#define KC_REQUEST_SIGNATURE_HEADER "X-Connect-Authorization"
#define KC_REQUEST_SIGNATURE_ALGORITHM_HEADER "X-Connect-Request-Signature-Algorithm"

/* Largest MAC (SHA-512) and its padded base64 text with the terminating NUL. */
#define KC_REQUEST_MAC_MAX 64
#define KC_REQUEST_SIGNATURE_B64_MAX (4 * ((KC_REQUEST_MAC_MAX + 2) / 3) + 1)

/* Largest session key kc_session_key_generate makes (inter.worker.key.size up to 8192 bits). */
#define KC_SESSION_KEY_MAX 1024

/* HMAC_<java_alg>(key, body) as standard padded base64 (the X-Connect-Authorization value), NUL-
 * terminated into out_b64 (KC_REQUEST_SIGNATURE_B64_MAX bytes are always enough). body may be NULL
 * when body_len is 0: the MAC of the empty byte string (PUT .../fence). key must not be empty.
 * 0, or -1 with err: KC_ERR_INVALID "Algorithm <name> not available" (Java's NoSuchAlgorithmException
 * text) or an empty key or a too small buffer; KC_ERR_INTERNAL when OpenSSL fails. */
int kc_request_sign(const char *java_alg, const void *key, size_t key_len, const void *body, size_t body_len,
                    char *out_b64, size_t out_size, kc_error *err);

/* Verifies a received internal request, in Java's order, and returns 0 when it is properly signed,
 * else the HTTP status to answer, with Java's message in err (its code maps to that status through
 * kc_rest_status_for):
 *   400 KC_ERR_INVALID      either header NULL: "Internal request missing required signature"
 *   400 KC_ERR_INVALID      algorithm unknown to kconnect: "Algorithm <alg> not available"
 *   400 KC_ERR_INVALID      signature not valid base64: java.util.Base64's text, e.g.
 *                           "Illegal base64 character 2d", "Input byte array has wrong 4-byte ending unit"
 *   400 KC_ERR_INVALID      algorithm not in `permitted` (exact, case-sensitive): "This worker does not
 *                           support the '<alg>' key signing algorithm used by other workers. This worker
 *                           is currently configured to use: [a, b]. Check that ..."
 *   503 KC_ERR_UNAVAILABLE  key NULL (no session key read yet): "This worker is still starting up and
 *                           has not been able to read a session key from the config topic yet"
 *   403 KC_ERR_FORBIDDEN    MAC mismatch (constant-time compare): "Internal request contained invalid
 *                           signature."
 *   500 KC_ERR_INTERNAL     OpenSSL failed to compute the HMAC (not expected)
 * The first three come from Java's REST resource (InternalRequestSignature.fromHeaders), the next from
 * the herder; the 503 check comes after them (kconnect's order). authorization / algorithm are the
 * raw header values (X-Connect-Authorization, X-Connect-Request-Signature-Algorithm); permitted is
 * inter.worker.verification.algorithms (permitted_count entries, borrowed; kc_config_get_list's
 * char *const * needs a cast to const char *const * in C); body is the exact bytes received (NULL
 * when body_len is 0). */
int kc_request_verify(const char *authorization, const char *algorithm, const char *const *permitted,
                      size_t permitted_count, const void *key, size_t key_len, const void *body, size_t body_len,
                      kc_error *err);

/* A fresh session key for java_alg (inter.worker.key.generation.algorithm) from OpenSSL's CSPRNG.
 * key_size_bits is inter.worker.key.size; <= 0 means the algorithm's default, which is the JDK's
 * (SunJCE KeyGenerator): 512 bits for HmacMD5 and HmacSHA1, the digest's output size for the SHA-2
 * and SHA-3 HMACs (256 bits for HmacSHA256). A size that is not a multiple of 8 is rounded up to
 * whole bytes, as the JDK does; sizes below 40 bits are refused (the JDK's minimum).
 * *len is the capacity of out on entry and the key length in bytes on return (KC_SESSION_KEY_MAX is
 * always enough). 0, or -1 with err (KC_ERR_INVALID: unknown algorithm, bad size, buffer too small;
 * KC_ERR_INTERNAL: RAND_bytes failed). */
int kc_session_key_generate(const char *java_alg, int key_size_bits, unsigned char *out, size_t *len,
                            kc_error *err);

#endif
