/*
 * The blocking HTTP client (rest/client.h) against servers inside this test, on 127.0.0.1:
 *   - an evhttp server on its own thread (GET/POST/PUT/PATCH/DELETE echoed, 204, 409 JSON, 307,
 *     chunked and large bodies), the same over TLS with a self-signed certificate made in-process
 *     with the OpenSSL API (host name check, trust, the listeners.https. prefix rule, client
 *     certificates);
 *   - one-shot raw socket servers for what evhttp does not send: 100 Continue, a body ended by
 *     close, chunk extensions and trailers, malformed and truncated answers, an oversized
 *     Content-Length, a peer that closes at once, a peer that never answers.
 * SIGPIPE keeps its default action here, so a write to a closed peer that raised it would kill the
 * test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "kc_test.h"
#include "rest/client.h"

#define LARGE (5u * 1024u * 1024u)

/* ---- the evhttp server -------------------------------------------------------------------------- */

typedef struct server {
    struct event_base *base;
    struct evhttp *http;
    SSL_CTX *ssl;
    int port;
    pthread_t thread;
} server;

static const char *method_name(enum evhttp_cmd_type cmd)
{
    switch (cmd) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_HEAD: return "HEAD";
    default: return "OTHER";
    }
}

static json_t *header_or_null(struct evkeyvalq *h, const char *name)
{
    const char *v = evhttp_find_header(h, name);
    return v ? json_string(v) : json_null();
}

static void handle(struct evhttp_request *req, void *arg)
{
    (void)arg;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = evhttp_uri_get_path(uri), *query = evhttp_uri_get_query(uri);
    struct evkeyvalq *in = evhttp_request_get_input_headers(req);
    struct evkeyvalq *out_h = evhttp_request_get_output_headers(req);
    struct evbuffer *body = evhttp_request_get_input_buffer(req);
    struct evbuffer *out = evbuffer_new();
    if (strcmp(path, "/echo") == 0) {
        size_t len = evbuffer_get_length(body);
        const unsigned char *data = evbuffer_pullup(body, -1);
        unsigned long sum = 0;
        for (size_t i = 0; i < len; i++)
            sum = sum * 31 + data[i];
        json_t *j = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:s}", "method",
                              method_name(evhttp_request_get_command(req)), "body_len", (json_int_t)len, "sum",
                              (json_int_t)(sum & 0x7fffffff), "content_length", header_or_null(in, "Content-Length"),
                              "x_test", header_or_null(in, "X-Test"), "host", header_or_null(in, "Host"),
                              "content_type", header_or_null(in, "Content-Type"), "connection",
                              header_or_null(in, "Connection"), "query", query ? query : "");
        if (len < 4096)
            json_object_set_new(j, "body", json_stringn(len ? (const char *)data : "", len));
        char *text = json_dumps(j, JSON_COMPACT);
        evbuffer_add(out, text, strlen(text));
        free(text);
        json_decref(j);
        evhttp_add_header(out_h, "Content-Type", "application/json");
        evhttp_send_reply(req, 200, "OK", out);
    } else if (strcmp(path, "/empty") == 0) {
        evhttp_send_reply(req, 204, "No Content", NULL);
    } else if (strcmp(path, "/conflict") == 0) {
        evbuffer_add_printf(out, "{\"error_code\":409,\"message\":\"Cannot complete request because of a "
                                 "conflicting operation (e.g. worker rebalance)\"}");
        evhttp_add_header(out_h, "Content-Type", "application/json");
        evhttp_send_reply(req, 409, "Conflict", out);
    } else if (strcmp(path, "/redirect") == 0) {
        evhttp_add_header(out_h, "Location", "/echo");
        evhttp_send_reply(req, 307, "Temporary Redirect", NULL);
    } else if (strcmp(path, "/large") == 0) {
        unsigned char *big = malloc(LARGE);
        for (size_t i = 0; i < LARGE; i++)
            big[i] = (unsigned char)(i % 251);
        evbuffer_add(out, big, LARGE);
        free(big);
        evhttp_send_reply(req, 200, "OK", out);
    } else if (strcmp(path, "/chunked") == 0) {
        evhttp_send_reply_start(req, 200, "OK");
        static const char *const parts[] = {"[\"one\",", "\"two\",", "\"three\"]"};
        for (size_t i = 0; i < 3; i++) {
            evbuffer_add(out, parts[i], strlen(parts[i]));
            evhttp_send_reply_chunk(req, out);
        }
        evhttp_send_reply_end(req);
    } else {
        evhttp_send_reply(req, 404, "Not Found", NULL);
    }
    evbuffer_free(out);
}

static struct bufferevent *tls_bev(struct event_base *base, void *arg)
{
    return bufferevent_openssl_socket_new(base, -1, SSL_new(arg), BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static void *server_run(void *arg)
{
    server *s = arg;
    event_base_dispatch(s->base);
    return NULL;
}

static void server_start(server *s, SSL_CTX *ssl)
{
    memset(s, 0, sizeof *s);
    s->base = event_base_new();
    s->http = evhttp_new(s->base);
    s->ssl = ssl;
    evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT | EVHTTP_REQ_PATCH |
                                            EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD);
    evhttp_set_gencb(s->http, handle, s);
    if (ssl)
        evhttp_set_bevcb(s->http, tls_bev, ssl);
    struct evhttp_bound_socket *b = evhttp_bind_socket_with_handle(s->http, "127.0.0.1", 0);
    if (!b) { /* also runs before the suite: no CUnit assertion here */
        fprintf(stderr, "cannot bind the test server on 127.0.0.1\n");
        exit(1);
    }
    struct sockaddr_in a;
    socklen_t l = sizeof a;
    getsockname(evconnlistener_get_fd(evhttp_bound_socket_get_listener(b)), (struct sockaddr *)&a, &l);
    s->port = ntohs(a.sin_port);
    pthread_create(&s->thread, NULL, server_run, s);
}

static void server_stop(server *s)
{
    event_base_loopbreak(s->base);
    pthread_join(s->thread, NULL);
    evhttp_free(s->http);
    event_base_free(s->base);
    if (s->ssl)
        SSL_CTX_free(s->ssl);
}

/* ---- one-shot raw servers --------------------------------------------------------------------------- */

typedef struct raw_server {
    int fd, port;
    const char *reply;  /* written after the request; NULL: close at once, without reading */
    char got[65536];    /* the request received (head and Content-Length bytes), NUL-terminated */
    pthread_t thread;
} raw_server;

static int listen_any(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t l = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &l) != 0) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static void *raw_run(void *arg)
{
    raw_server *r = arg;
    struct pollfd p = {.fd = r->fd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 10000) != 1)
        return NULL;
    int c = accept(r->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    if (r->reply) {
        char *buf = r->got, *end = NULL;
        size_t len = 0, want = sizeof r->got - 1;
        while (len < want) {
            ssize_t n = read(c, buf + len, want - len);
            if (n <= 0)
                break;
            len += (size_t)n;
            buf[len] = '\0';
            if (!end && (end = strstr(buf, "\r\n\r\n"))) {
                const char *cl = strcasestr(buf, "\r\nContent-Length: ");
                size_t body = cl && cl < end ? strtoul(cl + 18, NULL, 10) : 0;
                size_t total = (size_t)(end + 4 - buf) + body;
                want = total < want ? total : want;
            }
        }
        size_t off = 0, total = strlen(r->reply);
        while (off < total) {
            ssize_t n = send(c, r->reply + off, total - off, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            off += (size_t)n;
        }
    }
    close(c);
    return NULL;
}

static void raw_start(raw_server *r, const char *reply)
{
    r->reply = reply;
    r->got[0] = '\0';
    r->fd = listen_any(&r->port);
    CU_ASSERT_FATAL(r->fd >= 0);
    pthread_create(&r->thread, NULL, raw_run, r);
}

static void raw_stop(raw_server *r)
{
    pthread_join(r->thread, NULL);
    close(r->fd);
}

/* One request to a raw server answering `reply`; returns kc_http_request's result. */
static int raw_request(const char *reply, kc_http_response *resp, kc_error *err)
{
    raw_server r;
    raw_start(&r, reply);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", r.port);
    int rc = kc_http_request("GET", url, NULL, NULL, 0, NULL, 5000, resp, err);
    raw_stop(&r);
    return rc;
}

/* ---- helpers ---------------------------------------------------------------------------------------- */

static int port;  /* the plain evhttp server */

static json_t *echo(const char *method, const char *path, const char *const *headers, const char *body, size_t len,
                    kc_http_response *r)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    kc_error err;
    if (kc_http_request(method, url, headers, body, len, NULL, 5000, r, &err) != 0) {
        fprintf(stderr, "\n  %s %s: %s\n", method, url, err.msg);
        return NULL;
    }
    return r->body ? json_loadb(r->body, r->body_len, 0, NULL) : NULL;
}

static const char *jstr(json_t *j, const char *key)
{
    json_t *v = json_object_get(j, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* jstr for string comparisons: "(none)" instead of NULL */
static const char *jtext(json_t *j, const char *key)
{
    const char *s = jstr(j, key);
    return s ? s : "(none)";
}

/* ---- tests ------------------------------------------------------------------------------------------- */

static void test_url_parse(void)
{
    kc_http_url u;
    kc_error err;
    CU_ASSERT_EQUAL(kc_http_url_parse("http://leader:8083/connectors/test?forward=false", &u, &err), 0);
    CU_ASSERT(!u.https && strcmp(u.host, "leader") == 0 && u.port == 8083);
    CU_ASSERT_STRING_EQUAL(u.target, "/connectors/test?forward=false");
    CU_ASSERT_EQUAL(kc_http_url_parse("HTTPS://[::1]:8443/a%2Fb#frag", &u, &err), 0);
    CU_ASSERT(u.https && strcmp(u.host, "::1") == 0 && u.port == 8443);
    CU_ASSERT_STRING_EQUAL(u.target, "/a%2Fb");
    CU_ASSERT_EQUAL(kc_http_url_parse("https://[fe80::1:2]", &u, &err), 0);
    CU_ASSERT(u.port == 443 && strcmp(u.host, "fe80::1:2") == 0 && strcmp(u.target, "/") == 0);
    CU_ASSERT_EQUAL(kc_http_url_parse("http://10.0.0.1?x=1", &u, &err), 0);
    CU_ASSERT(u.port == 80 && strcmp(u.target, "/?x=1") == 0);
    CU_ASSERT_EQUAL(kc_http_url_parse("http://h:/", &u, &err), 0);
    CU_ASSERT_EQUAL(u.port, 80);
    static const char *const bad[] = {
        "ftp://h/", "h:8083/", "http://", "http://:8083/", "http://h:0/", "http://h:65536/", "http://h:80x/",
        "http://[::1/", "http://[::1]x/", "http://[nothex]/", "http://user:pw@h/", "http://h/a b", "http://h/\r\n",
        NULL,
    };
    for (size_t i = 0; bad[i]; i++) {
        CU_ASSERT_EQUAL(kc_http_url_parse(bad[i], &u, &err), -1);
        CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    }
    CU_ASSERT_EQUAL(kc_http_url_parse(NULL, &u, &err), -1);
}

static void test_methods(void)
{
    kc_http_response r;
    const char *const headers[] = {"Content-Type: application/json", "Accept: application/json",
                                   "User-Agent: kafka-connect", "X-Test: hello", NULL};
    char host[64];
    snprintf(host, sizeof host, "127.0.0.1:%d", port);
    json_t *j = echo("GET", "/echo?forward=true&x=a%2Fb", headers, NULL, 0, &r);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(r.content_type, "application/json");
    CU_ASSERT_STRING_EQUAL(jtext(j, "method"), "GET");
    CU_ASSERT_PTR_NULL(jstr(j, "content_length")); /* no body, no Content-Length */
    CU_ASSERT_STRING_EQUAL(jtext(j, "x_test"), "hello");
    CU_ASSERT_STRING_EQUAL(jtext(j, "host"), host);
    CU_ASSERT_STRING_EQUAL(jtext(j, "connection"), "close");
    CU_ASSERT_STRING_EQUAL(jtext(j, "query"), "forward=true&x=a%2Fb");
    json_decref(j);
    kc_http_response_clear(&r);
    static const struct {
        const char *method, *body, *length;
    } cases[] = {
        {"POST", "{\"name\":\"a\"}", "12"}, {"POST", NULL, "0"},  {"PUT", "{\"k\":\"v\"}", "9"},
        {"PUT", NULL, "0"},                 {"PATCH", "{}", "2"}, {"DELETE", NULL, NULL},
        {"GET", "", "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *b = cases[i].body;
        j = echo(cases[i].method, "/echo", headers, b, b ? strlen(b) : 0, &r);
        CU_ASSERT_PTR_NOT_NULL_FATAL(j);
        CU_ASSERT_EQUAL(r.status, 200);
        CU_ASSERT_STRING_EQUAL(jtext(j, "method"), cases[i].method);
        CU_ASSERT_STRING_EQUAL(jtext(j, "body"), b ? b : "");
        const char *length = jstr(j, "content_length");
        CU_ASSERT_STRING_EQUAL(length ? length : "(none)", cases[i].length ? cases[i].length : "(none)");
        json_decref(j);
        kc_http_response_clear(&r);
    }
}

/* The bytes on the wire (evhttp drops the body of a DELETE, so a raw server reads them). */
static void test_request_bytes(void)
{
    static const struct {
        const char *method, *target, *body, *expected;
    } cases[] = {
        {"DELETE", "/connectors/a%2Fb?forward=false", "[]",
         "DELETE /connectors/a%%2Fb?forward=false HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
         "Content-Length: 2\r\nX-Test: a\r\n\r\n[]"},
        {"GET", "", NULL, "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\nX-Test: a\r\n\r\n"},
        {"PUT", "/connectors/c/fence", NULL,
         "PUT /connectors/c/fence HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\nContent-Length: 0\r\n"
         "X-Test: a\r\n\r\n"},
    };
    const char *const headers[] = {"X-Test: a", NULL};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        raw_server rs;
        raw_start(&rs, "HTTP/1.1 204 No Content\r\n\r\n");
        char url[128], expected[512];
        snprintf(url, sizeof url, "http://127.0.0.1:%d%s", rs.port, cases[i].target);
        kc_http_response r;
        kc_error err;
        const char *b = cases[i].body;
        CU_ASSERT_EQUAL(kc_http_request(cases[i].method, url, headers, b, b ? strlen(b) : 0, NULL, 5000, &r, &err), 0);
        CU_ASSERT_EQUAL(r.status, 204);
        raw_stop(&rs);
        snprintf(expected, sizeof expected, cases[i].expected, rs.port);
        CU_ASSERT_STRING_EQUAL(rs.got, expected);
        if (strcmp(rs.got, expected) != 0)
            fprintf(stderr, "\n  got:      %s\n  expected: %s\n", rs.got, expected);
    }
}

static void test_statuses(void)
{
    kc_http_response r;
    CU_ASSERT_PTR_NULL(echo("PUT", "/empty", NULL, "{}", 2, &r));
    CU_ASSERT_EQUAL(r.status, 204);
    CU_ASSERT_PTR_NULL(r.body);
    CU_ASSERT_EQUAL(r.body_len, 0);
    kc_http_response_clear(&r);
    json_t *j = echo("POST", "/conflict", NULL, "{}", 2, &r);
    CU_ASSERT_EQUAL(r.status, 409);
    CU_ASSERT_STRING_EQUAL(r.content_type, "application/json");
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "error_code")), 409);
    CU_ASSERT_STRING_EQUAL(jtext(j, "message"),
                           "Cannot complete request because of a conflicting operation (e.g. worker rebalance)");
    CU_ASSERT_EQUAL(r.body_len, strlen(r.body));
    json_decref(j);
    kc_http_response_clear(&r);
    /* redirects are returned, not followed */
    CU_ASSERT_PTR_NULL(echo("GET", "/redirect", NULL, NULL, 0, &r));
    CU_ASSERT_EQUAL(r.status, 307);
    kc_http_response_clear(&r);
    CU_ASSERT_PTR_NULL(echo("GET", "/nowhere", NULL, NULL, 0, &r));
    CU_ASSERT_EQUAL(r.status, 404);
    kc_http_response_clear(&r);
    j = echo("GET", "/chunked", NULL, NULL, 0, &r);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_EQUAL(json_array_size(j), 3);
    CU_ASSERT_STRING_EQUAL(r.body, "[\"one\",\"two\",\"three\"]");
    json_decref(j);
    kc_http_response_clear(&r);
    kc_http_response_clear(&r); /* twice is fine */
    kc_http_response_clear(NULL);
}

static void test_large_bodies(void)
{
    kc_http_response r;
    CU_ASSERT_PTR_NULL(echo("GET", "/large", NULL, NULL, 0, &r));
    CU_ASSERT_EQUAL_FATAL(r.body_len, LARGE);
    int ok = 1;
    for (size_t i = 0; i < LARGE && ok; i++)
        ok = (unsigned char)r.body[i] == (unsigned char)(i % 251);
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(r.body[LARGE], '\0');
    kc_http_response_clear(&r);
    char *big = malloc(LARGE);
    unsigned long sum = 0;
    for (size_t i = 0; i < LARGE; i++) {
        big[i] = (char)('a' + i % 26);
        sum = sum * 31 + (unsigned char)big[i];
    }
    json_t *j = echo("POST", "/echo", NULL, big, LARGE, &r);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "body_len")), LARGE);
    CU_ASSERT_EQUAL(json_integer_value(json_object_get(j, "sum")), (json_int_t)(sum & 0x7fffffff));
    json_decref(j);
    kc_http_response_clear(&r);
    free(big);
    /* past the cap: refused from the announced length, before any allocation */
    kc_error err;
    CU_ASSERT_EQUAL(raw_request("HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n", &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "exceeds 67108864 bytes"));
    CU_ASSERT_PTR_NULL(r.body);
    CU_ASSERT_EQUAL(raw_request("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8000000\r\n", &r, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "exceeds 67108864 bytes"));
}

static void test_raw_answers(void)
{
    kc_http_response r;
    kc_error err;
    CU_ASSERT_EQUAL(raw_request("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n"
                                "until close", &r, &err), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_STRING_EQUAL(r.content_type, "text/plain");
    CU_ASSERT_STRING_EQUAL(r.body, "until close");
    kc_http_response_clear(&r);
    CU_ASSERT_EQUAL(raw_request("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\ncontent-type:  a/b  \r\n\r\n"
                                "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n", &r, &err), 0);
    CU_ASSERT_STRING_EQUAL(r.body, "hello world");
    CU_ASSERT_STRING_EQUAL(r.content_type, "a/b");
    kc_http_response_clear(&r);
    CU_ASSERT_EQUAL(raw_request("HTTP/1.1 200 OK\nContent-Length: 2\n\nok", &r, &err), 0); /* bare LF */
    CU_ASSERT_STRING_EQUAL(r.body, "ok");
    kc_http_response_clear(&r);
    static const struct {
        const char *reply, *msg;
    } bad[] = {
        {"garbage\r\n\r\n", "bad status line"},
        {"HTTP/1.1 2000 OK\r\n\r\n", "bad status line"},
        {"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "bad header field"},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "bad Content-Length"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", "longer than its size"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "closed the connection before the end"},
        {"HTTP/1.1 200 OK\r\n", "closed the connection before the end"},
        {"", "closed the connection before the end"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(raw_request(bad[i].reply, &r, &err), -1);
        CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, bad[i].msg));
        CU_ASSERT(r.status == 0 && r.body == NULL && r.content_type == NULL);
    }
}

static void test_network_errors(void)
{
    kc_http_response r;
    kc_error err;
    char url[64];
    int free_port = kc_free_port();
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", free_port);
    long t0 = kc_test_now_ms();
    CU_ASSERT_EQUAL(kc_http_request("GET", url, NULL, NULL, 0, NULL, 5000, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strcasestr(err.msg, "connection refused"));
    CU_ASSERT(kc_test_now_ms() - t0 < 5000);
    /* a server that accepts (the kernel's backlog) and never answers */
    int silent_port = 0, fd = listen_any(&silent_port);
    CU_ASSERT_FATAL(fd >= 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", silent_port);
    t0 = kc_test_now_ms();
    CU_ASSERT_EQUAL(kc_http_request("POST", url, NULL, "{}", 2, NULL, 700, &r, &err), -1);
    long took = kc_test_now_ms() - t0;
    CU_ASSERT_EQUAL(err.code, KC_ERR_TIMEOUT);
    CU_ASSERT_STRING_EQUAL(err.msg, "timed out after 700 ms");
    CU_ASSERT(took >= 650 && took < 700 + 1000);
    close(fd);
    /* a peer that closes at once while a large body is sent: an error, not SIGPIPE */
    raw_server rs;
    raw_start(&rs, NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", rs.port);
    char *big = calloc(1, 32u << 20);
    CU_ASSERT_EQUAL(kc_http_request("POST", url, NULL, big, 32u << 20, NULL, 5000, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
    free(big);
    raw_stop(&rs);
    CU_ASSERT_EQUAL(kc_http_request("GET", "http://no-such-host.invalid/", NULL, NULL, 0, NULL, 5000, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_IO);
}

static void test_invalid_arguments(void)
{
    kc_http_response r;
    kc_error err;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", port);
    static const char *const bad_headers[][2] = {
        {"X-Test: a\r\nX-Injected: b", NULL}, {"Host: other", NULL}, {"content-length: 5", NULL},
        {"Connection: keep-alive", NULL},     {"No colon", NULL},    {": empty name", NULL},
        {"Transfer-Encoding: chunked", NULL},
    };
    for (size_t i = 0; i < sizeof bad_headers / sizeof bad_headers[0]; i++) {
        CU_ASSERT_EQUAL(kc_http_request("GET", url, bad_headers[i], NULL, 0, NULL, 1000, &r, &err), -1);
        CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    }
    CU_ASSERT_EQUAL(kc_http_request("GE T", url, NULL, NULL, 0, NULL, 1000, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_EQUAL(kc_http_request(NULL, url, NULL, NULL, 0, NULL, 1000, &r, &err), -1);
    CU_ASSERT_EQUAL(kc_http_request("GET", "mailto:x", NULL, NULL, 0, NULL, 1000, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_EQUAL(kc_http_request("POST", url, NULL, NULL, 3, NULL, 1000, &r, &err), -1);
    CU_ASSERT_EQUAL(kc_http_request("GET", url, NULL, NULL, 0, NULL, 1000, NULL, &err), -1);
}

static void *hammer(void *arg)
{
    int *failures = arg;
    for (int i = 0; i < 25; i++) {
        char body[64];
        int n = snprintf(body, sizeof body, "{\"i\":%d}", i);
        kc_http_response r;
        json_t *j = echo("PUT", "/echo", NULL, body, (size_t)n, &r);
        if (!j || r.status != 200 || !jstr(j, "body") || strcmp(jstr(j, "body"), body) != 0)
            (*failures)++;
        json_decref(j);
        kc_http_response_clear(&r);
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[4];
    int failures[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, hammer, &failures[i]);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CU_ASSERT_EQUAL(failures[i], 0);
    }
}

/* ---- TLS ---------------------------------------------------------------------------------------------- */

static char tls_dir[64], cert_file[128], key_file[128];

/* A self-signed EC certificate for DNS:localhost (not for 127.0.0.1): cert_file has the certificate,
 * key_file the key and the certificate (a PEM keystore). */
static int make_certificate(void)
{
    snprintf(tls_dir, sizeof tls_dir, "/tmp/kc_http_client_XXXXXX");
    if (!mkdtemp(tls_dir))
        return -1;
    snprintf(cert_file, sizeof cert_file, "%s/cert.pem", tls_dir);
    snprintf(key_file, sizeof key_file, "%s/keystore.pem", tls_dir);
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, x, x, NULL, NULL, 0);
    X509_EXTENSION *san = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, "DNS:localhost");
    X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(x, san, -1);
    X509_add_ext(x, bc, -1);
    X509_EXTENSION_free(san);
    X509_EXTENSION_free(bc);
    int ok = X509_sign(x, pkey, EVP_sha256()) > 0;
    FILE *c = fopen(cert_file, "w"), *k = fopen(key_file, "w");
    ok = ok && c && k && PEM_write_X509(c, x) && PEM_write_PrivateKey(k, pkey, NULL, NULL, 0, NULL, NULL) &&
         PEM_write_X509(k, x);
    if (c)
        fclose(c);
    if (k)
        fclose(k);
    X509_free(x);
    EVP_PKEY_free(pkey);
    return ok ? 0 : -1;
}

static SSL_CTX *server_tls(int require_client_cert)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_chain_file(ctx, key_file);
    SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM);
    if (require_client_cert) {
        SSL_CTX_load_verify_locations(ctx, cert_file, NULL);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
    }
    return ctx;
}

static int tls_get(const char *host, int p, const kc_props *tls, kc_http_response *r, kc_error *err)
{
    char url[128];
    snprintf(url, sizeof url, "https://%s:%d/echo?q=1", host, p);
    return kc_http_request("POST", url, NULL, "{\"tls\":true}", 12, tls, 5000, r, err);
}

static void test_https(void)
{
    CU_ASSERT_EQUAL_FATAL(make_certificate(), 0);
    server s, m;
    server_start(&s, server_tls(0));
    server_start(&m, server_tls(1));
    kc_http_response r;
    kc_error err;
    kc_props *p = kc_props_new();
    /* trusted, host name matches */
    kc_props_set(p, "ssl.truststore.location", cert_file);
    kc_props_set(p, "ssl.truststore.type", "PEM");
    CU_ASSERT_EQUAL(tls_get("localhost", s.port, p, &r, &err), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    CU_ASSERT_PTR_NOT_NULL(r.body && strstr(r.body, "\"body\":\"{\\\"tls\\\":true}\""));
    kc_http_response_clear(&r);
    /* the certificate names localhost, not 127.0.0.1 */
    CU_ASSERT_EQUAL(tls_get("127.0.0.1", s.port, p, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_TLS);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "does not match the host name"));
    kc_props_set(p, "ssl.endpoint.identification.algorithm", "");
    CU_ASSERT_EQUAL(tls_get("127.0.0.1", s.port, p, &r, &err), 0);
    kc_http_response_clear(&r);
    /* listeners.https.* keys, all or nothing: a prefixed key hides the plain ones */
    kc_props_set(p, "listeners.https.ssl.key.password", "unused");
    CU_ASSERT_EQUAL(tls_get("localhost", s.port, p, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_TLS);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not trusted"));
    kc_props_set(p, "listeners.https.ssl.truststore.location", cert_file);
    kc_props_set(p, "ssl.truststore.location", "/nonexistent.pem");
    CU_ASSERT_EQUAL(tls_get("localhost", s.port, p, &r, &err), 0);
    kc_http_response_clear(&r);
    /* no truststore: the system's CAs do not know this certificate */
    CU_ASSERT_EQUAL(tls_get("localhost", s.port, NULL, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_TLS);
    /* a server that wants a client certificate */
    CU_ASSERT_EQUAL(tls_get("localhost", m.port, p, &r, &err), -1);
    kc_props_set(p, "listeners.https.ssl.keystore.location", key_file);
    kc_props_set(p, "listeners.https.ssl.keystore.type", "PEM");
    CU_ASSERT_EQUAL(tls_get("localhost", m.port, p, &r, &err), 0);
    CU_ASSERT_EQUAL(r.status, 200);
    kc_http_response_clear(&r);
    /* JKS is refused with what to do instead; an unreadable truststore names the file */
    kc_props_set(p, "listeners.https.ssl.keystore.type", "JKS");
    CU_ASSERT_EQUAL(tls_get("localhost", m.port, p, &r, &err), -1);
    CU_ASSERT_EQUAL(err.code, KC_ERR_TLS);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "convert the keystore to PEM"));
    kc_props_remove(p, "listeners.https.ssl.keystore.type");
    kc_props_set(p, "listeners.https.ssl.truststore.location", "/nonexistent.pem");
    CU_ASSERT_EQUAL(tls_get("localhost", s.port, p, &r, &err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "/nonexistent.pem"));
    /* no client certificate and a large body: the server's refusal is an error, not SIGPIPE */
    kc_props *q = kc_props_new();
    kc_props_set(q, "ssl.truststore.location", cert_file);
    char url[128];
    snprintf(url, sizeof url, "https://localhost:%d/echo", m.port);
    char *big = calloc(1, 32u << 20);
    CU_ASSERT_EQUAL(kc_http_request("POST", url, NULL, big, 32u << 20, q, 5000, &r, &err), -1);
    free(big);
    kc_props_free(q);
    kc_props_free(p);
    server_stop(&s);
    server_stop(&m);
    unlink(cert_file);
    unlink(key_file);
    rmdir(tls_dir);
}

int main(void)
{
    evthread_use_pthreads();
    server plain;
    server_start(&plain, NULL);
    port = plain.port;
    static const kc_test_case cases[] = {
        {"URLs: host, [IPv6], default ports, path and query, errors", test_url_parse},
        {"methods with and without a body; Host, Content-Length, caller's headers, query", test_methods},
        {"the request's bytes: request line, Host, Connection, Content-Length, headers, body", test_request_bytes},
        {"204 without body, 409 JSON relayed, 307 not followed, 404, chunked", test_statuses},
        {"5 MiB each way; a body past 64 MiB is refused", test_large_bodies},
        {"100 Continue, body until close, chunk extensions and trailers, malformed and truncated answers",
         test_raw_answers},
        {"connection refused, time-out within the limit, peer closing early, unknown host", test_network_errors},
        {"invalid method, URL, headers (CR/LF, reserved names)", test_invalid_arguments},
        {"4 threads at once", test_threads},
        {"https: trust, host name check, listeners.https. prefix, client certificate, JKS refused", test_https},
        {NULL, NULL},
    };
    int rc = kc_test_run("http_client", cases);
    server_stop(&plain);
    libevent_global_shutdown();
    return rc;
}
