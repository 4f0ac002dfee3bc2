/*
 * The REST server: libevent's evhttp on its own thread, serving Java Connect's REST API shapes.
 *
 * What it does for every request, before a resource handler sees it: basic authentication (when
 * configured; the internal task-config and fence endpoints skip it), CORS, routing (404 / 405 with
 * Java's JSON error bodies; OPTIONS answered with the Allow list), the admin-listener split for
 * /admin/..., the body checks (Content-Type must be JSON when present — 415 otherwise; at most
 * KC_REST_MAX_BODY bytes — 413; JSON that does not parse — 500 with the parser's message), and,
 * after the handler answered, the configured response headers and one request-log line.
 *
 * Handlers run on the REST thread and must not block: a handler either answers at once or hands
 * the request to another thread (the herder), which answers later with kc_rest_respond_* from that
 * thread; the answer is marshalled back to the REST thread. Every request gets exactly one answer:
 * the handler's, or, past the resource's time limit (90 s by default, as Java), the time-out answer
 * — then the handler's late answer is dropped. A client that went away meanwhile is handled by
 * libevent (the late answer is dropped).
 *
 * Memory: kc_rest_server_new returns a server freed with kc_rest_server_free, which must run only
 * after every component that may still answer requests has stopped. A kc_rest_request is owned by
 * the server until it is answered; after kc_rest_respond_* it must not be touched.
 */
#ifndef KC_REST_SERVER_H
#define KC_REST_SERVER_H

#include <jansson.h>

#include "connect/api/error.h"
#include "connect/config/properties.h"
#include "rest/router.h"

#define KC_REST_MAX_BODY (16u * 1024u * 1024u)
#define KC_REST_MAX_HEADERS_SIZE 8192
#define KC_REST_MAX_RESOURCES 64
#define KC_REST_REQUEST_TIMEOUT_MS 90000  /* Java's DEFAULT_REST_REQUEST_TIMEOUT_MS */
#define KC_REST_HEALTH_TIMEOUT_MS 10000

typedef struct kc_rest_server kc_rest_server;
typedef struct kc_rest_request kc_rest_request;

typedef void (*kc_rest_handler)(kc_rest_request *req, void *opaque);

enum {
    KC_REST_ADMIN = 1 << 0,     /* served per admin.listeners */
    KC_REST_INTERNAL = 1 << 1,  /* worker-to-worker: no basic auth (protected by signatures) */
    KC_REST_BODY = 1 << 2       /* takes a JSON body */
};

typedef struct kc_rest_resource {
    kc_route route;
    kc_rest_handler handler;
    unsigned flags;
    /* Time limit of an answer; 0 = KC_REST_REQUEST_TIMEOUT_MS. When it passes first, the server
     * answers on_timeout's status and body (default: 500 "Request timed out") and a later answer of
     * the handler is dropped. on_timeout runs on the REST thread. */
    int timeout_ms;
    void (*on_timeout)(kc_rest_request *req, void *opaque, int *status, json_t **body);
} kc_rest_resource;

/* Settings of the REST server, typed (the worker's configuration table parsed them). Strings are
 * copied by kc_rest_server_new. */
typedef struct kc_rest_config {
    const char *listeners;            /* e.g. "http://:8083" */
    const char *admin_listeners;      /* NULL = unset (admin on the regular listeners), "" = off */
    const char *advertised_host;      /* NULL = unset */
    int advertised_port;              /* -1 = unset */
    const char *advertised_listener;  /* NULL, "http" or "https" */
    const char *cors_allowed_origins; /* access.control.allow.origin; "" = no CORS */
    const char *cors_allowed_methods; /* access.control.allow.methods; "" = GET,POST,HEAD */
    const char *response_headers;     /* response.http.headers.config */
    const char *basic_auth_file;      /* "user: password" lines; NULL = no authentication */
    const kc_props *worker;           /* for the TLS keys: listeners.https.* or ssl.* (PEM) */
} kc_rest_config;

/* Validates the configuration (listeners, header rules, TLS files, credentials file). */
kc_rest_server *kc_rest_server_new(const kc_rest_config *config, kc_error *err);

/* Adds resources (the table must outlive the server); opaque is passed to their handlers.
 * Before kc_rest_server_start only. */
int kc_rest_server_add(kc_rest_server *srv, const kc_rest_resource *resources, size_t count,
                       void *opaque, kc_error *err);

/* Binds every listener and starts the REST thread. */
int kc_rest_server_start(kc_rest_server *srv, kc_error *err);

/* The URL other workers use to reach this one ("http://host:port/"), valid after start. */
const char *kc_rest_server_advertised_url(const kc_rest_server *srv);

/* The bound port of listener i (regular listeners first, then admin listeners); -1 if none. */
int kc_rest_server_port(const kc_rest_server *srv, int i);

/* Stops listening and joins the REST thread. Requests still unanswered are answered 500
 * "Worker is shutting down" by their owners or dropped. Idempotent. */
void kc_rest_server_stop(kc_rest_server *srv);
void kc_rest_server_free(kc_rest_server *srv);

/* ---- inside a handler -------------------------------------------------------------------- */

kc_http_method kc_rest_request_method(const kc_rest_request *req);
/* The i-th path parameter, URL-decoded. */
const char *kc_rest_request_param(const kc_rest_request *req, int i);
/* The first value of a query parameter, URL-decoded, or NULL. */
const char *kc_rest_request_query(const kc_rest_request *req, const char *name);
/* All values of a repeated query parameter: fills out (borrowed), returns the count. */
size_t kc_rest_request_query_all(const kc_rest_request *req, const char *name, const char **out, size_t max);
/* A request header or NULL. */
const char *kc_rest_request_header(const kc_rest_request *req, const char *name);
/* The parsed JSON body (borrowed), or NULL when the body was empty. */
json_t *kc_rest_request_json(const kc_rest_request *req);
/* The body bytes exactly as received (NUL-terminated; *len without the NUL), or NULL when there was
 * none or the resource takes no body. Borrowed. */
const char *kc_rest_request_body(const kc_rest_request *req, size_t *len);
/* The request path without the query, still URL-encoded as received ("/connectors/a%2Fb"). */
const char *kc_rest_request_path(const kc_rest_request *req);
/* The server this request came through (to build Location headers). */
kc_rest_server *kc_rest_request_server(const kc_rest_request *req);

/* ---- answering (any thread, exactly once per request) ------------------------------------- */

/* Answers with a JSON body (stolen; NULL = no body). */
void kc_rest_respond_json_new(kc_rest_request *req, int status, json_t *body);
/* Answers with a JSON body and one extra header (e.g. Location). */
void kc_rest_respond_json_header_new(kc_rest_request *req, int status, json_t *body, const char *header,
                                     const char *value);
/* Answers {"error_code":status,"message":...}. */
void kc_rest_respond_error(kc_rest_request *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Answers the error body with the HTTP status kc_rest_status_for(err). */
void kc_rest_respond_kc_error(kc_rest_request *req, const kc_error *err);

/* The one place that maps a kc_error to an HTTP status. */
int kc_rest_status_for(const kc_error *err);

#endif
