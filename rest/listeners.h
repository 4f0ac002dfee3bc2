/*
 * The REST server's configuration text: `listeners` / `admin.listeners` URLs, the advertised URL, and
 * `response.http.headers.config` rules — parsed with Java Connect's rules and error messages
 * (RestServer, RestServerConfig). Pure code, no I/O.
 *
 * Memory: results are fixed-size structs filled in place. Threads: any.
 */
#ifndef KC_REST_LISTENERS_H
#define KC_REST_LISTENERS_H

#include <stddef.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_REST_MAX_LISTENERS 8
#define KC_REST_MAX_HEADER_RULES 32

typedef struct kc_rest_listener {
    int https;          /* 0 http, 1 https */
    char host[256];     /* "" = all interfaces */
    int port;           /* 0 = ephemeral */
} kc_rest_listener;

/* A TLS setting of the worker under prefix ("listeners.https." for the REST server and the client
 * that forwards to other workers, "admin.listeners.https." for the admin listeners), with Java's
 * SSLUtils rule: when any key starts with prefix, only prefixed keys count (all or nothing); else
 * the unprefixed key. Borrowed from worker, or NULL. */
const char *kc_rest_tls_setting(const kc_props *worker, const char *prefix, const char *key);

/* OpenSSL pem_password_cb handing over the NUL-terminated password given as userdata. */
int kc_rest_tls_password_cb(char *buf, int size, int rwflag, void *userdata);

/* Parses a comma-separated listener list. key is "listeners" or "admin.listeners" (it appears in
 * Java's messages). An empty list is an error for "listeners" only (admin: 0 listeners = disabled).
 * Returns the count, or -1 with err (KC_ERR_INVALID). */
int kc_rest_listeners_parse(const char *key, const char *value, kc_rest_listener *out, size_t max,
                            kc_error *err);

/* Builds the advertised URL ("http://host:port/") from the listeners as Java's
 * RestServer.advertisedUrl does. raw_listeners is the configuration text (its scheme decides when
 * advertised_listener is NULL); bound_ports[i] is the port listener i is bound to; fallback_host is
 * used when neither advertised_host nor the listener names one. advertised_port < 0 = unset. */
int kc_rest_advertised_url(const char *raw_listeners, const kc_rest_listener *listeners,
                           const int *bound_ports, size_t count, const char *advertised_listener,
                           const char *advertised_host, int advertised_port, const char *fallback_host,
                           char *url, size_t url_len, kc_error *err);

typedef enum kc_header_action { KC_HEADER_SET, KC_HEADER_ADD, KC_HEADER_SET_DATE, KC_HEADER_ADD_DATE } kc_header_action;

typedef struct kc_header_rule {
    kc_header_action action;
    char name[128];
    char value[512];
} kc_header_rule;

/* Parses response.http.headers.config ("add X-XSS-Protection: 1; mode=block, \"set A: b, c\"").
 * Returns the number of rules, or -1 with err carrying Java's message. */
int kc_rest_header_rules_parse(const char *value, kc_header_rule *out, size_t max, kc_error *err);

#endif
