/*
 * kc_error: the one error type of kconnect.
 *
 * Owns: nothing on the heap. A kc_error is a fixed-size value the caller provides (usually on its
 * stack); functions that can fail return 0 / -1 (or a pointer / NULL) and fill it with a message a
 * person can act on. Nothing below main prints and exits.
 * Threads: any; a kc_error belongs to the thread that declared it.
 * Secrets: a message must never contain a password or other PASSWORD-type value in clear.
 */
#ifndef KC_API_ERROR_H
#define KC_API_ERROR_H

#include <stddef.h>

#define KC_ERROR_MSG_MAX 512

typedef enum kc_error_code {
    KC_ERR_NONE = 0,
    KC_ERR_INVALID,       /* bad input: a config value, a request body, a file */
    KC_ERR_NOT_FOUND,     /* a named thing does not exist */
    KC_ERR_UNREACHABLE,   /* no broker could be reached */
    KC_ERR_TLS,           /* TLS handshake or certificate failure */
    KC_ERR_AUTH,          /* SASL authentication failed */
    KC_ERR_TIMEOUT,       /* the operation did not finish in time */
    KC_ERR_IO,            /* file or socket I/O */
    KC_ERR_CONFLICT,      /* already exists, or a concurrent change / rebalance is in the way */
    KC_ERR_FORBIDDEN,     /* refused by policy or signature */
    KC_ERR_UNAVAILABLE,   /* not ready yet (starting up) */
    KC_ERR_INTERNAL,      /* a bug or an unexpected library failure */
    KC_ERR_REDIRECT       /* distributed mode: another worker serves this; message = its URL ("" unknown) */
} kc_error_code;

typedef struct kc_error {
    kc_error_code code;
    char msg[KC_ERROR_MSG_MAX];
} kc_error;

/* Clears err (code NONE, empty message). err may be NULL. */
void kc_error_clear(kc_error *err);

/* Sets code and a printf-style message, truncated to KC_ERROR_MSG_MAX - 1 bytes. Returns -1 so
 * that `return kc_error_set(err, ...);` reads as a failure. err may be NULL. */
int kc_error_set(kc_error *err, kc_error_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to the message already in err (context on the way up). Returns -1. */
int kc_error_prefix(kc_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A short stable name for a code ("invalid", "unreachable", "tls", "auth", ...). Static string. */
const char *kc_error_code_name(kc_error_code code);

#endif
