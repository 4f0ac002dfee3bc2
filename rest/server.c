/* The REST server on libevent's evhttp; see server.h. */
#include "server.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <event2/util.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "connect/api/log.h"
#include "connect/version.h"
#include "rest/listeners.h"

#define LOGGER "kconnect.rest"

typedef struct listener_ctx {
    kc_rest_server *srv;
    int admin;             /* admin endpoints are served here */
    int regular;           /* the regular endpoints are served here */
    int https;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    int port;
} listener_ctx;

typedef struct resource_entry {
    const kc_rest_resource *res;
    void *opaque;
} resource_entry;

struct kc_rest_server {
    struct event_base *base;
    struct event *wakeup;
    pthread_t thread;
    int started, stopped;

    kc_rest_listener regular[KC_REST_MAX_LISTENERS];
    int regular_count;
    kc_rest_listener admin[KC_REST_MAX_LISTENERS];
    int admin_count;
    int admin_on_regular;   /* admin.listeners unset */
    listener_ctx ctx[2 * KC_REST_MAX_LISTENERS];
    int ctx_count;
    SSL_CTX *ssl, *admin_ssl;

    char *raw_listeners, *advertised_host, *advertised_listener;
    int advertised_port;
    char advertised_url[512];
    char *cors_origins, *cors_methods;
    kc_header_rule header_rules[KC_REST_MAX_HEADER_RULES];
    int header_rule_count;
    kc_props *credentials;  /* NULL = no basic auth */

    resource_entry resources[KC_REST_MAX_RESOURCES];
    kc_route routes[KC_REST_MAX_RESOURCES];
    size_t resource_count;

    pthread_mutex_t lock;   /* guards done_head / done_tail */
    kc_rest_request *done_head, *done_tail;
};

struct kc_rest_request {
    kc_rest_server *srv;
    struct evhttp_request *ev;
    listener_ctx *listener;
    kc_http_method method;
    const char *method_name;
    char *uri;
    struct evkeyvalq query;
    int has_query;
    kc_route_match match;
    json_t *body;
    char *raw_body;         /* the body bytes as received (signature checks), or NULL */
    size_t raw_body_len;
    char *path;             /* the path without query, as received (forwarding) */
    struct timespec start;
    char origin[256];       /* the CORS origin to echo, "" when none */
    int preflight;

    /* the answer */
    int status;
    char *out;              /* malloc'd body or NULL */
    size_t out_len;
    const char *content_type;
    char *extra_name, *extra_value;
    kc_rest_request *next;

    /* time limit: the request is answered once, by its handler or by the timer, whichever is first;
     * each holds a reference and the last one frees the request */
    atomic_int refs;
    atomic_int answered;
    struct event *timer;           /* NULL when no limit is armed */
    bool timer_done;               /* REST thread only: fired or deleted, its reference released */
    const kc_rest_resource *resource;
    void *opaque;
};

/* ---- errors ------------------------------------------------------------------------------- */

int kc_rest_status_for(const kc_error *err)
{
    switch (err->code) {
    case KC_ERR_INVALID: return 400;
    case KC_ERR_NOT_FOUND: return 404;
    case KC_ERR_CONFLICT: return 409;
    case KC_ERR_FORBIDDEN: return 403;
    case KC_ERR_UNAVAILABLE: return 503;
    case KC_ERR_REDIRECT: return 409; /* only when nobody forwarded it (kc_herder_forward does) */
    default: return 500;
    }
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

/* ---- answering ---------------------------------------------------------------------------- */

static void send_now(kc_rest_request *req);
static json_t *error_body(int status, const char *message);

static void release(kc_rest_request *req)
{
    if (atomic_fetch_sub(&req->refs, 1) != 1)
        return;
    if (req->timer)
        event_free(req->timer);
    if (req->has_query)
        evhttp_clear_headers(&req->query);
    json_decref(req->body);
    free(req->raw_body);
    free(req->path);
    free(req->uri);
    free(req->out);
    free(req->extra_name);
    free(req->extra_value);
    free(req);
}

/* Claims the right to answer. false when the time limit already answered: the caller's reference
 * is released and it must not touch req again. */
static bool claim(kc_rest_request *req)
{
    if (atomic_exchange(&req->answered, 1) == 0)
        return true;
    release(req);
    return false;
}

static void finish(kc_rest_request *req)
{
    kc_rest_server *srv = req->srv;
    if (pthread_equal(pthread_self(), srv->thread) || !srv->started) {
        send_now(req);
        return;
    }
    pthread_mutex_lock(&srv->lock);
    req->next = NULL;
    if (srv->done_tail)
        srv->done_tail->next = req;
    else
        srv->done_head = req;
    srv->done_tail = req;
    pthread_mutex_unlock(&srv->lock);
    event_active(srv->wakeup, EV_READ, 0);
}

static void set_body(kc_rest_request *req, int status, json_t *body)
{
    req->status = status;
    req->content_type = "application/json";
    if (body) {
        req->out = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        req->out_len = req->out ? strlen(req->out) : 0;
        json_decref(body);
    }
}

void kc_rest_respond_json_new(kc_rest_request *req, int status, json_t *body)
{
    if (!claim(req)) {
        json_decref(body);
        return;
    }
    set_body(req, status, body);
    finish(req);
}

void kc_rest_respond_json_header_new(kc_rest_request *req, int status, json_t *body, const char *header,
                                     const char *value)
{
    if (!claim(req)) {
        json_decref(body);
        return;
    }
    set_body(req, status, body);
    req->extra_name = header ? strdup(header) : NULL;
    req->extra_value = value ? strdup(value) : NULL;
    finish(req);
}

static json_t *error_body(int status, const char *message)
{
    json_t *o = json_object();
    json_object_set_new(o, "error_code", json_integer(status));
    json_object_set_new(o, "message", json_string(message));
    return o;
}

void kc_rest_respond_error(kc_rest_request *req, int status, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kc_rest_respond_json_new(req, status, error_body(status, msg));
}

void kc_rest_respond_kc_error(kc_rest_request *req, const kc_error *err)
{
    int status = kc_rest_status_for(err);
    kc_rest_respond_json_new(req, status, error_body(status, err->msg));
}

static void respond_text(kc_rest_request *req, int status, const char *text)
{
    if (!claim(req))
        return;
    req->status = status;
    req->content_type = "text/plain";
    req->out = strdup(text);
    req->out_len = req->out ? strlen(req->out) : 0;
    finish(req);
}

static void add_header_rules(kc_rest_request *req, struct evkeyvalq *h)
{
    kc_rest_server *srv = req->srv;
    if (!req->listener->regular)
        return;
    for (int i = 0; i < srv->header_rule_count; i++) {
        const kc_header_rule *r = &srv->header_rules[i];
        char value[512];
        const char *v = r->value;
        if (r->action == KC_HEADER_SET_DATE || r->action == KC_HEADER_ADD_DATE) {
            /* the value is milliseconds from now; the header carries that instant as an HTTP date */
            time_t t = time(NULL) + (time_t)(atoll(r->value) / 1000);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(value, sizeof value, "%a, %d %b %Y %H:%M:%S GMT", &tm);
            v = value;
        }
        if (r->action == KC_HEADER_SET || r->action == KC_HEADER_SET_DATE)
            evhttp_remove_header(h, r->name);
        evhttp_add_header(h, r->name, v);
    }
}

/* Sends the answer held in req (REST thread). */
static void transmit(kc_rest_request *req)
{
    kc_rest_server *srv = req->srv;
    struct evhttp_request *ev = req->ev;
    struct evkeyvalq *h = evhttp_request_get_output_headers(ev);
    struct evbuffer *buf = evbuffer_new();
    if (req->out && buf)
        evbuffer_add(buf, req->out, req->out_len);
    if (req->out_len || req->status >= 400 || req->content_type)
        evhttp_add_header(h, "Content-Type", req->content_type ? req->content_type : "application/json");
    evhttp_add_header(h, "Server", "kconnect/" KC_VERSION);
    if (req->extra_name && req->extra_value)
        evhttp_add_header(h, req->extra_name, req->extra_value);
    if (req->origin[0]) {
        evhttp_add_header(h, "Access-Control-Allow-Origin", req->origin);
        evhttp_add_header(h, "Access-Control-Allow-Credentials", "true");
        evhttp_add_header(h, "Vary", "Origin");
        if (req->preflight) {
            evhttp_add_header(h, "Access-Control-Allow-Methods",
                              srv->cors_methods[0] ? srv->cors_methods : "GET,POST,HEAD");
            evhttp_add_header(h, "Access-Control-Allow-Headers", "X-Requested-With,Content-Type,Accept,Origin");
            evhttp_add_header(h, "Access-Control-Max-Age", "1800");
        }
    }
    add_header_rules(req, h);
    evhttp_send_reply(ev, req->status, reason_phrase(req->status), buf);
    if (buf)
        evbuffer_free(buf);

    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    long ms = (end.tv_sec - req->start.tv_sec) * 1000 + (end.tv_nsec - req->start.tv_nsec) / 1000000;
    kc_log(KC_LOG_INFO, LOGGER, "\"%s %s HTTP/1.1\" %d %zu %ldms", req->method_name, req->uri, req->status,
           req->out_len, ms);
}

/* The handler's answer (REST thread): sent, the time limit disarmed, references released. */
static void send_now(kc_rest_request *req)
{
    transmit(req);
    if (req->timer && !req->timer_done) {
        req->timer_done = true;
        event_del(req->timer);
        release(req); /* the timer's reference */
    }
    release(req);
}

static void on_time_limit(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    kc_rest_request *req = arg;
    req->timer_done = true;
    if (atomic_exchange(&req->answered, 1) == 0) {
        int status = 500;
        json_t *body = NULL;
        if (req->resource->on_timeout)
            req->resource->on_timeout(req, req->opaque, &status, &body);
        if (!body)
            body = error_body(status, "Request timed out");
        set_body(req, status, body);
        transmit(req);
    }
    release(req); /* the timer's reference; the handler's answer, when it comes, releases its own */
}

static void on_wakeup(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    kc_rest_server *srv = arg;
    pthread_mutex_lock(&srv->lock);
    kc_rest_request *list = srv->done_head;
    srv->done_head = srv->done_tail = NULL;
    pthread_mutex_unlock(&srv->lock);
    while (list) {
        kc_rest_request *next = list->next;
        send_now(list);
        list = next;
    }
}

/* ---- request accessors ---------------------------------------------------------------------- */

kc_http_method kc_rest_request_method(const kc_rest_request *req) { return req->method; }

const char *kc_rest_request_param(const kc_rest_request *req, int i)
{
    return i >= 0 && i < req->match.param_count ? req->match.params[i] : NULL;
}

const char *kc_rest_request_query(const kc_rest_request *req, const char *name)
{
    return req->has_query ? evhttp_find_header(&req->query, name) : NULL;
}

size_t kc_rest_request_query_all(const kc_rest_request *req, const char *name, const char **out, size_t max)
{
    size_t n = 0;
    if (!req->has_query)
        return 0;
    for (struct evkeyval *kv = req->query.tqh_first; kv; kv = kv->next.tqe_next)
        if (strcmp(kv->key, name) == 0 && n < max)
            out[n++] = kv->value;
    return n;
}

const char *kc_rest_request_header(const kc_rest_request *req, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(req->ev), name);
}

json_t *kc_rest_request_json(const kc_rest_request *req) { return req->body; }

const char *kc_rest_request_body(const kc_rest_request *req, size_t *len)
{
    if (len)
        *len = req->raw_body_len;
    return req->raw_body;
}

const char *kc_rest_request_path(const kc_rest_request *req) { return req->path ? req->path : "/"; }

kc_rest_server *kc_rest_request_server(const kc_rest_request *req) { return req->srv; }

/* ---- the request pipeline -------------------------------------------------------------------- */

static kc_http_method method_of(struct evhttp_request *ev, const char **name)
{
    switch (evhttp_request_get_command(ev)) {
    case EVHTTP_REQ_GET: *name = "GET"; return KC_HTTP_GET;
    case EVHTTP_REQ_POST: *name = "POST"; return KC_HTTP_POST;
    case EVHTTP_REQ_PUT: *name = "PUT"; return KC_HTTP_PUT;
    case EVHTTP_REQ_DELETE: *name = "DELETE"; return KC_HTTP_DELETE;
    case EVHTTP_REQ_PATCH: *name = "PATCH"; return KC_HTTP_PATCH;
    case EVHTTP_REQ_HEAD: *name = "HEAD"; return KC_HTTP_HEAD;
    case EVHTTP_REQ_OPTIONS: *name = "OPTIONS"; return KC_HTTP_OPTIONS;
    case EVHTTP_REQ_TRACE: *name = "TRACE"; return KC_HTTP_OTHER;
    case EVHTTP_REQ_CONNECT: *name = "CONNECT"; return KC_HTTP_OTHER;
    }
    *name = "OTHER";
    return KC_HTTP_OTHER;
}

static int origin_allowed(const kc_rest_server *srv, const char *origin)
{
    if (!srv->cors_origins[0] || !origin)
        return 0;
    const char *p = srv->cors_origins;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t n = (size_t)(e - p);
        while (n && p[n - 1] == ' ')
            n--;
        if ((n == 1 && *p == '*') || (n == strlen(origin) && strncmp(p, origin, n) == 0))
            return 1;
        p = e;
    }
    return 0;
}

/* Internal endpoints skip basic auth: POST /connectors/{c}/tasks and PUT /connectors/{c}/fence. */
static int is_internal_path(kc_http_method method, const char *path)
{
    static const kc_route internal[] = {
        {KC_HTTP_POST, "/connectors/{c}/tasks"},
        {KC_HTTP_PUT, "/connectors/{c}/fence"},
    };
    kc_route_match m;
    return kc_router_match(internal, 2, method, path, &m) == 200;
}

static int credentials_ok(const kc_rest_server *srv, const char *header)
{
    if (!header || strncasecmp(header, "Basic ", 6) != 0)
        return 0;
    const char *b64 = header + 6;
    while (*b64 == ' ')
        b64++;
    size_t len = strlen(b64);
    if (len == 0 || len > 1024)
        return 0;
    unsigned char decoded[800];
    int n = EVP_DecodeBlock(decoded, (const unsigned char *)b64, (int)len);
    if (n <= 0)
        return 0;
    while (len && b64[len - 1] == '=') { /* EVP_DecodeBlock counts padding bytes as output */
        n--;
        len--;
    }
    decoded[n] = '\0';
    char *colon = strchr((char *)decoded, ':');
    if (!colon)
        return 0;
    *colon = '\0';
    const char *want = kc_props_get(srv->credentials, (const char *)decoded);
    if (!want)
        return 0;
    const char *given = colon + 1;
    size_t wl = strlen(want), gl = strlen(given);
    /* constant-time comparison over the longer length */
    unsigned diff = (unsigned)(wl ^ gl);
    for (size_t i = 0; i < (wl > gl ? wl : gl); i++)
        diff |= (unsigned)((i < wl ? (unsigned char)want[i] : 0) ^ (i < gl ? (unsigned char)given[i] : 0));
    return diff == 0;
}

static int content_type_ok(const char *ct)
{
    if (!ct)
        return 1; /* lenient: a missing Content-Type is taken as JSON (documented choice) */
    while (*ct == ' ')
        ct++;
    return strncasecmp(ct, "application/json", 16) == 0 && (ct[16] == '\0' || ct[16] == ';' || ct[16] == ' ');
}

static void on_request(struct evhttp_request *ev, void *arg)
{
    listener_ctx *lc = arg;
    kc_rest_server *srv = lc->srv;
    kc_rest_request *req = calloc(1, sizeof *req);
    if (!req) {
        evhttp_send_error(ev, 500, "out of memory");
        return;
    }
    req->srv = srv;
    req->ev = ev;
    req->listener = lc;
    atomic_init(&req->refs, 1);
    atomic_init(&req->answered, 0);
    clock_gettime(CLOCK_MONOTONIC, &req->start);
    req->method = method_of(ev, &req->method_name);
    const char *uri = evhttp_request_get_uri(ev);
    req->uri = strdup(uri ? uri : "/");
    const struct evhttp_uri *parsed = evhttp_request_get_evhttp_uri(ev);
    const char *path = parsed ? evhttp_uri_get_path(parsed) : NULL;
    const char *query = parsed ? evhttp_uri_get_query(parsed) : NULL;
    req->path = strdup(path ? path : "/");
    if (!req->uri || !req->path) {
        respond_text(req, 500, "out of memory");
        return;
    }
    if (!path || !*path)
        path = "/";
    if (query && evhttp_parse_query_str(query, &req->query) == 0)
        req->has_query = 1;

    const char *origin = evhttp_find_header(evhttp_request_get_input_headers(ev), "Origin");
    if (origin_allowed(srv, origin) && strlen(origin) < sizeof req->origin) {
        strcpy(req->origin, origin);
        req->preflight = req->method == KC_HTTP_OPTIONS &&
                         evhttp_find_header(evhttp_request_get_input_headers(ev), "Access-Control-Request-Method");
    }

    if (srv->credentials && !(req->preflight) && !is_internal_path(req->method, path) &&
        !credentials_ok(srv, evhttp_find_header(evhttp_request_get_input_headers(ev), "Authorization"))) {
        respond_text(req, 401, "User cannot access the resource.");
        return;
    }

    int status = kc_router_match(srv->routes, srv->resource_count, req->method, path, &req->match);
    /* the admin split: /admin/... only where admin endpoints are served */
    if (status != 404) {
        int any_admin = 0, any_regular = 0;
        for (size_t i = 0; i < srv->resource_count; i++) {
            kc_route_match m;
            if (kc_router_match(&srv->routes[i], 1, req->method, path, &m) == 404)
                continue;
            if (srv->resources[i].res->flags & KC_REST_ADMIN)
                any_admin = 1;
            else
                any_regular = 1;
        }
        if ((any_admin && !lc->admin && !any_regular) || (any_regular && !lc->regular && !any_admin))
            status = 404;
    }
    if (status == 404) {
        kc_rest_respond_error(req, 404, "HTTP 404 Not Found");
        return;
    }
    if (req->method == KC_HTTP_OPTIONS) {
        char allow[128];
        kc_http_allow_list(req->match.allowed, allow, sizeof allow);
        req->extra_name = strdup("Allow");
        req->extra_value = strdup(allow);
        respond_text(req, 200, allow);
        return;
    }
    if (status == 405) {
        char allow[128];
        kc_http_allow_list(req->match.allowed, allow, sizeof allow);
        req->extra_name = strdup("Allow");
        req->extra_value = strdup(allow);
        kc_rest_respond_error(req, 405, "HTTP 405 Method Not Allowed");
        return;
    }
    const resource_entry *entry = &srv->resources[req->match.index];
    if (entry->res->flags & KC_REST_BODY) {
        struct evbuffer *in = evhttp_request_get_input_buffer(ev);
        size_t len = evbuffer_get_length(in);
        if (len > KC_REST_MAX_BODY) {
            kc_rest_respond_error(req, 413, "Request body too large");
            return;
        }
        if (len > 0) {
            if (!content_type_ok(evhttp_find_header(evhttp_request_get_input_headers(ev), "Content-Type"))) {
                kc_rest_respond_error(req, 415, "HTTP 415 Unsupported Media Type");
                return;
            }
            json_error_t jerr;
            const char *data = (const char *)evbuffer_pullup(in, -1);
            if ((req->raw_body = malloc(len + 1))) {
                memcpy(req->raw_body, data, len);
                req->raw_body[len] = '\0';
                req->raw_body_len = len;
            }
            req->body = json_loadb(data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
            if (!req->body) {
                int only_space = 1;
                for (size_t i = 0; i < len && only_space; i++)
                    only_space = isspace((unsigned char)data[i]);
                if (!only_space) {
                    kc_rest_respond_error(req, 500, "Cannot parse the request body as JSON: %s (line %d, column %d)",
                                          jerr.text, jerr.line, jerr.column);
                    return;
                }
            }
        }
    }
    /* the time limit (Java: 90 s for herder requests, 10 s for /health) */
    req->resource = entry->res;
    req->opaque = entry->opaque;
    int limit = entry->res->timeout_ms > 0 ? entry->res->timeout_ms : KC_REST_REQUEST_TIMEOUT_MS;
    req->timer = evtimer_new(srv->base, on_time_limit, req);
    if (req->timer) {
        atomic_fetch_add(&req->refs, 1);
        struct timeval tv = {limit / 1000, (limit % 1000) * 1000};
        evtimer_add(req->timer, &tv);
    }
    entry->res->handler(req, entry->opaque);
}

/* ---- TLS ----------------------------------------------------------------------------------- */

static SSL_CTX *tls_context(const kc_props *worker, const char *prefix, kc_error *err)
{
    const char *keystore = worker ? kc_rest_tls_setting(worker, prefix, "ssl.keystore.location") : NULL;
    if (!keystore) {
        kc_error_set(err, KC_ERR_INVALID, "an https listener needs %sssl.keystore.location (a PEM file with "
                                          "the private key and certificate chain)", prefix);
        return NULL;
    }
    const char *type = kc_rest_tls_setting(worker, prefix, "ssl.keystore.type");
    if (type && strcasecmp(type, "PEM") != 0) {
        kc_error_set(err, KC_ERR_INVALID, "%sssl.keystore.type=%s cannot be read by kconnect: convert the "
                                          "keystore to PEM and set ssl.keystore.type=PEM", prefix, type);
        return NULL;
    }
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        kc_error_set(err, KC_ERR_INTERNAL, "cannot create a TLS context");
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    const char *key_password = kc_rest_tls_setting(worker, prefix, "ssl.key.password");
    /* never OpenSSL's default callback, which would prompt on the terminal */
    SSL_CTX_set_default_passwd_cb(ctx, kc_rest_tls_password_cb);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)(key_password ? key_password : ""));
    if (SSL_CTX_use_certificate_chain_file(ctx, keystore) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, keystore, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        char e[256];
        ERR_error_string_n(ERR_get_error(), e, sizeof e);
        kc_error_set(err, KC_ERR_INVALID, "%sssl.keystore.location=%s: cannot load the key and certificate chain: %s",
                     prefix, keystore, e);
        SSL_CTX_free(ctx);
        return NULL;
    }
    const char *client_auth = kc_rest_tls_setting(worker, prefix, "ssl.client.auth");
    const char *truststore = kc_rest_tls_setting(worker, prefix, "ssl.truststore.location");
    if (client_auth && (strcasecmp(client_auth, "required") == 0 || strcasecmp(client_auth, "requested") == 0)) {
        if (!truststore || SSL_CTX_load_verify_locations(ctx, truststore, NULL) != 1) {
            kc_error_set(err, KC_ERR_INVALID, "%sssl.client.auth=%s needs a readable PEM %sssl.truststore.location",
                         prefix, client_auth, prefix);
            SSL_CTX_free(ctx);
            return NULL;
        }
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | (strcasecmp(client_auth, "required") == 0
                                                       ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), NULL);
    }
    return ctx;
}

static struct bufferevent *tls_bev(struct event_base *base, void *arg)
{
    SSL *ssl = SSL_new((SSL_CTX *)arg);
    return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

/* ---- life cycle ------------------------------------------------------------------------------ */

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

kc_rest_server *kc_rest_server_new(const kc_rest_config *config, kc_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, (void (*)(void))evthread_use_pthreads);
    kc_rest_server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&srv->lock, NULL);
    srv->regular_count = kc_rest_listeners_parse("listeners", config->listeners ? config->listeners : "http://:8083",
                                                 srv->regular, KC_REST_MAX_LISTENERS, err);
    if (srv->regular_count < 0)
        goto fail;
    srv->admin_on_regular = config->admin_listeners == NULL;
    if (!srv->admin_on_regular) {
        srv->admin_count = kc_rest_listeners_parse("admin.listeners", config->admin_listeners, srv->admin,
                                                   KC_REST_MAX_LISTENERS, err);
        if (srv->admin_count < 0)
            goto fail;
    }
    srv->header_rule_count = kc_rest_header_rules_parse(config->response_headers, srv->header_rules,
                                                        KC_REST_MAX_HEADER_RULES, err);
    if (srv->header_rule_count < 0)
        goto fail;
    if (config->basic_auth_file) {
        srv->credentials = kc_props_new();
        if (!srv->credentials || kc_props_load_file(srv->credentials, config->basic_auth_file, err) != 0) {
            kc_error_prefix(err, "REST basic authentication credentials");
            goto fail;
        }
    }
    for (int i = 0; i < srv->regular_count; i++)
        if (srv->regular[i].https && !srv->ssl && !(srv->ssl = tls_context(config->worker, "listeners.https.", err)))
            goto fail;
    for (int i = 0; i < srv->admin_count; i++)
        if (srv->admin[i].https && !srv->admin_ssl &&
            !(srv->admin_ssl = tls_context(config->worker, "admin.listeners.https.", err)))
            goto fail;
    srv->raw_listeners = dup_or_empty(config->listeners ? config->listeners : "http://:8083");
    srv->advertised_host = config->advertised_host ? strdup(config->advertised_host) : NULL;
    srv->advertised_listener = config->advertised_listener ? strdup(config->advertised_listener) : NULL;
    srv->advertised_port = config->advertised_port;
    srv->cors_origins = dup_or_empty(config->cors_allowed_origins);
    srv->cors_methods = dup_or_empty(config->cors_allowed_methods);
    if (!srv->raw_listeners || !srv->cors_origins || !srv->cors_methods) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    srv->base = event_base_new();
    if (!srv->base || !(srv->wakeup = event_new(srv->base, -1, EV_READ, on_wakeup, srv))) {
        kc_error_set(err, KC_ERR_INTERNAL, "cannot create the REST event loop");
        goto fail;
    }
    return srv;
fail:
    kc_rest_server_free(srv);
    return NULL;
}

int kc_rest_server_add(kc_rest_server *srv, const kc_rest_resource *resources, size_t count, void *opaque,
                       kc_error *err)
{
    if (srv->started)
        return kc_error_set(err, KC_ERR_INTERNAL, "resources must be added before the REST server starts");
    for (size_t i = 0; i < count; i++) {
        if (srv->resource_count == KC_REST_MAX_RESOURCES)
            return kc_error_set(err, KC_ERR_INTERNAL, "too many REST resources (max %d)", KC_REST_MAX_RESOURCES);
        srv->resources[srv->resource_count].res = &resources[i];
        srv->resources[srv->resource_count].opaque = opaque;
        srv->routes[srv->resource_count] = resources[i].route;
        srv->resource_count++;
    }
    return 0;
}

static int bind_listener(kc_rest_server *srv, const kc_rest_listener *l, int admin, int regular, kc_error *err)
{
    listener_ctx *lc = &srv->ctx[srv->ctx_count];
    lc->srv = srv;
    lc->admin = admin;
    lc->regular = regular;
    lc->https = l->https;
    lc->http = evhttp_new(srv->base);
    if (!lc->http)
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot create an HTTP listener");
    srv->ctx_count++;
    evhttp_set_allowed_methods(lc->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
                                             EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
                                             EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    /* room for a body just over the limit, so that we answer 413 ourselves with Java's JSON shape */
    evhttp_set_max_body_size(lc->http, (ev_ssize_t)KC_REST_MAX_BODY + 1024 * 1024);
    evhttp_set_max_headers_size(lc->http, KC_REST_MAX_HEADERS_SIZE);
    evhttp_set_timeout(lc->http, 120);
    evhttp_set_gencb(lc->http, on_request, lc);
    if (l->https)
        evhttp_set_bevcb(lc->http, tls_bev, admin && !regular ? srv->admin_ssl : srv->ssl);
    const char *host = l->host[0] ? l->host : "0.0.0.0";
    lc->bound = evhttp_bind_socket_with_handle(lc->http, host, (ev_uint16_t)l->port);
    if (!lc->bound)
        return kc_error_set(err, KC_ERR_IO, "cannot listen on %s://%s:%d: %s", l->https ? "https" : "http",
                            l->host, l->port, evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    lc->port = l->port;
    if (getsockname(evhttp_bound_socket_get_fd(lc->bound), (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET)
            lc->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            lc->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return 0;
}

static void *run(void *arg)
{
    kc_rest_server *srv = arg;
    event_base_dispatch(srv->base);
    return NULL;
}

int kc_rest_server_start(kc_rest_server *srv, kc_error *err)
{
    for (int i = 0; i < srv->regular_count; i++)
        if (bind_listener(srv, &srv->regular[i], srv->admin_on_regular, 1, err))
            return -1;
    for (int i = 0; i < srv->admin_count; i++)
        if (bind_listener(srv, &srv->admin[i], 1, 0, err))
            return -1;
    int ports[KC_REST_MAX_LISTENERS];
    for (int i = 0; i < srv->regular_count; i++)
        ports[i] = srv->ctx[i].port;
    char host[256] = "localhost";
    gethostname(host, sizeof host);
    host[sizeof host - 1] = '\0';
    if (kc_rest_advertised_url(srv->raw_listeners, srv->regular, ports, (size_t)srv->regular_count,
                               srv->advertised_listener, srv->advertised_host, srv->advertised_port, host,
                               srv->advertised_url, sizeof srv->advertised_url, err))
        return -1;
    /* keep the loop alive with no pending request: the wake-up event is persistent while running */
    event_del(srv->wakeup);
    event_assign(srv->wakeup, srv->base, -1, EV_READ | EV_PERSIST, on_wakeup, srv);
    event_add(srv->wakeup, NULL);
    if (pthread_create(&srv->thread, NULL, run, srv) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot start the REST thread");
    srv->started = 1;
    for (int i = 0; i < srv->ctx_count; i++)
        kc_log(KC_LOG_INFO, LOGGER, "REST server listening on %s://%s:%d/%s", srv->ctx[i].https ? "https" : "http",
               i < srv->regular_count ? srv->regular[i].host : srv->admin[i - srv->regular_count].host,
               srv->ctx[i].port, srv->ctx[i].regular ? "" : " (admin)");
    kc_log(KC_LOG_INFO, LOGGER, "REST advertised URL: %s", srv->advertised_url);
    return 0;
}

const char *kc_rest_server_advertised_url(const kc_rest_server *srv) { return srv->advertised_url; }

int kc_rest_server_port(const kc_rest_server *srv, int i)
{
    return i >= 0 && i < srv->ctx_count ? srv->ctx[i].port : -1;
}

void kc_rest_server_stop(kc_rest_server *srv)
{
    if (!srv || !srv->started || srv->stopped)
        return;
    srv->stopped = 1;
    event_base_loopbreak(srv->base);
    pthread_join(srv->thread, NULL);
    srv->started = 0;
    on_wakeup(-1, 0, srv); /* answers that arrived last are sent (or dropped by libevent) */
}

void kc_rest_server_free(kc_rest_server *srv)
{
    if (!srv)
        return;
    kc_rest_server_stop(srv);
    for (int i = 0; i < srv->ctx_count; i++)
        if (srv->ctx[i].http)
            evhttp_free(srv->ctx[i].http);
    if (srv->wakeup)
        event_free(srv->wakeup);
    if (srv->base)
        event_base_free(srv->base);
    if (srv->ssl)
        SSL_CTX_free(srv->ssl);
    if (srv->admin_ssl)
        SSL_CTX_free(srv->admin_ssl);
    kc_props_free(srv->credentials);
    free(srv->raw_listeners);
    free(srv->advertised_host);
    free(srv->advertised_listener);
    free(srv->cors_origins);
    free(srv->cors_methods);
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}
